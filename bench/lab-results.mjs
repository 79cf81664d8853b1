// The lab's held-out results as a markdown table, from the JSONL files `attnrank train` writes (one record
// per checkpoint: lab/run_output.h), so a session reruns it on its own runs instead of copying numbers:
// per task and configuration, each seed's held-out loss (accuracy for mqar, copy, reverse) at its last
// checkpoint, mean and range (min-max), the unigram baseline, and the final checkpoint's effective rank of
// the heads (per layer: mean over heads and seeds, min-max over them). Then the verdicts, which are the
// core's (src/core/lab/verdicts.h, the experiments' comparisons of lab/experiments.h; design-lab.md section
// 5's rule), computed by the shipped wasm module's lab_verdicts() from the same records: this script only
// prints them (`attnrank train --verdicts FILES` prints the same natively).
// A run whose last record is not its last step is marked "(at step s/S)" in the table; the core leaves it
// out of the verdicts.
// Usage: node bench/lab-results.mjs [--step S] [FILE.jsonl | DIR ...]   (default /tmp/lab-results; a DIR: its
//   *.jsonl). --step S: every run's record at step S instead of its last (an interim look while runs are
//   still going; the verdicts then say so), runs that have not reached S left out.
//   ATTNRANK_WASM_DIR: the module's directory (default web/wasm).
// The runs, one process per configuration (README: xargs -P):
//   attnrank train --task T --configs task --list-configs | xargs -P 2 -I{} nice -n 19 attnrank train \
//     --task T --configs {} --seeds 1,2,3 --quiet --out /tmp/lab-results/T__{}.jsonl
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const stepAt = args[0] === '--step' ? Number(args[1]) : null;
if (stepAt !== null) args.splice(0, 2);
const inputs = args.length ? args : ['/tmp/lab-results'];
const files = inputs.flatMap((input) => (statSync(input).isDirectory()
  ? readdirSync(input).filter((name) => name.endsWith('.jsonl')).sort().map((name) => path.join(input, name))
  : [input]));

// (task, config) -> seed -> last record; the complete lines, for the core's verdicts
const runs = new Map();
const recordLines = [];
for (const file of files) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let record;
    try { record = JSON.parse(line); } catch { continue; }  // a line being written
    recordLines.push(line);
    const key = `${record.task} ${record.config}`;
    if (!runs.has(key)) runs.set(key, { task: record.task, config: record.config, objective: record.objective, seeds: new Map() });
    const seeds = runs.get(key).seeds;
    if (stepAt !== null && record.step !== stepAt) continue;
    if (!seeds.has(record.seed) || seeds.get(record.seed).step <= record.step) seeds.set(record.seed, record);
  }
}

const isAccuracy = (record) => record.heldout_accuracy !== null && record.heldout_accuracy !== undefined;
const metric = (record) => (isAccuracy(record) ? record.heldout_accuracy : record.heldout_loss);
const isComplete = (record) => record.step === (stepAt ?? record.steps);
const mean = (list) => list.reduce((a, b) => a + b, 0) / list.length;
const f = (x, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '-');

function rankText(records) {
  const layers = new Map();
  for (const record of records) {
    for (const head of record.heads) {
      if (!layers.has(head.layer)) layers.set(head.layer, []);
      layers.get(head.layer).push(head.effective_rank);
    }
  }
  return [...layers].map(([layer, values]) => `L${layer} ${f(mean(values), 1)} (${f(Math.min(...values), 1)}-${f(Math.max(...values), 1)})`)
    .join(', ');
}

const groups = [...runs.values()].sort((a, b) => a.task.localeCompare(b.task));
const seedList = [...new Set(groups.flatMap((g) => [...g.seeds.keys()]))].sort((a, b) => a - b);
const lines = [
  `| task | configuration | objective | ${seedList.map((s) => `seed ${s}`).join(' | ')} | mean | range | baseline | effective rank of the heads at that checkpoint (per layer: mean (min-max) over heads and seeds) |`,
  `|---|---|---|${seedList.map(() => '---:').join('|')}|---:|---:|---:|---|`,
];
for (const g of groups) {
  const records = [...g.seeds.values()];
  const complete = records.filter(isComplete);
  const cells = seedList.map((seed) => {
    const record = g.seeds.get(seed);
    if (!record) return '-';
    return isComplete(record) ? f(metric(record), 4) : `${f(metric(record), 4)} (at step ${record.step}/${record.steps})`;
  });
  const values = complete.map(metric);
  const unit = records.length && isAccuracy(records[0]) ? ' (accuracy)' : '';
  lines.push(`| ${g.task} | ${g.config}${unit} | ${g.objective} | ${cells.join(' | ')} | ${values.length ? f(mean(values), 4) : '-'} | ` +
    `${values.length ? `${f(Math.min(...values), 4)}-${f(Math.max(...values), 4)}` : '-'} | ${records.length ? f(records[0].baseline, 3) : '-'} | ` +
    `${complete.length ? rankText(complete) : '-'} |`);
}
const where = stepAt === null ? 'each run\'s last checkpoint' : `step ${stepAt} (INTERIM: not the runs' last step)`;
console.log(`Held-out loss (nats per target; accuracy where marked) at ${where}; mean and range over the complete runs (${files.length} file(s)).\n`);
console.log(lines.join('\n'));

// The verdicts: the core's, from every complete line read above.
const wasmDir = process.env.ATTNRANK_WASM_DIR
  ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'web', 'wasm');
const { default: createAttnrank } = await import(pathToFileURL(path.join(wasmDir, 'attnrank-lab.mjs')).href);
const attnrank = await createAttnrank({ wasmBinary: await readFile(path.join(wasmDir, 'attnrank-lab.wasm')) });
const verdicts = attnrank.lab_verdicts(recordLines.join('\n'), stepAt ?? undefined);
const shown = verdicts.comparisons.filter((c) => c.outcome !== 'no_runs');
if (shown.length) {
  console.log(`\nVerdicts${stepAt === null ? '' : ` at step ${stepAt} (INTERIM)`} (the core's: design-lab.md section 5, ` +
    `at least 3 seeds; mean [min, max]):\n\n${shown.map((c) => `- ${c.text_en}`).join('\n')}`);
  console.log(`\n${verdicts.claims.map((c) => `- ${c.text_en}`).join('\n')}`);
  if (verdicts.borrowed.length) console.log(`\n(borrowed: ${verdicts.borrowed.join('; ')})`);
}
