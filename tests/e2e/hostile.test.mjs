// Hostile input in the browser (issue 8): hostile URL states on the explorer page and hostile attributes on
// <attn-figure> (markup and scripts in values, n = 1e9, negative, fractional, NaN, 10,000 repeated
// parameters, a 100 KB query, unicode and right-to-left junk, javascript: URLs), then every case of the
// shared bad-input table (tests/fixtures/bad-inputs.json) through the page's URL and through attributes.
// Each must give its error message (beside the control, or in the figure), no dialog, no console error,
// no element created from a value (no <script>, <img>, <iframe>, <object>, <embed>, no javascript: link),
// and the page stays usable (a normal change afterwards draws). Also: a request over the page's memory
// budget per worker (512 MiB) is refused beside its control and the next one works; the iframe fallback
// acts on no incoming message; nothing writes a cookie or any storage. Leaves out: file inputs
// (tests/e2e/explorer.test.mjs loads a broken .npy).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { contentSecurityPolicy } from '../../scripts/static-server.mjs';
import { installPatterns } from '../../web/state/pattern-registry.mjs';
import { configFor, defaultState, keyOfParam } from '../../web/state/url-state.mjs';
import { attributeOfParam } from '../../web/embed/attribute-state.mjs';
import { openBrowser, openPage, root } from './browser.mjs';

const kTimeoutMs = 60_000;
const table = JSON.parse(readFileSync(path.join(root, 'tests', 'fixtures', 'bad-inputs.json'), 'utf8'));
const kHarnessPath = '__hostile-test__/';
// Elements a value must never create, and links a value must never make.
const kDangerous = 'script, img, iframe, object, embed, a[href^="javascript:" i], [onerror], [onload]';

// Hostile URL states: [name, query, the control whose error box must show, text the message contains].
const kRepeated = Array.from({ length: 10_000 }, (_, index) => `n=${index % 7 === 0 ? 'x' : index + 1}`).join('&');
const hostileUrls = [
  ['script in n', `n=${encodeURIComponent('<script>alert(1)</script>')}`, 'n', 'n="<script>alert(1)</script>" must be an integer number (got string)'],
  ['img onerror in a choice', `sweep_stat=${encodeURIComponent('<img src=x onerror=alert(1)>')}`, 'sweep_stat',
    'sweep_stat=<img src=x onerror=alert(1)> is unknown'],
  ['n = 1e9', 'n=1000000000', 'n', 'n=1000000000 must be in [1, 4096]'],
  ['n negative', 'n=-5', 'n', 'n=-5 must be in [1, 4096]'],
  ['d fractional', 'd=2.5', 'd', 'd=2.5 must be an integer'],
  ['scale NaN', 'scale=NaN', 'scale', 'scale=nan must be finite'],
  ['seed -0.5', 'seed=-0.5', 'seed', 'seed=-0.5 must be an integer'],
  ['javascript: URL as a value', `lang=${encodeURIComponent('javascript:alert(1)')}`, 'lang',
    'lang=javascript:alert(1) is unknown'],
  ['right-to-left override and zero-width junk in n', `n=${encodeURIComponent('\u202e46\u200b')}`, 'n', 'must be an integer number (got string)'],
  ['unicode junk in sweep values', `sweep_values=${encodeURIComponent('1,२,٣,𝟜')}`, 'sweep_values', 'sweep_values: scale="२" must be a number (got string)'],
  ['100 KB query value (cut in the message)', `scale=${'9x'.repeat(50_000)}`, 'scale', `scale="${'9x'.repeat(20)}…" must be a number (got string)`],
];

// Cases of the table whose page_message the page cannot show as the table says, and why (reported; the
// page's actual behaviour for them is tested below instead).
const kPageDiffers = {
  'mixture over the default memory budget': 'the page runs the heads view by itself only up to n = 256 (at n = 4096 ' +
    'on Run) and gives each worker a 512 MiB budget, so its message names 512 MiB, not the core default of 1024 MiB ' +
    '(tested in "a request over the memory budget ..."); the <attn-figure> form matches as written',
};

let browser;

