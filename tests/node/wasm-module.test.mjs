// node --test on the shipped wasm artifact (web/wasm/attnrank.mjs + .wasm, built by build-wasm.sh):
// the result schema (docs/result-schema.md) for every pattern, softmax and linear, f64 and f32; the
// returned matrix (rows sum to 1, masked entries exactly 0, a copy that survives heap growth);
// limits() and the name lists beside `attnrank limits`. The same numbers as the CLI: wasm-cli-parity.test.mjs;
// errors: wasm-errors.test.mjs. Needs build/native/attnrank for the limits comparison.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { before, describe, test } from 'node:test';

import { kFiguresModule, loadAttnrank } from './load-wasm.mjs';
import { cliPath, patternNames, integerKeys, numberKeys, booleanKeys, stringKeys, isAllowed, customMask } from './wasm-oracles.mjs';

const kRowSumTolerance = { f64: 1e-12, f32: 1e-5 };

let attnrank;

before(async () => {
  attnrank = await loadAttnrank(kFiguresModule);  // the figures' module (the engine worker's)
});

function expectedKeys(config, result) {
  const keys = ['pattern', 'kind', 'feature_dimension', 'n', 'd', 'input', 'scale', 'precision',
    'singular_values', 'numerical_rank_f64', 'numerical_rank_f32', 'effective_rank', 'stable_rank',
    'energy_rank_99', 'sigma_max', 'sigma_min', 'sigma_min_is_upper_bound', 'accuracy_floor',
    'condition_number', 'condition_number_is_lower_bound',
    'log_abs_det', 'det_sign', 'log_abs_det_is_reliable', 'structurally_full_rank', 'logits_rank'];
  if (result.pattern === 'prefix') keys.push('prefix');
  if (result.pattern === 'window' || result.pattern === 'forward_window') keys.push('window');
  if (result.kind === 'linear') keys.push('feature');
  if (result.feature === 'favor') keys.push('features');
  if (!config.q) keys.push('seed', 'rope', 'repeat');
  if (config.want_matrix) keys.push('matrix', 'mask');
  return keys.sort();
}

function checkSchema(config, result) {
  assert.deepEqual(Object.keys(result).sort(), expectedKeys(config, result));
  // numerical_rank_f64 is null exactly when the pipeline ran in f32 (issue 13).
  assert.equal(result.numerical_rank_f64 === null, (config.precision ?? 'f64') === 'f32', 'numerical_rank_f64 null at f32');
  for (const key of integerKeys) {
    if (key in result && result[key] !== null) assert.ok(Number.isInteger(result[key]), `${key}=${result[key]}`);
  }
  for (const key of numberKeys) assert.ok(Number.isFinite(result[key]), `${key}=${result[key]}`);
  for (const key of booleanKeys) if (key in result) assert.equal(typeof result[key], 'boolean', key);
  for (const key of stringKeys) if (key in result) assert.equal(typeof result[key], 'string', key);
  assert.equal(result.pattern, config.pattern ?? 'bidirectional');
  assert.equal(result.kind, config.kind ?? 'softmax');
  assert.equal(result.precision, config.precision ?? 'f64');
  assert.ok([-1, 0, 1].includes(result.det_sign));
  if (result.det_sign === 0) assert.equal(result.log_abs_det, null);
  else assert.ok(Number.isFinite(result.log_abs_det));

  const { n } = result;
  const values = result.singular_values;
  assert.ok(values instanceof Float64Array, 'singular_values is a Float64Array');
  assert.equal(values.length, n);
  assert.notEqual(values.buffer, attnrank.HEAPF64.buffer, 'singular_values is a copy, not a heap view');
  for (let i = 0; i < n; ++i) {
    assert.ok(Number.isFinite(values[i]) && values[i] >= 0, `s_${i}=${values[i]}`);
    if (i > 0) assert.ok(values[i] <= values[i - 1], `singular values descend at ${i}`);
  }
  assert.equal(result.sigma_max, values[0]);
  const eps = result.precision === 'f32' ? 2 ** -23 : 2 ** -52;
  assert.equal(result.accuracy_floor, values[0] * n * eps);  // the same product, in the same order
  assert.equal(result.sigma_min_is_upper_bound, values[n - 1] <= result.accuracy_floor);
  assert.equal(result.sigma_min, result.sigma_min_is_upper_bound ? result.accuracy_floor : values[n - 1]);
  if (result.numerical_rank_f64 !== null) {
    assert.ok(result.numerical_rank_f32 <= result.numerical_rank_f64 && result.numerical_rank_f64 <= n);
  }
  assert.ok(result.numerical_rank_f32 <= n);
  assert.ok(result.logits_rank <= Math.min(n, result.d));
}

