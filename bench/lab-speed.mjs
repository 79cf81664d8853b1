// The training lab page's speed targets (issue 18), in headless Chromium, printed, never pass/fail; the load
// average is printed beside every figure (the machine is shared):
// - first: the first figures from the gallery, ms from navigation: the first screen's (verdicts and curves:
//   body data-gallery-curves-ms) and every figure's, heatmaps included (data-gallery-drawn-ms; a build before
//   the split has only this one, set once the curves and rank charts were drawn and the heatmaps started);
//   median of RUNS loads, each in a fresh browser context (cold: nothing cached) and again in the same
//   context (warm: the module code cache); and the transfer of that first view gzipped;
// - train: while 4 runs train at once (lm-vs-mlm, its 4 configurations, a small model, 4 workers): the longest
//   main-thread task a longtask observer saw, and the wall time of the whole training;
// - verdict: the experiment at its default settings (its configurations x its seeds) from Run to the verdicts
//   shown, on a device that reports 2 cores (so 2 workers; the small-device warning is answered "Start anyway"),
//   and each lab worker thread's CPU time (Linux's /proc/<renderer>/task/<thread>/schedstat, as
//   lab-bench-chromium.mjs reads it): what the training costs whatever else the machine runs, so the wall time
//   on an otherwise idle 2-core machine is about the busier worker's CPU time.
// Usage: node bench/lab-speed.mjs [first|train|verdict ...] [--experiment E] [--web-root DIR]
//   (default: first train; experiment: order for first and verdict; needs DIR/wasm and the gallery)
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

import { chromium } from 'playwright-core';

import { startServer } from '../scripts/static-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({ allowPositionals: true,
  options: { experiment: { type: 'string', default: 'order' }, 'web-root': { type: 'string', default: path.join(root, 'web') } } });
const modes = positionals.length > 0 ? positionals : ['first', 'train'];
const { experiment } = values;
const runs = Number(process.env.RUNS ?? 5);
const { server, url } = await startServer({ root: path.resolve(values['web-root']), port: 0 });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--no-first-run'] });
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const load = () => `load average ${loadavg().map((value) => value.toFixed(2)).join(' ')}`;

// The page at lab.html?experiment=E in context: { curves, drawn } ms (curves null on a build without it).
async function firstFigures(context, bodies = null) {
  const page = await context.newPage();
  if (bodies) {
    page.on('response', async (response) => {
      try { bodies.push(await response.body()); } catch { /* a redirect or an aborted body */ }
    });
  }
  await page.goto(`${url}lab.html?experiment=${experiment}`);
  await page.waitForSelector('body[data-gallery-drawn-ms]', { timeout: 60_000 });
  const times = await page.evaluate(() => ({ curves: Number(document.body.dataset.galleryCurvesMs ?? NaN),
    drawn: Number(document.body.dataset.galleryDrawnMs) }));
  if (bodies) await page.waitForSelector('body[data-lab-state]', { timeout: 60_000 });
  await page.close();
  return times;
}

async function first() {
  const cold = [];
  const warm = [];
  let transfer = null;
  for (let k = 0; k < runs; ++k) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const bodies = transfer === null ? [] : null;
    cold.push(await firstFigures(context, bodies));
    if (bodies) {
      transfer = { files: bodies.length, raw: bodies.reduce((sum, body) => sum + body.length, 0),
        gzip: bodies.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0) };
    }
    warm.push(await firstFigures(context));
    await context.close();
  }
  const line = (label, list) => {
    const curves = list.map((entry) => entry.curves).filter(Number.isFinite);
    const drawn = list.map((entry) => entry.drawn);
    return `${label}: first screen (verdicts, curves) ${curves.length ? `median ${median(curves)} ms (${curves.join(', ')})` : 'not marked by this build'}; `
      + `every figure median ${median(drawn)} ms (${drawn.join(', ')})`;
  };
  console.log(`lab first figures from the gallery (${experiment}), ${runs} loads, ${load()}`);
  console.log(`  ${line('cold', cold)}`);
  console.log(`  ${line('warm', warm)}`);
  console.log(`  first view transfer: ${transfer.files} files, ${(transfer.raw / 1024).toFixed(0)} KB raw, ${(transfer.gzip / 1024).toFixed(0)} KB gzipped`);
}

