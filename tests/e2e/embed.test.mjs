// The embeddable figures (issue 5) in real Chromium, as a blog would use them: the folder built by
// scripts/build-dist.sh copied beside a post (tests/e2e/fixtures/embed-site/) and served under the strict
// CSP. Checks: every kind renders, with one worker and one fetch of each wasm module for the whole page; a bad attribute
// is an error in that figure only; changing an attribute re-renders; a figure far below the fold waits
// until it comes near the viewport; the iframe fallback renders and posts its height; no CSP violation,
// no console error, no request outside the site, no cookie or storage.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

import { openBrowser, openPage, root, useBrowser } from './browser.mjs';

const shown = ['patterns', 'spectra', 'stats', 'linear', 'raises', 'sweep', 'collapse', 'heads'];
let site;
let page;
let problems;
const workers = [];
const requests = [];
const heights = [];

async function figureStates() {
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll('attn-figure')]
    .map((figure) => [figure.id, figure.dataset.state])));
}

async function waitForStates(ids, states = ['done']) {
  await page.waitForFunction(({ ids, states }) => ids.every((id) => states.includes(document.getElementById(id)?.dataset.state)),
    { ids, states }, { timeout: 60_000 });
}

// The site (a copy of fixtures/embed-site with the dist folder built into it) is made when the hook runs.
async function buildSite() {
  site = await mkdtemp(path.join(tmpdir(), 'attnrank-embed-site-'));
  await cp(path.join(root, 'tests', 'e2e', 'fixtures', 'embed-site'), site, { recursive: true });
  execFileSync('bash', [path.join(root, 'scripts', 'build-dist.sh'), path.join(site, 'attnrank')], { stdio: 'pipe' });
  return { webRoot: site, viewport: { width: 1000, height: 900 }, requireWasm: false };
}
const browser = useBrowser(buildSite, { setUp: openPost });
async function openPost({ context, serverUrl }) {
  context.on('request', (request) => requests.push(request.url()));
  const opened = await openPage(context, 'about:blank', { collectCspViolations: true });
  page = opened.page;
  problems = opened.problems;
  page.on('worker', (worker) => workers.push(worker.url()));
  await page.addInitScript(() => {
    window.heights = [];
    window.addEventListener('message', (event) => {
      if (event.data?.type === 'attnrank:height') window.heights.push(event.data.height);
    });
  });
  await page.goto(`${serverUrl}post.html`);
}

after(async () => {
  if (site) await rm(site, { recursive: true, force: true });
});

