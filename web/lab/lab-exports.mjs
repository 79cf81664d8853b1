// The lab's exports (issue 18 item 6), built from the runs' records as the core wrote them: the curves as
// CSV (one row per run and checkpoint) and JSON (the bands drawn), every run as JSON (its config, state
// and records: `attnrank train`'s JSONL objects), one checkpoint's attention of every head as one .npy (the
// core's write_npy; rows: layer-major, head, query), and a chart as PNG. Names: export.mjs's base
// (attnrank-...) with the experiment, so files of different runs do not collide. No numerics here.
import { metricBands } from './curves-data.mjs';

const kCurveKeys = ['step', 'learning_rate', 'train_loss', 'heldout_loss', 'heldout_accuracy', 'baseline'];

// A CSV cell: numbers as JavaScript writes them (round-trip exact), null as empty, text quoted when needed.
function cell(value) {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function curvesCsv(runs) {
  const lines = [['configuration', 'seed', ...kCurveKeys].join(',')];
  for (const run of runs) {
    for (const record of run.records) lines.push([run.configuration, run.seed, ...kCurveKeys.map((key) => record[key])].map(cell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

export function curvesJson(runs, experiment) {
  return JSON.stringify({ experiment: experiment.id, metric: experiment.metric,
    bands: metricBands(runs, experiment.metric) }, null, 1);
}

export function runsJson(runs, experiment) {
  return JSON.stringify({ experiment: experiment.id, runs: runs.map((run) => ({ key: run.key, configuration: run.configuration,
    seed: run.seed, config: run.config, state: run.state, records: run.records })) }, null, 1);
}

// The heads' matrices of one lab_attention result stacked: (layers * heads * n, n) rows of Float64.
export function stackedAttention(attention) {
  const n = attention.n;
  const out = new Float64Array(attention.heads.length * n * n);
  attention.heads.forEach((head, index) => out.set(head.matrix, index * n * n));
  return { data: out, rows: attention.heads.length * n, cols: n };
}

export function labFileName(experiment, what, extension) {
  return `attnrank-lab-${experiment.id}-${what}.${extension}`;
}