async function train() {
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
  const tasks = (await page.evaluate(() => window.longTasks)).sort((a, b) => b - a);
  console.log(`4 runs at once (${settings}): ${seconds.toFixed(1)} s; main-thread tasks over 50 ms: ${tasks.length}, `
    + `longest ${tasks.length ? tasks[0].toFixed(0) : 0} ms (${tasks.slice(0, 8).map((task) => task.toFixed(0)).join(', ')}); ${load()}`);
  await context.close();
}

const readText = (file) => { try { return readFileSync(file, 'utf8'); } catch { return ''; } };

// CPU seconds of every dedicated worker thread in this browser's renderers, [{ tid, seconds }].
function workerThreadsCpu() {
  const parents = new Map();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const stat = readText(`/proc/${entry}/stat`);
    parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
  }
  const ours = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [child, parent] of parents) if (ours.has(parent) && !ours.has(child)) { ours.add(child); grew = true; }
  }
  const threads = [];
  for (const pid of ours) {
    if (!readText(`/proc/${pid}/cmdline`).includes('--type=renderer')) continue;
    let tasks = [];
    try { tasks = readdirSync(`/proc/${pid}/task`); } catch { continue; }
    for (const tid of tasks) {
      if (!readText(`/proc/${pid}/task/${tid}/comm`).startsWith('DedicatedWorker')) continue;
      threads.push({ tid: Number(tid), seconds: Number(readText(`/proc/${pid}/task/${tid}/schedstat`).split(' ')[0]) / 1e9 });
    }
  }
  return threads;
}

async function verdict() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  await page.addInitScript(() => { Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 2 }); });
  await page.goto(`${url}lab.html?experiment=${experiment}`);
  await page.waitForSelector('body[data-lab-state="ready"]', { timeout: 60_000 });
  const loadBefore = load();
  const started = Date.now();
  await page.click('#lab-run');
  const warned = await page.waitForSelector('#lab-warning:not([hidden])', { timeout: 120_000 }).then(() => true, () => false);
  let estimate = '';
  if (warned) {
    estimate = await page.textContent('#lab-warning-text');
    await page.click('#lab-warning-start');
  }
  // Every ~30 s: the progress and the load, so that a slow run can be read against the machine's load.
  const progress = setInterval(async () => {
    const value = await page.evaluate(() => Number(document.getElementById('lab-progress').value)).catch(() => NaN);
    console.log(`  ${((Date.now() - started) / 1e3).toFixed(0)} s: progress ${(value * 100).toFixed(1)}%; ${load()}`);
  }, 30_000);
  try {
    await page.waitForSelector('body[data-lab-state="done"]', { timeout: 3_600_000 });
    await page.waitForSelector('#lab-verdicts li', { timeout: 120_000 });
  } finally {
    clearInterval(progress);
  }
  const seconds = (Date.now() - started) / 1e3;
  const threads = workerThreadsCpu().sort((a, b) => b.seconds - a.seconds);
  const facts = await page.evaluate(() => ({ status: document.getElementById('lab-status').textContent,
    verdicts: [...document.querySelectorAll('#lab-verdicts .lab-verdict')].map((item) => item.textContent) }));
  console.log(`${experiment} at its default settings, 2 workers: Run to verdicts ${seconds.toFixed(0)} s (${(seconds / 60).toFixed(1)} min); `
    + `${loadBefore} at Run, ${load()} at the end`);
  if (estimate) console.log(`  the page's estimate before it started: ${estimate}`);
  console.log(`  lab worker threads' CPU time (the page's own worker and the pool's): ${threads.map((thread) => `${thread.seconds.toFixed(1)} s`).join(', ')}`);
  console.log(`  status: ${facts.status}`);
  for (const words of facts.verdicts) console.log(`  verdict: ${words}`);
  await context.close();
}

try {
  for (const mode of modes) await ({ first, train, verdict })[mode]();
} finally {
  await browser.close();
  server.close();
}
