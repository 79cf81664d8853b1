// Pure-JavaScript baseline: form the masked softmax matrix in plain JS and take its singular values with
// ml-matrix's SVD (a port of JAMA's one-sided Golub-Kahan SVD), values only. It answers "why wasm at all?":
// what a page gets from a well-known JS library instead. Inputs come from a tiny seeded generator
// here (the numbers are never compared with the core's; only the time is). No rank statistics beyond
// the SVD. A benchmark, never a test.
// Where it runs: under this node by default; with --chromium the same code (the functions below, their source
// sent as they are, and the same file of ml-matrix node loads, matrix.js) in a dedicated worker of a blank page
// in the headless Chromium the wasm column runs in (tests/e2e/browser.mjs's flags), timed there the same way.
// The wasm's "at least 10x faster than ml-matrix" is a comparison in the page, so the pair that shares the
// browser is the fair one: session 14 measured ml-matrix faster in Chromium 156 than under node 20, interleaved on
// a loaded machine (load 6-9): 1.6-3x in wall time at n = 128-512, 1.4-1.75x in the CPU time of every thread of
// either side at n = 128-256, so the node column overstates the wasm's lead.
// Usage: node bench/js-svd-bench.mjs [--sizes 128,256] [--repeats 5] [--d 64] [--no-warm-up] [--info] [--chromium]
//   prints CSV n,d,precision,pattern,median_ms,runs (exactly --repeats runs at every n: compare.mjs
//   decides them per size within its time budget); with --chromium a '# ' line with the browser first.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Matrix, SVD } from 'ml-matrix';

// timeOnce(pattern, n, d) -> ms of one request on ml-matrix's Matrix and SVD. Self-contained: --chromium
// sends its source to the browser.
function makeTimer(Matrix, SVD) {
  const allowed = {
    bidirectional: () => true,
    prefix: (i, j, n) => j < Math.floor(n / 2) || j <= i,
    forward: (i, j) => j <= i,
    backward: (i, j) => j >= i,
  };

  // Seeded N(0,1) draws (xorshift32 + Box-Muller): bench input only, not the project's generator.
  function normalMatrix(rows, cols, state) {
    const out = new Float64Array(rows * cols);
    const uniform = () => {
      state.x ^= state.x << 13; state.x ^= state.x >>> 17; state.x ^= state.x << 5;
      return ((state.x >>> 0) + 1) / 4294967297;  // in (0, 1): log() below stays finite
    };
    for (let index = 0; index < out.length; ++index) {
      out[index] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    }
    return out;
  }

  // A is (n, n) as row arrays; row i = softmax over the keys query i may attend to, 0 elsewhere.
  function maskedSoftmax(pattern, n, d, q, k) {
    const isAllowed = allowed[pattern];
    const factor = 1 / Math.sqrt(d);
    const rows = [];
    for (let i = 0; i < n; ++i) {
      const row = new Float64Array(n);
      let max = -Infinity;
      for (let j = 0; j < n; ++j) {
        if (!isAllowed(i, j, n)) { row[j] = -Infinity; continue; }
        let dot = 0;
        for (let t = 0; t < d; ++t) dot += q[i * d + t] * k[j * d + t];
        row[j] = dot * factor;
        if (row[j] > max) max = row[j];
      }
      let sum = 0;
      for (let j = 0; j < n; ++j) { row[j] = Math.exp(row[j] - max); sum += row[j]; }
      for (let j = 0; j < n; ++j) row[j] /= sum;
      rows.push(Array.from(row));  // ml-matrix stores plain arrays of rows
    }
    return rows;
  }

  return function timeOnce(pattern, n, d) {
    const state = { x: 7 };
    const start = performance.now();
    const q = normalMatrix(n, d, state);
    const k = normalMatrix(n, d, state);
    const svd = new SVD(new Matrix(maskedSoftmax(pattern, n, d, q, k)), {
      computeLeftSingularVectors: false, computeRightSingularVectors: false, autoTranspose: false,
    });
    const elapsed = performance.now() - start;
    if (!(svd.diagonal[0] > 0)) throw new Error(`n=${n} pattern=${pattern}: no singular values`);
    return elapsed;
  };
}

