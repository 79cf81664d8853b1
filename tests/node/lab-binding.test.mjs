// The training lab through the shipped wasm module (src/bindings/lab_binding.cpp) against the native CLI
// (`attnrank train`, ATTNRANK_CLI or build/native/attnrank): the default configuration with steps = 4 gives
// the pinned weights of tests/native/test_lab_pinned_run.cpp, the same saved run byte for byte (weights,
// AdamW moments, step) and the same JSONL records (keys at every level; training numbers exactly; the rank
// statistics of the probe's attention within the accuracy floor, or 1e-9 relative: the matrices are the
// same bits, but the SVD is Eigen's, vectorised differently natively and in wasm, so 80 of the 304 head
// values of the default run's two records differ in their last bits, seen up to 9.4e-10 relative in kappa
// with a tiny sigma_min; the integers, flags and every training number are identical); bad input is refused with the CLI's message,
// code and param; a run over the memory budget is refused before it allocates; stop keeps the last
// checkpoint; save/load continue bit for bit. The corpus is the build's (ATTNRANK_CORPUS or
// build/native/corpus/austen.txt); the corpus tests skip when it is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import { compareRecord } from './lab-compare.mjs';
import { loadAttnrank, root } from './load-wasm.mjs';

const cliPath = process.env.ATTNRANK_CLI ? path.resolve(process.env.ATTNRANK_CLI) : path.join(root, 'build', 'native', 'attnrank');
const corpusPath = process.env.ATTNRANK_CORPUS ? path.resolve(process.env.ATTNRANK_CORPUS)
  : path.join(path.dirname(cliPath), 'corpus', 'austen.txt');
const hasCorpus = existsSync(corpusPath);
const noCorpus = hasCorpus ? false : `no corpus at ${corpusPath} (Debian's r-cran-janeaustenr, extracted at configure time)`;

// tests/native/test_lab_pinned_run.cpp's kDefaultRunWeightsHash: `attnrank train --steps 4`.
const kDefaultRunWeightsHash = 79502139182707104n;

// A small copy run (no corpus): strings of 2..6 over 6 symbols, n = 13.
const kCopy = { task: 'copy', n: 13, width: 16, heads: 2, layers: 2, symbols: 6, min_length: 2, max_length: 6, batch: 4,
  steps: 12, checkpoint_every: 4, heldout_batches: 1, masks: 'prefix', seed: 3 };

let attnrank;
before(async () => {
  attnrank = await loadAttnrank();
  if (hasCorpus) attnrank.lab_set_corpus(readFileSync(corpusPath));
});

