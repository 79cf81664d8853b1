#!/usr/bin/env bash
# numpy cross-check of the native CLI (Debian's python3-numpy under /usr/bin/python3).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
exec /usr/bin/python3 "$root/tests/numpy/cross_check.py" "${1:-$root/build/native/attnrank}"
