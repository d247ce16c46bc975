#!/usr/bin/env bash
# Makes Pulumi Python programs runnable here, offline: the CLI with the Python language host
# (`scripts/ensure-pulumi.sh --with-python`), Debian's Python 3 with the SDK's dependencies from
# Debian packages, and the Python `pulumi` SDK from the Go module zip of
# github.com/pulumi/pulumi/sdk/v3 (the version tools/pulumi-cli pins, so it matches the CLI).
# PyPI is not reachable here, so nothing is pip-installed from an index.
#
# Usage:
#   scripts/ensure-pulumi-python.sh [--venv DIR]
#
# The last four lines of stdout are KEY=VALUE (values shell-quoted, so `eval` or `export` them):
#   PULUMI_BIN_DIR=...          put first on PATH: pulumi, pulumi-language-python and the other hosts
#   PULUMI_PYTHON_CMD=...       the Python the language host and the dynamic-provider launcher run
#                               (both read this variable; without it they run `python3` from PATH)
#   PULUMI_PYTHON_VENV=...      the virtual environment of that Python
#   PULUMI_PYTHON_SDK_PATH=...  the SDK and compat directories, for PYTHONPATH of another Debian
#                               python3 that has the Debian packages below
# e.g.  eval "export $(scripts/ensure-pulumi-python.sh | tail -4 | tr '\n' ' ')"
#       PATH="$PULUMI_BIN_DIR:$PATH" pulumi up
# A project's Pulumi.yaml says `runtime: python`. The language host built here (sdk/v3 v3.68.0,
# see tools/pulumi-language-python/go.mod) gets no runtime options from this CLI, so a
# `virtualenv:` option there is ignored: PULUMI_PYTHON_CMD (or PATH) picks the Python.
#
# The shared environment lives in
#   ${PULUMI_PARTNERCENTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter}/pulumi-python/<sdk version>/env
# with sdk/ (the `pulumi` package), compat/ (see below) and venv/ (made by Debian's
# /usr/bin/python3 -m venv --system-site-packages --without-pip, with a .pth file that adds sdk/
# and compat/; pip is Debian's python3-pip). It has a .build-id, a lock and an atomic swap.
# With --venv DIR, DIR is made (once) a virtual environment of its own with the same .pth, for a
# project that pip-installs packages of its own, such as an SDK from scripts/gen-sdk.sh:
#   "$PULUMI_PYTHON_CMD" -m pip install --no-deps --no-build-isolation --no-index <sdk dir>
# Its lines then name DIR.
#
# Debian packages (installed with apt-get when missing; needs root): python3 python3-venv
# python3-pip python3-grpcio python3-protobuf python3-dill python3-semver python3-yaml
# python3-packaging. On Debian 12 they are older than the SDK's pyproject.toml asks for
# (grpcio 1.51, protobuf 3.21, dill 0.3.6, semver 2.10); what the SDK uses of them works, and
# compat/ bridges the rest:
#   compat/semver.py      loads Debian's semver 2.10 and adds the semver 3 name `Version`
#                         (= VersionInfo), which pulumi.runtime.rpc imports;
#   compat/opentelemetry  a no-op stand-in for the OpenTelemetry API and SDK, which
#                         `import pulumi` needs and Debian does not package: tracing of Python
#                         programs (TRACEPARENT) is off.
set -euo pipefail

