#!/usr/bin/env bash
# Builds the embeddable folder (design.md section 5): a copy of the files <attn-figure> needs, with
# stable names and the same relative layout as web/, so it works wherever a site copies it:
#   attnrank.mjs (the one script tag; attnrank-classic.js loads it where a host writes classic script tags
#   only), embed.html + embed/ (element, iframe fallback), engine/ (worker),
#   views/, render/, state/, i18n/ (the page's own drawing code), wasm/ (the module); and for kind="train"
#   figures (loaded only by them) the training lab's lab/ (its modules, stylesheet and gallery) and vendor/uplot/.
# Usage: bash scripts/build-dist.sh [OUT_DIR]   (default dist/attnrank; needs web/wasm: build-wasm.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/dist/attnrank}
web=$root/web

for artifact in "$web/wasm/attnrank.mjs" "$web/wasm/attnrank.wasm"; do
  [[ -s $artifact ]] || { echo "build-dist.sh: missing $artifact (run: bash build-wasm.sh)" >&2; exit 1; }
done

rm -rf "$out"
mkdir -p "$out"
cp "$web/attnrank.mjs" "$web/attnrank-classic.js" "$web/embed.html" "$web/favicon.svg" "$out/"
for dir in embed engine views render state i18n wasm lab; do
  cp -R "$web/$dir" "$out/$dir"
done
mkdir -p "$out/vendor"
cp -R "$web/vendor/uplot" "$out/vendor/uplot"
# The page-only views (controls, file loading, exports, words) are not loaded by any figure.
rm -f "$out/views/controls.mjs" "$out/views/load-view.mjs" "$out/views/exports-bar.mjs" "$out/views/words.mjs"
# Nor the lab page's own modules (a train figure uses the lab's figures, not its page), nor the corpus (4 MB,
# wasm/austen.txt): a train figure of a corpus experiment shows its gallery, and Run says the corpus is missing.
rm -f "$out/wasm/austen.txt" "$out/lab/lab-main.mjs" "$out/lab/lab-boot.mjs" "$out/lab/lab-controls.mjs" "$out/lab/lab-exports.mjs"
# The claims figure's lab verdicts (views/lab-claims.mjs) read the gallery's index; the lab page itself is not
# in this folder, so the copied index says so (lab_page: false) and the verdicts show without a rerun link.
if [[ -s $out/lab/gallery/index.json ]]; then
  node -e 'const fs = require("fs"); const file = process.argv[1]; const index = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(file, JSON.stringify({ ...index, lab_page: false }) + "\n")' "$out/lab/gallery/index.json"
fi
echo "build-dist.sh: $out ($(du -sk "$out" | cut -f1) KB)"
