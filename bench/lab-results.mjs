// The lab's held-out results as a markdown table, from the JSONL files `attnrank train` writes (one record
// per checkpoint: lab/run_output.h), so a session reruns it on its own runs instead of copying numbers:
// per task and configuration, each seed's held-out loss (accuracy for mqar, copy, reverse) at its last
// checkpoint, mean and range (min-max), the unigram baseline, and the final checkpoint's effective rank of
// the heads (per layer: mean over heads and seeds, min-max over them). Then the verdicts the runs allow,
// by design-lab.md section 5's rule (>= 3 seeds; "inconclusive" when the bands overlap):
//   C9 (task lm-vs-mlm): linear's gap to softmax, per seed (same seed = same init and data), on LM
//     (forward) against MLM (bidirectional); the claim: the gap is smaller on LM;
//   C11 (task mlm): each head or layer mixture against bidirectional softmax (the claim: slightly better),
//     by the overlap of the two loss bands, with the per-seed differences beside;
//   C16 (task order, no positions): the same comparison (the claim: triangular masks give the order that
//     bidirectional attention without positions cannot see);
//   C12 (task prefix): prefix (UniLM) against forward (GPT) softmax (the claim: UniLM no better); and on
//     copy and reverse (accuracy), prefix against forward for softmax and for linear heads;
//   mqar and copy/reverse (accuracy): linear against softmax heads (C9's cause: linear attention's state
//     holds few associations).
// Comparisons by band, a pair of configurations at a time: "A better" / "B better" when one band lies wholly
// beyond the other (lower loss, higher accuracy), "no difference" when they overlap.
// A run whose last record is not its last step is marked "(at step s/S)" and kept out of the verdicts.
// Usage: node bench/lab-results.mjs [--step S] [FILE.jsonl | DIR ...]   (default /tmp/lab-results; a DIR: its
//   *.jsonl). --step S: every run's record at step S instead of its last (an interim look while runs are
//   still going; the verdicts then say so), runs that have not reached S left out.
// The runs, one process per configuration (README: xargs -P):
//   attnrank train --task T --configs task --list-configs | xargs -P 2 -I{} nice -n 19 attnrank train \
//     --task T --configs {} --seeds 1,2,3 --quiet --out /tmp/lab-results/T__{}.jsonl
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const stepAt = args[0] === '--step' ? Number(args[1]) : null;
if (stepAt !== null) args.splice(0, 2);
const inputs = args.length ? args : ['/tmp/lab-results'];
const files = inputs.flatMap((input) => (statSync(input).isDirectory()
  ? readdirSync(input).filter((name) => name.endsWith('.jsonl')).sort().map((name) => path.join(input, name))
  : [input]));

// (task, config) -> seed -> last record
const runs = new Map();
for (const file of files) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let record;
    try { record = JSON.parse(line); } catch { continue; }  // a line being written
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
const band = (list) => ({ mean: mean(list), low: Math.min(...list), high: Math.max(...list) });
const bandText = (b, digits = 3) => `${f(b.mean, digits)} [${f(b.low, digits)}, ${f(b.high, digits)}]`;

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

// The runs of (task, config). Tasks mlm and lm-vs-mlm train the same MLM on the same data stream (the key
// is seed, run, step and example, never the task; learned positions in both): a bidirectional run of
// either stands for the other when only one was run (one process per configuration: run 0), said once.
const borrowed = new Set();
function runOf(task, config) {
  const own = runs.get(`${task} ${config}`);
  if (own || !config.startsWith('bidirectional:')) return own;
  const twin = { mlm: 'lm-vs-mlm', 'lm-vs-mlm': 'mlm' }[task];
  const other = twin && runs.get(`${twin} ${config}`);
  if (other) borrowed.add(`${task} ${config} is ${twin}'s run (the same model, objective and data)`);
  return other;
}

