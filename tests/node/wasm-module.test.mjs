// node --test on the shipped wasm artifact (web/wasm/attnrank.mjs + .wasm, built by build-wasm.sh):
// the result schema (docs/result-schema.md) for every pattern, softmax and linear, f64 and f32; the
// returned matrix (rows sum to 1, masked entries exactly 0, a copy that survives heap growth); equality
// with the native CLI's --json for the same configuration; errors as JS Errors with the core's message
// and code, without leaking handles or stack. Needs build/native/attnrank for the CLI comparisons.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadAttnrank } from './load-wasm.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cliPath = path.join(root, 'build', 'native', 'attnrank');

// Tolerances of the native-vs-wasm comparison (same algorithms, different SIMD paths and so different
// rounding). f64: singular values within 1e-12 sigma_max, other statistics within 1e-9 relative (seen:
// ~1e-15). f32: both within n * 2^-23 (the single-precision SVD's own accuracy; seen: ~4e-7).
const kTolerances = {
  f64: () => ({ singularValue: 1e-12, relative: 1e-9 }),
  f32: (n) => ({ singularValue: n * 2 ** -23, relative: n * 2 ** -23 }),
};
const kRowSumTolerance = { f64: 1e-12, f32: 1e-5 };

const patternNames = ['bidirectional', 'prefix', 'forward', 'backward', 'window', 'forward_window', 'custom'];
const integerKeys = ['prefix', 'window', 'features', 'feature_dimension', 'n', 'd', 'seed', 'repeat',
  'numerical_rank_f64', 'numerical_rank_f32', 'energy_rank_99', 'det_sign', 'logits_rank'];
const numberKeys = ['scale', 'effective_rank', 'stable_rank', 'sigma_max', 'sigma_min', 'accuracy_floor',
  'condition_number'];
const booleanKeys = ['rope', 'condition_number_is_lower_bound', 'log_abs_det_is_reliable',
  'structurally_full_rank', 'sigma_min_is_upper_bound'];
const stringKeys = ['pattern', 'kind', 'feature', 'input', 'precision'];

let attnrank;

before(async () => {
  attnrank = await loadAttnrank();
});

// The defining predicate of each pattern (design.md section 2): a naive oracle for the tests.
function isAllowed(result, i, j) {
  switch (result.pattern) {
    case 'bidirectional': return true;
    case 'prefix': return j < result.prefix || j <= i;
    case 'forward': return j <= i;
    case 'backward': return j >= i;
    case 'window': return Math.abs(i - j) < result.window;
    case 'forward_window': return i - j >= 0 && i - j < result.window;
    default: throw new Error(`no oracle for pattern ${result.pattern}`);
  }
}

function customMask(n, allowed) {
  const mask = new Uint8Array(n * n);
  for (let i = 0; i < n; ++i) for (let j = 0; j < n; ++j) mask[i * n + j] = allowed(i, j) ? 1 : 0;
  return mask;
}

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
function cliArguments(config) {
  const args = ['stats'];
  for (const [key, value] of Object.entries(config)) {
    if (key === 'rope') {
      if (value) args.push('--rope');
    } else {
      args.push(`--${key}`, String(value));
    }
  }
  args.push('--json');
  return args;
}

