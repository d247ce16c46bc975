#!/usr/bin/env bash
# Makes sure a usable Pulumi CLI is available and prints the directory that holds it as the
# last (and only) line on stdout. Progress goes to stderr.
#
# Usage: PATH="$(scripts/ensure-pulumi.sh):$PATH" pulumi ...
#        scripts/ensure-pulumi.sh --with-python   (also the Python language host; see
#                                                  scripts/ensure-pulumi-python.sh, which uses it)
#
# The printed directory holds:
#   pulumi                          the CLI
#   pulumi-language-nodejs          Node.js language host (TypeScript/JavaScript programs)
#   pulumi-resource-pulumi-nodejs   launcher of Node.js dynamic providers
#   pulumi-language-yaml            Pulumi YAML language host (`runtime: yaml`)
#   with --with-python also:
#   pulumi-language-python          Python language host (pulumi-language-python-exec beside it)
#   pulumi-resource-pulumi-python   launcher of Python dynamic providers
# The engine looks for these "bundled" plugins on PATH and next to the `pulumi` it runs; when one
# is found on PATH but not next to `pulumi`, every command prints a warning.
#
# Order of preference:
#   1. $PULUMI_BIN_DIR, if it contains an executable `pulumi`. It is used as it is: what it lacks
#      of the list above is only warned about (the matching programs then fail to start);
#   2. `pulumi` on PATH, when `pulumi-language-nodejs` (and, with --with-python,
#      `pulumi-language-python`) is on PATH or beside it; a missing `pulumi-language-yaml` is
#      only warned about. An official Pulumi release directory provides everything above;
#   3. the cached builds, made on demand from the Go module proxy with the wrapper modules in
#      tools/ (versions pinned by their go.mod/go.sum), under
#      ${PULUMI_PARTNERCENTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter}:
#        pulumi-cli/<pkg/v3 version>/bin              pulumi, pulumi-language-nodejs,
#                                                     pulumi-resource-pulumi-nodejs
#                                                     (tools/pulumi-cli, tools/pulumi-language-nodejs)
#        pulumi-language-yaml/<version>/bin           (tools/pulumi-language-yaml)
#        pulumi-language-python/<version>/bin         (tools/pulumi-language-python; --with-python)
#      Each has its own .build-id, lock and atomic swap, so a change to one component rebuilds only
#      that one. The language hosts are linked (relative symlinks) into pulumi-cli/<version>/bin,
#      which is the directory printed.
set -euo pipefail

log() { printf 'ensure-pulumi: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

with_python=false
for arg in "$@"; do
  case "$arg" in
    --with-python) with_python=true ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 0 ;;
    *) die "unknown argument: $arg" ;;
  esac
done

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools_dir="$(cd "$script_dir/../tools" && pwd)" || die "tools/ not found next to scripts/"
module_dir="$tools_dir/pulumi-cli"
langhost_dir="$tools_dir/pulumi-language-nodejs"
yaml_module_dir="$tools_dir/pulumi-language-yaml"
python_module_dir="$tools_dir/pulumi-language-python"
for d in "$module_dir" "$langhost_dir" "$yaml_module_dir" "$python_module_dir"; do
  [[ -f "$d/go.mod" ]] || die "${d#"$tools_dir"/} not found in tools/"
done

is_exe() { [[ -f "$1" && -x "$1" ]]; }

# Warns about the hosts a CLI directory that is not ours lacks.
check_external() {
  local dir="$1" name
  local names=(pulumi-language-nodejs pulumi-resource-pulumi-nodejs pulumi-language-yaml)
  if $with_python; then names+=(pulumi-language-python pulumi-resource-pulumi-python); fi
  for name in "${names[@]}"; do
    if ! is_exe "$dir/$name" && ! command -v "$name" >/dev/null 2>&1; then
      log "warning: $dir has no $name (and it is not on PATH)"
    fi
  done
}

# 1. An explicit override.
if [[ -n "${PULUMI_BIN_DIR:-}" ]]; then
  if is_exe "$PULUMI_BIN_DIR/pulumi"; then
    log "using PULUMI_BIN_DIR=$PULUMI_BIN_DIR"
    check_external "$PULUMI_BIN_DIR"
    printf '%s\n' "$PULUMI_BIN_DIR"
    exit 0
  fi
  log "PULUMI_BIN_DIR=$PULUMI_BIN_DIR has no executable pulumi; ignoring it"
fi

