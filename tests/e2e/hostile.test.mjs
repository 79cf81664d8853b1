// Limits and security in the browser (issue 8): a request over the page's memory budget per worker (512 MiB)
// is refused beside its control and the next one works; the iframe fallback acts on no hostile attribute and no
// incoming message; nothing writes a cookie or any storage. Hostile URLs: hostile-urls.test.mjs; hostile
// attributes: hostile-figure.test.mjs; file inputs: explorer.test.mjs loads a broken .npy.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';

import { installPatterns } from '../../web/state/pattern-registry.mjs';
import { configFor, defaultState } from '../../web/state/url-state.mjs';
import { root } from './browser.mjs';
import { kTimeoutMs, kHarnessPath, kDangerous, browser, useHostileBrowser, openWatched, setText, assertUsable } from './hostile-harness.mjs';

useHostileBrowser();

// The core's own estimate (MiB) of the least hungry of the page's four pattern requests under `state`, from
// the shipped wasm under node: the message of a request with a 1 MiB budget says what it needs.
async function estimatedMiB(state) {
  const wasmDir = path.join(root, 'web', 'wasm');
  const { default: createAttnrank } = await import(pathToFileURL(path.join(wasmDir, 'attnrank.mjs')).href);
  const engine = await createAttnrank({ wasmBinary: await readFile(path.join(wasmDir, 'attnrank.wasm')) });
  installPatterns(engine.patterns());  // configFor reads the core's pattern registry, as on the page
  const needs = ['bidirectional', 'prefix', 'forward', 'backward'].map((pattern) => {
    try {
      engine.analyze({ ...configFor({ ...defaultState, ...state }, pattern, { want_matrix: true }), memory_budget_mib: 1 });
    } catch (error) {
      return Number(/needs ~(\d+) MiB/.exec(error.message)?.[1]);
    }
    return 0;
  });
  return Math.min(...needs);
}