function runCli(args) {
  assert.ok(existsSync(cliPath), `${cliPath} is missing: build natively (cmake -S . -B build/native)`);
  const run = spawnSync(cliPath, args, { encoding: 'utf8' });
  assert.equal(run.status, 0, `attnrank ${args.join(' ')} failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

function closeRelative(a, b, tolerance) {
  return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b)) || a === b;
}

// Integers and strings equal; floats within the precision's tolerances. Quantities that are only as
// accurate as the smallest singular value are compared through it: sigma_min absolutely (like every
// singular value), the condition number through its reciprocal sigma_min / sigma_max, and log |det|
// within its conditioning (n * tolerance * condition). The determinant of a numerically singular,
// non-triangular matrix is rounding noise (its sign can differ), so it is compared only when the core
// flags it reliable (log_abs_det_is_reliable, itself compared exactly).
function assertSameAsCli(wasm, cli, label) {
  const wasmKeys = Object.keys(wasm).filter((key) => key !== 'matrix' && key !== 'mask').sort();
  assert.deepEqual(wasmKeys, Object.keys(cli).sort(), `${label}: keys`);
  const tolerance = kTolerances[cli.precision](cli.n);
  const absolute = tolerance.singularValue * Math.max(wasm.sigma_max, cli.sigma_max);
  for (const key of wasmKeys) {
    const a = wasm[key];
    const b = cli[key];
    const message = `${label}: ${key} wasm ${a} vs native ${b}`;
    if (key === 'singular_values') {
      assert.equal(a.length, b.length);
      for (let i = 0; i < a.length; ++i) {
        assert.ok(Math.abs(a[i] - b[i]) <= absolute, `${label}: s_${i} wasm ${a[i]} vs native ${b[i]}`);
      }
    } else if (key === 'sigma_min') {
      assert.ok(Math.abs(a - b) <= absolute, message);
    } else if (key === 'condition_number' && !cli.condition_number_is_lower_bound) {
      assert.ok(Math.abs(1 / a - 1 / b) <= tolerance.singularValue, message);
    } else if (key === 'det_sign' || key === 'log_abs_det') {
      if (!cli.log_abs_det_is_reliable) continue;
      if (key === 'det_sign' || a === null || b === null) {
        assert.equal(a, b, message);
      } else {
        const conditioning = cli.n * tolerance.singularValue * cli.condition_number;
        assert.ok(closeRelative(a, b, tolerance.relative) || Math.abs(a - b) <= conditioning, message);
      }
    } else if (typeof a === 'number' && !integerKeys.includes(key)) {
      assert.ok(closeRelative(a, b, tolerance.relative), message);
    } else {
      assert.equal(a, b, `${label}: ${key}`);
    }
  }
}

describe('same numbers as the native CLI', () => {
  const configs = [
    { pattern: 'forward', n: 64, d: 8, seed: 7 },
    { pattern: 'prefix', prefix: 20, n: 64, d: 8, seed: 7 },
    { pattern: 'prefix', n: 33, d: 5, seed: 1 },  // default prefix n / 2
    { pattern: 'backward', n: 48, d: 4, seed: 3 },
    { pattern: 'bidirectional', n: 64, d: 8, seed: 7, scale: 0.25 },
    { pattern: 'window', window: 5, n: 50, d: 6, seed: 9, scale: 2, rope: true },
    { pattern: 'forward_window', n: 40, d: 8, seed: 4, repeat: 10 },
    { pattern: 'bidirectional', n: 64, d: 8, seed: 7, kind: 'linear', feature: 'elu1' },
    { pattern: 'forward', n: 64, d: 8, seed: 7, kind: 'linear', feature: 'elu1' },
    { pattern: 'prefix', n: 30, d: 4, seed: 8, kind: 'linear', feature: 'favor', features: 12 },
    { pattern: 'forward', n: 64, d: 8, seed: 7, precision: 'f32' },
    { pattern: 'bidirectional', n: 48, d: 8, seed: 5, kind: 'linear', feature: 'exp', precision: 'f32' },
    { pattern: 'forward', n: 256, d: 16, seed: 4294967295, scale: 4 },
  ];
  for (const config of configs) {
    test(cliArguments(config).join(' '), () => {
      assertSameAsCli(attnrank.analyze(config), runCli(cliArguments(config)), JSON.stringify(config));
    });
  }

  // q, k through .npy files for the CLI and Float64Arrays for the module.
  function npyFloat64(array, rows, columns) {
    let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${rows}, ${columns}), }`;
    const unpadded = 10 + header.length + 1;
    header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
    const bytes = Buffer.alloc(10 + header.length + array.byteLength);
    bytes.write('\x93NUMPY', 0, 'latin1');
    bytes[6] = 1;
    bytes[7] = 0;
    bytes.writeUInt16LE(header.length, 8);
    bytes.write(header, 10, 'latin1');
    Buffer.from(array.buffer, array.byteOffset, array.byteLength).copy(bytes, 10 + header.length);
    return bytes;
  }

  let scratch;
  before(async () => { scratch = await mkdtemp(path.join(tmpdir(), 'attnrank-node-')); });
  after(async () => { if (scratch) await rm(scratch, { recursive: true, force: true }); });

  test('user-loaded q, k (Float64Array vs .npy)', async () => {
    const n = 20;
    const d = 3;
    const q = Float64Array.from({ length: n * d }, (_, index) => Math.sin(0.7 * index) * 1.5);
    const k = Float64Array.from({ length: n * d }, (_, index) => Math.cos(1.3 * index + 0.2));
    await writeFile(path.join(scratch, 'q.npy'), npyFloat64(q, n, d));
    await writeFile(path.join(scratch, 'k.npy'), npyFloat64(k, n, d));
    const cli = runCli(['stats', '--pattern', 'prefix', '--prefix', '7', '--q', path.join(scratch, 'q.npy'),
      '--k', path.join(scratch, 'k.npy'), '--json']);
    const wasm = attnrank.analyze({ pattern: 'prefix', prefix: 7, n, d, q, k });
    assert.equal(wasm.input, 'user');
    assertSameAsCli(wasm, cli, 'user q, k');
  });
});

