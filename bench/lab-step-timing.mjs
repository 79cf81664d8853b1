// What the two wasm step benchmarks share (lab-bench-wasm.mjs under node, lab-bench-chromium.mjs in the
// page's lab worker): their options, the run each configuration starts (the runs of bench/lab_bench.cpp: one
// checkpoint at the end only, one held-out batch), the per-step loop with its warm-up, the medians and the
// CSV columns of attnrank_lab_bench. Each driver supplies only how a call reaches the module and how it reads
// CPU time and memory. A benchmark, never a test.
import { parseArgs } from 'node:util';

const runOptions = {
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
};

// The shared options plus a driver's own (parseArgs's option objects).
export function parseLabBenchArgs(extraOptions = {}) {
  return parseArgs({ options: { ...runOptions, ...extraOptions } }).values;
}

export function median(list) {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const csvHeader = 'config,vocab,n,width,heads,layers,batch,steps,median_step_ms_cpu,median_step_ms_wall,'
  + 'steps_per_s_cpu,tokens_per_s_cpu,base_rss_kb,peak_rss_kb';

// Times one training step at a time for every configuration of values.configs and prints one CSV row each.
// engine: { start(config) -> run ({ id, vocab }), step(id) -> { cpuMs, wallMs } (one lab_advance(id, 1)),
// destroy(id), baseKb, peakKb() } (all may return promises).
export async function timeConfigs(values, engine) {
  const [steps, warmup, batch, n, width, heads, layers] = [values.steps, values.warmup, values.batch, values.n,
    values.width, values.heads, values.layers].map(Number);
  console.log(csvHeader);
  for (const entry of values.configs.split(',')) {
    const [masks, attention = 'softmax'] = entry.split(':');
    const total = warmup + steps + 1;  // + 1: the last step takes the final checkpoint
    const run = await engine.start({ task: values.task, masks, attention, seed: 1, steps: total, batch, n, width,
      heads, layers, checkpoint_every: total, heldout_batches: 1 });
    const cpu = [];
    const wall = [];
    for (let step = 0; step < total - 1; ++step) {
      const { cpuMs, wallMs } = await engine.step(run.id);
      if (step < warmup) continue;
      cpu.push(cpuMs);
      wall.push(wallMs);
    }
    await engine.destroy(run.id);
    const cpuMedian = median(cpu);
    console.log([entry, run.vocab, n, width, heads, layers, batch, cpu.length, cpuMedian.toFixed(3),
      median(wall).toFixed(3), (1e3 / cpuMedian).toFixed(2), (1e3 / cpuMedian * batch * n).toFixed(0),
      engine.baseKb, await engine.peakKb()].join(','));
  }
}
