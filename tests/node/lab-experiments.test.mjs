// node --test: the wasm module's lab_experiments() and lab_verdicts() (src/bindings/lab_binding.cpp): their
// keys are the rows of the core's result tables (lab_experiments, lab_verdicts: result_lab_fields.cpp), the
// experiments are the CLI's (`attnrank train --list-experiments --json`, the same tree), each experiment's
// configurations are its task's `--configs task` list, and lab_verdicts decides analytic records as the core's
// GoogleTest does natively (tests/native/test_lab_verdicts.cpp), refusing bad input with the core's words.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';

import { loadAttnrank, root } from './load-wasm.mjs';
import { checkExactly } from './result-rows.mjs';

const cliPath = process.env.ATTNRANK_CLI ? path.resolve(process.env.ATTNRANK_CLI) : path.join(root, 'build', 'native', 'attnrank');

let attnrank;
let schemas;

before(async () => {
  attnrank = await loadAttnrank();
  schemas = Object.fromEntries(attnrank.result_fields().results.map((result) => [result.name, result]));
});

// One record line of a run at its last step (the keys lab_verdicts reads, and a nested `heads` it skips).
function line(task, config, seed, loss, { accuracy = null, baseline = 3, step = 100, steps = 100 } = {}) {
  return JSON.stringify({ task, config, seed, step, steps, heldout_loss: loss, heldout_accuracy: accuracy, baseline,
    heads: [{ layer: 0, head: 0, effective_rank: 3.5 }] });
}
const losses = (task, config, values) => values.map((loss, i) => line(task, config, i + 1, loss));

test('lab_experiments() returns the lab_experiments table, one experiment per task with its configurations', () => {
  const result = attnrank.lab_experiments();
  checkExactly(result, schemas.lab_experiments.fields, 'lab_experiments: ');
  const ids = result.experiments.map((e) => e.id);
  assert.deepEqual(ids, ['order', 'mlm', 'prefix', 'mqar', 'lm-vs-mlm', 'copy', 'reverse']);
  for (const e of result.experiments) {
    assert.equal(e.options.task, e.id);
    assert.deepEqual([...e.seeds], [1, 2, 3]);
    assert.equal(e.metric, ['mqar', 'copy', 'reverse'].includes(e.id) ? 'heldout_accuracy' : 'heldout_loss');
    for (const c of e.comparisons) {
      for (const config of [c.a, c.b, c.a_minus, c.b_minus].filter(Boolean)) assert.ok(e.configs.includes(config), `${e.id}: ${config}`);
    }
  }
  assert.equal(result.experiments[0].options.positions, 'none');  // C16: order without positions
  // Every configuration starts as a run: lab_start accepts the experiment's options with its masks and attention.
  const copy = result.experiments.find((e) => e.id === 'copy');
  for (const config of copy.configs) {
    const [masks, attention] = config.split(':');
    const run = attnrank.lab_start({ ...copy.options, steps: 2, masks, attention, seed: 1 });
    assert.equal(run.steps, 2);
    attnrank.lab_destroy(run.id);
  }
});

test('the CLI lists the same experiments (`attnrank train --list-experiments --json`)', (t) => {
  if (!existsSync(cliPath)) return t.skip(`no CLI at ${cliPath}`);
  const cli = JSON.parse(execFileSync(cliPath, ['train', '--list-experiments', '--json'], { encoding: 'utf8' }));
  const wasm = JSON.parse(JSON.stringify(attnrank.lab_experiments(), (key, value) => (ArrayBuffer.isView(value) ? [...value] : value)));
  assert.deepEqual(cli, wasm);
});

test('lab_verdicts() decides analytic records: disjoint bands, overlap, two seeds, not learned', () => {
  const records = [
    ...losses('mlm', 'bidirectional:softmax', [1.5, 1.6, 1.7]),
    ...losses('mlm', 'mix-heads:softmax', [1.2, 1.0, 1.1]),
    ...losses('mlm', 'mix-layers:softmax', [1.3, 1.4, 1.5]),
    ...losses('prefix', 'forward:softmax', [2.0, 2.1]),
    ...losses('prefix', 'prefix:softmax', [2.5, 2.6, 2.7]),
    ...losses('order', 'bidirectional:softmax', [3.1, 3.2, 3.0]),
    ...losses('order', 'mix-heads:softmax', [2.0, 2.1, 2.2]),
    ...losses('order', 'mix-layers:softmax', [3.0, 2.1, 2.2]),
  ].join('\n');
  const result = attnrank.lab_verdicts(records, undefined);  // Embind wants every argument: undefined = last records
  checkExactly(result, schemas.lab_verdicts.fields, 'lab_verdicts: ');
  const find = (experiment, a) => result.comparisons.find((c) => c.experiment === experiment && c.a === a);
  const heads = find('mlm', 'mix-heads:softmax');
  assert.equal(heads.outcome, 'a_better');
  assert.equal(heads.verdict, 'supported');
  assert.deepEqual([...heads.a_band.seeds], [1, 2, 3]);
  assert.deepEqual([...heads.a_band.values], [1.2, 1.0, 1.1]);
  assert.equal(heads.a_band.low, 1.0);
  assert.equal(heads.b_band.high, 1.7);
  assert.match(heads.text_zh, /结论：支持/);
  assert.equal(find('mlm', 'mix-layers:softmax').outcome, 'no_difference');
  assert.equal(find('prefix', 'prefix:softmax').outcome, 'not_enough_runs');
  assert.equal(find('order', 'mix-heads:softmax').verdict, 'supported');  // bidirectional may not learn (C16)
  assert.equal(find('order', 'mix-layers:softmax').outcome, 'not_learned');  // seed 1 at the baseline
  assert.deepEqual(find('order', 'mix-layers:softmax').not_learned, ['mix-layers:softmax']);
  const claims = Object.fromEntries(result.claims.map((c) => [c.claim, c.verdict]));
  assert.deepEqual(claims, { C16: 'inconclusive', C11: 'inconclusive', C12: 'inconclusive', recall: 'inconclusive', C9: 'inconclusive' });
  // At step 50 nothing has a record: no experiment has runs.
  assert.deepEqual(attnrank.lab_verdicts(records, 50).comparisons, []);
});

test('lab_verdicts() refuses what is not JSONL text of records, in the core\'s words', () => {
  assert.throws(() => attnrank.lab_verdicts([line('mlm', 'mix-heads:softmax', 1, 1)], null),
    { code: 'invalid_argument', param: 'records', message: 'records must be a string of JSONL text (got Array)' });
  assert.throws(() => attnrank.lab_verdicts('{"task":"mlm"}', null),
    { code: 'invalid_argument', param: 'records', message: 'records line 1, byte 14: no key config (a lab_checkpoint record has it)' });
  assert.throws(() => attnrank.lab_verdicts(line('gpt', 'forward:softmax', 1, 1), null),
    { code: 'invalid_argument', param: 'records', message: 'records[0]: task=gpt is unknown (order, mlm, prefix, mqar, lm-vs-mlm, copy, reverse)' });
  assert.throws(() => attnrank.lab_verdicts(line('copy', 'forward:softmax', 1, 1), null),
    { code: 'invalid_argument', param: 'records', message: 'records[0]: task copy needs heldout_accuracy' });
  assert.throws(() => attnrank.lab_verdicts('', -1), { code: 'invalid_argument', param: 'step' });
  assert.throws(() => attnrank.lab_verdicts('', 1.5), { code: 'invalid_argument', param: 'step' });
});
