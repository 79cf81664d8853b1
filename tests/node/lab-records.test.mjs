// node --test: a training-lab checkpoint's record has its keys in the core's result tables (result_fields():
// lab_checkpoint, src/core/io/result_lab_fields.cpp) like every analysis result: the wasm module's
// lab_checkpoints() entries and `attnrank train`'s JSONL lines and CSV header are exactly its rows, in order.
// Fails when the lab writes a key of its own again. ATTNRANK_CLI: another build's attnrank (default
// build/native).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';

import { loadAttnrank, root } from './load-wasm.mjs';

const cliPath = process.env.ATTNRANK_CLI ? path.resolve(process.env.ATTNRANK_CLI) : path.join(root, 'build', 'native', 'attnrank');
// A tiny copy run (no corpus), as the wasm config and as the CLI's options.
const kRun = { task: 'copy', n: 9, width: 8, heads: 2, layers: 1, symbols: 4, min_length: 2, max_length: 4, batch: 2,
  steps: 2, checkpoint_every: 1, heldout_batches: 1, masks: 'forward/backward', attention: 'softmax/linear', seed: 2 };
const cliOptions = Object.entries(kRun).flatMap(([key, value]) => [`--${key.replaceAll('_', '-')}`, String(value)]);

let attnrank;
let fields;

before(async () => {
  attnrank = await loadAttnrank();
  fields = attnrank.result_fields().results.find((result) => result.name === 'lab_checkpoint')?.fields;
});

const keysOf = (rows) => rows.map((row) => row.key);

function checkRecord(record, where) {
  assert.deepEqual(Object.keys(record), keysOf(fields), `${where}: the record's keys are the table's rows`);
  const heads = fields.find((row) => row.key === 'heads').fields;
  assert.equal(record.heads.length, 2);
  for (const head of record.heads) assert.deepEqual(Object.keys(head), keysOf(heads), `${where}: a head's keys`);
}

test('lab_checkpoints() entries are exactly the lab_checkpoint table\'s rows', () => {
  assert.ok(fields, 'result_fields() has a lab_checkpoint table');
  const { id } = attnrank.lab_start(kRun);
  try {
    attnrank.lab_advance(id, kRun.steps);
    const records = attnrank.lab_checkpoints(id, 0);
    assert.deepEqual(records.map((record) => record.step), [0, 1, 2]);
    for (const record of records) checkRecord(record, `wasm step ${record.step}`);
  } finally {
    attnrank.lab_destroy(id);
  }
});

test('`attnrank train`\'s JSONL lines and CSV header are the same rows', () => {
  assert.ok(fields, 'result_fields() has a lab_checkpoint table');
  assert.ok(existsSync(cliPath), `${cliPath} is missing: build natively (cmake -S . -B build/native)`);
  const jsonl = spawnSync(cliPath, ['train', ...cliOptions, '--quiet'], { encoding: 'utf8' });
  assert.equal(jsonl.status, 0, jsonl.stderr);
  const lines = jsonl.stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(lines.length, 3);
  for (const record of lines) checkRecord(record, `CLI step ${record.step}`);
  const csv = spawnSync(cliPath, ['train', ...cliOptions, '--quiet', '--format', 'csv'], { encoding: 'utf8' });
  assert.equal(csv.status, 0, csv.stderr);
  const header = csv.stdout.split('\n')[0].split(',');
  const heads = fields.find((row) => row.key === 'heads').fields;
  assert.deepEqual(header, [...keysOf(fields).filter((key) => key !== 'heads'), ...keysOf(heads)]);
});
