// Pure-JavaScript baseline: form the masked softmax matrix in plain JS and take its singular values with
// ml-matrix's SVD (a port of JAMA's one-sided Golub-Kahan SVD), values only. It answers "why wasm at all?":
// what a page gets from a well-known JS library instead. Inputs come from a tiny seeded generator
// here (the numbers are never compared with the core's; only the time is). No rank statistics beyond
// the SVD. A benchmark, never a test.
// Usage: node bench/js-svd-bench.mjs [--sizes 128,256] [--repeats 5] [--d 64] [--no-warm-up] [--info]
//   prints CSV n,d,precision,pattern,median_ms,runs (exactly --repeats runs at every n: compare.mjs
//   decides them per size within its time budget).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Matrix, SVD } from 'ml-matrix';

const patterns = ['bidirectional', 'prefix', 'forward', 'backward'];
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

function timeOnce(pattern, n, d) {
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
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '128,256,512' },
    d: { type: 'string', default: '64' },
    repeats: { type: 'string', default: '5' },
    'no-warm-up': { type: 'boolean', default: false },
    info: { type: 'boolean', default: false },
  },
});

if (values.info) {
  // ml-matrix's "exports" hide its package.json from resolve(): read the installed copy directly.
  const packageJson = fileURLToPath(new URL('../node_modules/ml-matrix/package.json', import.meta.url));
  console.log(JSON.stringify({ 'ml-matrix': JSON.parse(readFileSync(packageJson, 'utf8')).version }));
  process.exit(0);
}

const d = Number(values.d);
const repeats = Math.max(1, Number(values.repeats));
// JIT tier-up once at a small n, so a large n that cannot afford its own warm-up is still measured hot.
for (const pattern of patterns) timeOnce(pattern, 64, d);
console.log('n,d,precision,pattern,median_ms,runs');
for (const n of values.sizes.split(',').map(Number)) {
  for (const pattern of patterns) {
    if (!values['no-warm-up']) timeOnce(pattern, n, d);
    const times = Array.from({ length: repeats }, () => timeOnce(pattern, n, d)).sort((a, b) => a - b);
    console.log(`${n},${d},f64,${pattern},${times[Math.floor(repeats / 2)].toFixed(3)},${repeats}`);
  }
}
