// Explorer page timings in headless Chromium (issue 3's speed targets), printed, never pass/fail:
// first load to first figure (all four heatmaps drawn), in a browser just launched (it competes with the
// browser's own start-up) and again as the median of RUNS cold-cache loads in a running browser; a control
// change to all four patterns redrawn at n = 256, d = 64, f64
// (median of runs; each change comes right after the previous change's patterns are drawn, so it meets
// that change's later stages in the engine; and again from a page whose stages have all finished); n = 1024 (time, longest main-thread task seen by a longtask observer, progress shown);
// transfer size of page + wasm, gzipped. Usage: node bench/page-speed.mjs [--web-root DIR] (default web/;
// another copy of web/ for before/after comparisons; needs its wasm/ and Chromium). RUNS=7 by default.
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { chromium } from 'playwright-core';

import { startServer } from '../scripts/static-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rootFlag = process.argv.indexOf('--web-root');
const webRoot = rootFlag > 0 ? path.resolve(process.argv[rootFlag + 1]) : path.join(root, 'web');
const runs = Number(process.env.RUNS ?? 7);

const { server, url } = await startServer({ root: webRoot, port: 0 });
const scratch = await mkdtemp(path.join(tmpdir(), 'attnrank-bench-'));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--no-first-run'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
await page.addInitScript(() => {
  window.longTasks = [];
  new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.longTasks.push(entry.duration); })
    .observe({ type: 'longtask', buffered: true });
});

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const waitStages = () => page.waitForFunction(() => document.body.dataset.stages === String(document.body.dataset.updates ? document.body.dataset.stages : -1) || document.body.dataset.stages, null, { timeout: 120_000 });

async function change(key, value) {
  const before = Number(await page.getAttribute('body', 'data-updates'));
  await page.evaluate(() => { window.longTasks = []; });
  await page.fill(`#control-${key}`, String(value));
  const started = Date.now();
  await page.press(`#control-${key}`, 'Enter');
  let sawProgress = false;
  while (true) {
    const state = await page.evaluate(() => ({ updates: Number(document.body.dataset.updates),
      progress: !document.getElementById('patterns-progress-row').hidden }));
    sawProgress ||= state.progress;
    if (state.updates > before) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (Date.now() - started > 120_000) throw new Error('timeout');
  }
  return { ms: Number(await page.getAttribute('body', 'data-patterns-ms')), sawProgress,
    longest: Math.max(0, ...(await page.evaluate(() => window.longTasks))) };
}

// Every stage of the newest change done (data-stages is the generation of the last complete update; with
// no failed update, generations and updates count alike).
async function settled() {
  await page.waitForFunction(() => document.body.dataset.stages === document.body.dataset.updates &&
    !document.getElementById('sweep-run').disabled && document.getElementById('raises-progress').hidden, null, { timeout: 180_000 });
}

// Returns at once after a change (data-stages is already a number then): the next change meets the later
// stages of this one. Kept as it is so the first timing line compares with earlier runs.
async function idle() {
  await page.waitForFunction(() => document.body.dataset.stages === String(Number(document.body.dataset.stages)) &&
    !document.getElementById('sweep-run').disabled && document.getElementById('raises-progress').hidden, null, { timeout: 180_000 });
}

await page.goto(`${url}?n=256&d=64`);
await page.waitForSelector('body[data-updates]', { timeout: 60_000 });
console.log(`first load to first figure (n = 256, d = 64): ${await page.getAttribute('body', 'data-first-figure-ms')} ms`);
await idle();

const times = [];
let longest = 0;
for (let run = 0; run < runs; ++run) {
  const result = await change('seed', 100 + run);
  times.push(result.ms);
  longest = Math.max(longest, result.longest);
  await idle();
}
console.log(`control change -> four patterns redrawn, n = 256, d = 64, f64: median ${median(times).toFixed(1)} ms ` +
  `(runs ${times.map((time) => time.toFixed(0)).join(', ')}), longest main-thread task ${longest.toFixed(0)} ms`);

await settled();
const quiet = [];
for (let run = 0; run < runs; ++run) {
  quiet.push((await change('seed', 200 + run)).ms);
  await settled();
}
console.log(`  the same from a settled page (every stage done): median ${median(quiet).toFixed(1)} ms ` +
  `(runs ${quiet.map((time) => time.toFixed(0)).join(', ')})`);

const big = await change('n', 1024);
console.log(`n = 1024, d = 64, f64, four patterns: ${big.ms.toFixed(0)} ms, longest main-thread task ${big.longest.toFixed(0)} ms, ` +
  `progress shown: ${big.sawProgress}`);

const resources = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname));
const files = ['/index.html', '/style.css', ...new Set(resources.filter((name) => !name.endsWith('.wasm'))), '/wasm/attnrank.wasm', '/engine/engine-worker.mjs', '/wasm/attnrank.mjs'];
let raw = 0;
let gzipped = 0;
for (const file of new Set(files)) {
  try {
    const bytes = await readFile(path.join(webRoot, file));
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 9 }).length;
  } catch { /* not a file of web/ */ }
}
console.log(`transfer (page + modules + wasm): ${(raw / 1024).toFixed(0)} KB raw, ${(gzipped / 1024).toFixed(0)} KB gzipped`);

// First loads with the HTTP cache disabled (no cached wasm code either) in the running browser, each
// after about:blank and a short pause, so the browser's start-up is not part of the page's time.
await page.close();
const coldPage = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
const session = await coldPage.context().newCDPSession(coldPage);
await session.send('Network.enable');
await session.send('Network.setCacheDisabled', { cacheDisabled: true });
const loads = [];
for (let run = 0; run < runs; ++run) {
  await coldPage.goto('about:blank');
  await new Promise((resolve) => setTimeout(resolve, 300));
  await coldPage.goto(`${url}?n=256&d=64`);
  await coldPage.waitForSelector('body[data-updates]', { timeout: 60_000 });
  loads.push(Number(await coldPage.getAttribute('body', 'data-first-figure-ms')));
}
console.log(`first load to first figure, cold cache, running browser (n = 256, d = 64): median ${median(loads).toFixed(0)} ms, ` +
  `max ${Math.max(...loads).toFixed(0)} ms (runs ${loads.map((time) => time.toFixed(0)).join(', ')})`);

await browser.close();
server.close();
await rm(scratch, { recursive: true, force: true });