function checkMatrix(config, result) {
  const { n, matrix } = result;
  assert.ok(matrix instanceof Float64Array, 'matrix is a Float64Array');
  assert.equal(matrix.length, n * n);
  assert.notEqual(matrix.buffer, attnrank.HEAPF64.buffer, 'matrix is a copy, not a heap view');
  const allowed = config.custom_mask ? (i, j) => config.custom_mask[i * n + j] === 1 : (i, j) => isAllowed(result, i, j);
  assert.ok(result.mask instanceof Uint8Array, 'mask is a Uint8Array');
  assert.equal(result.mask.length, n * n);
  for (let i = 0; i < n; ++i) {
    let sum = 0;
    for (let j = 0; j < n; ++j) {
      assert.equal(result.mask[i * n + j], allowed(i, j) ? 1 : 0, `mask[${i}][${j}] follows the pattern`);
      const a = matrix[i * n + j];
      if (allowed(i, j)) {
        assert.ok(Number.isFinite(a) && a >= 0, `A[${i}][${j}]=${a}`);
        sum += a;
      } else {
        assert.equal(a, 0, `masked A[${i}][${j}] is exactly 0`);
      }
    }
    assert.ok(Math.abs(sum - 1) <= kRowSumTolerance[result.precision] * n, `row ${i} sums to ${sum}`);
  }
}

