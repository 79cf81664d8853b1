// Timing of one training step of the lab in the wasm module under node, through the lab binding
// (src/bindings/lab_binding.cpp: lab_set_corpus, lab_start, lab_advance, lab_destroy): the same runs as
// bench/lab_bench.cpp (one checkpoint at the end only, one held-out batch), each step timed alone
// (lab_advance(id, 1)), medians after a warm-up. A benchmark, never a test.
// Usage: node bench/lab-bench-wasm.mjs --module DIR --corpus FILE [--task lm-vs-mlm]
//   [--configs forward:softmax,...] [--n 64] [--width 64] [--heads 4] [--layers 2] [--batch 16]
//   [--steps 100] [--warmup 10]
// prints CSV with the columns of attnrank_lab_bench (CPU time = node's process CPU time over the step;
// base_rss_kb: RSS with the module loaded; peak_rss_kb: node's peak RSS, V8 included).
// Exit 3 when the module has no lab binding (lab-bench.mjs then notes the column as not measured).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    module: { type: 'string' },
    corpus: { type: 'string' },
    task: { type: 'string', default: 'lm-vs-mlm' },
    configs: { type: 'string', default: 'forward:softmax' },
    batch: { type: 'string', default: '16' },
    n: { type: 'string', default: '64' },
    width: { type: 'string', default: '64' },
    heads: { type: 'string', default: '4' },
    layers: { type: 'string', default: '2' },
    steps: { type: 'string', default: '100' },
    warmup: { type: 'string', default: '10' },
  },
});

const { default: createAttnrank } = await import(pathToFileURL(path.join(values.module, 'attnrank.mjs')).href);
const attnrank = await createAttnrank({ wasmBinary: await readFile(path.join(values.module, 'attnrank.wasm')) });
if (typeof attnrank.lab_start !== 'function') {
  process.stderr.write(`lab-bench-wasm: ${values.module}/attnrank.mjs has no lab_start (lab binding not built in)\n`);
  process.exit(3);
}
if (values.corpus) attnrank.lab_set_corpus(await readFile(values.corpus));

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const cpuMs = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1e3; };

console.log('config,vocab,n,width,heads,layers,batch,steps,median_step_ms_cpu,median_step_ms_wall,'
  + 'steps_per_s_cpu,tokens_per_s_cpu,base_rss_kb,peak_rss_kb');
const baseKb = Math.round(process.memoryUsage().rss / 1024);
const [steps, warmup, batch, n, width, heads, layers] = [values.steps, values.warmup, values.batch, values.n,
  values.width, values.heads, values.layers].map(Number);
for (const entry of values.configs.split(',')) {
  const [masks, attention = 'softmax'] = entry.split(':');
  const total = warmup + steps + 1;  // + 1: the last step takes the final checkpoint
  const run = attnrank.lab_start({ task: values.task, masks, attention, seed: 1, steps: total, batch, n,
    width, heads, layers, checkpoint_every: total, heldout_batches: 1 });
  const cpu = [];
  const wall = [];
  for (let step = 0; step < total - 1; ++step) {
    const [cpuStart, wallStart] = [cpuMs(), performance.now()];
    attnrank.lab_advance(run.id, 1);
    if (step < warmup) continue;
    cpu.push(cpuMs() - cpuStart);
    wall.push(performance.now() - wallStart);
  }
  attnrank.lab_destroy(run.id);
  const cpuMedian = median(cpu);
  const peakKb = process.resourceUsage().maxRSS;
  console.log([entry, run.vocab, n, width, heads, layers, batch, cpu.length, cpuMedian.toFixed(3), median(wall).toFixed(3),
    (1e3 / cpuMedian).toFixed(2), (1e3 / cpuMedian * batch * n).toFixed(0), baseKb, peakKb].join(','));
}
