// web/engine/wasm-instance.mjs transferables(): the buffers the engine and lab workers transfer with an answer.
// Every typed array of the answer, nested ones too, each buffer once; posted with them (structuredClone with
// the same transfer list, as postMessage does), the answer arrives whole and the worker's copies are detached,
// so they were moved, not copied. Checked on plain values and on the figures' module's mixture answer with its
// head matrices (nested in a list: before, the engine worker cloned them).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { transferables } from '../../web/engine/wasm-instance.mjs';
import { kFiguresModule, loadAttnrank } from './load-wasm.mjs';

const typedArrays = (value, found = []) => {
  if (ArrayBuffer.isView(value)) found.push(value);
  else if (value && typeof value === 'object') for (const entry of Object.values(value)) typedArrays(entry, found);
  return found;
};

test('transferables: every typed array at any depth, each buffer once; nothing else', () => {
  const top = new Float64Array([1, 2]);
  const inList = new Uint8Array([3]);
  const deep = new Int32Array([4, 5]);
  const shared = new Float64Array(4);
  const value = { top, n: 3, name: 'x', none: null, list: [inList, { stats: { deep } }, 7],
    twice: [shared, shared.subarray(1, 3)] };
  const found = transferables(value);
  assert.deepEqual([...found].sort((a, b) => a.byteLength - b.byteLength),
    [inList.buffer, deep.buffer, top.buffer, shared.buffer].sort((a, b) => a.byteLength - b.byteLength));
  assert.equal(found.size, 4, 'one buffer two views share is listed once (postMessage refuses a buffer twice)');
  assert.deepEqual([...transferables(top)], [top.buffer], 'a typed array itself (write_npy, parse_npy)');
  for (const plain of [null, undefined, 3, 'text', true, [], {}, [1, [2]]]) assert.equal(transferables(plain).size, 0);
});

test('a mixture answer with its head matrices, posted with its transferables, arrives whole and moved', async () => {
  const figures = await loadAttnrank(kFiguresModule);
  const config = { n: 12, d: 4, heads: 4, seed: 3, want_matrices: true };
  const answer = figures.mixture(config);
  const expected = figures.mixture(config);
  const arrays = typedArrays(answer);
  assert.ok(answer.head_matrices.length === 4 && ArrayBuffer.isView(answer.head_matrices[0]), 'nested in a list');
  assert.ok(arrays.length >= 4 + 4 + 2 + 4, `typed arrays in the answer: ${arrays.length}`);
  const received = structuredClone(answer, { transfer: [...transferables(answer)] });
  assert.deepEqual(received, expected, 'the same values as an answer never posted');
  for (const array of arrays) assert.equal(array.buffer.byteLength, 0, 'moved: the sender\'s copy is detached');
});
