# Sourced by the scripts that build into the cache (ensure-pulumi.sh, ensure-pulumi-python.sh,
# ensure-actionlint.sh, gen-sdk.sh); expects `log` and `die` functions.

# Where every component is built: $PULUMI_PARTNERCENTER_CACHE, else a folder in the user's cache.
cache_root="${PULUMI_PARTNERCENTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter}"

# required_go_version MODULE_DIR MODULE: the version MODULE_DIR/go.mod requires of MODULE; dies
# (exits the script, under set -e) when it names none.
required_go_version() {
  local found
  found="$(awk -v m="$2" '$1 == m { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$1/go.mod")"
  [[ -n "$found" ]] || die "could not read the $2 version from $1/go.mod"
  printf '%s\n' "$found"
}

# with_lock LOCK_FILE COMMAND...: runs COMMAND holding an exclusive lock on LOCK_FILE, so only one
# caller builds a component at a time; the others wait, then find its result. Runs in a subshell,
# so the lock is released when COMMAND returns and an EXIT trap set by COMMAND stays local.
with_lock() {
  local lock_file="$1"
  shift
  (
    if command -v flock >/dev/null 2>&1; then
      exec 9>"$lock_file"
      if ! flock -n 9; then
        log "another build is in progress; waiting for $lock_file"
        flock 9
      fi
    else
      log "flock not found; building without a lock"
    fi
    "$@"
  )
}

# install_dir TMP_DIR DEST_DIR: swaps a finished build in with renames, so the cache is never
# half-written. Called with the component's lock held.
install_dir() {
  local tmp="$1" dest="$2" old=""
  if [[ -e "$dest" ]]; then
    old="$(mktemp -d "$(dirname "$dest")/.old.XXXXXX")"
    mv "$dest" "$old/$(basename "$dest")"
  fi
  mv "$tmp" "$dest"
  if [[ -n "$old" ]]; then rm -rf "$old"; fi
}

# begin_build DIR: starts a build into a fresh temporary folder under DIR, set as tmp_dir (a
# global: the EXIT trap still needs it after a die), removed on exit. Leftovers of builds that were
# killed go first: the caller holds the lock, so none is running. Call it inside with_lock.
begin_build() {
  local dir="$1"
  rm -rf "$dir"/.bin.tmp.* "$dir"/.bin.old.* "$dir"/.env.tmp.* "$dir"/.env.old.* "$dir"/.old.* "$dir"/.tmp.*
  tmp_dir="$(mktemp -d "$dir/.tmp.XXXXXX")"
  trap 'rm -rf "$tmp_dir"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# ensure_go_tool NAME VERSION_DIR BUILD_ID MODULE_DIR PACKAGE LDFLAGS [CHECK_VERSION]: makes sure
# VERSION_DIR/bin holds the executable NAME built by BUILD_ID (a hash of what goes into it), building
# it otherwise with `go build` of PACKAGE in the wrapper module MODULE_DIR (its committed go.sum pins
# every module: -mod=readonly refuses to change it), under the component's lock, into a temporary
# folder swapped in whole. With CHECK_VERSION, the fresh build must print it first on `-version`.
ensure_go_tool() {
  local name="$1" version_dir="$2" build_id="$3" module_dir="$4" package="$5" ldflags="$6" check_version="${7:-}"
  local bin_dir="$version_dir/bin"
  if go_tool_ok "$bin_dir" "$name" "$build_id"; then
    log "using cached build: $bin_dir"
    return 0
  fi
  mkdir -p "$version_dir"
  with_lock "$version_dir/.lock" build_go_tool "$@"
}

# go_tool_ok DIR NAME BUILD_ID: DIR holds the executable NAME made by BUILD_ID.
go_tool_ok() {
  [[ -f "$1/$2" && -x "$1/$2" ]] && [[ "$(cat "$1/.build-id" 2>/dev/null || true)" == "$3" ]]
}

# build_go_tool: the build of ensure_go_tool, called with its arguments and its lock held.
build_go_tool() {
  local name="$1" version_dir="$2" build_id="$3" module_dir="$4" package="$5" ldflags="$6" check_version="${7:-}"
  local bin_dir="$version_dir/bin"
  if go_tool_ok "$bin_dir" "$name" "$build_id"; then return 0; fi
  command -v go >/dev/null 2>&1 || die "go is needed to build $name but is not on PATH"
  begin_build "$version_dir"
  log "building $name into $bin_dir"
  local start=$SECONDS
  (cd "$module_dir" && go build -mod=readonly -buildvcs=false -trimpath -ldflags "$ldflags" -o "$tmp_dir/" "$package") >&2 ||
    die "go build failed"
  printf '%s\n' "$build_id" >"$tmp_dir/.build-id"
  chmod 0755 "$tmp_dir"
  go_tool_ok "$tmp_dir" "$name" "$build_id" || die "the build left no $name in $tmp_dir"
  if [[ -n "$check_version" ]]; then
    [[ "$("$tmp_dir/$name" -version | head -n 1)" == "$check_version" ]] || die "the freshly built $name does not report version $check_version"
  fi
  install_dir "$tmp_dir" "$bin_dir"
  log "built in $((SECONDS - start))s: $bin_dir"
}
