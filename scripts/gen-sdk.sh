#!/usr/bin/env bash
# Generates a Pulumi package SDK (Python or Node.js) from a schema.json, offline.
#
# Usage:
#   scripts/gen-sdk.sh --schema schema.json --language python|nodejs --out DIR [--version X.Y.Z] [--clean]
#
# Runs pulumi-sdkgen (tools/pulumi-sdkgen: the code generators of github.com/pulumi/pulumi/pkg/v3,
# at the version the CLI is built from), built on first use into
#   ${PULUMI_PARTNERCENTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter}/pulumi-sdkgen/<pkg/v3 version>/bin
# (with a .build-id, a lock and an atomic swap, like scripts/ensure-pulumi.sh). All arguments go to
# pulumi-sdkgen: --out must be empty unless --clean; the schema must not depend on other packages.
#
# `pulumi package gen-sdk schema.json --language python` does not work with the CLI of
# scripts/ensure-pulumi.sh: it asks the language host to generate the SDK, and the hosts built
# here (sdk/v3 v3.68.0) answer "method GeneratePackage not implemented".
#
# The generated Python SDK reads its version from its installed package metadata, so it has to be
# pip-installed, not only put on PYTHONPATH; for a venv from scripts/ensure-pulumi-python.sh --venv:
#   "$PULUMI_PYTHON_CMD" -m pip install --no-deps --no-build-isolation --no-index DIR
# Its version is the schema's only when the schema says "language": {"python":
# {"respectSchemaVersion": true}} (otherwise 0.0.0); the same holds for nodejs.
set -euo pipefail

log() { printf 'gen-sdk: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=lib/build-cache.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/build-cache.sh"

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module_dir="$(cd "$script_dir/../tools/pulumi-sdkgen" && pwd)" || die "tools/pulumi-sdkgen not found next to scripts/"

version="$(required_go_version "$module_dir" github.com/pulumi/pulumi/pkg/v3)"

version_dir="$cache_root/pulumi-sdkgen/$version"
bin_dir="$version_dir/bin"
tool="$bin_dir/pulumi-sdkgen"

build_id="$(
  {
    printf '%s\n' pulumi-sdkgen "$version"
    cat "$module_dir/go.mod" "$module_dir/go.sum"
    find "$module_dir" -name '*.go' -type f | LC_ALL=C sort | xargs cat
    uname -sm
  } | sha256sum | cut -d' ' -f1
)"

ensure_go_tool pulumi-sdkgen "$version_dir" "$build_id" "$module_dir" . "-s -w"

exec "$tool" "$@"