# 2. An installed CLI on PATH, with its language hosts.
if pulumi_on_path="$(command -v pulumi 2>/dev/null)" && [[ -n "$pulumi_on_path" ]]; then
  path_dir="$(cd "$(dirname "$pulumi_on_path")" && pwd)"
  has_host() { is_exe "$path_dir/$1" || command -v "$1" >/dev/null 2>&1; }
  if ! has_host pulumi-language-nodejs; then
    log "pulumi on PATH ($pulumi_on_path) has no pulumi-language-nodejs; not using it"
  elif $with_python && ! has_host pulumi-language-python; then
    log "pulumi on PATH ($pulumi_on_path) has no pulumi-language-python; not using it"
  else
    log "using pulumi from PATH: $path_dir"
    check_external "$path_dir"
    printf '%s\n' "$path_dir"
    exit 0
  fi
fi

# 3./4. The cached builds, built on demand.
command_go() { command -v go >/dev/null 2>&1 || die "go is needed to build $1 but is not on PATH"; }

# shellcheck source=lib/build-cache.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/build-cache.sh"

# ---- The CLI and the Node.js host: pulumi-cli/<version>/bin -------------------------------
# The CLI version is whatever tools/pulumi-cli/go.mod pins for pkg/v3.
version="$(required_go_version "$module_dir" github.com/pulumi/pulumi/pkg/v3)"

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
# module, the language host or the launcher triggers a rebuild. (Only these inputs: the
# other language hosts have build-ids of their own, so adding one does not rebuild the CLI.)
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

build_cli() {
  if cache_ok "$bin_dir"; then return 0; fi
  command_go "the Pulumi CLI"
  begin_build "$version_dir"

  log "building Pulumi CLI $version into $bin_dir (first run takes several minutes)"
  local start=$SECONDS
  (
    # The committed go.sum files pin every module; -mod=readonly refuses to change them.
    # (Chained with &&: errexit does not apply inside the left side of ||.)
    cd "$module_dir" &&
      go build -mod=readonly -buildvcs=false -trimpath \
        -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
        -o "$tmp_dir/" "$cli_pkg" &&
      cd "$langhost_dir" &&
      go build -mod=readonly -buildvcs=false -trimpath -ldflags "-s -w" -o "$tmp_dir/" "$langhost_pkg"
  ) >&2 || die "go build failed"

  printf '%s' "$launcher_text" >"$tmp_dir/pulumi-resource-pulumi-nodejs"
  chmod 0755 "$tmp_dir/pulumi-resource-pulumi-nodejs"
  printf '%s\n' "$build_id" >"$tmp_dir/.build-id"
  chmod 0755 "$tmp_dir"

  cache_ok "$tmp_dir" || die "the freshly built CLI in $tmp_dir does not report version $version"
  install_dir "$tmp_dir" "$bin_dir"
  log "built the CLI in $((SECONDS - start))s: $bin_dir"
}

if cache_ok "$bin_dir"; then
  log "using cached build: $bin_dir"
else
  mkdir -p "$version_dir"
  with_lock "$version_dir/.lock" build_cli
fi

# ---- Language hosts with build-ids of their own: <name>/<version>/bin ----------------------
# component_ok DIR NAME ID: DIR holds an executable NAME built from ID.
component_ok() {
  is_exe "$1/$2" && [[ "$(cat "$1/.build-id" 2>/dev/null || true)" == "$3" ]]
}

