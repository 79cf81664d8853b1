// Honest numbers on the page (issue 13, items 1 and 2) in Debian's Chromium via playwright-core: at f32 the
// f64 rank is "n/a at f32" (zh "f32 下不适用") wherever a RankStats is shown (the pattern cards, the linear
// table, the raises-rank legend, a sweep of it: no value and a note saying why; the claims list no f64
// rank), never a number; sigma_min at or below the core's accuracy floor reads "≤ <floor>" (cards, claims
// facts, a sigma_min sweep's grey bounds) and a resolved one a plain number; the spectra CSV labels the
// values below the floor. The explorer at the example (forward, n 64, d 8, seed 7) and the same
// through <attn-figure> (embed.html). ATTNRANK_E2E_WEB serves another copy of web/ (to see a test fail
// against an older page).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { defaultWebRoot, openPage, root, useBrowser } from './browser.mjs';

const webRoot = process.env.ATTNRANK_E2E_WEB ?? defaultWebRoot;
const kTimeoutMs = 90_000;
const patterns = ['bidirectional', 'prefix', 'forward', 'backward'];
const kNotAtF32 = 'n/a at f32';
const kNotAtF32Zh = 'f32 下不适用';
const kUpperBound = /^≤ \d/;  // "≤ 2.44 × 10⁻¹⁴"
const kPlainNumber = /^\d[\d.]*(\s×\s10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?$/;  // "1.78 × 10⁻⁴" (narrow no-break spaces)

const browser = useBrowser({ viewport: { width: 1280, height: 1000 }, locale: 'en-US', webRoot });

async function openExplorer(query) {
  const { page, problems } = await openPage(browser.context, browser.serverUrl + query, { collectCspViolations: true });
  await page.waitForSelector('body[data-stages]', { timeout: kTimeoutMs });
  return { page, problems };
}

// The cards: { pattern: { key: { text, value } } }.
async function cards(page, root = 'document') {
  return page.evaluate((root) => {
    const scope = root === 'document' ? document : document.querySelector(root).shadowRoot;
    return Object.fromEntries([...scope.querySelectorAll('[data-pattern]')].filter((panel) => panel.querySelector('dl.stats-card'))
      .map((panel) => [panel.dataset.pattern, Object.fromEntries([...panel.querySelectorAll('dd[data-key]')]
        .map((dd) => [dd.dataset.key, { text: dd.textContent, value: JSON.parse(dd.dataset.value), title: dd.title }]))]));
  }, root);
}

async function selectAndWait(page, key, value) {
  await page.selectOption(`#control-${key}`, value);
  await page.waitForFunction((value) => document.getElementById('sweep-chart').dataset.stat === value, value);
}

test('explorer at f32: the f64 rank is "n/a at f32" everywhere, sigma_min "≤ floor"; the sweep says why it has no f64 rank',
  { timeout: 240_000 }, async () => {
    const { page, problems } = await openExplorer('?precision=f32');
    const shown = await cards(page);
    assert.deepEqual(Object.keys(shown), patterns);
    for (const pattern of patterns) {
      const card = shown[pattern];
      assert.equal(card.numerical_rank_f64.text, kNotAtF32, `${pattern}: f64 rank at f32`);
      assert.equal(card.numerical_rank_f64.value, null, `${pattern}: the core reports no f64 rank at f32`);
      assert.match(card.numerical_rank_f64.title, /single precision/, `${pattern}: the tooltip says why`);
      assert.match(card.numerical_rank_f32.text, /^\d+$/);
    }
    // The example: forward, n 64, d 8, seed 7 at f32 (the CLI printed 64 for the f64 rank).
    assert.match(shown.forward.sigma_min.text, kUpperBound, `forward sigma_min: ${shown.forward.sigma_min.text}`);
    assert.match(shown.forward.sigma_min.title, /accuracy floor/);

    // The words beside the figures name the f32 rank as such and never put "n/a at f32" where a count
    // belongs ("Yet n/a at f32 of its 64 singular values ..." was shown before).
    const words = await page.$$eval('.words p.claim', (paragraphs) => paragraphs.map((p) => p.textContent));
    assert.ok(words.length >= 6, `paragraphs: ${words.length}`);
    for (const text of words) assert.ok(!text.includes(kNotAtF32), `a sentence with "${kNotAtF32}": ${text}`);
    const causal = words.find((text) => text.includes('below single precision'));
    assert.match(causal, /numerical rank \d+ at f32 tolerance/, causal);
    assert.ok(!causal.includes('double precision\'s resolution'), causal);
    assert.ok(words.some((text) => /numerical rank is \d+ \(at f32 tolerance\) of 64/.test(text)), 'C6 paragraph at f32');

    // The linear contrast's table and the raises-rank legend.
    const linear = await page.$$eval('#linear-table td[data-key="numerical_rank_f64"]', (cells) => cells.map((cell) => cell.textContent));
    assert.equal(linear.length, 4);
    assert.deepEqual(linear, Array(4).fill(kNotAtF32));
    const raisesLegend = await page.$$eval('#raises-legend .chart-legend-label', (labels) => labels.map((label) => label.textContent));
    assert.ok(raisesLegend.includes(`numerical rank (f64): ${kNotAtF32}`), `raises legend: ${raisesLegend.join(' | ')}`);

    // The claims list no f64 rank at f32; C4's sigma_min (forward at scale 1) is a bound.
    await page.waitForSelector('#claims-list [data-claim="C4"]', { timeout: kTimeoutMs });
    assert.equal(await page.$$eval('#claims-list dd[data-key="numerical_rank_f64"]', (cells) => cells.length), 0);
    assert.match(await page.textContent('#claims-list [data-claim="C4"] dd[data-key="sigma_min"]'), kUpperBound);

    // The sweep (it ran by itself at n 64): the f64 rank has no value and a note says why; sigma_min's
    // bounds are grey points with a note.
    await selectAndWait(page, 'sweep_stat', 'numerical_rank_f64');
    const note = await page.$eval('#sweep .chart-note', (element) => ({ key: element.dataset.note, text: element.textContent, hidden: element.hidden }));
    assert.equal(note.key, 'sweep.not_at_f32');
    assert.equal(note.hidden, false);
    assert.match(note.text, /n\/a at f32/);
    await selectAndWait(page, 'sweep_stat', 'sigma_min');
    assert.equal(await page.$eval('#sweep .chart-note', (element) => element.dataset.note), 'sweep.upper_bounds');
    await selectAndWait(page, 'sweep_stat', 'effective_rank');
    assert.equal(await page.$eval('#sweep .chart-note', (element) => element.hidden), true);

    // The spectra CSV labels every value below the floor; the forward pattern's last one is.
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('#spectra-exports [data-export="spectra"]')]);
    const lines = (await readFile(await file.path(), 'utf8')).trim().split('\n');
    assert.equal(lines[0], 'pattern,index,singular_value,below_accuracy_floor');
    const forwardRows = lines.filter((line) => line.startsWith('forward,'));
    assert.equal(forwardRows.length, 64);
    assert.match(forwardRows.at(-1), /,true$/);
    assert.equal(lines.slice(1).filter((line) => line.startsWith('forward,') && line.endsWith(',false')).length,
      Number(shown.forward.numerical_rank_f32.text), 'the unlabelled values are the f32 rank');

    assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
    assert.deepEqual(problems, [], 'console errors, page errors or failed requests');
    await page.close();
  });

