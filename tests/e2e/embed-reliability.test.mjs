// <attn-figure> under a long-lived, busy or hostile host page (issue 16 items 4, 10, 13): a figure removed
// from the page takes its work out of the shared engine and settles computeNow(); echoed attribute values
// are cut; a host that took the element's name hears about it once, and the element loads under another
// name. Runs on a blank page of web/'s origin (the engine test's harness), under the strict CSP.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { openPage, serveHarness, useBrowser } from './browser.mjs';

const kHarnessPath = '__embed-reliability__/';
const browser = useBrowser({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' },
  { setUp: (opened) => serveHarness(opened, kHarnessPath) });

async function harness() {
  return openPage(browser.context, `${browser.serverUrl}${kHarnessPath}harness.html`);
}

describe('a figure removed from the page (item 4)', () => {
  test('drops its queued work, settles computeNow() with "removed"; a new small figure does not wait', { timeout: 120_000 }, async () => {
    const { page, problems } = await harness();
    const outcome = await page.evaluate(async () => {
      await import('/embed/attn-figure.mjs');
      const { sharedEngine } = await import('/embed/shared-engine.mjs');
      const withTimeout = (promise, ms) => Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve('pending'), ms))]);
      const big = Array.from({ length: 6 }, (_, index) => {
        const figure = document.createElement('attn-figure');
        for (const [name, value] of Object.entries({ kind: 'patterns', n: '1024', d: '8', seed: String(index + 1) })) figure.setAttribute(name, value);
        document.body.append(figure);
        return figure;
      });
      const waits = big.map((figure) => figure.computeNow());
      await new Promise((resolve) => setTimeout(resolve, 1500));  // the engine is loaded and busy with the first
      const queuedBefore = sharedEngine().pool.stats.queued;
      for (const figure of big) figure.remove();
      const removedAt = performance.now();
      const settled = await withTimeout(Promise.all(waits), 3000);
      const settledMs = performance.now() - removedAt;
      const afterRemoval = await withTimeout(big[0].computeNow(), 1000);
      const small = document.createElement('attn-figure');
      small.setAttribute('kind', 'stats');
      small.setAttribute('n', '16');
      small.setAttribute('d', '4');
      document.body.append(small);
      const started = performance.now();
      const smallState = await withTimeout(small.computeNow(), 60_000);
      return { queuedBefore, settled, settledMs, afterRemoval, smallState, smallMs: performance.now() - started,
        queuedAfter: sharedEngine().pool.stats.queued };
    });
    assert.ok(outcome.queuedBefore > 0, `work was queued before the removal (${outcome.queuedBefore})`);
    assert.deepEqual(outcome.settled, new Array(6).fill('removed'), 'computeNow() of every removed figure settles');
    assert.ok(outcome.settledMs < 1000, `settled ${outcome.settledMs} ms after the removal`);
    assert.equal(outcome.afterRemoval, 'removed', 'computeNow() on a figure out of the page');
    assert.equal(outcome.smallState, 'done');
    assert.ok(outcome.smallMs < 10_000, `the small figure took ${outcome.smallMs} ms`);
    assert.equal(outcome.queuedAfter, 0);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a figure moved in the page keeps computing', { timeout: 60_000 }, async () => {
    const { page, problems } = await harness();
    const state = await page.evaluate(async () => {
      await import('/embed/attn-figure.mjs');
      const figure = document.createElement('attn-figure');
      figure.setAttribute('kind', 'stats');
      figure.setAttribute('n', '64');
      const first = document.createElement('div');
      const second = document.createElement('div');
      document.body.append(first, second);
      first.append(figure);
      const wait = figure.computeNow();
      second.append(figure);  // disconnected and connected again in one task
      return wait;
    });
    assert.equal(state, 'done');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('echoed attribute values are cut (item 10)', () => {
  test('a 200 KB kind, controls, pattern or claim gives a bounded message: 120 bytes, then "... (N bytes in all)"', { timeout: 120_000 }, async () => {
    const { page, problems } = await harness();
    const long = 'k'.repeat(200_000);
    const cases = [
      [{ kind: long }, `kind=${'k'.repeat(120)}... (200000 bytes in all) is unknown`],
      [{ controls: long }, `controls=${'k'.repeat(120)}... (200000 bytes in all) is unknown`],
      [{ pattern: long }, `pattern=${'k'.repeat(120)}... (200000 bytes in all) is unknown`],
      [{ kind: 'claims', claim: long }, `claim=${'K'.repeat(120)}... (200000 bytes in all) is not a claim id`],  // ids read in capitals
      // Cut on a character boundary: 39 four-byte characters are 156 bytes; 30 of them fit in 120.
      [{ kind: '😀'.repeat(39) }, `kind=${'😀'.repeat(30)}... (156 bytes in all) is unknown`],
    ];
    await page.evaluate(() => import('/embed/attn-figure.mjs'));
    for (const [attributes, message] of cases) {
      const outcome = await page.evaluate(async (attributes) => {
        const figure = document.createElement('attn-figure');
        for (const [name, value] of Object.entries(attributes)) figure.setAttribute(name, value);
        document.body.append(figure);
        const state = await figure.computeNow();
        const shown = figure.shadowRoot.querySelector('[part="error"]').textContent;
        figure.remove();
        return { state, error: figure.dataset.error, shown };
      }, attributes);
      assert.equal(outcome.state, 'error');
      assert.ok(outcome.error.startsWith(message), `${outcome.error.slice(0, 300)} (${outcome.error.length} characters)`);
      assert.ok(outcome.error.length < 400, `${outcome.error.length} characters`);
      assert.equal(outcome.shown, outcome.error);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('a host that took the name attn-figure (item 13)', () => {
  test('one console warning naming the way out; the element works under ?name=', { timeout: 60_000 }, async () => {
    const { page, problems } = await harness();
    const outcome = await page.evaluate(async () => {
      customElements.define('attn-figure', class extends HTMLElement {});
      await import('/embed/attn-figure.mjs');
      await import('/embed/attn-figure.mjs?name=attnrank-figure');
      const figure = document.createElement('attnrank-figure');
      figure.setAttribute('kind', 'stats');
      figure.setAttribute('n', '16');
      figure.setAttribute('d', '4');
      document.body.append(figure);
      const state = await figure.computeNow();
      return { state, rows: figure.shadowRoot.querySelectorAll('.stats-panel dt').length };
    });
    assert.equal(outcome.state, 'done');
    assert.ok(outcome.rows > 1, 'the renamed figure drew its statistics cards');
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /^console warning: attnrank: <attn-figure> is already defined by another script on this page.*attn-figure\.mjs\?name=attnrank-figure/);
    await page.close();
  });

  test('the script loaded twice (two copies of the element) says nothing', { timeout: 60_000 }, async () => {
    const { page, problems } = await harness();
    await page.evaluate(async () => {
      await import('/embed/attn-figure.mjs');
      await import('/embed/attn-figure.mjs?copy=2');
    });
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('an embedded sweep (item 3)', () => {
  test('over the budget it waits for Run with its estimate; Run starts it below single figures; Cancel stops it', { timeout: 180_000 }, async () => {
    const { page, problems } = await harness();
    const outcome = await page.evaluate(async () => {
      await import('/embed/attn-figure.mjs');
      const { sharedEngine } = await import('/embed/shared-engine.mjs');
      const withTimeout = (promise, ms) => Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve('pending'), ms))]);
      const make = (attributes) => {
        const figure = document.createElement('attn-figure');
        for (const [name, value] of Object.entries(attributes)) figure.setAttribute(name, value);
        document.body.append(figure);
        return figure;
      };
      const part = (figure, name) => figure.shadowRoot.querySelector(`[part="${name}"]`);
      const statusOf = (figure) => figure.shadowRoot.querySelector('.body .status:last-child')?.textContent ?? '';
      // The sweep: 64 values of n from 4096 down, hours of one core.
      const huge = make({ kind: 'sweep', 'sweep-over': 'n', 'sweep-values': Array.from({ length: 64 }, (_, i) => 4096 - i).join(',') });
      const hugeState = await withTimeout(huge.computeNow(), 30_000);
      const hugeText = statusOf(huge);
      const idle = { ...sharedEngine().pool.stats };
      huge.remove();
      // ~28 s of one core: held, then Run.
      const sweep = make({ kind: 'sweep', 'sweep-over': 'n', 'sweep-values': '1024,1023,1022,1021,1020,1019' });
      const heldState = await withTimeout(sweep.computeNow(), 30_000);
      const heldText = statusOf(sweep);
      const runVisible = part(sweep, 'run').checkVisibility();
      part(sweep, 'run').click();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const runningState = sweep.dataset.state;
      const cancelEnabled = !part(sweep, 'cancel').disabled;
      // A single figure added meanwhile goes before the sweep's queued analyses.
      const small = make({ kind: 'stats', n: '16', d: '4' });
      const started = performance.now();
      const smallState = await withTimeout(small.computeNow(), 20_000);
      const smallMs = performance.now() - started;
      const sweepStateThen = sweep.dataset.state;
      part(sweep, 'cancel').click();
      const cancelledState = await withTimeout(new Promise((resolve) => {
        const poll = () => (sweep.dataset.state === 'held' ? resolve('held') : setTimeout(poll, 20));
        poll();
      }), 5000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { hugeState, hugeText, idle, heldState, heldText, runVisible, runningState, cancelEnabled, smallState, smallMs,
        sweepStateThen, cancelledState, cancelledText: statusOf(sweep), queued: sharedEngine().pool.stats.queued };
    });
    assert.equal(outcome.hugeState, 'held', 'the 64-value sweep over n = 4096.. waits for Run');
    assert.match(outcome.hugeText, /^This sweep is 256 analyses, about \d+\.\d h of one core by the estimate \(a figure starts by itself up to 10 s\): press Run to start it\.$/);
    assert.equal(outcome.idle.busy, 0, 'nothing of it runs');
    assert.equal(outcome.idle.queued, 0, 'nothing of it is queued');
    assert.equal(outcome.heldState, 'held');
    assert.match(outcome.heldText, /^This sweep is 24 analyses, about \d+ s of one core/);
    assert.equal(outcome.runVisible, true, 'a Run button');
    assert.equal(outcome.runningState, 'computing', 'Run starts it');
    assert.equal(outcome.cancelEnabled, true, 'Cancel while it runs');
    assert.equal(outcome.smallState, 'done');
    assert.equal(outcome.sweepStateThen, 'computing', 'the single figure finished before the sweep');
    assert.ok(outcome.smallMs < 10_000, `the single figure waited ${outcome.smallMs} ms`);
    assert.equal(outcome.cancelledState, 'held', 'Cancel stops it and offers Run again');
    assert.equal(outcome.cancelledText, 'Cancelled.');
    assert.equal(outcome.queued, 0);
    assert.deepEqual(problems, []);
    await page.close();
  });
  // Issue 17: the explorer's SweepSection got a run token (1621ed2); the embedded sweep had none, so a run
  // superseded by a later attribute change disabled Cancel (its finally) while the later sweep still ran.
  test('changed twice quickly, Cancel and the progress belong to the latest run', { timeout: 180_000 }, async () => {
    const { page, problems } = await harness();
    const outcome = await page.evaluate(async () => {
      await import('/embed/attn-figure.mjs');
      const figure = document.createElement('attn-figure');
      for (const [name, value] of Object.entries({ kind: 'sweep', 'sweep-over': 'n', 'sweep-values': '300,301' })) {
        figure.setAttribute(name, value);
      }
      document.body.append(figure);
      const part = (name) => figure.shadowRoot.querySelector(`[part="${name}"]`);
      const until = (predicate) => new Promise((resolve) => {
        const poll = () => (predicate() ? resolve(true) : setTimeout(poll, 10));
        poll();
      });
      await until(() => figure.dataset.state === 'computing' && !part('cancel').disabled);
      figure.setAttribute('sweep-values', '310,311,312');
      await until(() => figure.shadowRoot.querySelector('progress').max === 12);  // the second run started
      figure.setAttribute('sweep-values', '400,401,402,403,404');  // 4 patterns x 5 values
      await new Promise((resolve) => setTimeout(resolve, 400));
      const running = { state: figure.dataset.state, cancelEnabled: !part('cancel').disabled, runEnabled: !part('run').disabled,
        progressMax: figure.shadowRoot.querySelector('progress').max };
      const done = await Promise.race([figure.computeNow(), new Promise((resolve) => setTimeout(() => resolve('pending'), 120_000))]);
      return { running, done, drawn: figure.shadowRoot.querySelector('canvas.chart')?.dataset.values ?? null };
    });
    assert.equal(outcome.running.state, 'computing', 'the latest sweep runs');
    assert.equal(outcome.running.cancelEnabled, true, 'Cancel stays enabled while the latest sweep runs');
    assert.equal(outcome.running.runEnabled, false, 'Run stays disabled while it runs');
    assert.equal(outcome.running.progressMax, 20, 'the progress counts the latest sweep\'s 20 analyses');
    assert.equal(outcome.done, 'done');
    assert.equal(outcome.drawn, '400,401,402,403,404', 'the chart is the latest sweep\'s');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
