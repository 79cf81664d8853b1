// The memory estimate is an upper bound in the wasm heap too (issue 16 item 7; natively:
// tests/native/test_memory_peak.cpp). Each request of a grid over the request kinds runs on a fresh module
// instance; its measured peak is the allocator's high-water mark after the call less its bytes in use
// before (memory_usage(): dlmalloc never trims, so the mark includes fragmentation, which is what decides
// whether the 2 GB heap suffices), and must not exceed the core's estimate, read from the message of the
// same request refused at a 1 MiB budget ("needs ~E MiB", E rounded up). Before the fix the estimate was
// below the peak for claims (0.54-0.64x), permutation (0.74-0.79x) and linear exp at d = 1024 (0.92x).
// And parse_npy checks a file's header against the budget before copying it into the heap (a 1 GB file
// grew the heap to 2 GB).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadAttnrank } from './load-wasm.mjs';

const kMiB = 1024 * 1024;

function estimateMiB(attnrank, method, config) {
  try {
    attnrank[method]({ ...config, memory_budget_mib: 1 });
  } catch (error) {
    assert.equal(error.code, 'too_large', error.message);
    const match = /needs ~(\d+) MiB/.exec(error.message);
    assert.ok(match, error.message);
    return Number(match[1]);
  }
  assert.fail(`${method} ${JSON.stringify(config)} was not refused at 1 MiB`);
}

const grid = [];
for (const n of [256, 512]) {
  grid.push(['analyze', { pattern: 'bidirectional', n, d: 8 }]);
  grid.push(['analyze', { pattern: 'forward', n, d: 64, precision: 'f32', want_matrix: true }]);
  for (const feature of ['elu1', 'exp', 'favor']) {
    grid.push(['analyze', { pattern: 'forward', kind: 'linear', feature, n, d: 1024, ...(feature === 'favor' ? { features: 1024 } : {}) }]);
  }
  grid.push(['analyze', { pattern: 'bidirectional', kind: 'linear', feature: 'exp', n, d: 1024 }]);
  for (const d_model of [8, 64, 512]) grid.push(['permutation', { pattern: 'forward', n, d_model }]);
  grid.push(['mixture', { n, d_model: 64, heads: 4 }]);
  grid.push(['collapse', { n, d_model: 16, layers: 2, variant: 'skip+mlp+layernorm' }]);
  for (const d of [8, 64]) grid.push(['claims', { pattern: 'forward', n, d }]);
  grid.push(['claims', { pattern: 'forward', n, d: 64, feature: 'exp' }]);
}

test(`the estimate bounds the measured wasm peak of ${grid.length} requests`, async (t) => {
  const rows = [];
  for (const [method, config] of grid) {
    const attnrank = await loadAttnrank();
    attnrank.analyze({ n: 4 });  // embind's first-call allocations are not the request's
    const estimate = estimateMiB(attnrank, method, config);
    const before = attnrank.memory_usage();
    attnrank[method](config);
    const after = attnrank.memory_usage();
    const measured = (after.max_footprint - before.in_use) / kMiB;
    rows.push(`${method} ${JSON.stringify(config)}: estimate ${estimate} MiB, measured ${measured.toFixed(1)} MiB, ` +
      `ratio ${(estimate / measured).toFixed(2)}`);
    assert.ok(measured <= estimate, `${method} ${JSON.stringify(config)}: measured ${measured.toFixed(2)} MiB > estimate ${estimate} MiB`);
  }
  t.diagnostic(rows.join('\n'));
});

// A float32 .npy of `count` numbers whose header is real and whose data are zeros.
function npyOf(rows, cols) {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`.padEnd(117, ' ') + '\n';
  const header = new TextEncoder().encode(dict);
  const bytes = new Uint8Array(10 + header.length + rows * cols * 4);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  bytes.set(header, 10);
  return bytes;
}

test('parse_npy refuses a file over the budget from its header, before copying it into the heap', async () => {
  const attnrank = await loadAttnrank();
  attnrank.parse_npy(npyOf(2, 2), 'warm.npy');
  const before = attnrank.memory_usage();
  const big = npyOf(60000000, 1);  // 240 MB of float32: with its doubles and the matrix ~1.1 GiB
  assert.throws(() => attnrank.parse_npy(big, 'q.npy'), {
    code: 'too_large', param: 'bytes',
    message: 'q.npy: 60000000 numbers need ~1203 MiB to read, over the memory budget of 1024 MiB: load a smaller file',
  });
  const after = attnrank.memory_usage();
  // The refusal itself allocates a little (its message, the exception): dlmalloc's footprint then grows by
  // a page or not, depending on the free space the earlier calls left (16224 against 12128 bytes in one
  // clone, equal in another). Copying the file would add its 240 MB.
  const kRefusalSlack = 1 * kMiB;
  assert.ok(after.heap_bytes - before.heap_bytes < kRefusalSlack, `the wasm memory grew by ${after.heap_bytes - before.heap_bytes} bytes`);
  assert.ok(after.max_footprint - before.max_footprint < kRefusalSlack,
    `the allocator reached ${after.max_footprint - before.max_footprint} bytes further than before`);
  const small = attnrank.parse_npy(npyOf(3, 2), 'k.npy');
  assert.equal(small.rows, 3);
  assert.equal(small.cols, 2);
});
