// Loads the shipped wasm module (web/wasm/, built by build-wasm.sh) in node, as design.md section 4
// says: the ES6 factory with the .wasm bytes passed in. Shared by the node tests; not a test itself.
// ATTNRANK_WASM_DIR points the tests at another build's module (attnrank.mjs + attnrank.wasm).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const wasmDir = process.env.ATTNRANK_WASM_DIR ? path.resolve(process.env.ATTNRANK_WASM_DIR) : path.join(root, 'web', 'wasm');

export async function loadAttnrank() {
  const modulePath = path.join(wasmDir, 'attnrank.mjs');
  assert.ok(existsSync(modulePath), `${modulePath} is missing: run ./build-wasm.sh`);
  const { default: createAttnrank } = await import(pathToFileURL(modulePath).href);
  return createAttnrank({ wasmBinary: await readFile(path.join(wasmDir, 'attnrank.wasm')) });
}
