// Explorer page timings in headless Chromium (issue 20's page targets), printed, never pass/fail:
// - slider -> four patterns redrawn at n = 256, d = 64, f64: the s slider moved one step by the keyboard (a
//   trusted input event) on a settled page (every stage of the previous change done), median of RUNS; from the
//   input event's time stamp to the frame that shows the four heatmaps and cards (the page's measure
//   'attnrank: patterns redrawn'); the same right after the previous change's patterns (it meets that change's
//   later stages in the workers);
// - n = 1024, four patterns: the n slider moved from 256 to 1024 (one input event) on a settled page;
// - the longest main-thread task over these changes (a longtask observer, wall time);
// beside each wall time the CPU time it took, from a Chromium trace of the changes (top-level tasks' thread
// time inside the measure: the main thread, the engine workers) and the machine's load average, so runs on a
// loaded machine can be read; and first load to first figure, and the transfer: every file the page and its
// workers requested, as gzip -9 of the served file (not what the test server sends: it does not compress),
// split into the first load (requested before the first figure was drawn) and what the later stages fetched
// after it; --files lists each file.
// Usage: node bench/page-speed.mjs [--web-root DIR] [--files] (default build/site, the site command 1 serves,
// built by node scripts/build-site.mjs; web/ or another copy of either for before/after comparisons,
// interleaved by running the command for each; needs its wasm/ and Chromium). RUNS=7 by default.
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { chromium } from 'playwright-core';

import { defaultSiteDir, staleSource } from '../scripts/build-site.mjs';
import { startServer } from '../scripts/static-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rootFlag = process.argv.indexOf('--web-root');
const webRoot = rootFlag > 0 ? path.resolve(process.argv[rootFlag + 1]) : defaultSiteDir;
const listFiles = process.argv.includes('--files');
if (webRoot === defaultSiteDir) {
  const stale = await staleSource(webRoot);
  if (stale) throw new Error(`${stale}: run node scripts/build-site.mjs`);
}
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
const load = () => loadavg().map((value) => value.toFixed(1)).join(' ');
const kRedrawnMeasure = 'attnrank: patterns redrawn';  // web/views/figures/patterns.mjs
const kTraceCategories = ['toplevel', 'blink.user_timing'];

// Resolves in the page once body[data-updates] passes `before` (no polling: a mutation observer), with
// whether the patterns' progress row was shown meanwhile.
function waitForUpdate(before) {
  return page.evaluate((count) => new Promise((resolve) => {
    let sawProgress = false;
    const row = document.getElementById('patterns-progress-row');
    const check = () => {
      sawProgress ||= !row.hidden;
      if (Number(document.body.dataset.updates) > count) {
        observer.disconnect();
        resolve({ sawProgress });
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { attributes: true, attributeFilter: ['data-updates'] });
    observer.observe(row, { attributes: true, attributeFilter: ['hidden'] });
    check();
  }), before);
}

// One change made by `act` (a slider input); resolves with the page's measure (ms), the longest task the
// longtask observer saw meanwhile and whether progress was shown.
async function change(act) {
  const before = Number(await page.getAttribute('body', 'data-updates'));
  await page.evaluate(() => { window.longTasks = []; });
  const updated = waitForUpdate(before);
  await act();
  const { sawProgress } = await updated;
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));  // late longtask entries
  return { ms: Number(await page.getAttribute('body', 'data-patterns-ms')), sawProgress,
    longest: Math.max(0, ...(await page.evaluate(() => window.longTasks))) };
}

// The s slider one step up or down by the keyboard: one trusted input event.
const scaleStep = (run) => () => page.press('[data-slider-for="scale"]', run % 2 ? 'ArrowLeft' : 'ArrowRight');
// The n slider moved to log2(n) (as a pointer drag ending there: one input event).
const nSliderTo = (n) => () => page.evaluate((position) => {
  const slider = document.querySelector('[data-slider-for="n"]');
  slider.value = String(position);
  slider.dispatchEvent(new Event('input', { bubbles: true }));
}, Math.log2(n));

// Every stage of the newest change done (data-stages is the generation of the last complete update; with
// no failed update, generations and updates count alike).
async function settled() {
  await page.waitForFunction(() => document.body.dataset.stages === document.body.dataset.updates &&
    !document.getElementById('sweep-run').disabled && document.getElementById('raises-progress').hidden, null, { timeout: 600_000 });
}

// CPU time inside each measure of a trace: { mainMs, workersMs, longestMainMs } per measure, in order. A task
// counts when it starts inside the measure; its thread time (tdur) is the CPU it used.
function cpuOfMeasures(traceBuffer) {
  const events = JSON.parse(traceBuffer.toString()).traceEvents;
  const threads = new Map();
  for (const event of events) if (event.ph === 'M' && event.name === 'thread_name') threads.set(`${event.pid}:${event.tid}`, event.args.name);
  const begins = new Map();
  const windows = [];
  for (const event of events) {
    if (event.name !== kRedrawnMeasure) continue;
    if (event.ph === 'b') begins.set(event.id2?.local ?? event.id, event.ts);
    if (event.ph === 'e' && begins.has(event.id2?.local ?? event.id)) windows.push([begins.get(event.id2?.local ?? event.id), event.ts]);
  }
  const tasks = events.filter((event) => event.ph === 'X' && (event.name === 'ThreadControllerImpl::RunTask' || event.name === 'RunTask'))
    .sort((a, b) => a.ts - b.ts);
  const outer = [];
  const lastEnd = new Map();
  for (const task of tasks) {  // nested RunTask events are parts of the outer one
    const key = `${task.pid}:${task.tid}`;
    if ((lastEnd.get(key) ?? -1) > task.ts) continue;
    outer.push({ ...task, thread: threads.get(key) ?? '' });
    lastEnd.set(key, task.ts + (task.dur ?? 0));
  }
  return windows.sort((a, b) => a[0] - b[0]).map(([from, to]) => {
    const inside = outer.filter((task) => task.ts >= from && task.ts < to);
    const cpu = (list) => list.reduce((sum, task) => sum + (task.tdur ?? 0), 0) / 1000;
    const main = inside.filter((task) => task.thread === 'CrRendererMain');
    return { mainMs: cpu(main), workersMs: cpu(inside.filter((task) => task.thread.startsWith('DedicatedWorker'))),
      longestMainMs: Math.max(0, ...main.map((task) => (task.tdur ?? 0) / 1000)) };
  });
}

