// The bad-input table (tests/fixtures/bad-inputs.json) through the shipped wasm module: every case's
// request goes to analyze / collapse / mixture / permutation / parse_npy of ONE module instance; an error case must
// throw a real Error with the table's code, param (the parameter it names, "" for none) and message (exact, or containing it when match is
// "substring"); an "expect": "ok" case must return only finite numbers. The same table drives the
// native core (tests/native/test_bad_inputs.cpp: the cases with layer "core") and the page (url,
// attributes, page_message: the e2e side). Leaves out: the page's own messages.
//
// A case: { name, request: { method, ...config }, code, param, message, match: "exact" | "substring",
// layer: "core" (the core raises it, natively too) | "binding" (only the JS boundary can: types,
// fractions, unknown keys), url (query string or null), attributes (<attn-figure> attributes or null),
// page_message (what the page shows for url/attributes) } or { name, request, expect: "ok", url,
// attributes, expect_values (optional: result keys and their exact answers, numbers within 1e-9) }.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { kFiguresModule, loadAttnrank, root } from './load-wasm.mjs';

const fixtures = path.join(root, 'tests', 'fixtures');
const table = JSON.parse(readFileSync(path.join(fixtures, 'bad-inputs.json'), 'utf8'));
const knownCodes = new Set(['invalid_argument', 'invalid_file', 'too_large', 'numerical_failure']);
const kMinimumCases = 60;
const kValueTolerance = 1e-9;  // expect_values: defined answers (rank 1 of uniform rows, det 1/2, ...)

// JSON has no NaN, Infinity or typed arrays: the table writes {"$number": "NaN" | "Infinity" |
// "-Infinity"}, {"$Float64Array": [...]} and {"$Uint8Array": [...]}; a typed array with "$length": L
// has a length property that lies (says L; issue 16 item 2).
function lengthLies(array, value) {
  if ('$length' in value) Object.defineProperty(array, 'length', { value: value.$length });
  return array;
}

function decodeValue(value) {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value === null || typeof value !== 'object') return value;
  if ('$number' in value) return Number(value.$number);
  if ('$Float64Array' in value) return lengthLies(Float64Array.from(value.$Float64Array.map(decodeValue)), value);
  if ('$Uint8Array' in value) return lengthLies(Uint8Array.from(value.$Uint8Array), value);
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, decodeValue(entry)]));
}

function run(attnrank, request) {
  const { method, ...config } = decodeValue(request);
  if (method === 'parse_npy') {
    const bytes = config.file ? new Uint8Array(readFileSync(path.join(fixtures, config.file))) : config.bytes;
    return attnrank.parse_npy(bytes, config.label);
  }
  assert.ok(['analyze', 'collapse', 'mixture', 'permutation'].includes(method), `method=${method}`);
  return attnrank[method](config);
}

// Every number in a result (nested objects, arrays, typed arrays) is finite; null only for log_abs_det
// (det_sign 0) and numerical_rank_f64 (f32 pipeline: docs/result-schema.md).
function assertAllFinite(value, where) {
  if (typeof value === 'number') {
    assert.ok(Number.isFinite(value), `${where}=${value} is not finite`);
  } else if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    value.forEach((entry, index) => assertAllFinite(entry, `${where}[${index}]`));
  } else if (value === null) {
    assert.ok(where.endsWith('log_abs_det') || where.endsWith('numerical_rank_f64'), `${where} is null`);
  } else if (typeof value === 'object') {
    for (const [key, entry] of Object.entries(value)) assertAllFinite(entry, `${where}.${key}`);
  }
}

let attnrank;
before(async () => {
  attnrank = await loadAttnrank(kFiguresModule);  // the figures' module (the engine worker's)
});

describe(`bad-input table: ${table.length} cases through the wasm module`, () => {
  test('the table is large enough and well formed', () => {
    assert.ok(table.length >= kMinimumCases, `${table.length} cases`);
    const names = new Set();
    for (const entry of table) {
      assert.ok(!names.has(entry.name), `duplicate name ${entry.name}`);
      names.add(entry.name);
      if (entry.expect === 'ok') continue;
      assert.ok(knownCodes.has(entry.code), `${entry.name}: code ${entry.code}`);
      assert.equal(typeof entry.param, 'string', `${entry.name}: param`);
      assert.equal(typeof entry.message, 'string', `${entry.name}: message`);
      assert.ok(['exact', 'substring'].includes(entry.match), `${entry.name}: match`);
      assert.ok(['core', 'binding'].includes(entry.layer), `${entry.name}: layer`);
      if (entry.url !== null || entry.attributes !== null) assert.equal(typeof entry.page_message, 'string', entry.name);
    }
  });

  // One set of words (issue 14 item 4): the page shows the core's message for every case with a page form.
  test('the page shows the core\'s message for every case', () => {
    const differing = table.filter((entry) => entry.page_message && entry.page_message !== entry.message).map((entry) => entry.name);
    assert.deepEqual(differing, []);
  });

  for (const entry of table) {
    test(entry.name, () => {
      if (entry.expect === 'ok') {
        const result = run(attnrank, entry.request);
        assertAllFinite(result, 'result');
        for (const [key, expected] of Object.entries(entry.expect_values ?? {})) {
          assert.ok(Math.abs(result[key] - expected) <= kValueTolerance, `${key}=${result[key]}, expected ${expected}`);
        }
        return;
      }
      let thrown = null;
      try {
        run(attnrank, entry.request);
      } catch (error) {
        thrown = error;
      }
      assert.ok(thrown instanceof Error, `expected an Error, got ${thrown}`);
      assert.equal(thrown.code, entry.code, thrown.message);
      assert.equal(thrown.param, entry.param, `param of "${thrown.message}"`);
      if (entry.match === 'exact') assert.equal(thrown.message, entry.message);
      else assert.ok(thrown.message.includes(entry.message), `"${thrown.message}" lacks "${entry.message}"`);
    });
  }

  test('the module still works after every bad input', () => {
    const result = attnrank.analyze({ pattern: 'forward', n: 16, d: 4, seed: 1 });
    assert.equal(result.numerical_rank_f64, 16);
  });
});
