// Layout at phone and desktop widths (issue 17 items 2, 7, 8, 12), light and dark, English and Chinese:
// - every table cell of the explorer, the essay and a page of every <attn-figure> kind lies inside the
//   viewport and is not clipped by an ancestor; nothing scrolls sideways unless it can be reached by
//   keyboard; the page itself never scrolls sideways;
// - at 390 px the first pattern heatmap starts within the first screen and the four patterns form a 2x2 grid
//   (the explorer and the essay's first patterns figure); the essay's first live figure starts within the
//   first screen at both widths;
// - the explorer's first screen answers the question with the current result's numbers (and follows it);
// - the heads view runs H = 8 at the default d = 8 and its numbers agree with claim C10's card, or its words
//   say why they differ.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { openPage, useBrowser } from './browser.mjs';

const kTimeoutMs = 180_000;
const widths = [{ width: 1280, height: 900 }, { width: 390, height: 844 }];
const schemes = ['light', 'dark'];
const languages = ['en', 'zh'];

// Every <attn-figure> kind with the attributes the essay uses (the kinds with a table first).
const embedKinds = [
  'kind="linear" n="64" d="8" scale="1"',
  'kind="linear" n="64" d="8" scale="1" feature="relu"',
  'kind="heads" n="64" d="8" scale="1"',
  'kind="architectures"',
  'kind="patterns" n="64" d="8" scale="1"',
  'kind="spectra" n="64" d="8" scale="1"',
  'kind="stats" n="64" d="8" scale="1" pattern="bidirectional,forward"',
  'kind="raises-rank" n="64" d="8"',
  'kind="sweep" n="64" d="8"',
  'kind="collapse" n="32" d="8" layers="16"',
  'kind="claims" claim="C10" n="64" d="8" scale="1"',
];
const kEmbedsPath = 'layout-embeds.html';

