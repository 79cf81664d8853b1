// Where the explorer's main thread spends a slider step (issue 20's page target), from one Chromium trace:
// the s slider moved one step by the keyboard on a settled page (as bench/page-speed.mjs does), RUNS times;
// inside each step's measure 'attnrank: patterns redrawn' (input event -> the frame that shows the four
// heatmaps), the main thread's CPU time (thread time, tdur, of the tasks that start inside it, as page-speed.mjs
// counts it: so the task that ends the measure is counted whole, with the spectra and the words it draws after
// the measure's end) split by task kind (frames, engine results, drawing steps, ...; forced style and layout and
// GC apart), by trace event (self thread time) and the script's self time by function (the V8 sampling
// profiler's samples in the trace, attributed by wall time). Prints medians over the runs and the load
// average; never pass/fail. For function names profile web/ (unbundled), for the site as served build/site.
// Usage: node bench/page-profile.mjs [--web-root DIR] [--top K] (RUNS=7 by default; DIR default build/site).
// TIMELINE=i also lists step i's main-thread tasks (start, CPU, wall, the trace events inside, the top functions);
// EXTRA_CATEGORIES=a,b adds trace categories. The trace's own cost (the blink and cc categories, the sampling
// profiler) makes every figure here larger than bench/page-speed.mjs's: compare variants with this tool, in turns.
import { loadavg } from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { defaultSiteDir, staleSource } from '../scripts/build-site.mjs';
import { startServer } from '../scripts/static-server.mjs';

