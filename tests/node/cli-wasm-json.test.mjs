// The native CLI's --json against the wasm module's result, command by command (issue 13, item 3):
// stats, sweep, collapse, mixture, arch, permutation and claims, a few configurations each, and the
// description of them all (schema). Both sides write the keys of one definition
// (src/core/include/attnrank/io/result_fields.h); this test holds them to it. Keys are compared exactly
// at every level of every object (the wasm-only extras a config asks for, matrices and masks, are not
// requested). Values: strings, booleans, null and integers exactly; floats as described at
// compareNumber. Needs build/native/attnrank and web/wasm (build-wasm.sh).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import { loadAttnrank, root } from './load-wasm.mjs';

const cliPath = process.env.ATTNRANK_CLI ? path.resolve(process.env.ATTNRANK_CLI) : path.join(root, 'build', 'native', 'attnrank');
let attnrank;

before(async () => {
  attnrank = await loadAttnrank();
});

function runCli(args) {
  assert.ok(existsSync(cliPath), `${cliPath} is missing: build natively (cmake -S . -B build/native)`);
  const done = spawnSync(cliPath, [...args, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(done.status, 0, `attnrank ${args.join(' ')} --json failed: ${done.stderr}`);
  return JSON.parse(done.stdout);
}

// Typed arrays (Float64Array, Int32Array) are plain arrays in the CLI's JSON.
function plain(value) {
  return ArrayBuffer.isView(value) ? Array.from(value) : value;
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// Floats: NOT bit-identical, measured. Native (g++, x86-64 SSE2) and wasm (clang, wasm SIMD) run the same
// C++ with -ffp-contract=off on the same seeded bits, and every input (Q, K, seeds, configuration) and
// every integer, boolean and string agrees exactly; but Eigen's GEMM/GEMV and the SVD's blocked kernels
// are vectorised differently, so most computed floats differ in their last bits (e.g. 13 of 82 numbers of
// `stats --pattern forward --n 64 --d 8 --seed 7` are identical: the configuration and the integers).
// Seen (native vs wasm): singular values within 2e-14 absolute in f64 (4e-7 in f32), effective and
// stable rank 3e-15 relative (f64; 1.4e-7 at f32), collapse metrics 7e-13 relative or 4.4e-13 absolute at
// rounding level, deviations 4e-16. So:
//  - in a rank-statistics object (one with `accuracy_floor`): singular values, sigma_max, sigma_min and
//    the floor itself within the floor (s_1 n eps, the accuracy of the method: "equal where above the
//    floor"; at or below it both sides are noise and only "<= floor" is claimed, which sigma_min now says);
//    the other floats within n eps relative;
//  - condition_number (anywhere, facts included): through 1 / kappa = s_n / s_1, within n eps absolute;
//  - log_abs_det and det_sign: only when log_abs_det_is_reliable (otherwise its diagonal is rounding noise
//    and even the sign differs: seen in mixture's product), then within n eps kappa (its conditioning);
//  - every other float: within kRelative[precision] relative, or kAbsolute for values at rounding level.
const kEpsilon = { f64: 2 ** -52, f32: 2 ** -23 };
const kRelative = { f64: 1e-9, f32: 1e-5 };
const kAbsolute = 1e-11;

function closeRelative(a, b, tolerance) {
  return a === b || Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
}

function compareNumber(cli, wasm, where, key, parent, context) {
  context.counts.numbers += 1;
  if (Object.is(cli, wasm)) {
    context.counts.identical += 1;
    return;
  }
  context.differences.push({ where, cli, wasm });
  const { precision } = context;  // of the request; mixture, collapse and permutation work in f64
  const message = `${where}: cli ${cli} vs wasm ${wasm} (${precision})`;
  assert.ok(Number.isFinite(cli) && Number.isFinite(wasm), message);
  const holder = parent.object ?? {};
  const n = holder.singular_values?.length ?? 64;
  const nEps = n * kEpsilon[precision];
  const isUnreliableDet = holder.log_abs_det_is_reliable === false && (key === 'det_sign' || key === 'log_abs_det');
  if (isUnreliableDet) return;
  assert.ok(!context.integerKeys.has(key), `${where}: integers differ (cli ${cli}, wasm ${wasm})`);
  if (key === 'condition_number' || holder.key === 'condition_number') {
    assert.ok(Math.abs(1 / cli - 1 / wasm) <= nEps, message);
    return;
  }
  if (holder.accuracy_floor !== undefined) {
    const floor = Math.max(holder.accuracy_floor, parent.other.accuracy_floor);
    if (['singular_values', 'sigma_max', 'sigma_min', 'accuracy_floor'].includes(key)) {
      assert.ok(Math.abs(cli - wasm) <= floor, `${message}, floor ${floor}`);
    } else if (key === 'log_abs_det') {
      assert.ok(closeRelative(cli, wasm, nEps) || Math.abs(cli - wasm) <= nEps * holder.condition_number, message);
    } else {
      assert.ok(closeRelative(cli, wasm, nEps), message);
    }
    return;
  }
  assert.ok(closeRelative(cli, wasm, kRelative[precision]) || Math.abs(cli - wasm) <= kAbsolute, message);
}

// Same keys at every level; values as above. `parent` is the object holding the value (for its floor).
function compareTree(cli, wasm, where, context, key = '', parent = {}) {
  wasm = plain(wasm);
  if (isObject(cli)) {
    assert.ok(isObject(wasm), `${where}: an object natively, ${typeof wasm} in wasm`);
    assert.deepEqual(Object.keys(wasm).sort(), Object.keys(cli).sort(), `${where}: keys`);
    const wasmPlain = Object.fromEntries(Object.entries(wasm).map(([k, v]) => [k, plain(v)]));
    for (const name of Object.keys(cli)) {
      compareTree(cli[name], wasmPlain[name], `${where}.${name}`, context, name, { object: cli, other: wasmPlain });
    }
  } else if (Array.isArray(cli)) {
    assert.ok(Array.isArray(wasm), `${where}: an array natively, not in wasm`);
    assert.equal(wasm.length, cli.length, `${where}: length`);
    cli.forEach((item, i) => compareTree(item, wasm[i], `${where}[${i}]`, context, key, parent));
  } else if (key === 'value' && isObject(parent.object) && 'format' in parent.object) {
    // A claim fact: compare as the quantity it names (condition_number through 1 / kappa, ...).
    if (typeof cli === 'number' && typeof wasm === 'number') {
      compareNumber(cli, wasm, where, parent.object.key, parent, context);
    } else {
      assert.equal(wasm, cli, where);
    }
  } else if (typeof cli === 'number' && typeof wasm === 'number') {
    compareNumber(cli, wasm, where, key, parent, context);
  } else {
    assert.equal(wasm, cli, `${where}`);  // strings, booleans, null (numerical_rank_f64 at f32, log_abs_det)
  }
}

// Keys whose values are integers by definition: any difference is a failure, whatever the float policy.
const kIntegerKeys = new Set(['n', 'd', 'seed', 'prefix', 'window', 'repeat', 'features', 'feature_dimension',
  'numerical_rank_f64', 'numerical_rank_f32', 'energy_rank_99', 'det_sign', 'logits_rank', 'numerical_rank',
  'head', 'd_model', 'heads', 'd_head', 'd_k', 'd_ff', 'layers', 'vocab', 'n_in', 'n_out', 'parameters',
  'embedding_parameters', 'layer_parameters', 'permutation']);

function newContext(precision = 'f64') {
  return { precision, integerKeys: kIntegerKeys, counts: { numbers: 0, identical: 0 }, differences: [] };
}

// Prints how many floats were bit-identical (visible with --test-reporter=spec); ATTNRANK_SURVEY=1
// prints the differing ones.
function report(label, context) {
  const { numbers, identical } = context.counts;
  test.diagnostic?.(`${label}: ${identical} of ${numbers} numbers bit-identical`);
  if (process.env.ATTNRANK_SURVEY) {
    console.log(`${label}: ${identical}/${numbers} identical`);
    for (const d of context.differences.slice(0, 20)) console.log(`  ${d.where}: cli ${d.cli} wasm ${d.wasm}`);
  }
  return context;
}

// --flag value pairs of a config object (keys mirror the flags: snake_case -> kebab-case).
function flags(config) {
  const args = [];
  for (const [key, value] of Object.entries(config)) {
    if (value === true) args.push(`--${key.replaceAll('_', '-')}`);
    else args.push(`--${key.replaceAll('_', '-')}`, String(value));
  }
  return args;
}

describe('stats --json == analyze()', () => {
  const configs = [
    { pattern: 'forward', n: 64, d: 8, seed: 7 },
    { pattern: 'forward', n: 64, d: 8, seed: 7, precision: 'f32' },  // issue 13's case: null f64 rank
    { pattern: 'prefix', prefix: 20, n: 48, d: 6, seed: 1, scale: 0.5 },
    { pattern: 'window', window: 5, n: 40, d: 6, seed: 9, scale: 2, rope: true },
    { pattern: 'bidirectional', n: 64, d: 8, seed: 7, kind: 'linear', feature: 'elu1' },
    { pattern: 'backward', n: 30, d: 4, seed: 8, kind: 'linear', feature: 'favor', features: 12, precision: 'f32' },
    { pattern: 'bidirectional', n: 1, d: 1 },
  ];
  for (const config of configs) {
    test(`stats ${flags(config).join(' ')}`, () => {
      const context = newContext(config.precision);
      compareTree(runCli(['stats', ...flags(config)]), attnrank.analyze(config), 'stats', context);
      report(`stats ${JSON.stringify(config)}`, context);
    });
  }
});

describe('sweep --json: each row == analyze()', () => {
  for (const precision of ['f64', 'f32']) {
    test(`sweep over scale, ${precision}`, () => {
      const base = { n: 32, d: 4, seed: 3, precision };
      const cli = runCli(['sweep', '--over', 'scale', '--values', '0.5,4', '--patterns', 'forward,prefix,bidirectional',
        ...flags(base)]);
      assert.deepEqual(Object.keys(cli).sort(), ['over', 'results', 'values']);
      const context = newContext(precision);
      let row = 0;
      for (const scale of [0.5, 4]) {
        for (const pattern of ['forward', 'prefix', 'bidirectional']) {
          compareTree(cli.results[row], attnrank.analyze({ ...base, pattern, scale }), `sweep.results[${row}]`, context);
          row += 1;
        }
      }
      assert.equal(cli.results.length, row);
      report(`sweep ${precision}`, context);
    });
  }
});

describe('collapse --json: each run == collapse()', () => {
  const cases = [
    { patterns: ['bidirectional', 'forward_backward', 'window'], variants: ['pure', 'skip+mlp+layernorm'],
      config: { n: 24, d_model: 8, layers: 6, seed: 2 } },
    { patterns: ['prefix'], variants: ['skip'], config: { n: 20, d_model: 6, d_k: 4, layers: 4, scale: 2, seed: 5, prefix: 7 } },
  ];
  for (const { patterns, variants, config } of cases) {
    test(`collapse ${patterns.join(',')} x ${variants.join(',')}`, () => {
      const cli = runCli(['collapse', '--patterns', patterns.join(','), '--variants', variants.join(','), ...flags(config)]);
      assert.deepEqual(Object.keys(cli).sort(),
        ['d_ff', 'd_k', 'd_model', 'layers', 'n', 'prefix', 'runs', 'scale', 'seed', 'window']);
      const context = newContext();
      let index = 0;
      for (const pattern of patterns) {
        for (const variant of variants) {
          compareTree(cli.runs[index], attnrank.collapse({ ...config, pattern, variant }), `collapse.runs[${index}]`, context);
          index += 1;
        }
      }
      report(`collapse ${patterns}`, context);
    });
  }
});

describe('mixture --json == mixture()', () => {
  for (const config of [{ n: 32, d_model: 16, heads: 4, seed: 3 }, { n: 48, d_model: 8, heads: 2, scale: 4, seed: 1 }]) {
    test(`mixture ${flags(config).join(' ')}`, () => {
      const cli = runCli(['mixture', ...flags(config)]);
      const wasm = attnrank.mixture(config);
      // Issue 13: per-head stats had 9 keys natively and 13 in wasm.
      assert.equal(Object.keys(cli.per_head[0].stats).length, Object.keys(wasm.per_head[0].stats).length);
      const context = newContext();
      compareTree(cli, wasm, 'mixture', context);
      report(`mixture ${JSON.stringify(config)}`, context);
    });
  }
});

describe('arch --json == architectures()', () => {
  for (const config of [{}, { d_model: 256, layers: 4, heads: 4, d_ff: 1024, vocab: 1000, n_in: 2048, n_out: 64 }]) {
    test(`arch ${flags(config).join(' ')}`, () => {
      const context = newContext();
      compareTree(runCli(['arch', ...flags(config)]), attnrank.architectures(config), 'arch', context);
      report(`arch ${JSON.stringify(config)}`, context);
      assert.equal(context.counts.identical, context.counts.numbers, 'integer arithmetic: bit-identical');
    });
  }
});

describe('permutation --json: each result == permutation()', () => {
  const cases = [
    { patterns: ['bidirectional', 'forward', 'prefix', 'window'], config: { n: 32, d_model: 8, seed: 5 } },
    { patterns: ['backward', 'forward_window', 'prefix'], config: { n: 24, d_model: 4, scale: 3, seed: 2, prefix: 7, window: 3 } },
  ];
  for (const { patterns, config } of cases) {
    test(`permutation ${patterns.join(',')}`, () => {
      const cli = runCli(['permutation', '--patterns', patterns.join(','), ...flags(config)]);
      assert.deepEqual(Object.keys(cli).sort(), ['d_model', 'n', 'results', 'scale', 'seed']);
      const context = newContext();
      patterns.forEach((pattern, i) => {
        compareTree(cli.results[i], attnrank.permutation({ ...config, pattern }), `permutation.results[${i}]`, context);
      });
      report(`permutation ${patterns}`, context);
    });
  }
});

describe('claims --json == claims()', () => {
  const configs = [
    { n: 32, d: 4, seed: 7 },
    { n: 64, d: 8, seed: 7, precision: 'f32' },
    { n: 24, d: 8, seed: 2, scale: 4 },
  ];
  for (const config of configs) {
    test(`claims ${flags(config).join(' ')}`, () => {
      const context = newContext(config.precision);
      const cli = runCli(['claims', ...flags(config)]);
      compareTree(cli, attnrank.claims(config), 'claims', context);
      report(`claims ${JSON.stringify(config)}`, context);
      if (config.precision === 'f32') {
        // Issue 13: no f64 rank is a fact of an f32 run.
        for (const claim of cli.claims) {
          assert.ok(!claim.verdict.facts.some((f) => f.key === 'numerical_rank_f64'), `${claim.id} lists numerical_rank_f64 at f32`);
        }
      }
    });
  }
});

describe('schema --json == result_fields()', () => {
  test('schema: the description of every result, from the same tables', () => {
    assert.deepEqual(attnrank.result_fields(), runCli(['schema']));
  });
});
