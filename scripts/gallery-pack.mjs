// Packs the runs scripts/build-gallery.sh made into the lab's gallery (docs/lab-gallery.md is the format):
// per experiment web/lab/gallery/<experiment>.json with every run's curves (the records' scalars exact, the
// heads' statistics at 4 significant digits) and its first two records as `attnrank train` wrote them (copied
// as text: the CLI's shortest round-trip numbers, never re-printed), seed 1's probe attention at step 0 and
// the last checkpoint, and the core's verdicts (`attnrank train --verdicts FILES --json`, from the full
// records), then index.json with every file's size and gzip size (level 9) against the budget.
// Usage: node scripts/gallery-pack.mjs --cli PATH --work DIR --out DIR [--train-args TEXT] [--records DIR]
//   [--records-template T] [--attention DIR|none] [--settings NAME] EXPERIMENT...
//   WORK/<experiment>/<config>__<seed>.jsonl are the runs' records and <config>__1.attention.jsonl seed 1's
//   probe attention (what build-gallery.sh writes). --records DIR takes the records from DIR's
//   <experiment>__<config>__s<seed>.jsonl instead (runs made by the README's xargs recipe: the same options
//   give the same bytes); --records-template T from the path T with {experiment}, {config}, {masks},
//   {attention} and {seed} filled in (the long runs: '/work/runs-long/{experiment}/{masks}_{attention}-s{seed}.jsonl').
//   --attention DIR the attention files from DIR/<experiment>/ (also <config>__1.attention0.jsonl: step 0
//   only, from `--stop-after 1`); --attention none keeps no attention (attention_steps []). The attention
//   kept is step 0 and the last checkpoint where every configuration has it, else step 0 only.
//   --train-args TEXT: the options the runs were given beyond the experiment's defaults, each one of
//   --steps N, --learning-rate X, --checkpoint-every N (the records must agree: steps and the checkpoints'
//   spacing are checked; the learning rate is checked by the test that reruns the first checkpoints).
//   --settings NAME: a second settings file of the experiment, <experiment>-NAME.json (e.g. "long"), listed in
//   index.json beside the default one (docs/lab-gallery.md).
//   --commit C: the commit the CLI that made the runs was built from (default HEAD, -dirty when src/ differs
//   from it); --records-note TEXT: where the records came from (engine.records).
// node scripts/gallery-pack.mjs --cli PATH --out DIR --reverdict: the verdicts of every file in DIR made again
//   by this CLI from the files' own curves (the records' exact scalars), everything else kept byte for byte,
//   then index.json (after a change to the core's verdicts rule). --index-only: index.json alone.
// Every run of the packer ends by writing docs/claims.md's lab verdicts (between its lab-verdicts markers)
// from the index, with this CLI's verdicts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

