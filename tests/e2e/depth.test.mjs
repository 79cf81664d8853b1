// The explorer's depth view (issue 6; issue 13 item 5): at the page's defaults (n = 64, d = 8, 128 layers,
// seed 7) every pattern's residual curve is drawn within a few seconds of load; with a skip connection the
// bidirectional residual is slowed, not stopped: it still reaches rounding level by layer 128 while the causal
// one is still falling; at 12 layers the ordering of Dong et al. 2021 / Wu et al. 2024 shows: bidirectional
// collapses to rounding, causal far slower, the window stays high; the causal product's rows tend to token 0;
// layers, variant and metric are in the URL; a bad layer count shows its error beside the control.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openPage, useBrowser } from './browser.mjs';

const browser = useBrowser({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });

const lastValues = (page) => page.evaluate(() => JSON.parse(document.getElementById('depth-chart').dataset.last ?? 'null'));

test('depth view: the 128-layer default, skip connection, ordering at 12 layers, causal product, URL state, bad input', { timeout: 240_000 }, async () => {
  const { page, problems } = await openPage(browser.context, `${browser.serverUrl}`);
  await page.waitForFunction(() => document.getElementById('depth-chart').dataset.last, null, { timeout: 60_000 });
  // The default is deep enough to show what a 12-layer snapshot hides (issue 13, item 5).
  assert.equal(await page.inputValue('#control-layers'), '128');
  assert.equal(await page.evaluate(() => document.getElementById('depth-heatmap').dataset.rows), '129');
  const pure = await lastValues(page);
  // The seven 128-layer runs at n = 64, d = 8, in workers (bounded loosely: shared CI box).
  const depthMs = Number(await page.evaluate(() => document.body.dataset.depthMs));
  assert.ok(depthMs < 6000, `depth view took ${depthMs} ms`);
  assert.ok(pure.bidirectional < 1e-14 && pure.forward < 1e-12, JSON.stringify(pure));
  assert.ok(pure.window > 0.1, `window ${pure.window}`);
  // Row L of the causal product: every token gives token 0 nearly all its weight.
  assert.ok(Number(await page.evaluate(() => document.getElementById('depth-heatmap').dataset.lastRowMin)) > 0.9);

  // A skip connection slows the collapse; it does not stop it: by layer 128 the bidirectional residual is at
  // rounding level, while the causal one is still far above it.
  await page.selectOption('#control-depth_variant', 'skip');
  await page.waitForFunction((before) => document.getElementById('depth-chart').dataset.last !== before,
    JSON.stringify(pure), { timeout: 60_000 });
  const skip = await lastValues(page);
  assert.ok(skip.bidirectional < 1e-12, `with a skip connection bidirectional reaches ${skip.bidirectional} at layer 128`);
  assert.ok(skip.forward > 1e-9 && skip.forward > pure.forward, `with a skip connection forward is at ${skip.forward}`);
  assert.match(page.url(), /depth_variant=skip/);

  // Twelve layers: the skip's bidirectional residual is far from rounding, pure attention's is at it.
  await page.fill('#control-layers', '12');
  await page.press('#control-layers', 'Enter');
  await page.waitForFunction(() => document.getElementById('depth-heatmap').dataset.rows === '13', null, { timeout: 60_000 });
  assert.ok((await lastValues(page)).bidirectional > 0.1);
  await page.selectOption('#control-depth_variant', 'pure');
  await page.waitForFunction(() => !/depth_variant/.test(location.search) &&
    JSON.parse(document.getElementById('depth-chart').dataset.last).bidirectional < 1e-8, null, { timeout: 60_000 });
  const pure12 = await lastValues(page);
  assert.match(page.url(), /layers=12/);
  assert.ok(pure12.forward > 1e-4 && pure12.forward < 0.1, `forward ${pure12.forward}`);
  assert.ok(pure12.window > 0.5, `window ${pure12.window}`);
  assert.ok(pure12.bidirectional < pure12.forward_backward && pure12.forward_backward < pure12.window);

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