function runCli(args) {
  assert.ok(existsSync(cliPath), `${cliPath} is missing: build natively (cmake -S . -B build/native)`);
  return spawnSync(cliPath, ['train', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

// FNV-1a 64 over bytes (tests/native/test_lab_pinned_run.cpp's weights_hash).
function fnv1a(bytes) {
  let hash = 0xcbf29ce484222325n;
  for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash;
}

// The weights inside Trainer::save()'s bytes: after the header and three u64, P floats, then m and v.
function weightsOfSave(bytes, parameters) {
  return bytes.subarray(bytes.length - 12 * parameters, bytes.length - 8 * parameters);
}

function train(config, steps = config.steps) {
  const started = attnrank.lab_start(config);
  attnrank.lab_advance(started.id, steps);
  return started;
}

describe('the default configuration, natively and in wasm', { skip: noCorpus }, () => {
  test('pinned weights after 4 steps, the same saved run and the same records as attnrank train', () => {
    const started = train({ steps: 4 });
    assert.deepEqual([started.step, started.steps, started.parameters > 0], [0, 4, true]);
    const saved = attnrank.lab_save(started.id);
    const hash = fnv1a(weightsOfSave(saved, started.parameters));
    assert.equal(hash, kDefaultRunWeightsHash, `hash ${hash}`);

    const scratch = mkdtempSync(path.join(tmpdir(), 'attnrank-lab-'));
    try {
      const savePath = path.join(scratch, 'run.bin');
      const done = runCli(['--steps', '4', '--quiet', '--corpus', corpusPath, '--save', savePath]);
      assert.equal(done.status, 0, done.stderr);
      assert.deepEqual(Buffer.from(saved), readFileSync(savePath), 'lab_save and attnrank train --save differ');
      const lines = done.stdout.trim().split('\n').map((line) => JSON.parse(line));
      const records = attnrank.lab_checkpoints(started.id, 0);
      assert.deepEqual(records.map((r) => r.step), lines.map((r) => r.step));
      records.forEach((record, index) => compareRecord(record, lines[index], `record ${index}`));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
      attnrank.lab_destroy(started.id);
    }
  });
});

test('a copy run: records and saved bytes equal to the CLI with the same options', () => {
  const started = train(kCopy);
  const records = attnrank.lab_checkpoints(started.id, 0);
  const args = Object.entries(kCopy).flatMap(([key, value]) => [`--${key.replaceAll('_', '-')}`, String(value)]);
  const done = runCli([...args, '--quiet']);
  assert.equal(done.status, 0, done.stderr);
  const lines = done.stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(records.map((r) => r.step), [0, 4, 8, 12]);
  records.forEach((record, index) => compareRecord(record, lines[index], `record ${index}`));
  attnrank.lab_destroy(started.id);
});

test('the probe attention at the last checkpoint: every layer and head, rows summing to 1', () => {
  const started = train(kCopy, 5);
  const { step, n, tokens, heads } = attnrank.lab_attention(started.id);
  assert.deepEqual([step, n, tokens.length, heads.length], [4, 13, 13, 4]);
  for (const head of heads) {
    assert.equal(head.pattern, 'prefix');
    assert.equal(head.matrix.length, n * n);
    for (let i = 0; i < n; ++i) {
      const row = head.matrix.subarray(i * n, (i + 1) * n).reduce((sum, x) => sum + x, 0);
      assert.ok(Math.abs(row - 1) < 1e-5, `row ${i} sums to ${row}`);
    }
  }
  attnrank.lab_destroy(started.id);
});

test('stop keeps the last checkpoint; save and load continue bit for bit', () => {
  const whole = train(kCopy);
  const half = train(kCopy, 6);
  const state = attnrank.lab_stop(half.id);
  assert.equal(state.step, 6);
  assert.equal(state.is_done, true);
  const kept = attnrank.lab_checkpoints(half.id, 0);
  assert.ok(kept.length >= 2 && kept.at(-1).step >= 4, 'the checkpoints before the stop are kept');
  // A stopped run does not step on: lab_advance says so (a named error), and the run is unchanged.
  assert.throws(() => attnrank.lab_advance(half.id, 5), {
    code: 'invalid_argument', param: 'id',
    message: `id=${half.id} was stopped at step 6 of ${state.steps} (lab_stop): it takes no more steps; lab_load a saved state into it to go on`,
  });
  assert.deepEqual(attnrank.lab_checkpoints(half.id, 0), kept);

  const bytes = attnrank.lab_save(half.id);
  const resumed = attnrank.lab_start(kCopy);
  assert.equal(attnrank.lab_load(resumed.id, bytes).step, 6);
  attnrank.lab_advance(resumed.id, 100);
  assert.deepEqual(attnrank.lab_save(resumed.id), attnrank.lab_save(whole.id));
  for (const run of [whole, half, resumed]) assert.equal(attnrank.lab_destroy(run.id), true);
  assert.equal(attnrank.lab_destroy(whole.id), false);
});

describe('bad input: the CLI\'s message, code and param', () => {
  // [config, the same as CLI options, param]
  const cases = [
    [{ task: 'sorting' }, ['--task', 'sorting'], 'task'],
    [{ ...kCopy, width: 16, heads: 3 }, null, 'heads'],
    [{ ...kCopy, steps: 0 }, null, 'steps'],
    [{ ...kCopy, steps: 20000000 }, null, 'steps'],
    [{ ...kCopy, learning_rate: -1 }, null, 'learning_rate'],
    [{ ...kCopy, masks: 'sideways' }, null, 'masks'],
    [{ ...kCopy, masks: 'forward/backward/window' }, null, 'masks'],
    [{ ...kCopy, attention: 'quadratic' }, null, 'attention'],
    [{ ...kCopy, n: 9 }, null, 'n'],
    [{ ...kCopy, positions: 'rotary' }, null, 'positions'],
    [{ ...kCopy, prefix: 14 }, null, 'prefix'],
    // The train request's own ranges where a name is shared with the analyses (param_ranges.h).
    [{ ...kCopy, n: 1 }, null, 'n'],
    [{ ...kCopy, layers: 257 }, null, 'layers'],
    [{ ...kCopy, seed: -1 }, null, 'seed'],
  ];
  for (const [config, given, param] of cases) {
    test(JSON.stringify(config), () => {
      const args = given ?? Object.entries(config).flatMap(([key, value]) => [`--${key.replaceAll('_', '-')}`, String(value)]);
      const done = runCli([...args, '--quiet', '--corpus', '/nonexistent']);
      assert.equal(done.status, 2, done.stderr);
      const cliMessage = done.stderr.trim().replace(/^attnrank: /, '');
      assert.throws(() => attnrank.lab_start(config), (error) => {
        assert.equal(error.message, cliMessage);
        assert.equal(error.code, 'invalid_argument');
        assert.equal(error.param, param);
        return true;
      });
    });
  }

  test('wrong types and unknown keys are named', () => {
    assert.throws(() => attnrank.lab_start({ ...kCopy, steps: '4' }),
      { code: 'invalid_argument', param: 'steps', message: 'steps="4" must be an integer number (got string)' });
    assert.throws(() => attnrank.lab_start({ ...kCopy, steps: 2.5 }),
      { code: 'invalid_argument', param: 'steps', message: 'steps=2.5 must be an integer' });
    assert.throws(() => attnrank.lab_start({ ...kCopy, sideways: 1 }), { code: 'invalid_argument', message: /config key "sideways" is unknown/ });
    assert.throws(() => attnrank.lab_advance(12345, 1), { code: 'invalid_argument', param: 'id' });
    const started = attnrank.lab_start(kCopy);
    assert.throws(() => attnrank.lab_advance(started.id, 0),
      { code: 'invalid_argument', param: 'steps', message: 'steps=0 must be in [1, 10000000]' });
    assert.throws(() => attnrank.lab_load(started.id, new Uint8Array([1, 2, 3])), { code: 'invalid_file', param: 'load' });
    attnrank.lab_destroy(started.id);
  });
});

test('a run over the memory budget is refused before it allocates', () => {
  attnrank.lab_destroy(attnrank.lab_start(kCopy).id);  // warm up embind's first-call allocations
  const before = attnrank.memory_usage();
  assert.throws(() => attnrank.lab_start({ task: 'copy', n: 2048, batch: 64 }), (error) => {
    assert.equal(error.code, 'too_large');
    assert.equal(error.param, 'batch');
    assert.match(error.message, /^train needs ~\d+ MiB, over the memory budget of 1024 MiB \(.*\): lower batch, n or layers$/);
    return true;
  });
  assert.throws(() => attnrank.lab_start({ ...kCopy, memory_budget_mib: 1, n: 256, max_length: 100 }), { code: 'too_large' });
  const after = attnrank.memory_usage();
  assert.equal(after.heap_bytes, before.heap_bytes, 'the wasm memory grew');
  assert.equal(after.max_footprint, before.max_footprint, 'the allocator reached further than before');
});

test('a corpus task without a corpus names the Debian package', async () => {
  const fresh = await loadAttnrank();
  assert.throws(() => fresh.lab_start({ task: 'mlm' }), (error) => {
    assert.equal(error.code, 'invalid_argument');
    assert.equal(error.param, 'corpus');
    assert.match(error.message, /r-cran-janeaustenr.*lab_set_corpus/);
    return true;
  });
});
