// Packs the runs scripts/build-gallery.sh made into the lab's gallery (docs/lab-gallery.md is the format):
// per experiment web/lab/gallery/<experiment>.json with every run's curves (the records' scalars exact, the
// heads' statistics at 4 significant digits) and its first two records as `attnrank train` wrote them (copied
// as text: the CLI's shortest round-trip numbers, never re-printed), seed 1's probe attention at step 0 and
// the last checkpoint, and the core's verdicts (`attnrank train --verdicts FILES --json`, from the full
// records), then index.json with every file's size and gzip size (level 9) against the budget.
// Usage: node scripts/gallery-pack.mjs --cli PATH --work DIR --out DIR [--train-args TEXT] [--records DIR]
//   [--attention DIR] EXPERIMENT...
//   WORK/<experiment>/<config>__<seed>.jsonl are the runs' records and <config>__1.attention.jsonl seed 1's
//   probe attention (what build-gallery.sh writes). --records DIR takes the records from DIR's
//   <experiment>__<config>__s<seed>.jsonl instead (runs made by the README's xargs recipe: the same options
//   give the same bytes), --attention DIR the attention files from DIR/<experiment>/ (also
//   <config>__1.attention0.jsonl: step 0 only, from `--stop-after 1`). The attention kept is step 0 and the
//   last checkpoint where every configuration has it, else step 0 only (attention_steps says which).
//   --commit C: the commit the CLI was built from (default HEAD, -dirty when src/ differs from it);
//   --records-note TEXT: where the records came from (engine.records).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

export const kFormat = 'attnrank-lab-gallery/1';
export const kBudgetGzipBytes = 1048576;  // 1 MiB for the whole gallery, each file gzip -9 (issue 18 item 3)

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function gzipBytes(text) {
  return gzipSync(Buffer.from(text), { level: 9 }).length;
}

function git(args) {
  return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
}