log() { printf 'ensure-pulumi-python: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=lib/build-cache.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/build-cache.sh"

project_venv=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --venv) [[ $# -ge 2 ]] || die "--venv needs a directory"; project_venv="$2"; shift 2 ;;
    --venv=*) project_venv="${1#--venv=}"; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module_dir="$(cd "$script_dir/../tools/pulumi-cli" && pwd)" || die "tools/pulumi-cli not found next to scripts/"

# 1. The CLI and the Python language host.
bin_dir="$("$script_dir/ensure-pulumi.sh" --with-python | tail -n 1)"
[[ -x "$bin_dir/pulumi-language-python" ]] || command -v pulumi-language-python >/dev/null 2>&1 ||
  die "$bin_dir has no pulumi-language-python (PULUMI_BIN_DIR points at a CLI without the Python host?)"

# 2. Debian's Python and the SDK's dependencies.
debian_python=/usr/bin/python3
apt_packages=(python3 python3-venv python3-pip python3-grpcio python3-protobuf python3-dill
  python3-semver python3-yaml python3-packaging)
missing=()
for pkg in "${apt_packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  command -v apt-get >/dev/null 2>&1 || die "missing Debian packages ${missing[*]}, and apt-get is not available"
  [[ "$(id -u)" == 0 ]] || die "missing Debian packages; run as root: apt-get update && apt-get install -y ${missing[*]}"
  log "installing Debian packages: ${missing[*]}"
  apt-get update -qq >&2 || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
    die "apt-get install ${missing[*]} failed"
fi
[[ -x "$debian_python" ]] || die "$debian_python not found"
python_version="$("$debian_python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
"$debian_python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' ||
  die "the Pulumi Python SDK needs Python >= 3.10; $debian_python is $python_version"

# 3. The SDK, matching the CLI.
sdk_version="$(required_go_version "$module_dir" github.com/pulumi/pulumi/sdk/v3)"

root_dir="$cache_root/pulumi-python/$sdk_version"
env_dir="$root_dir/env"
site_rel="lib/python${python_version%.*}/site-packages"

# The compat shims (see the header); their text is part of the build-id.
read -r -d '' semver_py <<'EOF' || true
"""Debian bookworm's semver 2.10 under the semver 3 name the Pulumi SDK imports (Version).

Written by scripts/ensure-pulumi-python.sh of pulumi-partnercenter.
"""
import importlib.machinery
import importlib.util
import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.machinery.PathFinder.find_spec(
    "semver", [p for p in sys.path if os.path.abspath(p or ".") != _here]
)
if _spec is None:
    raise ImportError("semver: Debian's python3-semver is not installed")
_real = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_real)
globals().update({k: v for k, v in vars(_real).items() if not k.startswith("__")})
if "Version" not in globals():
    Version = VersionInfo  # noqa: F821 - copied from the real module above
EOF
read -r -d '' otel_init_py <<'EOF' || true
"""No-op stand-in for the parts of the OpenTelemetry API and SDK that `import pulumi` uses.

Debian does not package OpenTelemetry for Python, and PyPI is not reachable: tracing is off.
Written by scripts/ensure-pulumi-python.sh of pulumi-partnercenter.
"""
EOF
read -r -d '' otel_context_py <<'EOF' || true
class Context(dict):
    pass


_CURRENT = Context()


def get_current():
    return _CURRENT


def attach(context):
    return None


def detach(token):
    return None
EOF
read -r -d '' otel_propagate_py <<'EOF' || true
from opentelemetry.context import Context


def extract(carrier, context=None, getter=None):
    return Context()


def inject(carrier, context=None, setter=None):
    return None
EOF
read -r -d '' otel_trace_py <<'EOF' || true
def set_tracer_provider(tracer_provider):
    return None
EOF
read -r -d '' otel_sdk_trace_py <<'EOF' || true
class TracerProvider:
    def __init__(self, *args, **kwargs):
        pass

    def add_span_processor(self, span_processor):
        pass

    def shutdown(self):
        pass
EOF
read -r -d '' otel_sdk_trace_export_py <<'EOF' || true
class BatchSpanProcessor:
    def __init__(self, *args, **kwargs):
        pass
EOF
read -r -d '' otel_sdk_resources_py <<'EOF' || true
SERVICE_NAME = "service.name"


class Resource:
    @staticmethod
    def create(attributes=None):
        return Resource()
EOF
# Relative to the venv's site-packages, so the environment can be built in a temporary
# directory and renamed into place.
pth_text="../../../../sdk
../../../../compat"

build_id="$(
  {
    printf '%s\n' "$sdk_version" "$python_version" "$pth_text" "$semver_py" "$otel_init_py" \
      "$otel_context_py" "$otel_propagate_py" "$otel_trace_py" "$otel_sdk_trace_py" \
      "$otel_sdk_trace_export_py" "$otel_sdk_resources_py"
    uname -sm
  } | sha256sum | cut -d' ' -f1
)"

# check_env DIR: DIR/venv's python imports the SDK from DIR/sdk, with the compat shims.
check_env() {
  "$1/venv/bin/python" - "$1" "$sdk_version" <<'EOF'
import os, sys
root, want = os.path.realpath(sys.argv[1]), sys.argv[2].lstrip("v")
import pulumi, pulumi.runtime, pulumi.provider, pulumi.dynamic, pulumi.automation
from pulumi._version import _VERSION
if not os.path.realpath(pulumi.__file__).startswith(os.path.join(root, "sdk") + os.sep):
    sys.exit(f"pulumi comes from {pulumi.__file__}, not from {root}/sdk")
if _VERSION != want:
    sys.exit(f"the SDK is {_VERSION}, expected {want}")
EOF
}

env_ok() {
  [[ "$(cat "$1/.build-id" 2>/dev/null || true)" == "$build_id" ]] && check_env "$1" 2>/dev/null
}