// In the page: every problem of the tables' layout (see the header), crossing into open shadow roots.
function tableLayoutProblems() {
  const all = [];
  const walk = (root) => {
    for (const element of root.querySelectorAll('*')) {
      all.push(element);
      if (element.shadowRoot) walk(element.shadowRoot);
    }
  };
  walk(document);
  const parentOf = (element) => element.parentElement ?? element.getRootNode().host ?? null;
  const isShown = (element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden';
  const describe = (element) => {
    const host = element.getRootNode().host;
    const name = `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.className && typeof element.className === 'string' ? `.${element.className.trim().split(/\s+/).join('.')}` : ''}`;
    const where = element.closest('table')?.id || element.closest('section[id]')?.id || '';
    return `${host ? `${host.tagName.toLowerCase()}[${host.getAttribute('kind')}] ` : ''}${name}${where ? ` in ${where}` : ''} "${element.textContent.trim().slice(0, 30)}"`;
  };
  const viewport = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > viewport + 1) {
    problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${viewport})`);
  }
  let cells = 0;
  for (const cell of all.filter((element) => (element.tagName === 'TD' || element.tagName === 'TH') && isShown(element))) {
    const table = cell.closest('table');
    // A stacked table's header row is for screen readers only: each value's card line shows its label.
    if (table?.dataset.layout === 'stacked' && cell.closest('thead')) continue;
    if (table?.dataset.layout === 'stacked' && cell.tagName === 'TD') {
      const header = table.tHead.rows[0].cells[cell.cellIndex]?.textContent;
      if (cell.dataset.label !== header) problems.push(`${describe(cell)}: card label "${cell.dataset.label}", column "${header}"`);
    }
    const box = cell.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    cells += 1;
    if (box.left < -0.5 || box.right > viewport + 0.5) {
      problems.push(`${describe(cell)} lies outside the viewport (${Math.round(box.left)}..${Math.round(box.right)} of ${viewport})`);
    }
    for (let ancestor = parentOf(cell); ancestor && ancestor !== document.documentElement; ancestor = parentOf(ancestor)) {
      const style = getComputedStyle(ancestor);
      if (style.overflowX === 'visible') continue;
      const frame = ancestor.getBoundingClientRect();
      if (box.left >= frame.left - 0.5 && box.right <= frame.right + 0.5) continue;
      const scrolls = (style.overflowX === 'auto' || style.overflowX === 'scroll') && ancestor.scrollWidth > ancestor.clientWidth;
      if (!(scrolls && ancestor.tabIndex >= 0)) {
        problems.push(`${describe(cell)} is clipped by ${describe(ancestor)} (overflow-x ${style.overflowX}, tabindex ${ancestor.tabIndex})`);
        break;
      }
    }
  }
  for (const element of all) {
    const style = getComputedStyle(element);
    if (style.overflowX !== 'auto' && style.overflowX !== 'scroll') continue;
    if (!isShown(element) || element.scrollWidth <= element.clientWidth + 1) continue;
    if (element.tabIndex < 0) problems.push(`${describe(element)} scrolls sideways (${element.scrollWidth} > ${element.clientWidth}) but no key reaches it`);
  }
  return { problems, cells };
}

// Each figure scrolled into view (they compute when near the viewport) until every one is drawn or failed.
async function drawEveryFigure(page, selector) {
  const count = await page.evaluate((s) => document.querySelectorAll(s).length, selector);
  for (let index = 0; index < count; ++index) {
    await page.evaluate(({ s, index }) => document.querySelectorAll(s)[index].scrollIntoView({ block: 'center' }), { s: selector, index });
    await page.waitForFunction(({ s, index }) => ['done', 'error'].includes(document.querySelectorAll(s)[index].dataset.state),
      { s: selector, index }, { timeout: kTimeoutMs });
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(200);  // the tables refit in the next frame after a resize
  return count;
}

function assertTwoByTwo(boxes, where) {
  assert.equal(boxes.length, 4, `${where}: four panels`);
  const [a, b, c, d] = boxes;
  assert.ok(a.top === b.top && c.top === d.top && c.top > a.top, `${where}: two rows of two (${JSON.stringify(boxes)})`);
  assert.ok(a.left === c.left && b.left === d.left && b.left > a.left, `${where}: two columns (${JSON.stringify(boxes)})`);
}

for (const viewport of widths) {
  for (const scheme of schemes) {
    for (const lang of languages) {
      describe(`${viewport.width} px, ${scheme}, ${lang}`, () => {
        const browser = useBrowser({ viewport, locale: lang === 'zh' ? 'zh-CN' : 'en-US' }, {
          setUp: ({ context }) => context.route((url) => url.pathname === `/${kEmbedsPath}`, (route) => route.fulfill({
            contentType: 'text/html; charset=utf-8',
            body: `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <script type="module" src="attnrank.mjs"></script></head><body>
              ${embedKinds.map((attributes) => `<attn-figure ${attributes} lang="${lang}"></attn-figure>`).join('\n')}
              </body></html>`,
          })),
        });

        async function open(path) {
          const opened = await openPage(browser.context, 'about:blank');
          await opened.page.emulateMedia({ colorScheme: scheme });
          await opened.page.goto(new URL(path, browser.serverUrl).href);
          return opened;
        }

        test('explorer: every table value visible; the answer and the first figure on the first screen', { timeout: kTimeoutMs }, async () => {
          const { page, problems } = await open(`index.html?lang=${lang}`);
          await page.waitForSelector('body[data-stages]', { timeout: kTimeoutMs });
          await page.waitForFunction(() => document.querySelectorAll('#heads-table td').length > 0 &&
            document.querySelectorAll('#linear-table td').length > 0, null, { timeout: kTimeoutMs });
          await page.waitForTimeout(200);
          const layout = await page.evaluate(tableLayoutProblems);
          assert.ok(layout.cells >= 80, `${layout.cells} table cells shown (linear, heads, architectures)`);
          assert.deepEqual(layout.problems, []);

          // The answer: on the first screen, from the forward panel's own numbers.
          const answer = await page.evaluate(() => {
            const list = document.getElementById('answer-list');
            const box = list.getBoundingClientRect();
            const card = (key) => document.querySelector(`#patterns-grid [data-pattern="forward"] dd[data-key="${key}"]`);
            return { top: box.top, bottom: box.bottom, height: innerHeight, ...list.dataset,
              rows: [...list.querySelectorAll('.answer-row')].map((row) => row.textContent),
              cardRank: JSON.parse(card('numerical_rank_f64').dataset.value), cardStructural: JSON.parse(card('structurally_full_rank').dataset.value),
              bidirectionalRank: JSON.parse(document.querySelector('#patterns-grid [data-pattern="bidirectional"] dd[data-key="numerical_rank_f64"]').dataset.value) };
          });
          assert.ok(answer.top >= 0 && answer.bottom <= answer.height, `the answer is on the first screen (${answer.top}..${answer.bottom} of ${answer.height})`);
          assert.equal(answer.rows.length, 3);
          assert.equal(Number(answer.rank), answer.cardRank, 'the answer\'s rank is the forward card\'s');
          assert.equal(answer.structural, String(answer.cardStructural));
          assert.ok(answer.rows[1].includes(String(answer.cardRank)) && answer.rows[1].includes('64'), answer.rows[1]);
          assert.ok(answer.rows[2].includes(String(answer.bidirectionalRank)), answer.rows[2]);

          if (viewport.width < 600) {
            const phone = await page.evaluate(() => ({
              firstHeatmapTop: document.querySelector('#patterns-grid canvas.heatmap').getBoundingClientRect().top,
              height: innerHeight,
              panels: [...document.querySelectorAll('#patterns-grid .pattern-panel')].map((panel) => {
                const box = panel.getBoundingClientRect();
                return { left: Math.round(box.left), top: Math.round(box.top) };
              }),
              controlsOpen: document.getElementById('controls-panel')?.open ?? true,
            }));
            assert.ok(phone.firstHeatmapTop < phone.height, `the first heatmap starts at ${phone.firstHeatmapTop} px, below the first screen (${phone.height})`);
            assertTwoByTwo(phone.panels, 'explorer patterns');
            assert.equal(phone.controlsOpen, false, 'on a phone the controls start closed');
            // Opening them shows the controls; the figures stay where the reader left them below.
            await page.click('#controls-panel > summary');
            assert.ok(await page.isVisible('#control-n'));
          } else {
            assert.equal(await page.evaluate(() => document.getElementById('controls-panel')?.open ?? true), true, 'open on desktop');
          }
          assert.deepEqual(problems, []);
          await page.close();
        });

        test('essay: every table value visible; the first live figure on the first screen', { timeout: kTimeoutMs * 2 }, async () => {
          const { page, problems } = await open(`essay.html?lang=${lang}`);
          const shown = `article.essay[lang="${lang}"] attn-figure`;
          await page.waitForSelector(shown, { timeout: kTimeoutMs });
          const first = await page.evaluate((s) => ({ top: document.querySelector(s).getBoundingClientRect().top, height: innerHeight }), shown);
          assert.ok(first.top < first.height, `the first live figure starts at ${first.top} px, below the first screen (${first.height})`);
          const withTables = `article.essay[lang="${lang}"] attn-figure:is([kind="linear"], [kind="heads"], [kind="architectures"])`;
          const count = await drawEveryFigure(page, withTables);
          assert.ok(count >= 3, `${count} figures with tables`);
          if (viewport.width < 600) {
            const panels = await page.evaluate((s) => [...document.querySelector(`${s}[kind="patterns"]`).shadowRoot
              .querySelectorAll('.pattern-panel')].map((panel) => {
              const box = panel.getBoundingClientRect();
              return { left: Math.round(box.left), top: Math.round(box.top) };
            }), shown);
            assertTwoByTwo(panels, 'essay patterns figure');
          }
          const layout = await page.evaluate(tableLayoutProblems);
          assert.ok(layout.cells >= 40, `${layout.cells} table cells shown`);
          assert.deepEqual(layout.problems, []);
          assert.deepEqual(problems, []);
          await page.close();
        });

        test('every <attn-figure> kind: every table value visible', { timeout: kTimeoutMs * 2 }, async () => {
          const { page, problems } = await open(kEmbedsPath);
          assert.equal(await drawEveryFigure(page, 'attn-figure'), embedKinds.length);
          const failed = await page.evaluate(() => [...document.querySelectorAll('attn-figure')]
            .filter((figure) => figure.dataset.state !== 'done').map((figure) => figure.getAttribute('kind')));
          assert.deepEqual(failed, []);
          const layout = await page.evaluate(tableLayoutProblems);
          assert.ok(layout.cells >= 80, `${layout.cells} table cells shown`);
          assert.deepEqual(layout.problems, []);
          assert.deepEqual(problems, []);
          await page.close();
        });
      });
    }
  }
}