# ensure_component NAME VERSION ID FILL_FUNCTION: makes $cache_root/NAME/VERSION/bin hold NAME,
# built by FILL_FUNCTION TMP_DIR unless the .build-id there already is ID, then links NAME and
# the other executables there into $bin_dir. Sets component_bin.
ensure_component() {
  local name="$1" comp_version="$2" id="$3" fill="$4"
  local comp_dir="$cache_root/$name/$comp_version"
  component_bin="$comp_dir/bin"
  if component_ok "$component_bin" "$name" "$id"; then
    log "using cached $name: $component_bin"
  else
    mkdir -p "$comp_dir"
    with_lock "$comp_dir/.lock" build_component "$name" "$comp_dir" "$id" "$fill"
  fi
  local f wanted=()
  for f in "$component_bin"/*; do
    if is_exe "$f"; then wanted+=("$(basename "$f")"); fi
  done
  link_into_bin "$name" "$comp_version" "${wanted[@]}"
}

build_component() {
  local name="$1" comp_dir="$2" id="$3" fill="$4" start=$SECONDS
  if component_ok "$comp_dir/bin" "$name" "$id"; then return 0; fi
  command_go "$name"
  begin_build "$comp_dir"
  log "building $name $(basename "$comp_dir") into $comp_dir/bin (first run takes a few minutes)"
  # FILL_FUNCTION runs on the left of ||, where errexit does not apply: it chains its steps.
  "$fill" "$tmp_dir" >&2 || die "building $name failed"
  printf '%s\n' "$id" >"$tmp_dir/.build-id"
  chmod 0755 "$tmp_dir"
  component_ok "$tmp_dir" "$name" "$id" || die "the build of $name left no executable $name"
  install_dir "$tmp_dir" "$comp_dir/bin"
  log "built $name in $((SECONDS - start))s: $comp_dir/bin"
}

# link_into_bin NAME VERSION FILE...: makes $bin_dir/FILE a relative symlink to
# ../../../NAME/VERSION/bin/FILE for each FILE, so the engine finds them next to `pulumi`.
# The CLI's lock is held while linking, so a rebuild of the CLI cannot swap $bin_dir away meanwhile.
link_into_bin() {
  local name="$1" comp_version="$2" f missing=false
  shift 2
  for f in "$@"; do
    if [[ "$(readlink "$bin_dir/$f" 2>/dev/null || true)" != "../../../$name/$comp_version/bin/$f" ]] ||
      ! is_exe "$bin_dir/$f"; then
      missing=true
    fi
  done
  if $missing; then with_lock "$version_dir/.lock" make_links "$name" "$comp_version" "$@"; fi
}

make_links() {
  local name="$1" comp_version="$2" f tmp
  shift 2
  cache_ok "$bin_dir" || die "$bin_dir changed while linking $name into it"
  for f in "$@"; do
    # Another caller may have linked it while this one waited for the lock.
    if [[ "$(readlink "$bin_dir/$f" 2>/dev/null || true)" == "../../../$name/$comp_version/bin/$f" ]] &&
      is_exe "$bin_dir/$f"; then
      continue
    fi
    tmp="$bin_dir/.$f.link.$$"
    ln -sfn "../../../$name/$comp_version/bin/$f" "$tmp"
    mv -Tf "$tmp" "$bin_dir/$f"
    is_exe "$bin_dir/$f" || die "linked $bin_dir/$f, but it is not an executable"
    log "linked $bin_dir/$f -> ../../../$name/$comp_version/bin/$f"
  done
}

# Pulumi YAML host: github.com/pulumi/pulumi-yaml, as pinned by tools/pulumi-language-yaml.
yaml_version="$(required_go_version "$yaml_module_dir" github.com/pulumi/pulumi-yaml)"
yaml_ldflags="-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$yaml_version"
yaml_build_id="$(
  {
    printf '%s\n' pulumi-language-yaml "$yaml_version" "$yaml_ldflags"
    cat "$yaml_module_dir/go.mod" "$yaml_module_dir/go.sum"
    uname -sm
  } | sha256sum | cut -d' ' -f1
)"
fill_yaml() {
  cd "$yaml_module_dir" &&
    go build -mod=readonly -buildvcs=false -trimpath -ldflags "$yaml_ldflags" \
    -o "$1/" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
}
ensure_component pulumi-language-yaml "$yaml_version" "$yaml_build_id" fill_yaml

# Python host (--with-python): pulumi-language-python of sdk/v3 as pinned by
# tools/pulumi-language-python (see its go.mod for why that version), with the program
# launcher pulumi-language-python-exec and the dynamic-provider launcher
# pulumi-resource-pulumi-python of the Python SDK that matches the CLI (sdk/v3 as pinned by
# tools/pulumi-cli; scripts/ensure-pulumi-python.sh installs that SDK).
if $with_python; then
  python_host_version="$(required_go_version "$python_module_dir" github.com/pulumi/pulumi/sdk/v3)"
  python_sdk_version="$(required_go_version "$module_dir" github.com/pulumi/pulumi/sdk/v3)"
  python_ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$python_host_version"
  python_build_id="$(
    {
      printf '%s\n' pulumi-language-python "$python_host_version" "$python_sdk_version" "$python_ldflags"
      cat "$python_module_dir/go.mod" "$python_module_dir/go.sum"
      uname -sm
    } | sha256sum | cut -d' ' -f1
  )"
  fill_python() {
    local sdk_dir
    (cd "$python_module_dir" &&
      go build -mod=readonly -buildvcs=false -trimpath -ldflags "$python_ldflags" \
        -o "$1/" github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python) || return 1
    # The SDK module is in the module cache already (the CLI is built from it); go.sum verifies it.
    sdk_dir="$(cd "$module_dir" && go mod download -json github.com/pulumi/pulumi/sdk/v3 |
      awk -F'"' '$2 == "Dir" { print $4 }')" || return 1
    [[ -d "$sdk_dir/python" ]] || die "no python/ in github.com/pulumi/pulumi/sdk/v3@$python_sdk_version ($sdk_dir)"
    install -m 0755 "$sdk_dir/python/cmd/pulumi-language-python-exec" "$1/pulumi-language-python-exec" &&
      install -m 0755 "$sdk_dir/python/dist/pulumi-resource-pulumi-python" "$1/pulumi-resource-pulumi-python"
  }
  # The directory is named after both versions: the host's and the SDK's launchers.
  ensure_component pulumi-language-python "$python_host_version-sdk$python_sdk_version" \
    "$python_build_id" fill_python
fi

printf '%s\n' "$bin_dir"
