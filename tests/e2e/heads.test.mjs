// The explorer's heads view (issue 6, claim C10): every head of the forward/backward mixture is
// triangular, the two-layer product is strictly positive, the split head and the architecture table are
// shown; an odd head count is an error beside its control and the last good result stays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openPage, useBrowser } from './browser.mjs';

const browser = useBrowser({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });

test('heads view: triangular heads, positive product, architectures, bad head count', { timeout: 180_000 }, async () => {
  const { page, problems } = await openPage(browser.context, `${browser.serverUrl}?heads=4`);
  await page.waitForFunction(() => document.getElementById('heads-table').dataset.productPositive, null, { timeout: 60_000 });
  const data = await page.evaluate(() => ({ ...document.getElementById('heads-table').dataset }));
  assert.equal(data.triangular, '[true,true,true,true]');
  assert.equal(data.productPositive, 'true');
  assert.ok(Number(data.productMinEntry) > 0);
  const headRows = await page.evaluate(() => [...document.querySelectorAll('#heads-table tbody tr')].length);
  assert.equal(headRows, 4 + 3, 'four heads, the product, the split head, the output');
  const architectures = await page.evaluate(() => [...document.querySelectorAll('#arch-table tbody tr')]
    .map((row) => row.querySelector('th').textContent));
  assert.deepEqual(architectures, ['GPT (decoder-only)', 'UniLM (prefix LM)', 'T5 (encoder-decoder)']);
  const drawn = await page.evaluate(() => [...document.querySelectorAll('#heads-grid canvas.heatmap')].map((canvas) => {
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set();
    for (let i = 0; i < pixels.length; i += 4 * 53) colours.add(`${pixels[i]},${pixels[i + 1]},${pixels[i + 2]}`);
    return colours.size;
  }));
  for (const colours of drawn) assert.ok(colours > 5, `a head heatmap looks blank (${colours} colours)`);

  await page.fill('#control-heads', '3');
  await page.press('#control-heads', 'Enter');
  await page.waitForSelector('#error-heads:not([hidden])', { timeout: 30_000 });
  assert.equal(await page.textContent('#error-heads'), 'heads=3 must be even (the first H/2 heads are forward, the rest backward)');
  assert.equal(await page.evaluate(() => document.querySelectorAll('#heads-table tbody tr').length), 7, 'the last good table stays');
  await page.fill('#control-heads', '2');
  await page.press('#control-heads', 'Enter');
  await page.waitForFunction(() => document.getElementById('heads-table').dataset.triangular === '[true,true]', null, { timeout: 30_000 });
  assert.ok(await page.isHidden('#error-heads'));
  assert.deepEqual(problems, []);
});
