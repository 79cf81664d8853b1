// Timing of one full analyze() request as the page gets it: the shipped wasm module inside the page's own
// worker (web/engine/engine-worker.mjs, driven by the page's EnginePool) in headless Chromium, measured in
// the page from the call to the answer (so postMessage and the structured clone of the result count).
// Same requests, warm-up and repeat rule as bench-wasm.mjs. The document is a blank same-origin page,
// not index.html, so the explorer's own figures do not compete for the cores. A benchmark, never a test.
// Usage: node bench/chromium-bench.mjs [--sizes 128,256] [--d 64] [--repeats 5] [--precision f64|f32]
//   [--web-root DIR]
//   prints '# ' comment lines (browser version, worker load) then CSV with the columns of bench-wasm.mjs.
import { parseArgs } from 'node:util';

import { openBrowser } from '../tests/e2e/browser.mjs';
import { repeatsFor } from './budget.mjs';

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
// which is still evolving, is never copied here); window.timeRequest(config, runs) -> median ms after one
// untimed call of the same config. Resolves with the time to the first answer (worker load + compile).
async function installEngine() {
  const started = performance.now();
  const { EnginePool } = await import('./engine/engine-client.mjs');
  const pool = new EnginePool({ size: 1 });
  await pool.call('version');
  window.timeRequest = async (config, runs) => {
    await pool.call('analyze', config);
    const times = [];
    for (let run = 0; run < runs; ++run) {
      const start = performance.now();
      await pool.call('analyze', config);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  };
  return performance.now() - started;
}

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
  for (const pattern of ['bidirectional', 'prefix', 'forward', 'backward']) {
    await withTimeout(page.evaluate((c) => window.timeRequest(c, 2), { pattern, n: 256, d: 64, seed: 1 }),
      kRequestTimeoutMs, `tier-up ${pattern}`);
  }
  console.log(`# browser ${browser.context.browser()?.version() ?? 'unknown'}`);
  console.log(`# engine ready after ${readyMs.toFixed(1)} ms (worker load, compile, first call)`);
  console.log('n,d,precision,pattern,median_ms');
  const d = Number(values.d);
  for (const n of values.sizes.split(',').map(Number)) {
    for (const pattern of ['bidirectional', 'prefix', 'forward', 'backward']) {
      const config = { pattern, n, d, seed: 7, precision: values.precision };
      const ms = await withTimeout(page.evaluate(([c, runs]) => window.timeRequest(c, runs),
        [config, repeatsFor(n, Number(values.repeats))]), kRequestTimeoutMs, `n=${n} ${pattern}`);
      console.log(`${n},${d},${values.precision},${pattern},${ms.toFixed(3)}`);
    }
  }
} finally {
  await browser.close();
}
