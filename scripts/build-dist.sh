#!/usr/bin/env bash
# Builds the embeddable folder (design.md section 5; docs/embedding.md section 15 lists it): the files
# <attn-figure> needs, with stable names and web/'s relative layout, so it works wherever a site copies it. The
# ES modules are bundled (scripts/bundle.mjs: rollup and esbuild from node_modules, no network) into a few files:
#   attnrank.mjs (the one script tag: the element and all a figure needs before its first draw, one module;
#   attnrank-classic.js loads it where a host writes classic script tags only), embed/attn-figure.mjs (the element
#   under another name: ?name=), embed.html + embed/frame.mjs + embed/frame.css (the iframe fallback),
#   engine/engine-worker.mjs (the worker, one module), wasm/ (the modules and their glue: attnrank.* every post,
#   attnrank-figures.* when a figure asks what the first module lacks), chunks/ (loaded only by
#   the figures that use them: the train figure and its lab code, the claims view's lab verdicts, Chinese words),
#   and, for kind="train" figures, engine/lab-worker.mjs and wasm/attnrank-lab.* (when one runs), lab/lab.css, lab/gallery/ and vendor/uplot/'s stylesheet;
#   a source map beside every bundled module maps it back to web/'s sources (their text included).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/dist/attnrank}
web=$root/web

modules=(attnrank.mjs attnrank.wasm attnrank-figures.mjs attnrank-figures.wasm attnrank-lab.mjs attnrank-lab.wasm)
for name in "${modules[@]}"; do
  artifact=$web/wasm/$name
  [[ -s $artifact ]] || { echo "build-dist.sh: missing $artifact (run: bash build-wasm.sh)" >&2; exit 1; }
done

rm -rf "$out"
mkdir -p "$out/embed" "$out/wasm" "$out/lab" "$out/vendor/uplot"
cp "$web/attnrank-classic.js" "$web/embed.html" "$web/favicon.svg" "$out/"
cp "$web/embed/frame.css" "$out/embed/"
# The wasm modules and their glue (the workers import the glue at run time): attnrank.*, the first module (the
# engine worker's first: analyze and the tables, every post), attnrank-figures.*, the figures' module (fetched by
# the engine worker on the first request the first module lacks, or first for a post whose first figure is a
# collapse, heads, architectures, claims or train figure), and attnrank-lab.*, the lab module (the lab worker's:
# fetched only when a train figure runs); not the corpus (4 MB, wasm/austen.txt): a train figure of a corpus
# experiment shows its gallery, and Run says the corpus is missing.
cp "${modules[@]/#/$web/wasm/}" "$out/wasm/"
# What a train figure fetches besides its modules: the lab's stylesheet and gallery, uPlot's stylesheet and licence
# (uPlot's code is in the train figure's chunk).
cp "$web/lab/lab.css" "$out/lab/"
cp -R "$web/lab/gallery" "$out/lab/gallery"
cp "$web/vendor/uplot/uPlot.min.css" "$web/vendor/uplot/LICENSE" "$out/vendor/uplot/"
# Every module: attnrank.mjs, embed/frame.mjs, embed/attn-figure.mjs, engine/*-worker.mjs, chunks/.
node "$root/scripts/bundle.mjs" "$out" >/dev/null
# The claims figure's lab verdicts (views/lab-claims.mjs) read the gallery's index; the lab page itself is not
# in this folder, so the copied index says so (lab_page: false) and the verdicts show without a rerun link.
if [[ -s $out/lab/gallery/index.json ]]; then
  node -e 'const fs = require("fs"); const file = process.argv[1]; const index = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(file, JSON.stringify({ ...index, lab_page: false }) + "\n")' "$out/lab/gallery/index.json"
fi
echo "build-dist.sh: $out ($(du -sk "$out" | cut -f1) KB)"