const argument = (flag, fallback) => {
  const index = process.argv.indexOf(flag);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const webRoot = path.resolve(argument('--web-root', defaultSiteDir));
const top = Number(argument('--top', 25));
const runs = Number(process.env.RUNS ?? 7);
if (webRoot === defaultSiteDir) {
  const stale = await staleSource(webRoot);
  if (stale) throw new Error(`${stale}: run node scripts/build-site.mjs`);
}
const kRedrawnMeasure = 'attnrank: patterns redrawn';  // web/views/figures/patterns.mjs
const load = () => loadavg().map((value) => value.toFixed(1)).join(' ');
const median = (values) => (values.length ? [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] : 0);

const { server, url } = await startServer({ root: webRoot, port: 0 });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--no-first-run'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });

// Resolves once body[data-updates] passes `before` (a mutation observer: polling by animation frames, as
// page.waitForFunction does, would add frames of its own to the step).
function updated(before) {
  return page.evaluate((count) => new Promise((resolve) => {
    const check = () => {
      if (Number(document.body.dataset.updates) > count) {
        observer.disconnect();
        resolve();
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { attributes: true, attributeFilter: ['data-updates'] });
    check();
  }), before);
}

async function settled() {
  await page.waitForFunction(() => document.body.dataset.stages === document.body.dataset.updates &&
    !document.getElementById('sweep-run').disabled && document.getElementById('raises-progress').hidden, null, { timeout: 600_000 });
}

console.log(`web root ${webRoot}; load average ${load()}`);
await page.goto(`${url}?n=256&d=64`);
await page.waitForSelector('body[data-updates]', { timeout: 120_000 });
await settled();
// Two untraced steps first (JIT warm-up of the drawing code).
for (let run = 0; run < 2; ++run) {
  const before = Number(await page.getAttribute('body', 'data-updates'));
  const done = updated(before);
  await page.press('[data-slider-for="scale"]', run % 2 ? 'ArrowLeft' : 'ArrowRight');
  await done;
  await settled();
}

await browser.startTracing(page, { categories: ['toplevel', 'blink.user_timing', 'devtools.timeline',
  'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'disabled-by-default-v8.gc', 'disabled-by-default-v8.cpu_profiler', 'blink', 'cc', ...(process.env.EXTRA_CATEGORIES ?? '').split(',').filter(Boolean)] });
const wallMs = [];
for (let run = 0; run < runs; ++run) {
  const before = Number(await page.getAttribute('body', 'data-updates'));
  const done = updated(before);
  await page.press('[data-slider-for="scale"]', run % 2 ? 'ArrowLeft' : 'ArrowRight');
  await done;
  wallMs.push(Number(await page.getAttribute('body', 'data-patterns-ms')));
  await settled();
}
const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
await browser.close();
server.close();

// The renderer's main thread.
const threadNames = new Map();
for (const event of events) if (event.ph === 'M' && event.name === 'thread_name') threadNames.set(`${event.pid}:${event.tid}`, event.args.name);
const key = (event) => `${event.pid}:${event.tid}`;
const measures = [];
const begins = new Map();
let mainKey = null;
for (const event of events) {
  if (event.name !== kRedrawnMeasure) continue;
  const id = event.id2?.local ?? event.id;
  if (event.ph === 'b') begins.set(id, event.ts);
  if (event.ph === 'e' && begins.has(id)) {
    measures.push([begins.get(id), event.ts]);
    mainKey = key(event);
  }
}
measures.sort((a, b) => a[0] - b[0]);
if (!mainKey || threadNames.get(mainKey) !== 'CrRendererMain') mainKey = [...threadNames].find(([, name]) => name === 'CrRendererMain')?.[0];
const mainEvents = events.filter((event) => key(event) === mainKey && event.ph === 'X').sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));

// Self thread time of each complete event (tdur minus its children's), by name; tasks (RunTask) are the roots.
function selfTimes(list) {
  const totals = new Map();
  const stack = [];
  const close = (until) => {
    while (stack.length && stack.at(-1).end <= until) {
      const done = stack.pop();
      totals.set(done.name, (totals.get(done.name) ?? 0) + Math.max(0, done.self));
    }
  };
  for (const event of list) {
    close(event.ts);
    const tdur = event.tdur ?? 0;
    if (stack.length) stack.at(-1).self -= tdur;
    stack.push({ name: event.name, end: event.ts + (event.dur ?? 0), self: tdur });
  }
  close(Infinity);
  return totals;
}

// The top-level tasks of the main thread, and which belong to each step: those starting inside the measure
// ("in the measure"), and the task that holds its end, past the end ("after the measure, same task").
const tasks = [];
let lastEnd = -1;
for (const event of mainEvents) {
  if (event.name !== 'ThreadControllerImpl::RunTask' && event.name !== 'RunTask') continue;
  if (event.ts < lastEnd) continue;
  tasks.push(event);
  lastEnd = event.ts + (event.dur ?? 0);
}
const within = (from, to) => mainEvents.filter((event) => event.ts >= from && event.ts < to);

// The V8 sampling profiler's samples of the main thread (ProfileChunk events of its Profile): self time by
// function, over the same windows.
const profileIds = new Set(events.filter((event) => event.name === 'Profile' && key(event) === mainKey).map((event) => event.id));
const nodes = new Map();
const samples = [];  // [ts, nodeId]
const clocks = new Map();
for (const event of events) {
  if (event.name === 'Profile' && profileIds.has(event.id)) clocks.set(event.id, event.args.data.startTime);
}
for (const event of events.filter((candidate) => candidate.name === 'ProfileChunk' && profileIds.has(candidate.id))
  .sort((a, b) => a.ts - b.ts)) {
  const data = event.args.data;
  for (const node of data.cpuProfile?.nodes ?? []) nodes.set(node.id, node);
  let time = clocks.get(event.id);
  const deltas = data.timeDeltas ?? [];
  (data.cpuProfile?.samples ?? []).forEach((nodeId, index) => {
    time += deltas[index];
    samples.push([time, nodeId]);
  });
  clocks.set(event.id, time);
}
samples.sort((a, b) => a[0] - b[0]);
const functionName = (node) => {
  const frame = node?.callFrame ?? {};
  const file = (frame.url ?? '').split('/').slice(-2).join('/');
  return `${frame.functionName || '(anonymous)'} ${file}${file ? `:${(frame.lineNumber ?? 0) + 1}` : ''}`;
};
function sampleTimes(from, to) {
  const totals = new Map();
  for (let index = 0; index < samples.length - 1; ++index) {
    const [time, nodeId] = samples[index];
    if (time < from || time >= to) continue;
    const name = functionName(nodes.get(nodeId));
    if (/^\(idle\)/.test(name)) continue;
    totals.set(name, (totals.get(name) ?? 0) + Math.min(samples[index + 1][0] - time, 1000));
  }
  return totals;
}

// What a main-thread task was, by the events inside it (the first match in this order).
const kKinds = [
  ['frame (rAF callbacks, style, layout, paint, layerize, commit)', ['ProxyMain::BeginMainFrame']],
  ['favicon (the page URL changed: Chromium fetches and decodes favicon.svg again)', ['SVGImage::DataChanged']],
  ['input event (slider key: onControlChange, update, setPatterns, URL)', ['EventDispatch']],
  ['engine results (postMessage from a worker: showResult, stats card)', ['HandlePostMessage']],
  ['drawing steps (scheduler.postTask: heatmap range, paint)', ['RunPostTaskCallback']],
  ['timers', ['TimerFire']],
  ['IPC and loading', ['Receive mojo message', 'ResponseBodyLoader::OnStateChange']],
];
function taskKind(inner) {
  const names = new Set(inner.map((event) => event.name));
  return kKinds.find(([, marks]) => marks.some((mark) => names.has(mark)))?.[0] ?? 'other tasks';
}
const windows = measures.map((inside) => ({ inside }));
function report(label, pick) {
  const perRun = windows.map((window) => {
    const [from, to] = pick(window);
    const list = within(from, to);
    const taskList = list.filter((event) => tasks.includes(event));
    const kinds = new Map();
    for (const task of taskList) {
      const inner = list.filter((event) => event.ts >= task.ts && event.ts < task.ts + task.dur);
      const kind = task.ts + task.dur > to ? 'the task that ends the measure (then draws the spectra and the words)' : taskKind(inner);
      const forced = inner.filter((event) => event.name === 'Blink.ForcedStyleAndLayout.UpdateTime')
        .reduce((sum, event) => sum + (event.tdur ?? 0), 0);
      const gc = inner.filter((event) => event.name === 'MinorGC' || event.name === 'MajorGC').reduce((sum, event) => sum + (event.tdur ?? 0), 0);
      const add = (name, us) => kinds.set(name, (kinds.get(name) ?? 0) + us);
      add(kind, (task.tdur ?? 0) - forced - gc);
      if (forced) add(`  forced style and layout (in ${kind.trim()})`, forced);
      if (gc) add('garbage collection', gc);
    }
    const counts = new Map();
    for (const event of list) counts.set(event.name, (counts.get(event.name) ?? 0) + 1);
    return { cpu: taskList.reduce((sum, task) => sum + (task.tdur ?? 0), 0) / 1000, self: selfTimes(list), js: sampleTimes(from, to),
      counts, kinds };
  });
  console.log(`\n${label}: main-thread CPU (top-level tasks' thread time) median ${median(perRun.map((run) => run.cpu)).toFixed(1)} ms ` +
    `(runs ${perRun.map((run) => run.cpu.toFixed(1)).join(', ')})`);
  const medianOf = (field) => {
    const names = new Set(perRun.flatMap((run) => [...run[field].keys()]));
    return [...names].map((name) => [name, median(perRun.map((run) => (run[field].get(name) ?? 0) / 1000))])
      .filter(([, ms]) => ms >= 0.05).sort((a, b) => b[1] - a[1]);
  };
  console.log('  by task (thread time, median ms per step; forced style and layout and GC split out):');
  for (const [name, ms] of medianOf('kinds')) console.log(`    ${ms.toFixed(2).padStart(7)}  ${name}`);
  console.log('  trace events, self thread time (median ms per step):');
  for (const [name, ms] of medianOf('self').slice(0, top)) console.log(`    ${ms.toFixed(2).padStart(7)}  ${name}`);
  console.log(`  event counts: ${['UpdateLayoutTree', 'Layout', 'Paint', 'Commit', 'FunctionCall', 'RunMicrotasks', 'MinorGC', 'MajorGC']
    .map((name) => `${name} x${median(perRun.map((run) => run.counts.get(name) ?? 0))}`).join(', ')}; tasks x${median(perRun.map((run) => (run.counts.get('ThreadControllerImpl::RunTask') ?? 0) + (run.counts.get('RunTask') ?? 0)))}`);
  console.log(`  samples: total ${median(perRun.map((run) => [...run.js.values()].reduce((a, b) => a + b, 0) / 1000)).toFixed(1)} ms`);
  console.log('  script by function, self time from samples (median ms per step, wall):');
  for (const [name, ms] of medianOf('js').slice(0, top)) console.log(`    ${ms.toFixed(2).padStart(7)}  ${name}`);
}
console.log(`steps traced ${measures.length} of ${runs}; slider -> patterns redrawn median ${median(wallMs).toFixed(1)} ms ` +
  `(runs ${wallMs.map((ms) => ms.toFixed(0)).join(', ')}); load ${load()}`);
report('inside the measure (input -> patterns redrawn)', (window) => window.inside);
if (process.env.TIMELINE) {
  const [from, to] = windows[Number(process.env.TIMELINE)].inside;
  for (const task of tasks.filter((t) => t.ts >= from && t.ts < to)) {
    const inner = mainEvents.filter((event) => event.ts >= task.ts && event.ts < task.ts + task.dur && event !== task);
    const names = new Map();
    for (const event of inner) names.set(event.name, (names.get(event.name) ?? 0) + (event.tdur ?? 0) / 1000);
    const js = sampleTimes(task.ts, task.ts + task.dur);
    const jsTop = [...js].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([n, t]) => `${n.split(' ')[0]} ${(t / 1000).toFixed(2)}`).join('; ');
    console.log(`${((task.ts - from) / 1000).toFixed(1).padStart(6)} +${(task.tdur / 1000).toFixed(2)} cpu ${(task.dur / 1000).toFixed(2)} wall  ` +
      [...names].filter(([, t]) => t >= 0.05).map(([n, t]) => `${n} ${t.toFixed(2)}`).join(', ') + (jsTop ? `  | ${jsTop}` : ''));
  }
}