// Per-seed differences a - b of two configurations of one task over the seeds both completed.
function paired(task, a, b) {
  const runA = runOf(task, a);
  const runB = runOf(task, b);
  if (!runA || !runB) return null;
  const diffs = [];
  for (const [seed, record] of runA.seeds) {
    const other = runB.seeds.get(seed);
    if (other && isComplete(record) && isComplete(other)) diffs.push(metric(record) - metric(other));
  }
  return diffs.length ? { ...band(diffs), seeds: diffs.length } : null;
}

// A comparison says something only between models that learned: a configuration whose held-out loss is
// not below the unigram baseline (accuracy tasks: whose accuracy is not above chance, the record's
// baseline) on every complete seed learned nothing (two such models tie at the baseline whatever their
// masks), and a verdict that rests on one is "not tested".
function notLearned(task, configs) {
  return configs.filter((config) => {
    const records = [...(runOf(task, config)?.seeds.values() ?? [])].filter(isComplete);
    return records.some((record) => (isAccuracy(record) ? !(record.heldout_accuracy > record.baseline)
      : !(record.heldout_loss < record.baseline)));
  });
}
const notTested = (configs) =>
  `not tested: ${configs.join(', ')} did not learn (held-out loss not below the unigram baseline, or accuracy ` +
  'not above chance, on every seed)';

const verdicts = [];
const c9lm = paired('lm-vs-mlm', 'forward:linear', 'forward:softmax');
const c9mlm = paired('lm-vs-mlm', 'bidirectional:linear', 'bidirectional:softmax');
if (c9lm || c9mlm) {
  const describe = (name, gap) => (gap ? `${name}: linear - softmax = ${bandText(gap)} nats over ${gap.seeds} seed(s)` : `${name}: runs missing`);
  let verdict = 'not enough runs (3 complete seeds of each of the four configurations needed)';
  const c9idle = notLearned('lm-vs-mlm', ['forward:softmax', 'forward:linear', 'bidirectional:softmax', 'bidirectional:linear']);
  if (c9lm?.seeds >= 3 && c9mlm?.seeds >= 3 && c9idle.length) {
    verdict = notTested(c9idle);
  } else if (c9lm?.seeds >= 3 && c9mlm?.seeds >= 3) {
    if (c9lm.high < c9mlm.low) verdict = 'supported: every LM gap is below every MLM gap';
    else if (c9lm.low > c9mlm.high) verdict = 'contradicted: every LM gap is above every MLM gap';
    else verdict = 'inconclusive: the bands of the two gaps overlap (no difference at this size and length)';
  }
  verdicts.push(`- C9 (linear's gap to softmax smaller on LM than on MLM): ${describe('LM (forward)', c9lm)}; ` +
    `${describe('MLM (bidirectional)', c9mlm)}. Verdict: ${verdict}.`);
}
// C11 by section 5's rule on the two configurations' held-out loss bands; the paired differences beside it.
const completeBand = (task, config) => {
  const values = [...(runOf(task, config)?.seeds.values() ?? [])].filter(isComplete).map(metric);
  return values.length ? { ...band(values), seeds: values.length } : null;
};
const reference = completeBand('mlm', 'bidirectional:softmax');
for (const mixture of ['mix-heads:softmax', 'mix-layers:softmax']) {
  const own = completeBand('mlm', mixture);
  const diff = paired('mlm', mixture, 'bidirectional:softmax');
  if (!own || !reference || !diff) continue;
  let verdict = 'not enough runs (3 complete seeds of each needed)';
  const idle = notLearned('mlm', ['bidirectional:softmax', mixture]);
  if (own.seeds >= 3 && reference.seeds >= 3 && idle.length) {
    verdict = notTested(idle);
  } else if (own.seeds >= 3 && reference.seeds >= 3) {
    if (own.high < reference.low) verdict = 'supported: its whole band is below bidirectional\'s';
    else if (own.low > reference.high) verdict = 'contradicted: its whole band is above bidirectional\'s';
    else verdict = 'inconclusive: the bands overlap (no difference)';
  }
  verdicts.push(`- C11 (mixture better than bidirectional on MLM), ${mixture} ${bandText(own, 4)} against bidirectional:softmax ` +
    `${bandText(reference, 4)}; per seed ${mixture} - bidirectional = ${bandText(diff)}. Verdict: ${verdict}.`);
}