before(async () => {
  browser = await openBrowser({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });
  // A blank page of web/'s origin for the <attn-figure> cases (the engine test's harness), and the page's
  // documents served directly when their query is longer than the test server's 16 KB header limit (a
  // site's server may take longer URLs; the page must cope with them).
  await browser.context.route((url) => url.pathname.startsWith(`/${kHarnessPath}`), async (route) => route.fulfill({
    status: 200, body: await readFile(path.join(root, 'tests', 'e2e', 'fixtures', 'engine-harness.html')),
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': contentSecurityPolicy },
  }));
  await browser.context.route((url) => url.search.length > 8000 && /^\/(index\.html|embed\.html)?$/.test(url.pathname),
    async (route) => {
      const file = new URL(route.request().url()).pathname === '/embed.html' ? 'embed.html' : 'index.html';
      return route.fulfill({ status: 200, body: await readFile(path.join(root, 'web', file)),
        headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': contentSecurityPolicy } });
    });
});

after(async () => {
  await browser?.close();
});

// A page with dialogs recorded (and dismissed) beside browser.mjs's problems.
async function openWatched(url) {
  const dialogs = [];
  const opened = await openPage(browser.context, 'about:blank');
  opened.page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  await opened.page.goto(url);
  return { ...opened, dialogs };
}

function dangerousCount(page) {
  return page.evaluate((selector) => document.querySelectorAll(selector).length, kDangerous);
}

async function setText(page, key, value) {
  await page.fill(`#control-${key}`, String(value));
  await page.press(`#control-${key}`, 'Enter');
}

// Visible text of the page (hidden error boxes are left out) contains `message`.
async function waitForText(page, message) {
  await page.waitForFunction((expected) => document.body.innerText.includes(expected), message,
    { timeout: 30_000, polling: 100 });
}

// A normal change draws: the patterns update at the new n.
async function assertUsable(page, n = 24) {
  await page.waitForSelector('body[data-state]:not([data-state="computing"])', { timeout: kTimeoutMs });
  const before = Number(await page.getAttribute('body', 'data-updates') ?? 0);
  await setText(page, 'n', n);
  await page.waitForFunction((count) => Number(document.body.dataset.updates ?? 0) > count && document.body.dataset.state === 'done',
    before, { timeout: kTimeoutMs });
  const shown = await page.$$eval('#patterns-grid .pattern-panel', (panels) => panels.map((panel) => panel.dataset.n));
  assert.deepEqual(shown, [String(n), String(n), String(n), String(n)]);
}

describe('explorer page: hostile URL states', () => {
  test('each shows its error beside the control, no dialog, no element from the value, and the page stays usable', { timeout: 300_000 }, async (t) => {
    const clean = await openWatched(browser.serverUrl);
    await clean.page.waitForSelector('body[data-updates]', { timeout: kTimeoutMs });
    const baseline = await dangerousCount(clean.page);
    assert.deepEqual(await clean.page.$$eval('script', (scripts) => scripts.map((script) => script.getAttribute('src'))), ['main.mjs']);
    await clean.page.close();
    for (const [name, query, key, message] of hostileUrls) {
      const started = Date.now();
      const { page, problems, dialogs } = await openWatched(`${browser.serverUrl}?${query}`);
      await page.waitForSelector(`#error-${key}:not([hidden])`, { timeout: kTimeoutMs });
      const shown = await page.textContent(`#error-${key}`);
      assert.ok(shown.includes(message), `${name}: "${shown.slice(0, 200)}" lacks "${message}"`);
      assert.ok(shown.length < 400, `${name}: the message is cut (${shown.length} characters)`);
      await assertUsable(page);
      assert.equal(await dangerousCount(page), baseline, `${name}: an element was created from a value`);
      assert.deepEqual(dialogs, [], name);
      assert.deepEqual(problems, [], name);
      t.diagnostic(`${name}: ${Date.now() - started} ms`);
      await page.close();
    }
  });

  // url-state's number pattern once backtracked quadratically on a long run of digits that does not match
  // (100,000 digits and an x blocked the main thread 12-30 s, on the page and on any host page of an
  // <attn-figure>); fixed in 6e8e3ee (~0.6 s to the error here).
  test('a 100 KB run of digits in a number field does not freeze the main thread', { timeout: 120_000 }, async () => {
    const { page, problems } = await openWatched(`${browser.serverUrl}?scale=${'9'.repeat(100_000)}x`);
    const started = Date.now();
    await page.waitForSelector('#error-scale:not([hidden])', { timeout: kTimeoutMs });
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 5000, `the error took ${elapsed} ms to show (the main thread was blocked)`);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('10,000 repeated parameters: the first one counts, the page draws it and does not freeze', { timeout: 120_000 }, async (t) => {
    const started = Date.now();
    const { page, problems, dialogs } = await openWatched(`${browser.serverUrl}?${kRepeated}`);
    // The first n is 'x': an error beside n, the default n drawn.
    await page.waitForSelector('#error-n:not([hidden])', { timeout: kTimeoutMs });
    assert.equal(await page.textContent('#error-n'), 'n="x" must be an integer number (got string)');
    await page.waitForSelector('body[data-updates]', { timeout: kTimeoutMs });
    const longest = await page.evaluate(() => new Promise((resolve) => {
      // The main thread answers within a frame or two while the page works.
      const begun = performance.now();
      requestAnimationFrame(() => resolve(performance.now() - begun));
    }));
    assert.ok(longest < 1000, `a frame took ${longest} ms`);
    await assertUsable(page, 20);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(problems, []);
    t.diagnostic(`repeated parameters: ${Date.now() - started} ms to usable`);
    await page.close();
  });

  test('every bad-input case with a URL form shows its page message (the defined answers draw)', { timeout: 600_000 }, async (t) => {
    const cases = table.filter((entry) => entry.url !== null && entry.url !== undefined && !(entry.name in kPageDiffers));
    for (const [name, reason] of Object.entries(kPageDiffers)) t.diagnostic(`not driven through the URL: ${name}: ${reason}`);
    assert.ok(cases.length >= 50, `only ${cases.length} URL cases`);
    const { page, problems, dialogs } = await openWatched('about:blank');
    const aborted = new Set();
    page.on('requestfailed', (request) => {
      if (request.failure()?.errorText === 'net::ERR_ABORTED') aborted.add(`request failed: ${request.url()}`);
    });
    const wrong = [];
    const started = Date.now();
    for (const entry of cases) {
      await page.goto(`${browser.serverUrl}?${entry.url}`);
      try {
        if (entry.page_message) {
          // Shown, and still shown once every stage has run (a later stage must not clear it).
          await waitForText(page, entry.page_message);
          await page.waitForFunction(() => document.body.dataset.stages !== undefined || document.body.dataset.state === 'error',
            null, { timeout: kTimeoutMs });
          await waitForText(page, entry.page_message);
          // Beside the control the table's param names (when the page has one for it).
          const key = keyOfParam(entry.param);
          const beside = key ? await page.$eval(`#error-${key}`, (box) => (box.hidden ? '' : box.textContent)).catch(() => null) : null;
          if (beside !== null && !beside.includes(entry.page_message)) {
            wrong.push(`${entry.name} (?${entry.url}): not beside #control-${key} (it shows "${beside}")`);
          }
        } else {
          // A defined answer: the patterns draw and no control the URL sets shows an error.
          await page.waitForSelector('body[data-updates]', { timeout: 30_000 });
          const keys = [...new URLSearchParams(entry.url).keys()];
          const errors = await page.$$eval('.field-error:not([hidden])', (boxes, keys) => boxes
            .filter((box) => keys.includes(box.id.slice('error-'.length))).map((box) => box.textContent), keys);
          assert.deepEqual(errors, [], `${entry.name}: no error expected`);
        }
      } catch (error) {
        const visible = await page.$$eval('.field-error:not([hidden]), #engine-status', (boxes) => boxes.map((box) => box.textContent));
        wrong.push(`${entry.name} (?${entry.url}): expected "${entry.page_message ?? 'no error'}", shown ${JSON.stringify(visible)}`);
      }
    }
    assert.equal(await dangerousCount(page), 1 /* main.mjs */);
    assert.deepEqual(wrong, []);
    assert.deepEqual(dialogs, []);
    // Moving to the next case aborts the requests of workers still loading: not a problem of the page.
    assert.deepEqual(problems.filter((line) => !aborted.has(line)), []);
    t.diagnostic(`${cases.length} URL cases in ${Date.now() - started} ms`);
    await assertUsable(page);
    await page.close();
  });
});

describe('<attn-figure>: hostile attributes', () => {
  let page;
  let problems;
  let dialogs;

  before(async () => {
    ({ page, problems, dialogs } = await openWatched(`${browser.serverUrl}${kHarnessPath}harness.html`));
    await page.evaluate(() => import('/embed/attn-figure.mjs'));
  });

  after(async () => {
    await page?.close();
  });

  // Adds one figure with `attributes`, waits until it settles, returns { state, error, dangerous, kind }
  // and removes it.
  function figureWith(attributes) {
    return page.evaluate(async ({ attributes, selector }) => {
      const figure = document.createElement('attn-figure');
      for (const [name, value] of Object.entries(attributes)) figure.setAttribute(name, value);
      document.body.append(figure);
      const deadline = performance.now() + 30_000;
      while (!['error', 'done'].includes(figure.dataset.state) && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const outcome = { state: figure.dataset.state, error: figure.dataset.error ?? null, errorParam: figure.dataset.errorParam ?? null,
        shown: figure.shadowRoot.querySelector('[part="error"]').hidden ? null : figure.shadowRoot.querySelector('[part="error"]').textContent,
        dangerous: figure.shadowRoot.querySelectorAll(selector).length + document.querySelectorAll(selector).length };
      figure.remove();
      return outcome;
    }, { attributes, selector: kDangerous });
  }

  test('hostile attribute values give an error in the figure and create nothing', { timeout: 120_000 }, async () => {
    const cases = [
      [{ n: '<script>alert(1)</script>' }, 'n="<script>alert(1)</script>" must be an integer number (got string)'],
      [{ pattern: '<img src=x onerror=alert(1)>' }, 'pattern=<img src=x onerror=alert(1)> is unknown'],
      [{ kind: 'javascript:alert(1)' }, 'kind=javascript:alert(1) is unknown'],
      [{ n: '1e9' }, 'n=1000000000 must be in [1, 4096]'],
      [{ n: '-3' }, 'n=-3 must be in [1, 4096]'],
      [{ d: '0.5' }, 'd=0.5 must be an integer'],
      [{ scale: 'NaN' }, 'scale=nan must be finite'],
      [{ lang: '\u202eneh' }, 'lang=\u202eneh is unknown'],
      // (The core's words, naming the parameter; data-error-param names the attribute.)
      [{ 'sweep-values': 'x'.repeat(100_000), kind: 'sweep' }, `sweep_values: scale="${'x'.repeat(40)}…" must be a number (got string)`],
    ];
    for (const [attributes, message] of cases) {
      const outcome = await figureWith(attributes);
      assert.equal(outcome.state, 'error', JSON.stringify(attributes).slice(0, 100));
      assert.ok(outcome.error.startsWith(message) || outcome.error.includes(message), `${outcome.error.slice(0, 200)} vs ${message}`);
      assert.equal(outcome.shown, outcome.error);
      assert.ok(outcome.error.length < 400, 'the message is cut');
      assert.equal(outcome.dangerous, 0);
    }
    assert.equal((await figureWith({ n: '16', d: '4' })).state, 'done', 'a normal figure renders afterwards');
    assert.deepEqual(dialogs, []);
    assert.deepEqual(problems, []);
  });

  test('every bad-input case with an attributes form shows its page message (the defined answers render)', { timeout: 300_000 }, async (t) => {
    const cases = table.filter((entry) => entry.attributes);
    assert.ok(cases.length >= 50, `only ${cases.length} attribute cases`);
    const wrong = [];
    const started = Date.now();
    for (const entry of cases) {
      const outcome = await figureWith(entry.attributes);
      const isRight = entry.page_message
        ? outcome.state === 'error' && outcome.error.includes(entry.page_message) && outcome.shown === outcome.error
        : outcome.state === 'done';
      if (!isRight) wrong.push(`${entry.name} ${JSON.stringify(entry.attributes)}: expected "${entry.page_message ?? 'done'}", got ${outcome.state}: "${outcome.error}"`);
      // The figure names the attribute of the table's param (data-error-param).
      if (entry.page_message && outcome.errorParam !== attributeOfParam(entry.param)) {
        wrong.push(`${entry.name}: data-error-param="${outcome.errorParam}", expected "${attributeOfParam(entry.param)}"`);
      }
      if (outcome.dangerous !== 0) wrong.push(`${entry.name}: ${outcome.dangerous} dangerous elements`);
    }
    assert.deepEqual(wrong, []);
    assert.equal((await figureWith({ n: '16', d: '4' })).state, 'done', 'a normal figure renders afterwards');
    assert.deepEqual(dialogs, []);
    assert.deepEqual(problems, []);
    t.diagnostic(`${cases.length} attribute cases in ${Date.now() - started} ms`);
  });
});

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

    // The heads view at n = 4096 with 32 heads (~5.5 GB with the matrices): refused beside H on Run.
    const heads = await openWatched(`${browser.serverUrl}?n=4096&d=64&heads=32`);
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
