#!/usr/bin/env bash
# Makes sure actionlint (the linter of GitHub Actions workflows) is built and prints the directory
# that holds it as the last (and only) line on stdout. Progress goes to stderr.
#
# Usage: "$(scripts/ensure-actionlint.sh)/actionlint" examples/pipelines/github-*.yml
#        (`npm run lint:workflows` does this for every GitHub workflow of examples/pipelines/)
#
# actionlint is built from the Go module proxy with the wrapper module tools/actionlint (version
# pinned by its go.mod/go.sum) into the cache scripts/ensure-pulumi.sh uses:
#   ${PULUMI_PARTNERCENTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter}/actionlint/<version>/bin
# with a .build-id, a lock and an atomic swap (scripts/lib/build-cache.sh), so checkouts share it
# and a change to the wrapper module rebuilds it.
set -euo pipefail

log() { printf 'ensure-actionlint: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=lib/build-cache.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/build-cache.sh"

case "${1:-}" in
  "") ;;
  -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 0 ;;
  *) die "unknown argument: $1" ;;
esac

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module_dir="$(cd "$script_dir/../tools/actionlint" && pwd)" || die "tools/actionlint not found next to scripts/"

version="$(required_go_version "$module_dir" github.com/rhysd/actionlint)"

version_dir="$cache_root/actionlint/$version"
bin_dir="$version_dir/bin"
ldflags="-s -w -X github.com/rhysd/actionlint.version=$version"

build_id="$(
  {
    printf '%s\n' actionlint "$version" "$ldflags"
    cat "$module_dir/go.mod" "$module_dir/go.sum"
    uname -sm
  } | sha256sum | cut -d' ' -f1
)"

# The committed go.sum pins every module; the version check guards against a wrong wrapper module.
ensure_go_tool actionlint "$version_dir" "$build_id" "$module_dir" github.com/rhysd/actionlint/cmd/actionlint "$ldflags" "$version"
printf '%s\n' "$bin_dir"