// runs changes (act(run) makes the change of run `run`), each after `wait`, traced; prints one line.
async function timeChanges(label, runs, act, wait) {
  const results = [];
  await browser.startTracing(page, { categories: kTraceCategories });
  for (let run = 0; run < runs; ++run) {
    await wait();
    results.push(await change(act(run)));
  }
  const cpu = cpuOfMeasures(await browser.stopTracing());
  const times = results.map((result) => result.ms);
  const longest = Math.max(...results.map((result) => result.longest));
  const cpuText = cpu.length === results.length
    ? `CPU: main thread median ${median(cpu.map((entry) => entry.mainMs)).toFixed(1)} ms, engine workers median ` +
      `${median(cpu.map((entry) => entry.workersMs)).toFixed(1)} ms, longest main-thread task ` +
      `${Math.max(...cpu.map((entry) => entry.longestMainMs)).toFixed(1)} ms`
    : `CPU: ${cpu.length} measures traced for ${results.length} changes (not shown)`;
  console.log(`${label}: ${runs > 1 ? 'median ' : ''}${median(times).toFixed(1)} ms` +
    `${runs > 1 ? ` (runs ${times.map((time) => time.toFixed(0)).join(', ')})` : ''}, longest main-thread task ${longest.toFixed(0)} ms` +
    `${results.some((result) => result.sawProgress) ? ', progress shown' : ''}; ${cpuText}; load ${load()}`);
  return longest;
}

console.log(`web root ${webRoot}; load average ${load()}`);
const requests = [];  // the page's and its workers' (playwright reports a dedicated worker's requests to its page)
page.on('request', (request) => requests.push(request));
await page.goto(`${url}?n=256&d=64`);
await page.waitForSelector('body[data-updates]', { timeout: 120_000 });
// The first figure's time on the clock of the requests' start times (ms since 1970).
const firstFigureAt = await page.evaluate(() => performance.timeOrigin + Number(document.body.dataset.firstFigureMs));
console.log(`first load to first figure (n = 256, d = 64): ${await page.getAttribute('body', 'data-first-figure-ms')} ms`);
await settled();

const longestSlider = await timeChanges('slider -> four patterns redrawn, n = 256, d = 64, f64, settled page', runs, scaleStep, settled);
await timeChanges('  the same right after the previous change\'s patterns (meets its later stages)', runs, scaleStep, async () => {});
await settled();
const longestBig = await timeChanges('n slider 256 -> 1024, d = 64, f64: four patterns redrawn', 1, () => nSliderTo(1024), settled);
console.log(`longest main-thread task (slider at n = 256 and n = 1024): ${Math.max(longestSlider, longestBig).toFixed(0)} ms`);

// Each served file once, at its first request: first load (started before the first figure) or later.
const phases = { first: { raw: 0, gzipped: 0, wasm: 0, files: [] }, later: { raw: 0, gzipped: 0, wasm: 0, files: [] } };
const counted = new Set();
for (const request of requests) {
  const file = new URL(request.url()).pathname.replace(/\/$/, '/index.html');
  if (counted.has(file)) continue;
  counted.add(file);
  let bytes;
  try {
    bytes = await readFile(path.join(webRoot, file));
  } catch {
    continue;  // not a file of the served folder
  }
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  const phase = phases[request.timing().startTime <= firstFigureAt ? 'first' : 'later'];
  phase.raw += bytes.length;
  phase.gzipped += gzipped;
  if (file.startsWith('/wasm/')) phase.wasm += gzipped;  // the wasm module and its glue
  phase.files.push([file, bytes.length, gzipped]);
}
const kb = (bytes) => (bytes / 1024).toFixed(0);
console.log(`transfer, first load (page + modules + wasm, requested before the first figure): ${kb(phases.first.raw)} KB raw, ` +
  `${kb(phases.first.gzipped)} KB gzipped (wasm/: ${kb(phases.first.wasm)} KB of it, the rest ${kb(phases.first.gzipped - phases.first.wasm)} KB); ` +
  `the later stages fetched ${kb(phases.later.raw)} KB raw, ${kb(phases.later.gzipped)} KB gzipped after it ` +
  `(wasm/: ${kb(phases.later.wasm)} KB); files ${phases.first.files.length} + ${phases.later.files.length}`);
if (listFiles) {
  for (const [name, phase] of Object.entries(phases)) {
    for (const [file, raw, gzipped] of phase.files.sort((a, b) => b[2] - a[2])) {
      console.log(`  ${name.padEnd(5)} ${(gzipped / 1024).toFixed(1).padStart(7)} KB gzipped ${(raw / 1024).toFixed(1).padStart(7)} KB raw  ${file}`);
    }
  }
}

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
