// Where the lab page's main-thread time goes (issue 18's speed targets), in headless Chromium, printed, never
// pass/fail. Two measures that the machine's load affects little: what the main thread did (each task's length
// and the scripts in it, from the Long Animation Frames API's script attribution) and when each resource
// arrived (Resource Timing), for
// - first: the page at lab.html?experiment=E up to the gallery's figures (body data-gallery-drawn-ms), in a
//   fresh browser context (cold: nothing cached) and again in the same context (warm: module code cache);
// - train: while 4 runs train at once (lm-vs-mlm, a small model, 4 workers): every frame over 50 ms with the
//   scripts that took its time, grouped by function.
// - cpu: the main thread's CPU time (trace events' thread durations, which the machine's load changes little,
//   unlike their wall time) from navigation to the gallery's first screen (body data-gallery-curves-ms, or
//   data-gallery-drawn-ms on a build without it) and to every figure, and its longest tasks in CPU time.
// - train-cpu: as train, with the main thread's tasks in CPU time from a trace (the longest, and what ran in them).
// Usage: node bench/lab-profile.mjs first|cpu [EXPERIMENT=order] | train | train-cpu   (RUNS=3 loads; needs web/wasm;
//   ATTNRANK_WEB_ROOT: another copy of web/)
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startServer } from '../scripts/static-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [mode = 'first', experiment = 'order'] = process.argv.slice(2);
const runs = Number(process.env.RUNS ?? 3);
const webRoot = process.env.ATTNRANK_WEB_ROOT ? path.resolve(process.env.ATTNRANK_WEB_ROOT) : path.join(root, 'web');
const { server, url } = await startServer({ root: webRoot, port: 0 });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--no-first-run'] });

// Before the page's own scripts: every long animation frame (>= 50 ms) with its scripts, every long task.
function observe() {
  window.frames50 = [];
  window.longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      window.frames50.push({ start: entry.startTime, duration: entry.duration, blocking: entry.blockingDuration,
        render: entry.renderStart ? entry.startTime + entry.duration - entry.renderStart : 0,
        scripts: entry.scripts.map((script) => ({ duration: script.duration, invoker: script.invoker, type: script.invokerType,
          source: `${(script.sourceURL || '').split('/').slice(-2).join('/')}:${script.sourceFunctionName || ''}:${script.sourceCharPosition}`,
          compile: script.duration - (script.executionStart - script.startTime) < 0 ? 0 : script.executionStart - script.startTime,
          layout: script.forcedStyleAndLayoutDuration })) });
    }
  }).observe({ type: 'long-animation-frame', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
}

const round = (value) => Math.round(value);

function printFrames(frames, limit = 12) {
  for (const frame of frames.slice(0, limit)) {
    console.log(`  frame at ${round(frame.start)} ms: ${round(frame.duration)} ms (blocking ${round(frame.blocking)}, render ${round(frame.render)})`);
    for (const script of frame.scripts.filter((entry) => entry.duration >= 5)) {
      console.log(`    ${round(script.duration)} ms ${script.type} ${script.invoker} -> ${script.source}${script.layout ? ` (forced layout ${round(script.layout)} ms)` : ''}`);
    }
  }
}

// PROFILE=1: the main thread's JavaScript self time by function (CDP Profiler, sampled every 100 us) up to
// the figures, the 15 largest, beside the LoAF attribution.
async function startProfile(page) {
  if (!process.env.PROFILE) return null;
  const session = await page.context().newCDPSession(page);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 100 });
  await session.send('Profiler.start');
  return session;
}

