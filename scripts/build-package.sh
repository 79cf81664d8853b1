#!/usr/bin/env bash
# Builds the npm package attnrank and the dist archive from the embeddable folder (scripts/build-dist.sh), and
# publishes nothing. Writes, in OUT_DIR (default build/package):
#   attnrank/                         the embeddable folder, as build-dist.sh makes it
#   attnrank-dist-VERSION.tar.gz      that folder as an archive, for authors who do not use npm
#   npm/                              the package's folder: the embeddable folder plus package.json
#                                     (scripts/package-json.mjs), attnrank.d.ts and README.md (package/) and
#                                     custom-elements.json (scripts/custom-elements.mjs)
#   attnrank-VERSION.tgz              npm pack of npm/: what `npm install PATH/attnrank-VERSION.tgz` installs
# VERSION is the project's (CMakeLists.txt). Needs web/wasm (bash build-wasm.sh --module) and node/npm; no network.
# Usage: bash scripts/build-package.sh [OUT_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$root/build/package}" && cd "${1:-$root/build/package}" && pwd)
cd "$root"
version=$(node --input-type=module -e "import { projectVersion } from './scripts/package-json.mjs'; console.log(projectVersion())")

rm -rf "$out/attnrank" "$out/npm" "$out"/attnrank-*.tgz "$out"/attnrank-dist-*.tar.gz
bash scripts/build-dist.sh "$out/attnrank" >/dev/null
# The same archive from the same files: sorted names, fixed owner and times.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2000-01-01 00:00Z' -C "$out" -czf "$out/attnrank-dist-$version.tar.gz" attnrank

cp -R "$out/attnrank" "$out/npm"
cp package/attnrank.d.ts package/README.md "$out/npm/"
node scripts/custom-elements.mjs "$out/npm/custom-elements.json"
node scripts/package-json.mjs "$out/npm"
# npm pack of a folder with no lifecycle scripts reads only that folder; its cache goes in OUT_DIR.
(cd "$out/npm" && npm pack --offline --silent --cache "$out/.npm-cache" --pack-destination "$out" >/dev/null)
rm -rf "$out/.npm-cache"
[[ -s $out/attnrank-$version.tgz ]] || { echo "build-package.sh: npm pack wrote no $out/attnrank-$version.tgz" >&2; exit 1; }
echo "build-package.sh: $out/attnrank-$version.tgz ($(du -k "$out/attnrank-$version.tgz" | cut -f1) KB)," \
  "$out/attnrank-dist-$version.tar.gz ($(du -k "$out/attnrank-dist-$version.tar.gz" | cut -f1) KB)"
