// Estimate vs measured peak memory of requests in the wasm module (docs/memory.md): for each request, a
// fresh module instance, then the allocator's bytes in use before the call and its highest footprint
// after it (memory_usage(): mallinfo; this dlmalloc never trims, so the footprint is the high-water
// mark, fragmentation included). The estimate is the core's own (memory_estimate.h), read from the
// message of the same request refused at a 1 MiB budget. Prints a markdown table. Not a test: no
// threshold here (tests/native/test_memory_estimate.cpp and tests/node/memory-budget.test.mjs assert).
// Usage: node bench/memory-peak.mjs   (needs web/wasm from build-wasm.sh; ~1-2 minutes)
import { loadAttnrank } from '../tests/node/load-wasm.mjs';

const kMiB = 1024 * 1024;

function seededArray(length, seed) {
  const out = new Float64Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; ++i) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 32 - 0.5;
  }
  return out;
}

const requests = [
  ['analyze', { pattern: 'forward', n: 256 }],
  ['analyze', { pattern: 'forward', n: 512 }],
  ['analyze', { pattern: 'forward', n: 1024 }],
  ['analyze', { pattern: 'forward', n: 2048 }],
  ['analyze', { pattern: 'bidirectional', n: 2048 }],
  ['analyze', { pattern: 'forward', n: 1024, precision: 'f32' }],
  ['analyze', { pattern: 'forward', n: 2048, precision: 'f32' }],
  ['analyze', { pattern: 'bidirectional', n: 2048, precision: 'f32' }],
  ['analyze', { pattern: 'window', n: 2048 }],
  ['analyze', { pattern: 'forward', n: 1024, want_matrix: true }],
  ['analyze', { pattern: 'forward', n: 1024, precision: 'f32', want_matrix: true }],
  ['analyze', { pattern: 'forward', n: 512, d: 1024 }],
  ['analyze', { pattern: 'prefix', n: 1024, d: 64, q: seededArray(1024 * 64, 1), k: seededArray(1024 * 64, 2) }],
  ['analyze', { pattern: 'bidirectional', n: 2048, kind: 'linear' }],
  ['analyze', { pattern: 'bidirectional', n: 2048, kind: 'linear', feature: 'favor', features: 256 }],
  ['analyze', { pattern: 'forward', n: 1024, kind: 'linear' }],
  ['analyze', { pattern: 'forward', n: 1024, kind: 'linear', precision: 'f32' }],
  ['analyze', { pattern: 'prefix', n: 1024, kind: 'linear', precision: 'f32', want_matrix: true }],
  ['collapse', { pattern: 'forward', n: 512, d_model: 64, layers: 2 }],
  ['collapse', { pattern: 'forward', n: 1024, d_model: 8, layers: 2 }],
  ['collapse', { pattern: 'forward', n: 512, d_model: 64, layers: 2, variant: 'skip+mlp+layernorm' }],
  ['mixture', { n: 512, d_model: 64, heads: 4 }],
  ['mixture', { n: 1024, d_model: 64, heads: 4 }],
  ['mixture', { n: 512, d_model: 64, heads: 8, want_matrices: true }],
];

function describe(method, config) {
  const shown = Object.entries(config).map(([key, value]) => (ArrayBuffer.isView(value) ? `${key}=loaded` : `${key}=${value}`));
  return `${method} ${shown.join(' ')}`;
}

console.log('| request | estimate MiB | measured MiB | estimate / measured |');
console.log('|---|---:|---:|---:|');
for (const [method, config] of requests) {
  const attnrank = await loadAttnrank();
  let estimate = NaN;
  try {
    attnrank[method]({ ...config, memory_budget_mib: 1 });
  } catch (error) {
    estimate = Number(/needs ~(\d+) MiB/.exec(error.message)?.[1]);
  }
  const before = attnrank.memory_usage();
  attnrank[method](config);
  const after = attnrank.memory_usage();
  const measured = (after.max_footprint - before.in_use) / kMiB;
  console.log(`| ${describe(method, config)} | ${estimate} | ${measured.toFixed(1)} | ${(estimate / measured).toFixed(2)} |`);
}
