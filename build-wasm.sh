#!/usr/bin/env bash
# Builds the wasm modules into web/wasm/ (gitignored): attnrank.mjs + attnrank.wasm, the first module (the
# engine worker's first: analyze and the tables, what every post and the explorer need before their first
# figure), attnrank-figures.mjs + attnrank-figures.wasm, the figures' module (those and every other figure's
# request: the engine worker loads it on the first request the first module lacks), and attnrank-lab.mjs +
# attnrank-lab.wasm, the lab module (the same core with the training lab's runs and the core's tables: the lab
# worker's and the node tools'; CMakeLists.txt says which exports each has); with the lab's corpus, austen.txt, which the lab page fetches only for its corpus
# tasks; and the GoogleTest
# suite compiled to wasm (build/wasm/attnrank_tests.js, run by `ctest --test-dir build/wasm` under node).
#   bash build-wasm.sh            the module and the GoogleTest suite (scripts/test.sh)
#   bash build-wasm.sh --module   the three modules only: what the pages need (scripts/serve.sh)
# Idempotent: reconfigures only when build/wasm has no cache, rebuilds only what changed; a tree configured
# in another folder (a moved or copied clone) is cleared and configured again (scripts/build-tree.sh). The module is
# linked into build/wasm/module/, its glue minified (scripts/minify-glue.mjs: esbuild), and then moved into web/wasm/
# by rename, so a page or test that loads a module while a build runs gets the old pair or the new one, never a new
# glue beside an old or half-written .wasm.
# Env: JOBS (parallel compile jobs, default 2); ATTNRANK_WARNINGS_AS_ERRORS (ON or OFF; scripts/test.sh: ON),
# applied to an existing build tree too. Unset, a new tree gets OFF and an existing tree keeps its value, so
# serve.sh after test.sh does not flip the flag and recompile every object.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
cd "$root"
# shellcheck source=scripts/build-tree.sh
source "$root/scripts/build-tree.sh"

targets=()  # all
what='every target'
case ${1:-} in
  '') ;;
  --module) targets=(--target attnrank_wasm attnrank_figures_wasm attnrank_lab_wasm)
    what='the modules only (attnrank_wasm, attnrank_figures_wasm, attnrank_lab_wasm)' ;;
  *) echo "usage: bash build-wasm.sh [--module]" >&2; exit 2 ;;
esac

# Debian's emscripten needs its JS dependencies (acorn, ...) from the system node path.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
jobs=${JOBS:-2}
werror=${ATTNRANK_WARNINGS_AS_ERRORS:-}
build_dir=build/wasm
module_dir="$root/$build_dir/module"  # where the link writes
out_dir="$root/web/wasm"

for tool in emcmake em++ cmake node; do
  command -v "$tool" >/dev/null || { echo "build-wasm.sh: $tool not found (run scripts/install-deps.sh)" >&2; exit 1; }
done

mkdir -p build
recover_moved_build_tree "$build_dir" "$root" build-wasm.sh
if [[ ! -f $build_dir/CMakeCache.txt ]]; then
  echo "build-wasm.sh: configuring $build_dir"
  emcmake cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release \
    -DEigen3_DIR=/usr/share/eigen3/cmake \
    -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node -DATTNRANK_WARNINGS_AS_ERRORS="${werror:-OFF}" \
    -DATTNRANK_WASM_OUT_DIR="$module_dir" >"$build_dir.configure.log" 2>&1 \
    || { cat "$build_dir.configure.log" >&2; rm -f "$build_dir/CMakeCache.txt"; echo "build-wasm.sh: configure failed" >&2; exit 1; }
fi

# Trees configured before the module moved to build/wasm/module link straight into web/wasm: repoint them.
if ! grep -qx "ATTNRANK_WASM_OUT_DIR:UNINITIALIZED=$module_dir" "$build_dir/CMakeCache.txt" \
   && ! grep -qx "ATTNRANK_WASM_OUT_DIR:PATH=$module_dir" "$build_dir/CMakeCache.txt"; then
  cmake -DATTNRANK_WASM_OUT_DIR="$module_dir" "$build_dir" >>"$build_dir.configure.log" 2>&1 \
    || { echo "build-wasm.sh: reconfiguring $build_dir failed (see $build_dir.configure.log)" >&2; exit 1; }
