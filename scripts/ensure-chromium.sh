#!/usr/bin/env bash
# Makes sure Debian's `chromium` is installed, for the tests that open the vetting report's HTML
# page in a real browser (test/integration/report-page.test.ts, driven by playwright-core, which
# never downloads a browser of its own). Installs the Debian package when it is missing and this
# runs as root; otherwise says what to run. Prints the browser's path on the last line.
set -euo pipefail

browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$browser" ]; then
  echo "$browser"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $browser is missing and installing it needs root: run 'sudo apt-get install -y chromium' (Debian's package), or set CHROMIUM_PATH to a Chromium binary" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $browser is missing and there is no apt-get here: install Chromium and set CHROMIUM_PATH to it" >&2
  exit 1
fi
echo "ensure-chromium: installing Debian's chromium package" >&2
export DEBIAN_FRONTEND=noninteractive
# A stale package list can name versions the mirror no longer has: refresh it first.
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium >&2
if [ ! -x "$browser" ]; then
  echo "ensure-chromium: the chromium package installed, but $browser is not there: set CHROMIUM_PATH" >&2
  exit 1
fi
echo "$browser"
