// The explorer's controls, loading your own Q and K, and its words, in Chromium (issue 17 items 6, 9, 11 and
// the words at extreme scales): a typed n moves its (log2) slider; switching "sweep over" to n sweeps n's own
// values on a log axis labelled at them, and a bad list is named by the control the reader sees; the
// feature map is disabled (and looks it) under softmax; the prefix label keeps "empty = n / 2" in zh; a
// rejected Q keeps its message when K is chosen; the load exports wait for data and are named after it; the
// Chinese page has a Chinese title and its links keep the language; at a huge scale the paragraphs agree
// with the cards. The pure parts: tests/node/controls-words.test.mjs, tests/node/words-extreme.test.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { sweepDefaults } from '../../web/state/url-state.mjs';
import { openPage, useBrowser } from './browser.mjs';

const kTimeoutMs = 180_000;
const browser = useBrowser({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });

async function openExplorer(query = '') {
  const { page, problems } = await openPage(browser.context, browser.serverUrl + query);
  await page.waitForSelector('body[data-state="done"]', { timeout: kTimeoutMs });
  return { page, problems };
}

async function setText(page, key, value) {
  await page.fill(`#control-${key}`, String(value));
  await page.press(`#control-${key}`, 'Enter');
}

// A C-order float64 .npy file of `rows` x `cols` values (NPY format 1.0).
function npy(rows, cols, valueAt) {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const bytes = Buffer.alloc(10 + header.length + 8 * rows * cols);
  Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0]).copy(bytes, 0);
  bytes.writeUInt16LE(header.length, 8);
  bytes.write(header, 10, 'latin1');
  for (let index = 0; index < rows * cols; ++index) bytes.writeDoubleLE(valueAt(index), 10 + header.length + 8 * index);
  return bytes;
}

