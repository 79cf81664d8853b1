// Browser test of the engine pool's timeouts (tiny timeouts on the real worker), its memory budget, its option
// checks, and export.mjs's downloads, on the harness page (engine-harness.mjs) in Debian's Chromium.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';

import { page, problems, useEngineHarness } from './engine-harness.mjs';

useEngineHarness();

describe('EnginePool timeouts (tiny timeouts on the real worker)', () => {
  test('a request past its timeout rejects with code timeout, its worker is replaced, the next one works', { timeout: 60_000 }, async () => {
    const outcome = await page.evaluate(async () => {
      const { settle } = window;
      const pool = new window.engineClient.EnginePool({ size: 1, timeoutMs: { interactive: 250 } });
      await pool.ready;
      const started = performance.now();
      const long = await settle(pool.request('long', 'analyze', { pattern: 'forward', n: 2048, d: 64 }));
      const rejectedMs = performance.now() - started;
      const next = await settle(pool.request('long', 'analyze', { pattern: 'forward', n: 16, d: 4 }));
      const stats = pool.stats;
      pool.terminate();
      return { long, rejectedMs, next, replacements: stats.replacements, timeouts: stats.timeouts };
    });
    assert.equal(outcome.long.ok, false);
    assert.equal(outcome.long.code, 'timeout');
    assert.match(outcome.long.message,
      /^analyze ran for \d+\.\d s, longer than the 0\.25 s timeout, and was stopped \(its worker was replaced\): lower n /);
    assert.ok(outcome.rejectedMs >= 250 && outcome.rejectedMs < 5000, `rejected after ${outcome.rejectedMs} ms`);
    assert.equal(outcome.next.ok, true, 'the replacement worker answers');
    assert.equal(outcome.next.value.n, 16);
    assert.equal(outcome.replacements, 1);
    assert.equal(outcome.timeouts, 1);
  });

  test('background work has its own timeout; a quick request is never timed out', { timeout: 60_000 }, async () => {
    const outcome = await page.evaluate(async () => {
      const { settle } = window;
      const pool = new window.engineClient.EnginePool({ size: 1, timeoutMs: { interactive: 30_000, background: 250 } });
      await pool.ready;
      const quick = await settle(pool.request('q', 'analyze', { n: 32, d: 4 }));
      const depth = await settle(pool.background('depth', 'collapse', { n: 512, d_model: 64, layers: 400 }));
      const sweep = await settle(pool.sweep('sweep', [{ n: 8 }, { pattern: 'forward', n: 2048, d: 64 }], () => {},
        { keepErrors: true }));
      const after = await settle(pool.call('analyze', { n: 8 }));
      // Waiting past the background timeout: the quick answers' timers were cleared with them.
      await new Promise((resolve) => setTimeout(resolve, 400));
      const stats = pool.stats;
      pool.terminate();
      return { quick, depth, sweep: sweep.value.map((r) => (r instanceof Error ? `${r.code}:${r.index}:${r.timeoutMs}:${r.elapsedMs >= 250}` : r.n)),
        after, timeouts: stats.timeouts, replacements: stats.replacements };
    });
    assert.equal(outcome.quick.ok, true);
    assert.equal(outcome.depth.code, 'timeout');
    assert.match(outcome.depth.message, /^collapse ran for .* lower n or the layers L$/);
    assert.deepEqual(outcome.sweep, [8, 'timeout:1:250:true'], 'a sweep config keeps the timeout details');
    assert.equal(outcome.after.ok, true);
    assert.equal(outcome.timeouts, 2);
    assert.equal(outcome.replacements, 2);
  });

  test('a superseded request whose worker stays busy is stopped at its timeout, so the newer one runs', { timeout: 60_000 }, async () => {
    const outcome = await page.evaluate(async () => {
      const { settle } = window;
      // cancelAfterMs so long that the supersede alone never replaces the worker.
      const pool = new window.engineClient.EnginePool({ size: 1, cancelAfterMs: 1e9, timeoutMs: { interactive: 400 } });
      await pool.ready;
      const older = settle(pool.request('s', 'analyze', { pattern: 'forward', n: 2048, d: 64 }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = performance.now();
      const newer = await settle(pool.request('s', 'analyze', { pattern: 'forward', n: 16, d: 4 }));
      const newerMs = performance.now() - started;
      const stats = pool.stats;
      pool.terminate();
      return { older: await older, newer, newerMs, timeouts: stats.timeouts };
    });
    assert.equal(outcome.older.code, 'superseded');
    assert.equal(outcome.newer.ok, true);
    assert.equal(outcome.timeouts, 1, 'the abandoned task was stopped by its timeout');
    assert.ok(outcome.newerMs < 5000, `the newer request waited ${outcome.newerMs} ms`);
  });

  test('memoryBudgetMiB goes into analyze/collapse/mixture/claims configs that set none; over it: too_large, next works', { timeout: 60_000 }, async () => {
    const outcome = await page.evaluate(async () => {
      const { settle } = window;
      const pool = new window.engineClient.EnginePool({ size: 1, memoryBudgetMiB: 64 });
      await pool.ready;
      const config = { pattern: 'forward', n: 2048 };
      const analyze = await settle(pool.request('a', 'analyze', config));
      const collapse = await settle(pool.background('c', 'collapse', { n: 2048, d_model: 8, layers: 2 }));
      const claims = await settle(pool.call('claims', { n: 2048, d: 8 }));
      const own = await settle(pool.call('analyze', { pattern: 'forward', n: 16, memory_budget_mib: 1 }));
      const next = await settle(pool.request('a', 'analyze', { pattern: 'forward', n: 32 }));
      const stats = pool.stats;
      pool.terminate();
      return { analyze, collapse, claims, own, next, untouched: !('memory_budget_mib' in config), budget: pool.memoryBudgetMiB,
        replacements: stats.replacements };
    });
    assert.equal(outcome.analyze.code, 'too_large');
    assert.match(outcome.analyze.message, /^n=2048, d=8 \(softmax, f64\) needs ~\d+ MiB, over the memory budget of 64 MiB: lower n$/);
    assert.equal(outcome.collapse.code, 'too_large');
    assert.match(outcome.collapse.message, /over the memory budget of 64 MiB/);
    assert.equal(outcome.claims.code, 'too_large', 'claims() runs under the same budget');
    assert.match(outcome.claims.message, /over the memory budget of 64 MiB/);
    assert.equal(outcome.own.ok, false, "a config's own budget wins");
    assert.match(outcome.own.message, /over the memory budget of 1 MiB/);
    assert.equal(outcome.next.ok, true);
    assert.equal(outcome.untouched, true, "the caller's config object is not modified");
    assert.equal(outcome.budget, 64);
    assert.equal(outcome.replacements, 0, 'a refusal is an ordinary error, not a crash');
  });

  test('bad timeout options are refused with a message naming them', async () => {
    const outcome = await page.evaluate(() => ['unknown', 'negative', 'text'].map((name) => {
      const options = { unknown: { urgent: 5 }, negative: { interactive: -1 }, text: { background: '5' } }[name];
      try {
        new window.engineClient.EnginePool({ size: 1, timeoutMs: options }).terminate();
        return 'accepted';
      } catch (error) {
        return `${error.code}: ${error.message}`;
      }
    }));
    assert.deepEqual(outcome, [
      'invalid_argument: timeoutMs.urgent is unknown (expected interactive, background)',
      'invalid_argument: timeoutMs.interactive=-1 must be a number of ms > 0',
      'invalid_argument: timeoutMs.background=5 must be a number of ms > 0',
    ]);
  });
});

describe('export.mjs in the browser', () => {
  test('downloadBlob saves a canvas PNG and a matrix .npy written by the worker', { timeout: 30_000 }, async () => {
    const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.evaluate(async () => {
      const { canvasToPngBlob, downloadBlob } = await import('/export.mjs');
      const canvas = document.createElement('canvas');
      canvas.width = 3;
      canvas.height = 2;
      canvas.getContext('2d').fillRect(0, 0, 1, 1);
      downloadBlob(await canvasToPngBlob(canvas), 'figure.png');
    })]);
    assert.equal(pngDownload.suggestedFilename(), 'figure.png');
    const png = await readFile(await pngDownload.path());
    assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
    assert.equal(png.readUInt32BE(16), 3, 'PNG width');
    assert.equal(png.readUInt32BE(20), 2, 'PNG height');

    const [npyDownload, n] = await Promise.all([page.waitForEvent('download'), page.evaluate(async () => {
      const { downloadBlob, matrixToNpy } = await import('/export.mjs');
      window.pool = new window.engineClient.EnginePool({ size: 1 });
      const result = await window.pool.call('analyze', { pattern: 'forward', n: 5, d: 2, want_matrix: true });
      downloadBlob(await matrixToNpy(window.pool, result), 'forward.npy');
      return result.n;
    })]);
    assert.equal(npyDownload.suggestedFilename(), 'forward.npy');
    const npy = await readFile(await npyDownload.path());
    assert.match(npy.subarray(0, 128).toString('latin1'), /^\x93NUMPY\x01\x00.{2}\{'descr': '<f8', 'fortran_order': False, 'shape': \(5, 5\), \}/s);
    assert.equal(npy.length, 128 + n * n * 8);
  });
});

describe('the harness page', () => {
  test('no console error in the harness page', () => {
    assert.deepEqual(problems, []);
  });
});
