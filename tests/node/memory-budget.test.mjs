// The memory budget through the shipped wasm module (memory_estimate.h, config key memory_budget_mib):
// a request over its budget is refused with code too_large and a message naming estimate, budget and
// advice, before it allocates (the wasm memory and the allocator's high-water mark do not move); the
// next normal request works; a request over the DEFAULT budget is refused the same way. Leaves out: the
// estimate's accuracy (docs/memory.md, bench/memory-peak.mjs).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadAttnrank } from './load-wasm.mjs';

let attnrank;
before(async () => {
  attnrank = await loadAttnrank();
  attnrank.analyze({ n: 16 });  // warm up: embind's first-call allocations are not the request's
});

function refusal(method, config) {
  const before = attnrank.memory_usage();
  let thrown = null;
  try {
    attnrank[method](config);
  } catch (error) {
    thrown = error;
  }
  const after = attnrank.memory_usage();
  assert.ok(thrown instanceof Error, 'expected an Error');
  assert.equal(after.heap_bytes, before.heap_bytes, 'the wasm memory grew');
  assert.equal(after.max_footprint, before.max_footprint, 'the allocator reached further than before');
  return thrown;
}

test('a request over a small budget is refused before allocating, and the next request works', () => {
  const error = refusal('analyze', { pattern: 'forward', n: 2048, memory_budget_mib: 64 });
  assert.equal(error.code, 'too_large');
  assert.equal(error.message, 'n=2048, d=8 (softmax, f64) needs ~73 MiB, over the memory budget of 64 MiB: lower n');
  const result = attnrank.analyze({ pattern: 'forward', n: 64 });
  assert.equal(result.n, 64);
  assert.ok(result.singular_values.every(Number.isFinite));
});

test('a request over the default budget (1024 MiB) is refused without touching the heap', () => {
  assert.equal(attnrank.memory_usage().default_budget_mib, 1024);
  const error = refusal('mixture', { n: 4096, d_model: 64, heads: 32, want_matrices: true });
  assert.equal(error.code, 'too_large');
  assert.match(error.message, /^mixture n=4096, d_model=64, heads=32 with the matrices needs ~\d+ MiB, over the memory budget of 1024 MiB: lower n, or leave out the matrices$/);
  assert.equal(attnrank.mixture({ n: 8, d_model: 8, heads: 2 }).heads, 2);
});

test('collapse is refused over its budget with its own advice', () => {
  const error = refusal('collapse', { n: 1024, d_model: 8, layers: 2, variant: 'mlp', memory_budget_mib: 8 });
  assert.equal(error.code, 'too_large');
  assert.match(error.message, /^collapse n=1024, d_model=8, d_ff=32 needs ~\d+ MiB, over the memory budget of 8 MiB: lower n, d_model or d_ff$/);
});

test('memory_budget_mib is validated like every other key', () => {
  for (const [value, message] of [[0, 'memory_budget_mib=0 must be in [1, 1048576]'],
    [2.5, 'memory_budget_mib=2.5 must be an integer'],
    ['64', 'memory_budget_mib="64" must be an integer number (got string)']]) {
    assert.throws(() => attnrank.analyze({ n: 8, memory_budget_mib: value }), { code: 'invalid_argument', message });
  }
});
