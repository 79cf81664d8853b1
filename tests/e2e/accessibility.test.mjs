// Accessibility of the explorer, the essay and a blog page with every <attn-figure> kind (issue 17 item 10),
// in real Chromium, light and dark, English and Chinese: axe-core (npm, injected through the DevTools
// protocol, so the pages' CSP stays as served) reports no violation of any rule it runs by default (WCAG
// 2.0/2.1 A and AA and its best practices), shadow roots included; every chart canvas has a name in the
// page's language, a generated summary sentence (aria-describedby) and a data table behind a disclosure;
// every table's scroll box can be reached by keyboard and has a name; the first Tab reaches a skip link
// to the main content; under forced colours (high contrast) the legends keep their series colours and focus
// rings use the system's Highlight. Fails on the pages before issue 17 (unnamed canvases, unreachable scroll
// boxes, export buttons whose name leaves out their text, the dark "holds" badge at 3.4:1).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';

import { openPage, root, useBrowser } from './browser.mjs';
import { serveHostPages } from './host-pages.mjs';

const kTimeoutMs = 180_000;
const axeSource = await readFile(path.join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const pages = {
  explorer: (lang) => `index.html?lang=${lang}&n=32&d=4`,
  essay: (lang) => `essay.html?lang=${lang}`,
  embeds: (lang) => `host-pages/light-blog.html?lang=${lang}`,
};
const hasHan = (text) => /[\u4e00-\u9fff]/.test(text);
const browser = useBrowser({ viewport: { width: 1280, height: 900 } },
  { setUp: ({ context, serverUrl }) => serveHostPages(context, serverUrl) });

// Opens a page in a colour scheme and waits until everything on it has drawn.
async function openDrawn(which, lang, colorScheme) {
  const { page, problems } = await openPage(browser.context, 'about:blank');
  await page.emulateMedia({ colorScheme });
  await page.goto(`${browser.serverUrl}${pages[which](lang)}`);
  if (which === 'explorer') await page.waitForSelector('body[data-stages]', { timeout: kTimeoutMs });
  else await page.waitForFunction(() => customElements.get('attn-figure'), null, { timeout: kTimeoutMs });
  await page.evaluate(() => Promise.all([...document.querySelectorAll('attn-figure')].map((figure) => figure.computeNow())));
  // The explorer's later stages (depth, heads, claims) finish after the first figures.
  if (which === 'explorer') {
    await page.waitForFunction(() => document.querySelectorAll('canvas.chart[aria-describedby]').length >= 4, null, { timeout: kTimeoutMs });
  }
  return { page, problems };
}

// axe's violations on the page as '<rule>: <target> (<summary>)' lines.
async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof globalThis.axe === 'object'))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.flatMap((violation) => violation.nodes.map((node) =>
      `${violation.id}: ${node.target.join(' >> ')} (${node.failureSummary.split('\n').slice(1).join(' ').trim().slice(0, 160)})`));
  });
}

// Every chart canvas of the page (shadow roots included): its name, its summary's text and its data table's
// disclosure, and every table scroll box: tabindex and name.
function chartFacts() {
  const roots = [document, ...[...document.querySelectorAll('attn-figure')].map((figure) => figure.shadowRoot)];
  const visible = (element) => element.getClientRects().length > 0;
  const charts = roots.flatMap((root) => [...root.querySelectorAll('canvas.chart')].filter(visible).map((canvas) => {
    const summary = canvas.getAttribute('aria-describedby') ? root.getElementById(canvas.getAttribute('aria-describedby')) : null;
    const details = summary?.nextElementSibling;
    return { name: canvas.getAttribute('aria-label') ?? '', role: canvas.getAttribute('role'), summary: summary?.textContent ?? '',
      hasTable: details?.matches('details.chart-data') && Boolean(details.querySelector('summary')?.textContent) };
  }));
  const scrolls = roots.flatMap((root) => [...root.querySelectorAll('.table-scroll')].filter(visible).map((box) => ({
    tabIndex: box.tabIndex, name: box.getAttribute('aria-label') ?? '' })));
  return { charts, scrolls };
}

