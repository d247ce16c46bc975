#!/usr/bin/env bash
# Makes sure a usable Pulumi CLI is available and prints the directory that
# holds `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`
# as the last (and only) line on stdout. Progress goes to stderr.
#
# Order of preference:
#   1. $PULUMI_BIN_DIR, if it contains an executable `pulumi`;
#   2. `pulumi` on PATH, when `pulumi-language-nodejs` is on PATH or beside it;
#   3. the cached build in
#      ${PULUMI_PARTNERCENTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter}/pulumi-cli/<version>/bin;
#   4. otherwise builds that cache from the Go module proxy, using the wrapper
#      modules in tools/pulumi-cli (the CLI) and tools/pulumi-language-nodejs (the
#      Node.js language host), versions pinned by their go.mod/go.sum.
#
# Usage: PATH="$(scripts/ensure-pulumi.sh):$PATH" pulumi ...
set -euo pipefail

log() { printf 'ensure-pulumi: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module_dir="$(cd "$script_dir/../tools/pulumi-cli" && pwd)" || die "tools/pulumi-cli not found next to scripts/"
langhost_dir="$(cd "$script_dir/../tools/pulumi-language-nodejs" && pwd)" || die "tools/pulumi-language-nodejs not found next to scripts/"

is_exe() { [[ -f "$1" && -x "$1" ]]; }

# 1. An explicit override.
if [[ -n "${PULUMI_BIN_DIR:-}" ]]; then
  if is_exe "$PULUMI_BIN_DIR/pulumi"; then
    log "using PULUMI_BIN_DIR=$PULUMI_BIN_DIR"
    printf '%s\n' "$PULUMI_BIN_DIR"
    exit 0
  fi
  log "PULUMI_BIN_DIR=$PULUMI_BIN_DIR has no executable pulumi; ignoring it"
fi

# 2. An installed CLI on PATH, with its Node.js language host.
if pulumi_on_path="$(command -v pulumi 2>/dev/null)" && [[ -n "$pulumi_on_path" ]]; then
  path_dir="$(cd "$(dirname "$pulumi_on_path")" && pwd)"
  if is_exe "$path_dir/pulumi-language-nodejs" || command -v pulumi-language-nodejs >/dev/null 2>&1; then
    log "using pulumi from PATH: $path_dir"
    printf '%s\n' "$path_dir"
    exit 0
  fi
  log "pulumi on PATH ($pulumi_on_path) has no pulumi-language-nodejs; not using it"
fi

# 3./4. The cached build, built on demand.
# The CLI version is whatever tools/pulumi-cli/go.mod pins for pkg/v3.
version="$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2; exit }' "$module_dir/go.mod")"
[[ -n "$version" ]] || die "could not read the github.com/pulumi/pulumi/pkg/v3 version from $module_dir/go.mod"

cache_root="${PULUMI_PARTNERCENTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter}"
version_dir="$cache_root/pulumi-cli/$version"
bin_dir="$version_dir/bin"

# Packages built into the cache: the CLI from tools/pulumi-cli, the host from tools/pulumi-language-nodejs.
cli_pkg="github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
langhost_pkg="github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"

# The dynamic-provider launcher, modelled on sdk/nodejs/dist/pulumi-resource-pulumi-nodejs
# of the pulumi repo: it resolves @pulumi/pulumi/cmd/dynamic-provider from the
# current directory (the engine starts it in the program's folder) and runs it
# with node from PATH, passing the engine's arguments on.
launcher_text='#!/bin/sh
# Launcher for the pulumi-nodejs resource provider (Pulumi dynamic providers).
script=$(node -e "process.stdout.write(require.resolve(\"@pulumi/pulumi/cmd/dynamic-provider\", {paths: [process.cwd()]}))") || script=
if [ -z "$script" ]; then
    echo "pulumi-resource-pulumi-nodejs: cannot resolve @pulumi/pulumi/cmd/dynamic-provider from $(pwd)" >&2
    exit 1
fi
exec node "$script" "$@"
'

# Identifies what a cached build was made from, so a change to the wrapper
# module, the language host or the launcher triggers a rebuild.
build_id="$(
  {
    printf '%s\n' "$version" "$launcher_text"
    cat "$module_dir/go.mod" "$module_dir/go.sum" "$langhost_dir/go.mod" "$langhost_dir/go.sum"
    uname -sm
  } | sha256sum | cut -d' ' -f1
)"

cache_ok() {
  local dir="$1" out
  is_exe "$dir/pulumi" && is_exe "$dir/pulumi-language-nodejs" && is_exe "$dir/pulumi-resource-pulumi-nodejs" || return 1
  [[ "$(cat "$dir/.build-id" 2>/dev/null || true)" == "$build_id" ]] || return 1
  out="$(PULUMI_SKIP_UPDATE_CHECK=true "$dir/pulumi" version 2>/dev/null)" || return 1
  [[ "$(printf '%s' "$out" | tr -d '[:space:]')" == "$version" ]]
}

if cache_ok "$bin_dir"; then
  log "using cached build: $bin_dir"
  printf '%s\n' "$bin_dir"
  exit 0
fi

mkdir -p "$version_dir"

# Only one caller builds at a time; the others wait and then reuse its result.
lock_file="$version_dir/.lock"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$lock_file"
  if ! flock -n 9; then
    log "another build is in progress; waiting for $lock_file"
    flock 9
  fi
else
  log "flock not found; building without a lock"
fi

if cache_ok "$bin_dir"; then
  log "using cached build: $bin_dir"
  printf '%s\n' "$bin_dir"
  exit 0
fi

# Leftovers of builds that were killed (we hold the lock, so none is running).
rm -rf "$version_dir"/.bin.tmp.* "$version_dir"/.bin.old.*

command -v go >/dev/null 2>&1 || die "go is needed to build the Pulumi CLI but is not on PATH"

tmp_dir="$(mktemp -d "$version_dir/.bin.tmp.XXXXXX")"
old_dir=""
cleanup() {
  rm -rf "$tmp_dir"
  if [[ -n "$old_dir" ]]; then rm -rf "$old_dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "building Pulumi CLI $version into $bin_dir (first run takes several minutes)"
start=$SECONDS
(
  # The committed go.sum files pin every module; -mod=readonly refuses to change them.
  cd "$module_dir"
  go build -mod=readonly -buildvcs=false -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
    -o "$tmp_dir/" "$cli_pkg"
  cd "$langhost_dir"
  go build -mod=readonly -buildvcs=false -trimpath -ldflags "-s -w" -o "$tmp_dir/" "$langhost_pkg"
) >&2 || die "go build failed"

printf '%s' "$launcher_text" >"$tmp_dir/pulumi-resource-pulumi-nodejs"
chmod 0755 "$tmp_dir/pulumi-resource-pulumi-nodejs"
printf '%s\n' "$build_id" >"$tmp_dir/.build-id"
chmod 0755 "$tmp_dir"

cache_ok "$tmp_dir" || die "the freshly built CLI in $tmp_dir does not report version $version"

# Swap the new build in with renames, so the cache is never half-written.
if [[ -e "$bin_dir" ]]; then
  old_dir="$(mktemp -d "$version_dir/.bin.old.XXXXXX")"
  mv "$bin_dir" "$old_dir/bin"
fi
mv "$tmp_dir" "$bin_dir"

log "built in $((SECONDS - start))s: $bin_dir"
printf '%s\n' "$bin_dir"