test('a typed n moves its slider, which spans 1 to 4096; a value beyond the s slider is said so', { timeout: 300_000 }, async () => {
  const { page, problems } = await openExplorer();
  const slider = async (key) => page.$eval(`#slider-${key}`, (element) => ({ value: Number(element.value), min: Number(element.min),
    max: Number(element.max), step: Number(element.step), text: element.getAttribute('aria-valuetext') }));
  assert.ok(2 ** (await slider('n')).max >= 2048, 'n = 2048 lies on the slider');
  await setText(page, 'n', 200);
  const n = await slider('n');
  assert.ok(Math.abs(n.value - Math.log2(200)) <= n.step / 2, `typed n = 200: the thumb at ${n.value}, log2(200) = ${Math.log2(200)}`);
  assert.equal(n.text, '200', 'the slider reads the value, not its position');
  await page.waitForSelector('body[data-state="done"]', { timeout: kTimeoutMs });
  // Dragging the slider writes a rounded n into the field.
  await page.$eval('#slider-n', (element) => {
    element.value = '5';
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
  assert.equal(await page.inputValue('#control-n'), '32');
  // s = 1e300 is far beyond the slider's 1/16 ... 16: the slider rests at its end and says so.
  assert.ok(await page.isHidden('#slider-note-scale'));
  await setText(page, 'scale', '1e300');
  await page.waitForSelector('#slider-note-scale:not([hidden])', { timeout: 10_000 });
  assert.equal((await slider('scale')).value, (await slider('scale')).max);
  await setText(page, 'scale', '2');
  assert.ok(await page.isHidden('#slider-note-scale'));
  assert.equal((await slider('scale')).value, 1);
  await page.waitForSelector('body[data-state="done"]', { timeout: kTimeoutMs });
  assert.deepEqual(problems, []);
  await page.close();
});

test('sweep over n keeps n\'s own values on a log axis; a bad list names the visible control', { timeout: 300_000 }, async () => {
  const { page, problems } = await openExplorer('?n=32');
  await page.selectOption('#control-sweep_over', 'n');
  assert.equal(await page.inputValue('#control-sweep_values'), sweepDefaults.n, 'n\'s own values, not 0.25 ... 4');
  assert.ok(await page.isHidden('#error-sweep_values'), 'no error at once');
  assert.equal(new URL(page.url()).searchParams.get('sweep_values'), null, 'the axis\'s default is not written in the URL');
  await page.waitForFunction((values) => document.querySelector('#sweep-chart')?.dataset.values === values,
    sweepDefaults.n, { timeout: kTimeoutMs });
  assert.equal(await page.getAttribute('#sweep-chart', 'data-x-log'), 'true', 'n is swept on a log axis');
  // Back to scale: its own values again.
  await page.selectOption('#control-sweep_over', 'scale');
  assert.equal(await page.inputValue('#control-sweep_values'), sweepDefaults.scale);
  await page.waitForFunction((values) => document.querySelector('#sweep-chart')?.dataset.values === values,
    sweepDefaults.scale, { timeout: kTimeoutMs });
  assert.equal(await page.getAttribute('#sweep-chart', 'data-x-log'), 'true');
  // A list that cannot be n: the message names the control the reader sees.
  await page.selectOption('#control-sweep_over', 'n');
  await setText(page, 'sweep_values', '8,0.5');
  await page.waitForSelector('#error-sweep_values:not([hidden])', { timeout: 10_000 });
  const message = await page.textContent('#error-sweep_values');
  const label = await page.textContent('label[for="control-sweep_values"]');  // values (comma-separated)
  assert.ok(message.startsWith(`${label.replace(/ \(.*\)$/, '')}: n=0.5`), `"${message}" names "${label}"`);
  assert.doesNotMatch(message, /sweep_values/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the feature map is disabled under softmax and looks it; the prefix label keeps its default in zh', { timeout: 300_000 }, async () => {
  const { page, problems } = await openExplorer();
  const look = (id) => page.$eval(id, (element) => ({ disabled: element.disabled, border: getComputedStyle(element).borderTopStyle,
    label: getComputedStyle(document.querySelector(`label[for="${element.id}"]`)).color }));
  const softmax = await look('#control-feature');
  assert.equal(softmax.disabled, true, 'feature map: disabled under softmax');
  assert.equal((await look('#control-features')).disabled, true);
  const enabledLook = await look('#control-d');
  assert.notEqual(softmax.border, enabledLook.border, 'a disabled field looks different (its border)');
  assert.notEqual(softmax.label, enabledLook.label, 'and its label');
  await page.selectOption('#control-kind', 'linear');
  assert.equal((await look('#control-feature')).disabled, false, 'enabled for linear attention');
  assert.equal((await look('#control-features')).disabled, true, 'm only for favor');
  await page.selectOption('#control-feature', 'favor');
  assert.equal((await look('#control-features')).disabled, false);
  assert.match(await page.textContent('label[for="control-prefix"]'), /empty = n \/ 2/);
  await page.selectOption('#control-lang', 'zh');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  assert.match(await page.textContent('label[for="control-prefix"]'), /留空即 n \/ 2/);
  await page.waitForSelector('body[data-state="done"]', { timeout: kTimeoutMs });
  assert.deepEqual(problems, []);
  await page.close();
});

test('your own Q and K: a rejected Q keeps its message beside K; exports wait for data and carry its name', { timeout: 300_000 }, async () => {
  const { page, problems } = await openExplorer();
  // Nothing loaded: nothing to export.
  const loadExports = () => page.$$eval('#load-exports button', (buttons) => buttons.map((button) => button.disabled));
  assert.ok((await loadExports()).every(Boolean), 'the load exports are disabled before any file');
  await page.setInputFiles('#load-q', { name: 'Qnan.npy', mimeType: 'application/octet-stream', buffer: npy(48, 6, (index) => (index === 7 ? Number.NaN : Math.sin(index))) });
  await page.waitForSelector('#error-load:not([hidden])', { timeout: kTimeoutMs });
  const rejected = await page.textContent('#error-load');
  assert.match(rejected, /Qnan\.npy/);
  await page.setInputFiles('#load-k', { name: 'K.npy', mimeType: 'application/octet-stream', buffer: npy(48, 6, (index) => Math.cos(3 * index)) });
  await page.waitForFunction(() => /K: 48 × 6/.test(document.querySelector('#load-summary').textContent), null, { timeout: kTimeoutMs });
  assert.ok(await page.isVisible('#error-load'), 'choosing K keeps the rejected Q\'s message');
  assert.ok((await page.textContent('#error-load')).includes(rejected));
  const summary = await page.textContent('#load-summary');
  assert.doesNotMatch(summary, /Q: no file yet/, summary);
  assert.match(summary, /Qnan\.npy/);
  assert.ok(await page.isDisabled('#load-analyze'));
  // A good Q: analysed; the exports are enabled and named after the 48 x 6 data.
  await page.setInputFiles('#load-q', { name: 'Q.npy', mimeType: 'application/octet-stream', buffer: npy(48, 6, (index) => Math.sin(index)) });
  await page.waitForSelector('#load-analyze:not([disabled])', { timeout: kTimeoutMs });
  assert.ok(await page.isHidden('#error-load'), 'the message goes with the rejected file');
  await page.click('#load-analyze');
  await page.waitForFunction(() => document.querySelectorAll('#load-grid .pattern-panel[data-input="user"]').length === 4, null, { timeout: kTimeoutMs });
  assert.ok((await loadExports()).every((disabled) => !disabled), 'enabled once there are results');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#load-exports button[data-export="csv"]')]);
  assert.equal(download.suggestedFilename(), 'attnrank-n48-d6-s1-user-qk-statistics.csv');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the Chinese page: a Chinese title, and the language kept across the links between explorer and essay', { timeout: 300_000 }, async () => {
  const { page, problems } = await openExplorer('?lang=zh');
  assert.match(await page.title(), /[\u4e00-\u9fff]/, `title: ${await page.title()}`);
  const essayLink = await page.getAttribute('.site-footer a[href^="essay.html"]', 'href');
  assert.equal(new URL(essayLink, browser.serverUrl).searchParams.get('lang'), 'zh', `footer link ${essayLink}`);
  // The figures below the first view fetch their chunks and the figures' wasm module from the first figure on,
  // and the claims' lab verdicts when their cards come near the viewport: leaving the page aborts what is still
  // in flight (net::ERR_ABORTED, a "request failed" in problems), which is the browser's doing, not a fault.
  const aborted = new Set();
  page.on('requestfailed', (request) => {
    if (request.failure()?.errorText === 'net::ERR_ABORTED') aborted.add(`request failed: ${request.url()}`);
  });
  await page.waitForSelector('body[data-stages]', { timeout: kTimeoutMs });
  await page.click('.site-footer a[href^="essay.html"]');
  await page.waitForLoadState('load');
  await page.waitForFunction(() => document.documentElement.lang.startsWith('zh'), null, { timeout: kTimeoutMs });
  assert.match(await page.title(), /[\u4e00-\u9fff]/);
  const back = await page.$$eval('a[href^="index.html"], a[href^="./"], a[href="."]', (links) => links.map((link) => link.href));
  assert.ok(back.length > 0, 'the essay links to the explorer');
  for (const href of back) assert.equal(new URL(href).searchParams.get('lang'), 'zh', href);
  // The language switch of the explorer (English now) carries over too.
  const english = await openExplorer('?lang=zh');
  await english.page.selectOption('#control-lang', 'en');
  await english.page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.doesNotMatch(await english.page.title(), /[\u4e00-\u9fff]/);
  const link = await english.page.getAttribute('.site-footer a[href^="essay.html"]', 'href');
  assert.equal(new URL(link, browser.serverUrl).searchParams.get('lang'), 'en');
  await english.page.close();
  assert.deepEqual(problems.filter((problem) => !problem.includes('favicon') && !aborted.has(problem)), []);
  await page.close();
});

test('at a huge logit scale the words agree with the cards: det A = 0, not full rank, no "close to uniform"', { timeout: 300_000 }, async () => {
  const { page, problems } = await openExplorer('?scale=1e307');
  await page.waitForFunction(() => document.querySelectorAll('#patterns-words .claim').length >= 4, null, { timeout: kTimeoutMs });
  const card = (key) => page.$eval(`#patterns-grid .pattern-panel[data-pattern="forward"] dd[data-key="${key}"]`, (element) => element.dataset.value);
  assert.equal(await card('structurally_full_rank'), 'false');
  assert.equal(await card('log_abs_det'), 'null');
  const words = await page.$$eval('#patterns-words .claim', (paragraphs) => paragraphs.map((paragraph) => paragraph.textContent));
  const c4 = words.filter((text) => /claim C4/.test(text));
  assert.equal(c4.length, 2);
  for (const text of c4) assert.doesNotMatch(text, /it is full rank\. Here log|Both statements can hold/, text);
  assert.match(c4[0], /Floating point does not keep even that at s = 1\u202f×\u202f10³⁰⁷/);
  assert.match(c4[0], /det A = 0 and is not structurally full rank/);
  const c3 = words.find((text) => /claim C3/.test(text));
  assert.doesNotMatch(c3, /close to uniform/, c3);
  assert.deepEqual(problems, []);
  await page.close();
});

test('words and consistency: claim cards typeset like the prose, one count format, "no" explained, definitions on focus, rows level', { timeout: 300_000 }, async () => {
  const { page, problems } = await openExplorer();
  await page.waitForFunction(() => Number(document.getElementById('claims-list').dataset.claims) > 0, null, { timeout: kTimeoutMs });
  const cards = await page.$$eval('#claims-list .claim-card', (list) => list.map((card) => card.textContent));
  for (const card of cards) assert.doesNotMatch(card, /\^T|sqrt\(|<=|>=|!=|\bphi\b/, card.slice(0, 120));
  assert.ok(cards.some((card) => /Q Kᵀ/.test(card) && /√d/.test(card)), 'Q Kᵀ and √d as in the prose');
  const c13 = await page.$eval('#claims-list [data-claim="C13"]', (card) => card.textContent);
  assert.doesNotMatch(c13, /35265024/, 'no raw parameter count');
  assert.match(c13, /35\.3\u202fM/);
  const arch = await page.$$eval('#arch-table tbody tr', (rows) => rows.map((row) => row.cells[1].textContent));
  assert.equal(arch[0], '35.3\u202fM', 'the architectures table formats the same count the same way');
  assert.doesNotMatch(await page.textContent('#arch-note'), /docs\//, 'no repository path in a reader-facing caption');
  // "structurally full rank: no" beside a full numerical rank: the row is labelled by what it tests, and its
  // "no" says why.
  const bidirectional = '#patterns-grid .pattern-panel[data-pattern="bidirectional"]';
  const structural = `${bidirectional} dd[data-key="structurally_full_rank"]`;
  assert.equal(await page.textContent(structural), 'no');
  assert.equal(await page.$eval(structural, (element) => element.previousElementSibling.textContent), 'triangular, Aᵢᵢ > 0');
  assert.match(await page.getAttribute(structural, 'title'), /^Not triangular, so the structural argument/);
  // A statistic's definition on keyboard focus.
  const term = `${bidirectional} .stat-row:nth-child(3) dt`;
  assert.equal(await page.textContent(term), 'effective rank');
  await page.focus(term);
  const shown = await page.$eval(term, (element) => getComputedStyle(element, '::after').content);
  assert.match(shown, /Roy & Vetterli/, 'the definition shows on focus');
  // The rows of the four cards line up (the condition number's label no longer wraps in two cards only).
  const tops = await page.$$eval('#patterns-grid .pattern-panel', (panels) => panels.map((panel) =>
    [...panel.querySelectorAll('.stat-row')].map((row) => Math.round(row.getBoundingClientRect().top))));
  for (const rowTops of tops.slice(1)) assert.deepEqual(rowTops, tops[0], 'card rows level');
  // The prefix rule keeps its p.
  const rule = await page.$eval('#patterns-grid .pattern-panel[data-pattern="prefix"] .pattern-rule',
    (element) => ({ text: element.textContent, cut: element.scrollWidth > element.clientWidth }));
  assert.match(rule.text, /p = 32$/);
  assert.equal(rule.cut, false, 'the prefix rule is not cut');
  // The footer link is the page's accent, not the browser's default blue.
  const link = await page.$eval('.site-footer a', (element) => getComputedStyle(element).color);
  assert.notEqual(link, 'rgb(0, 0, 238)');
  assert.deepEqual(problems, []);
  await page.close();
  // kind="heads" shows the mixture, not the architectures table again.
  const embed = await openPage(browser.context, `${browser.serverUrl}embed.html?kind=heads&n=16&d=8`);
  await embed.page.waitForFunction(() => document.querySelector('attn-figure')?.dataset.state === 'done', null, { timeout: kTimeoutMs });
  const tables = await embed.page.evaluate(() => [...document.querySelector('attn-figure').shadowRoot.querySelectorAll('table')]
    .map((table) => table.textContent));
  assert.equal(tables.length, 1, 'one table: the mixture\'s');
  assert.doesNotMatch(tables[0], /GPT|T5/);
  assert.deepEqual(embed.problems, []);
  await embed.page.close();
});
