#!/usr/bin/env bash
# The lab's PyTorch oracle (design-lab.md section 5), a suite of scripts/test.sh: attnrank_lab_dump (built
# with the native tests) writes every oracle case's parameters, batch, loss, gradients and AdamW steps in
# f64 and f32 into the build tree, and lab_torch_oracle.py recomputes them with Debian's python3-torch
# under /usr/bin/python3. Torch is installed here when missing, like scripts/install-deps.sh does for the
# other suites (root or sudo; ~220 packages, measured 2 min 43 s on the 2-core machine under load); set
# ATTNRANK_NO_TORCH_INSTALL=1 to skip that. When torch cannot be had the suite says SKIPPED and why, exit 0.
# --install-only installs torch when missing and stops there (scripts/test.sh runs that beside the native
# build: the install waits on the network and dpkg, not on the CPU).
#   bash tests/oracle/run.sh [path/to/attnrank_lab_dump]     (default build/native/attnrank_lab_dump)
#   bash tests/oracle/run.sh --install-only
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
install_only=0
if [[ ${1:-} == --install-only ]]; then
  install_only=1
  shift
fi
dump_tool=${1:-$root/build/native/attnrank_lab_dump}
python=${ATTNRANK_ORACLE_PYTHON:-/usr/bin/python3}  # another interpreter only to test this script

has_torch() { "$python" -c 'import torch, numpy' >/dev/null 2>&1; }

if ! has_torch && [[ ${ATTNRANK_NO_TORCH_INSTALL:-0} != 1 ]]; then
  as_root=()
  [[ $(id -u) -eq 0 ]] || { command -v sudo >/dev/null && as_root=(sudo); }
  if [[ $(id -u) -eq 0 || ${#as_root[@]} -gt 0 ]]; then
    echo "tests/oracle: installing python3-torch (Debian's PyTorch 1.13)"
    export DEBIAN_FRONTEND=noninteractive
    { "${as_root[@]}" apt-get update -qq && "${as_root[@]}" apt-get install -y -qq python3-torch >/dev/null; } \
      || echo "tests/oracle: apt-get install python3-torch failed" >&2
  fi
fi
if ((install_only)); then
  has_torch && echo "tests/oracle: torch is installed" || echo "tests/oracle: torch is not installed (the suite will say SKIPPED)"
  exit 0
fi
if ! has_torch; then
  echo "SKIPPED: the lab's PyTorch oracle needs Debian's python3-torch under /usr/bin/python3 (not installed:" \
    "apt-get install python3-torch, as root)"
  exit 0
fi
[[ -x $dump_tool ]] || { echo "tests/oracle: no $dump_tool (build the native tests first)" >&2; exit 1; }

out=$(dirname "$dump_tool")/oracle-dump
rm -rf "$out"
"$dump_tool" "$out"
"$python" "$root/tests/oracle/lab_torch_oracle.py" "$out"
