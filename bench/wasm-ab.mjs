// Two wasm modules' analyze() interleaved in one node process (A, B, B, A, ...), so a loaded machine slows both
// alike: median wall time and the process's CPU time (user + sys) per request, with the load average before and
// after. A benchmark, never a test. Default: the figures' module (web/wasm/attnrank-figures, every figure's export)
// against the first module (web/wasm/attnrank, analyze and the tables): the same objects linked with fewer exports,
// so any difference is the link's (wasm-opt's inlining), not the core's.
// Usage: node bench/wasm-ab.mjs [--a DIR:NAME] [--b DIR:NAME] [--sizes 256,512] [--patterns bidirectional,forward]
//   [--d 64] [--rounds 15]   (DIR: a folder holding NAME.mjs and NAME.wasm, e.g. another clone's web/wasm)
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const wasmDir = path.join(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), 'web', 'wasm');
const { values } = parseArgs({
  options: {
    a: { type: 'string', default: `${wasmDir}:attnrank-figures` },
    b: { type: 'string', default: `${wasmDir}:attnrank` },
    sizes: { type: 'string', default: '256,512' },
    patterns: { type: 'string', default: 'bidirectional,forward' },
    d: { type: 'string', default: '64' },
    rounds: { type: 'string', default: '15' },
  },
});

async function load(spec) {
  const split = spec.lastIndexOf(':');
  const [dir, name] = [spec.slice(0, split), spec.slice(split + 1)];
  // The query keeps two glues of the same file name apart in node's module cache.
  const { default: create } = await import(`${pathToFileURL(path.join(path.resolve(dir), `${name}.mjs`)).href}?${encodeURIComponent(spec)}`);
  return create({ wasmBinary: await readFile(path.join(dir, `${name}.wasm`)) });
}

const modules = [await load(values.a), await load(values.b)];
const d = Number(values.d);
const patterns = values.patterns.split(',');
// V8 tiers wasm up per function as it runs hot: every pattern's path runs hot in both modules first.
for (const module of modules) {
  for (const pattern of patterns) for (let run = 0; run < 3; ++run) module.analyze({ pattern, n: 256, d, seed: 1 });
}
const median = (list) => [...list].sort((x, y) => x - y)[Math.floor(list.length / 2)];
const load1 = () => loadavg().map((value) => value.toFixed(1)).join(' ');
console.log(`A ${values.a}, B ${values.b}; load average ${load1()}`);
for (const n of values.sizes.split(',').map(Number)) {
  for (const pattern of patterns) {
    const wall = [[], []];
    const cpu = [[], []];
    for (let round = 0; round < Number(values.rounds); ++round) {
      for (const index of (round % 2 ? [1, 0] : [0, 1])) {
        const cpuBefore = process.cpuUsage();
        const started = performance.now();
        modules[index].analyze({ pattern, n, d, seed: 1 + round });
        wall[index].push(performance.now() - started);
        const used = process.cpuUsage(cpuBefore);
        cpu[index].push((used.user + used.system) / 1000);
      }
    }
    console.log(`n = ${n}, ${pattern}: A ${median(wall[0]).toFixed(1)} ms wall, ${median(cpu[0]).toFixed(1)} ms CPU; ` +
      `B ${median(wall[1]).toFixed(1)} ms wall, ${median(cpu[1]).toFixed(1)} ms CPU (medians of ${values.rounds})`);
  }
}
console.log(`load average ${load1()}`);