// A against B on the task's metric (lower loss or higher accuracy is better), by section 5's band rule.
// expectIdle: B is expected to learn nothing (C16: bidirectional attention without positions cannot see
// order), so only A must have learned for the comparison to test something.
function bandComparison(task, a, b, { expectIdle = false } = {}) {
  const own = completeBand(task, a);
  const other = completeBand(task, b);
  const diff = paired(task, a, b);
  if (!own || !other || !diff) return null;
  const accuracy = isAccuracy([...runOf(task, a).seeds.values()][0]);
  const digits = 4;
  let result = 'not enough runs (3 complete seeds of each needed)';
  const idle = notLearned(task, expectIdle ? [a] : [a, b]);
  if (own.seeds >= 3 && other.seeds >= 3 && idle.length) {
    result = notTested(idle);
  } else if (own.seeds >= 3 && other.seeds >= 3) {
    const aBeyond = accuracy ? own.low > other.high : own.high < other.low;
    const bBeyond = accuracy ? other.low > own.high : other.high < own.low;
    result = aBeyond ? `${a} better (bands disjoint)` : bBeyond ? `${b} better (bands disjoint)` : 'no difference (the bands overlap)';
  }
  // Accuracy tasks: the held-out loss on the same targets beside it (argmax accuracy can tie while the
  // predicted probability of the right token differs).
  const lossBand = (config) => {
    const values = [...runOf(task, config).seeds.values()].filter(isComplete).map((record) => record.heldout_loss);
    return values.length ? bandText(band(values), digits) : '-';
  };
  const losses = accuracy ? ` (held-out loss on the same targets: ${a} ${lossBand(a)}, ${b} ${lossBand(b)})` : '';
  return `${task}, ${accuracy ? 'accuracy' : 'held-out loss'}: ${a} ${bandText(own, digits)} against ${b} ` +
    `${bandText(other, digits)}; per seed ${a} - ${b} = ${bandText(diff, digits)}: ${result}${losses}`;
}
const comparisons = [
  ['C16 (order without positions: triangular masks give order)', 'order', 'mix-heads:softmax', 'bidirectional:softmax', { expectIdle: true }],
  ['C16 (order without positions: triangular masks give order)', 'order', 'mix-layers:softmax', 'bidirectional:softmax', { expectIdle: true }],
  ['C12 (GPT vs UniLM: UniLM no better)', 'prefix', 'prefix:softmax', 'forward:softmax'],
  ['C12 on copy (prefix vs causal)', 'copy', 'prefix:softmax', 'forward:softmax'],
  ['C12 on copy (prefix vs causal)', 'copy', 'prefix:linear', 'forward:linear'],
  ['C12 on reverse (prefix vs causal)', 'reverse', 'prefix:softmax', 'forward:softmax'],
  ['C12 on reverse (prefix vs causal)', 'reverse', 'prefix:linear', 'forward:linear'],
  ['C9\'s cause on mqar (linear vs softmax recall)', 'mqar', 'forward:linear', 'forward:softmax'],
  ['recall on copy (linear vs softmax)', 'copy', 'forward:linear', 'forward:softmax'],
  ['recall on copy (linear vs softmax)', 'copy', 'prefix:linear', 'prefix:softmax'],
  ['recall on reverse (linear vs softmax)', 'reverse', 'forward:linear', 'forward:softmax'],
  ['recall on reverse (linear vs softmax)', 'reverse', 'prefix:linear', 'prefix:softmax'],
];
for (const [claim, task, a, b, options] of comparisons) {
  const text = bandComparison(task, a, b, options);
  if (text) verdicts.push(`- ${claim}: ${text}.`);
}
if (verdicts.length) {
  console.log(`\nVerdicts${stepAt === null ? '' : ` at step ${stepAt} (INTERIM)`} (design-lab.md section 5: at least 3 seeds; ` +
    `mean [min, max]):\n\n${verdicts.join('\n')}`);
  if (borrowed.size) console.log(`\n(${[...borrowed].join('; ')})`);
}
