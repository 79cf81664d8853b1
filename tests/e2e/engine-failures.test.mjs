// Browser test of the engine pool's failure handling with stand-in workers (tests/e2e/fixtures/fake-worker.mjs)
// on the harness page (engine-harness.mjs) in Debian's Chromium: a crashed worker, a worker that cannot load,
// a worker that dies silently.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { kHarnessPath, page, problems, useEngineHarness } from './engine-harness.mjs';

useEngineHarness();

describe('EnginePool failure handling (stand-in workers)', () => {
  test('a crashed worker rejects its call with worker_crashed and is replaced', { timeout: 30_000 }, async () => {
    const outcome = await page.evaluate(async (harness) => {
      const { settle } = window;
      const pool = new window.engineClient.EnginePool({ size: 1, workerUrl: `/${harness}fake-worker.mjs` });
      await pool.ready;
      const crash = await settle(pool.call('crash'));
      const trap = await settle(pool.call('trap'));
      const echo = await settle(pool.call('echo', 1, 'two'));
      const replacements = pool.stats.replacements;
      pool.terminate();
      const closed = await settle(pool.call('echo'));
      return { crash, trap, echo, replacements, closed };
    }, kHarnessPath);
    assert.equal(outcome.crash.code, 'worker_crashed');
    assert.match(outcome.crash.message, /fake worker crashed on purpose/);
    assert.equal(outcome.trap.code, 'worker_crashed');
    assert.deepEqual(outcome.echo.value, [1, 'two'], 'the replacement answers');
    assert.equal(outcome.replacements, 2);
    assert.equal(outcome.closed.code, 'cancelled');
  });

  test('a worker that cannot load rejects ready and every call, without retrying forever', { timeout: 30_000 }, async () => {
    const outcome = await page.evaluate(async (harness) => {
      const { settle } = window;
      const pool = new window.engineClient.EnginePool({ size: 2, workerUrl: `/${harness}missing-worker.mjs` });
      const call = settle(pool.call('version'));
      return { ready: await settle(pool.ready), call: await call, later: await settle(pool.request('x', 'version')) };
    }, kHarnessPath);
    assert.equal(outcome.ready.code, 'worker_crashed');
    assert.equal(outcome.call.code, 'worker_crashed');
    assert.equal(outcome.later.code, 'worker_crashed');
  });

  test('a worker that dies silently (no error event) is noticed within seconds, replaced, and the task says so', { timeout: 60_000 }, async () => {
    // Issue 16 item 9: before, the task waited for its 180 s timeout and then advised "lower n" for n = 40.
    const before = new Set(page.workers());
    await page.evaluate(async () => {
      window.silentPool = new window.engineClient.EnginePool({ size: 1 });
      await window.silentPool.ready;
    });
    const [worker] = page.workers().filter((candidate) => !before.has(candidate) && candidate.url().includes('engine-worker'));
    assert.ok(worker, 'the new pool has its worker');
    // Its next answer closes it instead: the worker ends without an 'error' event.
    await worker.evaluate(() => { self.postMessage = () => self.close(); });
    const outcome = await page.evaluate(async () => {
      const { settle, silentPool: pool } = window;
      const started = performance.now();
      const lost = await settle(pool.request('s', 'analyze', { n: 40, d: 8 }));
      const lostMs = performance.now() - started;
      const next = await settle(pool.request('s', 'analyze', { n: 40, d: 8 }));
      const stats = pool.stats;
      pool.terminate();
      return { lost, lostMs, next, replacements: stats.replacements };
    });
    assert.equal(outcome.lost.code, 'worker_crashed');
    assert.match(outcome.lost.message, /^the engine worker crashed: it stopped without reporting an error/);
    assert.doesNotMatch(outcome.lost.message, /lower n/);
    assert.ok(outcome.lostMs < 5000, `noticed after ${outcome.lostMs} ms`);
    assert.equal(outcome.replacements, 1);
    assert.equal(outcome.next.ok, true, 'the replacement answers');
    assert.equal(outcome.next.value.n, 40);
  });

  test('no console error in the harness page besides the deliberate ones', () => {
    const unexpected = problems.filter((line) => !/missing-worker\.mjs|fake worker crashed on purpose/.test(line));
    assert.deepEqual(unexpected, []);
  });
});
