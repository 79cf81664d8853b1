// <attn-figure> under a long-lived, busy or hostile host page (issue 16 items 4, 10, 13): a figure removed
// from the page takes its work out of the shared engine and settles computeNow(); echoed attribute values
// are cut; a host that took the element's name hears about it once, and the element loads under another
// name. Runs on a blank page of web/'s origin (the engine test's harness), under the strict CSP.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { contentSecurityPolicy } from '../../scripts/static-server.mjs';
import { openBrowser, openPage, root } from './browser.mjs';

const kHarnessPath = '__embed-reliability__/';
let browser;

before(async () => {
  browser = await openBrowser({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });
  await browser.context.route((url) => url.pathname.startsWith(`/${kHarnessPath}`), async (route) => route.fulfill({
    status: 200, body: await readFile(path.join(root, 'tests', 'e2e', 'fixtures', 'engine-harness.html')),
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': contentSecurityPolicy },
  }));
});

after(async () => {
  await browser?.close();
});

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
