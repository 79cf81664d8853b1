// Browser end-to-end tests of the explorer page (web/index.html) in Debian's Chromium via playwright-core:
// no console error or CSP violation; every heatmap drawn (pixels, not blank); every statistic shown equals
// the native CLI's JSON for the same URL state; the URL round-trips; every control changes what it should;
// bad values (n = -1, n = 10^9, p > n, scale = NaN, a broken .npy) show an error beside their control while
// the last good result stays and the page stays usable; no horizontal overflow at 390 px; the language
// switch changes the labels. Screenshots at 1280 and 390 px, light and dark, go to test-results/.
// (Replaces page.test.mjs, the minimal page's test; its checks live on here.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { contentSecurityPolicy } from '../../scripts/static-server.mjs';
import { defaultWebRoot, openPage, root, useBrowser } from './browser.mjs';

const webRoot = process.env.ATTNRANK_E2E_WEB ?? defaultWebRoot;  // another served copy, for development
const cliPath = path.join(root, 'build', 'native', 'attnrank');
const resultsDir = path.join(root, 'test-results');
// Native and wasm agree to ~1e-15 on these sizes; sigma_min-limited values are compared through the
// flags (the core reports a bound, identical on both sides, when sigma_min is at the floor).
const kRelativeTolerance = 1e-9;
const kSingularValueTolerance = 1e-12;
const kTimeoutMs = 60_000;
const patterns = ['bidirectional', 'prefix', 'forward', 'backward'];

const browser = useBrowser({ viewport: { width: 1280, height: 1000 }, locale: 'en-US', webRoot });

// Opens the page with listeners for console errors, page errors, failed requests and CSP violations
// attached first (browser.mjs), and waits until the four patterns are shown.
async function openExplorer(query = '') {
  const { page, problems } = await openPage(browser.context, browser.serverUrl + query, { collectCspViolations: true });
  await page.waitForSelector('body[data-updates]', { timeout: kTimeoutMs });
  return { page, problems };
}

// Waits for the next completed update of the patterns after action() runs.
async function afterUpdate(page, action) {
  const before = Number(await page.getAttribute('body', 'data-updates'));
  await action();
  await page.waitForFunction((count) => Number(document.body.dataset.updates) > count && document.body.dataset.state === 'done',
    before, { timeout: kTimeoutMs });
}

async function setText(page, key, value) {
  await page.fill(`#control-${key}`, String(value));
  await page.press(`#control-${key}`, 'Enter');
}

// The statistics cards: { pattern: { key: value (parsed from data-value), ...}, ... } and the shown text.
async function shownCards(page, grid = '#patterns-grid') {
  return page.$$eval(`${grid} .pattern-panel`, (panels) => Object.fromEntries(panels.map((panel) => [
    panel.dataset.pattern,
    {
      config: { ...panel.dataset },
      values: Object.fromEntries([...panel.querySelectorAll('dd[data-key]')].map((dd) => [dd.dataset.key, JSON.parse(dd.dataset.value)])),
      text: Object.fromEntries([...panel.querySelectorAll('dd[data-key]')].map((dd) => [dd.dataset.key, dd.textContent])),
    },
  ])));
}

// Number of distinct colours on a canvas (a drawn heatmap has many; a blank one has at most one).
async function distinctColours(page, selector) {
  return page.$$eval(selector, (canvases) => canvases.map((canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const seen = new Set();
    for (let index = 0; index < data.length; index += 4 * 7) {
      seen.add((data[index] << 24) | (data[index + 1] << 16) | (data[index + 2] << 8) | data[index + 3]);
    }
    return seen.size;
  }));
}