describe('heads view and claim C10', () => {
  const browser = useBrowser({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });

  // The heads table's product rank, its configuration line and C10's card, once both are drawn.
  async function headsAndClaim(page) {
    await page.waitForFunction(() => document.getElementById('heads-table').dataset.productNumericalRank &&
      document.querySelector('#claims-list [data-claim="C10"] [data-key="product_numerical_rank"]'), null, { timeout: kTimeoutMs });
    return page.evaluate(() => {
      const fact = (key) => JSON.parse(document.querySelector(`#claims-list [data-claim="C10"] [data-key="${key}"]`).dataset.value);
      const table = document.getElementById('heads-table');
      const rows = [...table.tBodies[0].rows];
      const productRow = rows[rows.length - 3];  // heads, then the product, the split head, the output
      return { triangular: JSON.parse(table.dataset.triangular), tableRank: Number(table.dataset.productNumericalRank),
        shownRank: productRow.cells[3].textContent, c10Rank: fact('product_numerical_rank'), c10Heads: fact('heads'),
        c10Head: fact('d_head'), note: document.getElementById('heads-config').textContent,
        isClaimsMixture: document.getElementById('heads-config').dataset.isClaimsMixture,
        error: document.getElementById('error-heads')?.hidden === false ? document.getElementById('error-heads').textContent : '',
        labels: rows.slice(0, rows.length - 3).map((row) => row.cells[0].textContent) };
    });
  }

  test('H = 8 at the default d = 8 runs; the default H gives C10\'s very numbers', { timeout: kTimeoutMs * 2 }, async () => {
    const { page, problems } = await openPage(browser.context, `${browser.serverUrl}?heads=8`);
    const eight = await headsAndClaim(page);
    assert.equal(eight.error, '');
    assert.deepEqual(eight.triangular, Array(8).fill(true));
    assert.equal(eight.shownRank, String(eight.tableRank));
    assert.ok(eight.note.includes('H = 8 heads of dimension d = 8 (d_model = H · d = 64)'), eight.note);
    assert.equal(eight.isClaimsMixture, 'false');
    assert.ok(eight.note.includes(`Claim C10 below checks the default H = ${eight.c10Heads} heads of dimension d = ${eight.c10Head}`), eight.note);
    assert.equal(eight.labels[0], 'head 1 · forward (causal)');
    await page.close();

    const defaults = await openPage(browser.context, browser.serverUrl);
    const four = await headsAndClaim(defaults.page);
    assert.equal(four.isClaimsMixture, 'true');
    assert.equal(four.c10Heads, four.triangular.length, 'C10 runs the heads view\'s default H');
    assert.equal(four.tableRank, four.c10Rank, 'the table and C10 give one product rank');
    assert.equal(four.shownRank, String(four.c10Rank));
    assert.ok(four.note.includes('Claim C10 below checks this very mixture'), four.note);
    // The heads' masked cells take the masked colour, as in the patterns view (top right of the forward head).
    const masked = await defaults.page.evaluate(async () => {
      const { heatmapShape } = await import('./render/heatmap.mjs');  // the page's own module instance
      const canvas = document.querySelector('#heads-grid [data-panel="forward"] canvas.heatmap');
      const { n, area } = heatmapShape(canvas);
      const scale = canvas.width / canvas.getBoundingClientRect().width;
      const pixel = canvas.getContext('2d').getImageData(Math.floor((area.left + area.width * (n - 0.5) / n) * scale),
        Math.floor((area.top + area.height * 0.5 / n) * scale), 1, 1).data;  // cell (0, n - 1): masked
      const probe = document.createElement('div');
      probe.style.color = getComputedStyle(canvas).getPropertyValue('--masked-cell');
      document.body.append(probe);
      const expected = getComputedStyle(probe).color.match(/\d+/g).map(Number);
      probe.remove();
      return { pixel: [...pixel.slice(0, 3)], expected: expected.slice(0, 3) };
    });
    assert.deepEqual(masked.pixel, masked.expected, 'masked cells of a head drawn as masked, not as zero');
    assert.deepEqual([...problems, ...defaults.problems], []);
    await defaults.page.close();
  });
});
