// Timing of one full analyze() request in the shipped wasm module under node: the same requests as
// bench_stats.cpp (seeded inputs + attention + spectrum + statistics), medians after a warm-up.
// A benchmark, never a test. Usage: node bench/bench-wasm.mjs [--sizes 128,256] [--d 64] [--repeats 5]
//   [--precision f64|f32]; prints CSV with the same columns as attnrank_bench.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wasmDir = path.join(root, 'web', 'wasm');
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '128,256,512,1024' },
    d: { type: 'string', default: '64' },
    repeats: { type: 'string', default: '5' },
    precision: { type: 'string', default: 'f64' },
  },
});

const { default: createAttnrank } = await import(pathToFileURL(path.join(wasmDir, 'attnrank.mjs')).href);
const attnrank = await createAttnrank({ wasmBinary: await readFile(path.join(wasmDir, 'attnrank.wasm')) });

function medianMs(config, repeats) {
  attnrank.analyze(config);  // warm-up: the first call after load runs before tier-up
  const times = [];
  for (let r = 0; r < repeats; ++r) {
    const start = performance.now();
    attnrank.analyze(config);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

// V8 tiers wasm up per function as it runs hot: one call per config leaves the first cells 2-4x slow
// (n = 128 bidirectional measured 67 ms instead of 15), so every pattern's path runs hot first.
for (const pattern of ['bidirectional', 'prefix', 'forward', 'backward']) {
  for (let run = 0; run < 3; ++run) attnrank.analyze({ pattern, n: 256, d: 64, seed: 1 });
}

console.log('n,d,precision,pattern,median_ms');
const d = Number(values.d);
for (const n of values.sizes.split(',').map(Number)) {
  for (const pattern of ['bidirectional', 'prefix', 'forward', 'backward']) {
    const repeats = n >= 1024 ? Math.max(1, Math.floor(values.repeats / 2)) : Number(values.repeats);
    const ms = medianMs({ pattern, n, d, seed: 7, precision: values.precision }, repeats);
    console.log(`${n},${d},${values.precision},${pattern},${ms.toFixed(3)}`);
  }
}
