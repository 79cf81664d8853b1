// "Image + link" (issue 19 item 3), in Chromium under the strict CSP: the export of an explorer figure and of
// an embedded one gives a PNG 720 CSS px wide at 2x, light whatever the page's scheme, not blank, with its title
// drawn where the title goes; the snippet is a link around that file with the figure's own accessible name and
// description as its alt text; the link opens the same figure (the explorer's state, or embed.html of the
// figure's folder) whose chart says the same values; the panel closes when the state changes, fits 390 px and
// axe-core finds no violation in it.
// Screenshots of the panel at 1280 and 390 px, light and dark, go to test-results/.
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { contentSecurityPolicy } from '../../scripts/static-server.mjs';
import { openPage, root, useBrowser } from './browser.mjs';

const browser = useBrowser({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
const axeSource = await readFile(path.join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

// axe-core's violations inside `include` (selectors; the whole document by default, shadow roots included).
async function axeViolations(page, include = null) {
  if (!(await page.evaluate(() => typeof globalThis.axe === 'object'))) await page.evaluate(axeSource);
  return page.evaluate(async (include) => {
    const result = await globalThis.axe.run(include ? { include } : document, { resultTypes: ['violations'] });
    return result.violations.flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' >> ')}`));
  }, include);
}
const resultsDir = path.join(root, 'test-results');
const kTimeoutMs = 90_000;

// Facts of a PNG, decoded by the browser: its size, its background (the top-left pixel), how many pixels of
// the title's box (CSS px, at 2x) and of the whole image differ from the background.
async function pngFacts(page, bytes, titleBox) {
  return page.evaluate(async ({ base64, titleBox }) => {
    const data = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([data], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const background = [...pixels.subarray(0, 4)];
    const differs = (index) => Math.abs(pixels[index] - background[0]) + Math.abs(pixels[index + 1] - background[1])
      + Math.abs(pixels[index + 2] - background[2]) > 90;
    let ink = 0;
    for (let index = 0; index < pixels.length; index += 4) if (differs(index)) ink += 1;
    let titleInk = 0;
    for (let y = titleBox.y * 2; y < (titleBox.y + titleBox.height) * 2; y += 1) {
      for (let x = titleBox.x * 2; x < (titleBox.x + titleBox.width) * 2; x += 1) if (differs((y * bitmap.width + x) * 4)) titleInk += 1;
    }
    return { width: bitmap.width, height: bitmap.height, background, titleInk, inkShare: ink / (bitmap.width * bitmap.height) };
  }, { base64: bytes.toString('base64'), titleBox });
}

const kTitleBox = { x: 20, y: 20, width: 240, height: 20 };  // image-link-scene.mjs: margin 20, title 20 px

async function download(page, locator) {
  const [file] = await Promise.all([page.waitForEvent('download'), locator.click()]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

// The panel's fields.
function panelFacts(panel) {
  return panel.evaluate((element) => ({
    link: element.dataset.link, alt: element.dataset.alt,
    html: element.querySelector('textarea[data-field="html"]').value,
    markdown: element.querySelector('textarea[data-field="markdown"]').value,
    linkField: element.querySelector('input[data-field="link"]').value,
    width: Number(element.querySelector('canvas.image-link-preview').dataset.width),
    height: Number(element.querySelector('canvas.image-link-preview').dataset.height),
    isSvg: !element.querySelector('button[data-download="svg"]').hidden,
  }));
}

function checkSnippets(facts, file) {
  const html = /^<a href="([^"]+)"><img src="([^"]+)" alt="([^"]+)" width="(\d+)" height="(\d+)"><\/a>$/.exec(facts.html);
  assert.ok(html, facts.html);
  const unescape = (text) => text.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  assert.deepEqual(html.slice(1).map(unescape), [facts.link, file, facts.alt, '720', String(Math.ceil(facts.height))]);
  assert.equal(facts.markdown, `[![${facts.alt.replace(/[\\[\]]/g, (character) => `\\${character}`)}](${file})](${facts.link})`);
  assert.equal(facts.linkField, facts.link);
}

// A chart's accessible name and summary (the alt text is made of them) and its legend.
function chartFacts(scope) {
  return scope.evaluate((element) => {
    const inside = element.shadowRoot ?? element;  // an <attn-figure>'s shadow root, or a section of the page
    const canvas = inside.querySelector('canvas.chart');
    const summary = canvas.getRootNode().getElementById(canvas.getAttribute('aria-describedby'));
    return { name: canvas.getAttribute('aria-label'), summary: summary.textContent,
      legend: [...inside.querySelectorAll('.chart-legend-label')].map((label) => label.textContent) };
  });
}

test('explorer: Image + link of a chart and of the heatmaps; the PNG, the snippet, the link to the same state', { timeout: 300_000 }, async () => {
  const { page, problems } = await openPage(browser.context, `${browser.serverUrl}?n=24&d=4&scale=2&seed=3&rope=1`);
  await page.emulateMedia({ colorScheme: 'dark' });  // the picture is light whatever the page's scheme
  await page.waitForSelector('body[data-stages]', { timeout: kTimeoutMs });
  const section = page.locator('#raises');
  await page.click('#raises-exports button[data-export="image-link"]');
  const panel = page.locator('#raises-exports .image-link');
  await panel.waitFor({ state: 'visible' });
  const facts = await panelFacts(panel);
  const file = 'attnrank-n24-d4-s2-seed3-raises-rank.png';
  checkSnippets(facts, file);
  const chart = await chartFacts(section);
  const title = (await page.locator('#raises-title').textContent()).trim();
  assert.equal(facts.alt, `${title}. ${chart.name}. ${chart.summary}`, 'the alt text is the figure\'s own name and description');
  const link = new URL(facts.link);
  assert.equal(`${link.origin}${link.pathname}`, browser.serverUrl, 'the link is absolute, on this page\'s address');
  assert.equal(link.hash, '#raises');
  assert.equal(link.searchParams.toString(), 'n=24&d=4&scale=2&seed=3&rope=1&lang=en');
  assert.equal(facts.isSvg, true, 'a chart also as SVG');

  const png = await download(page, panel.locator('button[data-download="png"]'));
  assert.equal(png.name, file, 'the file the snippet names');
  const image = await pngFacts(page, png.bytes, kTitleBox);
  assert.equal(image.width, 1440);
  assert.equal(image.height, 2 * Math.ceil(facts.height));
  assert.ok(image.background.slice(0, 3).every((value) => value > 230) && image.background[3] === 255,
    `an opaque light background under a dark page: ${image.background}`);
  assert.ok(image.titleInk > 300, `the title is drawn in its place: ${image.titleInk} pixels`);
  assert.ok(image.inkShare > 0.03 && image.inkShare < 0.6, `not blank, not a block: ${image.inkShare}`);
  const svg = await download(page, panel.locator('button[data-download="svg"]'));
  assert.equal(svg.name, 'attnrank-n24-d4-s2-seed3-raises-rank.svg');
  const svgTexts = await page.evaluate((source) => [...new DOMParser().parseFromString(source, 'image/svg+xml').querySelectorAll('text')]
    .map((element) => element.textContent), svg.bytes.toString('utf8'));
  assert.ok(svgTexts.includes(title) && chart.legend.every((label) => svgTexts.includes(label)), `${chart.legend} in ${svgTexts.join(' | ')}`);
  assert.ok(svgTexts.some((text) => text.includes('n (tokens) = 24')) && svgTexts.includes('RoPE on Q and K'), 'the parameters in words');

  // The heatmaps: PNG only, said; the base the author types is the link's.
  await page.click('#patterns-exports button[data-export="image-link"]');
  const heatmaps = page.locator('#patterns-exports .image-link');
  await heatmaps.waitFor({ state: 'visible' });
  assert.equal((await panelFacts(heatmaps)).isSvg, false);
  assert.equal(await heatmaps.locator('.image-link-note').first().isVisible(), true, 'why there is no SVG');
  await heatmaps.locator('input[data-field="base"]').fill('https://example.org/attnrank/');
  await heatmaps.locator('input[data-field="base"]').press('Enter');
  await page.waitForFunction(() => document.querySelector('#patterns-exports .image-link').dataset.link.startsWith('https://example.org/attnrank/?'));
  // The folder the picture goes to makes its address absolute (feeds, e-mail); a bad one is said, not used.
  const folder = heatmaps.locator('input[data-field="image_folder"]');
  await folder.fill('javascript:alert(1)');
  await folder.press('Enter');
  assert.equal(await heatmaps.locator('.image-link-error').nth(1).isVisible(), true, 'a bad folder is said');
  await folder.fill('https://blog.example/images');
  await folder.press('Enter');
  const withFolder = await panelFacts(heatmaps);
  checkSnippets(withFolder, 'https://blog.example/images/attnrank-n24-d4-s2-seed3-patterns.png');
  // Set once: the other open panel (raises) follows both settings.
  const raisesNow = await panelFacts(panel);
  checkSnippets(raisesNow, 'https://blog.example/images/attnrank-n24-d4-s2-seed3-raises-rank.png');
  assert.ok(raisesNow.link.startsWith('https://example.org/attnrank/?n=24&'), raisesNow.link);
  const heatmapsPng = await pngFacts(page, (await download(page, heatmaps.locator('button[data-download="png"]'))).bytes, kTitleBox);
  assert.equal(heatmapsPng.width, 1440);
  assert.ok(heatmapsPng.titleInk > 300 && heatmapsPng.inkShare > 0.2, JSON.stringify(heatmapsPng));

  assert.deepEqual(await axeViolations(page, [['#raises-exports'], ['#patterns-exports']]), [], 'axe-core on the open panels');

  // Screenshots of the open panel, then 390 px: the panel fits.
  await mkdir(resultsDir, { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
      await panel.screenshot({ path: path.join(resultsDir, `image-link-${width}-${colorScheme}.png`) });
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, `horizontal overflow at ${width} px`);
  }

  // The link opens the same figure: the same state in the controls, and a chart that says the same values.
  const opened = await openPage(browser.context, facts.link);
  await opened.page.waitForSelector('body[data-stages]', { timeout: kTimeoutMs });
  assert.deepEqual(await chartFacts(opened.page.locator('#raises')), chart);
  assert.deepEqual(await opened.page.evaluate(() => ['n', 'd', 'scale', 'seed'].map((key) => document.getElementById(`control-${key}`).value)),
    ['24', '4', '2', '3']);
  assert.equal(await opened.page.evaluate(() => location.hash), '#raises');
  assert.deepEqual(opened.problems, []);
  await opened.page.close();

  // A new state: the panel (made for the old one) closes.
  await page.fill('#control-n', '32');
  await page.press('#control-n', 'Enter');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('n') === '32');
  assert.equal(await panel.isVisible(), false);
  assert.deepEqual(problems, []);
  await page.close();
});

// A host page under the strict CSP holding `body` (and `head`).
async function serveHost(context, url, body, head = '') {
  await context.route(url, (route) => route.fulfill({ status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': contentSecurityPolicy },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title><link rel="icon" href="favicon.svg">${head}
<script type="module" src="attnrank.mjs"></script></head><body><main><h1>A post</h1><h2>Embedded</h2>${body}</main></body></html>` }));
}