function cliJson(args) {
  assert.ok(existsSync(cliPath), `${cliPath} is missing: build natively (cmake -S . -B build/native)`);
  const run = spawnSync(cliPath, args, { encoding: 'utf8' });
  assert.equal(run.status, 0, `attnrank ${args.join(' ')}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

// Integers, booleans and strings exactly; reals within 1e-9 relative. As in tests/node, quantities only as
// accurate as the smallest singular value are compared through it: sigma_min absolutely (1e-12 sigma_max,
// like every singular value), the condition number through its reciprocal, log |det| within its
// conditioning (n 1e-12 kappa); a determinant the core flags unreliable is not compared (rounding noise).
function assertSameStatistic(key, shown, cli, where) {
  const expected = cli[key];
  const message = `${where} ${key}: page ${shown} vs CLI ${expected}`;
  const closeRelative = (a, b) => a === b || Math.abs(a - b) <= kRelativeTolerance * Math.max(Math.abs(a), Math.abs(b));
  if (key === 'sigma_min') {
    assert.ok(Math.abs(shown - expected) <= kSingularValueTolerance * cli.sigma_max, message);
  } else if (key === 'condition_number' && !cli.condition_number_is_lower_bound) {
    assert.ok(Math.abs(1 / shown - 1 / expected) <= kSingularValueTolerance, message);
  } else if (key === 'log_abs_det' && shown !== null && expected !== null) {
    assert.ok(closeRelative(shown, expected) || Math.abs(shown - expected) <= cli.n * kSingularValueTolerance * cli.condition_number, message);
  } else if (typeof expected === 'number' && !Number.isInteger(expected)) {
    assert.ok(closeRelative(shown, expected), message);
  } else {
    assert.equal(shown, expected, message);
  }
}

// The same wasm module under node: wasm arithmetic is deterministic, so the page must match it exactly.
async function wasmReference() {
  const wasmDir = path.join(webRoot, 'wasm');
  const { default: createAttnrank } = await import(pathToFileURL(path.join(wasmDir, 'attnrank.mjs')).href);
  return createAttnrank({ wasmBinary: await readFile(path.join(wasmDir, 'attnrank.wasm')) });
}

const sortedQuery = (search) => [...new URLSearchParams(search)].map(([key, value]) => `${key}=${value}`).sort();

test('the explorer loads cleanly, draws every heatmap, and shows the CLI\'s numbers for its URL state', { timeout: 180_000 }, async () => {
  const query = '?n=32&d=4&scale=2&seed=3';
  const { page, problems } = await openExplorer(query);
  await page.waitForSelector('body[data-stages]', { timeout: kTimeoutMs });

  // The URL round-trips: the controls show its values and the page writes the same state back.
  assert.equal(await page.inputValue('#control-n'), '32');
  assert.equal(await page.inputValue('#control-d'), '4');
  assert.equal(await page.inputValue('#control-scale'), '2');
  assert.equal(await page.inputValue('#control-seed'), '3');
  assert.deepEqual(sortedQuery(await page.evaluate(() => location.search)), sortedQuery(query));

  // Every heatmap drawn.
  const colours = await distinctColours(page, '#patterns-grid canvas.heatmap');
  assert.equal(colours.length, 4, 'four heatmaps');
  for (const count of colours) assert.ok(count > 8, `a heatmap looks blank (${count} colours)`);
  for (const count of await distinctColours(page, 'canvas.chart')) assert.ok(count > 2, 'a chart looks blank');

  // Every statistic equals the native CLI's for the same state.
  const cards = await shownCards(page);
  assert.deepEqual(Object.keys(cards), patterns);
  const wasm = await wasmReference();
  for (const pattern of patterns) {
    const cli = cliJson(['stats', '--pattern', pattern, '--n', '32', '--d', '4', '--scale', '2', '--seed', '3', '--json']);
    const reference = wasm.analyze({ pattern, n: 32, d: 4, scale: 2, seed: 3 });
    const { values, text, config } = cards[pattern];
    assert.equal(Number(config.n), 32);
    assert.ok(Object.keys(values).length >= 9, `${pattern}: statistics card`);
    for (const [key, value] of Object.entries(values)) {
      assert.equal(value, reference[key], `${pattern} ${key}: page vs the same wasm under node`);
      if (key === 'log_abs_det' && !cli.log_abs_det_is_reliable) {
        assert.match(text[key], /not resolved/);
        continue;
      }
      assertSameStatistic(key, value, cli, pattern);
    }
    assert.equal(text.condition_number.startsWith('\u2265'), cli.condition_number_is_lower_bound, `${pattern}: ≥ iff a bound`);
    assert.equal(text.structurally_full_rank, cli.structurally_full_rank ? 'yes' : 'no');
  }
  assert.equal(cards.forward.values.structurally_full_rank, true, 'a causal softmax matrix is structurally full rank');

  // The words carry live numbers and claim tags.
  assert.match(await page.textContent('#patterns-words'), /C4/);

  // The SVDs ran in workers: the document itself never fetched the wasm.
  assert.ok(page.workers().length >= 1, 'engine workers');
  const documentResources = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
  assert.ok(!documentResources.some((name) => name.endsWith('.wasm')), `main thread fetched ${documentResources}`);

  const metaPolicy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.equal(metaPolicy.replace(/\s+/g, ' ').trim(), contentSecurityPolicy);
  assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'CSP violations');
  assert.deepEqual(problems, [], 'console errors, page errors or failed requests');
  await page.close();
});

test('every control changes what it should', { timeout: 300_000 }, async () => {
  const { page, problems } = await openExplorer('?n=24&d=4');
  const config = async (pattern = 'forward') => (await shownCards(page))[pattern].config;
  const query = () => page.evaluate(() => Object.fromEntries(new URLSearchParams(location.search)));

  for (const [key, value] of [['n', 20], ['d', 3], ['seed', 11], ['scale', 0.5], ['repeat', 5]]) {
    await afterUpdate(page, () => setText(page, key, value));
    assert.equal((await config())[key], String(value), `${key} reaches the core`);
    assert.equal((await query())[key], String(value), `${key} reaches the URL`);
  }
  await afterUpdate(page, () => setText(page, 'prefix', 6));
  assert.equal((await config('prefix')).prefix, '6');
  await afterUpdate(page, () => page.check('#control-rope'));
  assert.equal((await config()).rope, 'true');
  await afterUpdate(page, () => page.selectOption('#control-precision', 'f32'));
  assert.equal((await config()).precision, 'f32');
  await afterUpdate(page, () => page.selectOption('#control-kind', 'linear'));
  assert.equal((await config()).kind, 'linear');
  await afterUpdate(page, () => page.selectOption('#control-feature', 'favor'));
  assert.equal((await config()).feature, 'favor');
  await afterUpdate(page, () => setText(page, 'features', 5));
  assert.equal((await config()).feature_dimension, '5', 'm features bound the rank');
  await afterUpdate(page, () => page.selectOption('#control-kind', 'softmax'));

  // The scale slider moves s in log2 steps.
  await afterUpdate(page, () => page.$eval('#slider-scale', (slider) => {
    slider.value = '1';
    slider.dispatchEvent(new Event('input', { bubbles: true }));
  }));
  assert.equal((await config()).scale, '2');
  assert.equal(await page.inputValue('#control-scale'), '2');

  // Window patterns appear with their w.
  await afterUpdate(page, () => page.check('#control-windows'));
  assert.deepEqual(Object.keys(await shownCards(page)), [...patterns, 'window', 'forward_window']);
  await afterUpdate(page, () => setText(page, 'window', 3));
  assert.equal((await config('window')).window, '3');

  // Log colour redraws the heatmaps (no new analysis).
  const pixels = () => page.$eval('#patterns-grid canvas.heatmap', (canvas) => canvas.toDataURL());
  const automaticPixels = await pixels();
  await page.selectOption('#control-colour', 'log');
  await page.waitForFunction((before) => document.querySelector('#patterns-grid canvas.heatmap').toDataURL() !== before, automaticPixels);
  assert.equal((await query()).colour, 'log');

  // Presets.
  await afterUpdate(page, () => page.click('[data-preset="small"]'));
  assert.equal((await config()).n, '32');
  assert.equal((await config()).d, '4');
  await afterUpdate(page, () => page.click('[data-preset="hot"]'));
  assert.equal((await config()).scale, '0.25');

  // The sweep view: statistic and values.
  await page.waitForSelector('body[data-stages]', { timeout: kTimeoutMs });
  await page.selectOption('#control-sweep_stat', 'numerical_rank_f64');
  assert.equal((await query()).sweep_stat, 'numerical_rank_f64');
  await page.fill('#control-sweep_values', '0.5,1,2');
  await page.press('#control-sweep_values', 'Enter');
  await page.waitForFunction(() => document.getElementById('sweep-chart').dataset.values === '0.5,1,2', null, { timeout: kTimeoutMs });
  assert.equal(await page.getAttribute('#sweep-chart', 'data-stat'), 'numerical_rank_f64');

  // Copy link reports something (clipboard may be refused headless; the status says so).
  await page.click('#copy-link');
  await page.waitForFunction(() => document.getElementById('copy-status').textContent.length > 0);

  // The language switch changes the labels.
  const englishTitle = await page.textContent('#patterns-title');
  await page.selectOption('#control-lang', 'zh');
  await page.waitForFunction((before) => document.getElementById('patterns-title').textContent !== before, englishTitle);
  assert.match(await page.textContent('#patterns-title'), /[\u4e00-\u9fff]/, 'Chinese title');
  assert.match(await page.textContent('label[for="control-n"]'), /[\u4e00-\u9fff]/, 'Chinese label');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.equal((await query()).lang, 'zh');
  await page.selectOption('#control-lang', 'en');
  assert.equal(await page.textContent('#patterns-title'), englishTitle);

  assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'CSP violations');
  assert.deepEqual(problems, [], 'console errors, page errors or failed requests');
  await page.close();
});

test('bad values show an error beside their control; the last good result stays and the page stays usable', { timeout: 240_000 }, async () => {
  // A bad URL value: the error shows beside its control and the page computes with the rest.
  {
    const { page } = await openExplorer('?n=-1&d=4');
    assert.ok(await page.isVisible('#error-n'), 'n=-1 in the URL: error beside n');
    assert.match(await page.textContent('#error-n'), /n=-1/);
    assert.equal((await shownCards(page)).forward.config.d, '4');
    await page.close();
  }
  const { page, problems } = await openExplorer('?n=32&d=4');
  const lastGood = await shownCards(page);
  const unchanged = async (message) => assert.deepEqual((await shownCards(page)).forward.values, lastGood.forward.values, message);
  const bad = [['n', '-1', /n=-1/], ['n', '1000000000', /n=1000000000/], ['scale', 'NaN', /scale/], ['prefix', '40', /prefix=40/]];
  for (const [key, value, pattern] of bad) {
    await setText(page, key, value);
    await page.waitForSelector(`#error-${key}:not([hidden])`, { timeout: kTimeoutMs });
    assert.match(await page.textContent(`#error-${key}`), pattern, `${key}=${value}: the message names the parameter`);
    assert.equal(await page.getAttribute(`#error-${key}`, 'role'), 'alert');
    await page.waitForFunction(() => document.body.dataset.state !== 'computing', null, { timeout: kTimeoutMs });
    await unchanged(`${key}=${value}: the last good result stays`);
    // Usable: a good value clears the error and computes.
    const good = key === 'prefix' ? '' : key === 'scale' ? '1' : '32';
    await afterUpdate(page, () => setText(page, key, good));
    assert.ok(await page.isHidden(`#error-${key}`), `${key}: the error clears`);
  }

  // A broken .npy: the core's parser names the file; the page stays usable.
  await page.setInputFiles('#load-q', { name: 'broken.npy', mimeType: 'application/octet-stream', buffer: Buffer.from('not a numpy file') });
  await page.waitForSelector('#error-load:not([hidden])', { timeout: kTimeoutMs });
  assert.match(await page.textContent('#error-load'), /broken\.npy/);
  await unchanged('a broken file leaves the patterns alone');
  await afterUpdate(page, () => setText(page, 'n', 16));
  assert.equal((await shownCards(page)).forward.config.n, '16');

  // A good JSON file: analysed with the user's Q, K.
  const q = [[1, 0], [0, 1], [1, 1]];
  const k = [[0.5, 0.2], [0.1, 0.9], [1, -1]];
  await page.setInputFiles('#load-q', { name: 'qk.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ q, k })) });
  await page.waitForSelector('#load-analyze:not([disabled])');
  await page.click('#load-analyze');
  await page.waitForFunction(() => document.querySelectorAll('#load-grid .pattern-panel[data-input="user"]').length === 4, null, { timeout: kTimeoutMs });
  assert.equal((await shownCards(page, '#load-grid')).forward.config.n, '3');

  assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'CSP violations');
  assert.deepEqual(problems.filter((problem) => !problem.includes('favicon')), [], 'console errors, page errors or failed requests');
  await page.close();
});

