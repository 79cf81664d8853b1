// Loads a shipped wasm module (web/wasm/, built by build-wasm.sh) in node, as design.md section 4 says: the ES6
// factory with the .wasm bytes passed in. Shared by the node tests; not a test itself. Three modules, linked from
// the same objects (CMakeLists.txt):
//   loadAttnrank()                    the lab module, attnrank-lab.{mjs,wasm}: every export (the figures' ones, the
//                                     training lab's runs, parameters, result_fields), so a test can call any
//   loadAttnrank('attnrank-figures')  the figures' module, attnrank-figures.{mjs,wasm}: every method the engine
//                                     worker (every figure, the explorer) serves
//   loadAttnrank('attnrank')          the first module, attnrank.{mjs,wasm}: analyze and the tables, what the engine
//                                     worker starts on (the figures' module is loaded on the first request it lacks)
// tests/node/wasm-modules.test.mjs checks that each answers as the lab module does, export by export.
// ATTNRANK_WASM_DIR points the tests at another build's modules.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const wasmDir = process.env.ATTNRANK_WASM_DIR ? path.resolve(process.env.ATTNRANK_WASM_DIR) : path.join(root, 'web', 'wasm');

// The module names (the files' base names in web/wasm/).
export const kLabModule = 'attnrank-lab';
export const kFiguresModule = 'attnrank-figures';
export const kFirstModule = 'attnrank';

export async function loadAttnrank(name = kLabModule) {
  assert.ok([kLabModule, kFiguresModule, kFirstModule].includes(name), `module=${name} is unknown`);
  const modulePath = path.join(wasmDir, `${name}.mjs`);
  assert.ok(existsSync(modulePath), `${modulePath} is missing: run ./build-wasm.sh`);
  const { default: createAttnrank } = await import(pathToFileURL(modulePath).href);
  return createAttnrank({ wasmBinary: await readFile(path.join(wasmDir, `${name}.wasm`)) });
}