async function printProfile(session) {
  if (!session) return;
  const { profile } = await session.send('Profiler.stop');
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  const deltas = profile.timeDeltas;
  profile.samples.forEach((id, k) => {
    const { callFrame } = byId.get(id);
    const key = `${callFrame.functionName || '(anonymous)'} ${callFrame.url.split('/').slice(-2).join('/')}:${callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (deltas[k + 1] ?? 0) / 1e3);
  });
  // The callers of the largest self-time entries (their stacks' two frames above them).
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const caller = (id) => { const frame = byId.get(parents.get(id))?.callFrame; return frame ? `${frame.functionName || '(anonymous)'}:${frame.lineNumber + 1}` : '-'; };
  const stackOf = new Map();
  profile.samples.forEach((id, k) => {
    const { callFrame } = byId.get(id);
    const key = `${callFrame.functionName || '(anonymous)'} ${callFrame.url.split('/').slice(-2).join('/')}:${callFrame.lineNumber + 1}`;
    const up = `${caller(id)} < ${caller(parents.get(id))}`;
    const entry = stackOf.get(key) ?? new Map();
    entry.set(up, (entry.get(up) ?? 0) + (deltas[k + 1] ?? 0) / 1e3);
    stackOf.set(key, entry);
  });
  console.log('  JavaScript self time by function (ms):');
  for (const [key, ms] of [...self].filter(([key]) => !key.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`    ${ms.toFixed(1)} ${key}  [${[...stackOf.get(key)].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([up, t]) => `${t.toFixed(0)} ${up}`).join('; ')}]`);
  }
}

async function firstFigures(context, label) {
  const page = await context.newPage();
  await page.addInitScript(observe);
  const session = await startProfile(page);
  await page.goto(`${url}lab.html?experiment=${experiment}`);
  await page.waitForSelector('body[data-gallery-drawn-ms]', { timeout: 60_000 });
  await printProfile(session);
  const drawn = Number(await page.getAttribute('body', 'data-gallery-drawn-ms'));
  await page.waitForSelector('body[data-lab-state]', { timeout: 60_000 });  // ready, or failed without a module
  await page.waitForTimeout(300);
  const facts = await page.evaluate(() => ({
    paint: Object.fromEntries(performance.getEntriesByType('paint').map((entry) => [entry.name, entry.startTime])),
    resources: performance.getEntriesByType('resource').map((entry) => ({ name: entry.name.split('/').slice(-2).join('/'),
      start: entry.startTime, end: entry.responseEnd, bytes: entry.encodedBodySize })),
    nav: performance.getEntriesByType('navigation').map((entry) => ({ domInteractive: entry.domInteractive,
      domContentLoaded: entry.domContentLoadedEventEnd, load: entry.loadEventEnd }))[0],
    marks: performance.getEntriesByType('mark').map((entry) => [entry.name, entry.startTime]),
    frames: window.frames50, longTasks: window.longTasks,
    ready: performance.now(),
  }));
  await page.close();
  console.log(`${label}: gallery drawn at ${drawn} ms; first contentful paint ${round(facts.paint['first-contentful-paint'] ?? NaN)} ms; `
    + `DOMContentLoaded ${round(facts.nav.domContentLoaded)} ms`);
  const before = facts.longTasks.filter((task) => task.start < drawn);
  console.log(`  main-thread tasks >= 50 ms before the figures: ${before.map((task) => `${round(task.duration)} at ${round(task.start)}`).join(', ') || 'none'}`);
  for (const resource of facts.resources.filter((entry) => /gallery|wasm|uPlot|lab-main/.test(entry.name))) {
    console.log(`  ${resource.name}: ${round(resource.start)} -> ${round(resource.end)} ms (${resource.bytes} bytes)`);
  }
  const lastModule = Math.max(...facts.resources.filter((entry) => entry.name.endsWith('.mjs') || entry.name.endsWith('.js')).map((entry) => entry.end));
  console.log(`  last script arrived at ${round(lastModule)} ms`);
  for (const [name, time] of facts.marks) console.log(`  mark ${name} at ${round(time)} ms`);
  printFrames(facts.frames.filter((frame) => frame.start < drawn + 50));
  return drawn;
}

// One load in a fresh context, traced: { curvesCpu, drawnCpu, curvesMs, drawnMs, tasks }.
async function cpuLoad() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  await browser.startTracing(page, { categories: ['disabled-by-default-devtools.timeline', 'blink.user_timing', 'devtools.timeline', 'v8.execute'] });
  await page.goto(`${url}lab.html?experiment=${experiment}`);
  await page.waitForSelector('body[data-gallery-drawn-ms]', { timeout: 60_000 });
  const marks = await page.evaluate(() => ({ curves: Number(document.body.dataset.galleryCurvesMs ?? document.body.dataset.galleryDrawnMs),
    drawn: Number(document.body.dataset.galleryDrawnMs) }));
  const { traceEvents } = JSON.parse((await browser.stopTracing()).toString('utf8'));
  await context.close();
  const navigation = traceEvents.filter((event) => event.name === 'navigationStart' && event.args?.data?.isLoadingMainFrame
    && String(event.args.data.documentLoaderURL ?? '').includes('lab.html')).at(-1);
  const main = traceEvents.find((event) => event.ph === 'M' && event.name === 'thread_name' && event.args.name === 'CrRendererMain'
    && event.pid === navigation.pid);
  const tasks = traceEvents.filter((event) => event.ph === 'X' && event.name === 'RunTask' && event.pid === main.pid && event.tid === main.tid
    && event.ts >= navigation.ts);
  const cpuUntil = (ms) => tasks.filter((event) => event.ts < navigation.ts + ms * 1e3).reduce((sum, event) => sum + (event.tdur ?? 0), 0) / 1e3;
  // Each long task's largest script (FunctionCall / EvaluateScript / v8.run with a URL) inside it.
  const described = tasks.filter((event) => event.ts < navigation.ts + marks.drawn * 1e3).sort((a, b) => (b.tdur ?? 0) - (a.tdur ?? 0)).slice(0, Number(process.env.TASKS ?? 6)).map((task) => {
    const inside = traceEvents.filter((event) => event.ph === 'X' && event.tid === task.tid && event.pid === task.pid && event.ts >= task.ts
      && event.ts + (event.dur ?? 0) <= task.ts + task.dur && event !== task && ['FunctionCall', 'EvaluateScript', 'v8.evaluateModule', 'TimerFire', 'FireAnimationFrame', 'ParseHTML', 'Layout', 'UpdateLayoutTree', 'Paint'].includes(event.name));
    const biggest = inside.sort((a, b) => b.dur - a.dur).slice(0, 3).map((event) => `${event.name} ${(event.dur / 1e3).toFixed(0)}${event.args?.data?.url ? ` ${event.args.data.url.split('/').slice(-1)[0]}` : ''}${event.args?.data?.functionName ? `:${event.args.data.functionName}` : ''}`);
    return `${((task.tdur ?? 0) / 1e3).toFixed(0)} ms CPU (${(task.dur / 1e3).toFixed(0)} wall) at ${((task.ts - navigation.ts) / 1e3).toFixed(0)}: ${biggest.join(', ')}`;
  });
  return { curvesCpu: cpuUntil(marks.curves), drawnCpu: cpuUntil(marks.drawn), curvesMs: marks.curves, drawnMs: marks.drawn, tasks: described };
}

try {
  if (mode === 'cpu') {
    const loads = [];
    for (let k = 0; k < runs; ++k) {
      const result = await cpuLoad();
      loads.push(result);
      console.log(`load ${k + 1}: first screen at ${result.curvesMs} ms wall, ${result.curvesCpu.toFixed(0)} ms main-thread CPU; every figure at ${result.drawnMs} ms wall, ${result.drawnCpu.toFixed(0)} ms CPU`);
      for (const task of result.tasks) console.log(`  ${task}`);
    }
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    console.log(`main-thread CPU to the first screen (${experiment}): median ${median(loads.map((entry) => entry.curvesCpu)).toFixed(0)} ms; `
      + `to every figure ${median(loads.map((entry) => entry.drawnCpu)).toFixed(0)} ms; wall medians ${median(loads.map((entry) => entry.curvesMs))} / ${median(loads.map((entry) => entry.drawnMs))} ms; `
      + `load average ${(await import('node:os')).loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  } else if (mode === 'first') {
    const cold = [];
    const warm = [];
    for (let k = 0; k < runs; ++k) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
      cold.push(await firstFigures(context, `cold load ${k + 1}`));
      warm.push(await firstFigures(context, `warm load ${k + 1}`));
      await context.close();
    }
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    console.log(`first figures (${experiment}): cold median ${median(cold)} ms (${cold.join(', ')}), warm median ${median(warm)} ms (${warm.join(', ')})`);
  } else {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.addInitScript(() => { Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 4 }); });
    await page.addInitScript(observe);
    const settings = process.env.SETTINGS ?? 'experiment=lm-vs-mlm&seeds=1&steps=300&n=32&width=32&heads=2&layers=2&batch=8&checkpoint_every=20&heldout_batches=1';
    await page.goto(`${url}lab.html?${settings}`);
    await page.waitForSelector('body[data-lab-state="ready"]', { timeout: 60_000 });
    const from = await page.evaluate(() => performance.now());
    if (mode === 'train-cpu') await browser.startTracing(page, { categories: ['disabled-by-default-devtools.timeline', 'devtools.timeline', 'v8.execute'] });
    await page.click('#lab-run');
    await page.waitForSelector('body[data-lab-state="done"]', { timeout: 900_000 });
    if (mode === 'train-cpu') {
      // The main thread's tasks in CPU time (thread duration), which the machine's load changes little.
      const { traceEvents } = JSON.parse((await browser.stopTracing()).toString('utf8'));
      const main = traceEvents.find((event) => event.ph === 'M' && event.name === 'thread_name' && event.args.name === 'CrRendererMain'
        && traceEvents.some((other) => other.pid === event.pid && other.name === 'FunctionCall' && String(other.args?.data?.url ?? '').includes('lab-main')));
      const tasks = traceEvents.filter((event) => event.ph === 'X' && event.name === 'RunTask' && event.pid === main.pid && event.tid === main.tid)
        .sort((a, b) => (b.tdur ?? 0) - (a.tdur ?? 0));
      const cpu = tasks.map((task) => (task.tdur ?? 0) / 1e3);
      console.log(`main-thread tasks while training, CPU time: ${cpu.filter((ms) => ms > 50).length} over 50 ms, ${cpu.filter((ms) => ms > 16).length} over 16 ms; `
        + `longest ${cpu.slice(0, 10).map((ms) => ms.toFixed(0)).join(', ')} ms (wall ${tasks.slice(0, 10).map((task) => (task.dur / 1e3).toFixed(0)).join(', ')}); `
        + `total ${(cpu.reduce((sum, ms) => sum + ms, 0) / 1e3).toFixed(1)} s; load average ${(await import('node:os')).loadavg().map((value) => value.toFixed(2)).join(' ')}`);
      for (const task of tasks.slice(0, Number(process.env.TASKS ?? 8))) {
        const inside = traceEvents.filter((event) => event.ph === 'X' && event.tid === task.tid && event.pid === task.pid && event.ts >= task.ts
          && event.ts + (event.dur ?? 0) <= task.ts + task.dur && event !== task && event.name !== 'RunTask');
        const byName = new Map();
        for (const event of inside) {
          const name = `${event.name}${event.args?.data?.functionName ? ` ${event.args.data.functionName}` : ''}${event.args?.data?.url ? ` ${event.args.data.url.split('/').slice(-1)[0]}` : ''}`;
          byName.set(name, Math.max(byName.get(name) ?? 0, (event.tdur ?? event.dur ?? 0) / 1e3));
        }
        console.log(`  ${((task.tdur ?? 0) / 1e3).toFixed(0)} ms CPU (${(task.dur / 1e3).toFixed(0)} wall): ${[...byName].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join('; ')}`);
      }
    }
    const to = await page.evaluate(() => performance.now());
    const { frames, longTasks } = await page.evaluate(() => ({ frames: window.frames50, longTasks: window.longTasks }));
    const during = frames.filter((frame) => frame.start >= from);
    const tasks = longTasks.filter((task) => task.start >= from).map((task) => task.duration).sort((a, b) => b - a);
    console.log(`4 runs (${settings}): ${((to - from) / 1e3).toFixed(1)} s; long tasks: ${tasks.length}, longest ${round(tasks[0] ?? 0)} ms `
      + `(${tasks.slice(0, 10).map(round).join(', ')})`);
    const byScript = new Map();
    for (const frame of during) {
      for (const script of frame.scripts) {
        const entry = byScript.get(script.source) ?? { count: 0, total: 0, max: 0 };
        entry.count += 1;
        entry.total += script.duration;
        entry.max = Math.max(entry.max, script.duration);
        byScript.set(script.source, entry);
      }
    }
    console.log('scripts in frames >= 50 ms (count, total, max ms):');
    for (const [source, entry] of [...byScript].sort((a, b) => b[1].max - a[1].max).slice(0, 15)) {
      console.log(`  ${entry.count} x, ${round(entry.total)} ms, max ${round(entry.max)}: ${source}`);
    }
    printFrames([...during].sort((a, b) => b.duration - a.duration), 6);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
