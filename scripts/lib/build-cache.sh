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
