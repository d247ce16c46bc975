#!/usr/bin/env bash
# The public API of each entry point of both packages, as API Extractor reports it (api/*.api.md,
# committed), so that a change of public API shows in review: api/<entry>.api-extractor.json for
# pulumi-partnercenter's entry points, emulator/api-extractor.json for partnercenter-emulator.
#   scripts/api-report.sh           checks: fails when a report differs from what the code exports
#                                    (`npm run lint:api`, part of `npm run lint`)
#   scripts/api-report.sh --update  rewrites the reports (`npm run api`); commit them
# Reads the declarations in dist/: build first (`npm run lint` and `npm run api` do).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

local_flag=()
case "${1:-}" in
  --update) local_flag=(--local) ;;
  "") ;;
  *) echo "usage: scripts/api-report.sh [--update]" >&2; exit 2 ;;
esac

status=0
for config in api/*.api-extractor.json emulator/api-extractor.json; do
  if ! out="$(npx --no-install api-extractor run "${local_flag[@]}" -c "$config" 2>&1)"; then
    printf '%s\n' "$out" >&2
    echo "api-report: $config: the public API differs from its report; if the change is intended, run npm run api and commit api/" >&2
    status=1
  fi
done
exit "$status"
