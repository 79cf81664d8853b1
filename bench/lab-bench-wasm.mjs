// Timing of one training step of the lab in the wasm module under node, through the lab binding
// (src/bindings/lab_binding.cpp: lab_set_corpus, lab_start, lab_advance, lab_destroy): the runs, loop and
// columns of bench/lab-step-timing.mjs, each step timed alone (lab_advance(id, 1)), medians after a
// warm-up. A benchmark, never a test.
// Usage: node bench/lab-bench-wasm.mjs --module DIR --corpus FILE [--task lm-vs-mlm]
//   [--configs forward:softmax,...] [--n 64] [--width 64] [--heads 4] [--layers 2] [--batch 16]
//   [--steps 100] [--warmup 10]
// prints CSV with the columns of attnrank_lab_bench (CPU time = node's process CPU time over the step;
// base_rss_kb: RSS with the module loaded; peak_rss_kb: node's peak RSS, V8 included).
// Exit 3 when the module has no lab binding (lab-bench.mjs then notes the column as not measured).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { parseLabBenchArgs, timeConfigs } from './lab-step-timing.mjs';

const values = parseLabBenchArgs();
const { default: createAttnrank } = await import(pathToFileURL(path.join(values.module, 'attnrank-lab.mjs')).href);
const attnrank = await createAttnrank({ wasmBinary: await readFile(path.join(values.module, 'attnrank-lab.wasm')) });
if (typeof attnrank.lab_start !== 'function') {
  process.stderr.write(`lab-bench-wasm: ${values.module}/attnrank-lab.mjs has no lab_start (lab binding not built in)\n`);
  process.exit(3);
}
if (values.corpus) attnrank.lab_set_corpus(await readFile(values.corpus));

const cpuNowMs = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1e3; };

await timeConfigs(values, {
  start: (config) => attnrank.lab_start(config),
  step: (id) => {
    const [cpuStart, wallStart] = [cpuNowMs(), performance.now()];
    attnrank.lab_advance(id, 1);
    return { cpuMs: cpuNowMs() - cpuStart, wallMs: performance.now() - wallStart };
  },
  destroy: (id) => attnrank.lab_destroy(id),
  baseKb: Math.round(process.memoryUsage().rss / 1024),
  peakKb: () => process.resourceUsage().maxRSS,
});