// Issue 13, items 5-7 and 12: the words follow the result (a forward matrix that keeps its numerical rank is
// not said to behave as if rank-deficient), the depth paragraph no longer promises a view that exists, and the
// depth intro does not say skip connections stop the collapse; in English and Chinese.
test('the words follow the numbers: the conditioning clause flips with the scale; depth words corrected', { timeout: 180_000 }, async () => {
  const { enStrings } = await import(pathToFileURL(path.join(webRoot, 'i18n', 'strings.mjs')).href);
  const { zhStrings } = await import(pathToFileURL(path.join(webRoot, 'i18n', 'strings-zh.mjs')).href);
  const { page, problems } = await openExplorer('?n=64&d=8');
  const words = () => page.textContent('#patterns-words');
  const forwardBound = async () => (await shownCards(page)).forward.values.numerical_rank_f64 < 64;
  assert.ok(await forwardBound(), 'at scale 1 the forward matrix loses numerical rank (seed 7)');
  assert.ok((await words()).includes(enStrings['words.causal_ill_conditioned.singular']));
  await afterUpdate(page, () => setText(page, 'scale', 0.25));
  assert.equal(await forwardBound(), false);
  await page.waitForFunction((clause) => document.getElementById('patterns-words').textContent.includes(clause),
    enStrings['words.causal_ill_conditioned.resolved'], { timeout: kTimeoutMs });
  assert.ok(!(await words()).includes(enStrings['words.causal_ill_conditioned.singular']));
  await page.waitForFunction(() => document.getElementById('sweep-words').textContent.length > 0, null, { timeout: kTimeoutMs });
  assert.doesNotMatch(await page.textContent('#sweep-words'), /will follow/);
  assert.doesNotMatch(await page.textContent('#depth .intro'), /skip connections stop/i);
  assert.match(await page.textContent('#depth .intro'), /no longer forces the collapse/);
  await page.selectOption('#control-lang', 'zh');
  await page.waitForFunction((clause) => document.getElementById('patterns-words').textContent.includes(clause),
    zhStrings['words.causal_ill_conditioned.resolved'], { timeout: kTimeoutMs });
  assert.doesNotMatch(await page.textContent('#sweep-words'), /之后加入/);
  assert.doesNotMatch(await page.textContent('#depth .intro'), /残差连接能阻止/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('exports: statistics CSV and JSON, the matrix as .npy, a figure as PNG', { timeout: 120_000 }, async () => {
  const { page, problems } = await openExplorer('?n=16&d=4');
  await page.waitForSelector('body[data-stages]', { timeout: kTimeoutMs });
  const download = async (selector) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
  };
  const csv = await download('#patterns-exports [data-export="csv"]');
  const lines = csv.bytes.toString('utf8').trim().split('\n');
  assert.match(lines[0], /^pattern,/);
  assert.equal(lines.length, 5, 'header + four patterns');
  const json = JSON.parse((await download('#spectra-exports [data-export="json"]')).bytes.toString('utf8'));
  assert.equal(json.length, 4);
  assert.equal(json[0].singular_values.length, 16);
  const npy = await download('#patterns-grid .pattern-panel[data-pattern="forward"] [data-export="npy"]');
  assert.match(npy.name, /forward.*\.npy$/);
  assert.equal(npy.bytes.subarray(0, 6).toString('latin1'), '\x93NUMPY');
  assert.ok(npy.bytes.length >= 16 * 16 * 8, '.npy holds n*n doubles');
  const png = await download('#spectra-exports [data-export="png"]');
  assert.equal(png.bytes.subarray(1, 4).toString('latin1'), 'PNG');
  assert.deepEqual(problems, [], 'console errors, page errors or failed requests');
  await page.close();
});

test('no horizontal overflow at 390 px; screenshots at 1280 and 390 px, light and dark', { timeout: 180_000 }, async () => {
  await mkdir(resultsDir, { recursive: true });
  const { page, problems } = await openExplorer('?n=32&d=4');
  await page.waitForSelector('body[data-stages]', { timeout: kTimeoutMs });
  const backgrounds = new Set();
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));  // resize redraw
      if (width === 390) {
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(scrollWidth <= 390, `horizontal overflow at 390 px (${colorScheme}): scrollWidth ${scrollWidth}`);
      }
      backgrounds.add(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
      await page.screenshot({ path: path.join(resultsDir, `explorer-${width}-${colorScheme}.png`), fullPage: true });
    }
  }
  assert.equal(backgrounds.size, 2, 'prefers-color-scheme: dark changes the colours');
  assert.deepEqual(problems, [], 'console errors, page errors or failed requests');
  await page.close();
});

