# Sourced by the scripts that build into the cache (ensure-pulumi.sh, ensure-pulumi-python.sh,
# gen-sdk.sh); expects a `log` function.

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
