// The iframe fallback at the sizes docs/embedding.md gives (issue 19 item 3): each kind in an iframe of its
// documented width and height shows the whole figure at full size, inside the frame, with no scrollbar; a frame
// left at the browser's default 300 x 150 shows the whole figure too, smaller; the page still posts its height
// at full size to the host. Host pages under the strict CSP, as an author's post would be.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { figureKinds } from '../../web/embed/attribute-state.mjs';
import { contentSecurityPolicy } from '../../scripts/static-server.mjs';
import { openPage, root, useBrowser } from './browser.mjs';

const browser = useBrowser({ viewport: { width: 800, height: 900 }, locale: 'en-US' });

// docs/embedding.md's table: kind -> { width, height }.
function documentedSizes() {
  const doc = readFileSync(path.join(root, 'docs', 'embedding.md'), 'utf8');
  const begin = doc.indexOf('<!-- iframe sizes:');
  const end = doc.indexOf('<!-- end of the iframe sizes -->');
  assert.ok(begin >= 0 && end > begin, 'docs/embedding.md has no iframe size table');
  const sizes = new Map();
  for (const match of doc.slice(begin, end).matchAll(/^\| `([a-z-]+)` \| (\d+) \| (\d+) \|$/gm)) {
    assert.ok(!sizes.has(match[1]), `the iframe size table names ${match[1]} twice`);
    sizes.set(match[1], { width: Number(match[2]), height: Number(match[3]) });
  }
  return sizes;
}

// A host page with one iframe of embed.html?query (width and height attributes when given), recording the
// height messages it receives.
async function hostPage(name, query, size) {
  const url = `${browser.serverUrl}${name}`;
  const attributes = size ? ` width="${size.width}" height="${size.height}"` : '';
  await browser.context.route(url, (route) => route.fulfill({ status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': contentSecurityPolicy },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>frame host</title><link rel="icon" href="favicon.svg">
<link rel="stylesheet" href="host-frame.css"></head><body><iframe src="embed.html?${query}"${attributes} title="figure"></iframe></body></html>` }));
  const opened = await openPage(browser.context, url, { collectCspViolations: true });
  const frame = opened.page.frames().find((candidate) => candidate.url().includes('/embed.html'));
  assert.ok(frame, `${name}: the iframe did not load`);
  await frame.waitForFunction(() => ['done', 'held'].includes(document.querySelector('attn-figure')?.dataset.state),
    null, { timeout: 120_000 });
  // Canvases redraw on the frame after resizes: give the layout a frame to settle.
  await frame.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return { ...opened, frame };
}

// In the frame: the figure's drawn box within the viewport, no scrollbar, and the scale it is drawn at.
function frameFit(frame) {
  return frame.evaluate(() => {
    const page = document.documentElement;
    const box = document.querySelector('attn-figure').getBoundingClientRect();
    const hasScrollbar = getComputedStyle(page).overflow !== 'hidden' &&
      (page.scrollHeight > page.clientHeight || page.scrollWidth > page.clientWidth);
    return { inside: box.left >= -0.5 && box.top >= -0.5 && box.right <= innerWidth + 0.5 && box.bottom <= innerHeight + 0.5,
      hasScrollbar, fit: Number(document.body.dataset.fit), box: [box.left, box.top, box.right, box.bottom].map(Math.round),
      viewport: [innerWidth, innerHeight] };
  });
}

test('every kind, in an iframe of its documented size, shows the whole figure at full size, no scrollbar',
  { timeout: 600_000 }, async () => {
    await browser.context.route(`${browser.serverUrl}host-frame.css`, (route) => route.fulfill({ status: 200,
      headers: { 'Content-Type': 'text/css' }, body: 'iframe { border: 0; display: block; }' }));
    const sizes = documentedSizes();
    assert.deepEqual([...sizes.keys()].sort(), [...figureKinds].sort(), 'the table names every kind once');
    for (const kind of figureKinds) {
      const { page, problems, frame } = await hostPage(`frame-${kind}.html`, `kind=${kind}`, sizes.get(kind));
      const fit = await frameFit(frame);
      assert.deepEqual({ inside: fit.inside, hasScrollbar: fit.hasScrollbar, fit: fit.fit }, { inside: true, hasScrollbar: false, fit: 1 },
        `${kind} at ${JSON.stringify(sizes.get(kind))}: ${JSON.stringify(fit)}`);
      assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
      assert.deepEqual(problems, [], kind);
      await page.close();
    }
  });

test('a frame of the browser\'s default size (300 x 150) shows the whole figure, smaller; the height message says its full height',
  { timeout: 180_000 }, async () => {
    const { page, problems, frame } = await hostPage('frame-default.html', 'kind=stats&n=32&d=4');
    await page.evaluate(() => {
      window.heights = [];
      window.addEventListener('message', (event) => { if (event.data?.type === 'attnrank:height') window.heights.push(event.data.height); });
    });
    // A change of width makes the page measure again and post its height.
    await page.evaluate(() => { document.querySelector('iframe').width = '320'; });
    await page.waitForFunction(() => window.heights.length > 0, null, { timeout: 10_000 });
    const fit = await frameFit(frame);
    assert.equal(fit.inside, true, JSON.stringify(fit));
    assert.equal(fit.hasScrollbar, false, JSON.stringify(fit));
    assert.ok(fit.fit < 0.5, `drawn at ${fit.fit}`);
    const full = await page.evaluate(() => window.heights.at(-1));
    assert.ok(full > 300, `the full height posted: ${full}`);
    // Sized by the host to that height, the figure shows at full size.
    await page.evaluate((height) => { document.querySelector('iframe').height = String(height); }, full);
    await frame.waitForFunction(() => document.body.dataset.fit === '1', null, { timeout: 10_000 });
    assert.deepEqual((await frameFit(frame)).hasScrollbar, false);
    assert.deepEqual(problems, []);
    await page.close();
  });
