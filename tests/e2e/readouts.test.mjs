// Readouts, axes, colour bars and the shared colour scale of the figures (issue 17 item 3), in Chromium:
// hovering a heatmap cell and moving the keyboard cursor over heatmaps and charts say values that equal
// the wasm module's own results for the same configuration (computed here in node, not read from the page);
// a spectrum value at or below the accuracy floor reads as "≤ floor", never as its computed number; every
// heatmap (patterns, heads, depth, an embedded figure) has a colour bar naming its scale; equal weights get
// equal colours across the pattern panels (one range, [0, 1]); at n = 512 the heatmap stays legible (log
// colour, its pixel spread far above the old linear scale's on the same matrix).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { installPatterns } from '../../web/state/pattern-registry.mjs';
import { collapseConfigFor, configFor, defaultState } from '../../web/state/url-state.mjs';
import { loadAttnrank } from '../node/load-wasm.mjs';
import { openPage, useBrowser } from './browser.mjs';

const kTimeoutMs = 120_000;
const patterns = ['bidirectional', 'prefix', 'forward', 'backward'];

const browser = useBrowser({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });
let attnrank;

before(async () => {
  attnrank = await loadAttnrank();
  installPatterns(attnrank.patterns());
});

async function openExplorer(query = '') {
  const { page, problems } = await openPage(browser.context, browser.serverUrl + query);
  await page.waitForSelector('body[data-stages]', { timeout: kTimeoutMs });
  return { page, problems };
}

// The number a readout shows: '0.01234', '1.78 × 10⁻⁴' (formatReal's forms) -> a Number.
function shownNumber(text) {
  const superscripts = { '⁻': '-', '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9' };
  const match = /(−?[\d.]+)(?:\u202f×\u202f10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+))?/.exec(text);
  assert.ok(match, `a number in ${JSON.stringify(text)}`);
  const mantissa = Number(match[1].replace('−', '-'));
  const exponent = match[2] ? Number([...match[2]].map((c) => superscripts[c]).join('')) : 0;
  return mantissa * 10 ** exponent;
}

function assertShown(text, expected, what) {
  const shown = shownNumber(text);
  // formatReal: 4 significant digits, 3 in the m × 10^k form.
  const tolerance = (text.includes('×') ? 5e-3 : 6e-4) * Math.abs(expected);
  assert.ok(Math.abs(shown - expected) <= tolerance, `${what}: readout ${JSON.stringify(text)} vs the engine's ${expected}`);
}

// CSS-pixel centre of cell (i, j) of a heatmap canvas, from the renderer's own geometry of its last drawing.
async function cellCentre(page, selector, index, i, j) {
  return page.evaluate(async ({ selector, index, i, j }) => {
    const { heatmapShape } = await import('/render/heatmap.mjs');
    const canvas = document.querySelectorAll(selector)[index];
    const { area, n, columns } = heatmapShape(canvas);
    const box = canvas.getBoundingClientRect();
    return { x: box.left + area.left + ((j + 0.5) * area.width) / columns, y: box.top + area.top + ((i + 0.5) * area.height) / n };
  }, { selector, index, i, j });
}

const readoutOf = (page, selector, index = 0) => page.evaluate(({ selector, index }) => {
  const output = document.querySelectorAll(selector)[index].parentElement.querySelector('.readout');
  return { text: output.textContent, data: { ...output.dataset } };
}, { selector, index });