// The engine's commit (HEAD), -dirty when the sources the CLI is built from differ from it.
export function engineCommit() {
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

// The train options a gallery may record beyond the experiment's defaults: flag -> options key.
export const kTrainArgs = Object.freeze({ '--steps': 'steps', '--learning-rate': 'learning_rate', '--checkpoint-every': 'checkpoint_every' });

// "--steps 20000 --learning-rate 0.003" -> { steps: 20000, learning_rate: 0.003 }; anything else is refused.
export function parseTrainArgs(text) {
  const words = text.trim() === '' ? [] : text.trim().split(/\s+/);
  const options = {};
  for (let i = 0; i < words.length; i += 2) {
    const key = kTrainArgs[words[i]];
    const value = Number(words[i + 1]);
    if (!key || words[i + 1] === undefined || !Number.isFinite(value)) {
      throw new Error(`--train-args: only ${Object.keys(kTrainArgs).join(' N, ')} X (got "${text}")`);
    }
    options[key] = value;
  }
  return options;
}

// The gallery file of an experiment at some settings: <id>.json (default) or <id>-<settings>.json.
export const galleryFileName = (id, settings) => (settings ? `${id}-${settings}.json` : `${id}.json`);

// The verdicts' input of a gallery: each run's last record (its curve's last point), JSONL keys of
// lab_checkpoint (docs/result-schema.md): the core reads each run's last record, so these give the verdicts
// of the whole records.
export const kFinalKeys = Object.freeze(['config', 'seed', 'step', 'steps', 'heldout_loss', 'heldout_accuracy', 'baseline']);
export function finalsOf(gallery) {
  return gallery.runs.map((run) => {
    const k = run.curve.step.length - 1;
    return { config: run.config, seed: run.seed, step: run.curve.step[k], steps: run.steps,
      heldout_loss: run.curve.heldout_loss[k], heldout_accuracy: run.curve.heldout_accuracy[k], baseline: run.baseline };
  });
}
export function finalsJsonl(task, finals) {
  return finals.map((final) => JSON.stringify({ task, ...final })).join('\n');
}

// The core's verdicts (attnrank train --verdicts --json) on JSONL text, as the CLI prints them.
function cliVerdicts(cli, files) {
  return execFileSync(cli, ['train', '--verdicts', files.join(','), '--json'], { encoding: 'utf8' }).trim();
}

// index.json over every gallery file in `out` (docs/lab-gallery.md): per experiment of the table its default
// file, then its other settings' files (alphabetical), each with its options, seeds and runs' last records.
function writeIndex(out, table) {
  const names = readdirSync(out);
  const entries = [];
  for (const experiment of table) {
    const others = names.filter((name) => name.startsWith(`${experiment.id}-`) && name.endsWith('.json'))
      .map((name) => name.slice(experiment.id.length + 1, -'.json'.length))
      .filter((settings) => /^[a-z0-9]+$/.test(settings)).sort();
    for (const settings of [null, ...others]) {
      const file = galleryFileName(experiment.id, settings);
      if (!existsSync(path.join(out, file))) continue;
      const text = readFileSync(path.join(out, file), 'utf8');
      const gallery = JSON.parse(text);
      if (gallery.experiment !== experiment.id) continue;  // another experiment whose id has a hyphen (lm-vs-mlm)
      if ((gallery.settings ?? null) !== settings) throw new Error(`${file}: settings ${gallery.settings}, its name says ${settings}`);
      entries.push({ id: experiment.id, settings: settings ?? 'default', file, runs: gallery.runs.length,
        bytes: Buffer.byteLength(text), gzip_bytes: gzipBytes(text), commit: gallery.engine.commit,
        options: gallery.options, seeds: gallery.seeds, finals: finalsOf(gallery) });
    }
  }
  const total = entries.reduce((sum, e) => sum + e.gzip_bytes, 0);
  const index = { format: kFormat, experiments: entries, total_gzip_bytes: total, budget_gzip_bytes: kBudgetGzipBytes };
  // One entry per line block, each final on its own line: readable diffs.
  const text = `{"format":${JSON.stringify(kFormat)},\n"experiments":[\n${entries.map((entry) => {
    const { finals, ...rest } = entry;
    return `${JSON.stringify(rest).slice(0, -1)},"finals":[\n${finals.map((f) => JSON.stringify(f)).join(',\n')}\n]}`;
  }).join(',\n')}\n],\n"total_gzip_bytes":${total},"budget_gzip_bytes":${kBudgetGzipBytes}}\n`;
  assert.deepEqual(JSON.parse(text), index);
  writeFileSync(path.join(out, 'index.json'), text);
  console.error(`gallery-pack: ${entries.length} file(s), ${total} bytes gzip of ${kBudgetGzipBytes} (index.json ${gzipBytes(text)} gzip)`);
  if (total > kBudgetGzipBytes) process.exitCode = 1;
}

// docs/claims.md's lab verdicts: the part between these markers is written from index.json by the core.
export const kClaimsDocStart = '<!-- lab-verdicts:start (written by scripts/gallery-pack.mjs from web/lab/gallery/index.json; do not edit) -->';
export const kClaimsDocEnd = '<!-- lab-verdicts:end -->';
export const kLabClaims = Object.freeze(['C9', 'C11', 'C12', 'C16']);

// The index's entries by settings, the default first: [{ settings, entries }].
export function settingsGroups(index) {
  const groups = new Map();
  for (const entry of index.experiments) {
    if (!groups.has(entry.settings)) groups.set(entry.settings, []);
    groups.get(entry.settings).push(entry);
  }
  return [...groups].map(([settings, entries]) => ({ settings, entries }))
    .sort((a, b) => (a.settings === 'default' ? -1 : b.settings === 'default' ? 1 : 0));
}

// The markdown of the lab's verdicts on C9, C11, C12, C16: groups [{ settings, entries, verdicts }] with
// verdicts the core's lab_verdicts on the group's finals; the sentences are the core's, word for word.
export function claimsDocSection(groups) {
  const lines = [kClaimsDocStart, ''];
  for (const { settings, entries, verdicts } of groups) {
    lines.push(settings === 'default' ? '**At the default settings**' : `**Settings \`${settings}\`** (\`web/lab/gallery/<experiment>-${settings}.json\`)`, '');
    for (const id of kLabClaims) {
      const claim = verdicts.claims.find((c) => c.claim === id);
      if (!claim || claim.experiments.length === 0) continue;
      const runs = claim.experiments.map((experimentId) => {
        const { options, seeds } = entries.find((entry) => entry.id === experimentId);
        return `${experimentId}: ${options.steps} steps, learning rate ${options.learning_rate}, seeds ${seeds.join(', ')}`;
      });
      lines.push(`- ${claim.text_en} (${runs.join('; ')})`);
      for (const comparison of verdicts.comparisons.filter((c) => c.claim === id)) lines.push(`  - ${comparison.text_en}`);
    }
    lines.push('');
  }
  if (!groups.some((group) => group.settings === 'long')) {
    lines.push('The long runs of C9 and C11 (docs/lab-gallery.md, "The long runs") are not in the gallery yet.', '');
  }
  lines.push(kClaimsDocEnd);
  return lines.join('\n');
}