describe('limits and security', () => {
  test('a request over the memory budget is refused beside its control; the last good result stays; the next one works', { timeout: 180_000 }, async (t) => {
    // The first n = 4096 state whose four pattern requests the core estimates over the page's 512 MiB per
    // worker (the estimates are the core's to refine; n = 4096, f64 with the matrix needs ~300-440 MiB at d = 8).
    const candidates = [{ d: 1024 }, { d: 1024, precision: 'f32' }, { kind: 'linear', feature: 'favor', features: 4096 }];
    let chosen = null;
    for (const candidate of candidates) {
      const mib = await estimatedMiB({ ...candidate, n: 4096 });
      t.diagnostic(`n=4096 ${JSON.stringify(candidate)}: ~${mib} MiB`);
      if (mib > 512) {
        chosen = candidate;
        break;
      }
    }
    assert.ok(chosen, 'no n = 4096 state exceeds 512 MiB by the core\'s estimate: pick a larger one');
    const query = new URLSearchParams(Object.entries({ n: 64, ...chosen }).map(([key, value]) => [key, String(value)]));
    const { page, problems, dialogs } = await openWatched(`${browser.serverUrl}?${query}`);
    await page.waitForSelector('body[data-stages]', { timeout: kTimeoutMs });
    const workersBefore = page.workers().length;
    await setText(page, 'n', 4096);
    await page.waitForSelector('#error-n:not([hidden])', { timeout: kTimeoutMs });
    assert.match(await page.textContent('#error-n'),
      /^n=4096, .* needs ~\d+ MiB, over the memory budget of 512 MiB: lower n/);
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'error');
    assert.equal(await page.textContent('#engine-status'), 'Showing the last good result.');
    const kept = await page.$$eval('#patterns-grid .pattern-panel', (panels) => panels.map((panel) => panel.dataset.n));
    assert.deepEqual(kept, ['64', '64', '64', '64']);
    assert.equal(page.workers().length, workersBefore, 'refused, not crashed: no worker replaced');
    await assertUsable(page, 32);
    assert.equal(await page.isVisible('#error-n'), false);
    await page.close();

    // The heads view at n = 4096 with 32 heads of d = 2 (d_model = 64; ~5.5 GB with the matrices): refused
    // beside H on Run.
    const heads = await openWatched(`${browser.serverUrl}?n=4096&d=2&heads=32`);
    await heads.page.waitForSelector('#patterns-cancel', { state: 'visible', timeout: kTimeoutMs });
    await heads.page.click('#patterns-cancel');
    await heads.page.click('#heads-run');
    await heads.page.waitForSelector('#error-heads:not([hidden])', { timeout: kTimeoutMs });
    assert.match(await heads.page.textContent('#error-heads'),
      /^mixture n=4096, d_model=64, heads=32 with the matrices needs ~\d+ MiB, over the memory budget of 512 MiB: lower n, or leave out the matrices$/);
    await assertUsable(heads.page, 16);
    await heads.page.close();
    assert.deepEqual([...dialogs, ...heads.dialogs], []);
    assert.deepEqual([...problems, ...heads.problems], []);
  });

  test('the iframe fallback: hostile query attributes give an error in the figure and create nothing', { timeout: 60_000 }, async () => {
    const { page, problems, dialogs } = await openWatched(`${browser.serverUrl}${kHarnessPath}harness.html`);
    const query = new URLSearchParams({ kind: 'patterns', n: '<script>alert(1)</script>', pattern: '<img src=x onerror=alert(1)>',
      lang: 'javascript:alert(1)' });
    await page.evaluate((src) => {
      const frame = document.createElement('iframe');
      frame.src = src;
      frame.id = 'frame';
      document.body.append(frame);
    }, `/embed.html?${query}`);
    await page.waitForFunction(() => document.getElementById('frame').contentDocument?.querySelector('attn-figure')?.dataset.state === 'error',
      null, { timeout: kTimeoutMs });
    const outcome = await page.evaluate((selector) => {
      const inner = document.getElementById('frame').contentDocument;
      const figure = inner.querySelector('attn-figure');
      return { error: figure.dataset.error, lang: inner.documentElement.lang,
        dangerous: [...inner.querySelectorAll(selector), ...figure.shadowRoot.querySelectorAll(selector)]
          .map((element) => `${element.tagName} ${element.getAttribute('src')}`) };
    }, kDangerous);
    assert.deepEqual(outcome, { error: 'n="<script>alert(1)</script>" must be an integer number (got string)', lang: 'en',
      dangerous: ['SCRIPT embed/frame.mjs'] });
    assert.deepEqual(dialogs, []);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the iframe fallback acts on no incoming message', { timeout: 60_000 }, async () => {
    const { page, problems } = await openWatched(`${browser.serverUrl}${kHarnessPath}harness.html`);
    await page.evaluate((src) => {
      const frame = document.createElement('iframe');
      frame.src = src;
      frame.id = 'frame';
      frame.width = '600';
      frame.height = '600';
      document.body.append(frame);
    }, '/embed.html?kind=stats&n=16&d=4');
    const frame = page.frameLocator('#frame');
    const figure = frame.locator('attn-figure');
    await figure.waitFor({ timeout: kTimeoutMs });
    await page.waitForFunction(() => document.getElementById('frame').contentDocument?.querySelector('attn-figure')?.dataset.state === 'done',
      null, { timeout: kTimeoutMs });
    const snapshot = () => page.evaluate(() => {
      const inner = document.getElementById('frame').contentWindow;
      const element = inner.document.querySelector('attn-figure');
      return { url: inner.location.href, attributes: element.getAttributeNames().map((name) => [name, element.getAttribute(name)]),
        state: element.dataset.state, text: element.shadowRoot.textContent, figures: inner.document.querySelectorAll('attn-figure').length,
        nodes: inner.document.querySelectorAll('*').length };
    });
    const before = await snapshot();
    const requests = [];
    const onRequest = (request) => requests.push(request.url());
    browser.context.on('request', onRequest);
    await page.evaluate(() => {
      const target = document.getElementById('frame').contentWindow;
      const messages = [
        { type: 'attnrank:height', height: 10 }, { type: 'attnrank:set', n: '4096' }, { n: 4096, kind: 'sweep' },
        { attributes: { n: '<img src=x onerror=alert(1)>' } }, 'n=4096', '<script>alert(1)</script>',
        { type: 'attnrank:navigate', url: 'javascript:alert(1)' }, null, [1, 2, 3],
      ];
      for (const message of messages) target.postMessage(message, '*');
    });
    await page.waitForTimeout(1000);
    browser.context.off('request', onRequest);
    assert.deepEqual(await snapshot(), before);
    assert.deepEqual(requests, [], 'no request after the messages');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the page and the embeds write no cookie, no localStorage, sessionStorage, IndexedDB or Cache Storage', { timeout: 120_000 }, async () => {
    const explorer = await openWatched(`${browser.serverUrl}?n=48`);
    await explorer.page.waitForSelector('body[data-stages]', { timeout: kTimeoutMs });
    await assertUsable(explorer.page, 40);
    await explorer.page.selectOption('#control-lang', 'zh');
    const embed = await openWatched(`${browser.serverUrl}embed.html?kind=sweep&n=16&d=4`);
    await embed.page.waitForFunction(() => ['done', 'error'].includes(document.querySelector('attn-figure')?.dataset.state), null,
      { timeout: kTimeoutMs });
    for (const { page } of [explorer, embed]) {
      const stored = await page.evaluate(async () => ({
        cookie: document.cookie,
        local: localStorage.length,
        session: sessionStorage.length,
        indexedDB: (await indexedDB.databases()).map((database) => database.name),
        caches: await caches.keys(),
      }));
      assert.deepEqual(stored, { cookie: '', local: 0, session: 0, indexedDB: [], caches: [] }, page.url());
    }
    assert.deepEqual(await browser.context.cookies(), []);
    const state = await browser.context.storageState();
    assert.deepEqual(state.cookies, []);
    assert.deepEqual(state.origins.filter((origin) => origin.localStorage.length > 0), []);
    await explorer.page.close();
    await embed.page.close();
  });
});
