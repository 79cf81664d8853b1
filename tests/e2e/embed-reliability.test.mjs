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
