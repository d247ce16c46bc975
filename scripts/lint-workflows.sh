#!/usr/bin/env bash
# Checks every GitHub Actions workflow of examples/pipelines/ with actionlint
# (scripts/ensure-actionlint.sh builds it). `npm run lint:workflows`, part of `npm run lint`.
#
# The file name says which CI a pipeline example is for:
#   github-*.yml   a GitHub Actions workflow: checked by actionlint
#   azure-*.yml    an Azure Pipelines definition: not a GitHub workflow, so not given to actionlint
#                  (test/docs/readme.test.ts parses it as YAML)
# Any other *.yml or *.yaml there is an error, so a new example is never skipped silently.
#
# shellcheck and pyflakes, which actionlint runs on `run:` scripts when they are on PATH, are
# turned off: they are not pinned here, and the result must not depend on what a machine has.
set -euo pipefail

log() { printf 'lint-workflows: %s\n' "$*" >&2; }

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="examples/pipelines"
cd "$repo"

workflows=()
unknown=()
shopt -s nullglob
for file in "$dir"/*.yml "$dir"/*.yaml; do
  case "$(basename "$file")" in
    github-*.yml) workflows+=("$file") ;;
    azure-*.yml) ;;
    *) unknown+=("$file") ;;
  esac
done

if [[ ${#unknown[@]} -gt 0 ]]; then
  log "error: ${unknown[*]}: name a GitHub Actions workflow github-*.yml and an Azure Pipelines file azure-*.yml"
  exit 1
fi
if [[ ${#workflows[@]} -eq 0 ]]; then
  log "error: no GitHub Actions workflow (github-*.yml) in $dir"
  exit 1
fi

bin_dir="$("$repo/scripts/ensure-actionlint.sh" | tail -n 1)"
"$bin_dir/actionlint" -shellcheck= -pyflakes= "${workflows[@]}"
log "${#workflows[@]} workflow(s) checked: ${workflows[*]}"
