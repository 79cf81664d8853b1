// <attn-figure theme="auto|light|dark"> (issue 17 item 1) in real Chromium under an emulated OS dark mode:
// on a light-only blog (no color-scheme declared) a figure in theme="auto" stays light, every text of it
// at 4.5:1 or more against what is behind it (WCAG 1.4.3, computed from computed styles) and its chart
// series in the palette's light colours; theme="dark" on that page is a dark figure (dark background,
// light text, dark series colours) and theme="light" a light one; on a page that declares
// color-scheme: light dark (the essay) theme="auto" follows the OS to dark. Fails on the figures before
// issue 17, which followed prefers-color-scheme alone (light grey labels on white, 2.57:1).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openPage, useBrowser } from './browser.mjs';
import { serveHostPages } from './host-pages.mjs';
import { seriesPalette } from '../../web/render/series-palette.mjs';

const kTimeoutMs = 120_000;
const kTextContrast = 4.5;
const browser = useBrowser({ viewport: { width: 1000, height: 900 } },
  { setUp: ({ context, serverUrl }) => serveHostPages(context, serverUrl) });

async function openDrawn(url, colorScheme) {
  const { page, problems } = await openPage(browser.context, 'about:blank');
  await page.emulateMedia({ colorScheme });
  await page.goto(url);
  await page.waitForFunction(() => customElements.get('attn-figure'), null, { timeout: kTimeoutMs });
  const states = await page.evaluate(() => Promise.all([...document.querySelectorAll('attn-figure')].map((figure) => figure.computeNow())));
  assert.ok(states.every((state) => state === 'done' || state === 'held'), `figure states: ${states}`);
  return { page, problems };
}

// In the page: for one figure, every element that shows text of its own, with its colour, the colour behind it
// (the first opaque background up the tree, across the shadow boundary, else the page's canvas: white),
// the contrast ratio of the two, and the figure's resolved legend colours and background.
function figureColours(id) {
  const parse = (colour) => {
    const match = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(colour);
    return match ? { rgb: [1, 2, 3].map((k) => Number(match[k])), alpha: match[4] === undefined ? 1 : Number(match[4]) } : null;
  };
  const luminance = ([r, g, b]) => {
    const linear = (c) => { const s = c / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const contrast = (a, b) => { const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x); return (high + 0.05) / (low + 0.05); };
  const parentOf = (element) => element.parentElement ?? element.getRootNode().host ?? null;
  const behind = (element) => {
    for (let node = element; node; node = parentOf(node)) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour.alpha > 0.5) return colour.rgb;
    }
    return [255, 255, 255];
  };
  const figure = document.getElementById(id);
  const texts = [];
  for (const element of figure.shadowRoot.querySelectorAll('*')) {
    const ownText = [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
    const isField = element.matches('input, select, button');
    if (!(ownText || isField) || element.getClientRects().length === 0) continue;
    const colour = parse(getComputedStyle(element).color).rgb;
    const ground = behind(element);
    texts.push({ text: (element.textContent || element.value || element.tagName).trim().slice(0, 40), colour, ground, ratio: contrast(colour, ground) });
  }
  const swatches = [...figure.shadowRoot.querySelectorAll('.chart-legend-swatch line')].map((line) => line.getAttribute('stroke'));
  return { texts, swatches, background: behind(figure), scheme: getComputedStyle(figure).colorScheme };
}

const hexToRgbText = (hex) => `rgb(${[1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16)).join(', ')})`;
const luminanceOf = ([r, g, b]) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;

function assertReadable(colours, where) {
  assert.ok(colours.texts.length >= 3, `${where}: found text to check (${colours.texts.length})`);
  const failures = colours.texts.filter((entry) => entry.ratio < kTextContrast)
    .map((entry) => `"${entry.text}" rgb(${entry.colour}) on rgb(${entry.ground}) ${entry.ratio.toFixed(2)}:1`);
  assert.deepEqual(failures, [], `${where}: text below ${kTextContrast}:1`);
}

test('a light-only blog under an OS in dark mode: theme="auto" figures are light and readable', { timeout: kTimeoutMs * 2 }, async () => {
  const { page, problems } = await openDrawn(`${browser.serverUrl}host-pages/light-blog.html`, 'dark');
  for (const id of ['patterns', 'spectra', 'stats', 'linear', 'collapse', 'claims']) {
    const colours = await page.evaluate(figureColours, id);
    assertReadable(colours, id);
    // Dark text on the page's white: the figure did not turn its labels light.
    for (const entry of colours.texts) assert.ok(luminanceOf(entry.colour) < 0.5, `${id}: "${entry.text}" is light text rgb(${entry.colour})`);
  }
  const spectra = await page.evaluate(figureColours, 'spectra');
  assert.equal(spectra.swatches[0], hexToRgbText(seriesPalette[0].light), 'the spectra legend uses the light series colours');
  assert.deepEqual(problems, []);
  await page.close();
});

test('theme="dark" on the light blog is a dark figure, theme="light" a light one, under either OS scheme', { timeout: kTimeoutMs * 2 }, async () => {
  for (const scheme of ['light', 'dark']) {
    const { page, problems } = await openDrawn(`${browser.serverUrl}host-pages/light-blog.html`, scheme);
    const dark = await page.evaluate(figureColours, 'dark');
    assert.ok(luminanceOf(dark.background) < 0.2, `theme=dark background rgb(${dark.background}) (OS ${scheme})`);
    assertReadable(dark, `theme=dark (OS ${scheme})`);
    for (const entry of dark.texts) assert.ok(luminanceOf(entry.colour) > 0.5, `theme=dark: "${entry.text}" is dark text rgb(${entry.colour})`);
    assert.equal(dark.swatches[0], hexToRgbText(seriesPalette[0].dark), 'the dark figure\'s legend uses the dark series colours');
    const light = await page.evaluate(figureColours, 'light');
    assert.ok(luminanceOf(light.background) > 0.8, `theme=light background rgb(${light.background}) (OS ${scheme})`);
    assertReadable(light, `theme=light (OS ${scheme})`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('a page that declares color-scheme: light dark (the essay): theme="auto" follows the OS', { timeout: kTimeoutMs * 2 }, async () => {
  const { page, problems } = await openDrawn(`${browser.serverUrl}essay.html`, 'dark');
  const id = await page.evaluate(() => {
    const figure = [...document.querySelectorAll('attn-figure')].find((element) => element.getAttribute('kind') === 'spectra' && element.getClientRects().length);
    figure.id ||= 'essay-spectra';
    return figure.id;
  });
  const colours = await page.evaluate(figureColours, id);
  assertReadable(colours, 'essay, OS dark');
  assert.ok(luminanceOf(colours.background) < 0.2, `the essay's background is dark: rgb(${colours.background})`);
  assert.equal(colours.swatches[0], hexToRgbText(seriesPalette[0].dark));
  assert.deepEqual(problems, []);
  await page.close();
});

test('a bad theme is an error naming the attribute and its choices', { timeout: kTimeoutMs }, async () => {
  const { page } = await openDrawn(`${browser.serverUrl}host-pages/light-blog.html`, 'light');
  const error = await page.evaluate(async () => {
    const figure = document.getElementById('light');
    figure.setAttribute('theme', 'blue');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await figure.computeNow();
    return { state: figure.dataset.state, error: figure.dataset.error, param: figure.dataset.errorParam };
  });
  assert.equal(error.state, 'error');
  assert.equal(error.param, 'theme');
  assert.match(error.error, /theme=blue/);
  assert.match(error.error, /auto, light, dark/);
  await page.close();
});