test('the server refuses paths outside web/ and serves the right MIME types', async () => {
  const response = await fetch(new URL('/../package.json', browser.serverUrl), { redirect: 'manual' });
  assert.equal(response.status, 404);
  const escaped = await fetch(`${browser.serverUrl}%2e%2e/package.json`);
  assert.equal(escaped.status, 404);
  // Paths that start with '//' are paths (the server once read '//' as a URL with no host, threw and stopped).
  const rawStatus = (requestPath) => new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port: new URL(browser.serverUrl).port, path: requestPath }, (response) => {
      response.resume();
      resolve(response.statusCode);
    }).on('error', reject);
    request.setTimeout(10_000, () => request.destroy(new Error(`no answer to GET ${requestPath}`)));
  });
  assert.equal(await rawStatus('//'), 200);
  assert.equal(await rawStatus('//main.mjs'), 200);
  assert.equal(await rawStatus('//etc/passwd'), 404);
  assert.equal(await rawStatus('/'), 200, 'the server still answers');
  const wasm = await fetch(new URL('wasm/attnrank.wasm', browser.serverUrl));
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  const module = await fetch(new URL('main.mjs', browser.serverUrl));
  assert.match(module.headers.get('content-type'), /^text\/javascript/);
  assert.equal(module.headers.get('content-security-policy'), contentSecurityPolicy);
});
