// node --test: the wasm lab binding's results have their keys in the core's result tables (result_fields():
// lab_corpus, lab_start, lab_progress, lab_attention; src/core/io/result_lab_fields.cpp) like every other
// result: each key lab_set_corpus(), lab_start(), lab_advance(), lab_load(), lab_stop() and lab_attention()
// return is a row of its table and each row a key, in order, of its declared type, marked wasm only (the CLI
// prints none of them); lab_checkpoints() is tests/node/lab-records.test.mjs's. Fails when the binding writes
// a key of its own again (as lab_binding.cpp once wrote all of these by hand).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { loadAttnrank } from './load-wasm.mjs';
import { checkExactly } from './result-rows.mjs';

// A tiny copy run (no corpus): two layers of two heads, two kinds of mask and attention.
const kRun = { task: 'copy', n: 9, width: 8, heads: 2, layers: 2, symbols: 4, min_length: 2, max_length: 4, batch: 2,
  steps: 3, checkpoint_every: 1, heldout_batches: 1, masks: 'forward/backward', attention: 'softmax/linear', seed: 2 };
// A made-up corpus text: 1200 bytes over 11 distinct bytes (make_corpus wants at least 1024 tokens).
const kCorpusText = 'the cat sat on a mat. '.repeat(60).slice(0, 1200);

let attnrank;
let schemas;

before(async () => {
  attnrank = await loadAttnrank();
  schemas = Object.fromEntries(attnrank.result_fields().results.map((result) => [result.name, result]));
});

// The table named `name`: its top-level rows all wasm only (the CLI prints none of these results).
function tableOf(name, call) {
  const schema = schemas[name];
  assert.ok(schema, `result_fields() has no ${name} table`);
  assert.equal(schema.cli, '', `${name}: no CLI command prints it`);
  assert.ok(schema.wasm.includes(call), `${name}: returned by ${call} (${schema.wasm})`);
  for (const field of schema.fields) assert.equal(field.wasm_only, true, `${name}: ${field.key} is marked wasm only`);
  return schema.fields;
}

test('lab_set_corpus() returns the lab_corpus table\'s rows', () => {
  const fields = tableOf('lab_corpus', 'lab_set_corpus');
  const corpus = attnrank.lab_set_corpus(kCorpusText);
  checkExactly(corpus, fields, 'lab_set_corpus: ');
  assert.deepEqual(corpus, { tokens: 1200, symbols: new Set(kCorpusText).size });
  checkExactly(attnrank.lab_set_corpus(new TextEncoder().encode(kCorpusText)), fields, 'lab_set_corpus(Uint8Array): ');
});

test('lab_start(), lab_advance(), lab_stop(), lab_load() and lab_attention() return their tables\' rows', () => {
  const start = tableOf('lab_start', 'lab_start');
  const progress = tableOf('lab_progress', 'lab_advance');
  tableOf('lab_progress', 'lab_load');
  tableOf('lab_progress', 'lab_stop');
  const attention = tableOf('lab_attention', 'lab_attention');

  const started = attnrank.lab_start(kRun);
  const saved = attnrank.lab_start(kRun);
  try {
    checkExactly(started, start, 'lab_start: ');
    assert.equal(started.step, 0);
    assert.equal(started.steps, kRun.steps);
    assert.ok(started.parameters > 0 && started.memory_bytes > 0 && started.vocab > 0);

    checkExactly(attnrank.lab_attention(started.id), attention, 'lab_attention at step 0: ');
    const advanced = attnrank.lab_advance(started.id, 2);
    checkExactly(advanced, progress, 'lab_advance: ');
    assert.deepEqual(advanced, { step: 2, steps: kRun.steps, is_done: false, checkpoints: 3 });
    const probe = attnrank.lab_attention(started.id);
    checkExactly(probe, attention, 'lab_attention: ');
    assert.deepEqual([probe.step, probe.n, probe.tokens.length, probe.heads.length], [2, kRun.n, kRun.n, 4]);
    assert.deepEqual(probe.heads.map((head) => [head.layer, head.head, head.pattern, head.attention]),
      [[0, 0, 'forward', 'softmax'], [0, 1, 'backward', 'linear'], [1, 0, 'forward', 'softmax'], [1, 1, 'backward', 'linear']]);
    for (const head of probe.heads) assert.equal(head.matrix.length, kRun.n * kRun.n);

    const bytes = attnrank.lab_save(started.id);
    const stopped = attnrank.lab_stop(started.id);
    checkExactly(stopped, progress, 'lab_stop: ');
    assert.deepEqual(stopped, { step: 2, steps: kRun.steps, is_done: true, checkpoints: 3 });
    const loaded = attnrank.lab_load(saved.id, bytes);
    checkExactly(loaded, progress, 'lab_load: ');
    assert.equal(loaded.step, 2);
    const finished = attnrank.lab_advance(saved.id, kRun.steps);
    checkExactly(finished, progress, 'lab_advance to the end: ');
    assert.equal(finished.is_done, true);
  } finally {
    attnrank.lab_destroy(started.id);
    attnrank.lab_destroy(saved.id);
  }
});
