#!/usr/bin/env bash
# Command 1 of the README: install what is missing, build the wasm module and the site, serve the site on
# 127.0.0.1. Builds the module the pages load and nothing else (not the GoogleTest suite in wasm: scripts/test.sh
# builds that), then build/site (web/ with the explorer's modules bundled and minified: scripts/build-site.mjs,
# a few seconds; the browser tests load the same folder); works from any copy of the clone (a build tree
# configured elsewhere is cleared and configured again: scripts/build-tree.sh). Env: PORT (default 8000).
# web/ itself can still be served unbundled: node scripts/static-server.mjs web
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh
bash build-wasm.sh --module
node scripts/build-site.mjs "$root/build/site"
exec node scripts/static-server.mjs "$root/build/site" "${PORT:-8000}" 127.0.0.1