fi

if [[ -n $werror ]] && ! grep -qx "ATTNRANK_WARNINGS_AS_ERRORS:BOOL=$werror" "$build_dir/CMakeCache.txt"; then
  cmake -DATTNRANK_WARNINGS_AS_ERRORS="$werror" "$build_dir" >>"$build_dir.configure.log" 2>&1 \
    || { echo "build-wasm.sh: reconfiguring $build_dir failed (see $build_dir.configure.log)" >&2; exit 1; }
fi

# The repo's package.json says "type": "module"; the GoogleTest runner emscripten writes
# (attnrank_tests.js) is CommonJS, so the build tree gets its own package.json saying so.
printf '{ "type": "commonjs" }\n' >"$build_dir/package.json"

echo "build-wasm.sh: building $what (-j$jobs)"
cmake --build "$build_dir" -j "$jobs" "${targets[@]}" >"$build_dir.build.log" 2>&1 \
  || { tail -n 80 "$build_dir.build.log" >&2; echo "build-wasm.sh: build failed (full log: $build_dir.build.log)" >&2; exit 1; }
grep -E 'warning:' "$build_dir.build.log" | sort -u | head -n 20 >&2 || true

modules=(attnrank.wasm attnrank.mjs attnrank-figures.wasm attnrank-figures.mjs attnrank-lab.wasm attnrank-lab.mjs)
for name in "${modules[@]}"; do
  artifact=$module_dir/$name
  [[ -s $artifact ]] || { echo "build-wasm.sh: missing $artifact" >&2; exit 1; }
done
# Each glue minified (scripts/minify-glue.mjs: esbuild from node_modules, which scripts/install-deps.sh installs)
# into a .min file beside it, which is what goes into web/wasm/ under the glue's name.
[[ -d $root/node_modules/esbuild ]] || { echo "build-wasm.sh: node_modules/esbuild is missing (run scripts/install-deps.sh)" >&2; exit 1; }
shipped=()
for name in "${modules[@]}"; do
  if [[ $name == *.mjs ]]; then
    node "$root/scripts/minify-glue.mjs" "$module_dir/$name" "$module_dir/${name%.mjs}.min.mjs" \
      || { echo "build-wasm.sh: minifying $name failed" >&2; exit 1; }
    shipped+=("${name%.mjs}.min.mjs:$name")
  else
    shipped+=("$name:$name")
  fi
done
# Copy beside the destination, then rename (atomic on one file system); unchanged files are left alone.
mkdir -p "$out_dir"
for pair in "${shipped[@]}"; do
  from=${pair%%:*}
  name=${pair#*:}
  if ! cmp -s "$module_dir/$from" "$out_dir/$name"; then
    cp "$module_dir/$from" "$out_dir/.$name.tmp"
    mv -f "$out_dir/.$name.tmp" "$out_dir/$name"
  fi
done
# The training lab's corpus (the file the configure step extracted, CMakeLists.txt: the same script and
# package as the native CLI's, so a corpus run in the browser gives `attnrank train`'s records). Absent when
# the Debian package could not be had: the lab page then says so for the corpus tasks.
corpus="$root/$build_dir/corpus/austen.txt"
if [[ -s $corpus ]]; then
  if ! cmp -s "$corpus" "$out_dir/austen.txt"; then
    cp "$corpus" "$out_dir/.austen.txt.tmp"
    mv -f "$out_dir/.austen.txt.tmp" "$out_dir/austen.txt"
  fi
else
  echo "build-wasm.sh: no lab corpus at $corpus (scripts/austen_corpus.py needs r-cran-janeaustenr): the lab's corpus tasks will be unavailable in the page" >&2
fi
echo "build-wasm.sh: web/wasm/attnrank.wasm $(du -h "$out_dir/attnrank.wasm" | cut -f1), web/wasm/attnrank-figures.wasm $(du -h "$out_dir/attnrank-figures.wasm" | cut -f1), web/wasm/attnrank-lab.wasm $(du -h "$out_dir/attnrank-lab.wasm" | cut -f1) (and their .mjs glue)"
