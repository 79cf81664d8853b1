// Soak of issue 16 item 4 in Chromium: 400 <attn-figure> elements added and removed in quick succession
// (some removed before their work starts, some while it runs, some after it is done; a few moved), on one
// shared engine. Afterwards nothing of theirs is left: every computeNow() has settled, the shared queue is
// empty and no worker is busy, the engine was never replaced (no timeout, no crash), a new small figure draws
// at once, and the page's JS heap after a garbage collection is within a bound of where it was after the
// first 50 figures (no figure, element or promise kept alive by the engine). Blank page of web/'s origin
// (the engine test's harness) under the strict CSP.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openPage, serveHarness, useBrowser } from './browser.mjs';

const kHarnessPath = '__embed-soak__/';
const kFigures = 400;
const kWarmupFigures = 50;
// JS heap growth allowed from the warm-up to the end, after a forced collection: 400 leaked figures with their
// shadow trees and canvases would hold several MB; a few hundred KB is allocator and compiler noise.
const kHeapGrowthBoundBytes = 1024 * 1024;

const browser = useBrowser({ viewport: { width: 1280, height: 1000 }, locale: 'en-US',
  extraArgs: ['--js-flags=--expose-gc', '--enable-precise-memory-info'] }, { setUp: (opened) => serveHarness(opened, kHarnessPath) });

test(`${kFigures} figures added and removed leave no work, no worker replaced and a bounded heap`, { timeout: 600_000 }, async (t) => {
  const { page, problems } = await openPage(browser.context, `${browser.serverUrl}${kHarnessPath}harness.html`);
  const outcome = await page.evaluate(async ({ figures, warmup }) => {
    await import('/embed/attn-figure.mjs');
    const { sharedEngine } = await import('/embed/shared-engine.mjs');
    const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const withTimeout = (promise, ms) => Promise.race([promise, pause(ms).then(() => 'pending')]);
    const heapAfterCollection = async () => {
      globalThis.gc?.();
      await pause(50);
      globalThis.gc?.();
      return performance.memory?.usedJSHeapSize ?? null;
    };
    // Each figure's work takes 0.1-1 s, so 400 of them kept in the queue would hold the engine for minutes.
    const kinds = [{ kind: 'patterns', n: '512', d: '8' }, { kind: 'stats', n: '768', d: '16' },
      { kind: 'spectra', n: '512', d: '16' }, { kind: 'patterns', n: '384', d: '4' }];
    const settledStates = {};
    let heapAtWarmup = null;
    const pending = [];
    for (let index = 0; index < figures; ++index) {
      const figure = document.createElement('attn-figure');
      for (const [name, value] of Object.entries({ ...kinds[index % kinds.length], seed: String(index) })) {
        figure.setAttribute(name, value);
      }
      document.body.append(figure);
      const done = figure.computeNow();
      // Removed at once, a moment later (its work queued or running), or, every 25th, once drawn; every 10th is
      // moved first (a move is not a removal).
      if (index % 25 === 0) await withTimeout(done, 20_000);
      else if (index % 2 === 1) await pause(5);
      if (index % 10 === 0) document.body.prepend(figure);
      figure.remove();
      pending.push(done.then((state) => { settledStates[state] = (settledStates[state] ?? 0) + 1; }));
      if (index + 1 === warmup) heapAtWarmup = await heapAfterCollection();
    }
    await pause(0);  // a removal takes effect a microtask later (a move is told apart from a removal)
    const queuedAtEnd = sharedEngine().pool.stats.queued;  // at once: removed figures' work is dropped, not run
    const allSettled = await withTimeout(Promise.all(pending).then(() => 'settled'), 10_000);
    const small = document.createElement('attn-figure');
    for (const [name, value] of Object.entries({ kind: 'stats', n: '16', d: '4' })) small.setAttribute(name, value);
    document.body.append(small);
    const started = performance.now();
    const smallState = await withTimeout(small.computeNow(), 30_000);
    const smallMs = performance.now() - started;
    small.remove();
    const { pool } = sharedEngine();
    return { queuedAtEnd, allSettled, settledStates, smallState, smallMs, stats: pool.stats, heapAtWarmup,
      heapAtEnd: await heapAfterCollection(), figuresLeft: document.querySelectorAll('attn-figure').length };
  }, { figures: kFigures, warmup: kWarmupFigures });
  t.diagnostic(`settled: ${JSON.stringify(outcome.settledStates)}; small figure ${outcome.smallMs.toFixed(0)} ms; ` +
    `heap ${outcome.heapAtWarmup} -> ${outcome.heapAtEnd} bytes`);
  assert.equal(outcome.queuedAtEnd, 0, 'the removed figures left no work queued');
  assert.equal(outcome.allSettled, 'settled', 'computeNow() of every removed figure settles within 10 s');
  assert.equal(Object.values(outcome.settledStates).reduce((a, b) => a + b, 0), kFigures);
  assert.deepEqual(Object.keys(outcome.settledStates).filter((state) => !['removed', 'done'].includes(state)), []);
  assert.equal(outcome.smallState, 'done');
  assert.ok(outcome.smallMs < 5_000, `a new small figure took ${outcome.smallMs} ms`);
  assert.equal(outcome.stats.queued, 0, 'nothing is left in the shared queue');
  assert.equal(outcome.stats.busy, 0, 'no worker is still busy');
  assert.equal(outcome.stats.replacements, 0, 'no worker was replaced (no timeout, no crash)');
  assert.equal(outcome.figuresLeft, 0);
  assert.ok(Number.isFinite(outcome.heapAtWarmup) && Number.isFinite(outcome.heapAtEnd), 'performance.memory is available');
  assert.ok(outcome.heapAtEnd - outcome.heapAtWarmup <= kHeapGrowthBoundBytes,
    `JS heap grew by ${outcome.heapAtEnd - outcome.heapAtWarmup} bytes from figure ${kWarmupFigures} to ${kFigures}`);
  assert.deepEqual(problems, []);
  await page.close();
});
