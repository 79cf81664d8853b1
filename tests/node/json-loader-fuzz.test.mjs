// Property test of the page's JSON Q/K loader (web/views/load-view.mjs parseJsonInputs): ~20,000 seeded
// inputs (random valid files, then mutated: bytes flipped, cut, inserted; values swapped for strings,
// null, nested arrays, huge or non-finite numbers; rows of other lengths; wrong top-level shapes). For
// every input the loader either returns q and k as {rows, cols, data} with rows, cols >= 1, data a
// Float64Array of rows * cols finite numbers equal to the parsed entries, or throws an Error whose message
// starts with the file name. Nothing else (no TypeError from a missing guard, no NaN let through).
// Leaves out: whether q and k agree in shape (the load view's next step, not the parser's contract).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJsonInputs } from '../../web/views/load-view.mjs';
import { makeRandom } from './seeded-random.mjs';

const kCases = 20000;
const kSeed = 8;
const kFileName = 'inputs<b>.json';


const oddValues = ['1', null, true, [], [1], {}, { q: 1 }, 1e308, -0, 5e-324, '1e999', 'NaN'];
const oddTokens = ['1e999', '-1e999', 'NaN', 'Infinity', '"x"', 'null', '[]', '[[]]', '{}', '1e-400', '-0', '0x10', '+1', '.5'];

function randomMatrix(random) {
  const rows = random.int(1, 5);
  const cols = random.int(1, 5);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => (random.next() - 0.5) * 10 ** random.int(-5, 5)));
}

// A structural mutation of the parsed value (before it is written as text).
function mutateValue(random, value) {
  const matrix = value[random.pick(['q', 'k'])];
  switch (random.int(0, 7)) {
    case 0: matrix[random.int(0, matrix.length - 1)][0] = random.pick(oddValues); break;
    case 1: matrix[random.int(0, matrix.length - 1)].push(1); break;     // one row longer
    case 2: matrix[random.int(0, matrix.length - 1)] = random.pick(oddValues); break;
    case 3: matrix.length = 0; break;
    case 4: delete value[random.pick(['q', 'k'])]; break;
    case 5: value[random.pick(['q', 'k'])] = random.pick(oddValues); break;
    case 6: return random.pick([[value], 42, 'text', null, [value.q, value.k]]);
    default: matrix.forEach((row) => row.splice(0)); break;  // empty rows
  }
  return value;
}

// A textual mutation: flip, cut, insert a token, or duplicate a slice.
function mutateText(random, text) {
  const at = random.int(0, text.length);
  switch (random.int(0, 4)) {
    case 0: return text.slice(0, at) + String.fromCharCode(random.int(0, 127)) + text.slice(at + 1);
    case 1: return text.slice(0, at);
    case 2: return text.replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/, random.pick(oddTokens));
    case 3: return text.slice(0, at) + random.pick(oddTokens) + text.slice(at);
    default: return text.slice(0, at) + text.slice(random.int(0, text.length));
  }
}

function makeInput(random) {
  let value = { q: randomMatrix(random), k: randomMatrix(random) };
  const kind = random.int(0, 3);
  if (kind === 1) value = mutateValue(random, value);
  let text = JSON.stringify(value);
  if (kind === 2) text = mutateText(random, text);
  if (kind === 3) for (let i = random.int(1, 4); i > 0; --i) text = mutateText(random, text);
  return text;
}

function checkMatrix(matrix, expected, label) {
  assert.ok(Number.isInteger(matrix.rows) && matrix.rows >= 1, `${label}.rows=${matrix.rows}`);
  assert.ok(Number.isInteger(matrix.cols) && matrix.cols >= 1, `${label}.cols=${matrix.cols}`);
  assert.ok(matrix.data instanceof Float64Array, `${label}.data`);
  assert.equal(matrix.data.length, matrix.rows * matrix.cols, `${label}.data.length`);
  assert.ok(matrix.data.every(Number.isFinite), `${label} has a non-finite entry`);
  // Equal-length rows of exactly the parsed numbers.
  assert.equal(expected.length, matrix.rows);
  expected.forEach((row, i) => {
    assert.equal(row.length, matrix.cols, `${label} row ${i}`);
    row.forEach((entry, j) => assert.equal(matrix.data[i * matrix.cols + j], entry));
  });
}

test(`JSON loader: ${kCases} seeded random and mutated files (seed ${kSeed})`, (t) => {
  const random = makeRandom(kSeed);
  const outcomes = { accepted: 0, rejected: 0 };
  for (let index = 0; index < kCases; ++index) {
    const text = makeInput(random);
    let result;
    try {
      result = parseJsonInputs(text, kFileName);
    } catch (error) {
      assert.ok(error instanceof Error && !(error instanceof TypeError) && !(error instanceof RangeError),
        `case ${index}: ${error?.constructor?.name}: ${error?.message} for ${text.slice(0, 200)}`);
      assert.ok(error.message.startsWith(`${kFileName}: `), `case ${index}: "${error.message}" does not name the file`);
      outcomes.rejected += 1;
      continue;
    }
    const parsed = JSON.parse(text);
    checkMatrix(result.q, parsed.q, `case ${index}: q`);
    checkMatrix(result.k, parsed.k, `case ${index}: k`);
    outcomes.accepted += 1;
  }
  t.diagnostic(JSON.stringify(outcomes));
  // Both branches carry weight.
  assert.ok(outcomes.accepted > 2000 && outcomes.rejected > 5000, JSON.stringify(outcomes));
});