describe('errors', () => {
  function expectError(config, code, pattern) {
    assert.throws(() => attnrank.analyze(config), (error) => {
      assert.ok(error instanceof Error, `a real Error, got ${error}`);
      assert.equal(error.code, code, `code of "${error.message}"`);
      assert.match(error.message, pattern);
      return true;
    });
  }

  test('core validation: messages name the parameter and value', () => {
    expectError({ pattern: 'prefix', prefix: 9, n: 8 }, 'invalid_argument', /prefix=9/);
    expectError({ pattern: 'diagonal' }, 'invalid_argument', /pattern=diagonal/);
    expectError({ n: 0 }, 'invalid_argument', /n=0/);
    expectError({ n: 4097 }, 'invalid_argument', /n=4097/);
    expectError({ d: 0 }, 'invalid_argument', /d=0/);
    expectError({ pattern: 'window', window: 0, n: 8 }, 'invalid_argument', /window=0/);
    expectError({ scale: Number.NaN }, 'invalid_argument', /scale=/);
    expectError({ scale: Infinity }, 'invalid_argument', /scale=/);
    expectError({ kind: 'quadratic' }, 'invalid_argument', /kind=quadratic/);
    expectError({ kind: 'linear', feature: 'tanh' }, 'invalid_argument', /tanh/);
    expectError({ precision: 'f16' }, 'invalid_argument', /precision=f16/);
    expectError({ kind: 'linear', scale: -1 }, 'invalid_argument', /scale=-1/);
    expectError({ seed: -1 }, 'invalid_argument', /seed=-1/);
    expectError({ seed: 4294967296 }, 'invalid_argument', /seed=4294967296/);
    expectError({ repeat: -2 }, 'invalid_argument', /repeat=-2/);
  });

  test('marshalling: unknown keys and wrong types', () => {
    expectError({ nn: 3 }, 'invalid_argument', /"nn"/);
    expectError({ n: 2.5 }, 'invalid_argument', /n=2\.5/);
    expectError({ n: '64' }, 'invalid_argument', /n="64".*integer/);
    expectError({ n: 1e300 }, 'invalid_argument', /n=1e\+300/);
    expectError({ pattern: 5 }, 'invalid_argument', /pattern=5.*string/);
    expectError({ rope: 1 }, 'invalid_argument', /rope=1.*boolean/);
    expectError({ want_matrix: 'yes' }, 'invalid_argument', /want_matrix/);
    expectError({ prefix: 2 ** 40, pattern: 'prefix' }, 'invalid_argument', /prefix=1099511627776/);
  });

  test('marshalling: q, k and custom_mask', () => {
    const q = new Float64Array(8 * 2);
    expectError({ n: 8, d: 2, q }, 'invalid_argument', /q and k/);
    expectError({ n: 8, d: 2, q, k: new Float64Array(15) }, 'invalid_argument', /k has 15 entries/);
    expectError({ n: 8, d: 2, q, k: Array.from(q) }, 'invalid_argument', /k must be a Float64Array/);
    expectError({ n: 8, d: 2, q, k: q, seed: 3 }, 'invalid_argument', /seed/);
    expectError({ q, k: q }, 'invalid_argument', /n and d/);
    const bad = Float64Array.from(q);
    bad[3] = Number.NaN;
    expectError({ n: 8, d: 2, q: bad, k: q }, 'invalid_argument', /q/);
    expectError({ pattern: 'custom', n: 4 }, 'invalid_argument', /custom_mask/);
    expectError({ pattern: 'custom', n: 4, custom_mask: new Uint8Array(15) }, 'invalid_argument', /custom_mask has 15/);
    expectError({ pattern: 'forward', n: 4, custom_mask: new Uint8Array(16) }, 'invalid_argument', /custom_mask/);
    const emptyRow = customMask(4, (i, j) => i !== 2 && j <= i);
    expectError({ pattern: 'custom', n: 4, custom_mask: emptyRow }, 'invalid_argument', /row 2 allows no key/);
    const notBinary = customMask(4, (i, j) => j <= i);
    notBinary[0] = 2;
    expectError({ pattern: 'custom', n: 4, custom_mask: notBinary }, 'invalid_argument', /\(0, 0\)=2/);
  });

  test('not an object', () => {
    for (const config of [null, undefined, 42, 'forward', [1, 2]]) {
      expectError(config, 'invalid_argument', /config must be a plain object/);
    }
  });

  test('errors leak neither JS handles nor wasm stack, and the module stays usable', async () => {
    const reference = attnrank.analyze({ pattern: 'forward', n: 16, d: 4, seed: 7 });
    const stackBefore = attnrank.stackSave();
    const handlesBefore = attnrank.count_emval_handles();
    for (let i = 0; i < 2000; ++i) {
      try {
        attnrank.analyze(i % 2 ? { pattern: 'prefix', prefix: 99, n: 8 } : { n: 'x' });
        assert.fail('expected an error');
      } catch (error) {
        assert.ok(error instanceof Error);
      }
    }
    await new Promise((resolve) => setImmediate(resolve));  // the stack is reset once the JS stack unwound
    assert.equal(attnrank.stackSave(), stackBefore, 'wasm stack pointer restored');
    assert.equal(attnrank.count_emval_handles(), handlesBefore, 'no emval handle leaked');
    assert.deepEqual(attnrank.analyze({ pattern: 'forward', n: 16, d: 4, seed: 7 }), reference);
  });
});
