// Soak: 10,000 seeded random requests, valid and invalid, through ONE wasm module instance: analyze
// (seeded or loaded q/k, custom masks, every pattern / kind / feature / precision), collapse, mixture,
// permutation, parse_npy on random and half-valid bytes, and requests over a tiny memory budget. Every
// error must be a real Error with a known code, every result's numbers finite; and from request 1,000 to
// the end the wasm memory must not grow by more than kHeapGrowthBound, the allocator's bytes in use must
// come back to their level (no leak per request), and the stack pointer must return to its base.
// Leaves out: large sizes (n <= 24 here; tests/node/memory-budget.test.mjs covers big refusals).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadAttnrank } from './load-wasm.mjs';
import { makeRandom } from './seeded-random.mjs';

const kRequests = 10000;
const kWarmup = 1000;
const kSeed = 20261129;
const kHeapGrowthBound = 0;             // bytes the wasm memory may grow after the warm-up
const kInUseBound = 64 * 1024;          // allocator bytes in use may differ by this (free-list bookkeeping)
const knownCodes = new Set(['invalid_argument', 'invalid_file', 'too_large', 'numerical_failure']);


const patterns = ['bidirectional', 'prefix', 'forward', 'backward', 'window', 'forward_window', 'custom'];
const depthPatterns = ['bidirectional', 'prefix', 'forward', 'backward', 'forward_backward', 'window', 'forward_window'];
const variants = ['pure', 'skip', 'mlp', 'layernorm', 'skip+mlp+layernorm'];
const scales = [0, 1e-300, 0.5, 1, 4, 30, -2, 1e300];
// Values that are wrong for some key: types, fractions, huge, non-finite, markup.
const hostileValues = [NaN, Infinity, -Infinity, -1, 0, 2.5, 1e9, 2 ** 53 + 1, '8', '<script>x</script>', null,
  true, {}, [], new Float64Array(3)];

function randomMatrix(random, length) {
  const out = new Float64Array(length);
  for (let i = 0; i < length; ++i) out[i] = random.next() * 4 - 2;
  if (random.chance(0.05)) out[random.int(0, length - 1)] = random.pick([NaN, Infinity]);
  return out;
}

function analyzeRequest(random) {
  const n = random.int(1, 24);
  const d = random.int(1, 8);
  const config = { pattern: random.pick(patterns), n, d, scale: random.pick(scales) };
  if (random.chance(0.3)) config.kind = 'linear';
  if (config.kind === 'linear') config.feature = random.pick(['elu1', 'relu', 'exp', 'favor']);
  if (config.feature === 'favor') config.features = random.int(1, 32);
  if (random.chance(0.3)) config.precision = 'f32';
  if (random.chance(0.2)) config.want_matrix = true;
  if (config.pattern === 'prefix') config.prefix = random.int(-1, n + 1);
  if (config.pattern === 'window' || config.pattern === 'forward_window') config.window = random.int(0, n + 1);
  if (config.pattern === 'custom') {
    const mask = new Uint8Array(n * n);
    for (let i = 0; i < mask.length; ++i) mask[i] = random.chance(0.6) ? 1 : 0;
    for (let i = 0; i < n; ++i) if (random.chance(0.9)) mask[i * n + i] = 1;  // sometimes an empty row
    config.custom_mask = mask;
  }
  if (random.chance(0.2)) {
    config.q = randomMatrix(random, n * d);
    config.k = randomMatrix(random, random.chance(0.9) ? n * d : n * d + 1);
  } else {
    config.seed = random.int(0, 2 ** 32 - 1);
    if (random.chance(0.2)) config.rope = true;
    if (random.chance(0.2)) config.repeat = random.int(0, n);
  }
  return ['analyze', config];
}

function collapseRequest(random) {
  const n = random.int(1, 16);
  const config = { pattern: random.pick(depthPatterns), variant: random.pick(variants), n, d_model: random.int(1, 8),
    layers: random.int(1, 4), scale: random.pick(scales), seed: random.int(0, 1000) };
  if (random.chance(0.3)) config.prefix = random.int(0, n);
  if (random.chance(0.3)) config.window = random.int(1, n);
  return ['collapse', config];
}

function mixtureRequest(random) {
  const heads = random.int(1, 8);
  return ['mixture', { n: random.int(1, 16), d_model: heads * random.int(1, 4), heads, scale: random.pick(scales),
    seed: random.int(0, 1000), want_matrices: random.chance(0.3) }];
}

function permutationRequest(random) {
  const n = random.int(1, 16);
  return ['permutation', { pattern: random.pick(patterns.slice(0, 6)), n, d_model: random.int(1, 8),
    scale: random.pick(scales), seed: random.int(0, 1000) }];
}

