// Hostile URL states on the explorer page (issue 8): markup and scripts in values, n = 1e9, negative, fractional,
// NaN, 10,000 repeated parameters, a 100 KB query, unicode and right-to-left junk, javascript: URLs, then every
// case of the shared bad-input table (tests/fixtures/bad-inputs.json) through the page's URL. Each must give its
// error beside the control, no dialog, no console error, no element created from a value, and the page stays
// usable. <attn-figure> attributes: hostile-figure.test.mjs; limits and security: hostile.test.mjs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { enStrings } from '../../web/i18n/strings.mjs';
import { urlParameters } from '../../web/state/parameter-registry.mjs';
import { keyOfParam, readerMessage } from '../../web/state/url-state.mjs';
import { kTimeoutMs, table, browser, useHostileBrowser, openWatched, dangerousCount, waitForText, assertUsable } from './hostile-harness.mjs';

// A message as the English page shows it beside a control: the core's words with an internal key replaced by
// the visible control's label (issue 17 item 6: sweep_values -> "values (comma-separated)", d_model -> "d (head
// dimension)"; url-state.mjs readerMessage, the page's one mapping).
const labels = new Map(urlParameters.map((entry) => [entry.url_key, enStrings[entry.words_key]]));
const onPage = (message) => readerMessage(message, (key) => labels.get(key) ?? null);

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


useHostileBrowser();

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
      assert.ok(shown.includes(onPage(message)), `${name}: "${shown.slice(0, 200)}" lacks "${onPage(message)}"`);
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
          await waitForText(page, onPage(entry.page_message));
          await page.waitForFunction(() => document.body.dataset.stages !== undefined || document.body.dataset.state === 'error',
            null, { timeout: kTimeoutMs });
          await waitForText(page, onPage(entry.page_message));
          // Beside the control the table's param names (when the page has one for it).
          const key = keyOfParam(entry.param);
          const beside = key ? await page.$eval(`#error-${key}`, (box) => (box.hidden ? '' : box.textContent)).catch(() => null) : null;
          if (beside !== null && !beside.includes(onPage(entry.page_message))) {
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