// The engine's commit, -dirty when the sources the CLI is built from differ from it.
function engineCommit() {
  const commit = git(['rev-parse', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--', 'src', 'CMakeLists.txt']) !== '';
  return dirty ? `${commit}-dirty` : commit;
}

function version() {
  const match = readFileSync(path.join(root, 'CMakeLists.txt'), 'utf8').match(/project\(attnrank VERSION ([0-9.]+)/);
  return match ? match[1] : 'unknown';
}

// The digits kept of a head statistic's series (display only; the first records stay exact).
export const kStatDigits = 4;
export const kExactRecords = 2;  // the first checkpoints of every run, exactly as attnrank train wrote them

const rounded = (value) => (typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(kStatDigits)) : value);

// A run's records as series (docs/lab-gallery.md `runs[]`): the scalars exact, each head's statistics
// rounded to kStatDigits significant digits; the first kExactRecords records verbatim.
function runEntry(config, seed, lines) {
  const records = lines.map((line) => JSON.parse(line));
  const first = records[0];
  const series = (key) => records.map((record) => record[key]);
  const curve = {};
  for (const key of ['step', 'learning_rate', 'train_loss', 'heldout_loss', 'heldout_accuracy', 'permutation_error']) {
    curve[key] = series(key);
  }
  const heads = first.heads.map((head, k) => {
    const stats = {};
    for (const key of Object.keys(head)) {
      if (['layer', 'head', 'pattern', 'attention'].includes(key)) continue;
      stats[key] = records.map((record) => rounded(record.heads[k][key]));
    }
    return { layer: head.layer, head: head.head, pattern: head.pattern, attention: head.attention, stats };
  });
  const meta = { config, seed, objective: first.objective, steps: first.steps, batch: first.batch, run: first.run,
    baseline: first.baseline };
  return `{${JSON.stringify(meta).slice(1, -1)},\n"records":[\n${lines.slice(0, kExactRecords).join(',\n')}\n],\n` +
    `"curve":${JSON.stringify(curve)},\n"heads":${JSON.stringify(heads)}}`;
}

function nonEmptyLines(file) {
  return readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
}

// The corpus's alphabet (lab/corpus.h: the sorted distinct bytes), for the corpus tasks' token ids.
function corpusAlphabet(cli) {
  const corpus = process.env.ATTNRANK_CORPUS ?? path.join(path.dirname(cli), 'corpus', 'austen.txt');
  const bytes = new Set(readFileSync(corpus));
  return String.fromCharCode(...[...bytes].sort((a, b) => a - b));
}

function main() {
  const { values, positionals } = parseArgs({
    options: { cli: { type: 'string' }, work: { type: 'string' }, out: { type: 'string' }, 'train-args': { type: 'string', default: '' },
      records: { type: 'string' }, attention: { type: 'string' }, commit: { type: 'string' }, 'records-note': { type: 'string' } },
    allowPositionals: true,
  });
  const cli = values.cli;
  // The runs' options are the experiment's (the CLI's defaults) but for --steps, the one extra option a quick
  // look may give (the records say the steps; nothing says n or width).
  if (values['train-args'] && !/^--steps \d+$/.test(values['train-args'].trim())) {
    throw new Error(`--train-args: only "--steps N" (got "${values['train-args']}")`);
  }
  const table = JSON.parse(execFileSync(cli, ['train', '--list-experiments', '--json'], { encoding: 'utf8' })).experiments;
  const engine = {
    commit: values.commit ?? engineCommit(),
    src_tree: git(['rev-parse', `${(values.commit ?? 'HEAD').replace(/-dirty$/, '')}:src`]),
    version: version(),
    made: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    command: `attnrank train --task <experiment> --configs <config> --seed <seed> --quiet${values['train-args'] ? ` ${values['train-args']}` : ''}`,
    records: values['records-note'] ?? 'these runs, made by this commit\'s CLI (scripts/build-gallery.sh)',
  };
  mkdirSync(values.out, { recursive: true });
  for (const id of positionals) {
    const experiment = table.find((e) => e.id === id);
    if (!experiment) throw new Error(`no experiment ${id}`);
    const dir = path.join(values.work, id);
    const attentionDir = values.attention ? path.join(values.attention, id) : dir;
    const runs = [];
    const probes = new Map();  // config -> {step -> line}
    const files = [];
    let options = null;
    for (const config of experiment.configs) {
      for (const seed of experiment.seeds) {
        const file = values.records ? path.join(values.records, `${id}__${config}__s${seed}.jsonl`) : path.join(dir, `${config}__${seed}.jsonl`);
        if (!existsSync(file)) throw new Error(`missing run ${file}`);
        files.push(file);
        const lines = nonEmptyLines(file);
        const records = lines.map((line) => JSON.parse(line));
        const last = records.at(-1);
        if (last.step !== last.steps) throw new Error(`${file}: the run stopped at step ${last.step} of ${last.steps}`);
        runs.push(runEntry(config, seed, lines));
        if (seed === experiment.seeds[0]) {
          const byStep = new Map();
          for (const name of [`${config}__${seed}.attention.jsonl`, `${config}__${seed}.attention0.jsonl`]) {
            const probeFile = path.join(attentionDir, name);
            if (!existsSync(probeFile)) continue;
            for (const line of nonEmptyLines(probeFile)) {
              const step = JSON.parse(line).step;
              if (step === 0 || step === last.steps) byStep.set(step, line);
            }
          }
          if (!byStep.has(0)) throw new Error(`${id} ${config}: no step-0 attention in ${attentionDir}`);
          probes.set(config, byStep);
        }
        if (options === null) {
          options = { ...experiment.options, steps: last.steps, batch: last.batch };
        }
      }
    }
    const lastStep = options.steps;
    const firstSteps = [...probes.values()].every((byStep) => byStep.has(lastStep)) ? [0, lastStep] : [0];
    const attention = experiment.configs.flatMap((config) => firstSteps.map((step) => probes.get(config).get(step)));
    const verdicts = execFileSync(cli, ['train', '--verdicts', files.join(','), '--json'], { encoding: 'utf8' }).trim();
    const alphabet = ['order', 'mlm', 'prefix', 'lm-vs-mlm'].includes(experiment.task) ? JSON.stringify(corpusAlphabet(cli)) : 'null';
    const text = `{"format":${JSON.stringify(kFormat)},"experiment":${JSON.stringify(id)},\n` +
      `"engine":${JSON.stringify(engine)},\n"options":${JSON.stringify(options)},\n` +
      `"configs":${JSON.stringify(experiment.configs)},"seeds":${JSON.stringify([...experiment.seeds])},\n` +
      `"alphabet":${alphabet},\n"attention_seed":${experiment.seeds[0]},"attention_steps":${JSON.stringify(firstSteps)},\n` +
      `"runs":[\n${runs.join(',\n')}\n],\n"attention":[\n${attention.join(',\n')}\n],\n"verdicts":${verdicts}}\n`;
    JSON.parse(text);  // well-formed
    writeFileSync(path.join(values.out, `${id}.json`), text);
    console.error(`gallery-pack: ${id}.json ${text.length} bytes, ${gzipBytes(text)} gzip`);
  }
  // index.json over every gallery file present (an experiment packed earlier keeps its file).
  const entries = [];
  for (const experiment of table) {
    const file = path.join(values.out, `${experiment.id}.json`);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const gallery = JSON.parse(text);
    entries.push({ id: experiment.id, file: `${experiment.id}.json`, runs: gallery.runs.length, bytes: Buffer.byteLength(text),
      gzip_bytes: gzipBytes(text), commit: gallery.engine.commit });
  }
  const total = entries.reduce((sum, e) => sum + e.gzip_bytes, 0);
  const index = { format: kFormat, experiments: entries, total_gzip_bytes: total, budget_gzip_bytes: kBudgetGzipBytes };
  writeFileSync(path.join(values.out, 'index.json'), `${JSON.stringify(index, null, 1)}\n`);
  console.error(`gallery-pack: ${entries.length} experiment(s), ${total} bytes gzip of ${kBudgetGzipBytes}`);
  if (total > kBudgetGzipBytes) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
