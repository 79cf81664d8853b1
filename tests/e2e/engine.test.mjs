// Browser test of the engine pool (web/engine/engine-client.mjs + engine-worker.mjs) with real workers in
// Debian's Chromium (the harness page: engine-harness.mjs): ready, parallel requests, supersede, cancel of a
// long request with worker replacement, sweep progress, drop and background priority, core errors with their
// code, .npy through the worker. Timings are reported as diagnostics, never asserted beyond generous bounds.
// Timeouts: engine-timeouts.test.mjs; crashes with stand-in workers: engine-failures.test.mjs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { page, problems, useEngineHarness } from './engine-harness.mjs';

useEngineHarness();

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe('EnginePool with the real worker', () => {
  test('ready: one worker compiles the wasm, the others instantiate its module', { timeout: 60_000 }, async (t) => {
    const info = await page.evaluate(async () => {
      const started = performance.now();
      window.pool = new window.engineClient.EnginePool();
      await window.pool.ready;
      return { readyMs: performance.now() - started, size: window.pool.size, stats: window.pool.stats,
        cores: navigator.hardwareConcurrency };
    });
    assert.equal(info.size, Math.min(4, Math.max(2, info.cores)), 'default size from hardwareConcurrency');
    assert.equal(info.stats.workers.length, info.size);
    for (const worker of info.stats.workers) assert.ok(worker.loadMs > 0 && worker.readyMs >= worker.loadMs);
    assert.deepEqual(info.stats.workers.map((worker) => worker.compiled).sort(),
      [true, ...new Array(info.size - 1).fill(false)].sort(), 'exactly one worker compiled the wasm');
    t.diagnostic(`pool of ${info.size} ready in ${info.readyMs.toFixed(0)} ms; per worker load ms (c = compiled): ${
      info.stats.workers.map((w) => `${w.loadMs.toFixed(0)}${w.compiled ? 'c' : ''}`).join(', ')}`);
  });

  test('four analyze requests in parallel resolve (timed at n = 256 and 1024, d = 64)', { timeout: 120_000 }, async (t) => {
    const timings = await page.evaluate(async () => {
      const patterns = ['bidirectional', 'prefix', 'forward', 'backward'];
      const runAll = async (n, pool) => {
        const started = performance.now();
        const results = await Promise.all(patterns.map((pattern) =>
          pool.request(`pattern:${pattern}`, 'analyze', { pattern, n, d: 64, seed: 7, want_matrix: true })));
        return { ms: performance.now() - started, results: results.map((r) => ({ pattern: r.pattern, n: r.n,
          values: r.singular_values.length, matrix: r.matrix.length, rank: r.numerical_rank_f64 })) };
      };
      const out = { small: [], large: [] };
      for (let i = 0; i < 5; ++i) out.small.push(await runAll(256, window.pool));
      out.large.push(await runAll(1024, window.pool));
      // The same with four workers, whatever the core count.
      const four = new window.engineClient.EnginePool({ size: 4 });
      await four.ready;
      out.smallFour = [];
      for (let i = 0; i < 5; ++i) out.smallFour.push((await runAll(256, four)).ms);
      out.largeFour = (await runAll(1024, four)).ms;
      four.terminate();
      return out;
    });
    for (const run of [...timings.small, ...timings.large]) {
      assert.deepEqual(run.results.map((r) => r.pattern), ['bidirectional', 'prefix', 'forward', 'backward']);
      for (const result of run.results) {
        assert.equal(result.values, result.n);
        assert.equal(result.matrix, result.n * result.n);
      }
    }
    t.diagnostic(`4 patterns, default pool: n=256 median ${median(timings.small.map((r) => r.ms)).toFixed(0)} ms ` +
      `(runs ${timings.small.map((r) => r.ms.toFixed(0)).join(', ')}), n=1024 ${timings.large[0].ms.toFixed(0)} ms`);
    t.diagnostic(`4 patterns, pool of 4: n=256 median ${median(timings.smallFour).toFixed(0)} ms, ` +
      `n=1024 ${timings.largeFour.toFixed(0)} ms`);
  });

  test('a newer request on a slot supersedes the older one', { timeout: 60_000 }, async () => {
    const outcome = await page.evaluate(async () => {
      const { pool, settle } = window;
      const before = pool.stats.replacements;
      const older = settle(pool.request('s', 'analyze', { pattern: 'forward', n: 384, d: 16 }));
      const newer = settle(pool.request('s', 'analyze', { pattern: 'forward', n: 16, d: 4 }));
      const other = settle(pool.request('t', 'analyze', { pattern: 'backward', n: 16, d: 4 }));
      const results = { older: await older, newer: await newer, other: await other };
      await pool.ready;
      // Only the newest of a burst survives; queued ones never reach a worker.
      const burst = await Promise.all([8, 9, 10, 11, 12].map((n) => settle(pool.request('b', 'analyze', { n }))));
      return { ...results, burst, replacedBySupersede: pool.stats.replacements - before };
    });
    assert.equal(outcome.older.ok, false);
    assert.equal(outcome.older.code, 'superseded');
    assert.match(outcome.older.message, /slot "s" was superseded/);
    assert.equal(outcome.newer.ok, true);
    assert.equal(outcome.newer.value.n, 16);
    assert.equal(outcome.other.ok, true, 'another slot is not affected');
    assert.equal(outcome.replacedBySupersede, 0, 'an answer younger than cancelAfterMs is dropped, not killed');
    assert.deepEqual(outcome.burst.map((r) => r.ok ? r.value.n : r.code),
      ['superseded', 'superseded', 'superseded', 'superseded', 12]);
  });

  test('a superseded request running longer than cancelAfterMs has its worker replaced', { timeout: 60_000 }, async () => {
    const outcome = await page.evaluate(async () => {
      const { settle } = window;
      const pool = new window.engineClient.EnginePool({ size: 2, cancelAfterMs: 50 });
      await pool.ready;
      const older = settle(pool.request('s', 'analyze', { pattern: 'forward', n: 1536, d: 16 }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = performance.now();
      const newer = await settle(pool.request('s', 'analyze', { pattern: 'forward', n: 32, d: 4 }));
      const olderResult = await older;
      const elapsed = performance.now() - started;
      const replacements = pool.stats.replacements;
      await pool.ready;
      pool.terminate();
      return { older: olderResult, newer, elapsed, replacements };
    });
    assert.equal(outcome.older.code, 'superseded');
    assert.equal(outcome.newer.ok, true);
    assert.equal(outcome.replacements, 1, 'the long-running worker was terminated and replaced');
    assert.ok(outcome.elapsed < 1000, `the newer request did not wait for the older one (${outcome.elapsed} ms)`);
  });

  test('cancel of a long request (n = 2048) rejects quickly; the pool answers afterwards', { timeout: 120_000 }, async (t) => {
    const outcome = await page.evaluate(async () => {
      const { pool, settle } = window;
      const long = settle(pool.request('long', 'analyze', { pattern: 'forward', n: 2048, d: 64 }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const cancelledAt = performance.now();
      const hadWork = pool.cancel('long');
      const result = await long;
      const rejectedMs = performance.now() - cancelledAt;
      const answer = await settle(pool.call('analyze', { pattern: 'forward', n: 32, d: 4 }));
      const answerMs = performance.now() - cancelledAt;
      await pool.ready;
      const replacementReadyMs = performance.now() - cancelledAt;
      const again = await settle(Promise.all([1, 2, 3, 4].map((seed) => pool.call('analyze', { n: 64, seed }))));
      return { hadWork, result, rejectedMs, answer, answerMs, replacementReadyMs, again,
        noWork: pool.cancel('nothing'), replacements: pool.stats.replacements, worker: pool.stats.workers };
    });
    assert.equal(outcome.hadWork, true);
    assert.equal(outcome.noWork, false);
    assert.equal(outcome.result.ok, false);
    assert.equal(outcome.result.code, 'cancelled');
    assert.ok(outcome.rejectedMs < 50, `rejected ${outcome.rejectedMs} ms after cancel`);
    assert.equal(outcome.answer.ok, true, 'an idle worker answers at once');
    assert.equal(outcome.again.ok, true, 'every worker, the replacement included, answers');
    assert.ok(outcome.worker.filter((worker) => worker.compiled).length <= 1,
      'the replacement instantiated the module the pool already had instead of compiling its own');
    t.diagnostic(`cancel -> rejected ${outcome.rejectedMs.toFixed(1)} ms, -> next answer ${outcome.answerMs.toFixed(0)} ms, ` +
      `-> replacement worker ready ${outcome.replacementReadyMs.toFixed(0)} ms`);
  });

  test('a sweep reports progress monotonically up to total and keeps the order of configs', { timeout: 60_000 }, async () => {
    const outcome = await page.evaluate(async () => {
      const { pool } = window;
      const configs = [];
      for (const pattern of ['bidirectional', 'forward']) {
        for (const scale of [0.25, 0.5, 1, 2, 4, 8]) configs.push({ pattern, n: 96, d: 8, scale });
      }
      const progress = [];
      const results = await pool.sweep('sweep', configs, (done, total) => progress.push([done, total]));
      return { progress, results: results.map((r) => [r.pattern, r.scale]), configs: configs.map((c) => [c.pattern, c.scale]) };
    });
    assert.deepEqual(outcome.results, outcome.configs);
    const total = outcome.configs.length;
    assert.deepEqual(outcome.progress.map(([done]) => done), Array.from({ length: total + 1 }, (_, i) => i));
    assert.ok(outcome.progress.every(([, count]) => count === total));
  });

  test('a sweep can be cancelled, superseded, and fails on the first error (or keeps errors)', { timeout: 60_000 }, async () => {
    const outcome = await page.evaluate(async () => {
      const { pool, settle } = window;
      const configs = Array.from({ length: 10 }, (_, i) => ({ pattern: 'forward', n: 512, d: 16, seed: i }));
      const progress = [];
      const sweep = settle(pool.sweep('sw', configs, (done) => progress.push(done)));
      await new Promise((resolve) => setTimeout(resolve, 100));
      pool.cancel('sw');
      const cancelled = await sweep;
      const progressAtCancel = progress.length;
      await new Promise((resolve) => setTimeout(resolve, 300));
      const superseded = settle(pool.sweep('sw', configs));
      const newer = await settle(pool.request('sw', 'analyze', { n: 8 }));
      const bad = [{ n: 8 }, { n: 8, prefix: 99, pattern: 'prefix' }, { n: 9 }];
      const failed = await settle(pool.sweep('bad', bad));
      const kept = await settle(pool.sweep('bad', bad, () => {}, { keepErrors: true }));
      await pool.ready;
      return { cancelled, progressAfter: progress.length - progressAtCancel, superseded: await superseded, newer,
        failed, kept: kept.value.map((r) => (r instanceof Error ? `${r.code}:${r.index}` : r.n)) };
    });
    assert.equal(outcome.cancelled.code, 'cancelled');
    assert.equal(outcome.progressAfter, 0, 'no progress reported after cancel');
    assert.equal(outcome.superseded.code, 'superseded');
    assert.equal(outcome.newer.ok, true);
    assert.equal(outcome.failed.code, 'invalid_argument');
    assert.equal(outcome.failed.index, 1);
    assert.match(outcome.failed.message, /^prefix=99 exceeds n=8/);
    assert.deepEqual(outcome.kept, [8, 'invalid_argument:1', 9]);
  });

  test('drop(slot) supersedes queued work without running it; requests overtake background sweeps', { timeout: 60_000 }, async () => {
    const outcome = await page.evaluate(async () => {
      const { settle } = window;
      const pool = new window.engineClient.EnginePool({ size: 2 });
      await pool.ready;
      // Both workers busy with a background sweep; a request queued behind it runs before its other configs.
      const order = [];
      const configs = Array.from({ length: 8 }, (_, i) => ({ pattern: 'forward', n: 192, d: 16, seed: i }));
      const background = settle(pool.sweep('bg', configs, (done) => order.push(`bg${done}`)));
      const interactive = settle(pool.request('fg', 'analyze', { pattern: 'forward', n: 16, d: 4 })
        .then((value) => { order.push('fg'); return value; }));
      const fg = await interactive;
      const sweepDoneBeforeRequest = order.indexOf('fg') - 1;  // bg0 (the initial report) comes first
      // drop: the queued configs never reach a worker; running ones are not killed (younger than cancelAfterMs).
      const dropped = pool.drop('bg');
      const bg = await background;
      const queuedAfterDrop = pool.stats.queued;
      const nothing = pool.drop('bg');
      // An interactive-priority sweep runs ahead of a background one queued before it.
      const later = [];
      const slow = settle(pool.sweep('slow', configs.slice(0, 6), () => {}).then((value) => { later.push('slow'); return value; }));
      const quick = settle(pool.sweep('quick', [{ n: 8 }, { n: 9 }], () => {}, { priority: 'interactive' })
        .then((value) => { later.push('quick'); return value; }));
      const bad = await settle(pool.sweep('x', [{ n: 8 }], () => {}, { priority: 'urgent' }));
      const results = { quick: await quick, slow: await slow };
      const replacements = pool.stats.replacements;
      pool.terminate();
      return { fg, sweepDoneBeforeRequest, dropped, bg, queuedAfterDrop, nothing, later, results, bad, replacements };
    });
    assert.equal(outcome.fg.ok, true);
    assert.ok(outcome.sweepDoneBeforeRequest <= 2,
      `the request waited only for the configs already running (${outcome.sweepDoneBeforeRequest} done before it)`);
    assert.equal(outcome.dropped, true);
    assert.equal(outcome.nothing, false, 'nothing left to drop');
    assert.equal(outcome.bg.code, 'superseded');
    assert.equal(outcome.queuedAfterDrop, 0, 'the dropped sweep left the queue');
    assert.equal(outcome.replacements, 0, 'drop keeps young running work, it does not kill workers');
    assert.deepEqual(outcome.later, ['quick', 'slow']);
    assert.equal(outcome.results.quick.ok, true);
    assert.deepEqual(outcome.results.quick.value.map((result) => result.n), [8, 9]);
    assert.equal(outcome.results.slow.ok, true);
    assert.equal(outcome.bad.code, 'invalid_argument');
    assert.match(outcome.bad.message, /priority=urgent/);
  });

  test('background(slot) waits for interactive requests and is superseded like request()', { timeout: 60_000 }, async () => {
    const outcome = await page.evaluate(async () => {
      const { settle } = window;
      const pool = new window.engineClient.EnginePool({ size: 1 });
      await pool.ready;
      const order = [];
      // One worker: a running analysis, then a background call queued before an interactive request.
      const busy = settle(pool.request('busy', 'analyze', { pattern: 'forward', n: 192, d: 16 }));
      const later = settle(pool.background('bg', 'collapse', { n: 16, d_model: 4, layers: 2 })
        .then((value) => { order.push('background'); return value; }));
      const first = settle(pool.request('fg', 'analyze', { n: 8 }).then((value) => { order.push('interactive'); return value; }));
      const results = { busy: await busy, first: await first, later: await later };
      // A newer background call on the slot supersedes the queued one.
      const old = settle(pool.request('hold', 'analyze', { pattern: 'forward', n: 192, d: 16 }));
      const superseded = settle(pool.background('bg', 'collapse', { n: 16, d_model: 4, layers: 2 }));
      const newer = settle(pool.background('bg', 'collapse', { n: 16, d_model: 4, layers: 3 }));
      const outcome = { order, results, old: await old, superseded: await superseded, newer: await newer };
      pool.terminate();
      return { ...outcome, newerLayers: outcome.newer.value?.layers };
    });
    assert.deepEqual(outcome.order, ['interactive', 'background']);
    assert.equal(outcome.results.later.ok, true);
    assert.equal(outcome.superseded.code, 'superseded');
    assert.equal(outcome.newerLayers, 3);
  });

  test('a worker on the first module loads the figures\' module for collapse; analyze answers the same bits before and after', { timeout: 60_000 }, async () => {
    const outcome = await page.evaluate(async () => {
      const { settle } = window;
      const single = new window.engineClient.EnginePool({ size: 1 });
      const config = { pattern: 'prefix', n: 24, d: 4, seed: 5, want_matrix: true };
      const before = await single.call('analyze', config);
      const collapse = await settle(single.call('collapse', { n: 12, layers: 3, seed: 2 }));
      const after = await single.call('analyze', config);
      const refused = await settle(single.call('collapse', { n: 12, d: 4 }));
      single.terminate();
      return { collapse, refused, same: before.singular_values.length > 0 &&
        before.singular_values.every((value, index) => Object.is(value, after.singular_values[index])) &&
        before.matrix.every((value, index) => Object.is(value, after.matrix[index])) };
    });
    assert.equal(outcome.collapse.ok, true, outcome.collapse.message);
    assert.equal(outcome.refused.code, 'invalid_argument');
    assert.ok(outcome.same, 'analyze on the figures\' module gives the first module\'s bits');
  });

  test('errors from the core arrive with their message and code; .npy through the worker', { timeout: 60_000 }, async () => {
    const outcome = await page.evaluate(async () => {
      const { pool, settle } = window;
      const npy = await pool.call('write_npy', Float64Array.from([1, 2, 3, 4, 5, 6]), 2, 3, 'f32');
      return {
        prefix: await settle(pool.call('analyze', { pattern: 'prefix', prefix: 9, n: 8 })),
        range: await settle(pool.request('r', 'analyze', { n: -1 })),
        key: await settle(pool.call('analyze', { colour: 'red' })),
        method: await settle(pool.call('svd_everything')),
        clone: await settle(pool.call('analyze', { n: () => 3 })),
        npyType: npy.constructor.name,
        parsed: await settle(pool.call('parse_npy', npy, 'A.npy')),
        badNpy: await settle(pool.call('parse_npy', new Uint8Array([1, 2, 3]), 'broken.npy')),
        after: await settle(pool.call('limits')),
      };
    });
    assert.deepEqual([outcome.prefix.code, outcome.prefix.message], ['invalid_argument', 'prefix=9 exceeds n=8']);
    assert.equal(outcome.range.code, 'invalid_argument');
    assert.match(outcome.range.message, /^n=-1 must be in \[1, 4096\]/);
    assert.match(outcome.key.message, /config key "colour" is unknown/);
    assert.deepEqual([outcome.method.code, outcome.method.message], ['invalid_argument', 'method=svd_everything is unknown']);
    assert.equal(outcome.clone.code, 'invalid_argument', 'an argument that cannot be posted');
    assert.equal(outcome.npyType, 'Uint8Array');
    assert.deepEqual(outcome.parsed.value.rows, 2);
    assert.deepEqual(outcome.parsed.value.cols, 3);
    assert.deepEqual(Object.values(outcome.parsed.value.data), [1, 2, 3, 4, 5, 6]);
    assert.equal(outcome.badNpy.code, 'invalid_file');
    assert.match(outcome.badNpy.message, /^broken\.npy: not a \.npy file/);
    assert.deepEqual(outcome.after.value.n, { min: 1, max: 4096 });
  });
});

describe('the harness page', () => {
  test('no console error in the harness page', () => {
    assert.deepEqual(problems, []);
  });
});