build_env() {
  if env_ok "$env_dir"; then return 0; fi
  begin_build "$root_dir"
  log "making the Python $python_version environment with the pulumi SDK $sdk_version in $env_dir"

  # The SDK module is in the module cache already (the CLI is built from it); go.sum verifies it.
  command -v go >/dev/null 2>&1 || die "go is needed to find the Python SDK in the Go module cache"
  local sdk_module
  sdk_module="$(cd "$module_dir" && go mod download -json github.com/pulumi/pulumi/sdk/v3 |
    awk -F'"' '$2 == "Dir" { print $4 }')"
  [[ -d "$sdk_module/python/lib/pulumi" ]] ||
    die "no python/lib/pulumi in github.com/pulumi/pulumi/sdk/v3@$sdk_version (module dir: ${sdk_module:-none})"
  mkdir -p "$tmp_dir/sdk"
  cp -R "$sdk_module/python/lib/pulumi" "$tmp_dir/sdk/pulumi"
  chmod -R u+w "$tmp_dir/sdk"

  local c="$tmp_dir/compat/opentelemetry"
  mkdir -p "$c/context" "$c/propagate" "$c/trace" "$c/sdk/trace/export" "$c/sdk/resources"
  printf '%s\n' "$semver_py" >"$tmp_dir/compat/semver.py"
  printf '%s\n' "$otel_init_py" >"$c/__init__.py"
  printf '%s\n' "$otel_context_py" >"$c/context/__init__.py"
  printf '%s\n' "$otel_propagate_py" >"$c/propagate/__init__.py"
  printf '%s\n' "$otel_trace_py" >"$c/trace/__init__.py"
  : >"$c/sdk/__init__.py"
  printf '%s\n' "$otel_sdk_trace_py" >"$c/sdk/trace/__init__.py"
  printf '%s\n' "$otel_sdk_trace_export_py" >"$c/sdk/trace/export/__init__.py"
  printf '%s\n' "$otel_sdk_resources_py" >"$c/sdk/resources/__init__.py"

  "$debian_python" -m venv --system-site-packages --without-pip "$tmp_dir/venv" >&2 ||
    die "$debian_python -m venv failed"
  [[ -d "$tmp_dir/venv/$site_rel" ]] || die "the venv has no $site_rel"
  printf '%s\n' "$pth_text" >"$tmp_dir/venv/$site_rel/pulumi-partnercenter-sdk.pth"

  check_env "$tmp_dir" >&2 || die "the new environment in $tmp_dir cannot import the pulumi SDK"
  "$tmp_dir/venv/bin/python" -m pip --version >/dev/null 2>&1 ||
    die "pip (Debian's python3-pip) does not run in the new environment"
  printf '%s\n' "$build_id" >"$tmp_dir/.build-id"

  install_dir "$tmp_dir" "$env_dir"
  log "made $env_dir"
}

if env_ok "$env_dir"; then
  log "using cached environment: $env_dir"
else
  mkdir -p "$root_dir"
  with_lock "$root_dir/.lock" build_env
fi

# 4. A project's own virtual environment (--venv DIR).
venv="$env_dir/venv"
if [[ -n "$project_venv" ]]; then
  mkdir -p "$project_venv"
  project_venv="$(cd "$project_venv" && pwd)"
  pth="$project_venv/$site_rel/pulumi-partnercenter-sdk.pth"
  want_pth="$env_dir/sdk
$env_dir/compat"
  if [[ ! -x "$project_venv/bin/python" ]]; then
    [[ -z "$(ls -A "$project_venv")" ]] || die "--venv $project_venv is neither empty nor a virtual environment"
    log "making the virtual environment $project_venv"
    "$debian_python" -m venv --system-site-packages --without-pip "$project_venv" >&2 ||
      die "$debian_python -m venv $project_venv failed"
  fi
  [[ -d "$project_venv/$site_rel" ]] ||
    die "$project_venv is not a virtual environment of $debian_python ($python_version): no $site_rel"
  if [[ "$(cat "$pth" 2>/dev/null || true)" != "$want_pth" ]]; then
    printf '%s\n' "$want_pth" >"$pth"
  fi
  "$project_venv/bin/python" -c 'import pulumi' || die "$project_venv cannot import the pulumi SDK"
  venv="$project_venv"
fi

printf 'PULUMI_BIN_DIR=%q\n' "$bin_dir"
printf 'PULUMI_PYTHON_CMD=%q\n' "$venv/bin/python"
printf 'PULUMI_PYTHON_VENV=%q\n' "$venv"
printf 'PULUMI_PYTHON_SDK_PATH=%q\n' "$env_dir/sdk:$env_dir/compat"
