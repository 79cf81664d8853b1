#!/usr/bin/env bash
# Command 1 of the README: install what is missing, build the wasm module, serve web/ on 127.0.0.1.
# Builds the module the pages load and nothing else (not the GoogleTest suite in wasm: scripts/test.sh
# builds that); works from any copy of the clone (a build tree configured elsewhere is cleared and configured
# again: scripts/build-tree.sh). Env: PORT (default 8000).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh
bash build-wasm.sh --module
exec node scripts/static-server.mjs "$root/web" "${PORT:-8000}" 127.0.0.1
