// The training lab page's speed targets (issue 18), in headless Chromium, printed, never pass/fail:
// - the first figures from the gallery: ms from navigation to the gallery's figures drawn (body
//   data-gallery-drawn-ms), median of RUNS cold-cache loads, and the transfer of that first view gzipped;
// - while 4 runs train at once (lm-vs-mlm, its 4 configurations, a small model, 4 workers): the longest
//   main-thread task a longtask observer saw, and the wall time of the whole training.
// Usage: node bench/lab-speed.mjs [EXPERIMENT]   (default copy; needs web/wasm and the gallery)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { chromium } from 'playwright-core';

import { startServer } from '../scripts/static-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const experiment = process.argv[2] ?? 'copy';
const runs = Number(process.env.RUNS ?? 5);
const { server, url } = await startServer({ root: path.join(root, 'web'), port: 0 });
const scratch = await mkdtemp(path.join(tmpdir(), 'attnrank-lab-bench-'));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--no-first-run'] });
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  const times = [];
  let transfer = null;
  for (let k = 0; k < runs; ++k) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    const bodies = [];
    page.on('response', async (response) => {
      try { bodies.push(await response.body()); } catch { /* a redirect or an aborted body */ }
    });
    await page.goto(`${url}lab.html?experiment=${experiment}`);
    await page.waitForSelector('body[data-gallery-drawn-ms]', { timeout: 60_000 });
    times.push(Number(await page.getAttribute('body', 'data-gallery-drawn-ms')));
    if (transfer === null) {
      await page.waitForTimeout(500);
      transfer = { files: bodies.length, raw: bodies.reduce((sum, body) => sum + body.length, 0),
        gzip: bodies.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0) };
    }
    await context.close();
  }
  console.log(`lab first figures from the gallery (${experiment}): median ${median(times)} ms over ${runs} cold loads (${times.join(', ')} ms)`);
  console.log(`lab first view transfer: ${transfer.files} files, ${(transfer.raw / 1024).toFixed(0)} KB raw, ${(transfer.gzip / 1024).toFixed(0)} KB gzipped`);

  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 4 });
    window.longTasks = [];
    new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.longTasks.push(entry.duration); })
      .observe({ type: 'longtask', buffered: true });
  });
  const settings = 'experiment=lm-vs-mlm&seeds=1&steps=300&n=32&width=32&heads=2&layers=2&batch=8&checkpoint_every=20&heldout_batches=1';
  await page.goto(`${url}lab.html?${settings}`);
  await page.waitForSelector('body[data-lab-state="ready"]', { timeout: 60_000 });
  await page.evaluate(() => { window.longTasks.length = 0; });
  const started = Date.now();
  await page.click('#lab-run');
  await page.waitForSelector('body[data-lab-state="done"]', { timeout: 600_000 });
  const seconds = (Date.now() - started) / 1e3;
  const tasks = await page.evaluate(() => window.longTasks);
  console.log(`4 runs at once (${settings}): ${seconds.toFixed(1)} s; main-thread tasks over 50 ms: ${tasks.length}, longest ${tasks.length ? Math.max(...tasks).toFixed(0) : 0} ms`);
  await context.close();
} finally {
  await browser.close();
  server.close();
  await rm(scratch, { recursive: true, force: true });
}