test('explorer at f32 in Chinese: "f32 下不适用"', { timeout: 120_000 }, async () => {
  const { page, problems } = await openExplorer('?precision=f32&lang=zh');
  const shown = await cards(page);
  for (const pattern of patterns) assert.equal(shown[pattern].numerical_rank_f64.text, kNotAtF32Zh, pattern);
  assert.match(shown.forward.sigma_min.text, kUpperBound);
  const words = await page.$$eval('.words p.claim', (paragraphs) => paragraphs.map((p) => p.textContent));
  for (const text of words) assert.ok(!text.includes(kNotAtF32Zh), `a sentence with "${kNotAtF32Zh}": ${text}`);
  assert.ok(words.some((text) => text.includes('按 f32 容差的数值秩为')), 'the zh causal paragraph at f32');
  assert.deepEqual(problems, []);
  await page.close();
});

test('explorer at f64: sigma_min below the floor is "≤ floor" (forward, seed 7, scale 1); resolved ones are plain numbers',
  { timeout: 180_000 }, async () => {
    const { page, problems } = await openExplorer('?n=64&d=8&seed=7');
    const atScale1 = await cards(page);
    assert.match(atScale1.forward.numerical_rank_f64.text, /^\d+$/, 'at f64 the f64 rank is a count');
    assert.ok(atScale1.forward.numerical_rank_f64.value < 64);
    assert.match(atScale1.forward.sigma_min.text, kUpperBound, `forward sigma_min at scale 1: ${atScale1.forward.sigma_min.text}`);
    assert.match(atScale1.bidirectional.sigma_min.text, kPlainNumber, `bidirectional sigma_min: ${atScale1.bidirectional.sigma_min.text}`);
    await page.close();

    const resolved = await openExplorer('?n=64&d=8&seed=7&scale=0.25');
    const atQuarter = await cards(resolved.page);
    for (const pattern of patterns) {
      assert.match(atQuarter[pattern].sigma_min.text, kPlainNumber, `${pattern} sigma_min at scale 0.25: ${atQuarter[pattern].sigma_min.text}`);
      assert.equal(atQuarter[pattern].sigma_min.title, '', `${pattern}: no bound tooltip`);
    }
    assert.deepEqual([...problems, ...resolved.problems], []);
    await resolved.page.close();
  });

