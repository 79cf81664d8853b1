// The explorer's depth view (issue 6): at the page's defaults (n = 64, d = 8, 12 layers, seed 7) every
// pattern's residual curve is drawn within a second of load and shows the ordering of Dong et al. 2021 /
// Wu et al. 2024: bidirectional collapses to rounding, causal far slower, the window stays high; the
// causal product's rows tend to token 0; a skip connection stops the collapse; layers, variant and metric
// are in the URL; a bad layer count shows its error beside the control.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { openBrowser, openPage } from './browser.mjs';

let browser;
before(async () => {
  browser = await openBrowser({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });
});
after(async () => {
  await browser?.close();
});

const lastValues = (page) => page.evaluate(() => JSON.parse(document.getElementById('depth-chart').dataset.last ?? 'null'));

test('depth view: ordering, causal product, skip connection, URL state, bad input', { timeout: 180_000 }, async () => {
  const { page, problems } = await openPage(browser.context, `${browser.serverUrl}`);
  await page.waitForFunction(() => document.getElementById('depth-chart').dataset.last, null, { timeout: 60_000 });
  const pure = await lastValues(page);
  // Issue 6's target: the seven 12-layer runs at n = 64, d = 8 under 1 s (bounded loosely: shared CI box).
  const depthMs = Number(await page.evaluate(() => document.body.dataset.depthMs));
  assert.ok(depthMs < 3000, `depth view took ${depthMs} ms`);
  assert.ok(pure.bidirectional < 1e-8, `bidirectional ${pure.bidirectional}`);
  assert.ok(pure.forward > 1e-4 && pure.forward < 0.1, `forward ${pure.forward}`);
  assert.ok(pure.window > 0.5, `window ${pure.window}`);
  assert.ok(pure.bidirectional < pure.forward_backward && pure.forward_backward < pure.window);
  // Row L of the causal product: every token gives token 0 nearly all its weight.
  assert.ok(Number(await page.evaluate(() => document.getElementById('depth-heatmap').dataset.lastRowMin)) > 0.9);

  await page.selectOption('#control-depth_variant', 'skip');
  await page.waitForFunction((before) => document.getElementById('depth-chart').dataset.last !== before,
    JSON.stringify(pure), { timeout: 60_000 });
  const skip = await lastValues(page);
  assert.ok(skip.bidirectional > 0.1, `with a skip connection bidirectional stays at ${skip.bidirectional}`);
  assert.match(page.url(), /depth_variant=skip/);

  await page.selectOption('#control-depth_metric', 'random_path_residual');
  await page.waitForFunction(() => document.getElementById('depth-chart').dataset.metric === 'random_path_residual');
  const random = await lastValues(page);
  assert.ok(random.bidirectional < random.forward_backward && random.forward_backward < random.forward && random.forward < random.window,
    JSON.stringify(random));

  await page.fill('#control-layers', '0');
  await page.press('#control-layers', 'Enter');
  await page.waitForSelector('#error-layers:not([hidden])');
  assert.match(await page.textContent('#error-layers'), /^layers=0 must be in \[1, \d+\]$/);
  await page.fill('#control-layers', '6');
  await page.press('#control-layers', 'Enter');
  await page.waitForFunction(() => document.getElementById('depth-heatmap').dataset.rows === '7', null, { timeout: 60_000 });
  assert.match(page.url(), /layers=6/);
  assert.deepEqual(problems, []);
});