// Rewrites docs/claims.md's lab-verdicts part from the index in `out`, the verdicts made by this CLI.
function writeClaimsDoc(cli, out, table) {
  if (path.resolve(out) !== path.join(root, 'web', 'lab', 'gallery')) return;  // a scratch gallery: the doc is not its
  const docPath = path.join(root, 'docs', 'claims.md');
  const doc = readFileSync(docPath, 'utf8');
  const start = doc.indexOf(kClaimsDocStart);
  const end = doc.indexOf(kClaimsDocEnd);
  if (start < 0 || end < start) throw new Error(`${docPath}: no lab-verdicts markers`);
  const index = JSON.parse(readFileSync(path.join(out, 'index.json'), 'utf8'));
  const scratch = mkdtempSync(path.join(tmpdir(), 'gallery-claims-'));
  try {
    const groups = settingsGroups(index).map(({ settings, entries }) => {
      const file = path.join(scratch, `${settings}.jsonl`);
      writeFileSync(file, `${entries.map((entry) => finalsJsonl(table.find((e) => e.id === entry.id).task, entry.finals)).join('\n')}\n`);
      return { settings, entries, verdicts: JSON.parse(cliVerdicts(cli, [file])) };
    });
    writeFileSync(docPath, doc.slice(0, start) + claimsDocSection(groups) + doc.slice(end + kClaimsDocEnd.length));
    console.error(`gallery-pack: docs/claims.md's lab verdicts written (${groups.map((g) => g.settings).join(', ')})`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// --reverdict: every gallery file's verdicts made again from its curves by this CLI, the rest kept.
function reverdict(cli, out, table) {
  const scratch = mkdtempSync(path.join(tmpdir(), 'gallery-verdicts-'));
  try {
    for (const name of readdirSync(out).filter((n) => n.endsWith('.json') && n !== 'index.json').sort()) {
      const file = path.join(out, name);
      const text = readFileSync(file, 'utf8');
      const gallery = JSON.parse(text);
      const experiment = table.find((e) => e.id === gallery.experiment);
      const records = path.join(scratch, `${name}.jsonl`);
      writeFileSync(records, `${finalsJsonl(experiment.task, finalsOf(gallery))}\n`);
      const at = text.lastIndexOf('\n"verdicts":');
      if (at < 0 || !text.endsWith('}\n')) throw new Error(`${name}: no "verdicts" at its end`);
      const engineAt = text.indexOf('\n"engine":');
      const engineEnd = text.indexOf('\n', engineAt + 1);
      const engine = { ...gallery.engine, verdicts_commit: engineCommit() };
      const next = `${text.slice(0, engineAt)}\n"engine":${JSON.stringify(engine)},${text.slice(engineEnd, at)}\n"verdicts":${cliVerdicts(cli, [records])}}\n`;
      const parsed = JSON.parse(next);
      assert.deepEqual({ ...parsed, verdicts: null, engine: null }, { ...gallery, verdicts: null, engine: null });
      writeFileSync(file, next);
      console.error(`gallery-pack: ${name} verdicts made again (${next === text ? 'unchanged' : 'changed'})`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function main() {
  const { values, positionals } = parseArgs({
    options: { cli: { type: 'string' }, work: { type: 'string' }, out: { type: 'string' }, 'train-args': { type: 'string', default: '' },
      records: { type: 'string' }, 'records-template': { type: 'string' }, attention: { type: 'string' }, settings: { type: 'string' },
      commit: { type: 'string' }, 'records-note': { type: 'string' }, reverdict: { type: 'boolean' }, 'index-only': { type: 'boolean' } },
    allowPositionals: true,
  });
  const cli = values.cli;
  const table = JSON.parse(execFileSync(cli, ['train', '--list-experiments', '--json'], { encoding: 'utf8' })).experiments;
  if (values.reverdict || values['index-only']) {
    if (values.reverdict) reverdict(cli, values.out, table);
    writeIndex(values.out, table);
    writeClaimsDoc(cli, values.out, table);
    return;
  }
  // The runs' options are the experiment's (the CLI's defaults) but for the train args given (the records
  // say the steps and the checkpoints; nothing says n or width).
  const given = parseTrainArgs(values['train-args']);
  const settings = values.settings ?? null;
  if (settings !== null && !/^[a-z0-9]+$/.test(settings)) throw new Error(`--settings: lower-case letters and digits (got "${settings}")`);
  const noAttention = values.attention === 'none';
  const engine = {
    commit: values.commit ?? engineCommit(),
    src_tree: git(['rev-parse', `${(values.commit ?? 'HEAD').replace(/-dirty$/, '')}:src`]),
    version: version(),
    made: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    command: `attnrank train --task <experiment> --configs <config> --seed <seed> --quiet${values['train-args'].trim() ? ` ${values['train-args'].trim()}` : ''}`,
    records: values['records-note'] ?? 'these runs, made by this commit\'s CLI (scripts/build-gallery.sh)',
    verdicts_commit: engineCommit(),
  };
  mkdirSync(values.out, { recursive: true });
  for (const id of positionals) {
    const experiment = table.find((e) => e.id === id);
    if (!experiment) throw new Error(`no experiment ${id}`);
    const dir = values.work ? path.join(values.work, id) : null;
    const attentionDir = values.attention && !noAttention ? path.join(values.attention, id) : dir;
    const runs = [];
    const probes = new Map();  // config -> {step -> line}
    const files = [];
    let options = null;
    for (const config of experiment.configs) {
      for (const seed of experiment.seeds) {
        const [masks, attention] = config.split(':');
        const file = values['records-template']
          ? values['records-template'].replaceAll('{experiment}', id).replaceAll('{config}', config).replaceAll('{masks}', masks)
            .replaceAll('{attention}', attention).replaceAll('{seed}', String(seed))
          : values.records ? path.join(values.records, `${id}__${config}__s${seed}.jsonl`) : path.join(dir, `${config}__${seed}.jsonl`);
        if (!existsSync(file)) throw new Error(`missing run ${file}`);
        files.push(file);
        const lines = nonEmptyLines(file);
        const records = lines.map((line) => JSON.parse(line));
        const last = records.at(-1);
        if (last.step !== last.steps) throw new Error(`${file}: the run stopped at step ${last.step} of ${last.steps}`);
        if (given.steps !== undefined && last.steps !== given.steps) throw new Error(`${file}: steps ${last.steps}, --train-args say ${given.steps}`);
        const every = given.checkpoint_every ?? experiment.options.checkpoint_every;
        const spacing = records.slice(1, -1).every((record, k) => record.step === (k + 1) * every);
        if (!spacing) throw new Error(`${file}: its checkpoints are not every ${every} steps`);
        runs.push(runEntry(config, seed, lines));
        if (seed === experiment.seeds[0] && !noAttention) {
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
          options = { ...experiment.options, ...given, steps: last.steps, batch: last.batch };
        }
      }
    }
    const lastStep = options.steps;
    const firstSteps = noAttention ? [] : [...probes.values()].every((byStep) => byStep.has(lastStep)) ? [0, lastStep] : [0];
    const attention = experiment.configs.flatMap((config) => firstSteps.map((step) => probes.get(config).get(step)));
    const verdicts = cliVerdicts(cli, files);
    const alphabet = ['order', 'mlm', 'prefix', 'lm-vs-mlm'].includes(experiment.task) ? JSON.stringify(corpusAlphabet(cli)) : 'null';
    const text = `{"format":${JSON.stringify(kFormat)},"experiment":${JSON.stringify(id)},` +
      `${settings ? `"settings":${JSON.stringify(settings)},` : ''}\n` +
      `"engine":${JSON.stringify(engine)},\n"options":${JSON.stringify(options)},\n` +
      `"configs":${JSON.stringify(experiment.configs)},"seeds":${JSON.stringify([...experiment.seeds])},\n` +
      `"alphabet":${alphabet},\n"attention_seed":${experiment.seeds[0]},"attention_steps":${JSON.stringify(firstSteps)},\n` +
      `"runs":[\n${runs.join(',\n')}\n],\n"attention":[\n${attention.join(',\n')}\n],\n"verdicts":${verdicts}}\n`;
    JSON.parse(text);  // well-formed
    const name = galleryFileName(id, settings);
    writeFileSync(path.join(values.out, name), text);
    console.error(`gallery-pack: ${name} ${text.length} bytes, ${gzipBytes(text)} gzip`);
  }
  writeIndex(values.out, table);
  writeClaimsDoc(cli, values.out, table);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
