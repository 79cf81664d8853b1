// node --test on the shipped wasm artifact: the same numbers as the native CLI's --json for the same
// configuration, every pattern, softmax and linear, f64 and f32, and user-loaded q, k (Float64Array vs .npy).
// Needs build/native/attnrank.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { kFiguresModule, loadAttnrank } from './load-wasm.mjs';
import { cliPath, integerKeys } from './wasm-oracles.mjs';

// Tolerances of the native-vs-wasm comparison (same algorithms, different SIMD paths and so different
// rounding). f64: singular values within 1e-12 sigma_max, other statistics within 1e-9 relative (seen:
// ~1e-15). f32: both within n * 2^-23 (the single-precision SVD's own accuracy; seen: ~4e-7).
const kTolerances = {
  f64: () => ({ singularValue: 1e-12, relative: 1e-9 }),
  f32: (n) => ({ singularValue: n * 2 ** -23, relative: n * 2 ** -23 }),
};

let attnrank;

before(async () => {
  attnrank = await loadAttnrank(kFiguresModule);  // the figures' module (the engine worker's)
});

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