describe('result schema and matrix', () => {
  const configs = [];
  for (const pattern of patternNames.filter((name) => name !== 'custom')) {
    configs.push({ pattern, n: 24, d: 4, seed: 11, want_matrix: true });
    configs.push({ pattern, n: 24, d: 4, seed: 11, kind: 'linear', want_matrix: true });
    configs.push({ pattern, n: 24, d: 4, seed: 11, precision: 'f32', want_matrix: true });
  }
  configs.push({ pattern: 'prefix', prefix: 5, n: 16, d: 3, seed: 2, scale: 3, rope: true, want_matrix: true });
  configs.push({ pattern: 'window', window: 3, n: 16, d: 8, seed: 2, repeat: 4, want_matrix: true });
  configs.push({ pattern: 'forward', n: 40, d: 8, seed: 5, kind: 'linear', feature: 'exp', want_matrix: true });
  configs.push({ pattern: 'bidirectional', n: 40, d: 8, seed: 5, kind: 'linear', feature: 'favor', features: 16 });
  configs.push({ pattern: 'forward', n: 40, d: 8, seed: 5, kind: 'linear', precision: 'f32', want_matrix: true });
  configs.push({ pattern: 'forward', n: 1, d: 1, seed: 0, want_matrix: true });
  configs.push({});  // every default

  for (const config of configs) {
    test(JSON.stringify(config), () => {
      const result = attnrank.analyze(config);
      checkSchema(config, result);
      if (config.want_matrix) checkMatrix(config, result);
    });
  }

  test('relu feature map: a result, or a numerical_failure naming the row', () => {
    for (let seed = 0; seed < 8; ++seed) {
      const config = { pattern: 'forward', n: 32, d: 4, seed, kind: 'linear', feature: 'relu', want_matrix: true };
      try {
        const result = attnrank.analyze(config);
        checkSchema(config, result);
        checkMatrix(config, result);
      } catch (error) {
        assert.ok(error instanceof Error);
        assert.equal(error.code, 'numerical_failure', error.message);
        assert.match(error.message, /row/);
      }
    }
  });

  test('the essay\'s contrasts: triangular masks are structurally full rank, bidirectional linear rank <= d', () => {
    assert.equal(attnrank.analyze({ pattern: 'forward', n: 64, d: 8, seed: 7 }).structurally_full_rank, true);
    assert.equal(attnrank.analyze({ pattern: 'backward', n: 64, d: 8, seed: 7 }).structurally_full_rank, true);
    assert.equal(attnrank.analyze({ pattern: 'bidirectional', n: 64, d: 8, seed: 7 }).structurally_full_rank, false);
    const linear = attnrank.analyze({ pattern: 'bidirectional', n: 64, d: 8, seed: 7, kind: 'linear' });
    assert.equal(linear.feature_dimension, 8);
    assert.ok(linear.numerical_rank_f64 <= 8, `rank ${linear.numerical_rank_f64}`);
  });

  test('custom mask equal to the forward mask gives the forward numbers exactly', () => {
    const n = 32;
    const forward = attnrank.analyze({ pattern: 'forward', n, d: 8, seed: 3, want_matrix: true });
    const config = { pattern: 'custom', n, d: 8, seed: 3, want_matrix: true, custom_mask: customMask(n, (i, j) => j <= i) };
    const custom = attnrank.analyze(config);
    assert.equal(custom.pattern, 'custom');
    checkMatrix(config, custom);
    assert.deepEqual(custom.matrix, forward.matrix);
    assert.deepEqual(custom.singular_values, forward.singular_values);
    assert.equal(custom.numerical_rank_f64, forward.numerical_rank_f64);
  });

  test('user q, k: row 1 of a forward softmax, by hand', () => {
    const n = 6;
    const d = 2;
    const q = Float64Array.from({ length: n * d }, (_, index) => Math.sin(index + 1));
    const k = Float64Array.from({ length: n * d }, (_, index) => Math.cos(2 * index + 1));
    const config = { pattern: 'forward', n, d, q, k, want_matrix: true };
    const result = attnrank.analyze(config);
    checkSchema(config, result);
    checkMatrix(config, result);
    assert.equal(result.input, 'user');
    // Row 1 of a forward softmax: weights of keys 0, 1 from the logits q_1 . k_j / sqrt(d).
    const logit = (i, j) => (q[i * d] * k[j * d] + q[i * d + 1] * k[j * d + 1]) / Math.sqrt(d);
    const expected = 1 / (1 + Math.exp(logit(1, 1) - logit(1, 0)));
    assert.ok(Math.abs(result.matrix[n] - expected) < 1e-14, `${result.matrix[n]} vs ${expected}`);
  });

  test('returned arrays survive heap growth (they are copies)', () => {
    const small = attnrank.analyze({ pattern: 'forward', n: 16, d: 4, seed: 1, want_matrix: true });
    const values = Array.from(small.singular_values);
    const entries = Array.from(small.matrix);
    const heapBefore = attnrank.HEAPU8.length;
    const big = attnrank.analyze({ pattern: 'forward', n: 1024, d: 4, seed: 1, want_matrix: true });
    assert.equal(big.matrix.length, 1024 * 1024);
    assert.ok(attnrank.HEAPU8.length > heapBefore, 'the heap grew');
    assert.deepEqual(Array.from(small.singular_values), values);
    assert.deepEqual(Array.from(small.matrix), entries);
  });
});

describe('limits and names', () => {
  test('limits() is the table of param_ranges.h (as `attnrank limits` prints it)', () => {
    const limits = attnrank.limits();
    assert.deepEqual(Object.keys(limits), ['n', 'd', 'features', 'seed', 'repeat', 'd_model', 'd_k', 'd_ff', 'layers', 'heads',
      'vocab', 'n_in', 'n_out']);
    assert.deepEqual(limits.n, { min: 1, max: 4096 });
    assert.deepEqual(limits.seed, { min: 0, max: 4294967295 });
    if (existsSync(cliPath)) {
      const lines = execFileSync(cliPath, ['limits'], { encoding: 'utf8' }).trim().split('\n');
      const table = Object.fromEntries(lines.map((line) => {
        const [name, min, max] = line.split(/\s+/);
        return [name, { min: Number(min), max: Number(max) }];
      }));
      assert.deepEqual(limits, table);
    }
  });

  test('pattern_names(), feature_map_names(), version()', () => {
    assert.deepEqual([...attnrank.pattern_names()].sort(), [...patternNames].sort());
    assert.deepEqual([...attnrank.feature_map_names()].sort(), ['elu1', 'exp', 'favor', 'relu']);
    assert.match(attnrank.version(), /\S/);
  });
});

// The CLI arguments of a config object (docs/result-schema.md: keys mirror the flags).