// The CSV rows of every n and pattern: JIT tier-up at a small n first, every pattern three times (so a large n
// that cannot afford its own warm-up is still measured hot; once, before session 14, left Chromium's first
// cell at n = 128 up to 4x slow), then per cell an untimed run (unless warmUp is false) and `repeats` timed
// ones, median sorted[floor(repeats / 2)]. Self-contained, like makeTimer.
function runCells(timeOnce, sizes, d, repeats, warmUp) {
  const patterns = ['bidirectional', 'prefix', 'forward', 'backward'];
  for (let round = 0; round < 3; ++round) for (const pattern of patterns) timeOnce(pattern, 64, d);
  const lines = [];
  for (const n of sizes) {
    for (const pattern of patterns) {
      if (warmUp) timeOnce(pattern, n, d);
      const times = Array.from({ length: repeats }, () => timeOnce(pattern, n, d)).sort((a, b) => a - b);
      lines.push(`${n},${d},f64,${pattern},${times[Math.floor(repeats / 2)].toFixed(3)},${repeats}`);
    }
  }
  return lines;
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '128,256,512' },
    d: { type: 'string', default: '64' },
    repeats: { type: 'string', default: '5' },
    'no-warm-up': { type: 'boolean', default: false },
    info: { type: 'boolean', default: false },
    chromium: { type: 'boolean', default: false },
  },
});

// ml-matrix's "exports" hide its package.json from resolve(): read the installed copy directly.
const packageDir = fileURLToPath(new URL('../node_modules/ml-matrix/', import.meta.url));
if (values.info) {
  console.log(JSON.stringify({ 'ml-matrix': JSON.parse(readFileSync(`${packageDir}package.json`, 'utf8')).version }));
  process.exit(0);
}

const d = Number(values.d);
const repeats = Math.max(1, Number(values.repeats));
const sizes = values.sizes.split(',').map(Number);
const warmUp = !values['no-warm-up'];

// In a dedicated worker of a blank page: the worker's script is ml-matrix's matrix.js (the file node's import
// resolves to, a CommonJS bundle without requires) wrapped to set self.mlMatrix, then makeTimer and runCells.
async function runInChromium() {
  const { openBrowser } = await import('../tests/e2e/browser.mjs');
  const browser = await openBrowser({ webRoot: packageDir, requireWasm: false });
  try {
    const base = `${browser.serverUrl}__js-svd-bench__/`;
    const library = readFileSync(`${packageDir}matrix.js`, 'utf8');
    const worker = `self.mlMatrix = (() => { const module = { exports: {} }; const exports = module.exports;\n${library}\n` +
      `return module.exports; })();\nconst makeTimer = ${makeTimer.toString()};\nconst runCells = ${runCells.toString()};\n` +
      'self.onmessage = ({ data: [sizes, d, repeats, warmUp] }) => {\n' +
      '  try { self.postMessage({ lines: runCells(makeTimer(mlMatrix.Matrix, mlMatrix.SVD), sizes, d, repeats, warmUp) }); }\n' +
      '  catch (error) { self.postMessage({ error: String(error) }); }\n};\n';
    const bodies = { 'page.html': ['text/html', '<!doctype html><title>js-svd-bench</title>'], 'worker.js': ['text/javascript', worker] };
    await browser.context.route(`${base}*`, (route) => {
      const [type, body] = bodies[new URL(route.request().url()).pathname.split('/').pop()] ?? ['text/plain', ''];
      return route.fulfill({ status: body ? 200 : 404, contentType: type, body });
    });
    const page = await browser.context.newPage();
    await page.goto(`${base}page.html`);
    const answer = await page.evaluate((args) => new Promise((resolve) => {
      const worker = new Worker('worker.js');
      worker.onmessage = ({ data }) => resolve(data);
      worker.onerror = (event) => resolve({ error: event.message || 'the worker failed' });
      worker.postMessage(args);
    }), [sizes, d, repeats, warmUp]);
    if (answer.error) throw new Error(`in Chromium: ${answer.error}`);
    return [`# ml-matrix in a dedicated worker of headless Chromium ${browser.context.browser()?.version() ?? ''}`.trimEnd(),
      ...answer.lines];
  } finally {
    await browser.close();
  }
}

const lines = values.chromium ? await runInChromium() : runCells(makeTimer(Matrix, SVD), sizes, d, repeats, warmUp);
const [comments, rows] = [lines.filter((line) => line.startsWith('#')), lines.filter((line) => !line.startsWith('#'))];
console.log([...comments, 'n,d,precision,pattern,median_ms,runs', ...rows].join('\n'));