describe('embedded figures in a post', () => {
  test('every kind near the viewport renders; the bad one shows its error; one worker for the post', async () => {
    // Scroll through the figures above the spacer so each comes near the viewport.
    for (const id of [...shown, 'bad', 'frame']) {
      await page.evaluate((id) => document.getElementById(id).scrollIntoView(), id);
    }
    await waitForStates(shown);
    await waitForStates(['bad'], ['error']);
    const bad = await page.evaluate(() => {
      const figure = document.getElementById('bad');
      return { error: figure.dataset.error, shown: figure.shadowRoot.querySelector('[part="error"]').textContent };
    });
    assert.equal(bad.error, 'n=-1 must be in [1, 4096]');
    assert.equal(bad.shown, 'n=-1 must be in [1, 4096]');
    // One worker for the post's figures, one for the iframe (its own document).
    assert.equal(workers.length, 2, `workers: ${workers.join(', ')}`);
  });

  test('heatmaps are drawn and the statistics come from the core', async () => {
    const drawn = await page.evaluate(() => {
      const panels = [...document.getElementById('patterns').shadowRoot.querySelectorAll('.pattern-panel')];
      return panels.map((panel) => {
        const canvas = panel.querySelector('canvas.heatmap');
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        const colours = new Set();
        for (let i = 0; i < data.length; i += 4 * 97) colours.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
        return { pattern: panel.dataset.pattern, n: panel.dataset.n, colours: colours.size };
      });
    });
    assert.deepEqual(drawn.map((panel) => panel.pattern), ['bidirectional', 'prefix', 'forward', 'backward']);
    for (const panel of drawn) {
      assert.equal(panel.n, '32');
      assert.ok(panel.colours > 5, `${panel.pattern} heatmap looks blank (${panel.colours} colours)`);
    }
    const forward = await page.evaluate(() => {
      const card = document.getElementById('stats').shadowRoot.querySelector('[data-pattern="forward"]');
      return Object.fromEntries([...card.querySelectorAll('dd')].map((dd) => [dd.dataset.key, JSON.parse(dd.dataset.value)]));
    });
    assert.equal(forward.structurally_full_rank, true);
    assert.ok(forward.numerical_rank_f64 >= 1 && forward.numerical_rank_f64 <= 40);
    // Depth: the ordering of Dong et al. / Wu et al. after 12 layers (bidirectional < causal < window).
    const last = await page.evaluate(() => JSON.parse(document.getElementById('collapse').shadowRoot.querySelector('canvas.chart').dataset.last));
    assert.ok(last.bidirectional < 1e-8 && last.bidirectional < last.forward && last.forward < last.window && last.window > 0.5,
      JSON.stringify(last));
    const heads = await page.evaluate(() => ({ ...document.getElementById('heads').shadowRoot.querySelector('table').dataset }));
    assert.equal(heads.productPositive, 'true');
    assert.equal(heads.triangular, '[true,true]');
    const zhTable = await page.evaluate(() => document.getElementById('linear').shadowRoot.querySelector('table').textContent);
    assert.match(zhTable, /[\u4e00-\u9fff]/, 'lang="zh" figure is in Chinese');
  });

  test('changing an attribute re-renders that figure', async () => {
    await page.evaluate(() => document.getElementById('patterns').setAttribute('n', '16'));
    await page.waitForFunction(() => {
      const panel = document.getElementById('patterns').shadowRoot.querySelector('.pattern-panel');
      return panel?.dataset.n === '16' && document.getElementById('patterns').dataset.state === 'done';
    }, null, { timeout: 30_000 });
    // A compact control writes the attribute too.
    await page.evaluate(() => {
      const input = document.getElementById('patterns').shadowRoot.querySelector('input[name="seed"]');
      input.value = '11';
      input.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction(() => document.getElementById('patterns').getAttribute('seed') === '11' &&
      document.getElementById('patterns').shadowRoot.querySelector('.pattern-panel')?.dataset.seed === '11', null, { timeout: 30_000 });
    // A bad value shows the error and keeps the last good figure.
    await page.evaluate(() => document.getElementById('patterns').setAttribute('scale', 'NaN'));
    await waitForStates(['patterns'], ['error']);
    const kept = await page.evaluate(() => ({
      error: document.getElementById('patterns').dataset.error,
      panels: document.getElementById('patterns').shadowRoot.querySelectorAll('.pattern-panel').length,
      others: ['spectra', 'stats', 'linear'].map((id) => document.getElementById(id).dataset.state),
    }));
    assert.equal(kept.error, 'scale=nan must be finite');
    assert.equal(kept.panels, 4);
    assert.deepEqual(kept.others, ['done', 'done', 'done']);
    await page.evaluate(() => document.getElementById('patterns').setAttribute('scale', '2'));
    await waitForStates(['patterns']);
  });

  test('a figure far below the fold computes only once it comes near the viewport', async () => {
    assert.equal((await figureStates()).far, 'loading');
    await page.evaluate(() => document.getElementById('far').scrollIntoView());
    await waitForStates(['far']);
  });

  test('the iframe fallback renders and reports its height', async () => {
    const frame = page.frames().find((candidate) => candidate.url().includes('/attnrank/embed.html'));
    assert.ok(frame, 'the iframe loaded');
    await frame.waitForFunction(() => document.querySelector('attn-figure')?.dataset.state === 'done', null, { timeout: 30_000 });
    await page.waitForFunction(() => window.heights.length > 0 && window.heights.at(-1) > 100, null, { timeout: 10_000 });
  });

  // At most one fetch of each wasm module: the figures' module its architectures figure asks for, and the first
  // module (attnrank.wasm) when a figure of another kind asked first (engine-worker.mjs, shared-engine.mjs).
  test('ten figures on one page: one worker, one fetch of each wasm module, all drawn', async () => {
    const { page: tenPage, problems: tenProblems } = await openPage(browser.context, 'about:blank', { collectCspViolations: true });
    const tenWorkers = [];
    const wasmFetches = [];
    tenPage.on('worker', (worker) => tenWorkers.push(worker.url()));
    tenPage.on('request', (request) => { if (request.url().endsWith('.wasm')) wasmFetches.push(new URL(request.url()).pathname); });
    await tenPage.addInitScript(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.longTasks.push(entry.duration); })
        .observe({ type: 'longtask', buffered: true });
    });
    await tenPage.goto(`${browser.serverUrl}ten.html`);
    const figures = await tenPage.evaluate(() => document.querySelectorAll('attn-figure').length);
    assert.equal(figures, 10);
    for (let index = 0; index < figures; ++index) {
      await tenPage.evaluate((index) => document.querySelectorAll('attn-figure')[index].scrollIntoView(), index);
    }
    await tenPage.waitForFunction(() => [...document.querySelectorAll('attn-figure')].every((figure) => figure.dataset.state === 'done'),
      null, { timeout: 60_000 });
    assert.equal(tenWorkers.length, 1, `workers: ${tenWorkers.join(', ')}`);
    const fetched = wasmFetches.map((file) => file.split('/').pop());
    assert.equal(new Set(fetched).size, fetched.length, `a module fetched twice: ${fetched.join(', ')}`);
    assert.ok(fetched.includes('attnrank-figures.wasm') && fetched.every((file) => ['attnrank.wasm', 'attnrank-figures.wasm'].includes(file)),
      fetched.join(', '));
    assert.deepEqual(await tenPage.evaluate(() => window.cspViolations), []);
    assert.deepEqual(tenProblems, []);
    const longest = Math.max(0, ...(await tenPage.evaluate(() => window.longTasks)));
    // Budget 50 ms (measured by bench/embed-speed.mjs); a loose bound here, the CI box is shared.
    assert.ok(longest < 250, `longest main-thread task ${longest} ms`);
    await tenPage.close();
  });

  test('no CSP violation, no console error, no request outside the site, no cookie or storage', async () => {
    assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
    assert.deepEqual(problems, []);
    const origin = new URL(browser.serverUrl).origin;
    const outside = requests.filter((url) => !url.startsWith(origin) && !url.startsWith('about:') && !url.startsWith('blob:'));
    assert.deepEqual(outside, []);
    assert.deepEqual(await browser.context.cookies(), []);
    const storage = await page.evaluate(async () => ({ local: localStorage.length, session: sessionStorage.length,
      databases: (await indexedDB.databases()).length }));
    assert.deepEqual(storage, { local: 0, session: 0, databases: 0 });
  });
});

test('the iframe fallback without ?lang= follows the reader\'s browser language', async () => {
  const chinese = await openBrowser({ webRoot: site, viewport: { width: 800, height: 900 }, locale: 'zh-CN', requireWasm: false });
  try {
    const { page: framePage, problems: frameProblems } = await openPage(chinese.context,
      `${chinese.serverUrl}attnrank/embed.html?kind=stats&n=16&d=4&pattern=forward`);
    await framePage.waitForFunction(() => document.querySelector('attn-figure')?.dataset.state === 'done', null, { timeout: 60_000 });
    const heading = await framePage.evaluate(() => document.querySelector('attn-figure').shadowRoot.querySelector('h3').textContent);
    assert.match(heading, /[\u4e00-\u9fff]/, `heading "${heading}" is not Chinese`);
    assert.equal(await framePage.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.deepEqual(frameProblems, []);
  } finally {
    await chinese.close();
  }
});