for (const which of Object.keys(pages)) {
  describe(which, () => {
    for (const lang of ['en', 'zh']) {
      for (const colorScheme of ['light', 'dark']) {
        test(`${which}, ${lang}, ${colorScheme}: axe-core finds no violation`, { timeout: kTimeoutMs * 2 }, async () => {
          const { page, problems } = await openDrawn(which, lang, colorScheme);
          assert.deepEqual(await axeViolations(page), [], `${which} ${lang} ${colorScheme}`);
          const { charts, scrolls } = await page.evaluate(chartFacts);
          assert.ok(charts.length >= 1, 'found charts');
          for (const chart of charts) {
            assert.equal(chart.role, 'img');
            assert.ok(chart.name.length > 3, `a chart without a name: ${JSON.stringify(chart)}`);
            assert.equal(hasHan(chart.name), lang === 'zh', `chart name in ${lang}: ${chart.name}`);
            assert.match(chart.summary, /\d/, `summary with numbers: ${JSON.stringify(chart)}`);
            assert.equal(hasHan(chart.summary), lang === 'zh', `summary in ${lang}: ${chart.summary}`);
            assert.ok(chart.hasTable, `a data table behind a disclosure: ${chart.name}`);
          }
          for (const box of scrolls) {
            assert.equal(box.tabIndex, 0, 'a table scroll box is in the tab order');
            assert.ok(box.name && hasHan(box.name) === (lang === 'zh'), `a scroll box named in ${lang}: ${box.name}`);
          }
          assert.deepEqual(problems, []);
          await page.close();
        });
      }
    }
  });
}

test('a chart\'s data table lists the values it draws', { timeout: kTimeoutMs }, async () => {
  const { page } = await openDrawn('embeds', 'en', 'light');
  const table = await page.evaluate(async () => {
    const root = document.getElementById('spectra').shadowRoot;
    const details = root.querySelector('details.chart-data');
    details.open = true;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const rows = [...details.querySelectorAll('tbody tr')];
    return { header: [...details.querySelectorAll('thead th')].map((cell) => cell.textContent), rows: rows.length,
      first: [...rows[0].children].map((cell) => cell.textContent) };
  });
  // n = 32: 32 singular values per pattern, one row per index; the first column is the index.
  assert.equal(table.rows, 32);
  assert.equal(table.first[0], '1');
  assert.ok(table.header.includes('bidirectional'), table.header.join(' | '));
  assert.ok(table.first.slice(1).some((cell) => Number(cell) > 0), table.first.join(' | '));
  await page.close();
});

test('the first Tab reaches the skip link, which moves focus to the main content', { timeout: kTimeoutMs }, async () => {
  for (const [which, target] of [['explorer', 'content'], ['essay', 'essay-main']]) {
    const { page } = await openDrawn(which, 'en', 'light');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({ className: document.activeElement.className, href: document.activeElement.getAttribute('href'),
      isShown: document.activeElement.getBoundingClientRect().top >= 0 }));
    assert.match(focused.className, /skip-link/, which);
    assert.equal(focused.href, `#${target}`);
    assert.ok(focused.isShown, 'the focused skip link is on screen');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), target);
    await page.close();
  }
});

test('forced colours: legends keep their series colours, a focused scroll box shows its ring', { timeout: kTimeoutMs }, async () => {
  const { page } = await openDrawn('embeds', 'en', 'light');
  await page.emulateMedia({ forcedColors: 'active' });
  const facts = await page.evaluate(() => {
    const root = document.getElementById('spectra').shadowRoot;
    const swatch = root.querySelector('.chart-legend-swatch');
    const scroll = document.getElementById('linear').shadowRoot.querySelector('.table-scroll[data-i18n-aria]');
    scroll.focus({ focusVisible: true });
    return { adjust: getComputedStyle(swatch).forcedColorAdjust, outline: getComputedStyle(scroll).outlineStyle,
      stroke: getComputedStyle(swatch.querySelector('line')).stroke };
  });
  assert.equal(facts.adjust, 'none');
  assert.notEqual(facts.stroke, 'none');
  assert.notEqual(facts.outline, 'none', 'a focused scroll box shows its focus ring');
  await page.close();
  // The explorer adopts the same sheet (views/forced-colours.mjs; it was a copy in style.css): its legends too.
  const explorer = await openDrawn('explorer', 'en', 'light');
  await explorer.page.emulateMedia({ forcedColors: 'active' });
  const page2 = await explorer.page.evaluate(() => ({
    adjust: getComputedStyle(document.querySelector('#spectra-legend .chart-legend-swatch')).forcedColorAdjust,
    outline: getComputedStyle(document.querySelector('#spectra-chart')).outlineStyle }));
  assert.deepEqual(page2, { adjust: 'none', outline: 'solid' }, 'the explorer under forced colours');
  await explorer.page.close();
});
