// Browser tests of the explorer page's speed properties that can be asserted on this shared 2-core machine
// (issue 3; the timings themselves are bench/page-speed.mjs's job): the .wasm is fetched once for the whole
// worker pool (one worker compiles, the others get the WebAssembly.Module) and never by the document; at
// n = 1024 no main-thread task takes over 50 ms of CPU while four patterns are computed and drawn (issue
// 20's target, asserted on the thread time of the main thread's tasks in a Chromium trace, which other work
// on the shared cores does not stretch as it stretches wall time; the longtask observer's wall times are
// reported), the heatmaps are drawn and the PNG export holds them; and the first view's transfer (issue 20): what
// the document fetches before the first figure is the bundled site's few files, none of the figures below it,
// within a budget of gzip -9 bytes outside wasm/ (the wasm module and its glue are the build's, counted apart).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

import { defaultWebRoot, openPage, useBrowser } from './browser.mjs';

const kTimeoutMs = 120_000;
const kLongTaskCpuBoundMs = 50;
// The explorer's first view without wasm/ (the page, its stylesheet and icon, main.mjs, the start and first
// chunks, the worker): 71 KB gzip -9 measured at the site build's start (180 KB unbundled); a guard against growth.
const kFirstViewBudgetKiB = 80;
const kFirstViewModules = 5;  // main.mjs, the start and first chunks, the worker (and room for one more)

// Traces the renderer (category toplevel) while action() runs; resolves to the CPU time (thread time, ms) of
// each top-level task of the page's main thread.
async function mainThreadTaskCpu(page, action) {
  const session = await page.context().newCDPSession(page);
  const events = [];
  session.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const complete = new Promise((resolve) => session.once('Tracing.tracingComplete', resolve));
  await session.send('Tracing.start', { categories: 'toplevel', transferMode: 'ReportEvents' });
  try {
    await action();
  } finally {
    await session.send('Tracing.end');
    await complete;
    await session.detach();
  }
  const main = new Set(events.filter((event) => event.ph === 'M' && event.name === 'thread_name' && event.args.name === 'CrRendererMain')
    .map((event) => `${event.pid}:${event.tid}`));
  const tasks = events.filter((event) => event.ph === 'X' && main.has(`${event.pid}:${event.tid}`) &&
    (event.name === 'ThreadControllerImpl::RunTask' || event.name === 'RunTask')).sort((a, b) => a.ts - b.ts);
  const cpu = [];
  let end = -1;
  for (const task of tasks) {  // a RunTask inside another is part of it
    if (task.ts < end) continue;
    end = task.ts + (task.dur ?? 0);
    cpu.push((task.tdur ?? 0) / 1000);
  }
  return cpu;
}

const browser = useBrowser({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });

test('one fetch of each .wasm for the whole pool; n = 1024 draws without a long main-thread task; PNG export of the heatmaps',
  { timeout: 240_000 }, async (t) => {
    const wasmRequests = [];
    const onRequest = (request) => {
      if (new URL(request.url()).pathname.endsWith('.wasm')) wasmRequests.push(request.url());
    };
    browser.context.on('request', onRequest);
    const context = browser.context;
    await context.addInitScript(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.longTasks.push(entry.duration); })
        .observe({ type: 'longtask', buffered: true });
    });
    const { page, problems } = await openPage(context, `${browser.serverUrl}?n=64&d=8`);
    await page.waitForSelector('body[data-stages]', { timeout: kTimeoutMs });

    assert.ok(page.workers().length >= 2, `a pool of workers (${page.workers().length})`);
    // The first module for the first view, the figures' module for the later stages (depth, heads, claims),
    // each fetched and compiled by one worker and handed to the others (engine-worker.mjs, engine-handoff.mjs).
    const fetched = wasmRequests.map((request) => new URL(request).pathname).sort();
    assert.deepEqual(fetched, ['/wasm/attnrank-figures.wasm', '/wasm/attnrank.wasm'],
      `each .wasm is fetched once for ${page.workers().length} workers: ${wasmRequests}`);
    const documentResources = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
    assert.ok(!documentResources.some((name) => name.endsWith('.wasm')), 'the document never fetches the .wasm');

    const before = Number(await page.getAttribute('body', 'data-updates'));
    await page.evaluate(() => { window.longTasks = []; });
    const taskCpu = await mainThreadTaskCpu(page, async () => {
      await page.fill('#control-n', '1024');
      await page.press('#control-n', 'Enter');
      await page.waitForFunction((count) => Number(document.body.dataset.updates) > count && document.body.dataset.state === 'done',
        before, { timeout: kTimeoutMs });
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));  // late tasks and longtask entries
    });
    const longTasks = await page.evaluate(() => window.longTasks);
    const longestCpu = Math.max(0, ...taskCpu);
    t.diagnostic(`n = 1024: four patterns in ${await page.getAttribute('body', 'data-patterns-ms')} ms; longest main-thread task ` +
      `${longestCpu.toFixed(1)} ms CPU (${taskCpu.length} tasks traced); longtask observer (wall time): ` +
      `${longTasks.length ? longTasks.map((ms) => ms.toFixed(0)).join(', ') : 'none over 50 ms'}`);
    assert.ok(taskCpu.length > 10, `the trace holds the main thread's tasks (${taskCpu.length})`);
    assert.ok(longestCpu < kLongTaskCpuBoundMs, `longest main-thread task ${longestCpu.toFixed(1)} ms CPU at n = 1024`);

    // Every heatmap drawn from the n = 1024 results (many colours, and the panels say n = 1024).
    const panels = await page.$$eval('#patterns-grid .pattern-panel', (elements) => elements.map((panel) => {
      const canvas = panel.querySelector('canvas.heatmap');
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      const seen = new Set();
      for (let index = 0; index < data.length; index += 4 * 7) seen.add((data[index] << 16) | (data[index + 1] << 8) | data[index + 2]);
      return { n: panel.dataset.n, colours: seen.size };
    }));
    assert.equal(panels.length, 4);
    for (const panel of panels) {
      assert.equal(panel.n, '1024');
      assert.ok(panel.colours > 3, `a drawn heatmap (${panel.colours} colours)`);
    }

    // The PNG export draws the four canvases side by side: a real PNG of their size, not a blank image.
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('#patterns-exports [data-export="png"]')]);
    const png = await readFile(await file.path());
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    const width = png.readUInt32BE(16);
    const canvasWidth = await page.$eval('#patterns-grid canvas.heatmap', (canvas) => canvas.width);
    assert.ok(width >= 4 * canvasWidth, `PNG ${width} px wide for four ${canvasWidth} px heatmaps`);
    assert.ok(png.length > 20_000, `PNG of drawn heatmaps (${png.length} bytes)`);

    assert.equal(wasmRequests.length, 2, `no worker fetched a .wasm again: ${wasmRequests}`);
    assert.deepEqual(problems, [], 'console errors, page errors or failed requests');
    browser.context.off('request', onRequest);
    await page.close();
  });

test('the first view fetches the bundled site\'s few files, none of the figures below it, within its gzip budget', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(browser.context, `${browser.serverUrl}?n=64&d=8`);
  await page.waitForSelector('body[data-stages]', { timeout: kTimeoutMs });
  // The document's fetches (the worker's script included) on the clock of data-first-figure-ms.
  const { firstFigureMs, entries } = await page.evaluate(() => ({ firstFigureMs: Number(document.body.dataset.firstFigureMs),
    entries: performance.getEntriesByType('resource').map((entry) => ({ file: new URL(entry.name).pathname, startTime: entry.startTime })) }));
  const first = [...new Set(['/index.html', ...entries.filter((entry) => entry.startTime <= firstFigureMs).map((entry) => entry.file)])]
    .filter((file) => !file.startsWith('/wasm/'));
  const later = [...new Set(entries.filter((entry) => entry.startTime > firstFigureMs).map((entry) => entry.file))];
  const modules = first.filter((file) => file.endsWith('.mjs'));
  assert.ok(modules.length <= kFirstViewModules, `the first view's modules are bundled: ${modules.join(', ')}`);
  assert.ok(!first.some((file) => /explorer-later|strings-zh|lab-claims|export-/.test(file)), `nothing of the later figures first: ${first.join(', ')}`);
  assert.ok(later.some((file) => /^\/chunks\/explorer-later-[\w-]+\.mjs$/.test(file)), `the later figures' chunk after the first figure: ${later.join(', ')}`);
  let gzipped = 0;
  for (const file of first) gzipped += gzipSync(await readFile(path.join(defaultWebRoot, file)), { level: 9 }).length;
  assert.ok(gzipped <= kFirstViewBudgetKiB * 1024, `first view ${(gzipped / 1024).toFixed(1)} KB gzip -9 outside wasm/ (${first.join(', ')})`);
  assert.deepEqual(problems, [], 'console errors, page errors or failed requests');
  await page.close();
});