test('<attn-figure> (embed.html): the same words in a stats figure and a linear figure', { timeout: 120_000 }, async () => {
  const figure = async (query) => {
    const { page, problems } = await openPage(browser.context, `${browser.serverUrl}embed.html?${query}`, { collectCspViolations: true });
    await page.waitForFunction(() => ['done', 'error'].includes(document.querySelector('attn-figure')?.dataset.state), null,
      { timeout: kTimeoutMs });
    assert.equal(await page.$eval('attn-figure', (element) => element.dataset.state), 'done', query);
    return { page, problems };
  };
  const f32 = await figure('kind=stats&pattern=forward,bidirectional&n=64&d=8&seed=7&precision=f32&lang=en');
  const shown32 = await cards(f32.page, 'attn-figure');
  for (const pattern of ['forward', 'bidirectional']) assert.equal(shown32[pattern].numerical_rank_f64.text, kNotAtF32, pattern);
  assert.match(shown32.forward.sigma_min.text, kUpperBound);

  const zh = await figure('kind=stats&pattern=forward&n=64&d=8&seed=7&precision=f32&lang=zh');
  assert.equal((await cards(zh.page, 'attn-figure')).forward.numerical_rank_f64.text, kNotAtF32Zh);

  const f64 = await figure('kind=stats&pattern=forward&n=64&d=8&seed=7&lang=en');
  assert.match((await cards(f64.page, 'attn-figure')).forward.sigma_min.text, kUpperBound);
  const quarter = await figure('kind=stats&pattern=forward&n=64&d=8&seed=7&scale=0.25&lang=en');
  assert.match((await cards(quarter.page, 'attn-figure')).forward.sigma_min.text, kPlainNumber);

  const linear = await figure('kind=linear&n=64&d=8&seed=7&precision=f32&lang=en');
  const cells = await linear.page.evaluate(() => [...document.querySelector('attn-figure').shadowRoot
    .querySelectorAll('td[data-key="numerical_rank_f64"]')].map((cell) => cell.textContent));
  assert.deepEqual(cells, Array(4).fill(kNotAtF32));

  for (const opened of [f32, zh, f64, quarter, linear]) {
    assert.deepEqual(await opened.page.evaluate(() => window.cspViolations), []);
    assert.deepEqual(opened.problems.filter((problem) => !problem.includes('favicon')), []);
    await opened.page.close();
  }
});
