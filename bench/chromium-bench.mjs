// Timing of one full analyze() request as the page gets it: the shipped wasm module inside the page's own
// worker (web/engine/engine-worker.mjs, driven by the page's EnginePool) in headless Chromium, measured in
// the page from the call to the answer (so postMessage and the structured clone of the result count).
// Same requests, warm-up and repeat rule as bench-wasm.mjs. The document is a blank same-origin page,
// not index.html, so the explorer's own figures do not compete for the cores. A benchmark, never a test.
// Usage: node bench/chromium-bench.mjs [--sizes 128,256] [--d 64] [--repeats 5] [--precision f64|f32]
//   [--web-root DIR]
//   prints '# ' comment lines (browser version, worker load, load average, the page's timer step, the threads'
//   priorities) then CSV with the columns of bench-wasm.mjs plus worker_cpu_ms and main_cpu_ms: the CPU time
//   per timed request (mean over the cell's runs, from Linux's /proc; empty elsewhere) of the engine worker's
//   thread and of the page's main thread. Wall time on a shared machine counts the waits for a core; CPU time
//   mostly does not, so on a loaded machine compare worker_cpu_ms with the CPU of the same call under node.
// Method, checked in session 14 (issue 20; nothing here measures less of the request than before):
// - what is timed is unchanged: the page's EnginePool call from the call to the resolved answer, median of
//   --repeats runs (half from n = 1024) after one untimed call of the same config, after every pattern ran three
//   times at n = 256 (V8 tiers wasm up per function; in Chromium 156 the second call already runs tiered-up
//   code). Since session 14 the untimed call is its own page.evaluate, so the CPU of the timed runs alone can be
//   read between them; the timed runs still follow each other in one page.evaluate.
// - the worker is not throttled: its thread and its renderer's main thread run at nice 0 (printed each run),
//   like node's and python's benchmarks; headless Chromium keeps the page in the foreground.
// - timer: performance.now() in a page that is not cross-origin isolated steps by 0.1 ms (Chromium coarsens it;
//   printed each run): up to 1% of an n = 256 request, in both directions, under the median.
// - the page path is small: at n = 256 the worker's CPU per request is node's CPU for the same call within the
//   noise, and a round trip through the pool costs ~0.1-0.2 ms (measured session 14 with a probe worker; the
//   answer is 28 keys and one 2 KB Float64Array, transferred). The rest of median_ms - worker_cpu_ms is
//   waiting for a core.
import { parseArgs } from 'node:util';

import { openBrowser } from '../tests/e2e/browser.mjs';
import { repeatsFor } from './budget.mjs';
import { loadAverage } from './machine-info.mjs';
import { childThreads, cpuNow, workerThreads } from './thread-cpu.mjs';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '128,256,512,1024' },
    d: { type: 'string', default: '64' },
    repeats: { type: 'string', default: '5' },
    precision: { type: 'string', default: 'f64' },
    'web-root': { type: 'string' },  // another copy of web/ (e.g. a release) instead of the work tree's
  },
});

// In the page: the page's own EnginePool with one worker (so the protocol between client and worker,
// which is still evolving, is never copied here); window.untimed(config) makes one call, window.timeRuns(config,
// runs) -> the times of `runs` calls, one after another, in ms. Resolves with the time to the first answer
// (worker load + compile).
async function installEngine() {
  const started = performance.now();
  const { EnginePool } = await import('./engine/engine-client.mjs');
  const pool = new EnginePool({ size: 1 });
  await pool.call('version');
  window.untimed = async (config) => { await pool.call('analyze', config); };
  window.timeRuns = async (config, runs) => {
    const times = [];
    for (let run = 0; run < runs; ++run) {
      const start = performance.now();
      await pool.call('analyze', config);
      times.push(performance.now() - start);
    }
    return times;
  };
  return performance.now() - started;
}

// The least step of performance.now() in the page (ms): its resolution.
function timerStep() {
  let step = Infinity;
  const end = performance.now() + 20;
  for (let last = performance.now(), now = last; now < end; now = performance.now()) {
    if (now > last) step = Math.min(step, now - last);
    last = now;
  }
  return step;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// A page that never answers (a worker that failed to load, a protocol mid-change) must not hang the run.
const kReadyTimeoutMs = 60_000;
const kRequestTimeoutMs = 600_000;
function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1e3} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const browser = await openBrowser(values['web-root'] ? { webRoot: values['web-root'] } : {});
try {
  const page = await browser.context.newPage();
  const blankUrl = `${browser.serverUrl}bench-blank.html`;
  await page.route(blankUrl, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title>' }));
  await page.goto(blankUrl);
  const readyMs = await withTimeout(page.evaluate(installEngine), kReadyTimeoutMs, 
    'the page\'s engine (first call; if web/engine is being edited, try --web-root with a committed copy)');
  // V8 tiers wasm up per function as it runs hot: without running every pattern's path (LU for the
  // non-triangular ones) first, the first cells would be 2-4x slow.
  const withinTimeout = (what, callback, arg) => withTimeout(page.evaluate(callback, arg), kRequestTimeoutMs, what);
  for (const pattern of ['bidirectional', 'prefix', 'forward', 'backward']) {
    const config = { pattern, n: 256, d: 64, seed: 1 };
    await withinTimeout(`tier-up ${pattern}`, (c) => window.untimed(c), config);
    await withinTimeout(`tier-up ${pattern}`, ([c, runs]) => window.timeRuns(c, runs), [config, 2]);
  }
  const threads = workerThreads(childThreads());
  console.log(`# browser ${browser.context.browser()?.version() ?? 'unknown'}`);
  console.log(`# engine ready after ${readyMs.toFixed(1)} ms (worker load, compile, first call)`);
  console.log(`# load average ${loadAverage()} at the start`);
  console.log(`# performance.now() in the page steps by ${(await page.evaluate(timerStep)).toFixed(3)} ms`);
  console.log(threads ? `# threads: the engine worker nice ${threads.worker.nice}, the page's main thread nice ${threads.main.nice}`
    : '# threads: not found (no /proc, or not exactly one worker): worker_cpu_ms and main_cpu_ms are left empty');
  console.log('n,d,precision,pattern,median_ms,worker_cpu_ms,main_cpu_ms');
  const d = Number(values.d);
  for (const n of values.sizes.split(',').map(Number)) {
    for (const pattern of ['bidirectional', 'prefix', 'forward', 'backward']) {
      const config = { pattern, n, d, seed: 7, precision: values.precision };
      const runs = repeatsFor(n, Number(values.repeats));
      await withinTimeout(`n=${n} ${pattern}`, (c) => window.untimed(c), config);
      const before = threads && cpuNow(threads);
      const times = await withinTimeout(`n=${n} ${pattern}`, ([c, r]) => window.timeRuns(c, r), [config, runs]);
      const after = before && cpuNow(threads);
      const cpu = (thread) => (after ? ((after[thread] - before[thread]) / 1e6 / runs).toFixed(3) : '');
      console.log(`${n},${d},${values.precision},${pattern},${median(times).toFixed(3)},${cpu('worker')},${cpu('main')}`);
    }
  }
  console.log(`# load average ${loadAverage()} at the end`);
} finally {
  await browser.close();
}