test('heatmaps: hover and arrow keys read A_ij as the engine computed it; masked cells say so; ticks and a colour bar', { timeout: kTimeoutMs }, async () => {
  const { page, problems } = await openExplorer();
  for (const [index, pattern] of patterns.entries()) {
    const expected = attnrank.analyze(configFor(defaultState, pattern, { want_matrix: true }));
    const n = expected.n;
    // Hover cell (40, 10): allowed in every pattern but backward (j < i there).
    const { x, y } = await cellCentre(page, '#patterns-grid canvas.heatmap', index, 40, 10);
    await page.mouse.move(x, y);
    const hovered = await readoutOf(page, '#patterns-grid canvas.heatmap', index);
    assert.equal(hovered.data.i, '40', `${pattern}: row under the pointer`);
    assert.equal(hovered.data.j, '10', `${pattern}: column under the pointer`);
    const weight = expected.matrix[40 * n + 10];
    if (pattern === 'backward') {
      assert.match(hovered.text, /^A\[40, 10\]: masked$/, `${pattern}: a masked cell reads as masked`);
      assert.equal(hovered.data.value, 'masked');
    } else {
      assert.match(hovered.text, /A\[40, 10\] = /);
      assertShown(hovered.text.split('=')[1], weight, `${pattern} A[40, 10]`);
      assert.equal(JSON.parse(hovered.data.value), weight, `${pattern}: the readout's value is the engine's, exactly`);
    }
    // Keyboard: focus starts at (0, 0); Right, Right, Down -> (1, 2).
    await page.mouse.move(0, 0);
    await page.locator('#patterns-grid canvas.heatmap').nth(index).focus();
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowDown']) await page.keyboard.press(key);
    const keyed = await readoutOf(page, '#patterns-grid canvas.heatmap', index);
    assert.deepEqual([keyed.data.i, keyed.data.j], ['1', '2'], `${pattern}: the arrow keys move the cursor`);
    const allowed = expected.mask ? expected.mask[1 * n + 2] : 1;
    if (allowed) assertShown(keyed.text.split('=')[1], expected.matrix[1 * n + 2], `${pattern} A[1, 2] by keyboard`);
    else assert.match(keyed.text, /masked/);
    // Shift moves an eighth of the matrix: (1, 2) -> (9, 10).
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowDown');
    const far = await readoutOf(page, '#patterns-grid canvas.heatmap', index);
    assert.deepEqual([far.data.i, far.data.j], [String(1 + n / 8), String(2 + n / 8)], `${pattern}: Shift + arrows take big steps`);
    // The colour bar names its scale: the default log colour from 1/n^2 to 1, shared by all panels.
    const legend = await page.locator('#patterns-grid canvas.heatmap-legend').nth(index).evaluate((canvas) => ({ ...canvas.dataset }));
    assert.equal(legend.scale, 'log');
    assert.equal(legend.range, `${1 / 64 ** 2},1`, `${pattern}: the shared range`);
    assert.match(legend.label, /shared/);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('shared colour scale: each panel colours its largest weight by its value on [0, 1], not as the top colour', { timeout: kTimeoutMs }, async () => {
  const { page, problems } = await openExplorer('?colour=linear');
  const viridis = await page.evaluate(async () => Array.from((await import('/render/colormap.mjs')).viridis));
  const seen = [];
  for (const [index, pattern] of patterns.entries()) {
    const expected = attnrank.analyze(configFor(defaultState, pattern, { want_matrix: true }));
    const n = expected.n;
    let best = 0;
    for (let k = 1; k < n * n; ++k) if (expected.matrix[k] > expected.matrix[best]) best = k;
    const i = Math.floor(best / n);
    const j = best % n;
    const { x, y } = await cellCentre(page, '#patterns-grid canvas.heatmap', index, i, j);
    const pixel = await page.locator('#patterns-grid canvas.heatmap').nth(index).evaluate((canvas, { x, y }) => {
      const box = canvas.getBoundingClientRect();
      const scale = canvas.width / box.width;
      return Array.from(canvas.getContext('2d').getImageData(Math.floor((x - box.left) * scale), Math.floor((y - box.top) * scale), 1, 1).data);
    }, { x, y });
    const entry = Math.round(expected.matrix[best] * 255);
    assert.deepEqual(pixel.slice(0, 3), viridis.slice(4 * entry, 4 * entry + 3),
      `${pattern}: largest weight ${expected.matrix[best]} -> table entry ${entry} of the shared [0, 1] scale`);
    seen.push(expected.matrix[best]);
  }
  assert.ok(Math.min(...seen) < 0.9 && Math.max(...seen) === 1, `the panels' largest weights differ (${seen}): the test can tell`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('n = 512: the heatmap is legible (log colour, said on the colour bar), its pixel spread far above linear colour\'s', { timeout: 240_000 }, async () => {
  const { page, problems } = await openExplorer('?n=512');
  const result = await page.evaluate(async () => {
    const { heatmapShape } = await import('/render/heatmap.mjs');
    const canvas = document.querySelectorAll('#patterns-grid canvas.heatmap')[0];  // bidirectional
    const legend = document.querySelectorAll('#patterns-grid canvas.heatmap-legend')[0];
    // Luminance spread of the matrix area of a canvas.
    const spread = (source, area) => {
      const scale = source.width / (source.getBoundingClientRect().width || source.width);
      const { data } = source.getContext('2d').getImageData(Math.ceil(area.left * scale), Math.ceil(area.top * scale),
        Math.floor(area.width * scale), Math.floor(area.height * scale));
      let sum = 0;
      let squares = 0;
      const count = data.length / 4;
      for (let k = 0; k < data.length; k += 4) {
        const luminance = 0.2126 * data[k] + 0.7152 * data[k + 1] + 0.0722 * data[k + 2];
        sum += luminance;
        squares += luminance * luminance;
      }
      return Math.sqrt(squares / count - (sum / count) ** 2);
    };
    return { shown: spread(canvas, heatmapShape(canvas).area), legend: { ...legend.dataset }, colour: canvas.dataset.colour };
  });
  // The old page's colouring of the same matrix (the engine's, computed here): linear over its own range.
  const expected = attnrank.analyze(configFor({ ...defaultState, n: 512 }, 'bidirectional', { want_matrix: true }));
  const oldSpread = await page.evaluate(async ({ matrix }) => {
    const { drawHeatmap } = await import('/render/heatmap.mjs');
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 240;
    drawHeatmap(canvas, { data: Float64Array.from(matrix), n: 512, colour: 'linear' });
    const { data } = canvas.getContext('2d').getImageData(0, 0, 240, 240);
    let sum = 0;
    let squares = 0;
    for (let k = 0; k < data.length; k += 4) {
      const luminance = 0.2126 * data[k] + 0.7152 * data[k + 1] + 0.0722 * data[k + 2];
      sum += luminance;
      squares += luminance * luminance;
    }
    const count = data.length / 4;
    return Math.sqrt(squares / count - (sum / count) ** 2);
  }, { matrix: Array.from(expected.matrix) });
  assert.equal(result.colour, 'log', 'log colour at n = 512');
  assert.equal(result.legend.scale, 'log');
  assert.match(result.legend.label, /log/, 'the colour bar says log');
  assert.ok(result.shown > 4 * oldSpread && result.shown > 10,
    `luminance spread ${result.shown.toFixed(1)} vs ${oldSpread.toFixed(1)} under the old linear scale`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('charts: keyboard readouts of spectra, depth and sweep points equal the engine\'s; below the floor reads "≤ floor"', { timeout: 240_000 }, async () => {
  const { page, problems } = await openExplorer();
  // Spectra: the first point of the first series is bidirectional's sigma_1.
  const bidirectional = attnrank.analyze(configFor(defaultState, 'bidirectional'));
  await page.locator('#spectra-chart').focus();
  let readout = await readoutOf(page, '#spectra-chart');
  assert.match(readout.text, /^bidirectional: index i = 1, singular value σᵢ = /);
  assertShown(readout.text.split('= ').at(-1), bidirectional.singular_values[0], 'sigma_1');
  assert.equal(JSON.parse(readout.data.y), bidirectional.singular_values[0]);
  // Down through the series to a grey tail (a bound), then End: the last singular value, below the floor.
  for (let step = 0; step < 12 && readout.data.bound !== 'upper'; ++step) {
    await page.keyboard.press('ArrowDown');
    readout = await readoutOf(page, '#spectra-chart');
  }
  assert.equal(readout.data.bound, 'upper', 'a series of values below the floor');
  await page.keyboard.press('End');
  readout = await readoutOf(page, '#spectra-chart');
  const pattern = readout.text.split(':')[0].replace(' (causal)', '');
  const result = attnrank.analyze(configFor(defaultState, pattern));
  const last = result.singular_values.at(-1);
  assert.ok(last <= result.accuracy_floor, `${pattern}: sigma_n ${last} is below the floor ${result.accuracy_floor}`);
  assert.match(readout.text, /σ64 ≤ /, `the bound: ${readout.text}`);
  assertShown(readout.text.split('≤ ')[1], result.accuracy_floor, 'the floor');
  assert.ok(!('y' in readout.data), 'the computed value is not even in the dataset');
  assert.match(readout.text, /below the accuracy floor/);

  // Depth: layer 0, then layer 3 of the first series; the depth heatmap reads the causal product.
  const forwardDepth = attnrank.collapse(collapseConfigFor(defaultState, 'forward'));
  await page.locator('#depth-chart').focus();
  for (let k = 0; k < 3; ++k) await page.keyboard.press('ArrowRight');
  readout = await readoutOf(page, '#depth-chart');
  const seriesIndex = Number(readout.data.series);
  assert.equal(readout.data.x, '3', 'layer 3');
  const firstPattern = readout.text.split(':')[0];
  const patternId = { bidirectional: 'bidirectional', 'forward (causal)': 'forward' }[firstPattern] ?? firstPattern;
  const depth = attnrank.collapse(collapseConfigFor(defaultState, patternId));
  assertShown(readout.text.split('= ').at(-1), depth[defaultState.depth_metric][3], `${firstPattern} layer 3`);
  assert.equal(seriesIndex, 0);
  await page.locator('#depth-heatmap').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  readout = await readoutOf(page, '#depth-heatmap');
  assert.match(readout.text, /^layer 1, token 1: weight of token 0 = /);
  assertShown(readout.text.split('= ')[1], forwardDepth.path_first_column[1 * forwardDepth.n + 1], 'depth heatmap (1, 1)');
  const depthLegend = await page.evaluate(() => document.querySelector('#depth-heatmap + canvas.heatmap-legend')?.dataset.range ?? null);
  assert.equal(depthLegend, '0,1', 'the depth heatmap has a colour bar');

  // Sweep: its first point (first pattern, first swept value).
  await page.locator('#sweep-chart').focus();
  readout = await readoutOf(page, '#sweep-chart');
  const over = defaultState.sweep_over;
  const sweptValue = JSON.parse(readout.data.x);
  const sweepPattern = patterns.find((name) => readout.text.startsWith(name));
  const swept = attnrank.analyze(configFor({ ...defaultState, [over]: sweptValue }, sweepPattern));
  assertShown(readout.text.split('= ').at(-1), swept[defaultState.sweep_stat], `sweep ${sweepPattern} at ${over} = ${sweptValue}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('heads heatmaps and an embedded figure have colour bars and readouts', { timeout: kTimeoutMs }, async () => {
  const { page, problems } = await openExplorer();
  const heads = await page.evaluate(() => [...document.querySelectorAll('#heads-grid canvas.heatmap')]
    .map((canvas) => canvas.parentElement.querySelector('canvas.heatmap-legend')?.dataset.range ?? null));
  assert.equal(heads.length, 4);
  for (const range of heads) assert.equal(range, `${1 / 64 ** 2},1`, 'a head heatmap colour bar on the shared range (auto log)');
  await page.locator('#heads-grid canvas.heatmap').first().focus();
  await page.keyboard.press('ArrowDown');
  const readout = await readoutOf(page, '#heads-grid canvas.heatmap');
  assert.match(readout.text, /^A\[1, 0\] = /);
  await page.close();

  const embed = await openPage(browser.context, `${browser.serverUrl}embed.html?kind=patterns&n=32&d=4`);
  const figure = embed.page.locator('attn-figure');
  await embed.page.waitForFunction(() => document.querySelector('attn-figure')?.dataset.state === 'done', null, { timeout: kTimeoutMs });
  await figure.locator('canvas.heatmap').first().focus();
  await embed.page.keyboard.press('ArrowRight');
  const embedded = await figure.locator('.readout').first().evaluate((output) => ({ text: output.textContent, ...output.dataset }));
  const expected = attnrank.analyze(configFor({ ...defaultState, n: 32, d: 4 }, 'bidirectional', { want_matrix: true }));
  assert.equal(embedded.j, '1');
  assert.equal(JSON.parse(embedded.value), expected.matrix[1]);
  const legends = await figure.locator('canvas.heatmap-legend').evaluateAll((canvases) => canvases.map((canvas) => canvas.dataset.label));
  assert.equal(legends.length, 4);
  for (const label of legends) assert.match(label, /shared/);
  assert.deepEqual([...problems, ...embed.problems], []);
  await embed.page.close();
});

// A download's bytes, started by clicking the export button `kind` of section `section`.
async function download(page, section, kind) {
  const [file] = await Promise.all([page.waitForEvent('download'),
    page.locator(`#${section}-exports button[data-export="${kind}"]`).click()]);
  const chunks = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk);
  return { name: file.suggestedFilename(), bytes: Buffer.concat(chunks) };
}

// A PNG's width and height (its IHDR chunk).
function pngSize(bytes) {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('exports: PNGs at 2x with title, parameters, colour bars and legends; SVG of the charts parses and holds the legend', { timeout: 240_000 }, async () => {
  const { page, problems } = await openExplorer();
  // The four heatmaps: twice the CSS size of four panels plus title, parameters and colour bars.
  const heatmaps = await download(page, 'patterns', 'png');
  assert.equal(heatmaps.name, 'attnrank-n64-d8-s1-seed7-patterns-heatmaps.png');
  const panel = await page.locator('#patterns-grid .pattern-panel').first().evaluate((element) => ({
    heatmap: element.querySelector('canvas.heatmap').getBoundingClientRect().height,
    legend: element.querySelector('canvas.heatmap-legend').getBoundingClientRect().height,
    width: element.querySelector('canvas.heatmap').getBoundingClientRect().width }));
  const heatmapsSize = pngSize(heatmaps.bytes);
  assert.ok(heatmapsSize.width >= 2 * 4 * panel.width, `PNG ${heatmapsSize.width} px wide for four ${panel.width} px panels at 2x`);
  assert.ok(heatmapsSize.height >= 2 * (panel.heatmap + panel.legend + 40),
    `PNG ${heatmapsSize.height} px high: title, captions, heatmap and colour bar at 2x`);
  // The spectra: PNG at 2x of the 720 px export figure; SVG with the title, the parameters and every legend label.
  const spectraPng = pngSize((await download(page, 'spectra', 'png')).bytes);
  assert.equal(spectraPng.width, 2 * 720, 'the spectra PNG at 2x');
  const spectraSvg = await download(page, 'spectra', 'svg');
  assert.equal(spectraSvg.name, 'attnrank-n64-d8-s1-seed7-spectra.svg');
  const legendLabels = await page.locator('#spectra-legend .chart-legend-label').allTextContents();
  const parsed = await page.evaluate((source) => {
    const svg = new DOMParser().parseFromString(source, 'image/svg+xml');
    return { error: svg.querySelector('parsererror')?.textContent ?? null, root: svg.documentElement.localName,
      texts: [...svg.querySelectorAll('text')].map((element) => element.textContent),
      polylines: svg.querySelectorAll('polyline').length };
  }, spectraSvg.bytes.toString('utf8'));
  assert.equal(parsed.error, null, 'the SVG parses');
  assert.equal(parsed.root, 'svg');
  assert.ok(legendLabels.length >= 4);
  for (const label of legendLabels) assert.ok(parsed.texts.includes(label), `the SVG holds the legend label ${label}`);
  assert.ok(parsed.texts.includes('Singular values'), 'the title');
  assert.ok(parsed.texts.some((text) => text.startsWith('n = 64, d = 8, s = 1, seed = 7')), 'the parameters');
  assert.ok(parsed.polylines >= 4, 'the curves are drawn');
  // Depth: the chart, its seven-series legend and the heatmap with its colour bar, at 2x; SVG with the legend.
  const depthPng = pngSize((await download(page, 'depth', 'png')).bytes);
  assert.equal(depthPng.width, 2 * 720);
  const depthLabels = await page.locator('#depth-legend .chart-legend-label').allTextContents();
  const depthTexts = await page.evaluate((source) => [...new DOMParser().parseFromString(source, 'image/svg+xml')
    .querySelectorAll('text')].map((element) => element.textContent), (await download(page, 'depth', 'svg')).bytes.toString('utf8'));
  for (const label of depthLabels) assert.ok(depthTexts.includes(label), `the depth SVG holds ${label}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('every <attn-figure> kind with a figure reads out its first point or cell by keyboard, with the engine\'s value', { timeout: 400_000 }, async () => {
  const state = { ...defaultState, n: 32, d: 4 };
  // kind -> [the canvas to focus, the value its first point or cell must read, from the engine]
  const kinds = {
    spectra: ['canvas.chart', () => attnrank.analyze(configFor(state, 'bidirectional')).singular_values[0]],
    linear: ['canvas.chart', () => attnrank.analyze(configFor(state, 'bidirectional')).singular_values[0]],
    'raises-rank': ['canvas.chart', null],
    sweep: ['canvas.chart', null],
    collapse: ['canvas.chart', () => attnrank.collapse(collapseConfigFor(state, 'bidirectional'))[state.depth_metric][0]],
    heads: ['canvas.heatmap', null],
  };
  for (const [kind, [selector, expected]] of Object.entries(kinds)) {
    const { page, problems } = await openPage(browser.context, `${browser.serverUrl}embed.html?kind=${kind}&n=32&d=4`);
    await page.waitForFunction(() => document.querySelector('attn-figure')?.dataset.state === 'done', null, { timeout: kTimeoutMs });
    const figure = page.locator('attn-figure');
    await figure.locator(selector).first().focus();
    const readout = await figure.locator('.readout').first().evaluate((output) => ({ text: output.textContent, ...output.dataset }));
    assert.ok(readout.text.length > 0, `${kind}: a readout on focus`);
    const value = JSON.parse(readout.y ?? readout.value);
    assert.ok(Number.isFinite(value), `${kind}: the readout carries its value (${readout.text})`);
    if (expected) {
      assert.equal(value, expected(), `${kind}: the first point is the engine's`);
      assertShown(readout.text.split('= ').at(-1), expected(), `${kind} readout text`);
    }
    if (selector === 'canvas.heatmap') {
      const bars = await figure.locator('canvas.heatmap-legend').evaluateAll((canvases) => canvases.map((canvas) => canvas.dataset.range));
      assert.ok(bars.length >= 1 && bars.every((range) => range === `${1 / 32 ** 2},1`), `${kind}: colour bars ${bars}`);
    }
    assert.deepEqual(problems, [], kind);
    await page.close();
  }
});

// Issue 17 review, item 3: the heatmap axes had ticks but no titles. Every heatmap names its axes in the page's
// language (the strings files' heatmap.rows / heatmap.columns, depth.heatmap_*), drawn in the strip left of
// the row ticks and under the column ticks (pixels there, not only in the drawing's record).
test('heatmap axes are titled "row i (query)" / "column j (key)" in en and zh: patterns, heads, depth, an embed', { timeout: 240_000 }, async () => {
  const { enStrings } = await import('../../web/i18n/strings.mjs');
  const { zhStrings } = await import('../../web/i18n/strings-zh.mjs');
  const titlesOf = (page, root = 'document') => page.evaluate(async (root) => {
    const { heatmapShape } = await import('/render/heatmap.mjs');
    const scope = root === 'document' ? document : document.querySelector('attn-figure').shadowRoot;
    return [...scope.querySelectorAll('canvas.heatmap, canvas.depth-heatmap, #depth-heatmap')].map((canvas) => {
      const shape = heatmapShape(canvas);
      if (!shape) return null;
      // Ink in the row title's strip (x < 12 CSS px beside the matrix) and under the column ticks.
      const scale = canvas.width / canvas.getBoundingClientRect().width;
      // Read from a copy made for reading (reading the figure's own canvas often warns on the console).
      const copy = document.createElement('canvas');
      copy.width = canvas.width;
      copy.height = canvas.height;
      const context = copy.getContext('2d', { willReadFrequently: true });
      context.drawImage(canvas, 0, 0);
      const inked = (x, y, width, height) => {
        const { data } = context.getImageData(Math.floor(x * scale), Math.floor(y * scale), Math.max(1, Math.floor(width * scale)),
          Math.max(1, Math.floor(height * scale)));
        for (let k = 3; k < data.length; k += 4) if (data[k] > 0) return true;
        return false;
      };
      const { area } = shape;
      return { id: canvas.id || canvas.closest('[data-pattern]')?.dataset.pattern || canvas.className, titles: shape.titles,
        rowInk: inked(0, area.top, 11, area.height),
        columnInk: inked(area.left, area.top + area.height + 16, area.width, 12) };
    });
  }, root);
  for (const [lang, words] of [['en', enStrings], ['zh', zhStrings]]) {
    const { page, problems } = await openExplorer(`?lang=${lang}`);
    await page.waitForFunction(() => document.querySelectorAll('#heads-grid canvas.heatmap').length === 4
      && document.querySelector('#depth-heatmap + canvas.heatmap-legend'), null, { timeout: 120_000 });
    const drawn = (await titlesOf(page)).filter(Boolean);
    assert.ok(drawn.length >= 9, `${lang}: four patterns, four heads and the depth heatmap: ${drawn.length}`);
    for (const heatmap of drawn) {
      const isDepth = heatmap.id === 'depth-heatmap';
      assert.deepEqual(heatmap.titles, isDepth ? { rows: words['depth.heatmap_rows'], columns: words['depth.heatmap_columns'] }
        : { rows: words['heatmap.rows'], columns: words['heatmap.columns'] }, `${lang} ${heatmap.id}`);
      assert.ok(heatmap.rowInk && heatmap.columnInk, `${lang} ${heatmap.id}: both titles are drawn`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  }
  const embed = await openPage(browser.context, `${browser.serverUrl}embed.html?kind=patterns&n=32&d=4&lang=zh`);
  await embed.page.waitForFunction(() => document.querySelector('attn-figure')?.dataset.state === 'done', null, { timeout: kTimeoutMs });
  const embedded = (await titlesOf(embed.page, 'figure')).filter(Boolean);
  assert.equal(embedded.length, 4);
  for (const heatmap of embedded) {
    assert.deepEqual(heatmap.titles, { rows: zhStrings['heatmap.rows'], columns: zhStrings['heatmap.columns'] });
    assert.ok(heatmap.rowInk && heatmap.columnInk, `embed ${heatmap.id}: both titles are drawn`);
  }
  assert.deepEqual(embed.problems, []);
  await embed.page.close();
});

// Luminance spread (standard deviation of Rec. 709 luma) of RGBA bytes.
function lumaSpread(data) {
  let sum = 0;
  let squares = 0;
  for (let k = 0; k < data.length; k += 4) {
    const luma = 0.2126 * data[k] + 0.7152 * data[k + 1] + 0.0722 * data[k + 2];
    sum += luma;
    squares += luma * luma;
  }
  const count = data.length / 4;
  return Math.sqrt(squares / count - (sum / count) ** 2);
}

// Issue 17 review, item 2: at n = 64 the shared linear scale made the heatmaps dark. The default (automatic: log
// from 1/n^2 to 1, the uniform weight 1/n mid-scale) keeps them legible, says so on the colour bar, and the
// control says what "automatic" draws at this n (a "log colour" box once stayed unchecked while log was drawn).
test('n = 64: the default colour (log from 1/n², shared) spreads far wider than shared linear; the control and bar say so', { timeout: 240_000 }, async (t) => {
  const { page, problems } = await openExplorer();
  const shown = await page.evaluate(async () => {
    const { heatmapShape } = await import('/render/heatmap.mjs');
    // The matrix area's pixels of a canvas.
    const pixels = (canvas, area) => {
      const scale = canvas.width / canvas.getBoundingClientRect().width;
      return Array.from(canvas.getContext('2d').getImageData(Math.ceil(area.left * scale), Math.ceil(area.top * scale),
        Math.floor(area.width * scale), Math.floor(area.height * scale)).data);
    };
    const canvases = [...document.querySelectorAll('#patterns-grid canvas.heatmap')];
    const select = document.getElementById('control-colour');
    return {
      pixels: canvases.map((canvas) => pixels(canvas, heatmapShape(canvas).area)),
      labels: [...document.querySelectorAll('#patterns-grid canvas.heatmap-legend')].map((legend) => legend.dataset.label),
      scales: canvases.map((canvas) => canvas.dataset.colour),
      control: { value: select.value, text: select.selectedOptions[0].textContent },
    };
  });
  shown.spreads = shown.pixels.map(lumaSpread);
  // The linear spread of the same matrix (the engine's, computed here), on the shared [0, 1] range.
  const linear = [];
  for (const pattern of ['bidirectional']) {
    const expected = attnrank.analyze(configFor(defaultState, pattern, { want_matrix: true }));
    linear.push(lumaSpread(await page.evaluate(async ({ matrix, mask }) => {
      const { drawHeatmap } = await import('/render/heatmap.mjs');
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 240;
      drawHeatmap(canvas, { data: Float64Array.from(matrix), n: 64, colour: 'linear', range: { min: 0, max: 1 },
        mask: mask ? Uint8Array.from(mask) : null });
      return Array.from(canvas.getContext('2d').getImageData(0, 0, 240, 240).data);
    }, { matrix: Array.from(expected.matrix), mask: expected.mask ? Array.from(expected.mask) : null })));
  }
  assert.deepEqual(shown.scales, ['log', 'log', 'log', 'log']);
  for (const label of shown.labels) assert.equal(label, 'log (auto), shared');
  assert.deepEqual(shown.control, { value: 'auto', text: 'auto: log, 2.44×10⁻⁴ to 1' });
  // Bidirectional (no masked cells, whose grey would dominate the spread of the others): far wider than linear's.
  t.diagnostic(`bidirectional at n = 64: luma spread ${shown.spreads[0].toFixed(1)} (auto log) vs ${linear[0].toFixed(1)} (shared linear)`);
  assert.ok(shown.spreads[0] > 3 * linear[0] && shown.spreads[0] > 15,
    `bidirectional: luminance spread ${shown.spreads[0].toFixed(1)} vs ${linear[0].toFixed(1)} under shared linear colour`);
  // n = 512: the control follows n.
  await page.fill('#control-n', '512');
  await page.press('#control-n', 'Enter');
  await page.waitForFunction(() => document.querySelector('#patterns-grid .pattern-panel')?.dataset.n === '512'
    && document.querySelector('#patterns-grid canvas.heatmap-legend').dataset.range === `${1 / 512 ** 2},1`, null, { timeout: 120_000 });
  const large = await page.evaluate(() => ({ text: document.getElementById('control-colour').selectedOptions[0].textContent,
    label: document.querySelector('#patterns-grid canvas.heatmap-legend').dataset.label }));
  assert.deepEqual(large, { text: 'auto: log, 3.81×10⁻⁶ to 1', label: 'log (auto), shared' });
  assert.deepEqual(problems, []);
  await page.close();
});

// Issue 17 review, item 2: one shared [0, 1] scale is the default; a visible control (URL colour_range=panel,
// attribute colour-range="panel") switches back to each panel's own range, and the colour bars say which, with
// the range each panel actually uses.
test('colour range: shared by default; the checkbox, the URL and the embed attribute switch to each panel\'s own', { timeout: 240_000 }, async () => {
  const { page, problems } = await openExplorer('?colour=linear');
  const bars = () => page.evaluate(() => [...document.querySelectorAll('#patterns-grid canvas.heatmap-legend')]
    .map((legend) => ({ range: legend.dataset.range, label: legend.dataset.label })));
  for (const bar of await bars()) assert.deepEqual(bar, { range: '0,1', label: 'linear, shared' });
  assert.equal(await page.isChecked('#control-colour_range'), false);
  await page.check('#control-colour_range');
  await page.waitForFunction(() => document.querySelector('#patterns-grid canvas.heatmap-legend').dataset.label.includes('own range'),
    null, { timeout: 60_000 });
  const own = await bars();
  for (const [index, pattern] of patterns.entries()) {
    const expected = attnrank.analyze(configFor(defaultState, pattern, { want_matrix: true }));
    let max = 0;
    expected.matrix.forEach((value, k) => { if ((!expected.mask || expected.mask[k]) && value > max) max = value; });
    assert.deepEqual(own[index], { range: `0,${max}`, label: 'linear, own range' }, pattern);
  }
  assert.match(page.url(), /colour_range=panel/, 'the choice is in the URL');
  const reopened = await openExplorer('?colour_range=panel&lang=zh');
  const zhLabels = await reopened.page.evaluate(() => [...document.querySelectorAll('#patterns-grid canvas.heatmap-legend')]
    .map((legend) => legend.dataset.label));
  assert.ok(zhLabels.every((label) => label === '对数（自动），本面板范围'), zhLabels.join(' | '));
  assert.equal(await reopened.page.isChecked('#control-colour_range'), true);
  assert.deepEqual([...problems, ...reopened.problems], []);
  await reopened.page.close();
  await page.close();

  const embed = await openPage(browser.context, `${browser.serverUrl}embed.html?kind=heads&n=32&d=4&colour-range=panel&colour=log`);
  await embed.page.waitForFunction(() => document.querySelector('attn-figure')?.dataset.state === 'done', null, { timeout: kTimeoutMs });
  const labels = await embed.page.locator('attn-figure canvas.heatmap-legend').evaluateAll((canvases) => canvases.map((canvas) => canvas.dataset.label));
  assert.ok(labels.length === 4 && labels.every((label) => label === 'log, own range'), labels.join(' | '));
  assert.deepEqual(embed.problems, []);
  await embed.page.close();
});
