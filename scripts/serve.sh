#!/usr/bin/env bash
# Command 1 of the README: install what is missing, build the wasm module, serve web/ on 127.0.0.1.
# Env: PORT (default 8000).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh
bash build-wasm.sh
exec node scripts/static-server.mjs "$root/web" "${PORT:-8000}" 127.0.0.1