test('embed: controls="full" offers Image + link; its link opens the same figure (embed.html, or the explorer a page names)',
  { timeout: 300_000 }, async () => {
    const figure = '<attn-figure kind="raises-rank" n="24" d="4" scale="2" seed="3" controls="full" theme="dark"></attn-figure>';
    const hostUrl = `${browser.serverUrl}image-link-host.html`;
    await serveHost(browser.context, hostUrl, `${figure}<attn-figure kind="spectra" n="24" d="4"></attn-figure>`);
    const host = await openPage(browser.context, hostUrl, { collectCspViolations: true });
    await host.page.waitForFunction(() => [...document.querySelectorAll('attn-figure')].every((element) => element.dataset.state === 'done'),
      null, { timeout: kTimeoutMs });
    const embed = host.page.locator('attn-figure[controls="full"]');
    const button = embed.locator('.image-link-bar button[data-export="image-link"]');
    await button.waitFor({ state: 'visible' });
    assert.equal(await host.page.locator('attn-figure:not([controls]) .image-link-bar').count(), 0, 'no bar without controls="full"');
    await button.click();
    const panel = embed.locator('.image-link');
    await panel.waitFor({ state: 'visible' });
    const facts = await panelFacts(panel);
    const file = 'attnrank-n24-d4-s2-seed3-raises-rank.png';
    checkSnippets(facts, file);
    const chart = await chartFacts(embed);
    assert.ok(facts.alt.endsWith(`${chart.name}. ${chart.summary}`), facts.alt);
    assert.equal(facts.link, `${browser.serverUrl}embed.html?kind=raises-rank&n=24&d=4&scale=2&seed=3&theme=dark&lang=en`);
    const png = await download(host.page, panel.locator('button[data-download="png"]'));
    assert.equal(png.name, file);
    const image = await pngFacts(host.page, png.bytes, kTitleBox);
    assert.equal(image.width, 1440);
    assert.ok(image.background.slice(0, 3).every((value) => value > 230), `light under theme="dark": ${image.background}`);
    assert.ok(image.titleInk > 300 && image.inkShare > 0.03, JSON.stringify(image));
    assert.deepEqual(await axeViolations(host.page), [], 'axe-core on the host page with the panel open');
    assert.deepEqual(await host.page.evaluate(() => window.cspViolations), []);
    assert.deepEqual(host.problems, []);
    await host.page.close();

    // The link: embed.html shows the same figure, whose chart says the same.
    const opened = await openPage(browser.context, facts.link);
    await opened.page.waitForSelector('attn-figure[data-state="done"]', { timeout: kTimeoutMs });
    assert.deepEqual(await chartFacts(opened.page.locator('attn-figure')), chart);
    assert.deepEqual(opened.problems, []);
    await opened.page.close();

    // A page that names its explorer: the link is the explorer's state of this figure, which draws the same chart.
    const namedUrl = `${browser.serverUrl}image-link-named.html`;
    await serveHost(browser.context, namedUrl, figure, `<meta name="attnrank-explorer" content="${browser.serverUrl}">`);
    const named = await openPage(browser.context, namedUrl);
    const namedEmbed = named.page.locator('attn-figure');
    await named.page.waitForSelector('attn-figure[data-state="done"]', { timeout: kTimeoutMs });
    await namedEmbed.locator('.image-link-bar button[data-export="image-link"]').click();
    const namedLink = (await panelFacts(namedEmbed.locator('.image-link'))).link;
    assert.equal(namedLink, `${browser.serverUrl}?n=24&d=4&scale=2&seed=3&lang=en#raises`);
    await named.page.close();
    const explorer = await openPage(browser.context, namedLink);
    await explorer.page.waitForSelector('body[data-stages]', { timeout: kTimeoutMs });
    assert.deepEqual(await chartFacts(explorer.page.locator('#raises')), chart);
    assert.deepEqual(explorer.problems, []);
    await explorer.page.close();
  });
