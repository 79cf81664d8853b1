// node --test: the results outside the analyses - limits(), messages(), memory_usage() and parse_npy()'s
// {rows, cols, data} - have their keys in the core's result tables (result_fields(): limits, messages,
// memory_usage, npy; src/core/io/result_module_fields.cpp) like every analysis result: each key the module
// returns is a row and each row a key, in order; `attnrank limits` prints the same table's rows. Fails when a
// binding writes a key of its own again. ATTNRANK_CLI: another build's attnrank (default build/native).
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

test('limits(), messages(), memory_usage() and parse_npy() return exactly the rows of their tables', () => {
  for (const name of ['limits', 'messages', 'memory_usage', 'npy']) assert.ok(schemas[name], `result_fields() has no ${name} table`);
  checkExactly(attnrank.limits(), schemas.limits.fields, 'limits: ');
  checkExactly(attnrank.messages(), schemas.messages.fields, 'messages: ');
  checkExactly(attnrank.memory_usage(), schemas.memory_usage.fields, 'memory_usage: ');
  const values = Float64Array.from([1, 2, 3, 4, 5, 6]);
  const parsed = attnrank.parse_npy(attnrank.write_npy(values, 2, 3, 'f64'), 'q.npy');
  checkExactly(parsed, schemas.npy.fields, 'npy: ');
  assert.deepEqual({ rows: parsed.rows, cols: parsed.cols, data: [...parsed.data] }, { rows: 2, cols: 3, data: [...values] });
});

test('`attnrank limits` prints the limits table\'s rows, in order, with the module\'s values', () => {
  assert.ok(existsSync(cliPath), `${cliPath} is missing: build natively (cmake -S . -B build/native)`);
  const lines = execFileSync(cliPath, ['limits'], { encoding: 'utf8' }).trim().split('\n').map((line) => line.split(' '));
  assert.deepEqual(lines.map(([name]) => name), schemas.limits.fields.map((field) => field.key));
  const limits = attnrank.limits();
  for (const [name, min, max] of lines) assert.deepEqual({ min: Number(min), max: Number(max) }, limits[name], name);
});
