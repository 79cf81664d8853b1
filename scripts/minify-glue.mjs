// Minifies an Emscripten ES module glue (build-wasm.sh runs it on each module's .mjs before it goes into web/wasm/):
// esbuild renames the glue's local names and drops its whitespace, nothing else (the same transform scripts/bundle.mjs
// gives the bundled modules): 41,356 -> 22,275 bytes, 11,108 -> 8,357 gzip -9 for the first module's glue
// (2026-12-07). Emscripten's -O3 link only strips whitespace; its Closure pass needs Java and is not used. The glue
// reads the module's exports and its own settings by string keys, which minification leaves alone; every node test
// that loads a module, and every browser test, runs the minified glue.
//   node scripts/minify-glue.mjs IN.mjs OUT.mjs
import { readFile, writeFile } from 'node:fs/promises';

import { transform } from 'esbuild';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node scripts/minify-glue.mjs IN.mjs OUT.mjs');
  process.exit(2);
}
const { code } = await transform(await readFile(input, 'utf8'), { minify: true, format: 'esm', target: 'es2020', legalComments: 'none' });
await writeFile(output, code);