// Random bytes, or a real .npy header (magic, version, length, dict) with random damage and payload.
function npyBytes(random) {
  if (random.chance(0.3)) {
    const bytes = new Uint8Array(random.int(0, 64));
    for (let i = 0; i < bytes.length; ++i) bytes[i] = random.int(0, 255);
    return bytes;
  }
  const rows = random.int(0, 4);
  const cols = random.int(0, 4);
  const descr = random.pick(['<f8', '<f4', '>f8', '<i8', '|u1']);
  const order = random.pick(['False', 'True', 'Maybe']);
  const shape = random.pick([`(${rows}, ${cols})`, `(${rows},)`, `(${rows}, ${cols}, 2)`, '()', '(99999999999, 99999999999)']);
  const dict = `{'descr': '${descr}', 'fortran_order': ${order}, 'shape': ${shape}, }`.padEnd(118, ' ') + '\n';
  const header = new TextEncoder().encode(dict);
  const payload = random.int(0, rows * cols * 8 + 8);
  const bytes = new Uint8Array(10 + header.length + payload);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  bytes.set(header, 10);
  for (let i = 10 + header.length; i < bytes.length; ++i) bytes[i] = random.int(0, 255);
  for (let damage = random.int(0, 2); damage > 0; --damage) bytes[random.int(0, bytes.length - 1)] = random.int(0, 255);
  return bytes;
}

function makeRequest(random) {
  const roll = random.next();
  let request;
  if (roll < 0.45) request = analyzeRequest(random);
  else if (roll < 0.6) request = collapseRequest(random);
  else if (roll < 0.72) request = mixtureRequest(random);
  else if (roll < 0.8) request = permutationRequest(random);
  else if (roll < 0.9) return ['parse_npy', npyBytes(random)];
  else {
    // Over a tiny budget: big n, refused before allocating.
    const method = random.pick(['analyze', 'collapse', 'mixture', 'permutation']);
    return [method, { n: random.int(1500, 4096), memory_budget_mib: random.int(1, 16) }];
  }
  // A third of the structured requests get one hostile value or an unknown key.
  if (random.chance(0.33)) {
    const config = request[1];
    if (random.chance(0.1)) config[random.pick(['nn', '__proto__x', 'innerHTML'])] = 1;
    else config[random.pick(Object.keys(config))] = random.pick(hostileValues);
  }
  return request;
}

function assertFiniteResult(value, where) {
  if (typeof value === 'number') assert.ok(Number.isFinite(value), `${where}=${value}`);
  else if (value === null) {
    // null only where the schema allows it: log_abs_det (det_sign 0), numerical_rank_f64 (f32 pipeline).
    assert.ok(where.endsWith('log_abs_det') || where.endsWith('numerical_rank_f64'), `${where} is null`);
  }
  else if (ArrayBuffer.isView(value) || Array.isArray(value)) value.forEach((v, i) => assertFiniteResult(v, `${where}[${i}]`));
  else if (typeof value === 'object') for (const [key, v] of Object.entries(value)) assertFiniteResult(v, `${where}.${key}`);
}

test(`soak: ${kRequests} random requests through one module instance (seed ${kSeed})`, async (t) => {
  const attnrank = await loadAttnrank();
  const random = makeRandom(kSeed);
  const counts = { ok: 0 };
  let atWarmup = null;
  for (let index = 0; index < kRequests; ++index) {
    if (index === kWarmup) atWarmup = attnrank.memory_usage();
    const [method, argument] = makeRequest(random);
    try {
      const result = method === 'parse_npy' ? attnrank.parse_npy(argument, 'soak.npy') : attnrank[method](argument);
      assertFiniteResult(result, `request ${index} (${method})`);
      counts.ok += 1;
    } catch (error) {
      if (error instanceof assert.AssertionError) throw error;
      assert.ok(error instanceof Error, `request ${index} (${method}) threw a non-Error: ${error}`);
      assert.ok(knownCodes.has(error.code), `request ${index} (${method}): code ${error.code}: ${error.message}`);
      counts[error.code] = (counts[error.code] ?? 0) + 1;
    }
    // Errors move the stack pointer back in a microtask (bindings.cpp): let it run.
    await null;
  }
  await null;
  const atEnd = attnrank.memory_usage();
  t.diagnostic(`heap ${atWarmup.heap_bytes} -> ${atEnd.heap_bytes} bytes; in use ${atWarmup.in_use} -> ${atEnd.in_use}; ` +
    `stack pointer ${atWarmup.stack_pointer} -> ${atEnd.stack_pointer}; outcomes ${JSON.stringify(counts)}`);
  assert.ok(atEnd.heap_bytes - atWarmup.heap_bytes <= kHeapGrowthBound,
    `heap grew ${atWarmup.heap_bytes} -> ${atEnd.heap_bytes}`);
  assert.ok(Math.abs(atEnd.in_use - atWarmup.in_use) <= kInUseBound, `in use ${atWarmup.in_use} -> ${atEnd.in_use}`);
  assert.equal(atEnd.stack_pointer, atWarmup.stack_pointer);
  // Both kinds of outcome were exercised in quantity.
  assert.ok(counts.ok > 2000, JSON.stringify(counts));
  for (const code of knownCodes) assert.ok((counts[code] ?? 0) > 20, `${code}: ${JSON.stringify(counts)}`);
});
