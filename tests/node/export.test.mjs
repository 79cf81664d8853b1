// node --test on web/export.mjs's pure helpers, fed with real analyze() results of the wasm module:
// the statistics CSV (the core's fixed columns, no singular values, numbers in shortest
// round-trip form that parse back exactly, the f64 rank of an f32 analysis an empty cell), the spectra CSV
// (every value at or below the core's accuracy floor labelled below_accuracy_floor), the JSON (typed
// arrays as arrays, no matrix), .npy of a matrix through a stand-in pool that calls the module's
// write_npy, and canvasToPngBlob's two canvas kinds.
// downloadBlob needs a DOM: tests/e2e/engine.test.mjs covers it in Chromium.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { canvasToPngBlob, exportBaseName, matrixFileName, matrixToNpy, spectraColumns, spectraToCsv, statsColumns, statsToCsv,
  statsToJson } from '../../web/export.mjs';
import { exportFileName } from '../../web/views/export-names.mjs';
import { loadAttnrank } from './load-wasm.mjs';

let attnrank;
let results;  // the four patterns of the essay, plus a linear one with favor features

before(async () => {
  attnrank = await loadAttnrank();
  results = [
    ...['bidirectional', 'prefix', 'forward', 'backward'].map((pattern) => attnrank.analyze({ pattern, n: 24, d: 4, seed: 7, want_matrix: true })),
    attnrank.analyze({ pattern: 'window', n: 24, d: 4, seed: 7, kind: 'linear', feature: 'favor', features: 8 }),
  ];
});

// A minimal RFC 4180 reader for the tests (quoted fields with "" escapes).
function parseCsv(text) {
  assert.ok(text.endsWith('\n'), 'ends with a newline');
  const rows = [];
  let row = [];
  let field = '';
  let isQuoted = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (isQuoted) {
      if (c === '"' && text[i + 1] === '"') field += text[++i];
      else if (c === '"') isQuoted = false;
      else field += c;
    } else if (c === '"') isQuoted = true;
    else if (c === ',') row.push(field), field = '';
    else if (c === '\n') row.push(field), rows.push(row), row = [], field = '';
    else field += c;
  }
  return rows;
}

function cellValue(text, expected) {
  if (typeof expected === 'number') return Number(text);
  if (typeof expected === 'boolean') return text === 'true';
  return text;
}

describe('statsToCsv', () => {
  test('the columns are the scalar keys of analyze()\'s result, in the core\'s order', () => {
    const scalarKeys = new Set();
    for (const result of results) {
      for (const [key, value] of Object.entries(result)) if (!ArrayBuffer.isView(value)) scalarKeys.add(key);
    }
    assert.deepEqual([...statsColumns].sort(), [...scalarKeys].sort(), 'every scalar key, nothing else');
    assert.ok(!statsColumns.includes('singular_values') && !statsColumns.includes('matrix'));
    const [header] = parseCsv(statsToCsv(results));
    assert.deepEqual(header, [...statsColumns]);
    // The order in which the core writes a result's keys (the module's objects keep it): the CLI's too.
    for (const result of results) {
      assert.deepEqual(Object.keys(result).filter((key) => statsColumns.includes(key)),
        statsColumns.filter((key) => key in result), `${result.pattern} ${result.kind}`);
    }
  });

  test('one row per result; every value parses back exactly; absent and null are empty', () => {
    const rows = parseCsv(statsToCsv(results));
    assert.equal(rows.length, 1 + results.length);
    results.forEach((result, r) => {
      const row = rows[r + 1];
      assert.equal(row.length, statsColumns.length);
      statsColumns.forEach((key, c) => {
        if (result[key] === undefined || result[key] === null) assert.equal(row[c], '', `${result.pattern} ${key}`);
        else assert.equal(cellValue(row[c], result[key]), result[key], `${result.pattern} ${key}`);
      });
    });
    assert.equal(rows[3][statsColumns.indexOf('prefix')], '', 'a forward result has no prefix');
    assert.equal(rows[2][statsColumns.indexOf('prefix')], '12', 'the prefix result has p = n / 2');
    assert.equal(rows[5][statsColumns.indexOf('features')], '8');
  });

  test('a null log_abs_det is an empty cell; no singular value is written', () => {
    const singular = attnrank.analyze({ pattern: 'bidirectional', n: 8, d: 1, seed: 1, kind: 'linear' });
    const withNull = { ...singular, log_abs_det: null, det_sign: 0 };
    const [, row] = parseCsv(statsToCsv([withNull]));
    assert.equal(row[statsColumns.indexOf('log_abs_det')], '');
    assert.equal(row[statsColumns.indexOf('det_sign')], '0');
    // A middle singular value of a full-rank result is a distinctive number (the singular linear case's
    // trailing values are exact zeros, which other columns print too).
    const fullRank = attnrank.analyze({ pattern: 'forward', n: 8, d: 2, seed: 1 });
    const text = statsToCsv([fullRank]);
    assert.ok(!text.includes(String(fullRank.singular_values[3])), 'singular values are not in the stats CSV');
  });

  test('fields with commas, quotes or line breaks are quoted', () => {
    const odd = { pattern: 'a,b', kind: 'say "hi"', input: 'two\nlines' };
    const [, row] = parseCsv(statsToCsv([odd]));
    assert.equal(row[statsColumns.indexOf('pattern')], 'a,b');
    assert.equal(row[statsColumns.indexOf('kind')], 'say "hi"');
    assert.equal(row[statsColumns.indexOf('input')], 'two\nlines');
    assert.match(statsToCsv([odd]), /"say ""hi"""/);
  });

  test('no results: the header alone', () => {
    assert.equal(statsToCsv([]), `${statsColumns.join(',')}\n`);
  });

  test('numbers in shortest round-trip form (as the CLI\'s CSV): every scalar of f64 and f32 results reads back', () => {
    const f32 = ['bidirectional', 'forward'].map((pattern) => attnrank.analyze({ pattern, n: 64, d: 8, seed: 7, precision: 'f32' }));
    const f64 = attnrank.analyze({ pattern: 'forward', n: 64, d: 8, seed: 7 });
    const rows = parseCsv(statsToCsv([...f32, f64]));
    [...f32, f64].forEach((result, r) => {
      for (const [key, value] of Object.entries(result)) {
        if (ArrayBuffer.isView(value)) continue;
        const cell = rows[r + 1][statsColumns.indexOf(key)];
        assert.ok(statsColumns.includes(key), `${key} is a column`);
        if (value === null) assert.equal(cell, '', `${result.precision} ${key}: null is an empty cell`);
        else if (typeof value === 'number') {
          assert.equal(Number(cell), value, `${result.precision} ${key}: ${cell} reads back`);
          assert.equal(cell, String(value), `${result.precision} ${key}: the shortest digits that read back`);
        } else assert.equal(cell, String(value), `${result.precision} ${key}`);
      }
    });
    const header = rows[0];
    for (const row of rows.slice(1, 3)) {
      assert.equal(row[header.indexOf('numerical_rank_f64')], '', 'no f64 rank at f32');
      assert.equal(row[header.indexOf('precision')], 'f32');
    }
    assert.equal(rows[2][header.indexOf('sigma_min_is_upper_bound')], 'true');
    assert.equal(rows[2][header.indexOf('sigma_min')], rows[2][header.indexOf('accuracy_floor')], 'sigma_min is the floor when flagged');
    // Shortest, not 17 significant digits ("%.17g" would write 0.33333333333333331 and 0.30000000000000004).
    const odd = { pattern: 'forward', effective_rank: 1 / 3, stable_rank: 0.1 + 0.2, sigma_max: 2 ** -52, sigma_min: 5e-324,
      condition_number: Number.MAX_VALUE, scale: 0.1 };
    const [, row] = parseCsv(statsToCsv([odd]));
    const cell = (key) => row[statsColumns.indexOf(key)];
    assert.deepEqual([cell('effective_rank'), cell('stable_rank'), cell('sigma_max'), cell('sigma_min'), cell('condition_number'), cell('scale')],
      ['0.3333333333333333', '0.30000000000000004', '2.220446049250313e-16', '5e-324', '1.7976931348623157e+308', '0.1']);
    for (const key of Object.keys(odd).slice(1)) assert.equal(Number(cell(key)), odd[key], `${key} reads back`);
  });
});

describe('spectraToCsv', () => {
  test('pattern, 1-based index, singular value, below_accuracy_floor: n rows per result, exact values', () => {
    const rows = parseCsv(spectraToCsv(results));
    assert.deepEqual(rows[0], ['pattern', 'index', 'singular_value', 'below_accuracy_floor']);
    assert.deepEqual(rows[0], [...spectraColumns]);
    assert.equal(rows.length, 1 + results.reduce((sum, result) => sum + result.n, 0));
    let r = 1;
    for (const result of results) {
      result.singular_values.forEach((value, i) => {
        assert.deepEqual(rows[r], [result.pattern, String(i + 1), String(value), String(value <= result.accuracy_floor)]);
        assert.equal(Number(rows[r][2]), value);
        r += 1;
      });
    }
  });

  test('every value at or below the core\'s accuracy floor is labelled; the unlabelled ones are the rank', () => {
    for (const precision of ['f64', 'f32']) {
      for (const pattern of ['forward', 'bidirectional', 'backward']) {
        const result = attnrank.analyze({ pattern, n: 64, d: 8, seed: 7, precision });
        const rows = parseCsv(spectraToCsv([result])).slice(1);
        const labels = rows.map((row) => row[3]);
        assert.ok(labels.every((label) => label === 'true' || label === 'false'), `${precision} ${pattern}: every row labelled`);
        const resolved = labels.filter((label) => label === 'false').length;
        const rank = precision === 'f64' ? result.numerical_rank_f64 : result.numerical_rank_f32;
        assert.equal(resolved, rank, `${precision} ${pattern}: values above the floor = the core's rank in its precision`);
        assert.equal(labels.at(-1) === 'true', result.sigma_min_is_upper_bound, `${precision} ${pattern}: last row = the core's flag`);
        rows.forEach((row, i) => assert.equal(row[3] === 'true', result.singular_values[i] <= result.accuracy_floor));
      }
    }
    const forward = attnrank.analyze({ pattern: 'forward', n: 64, d: 8, seed: 7 });
    assert.equal(parseCsv(spectraToCsv([forward])).at(-1)[3], 'true', 'the issue\'s example: s_64 of forward at seed 7 is noise');
  });

  test('seriesLabel names rows when patterns repeat', () => {
    const softmax = attnrank.analyze({ pattern: 'forward', n: 4, d: 2 });
    const linear = attnrank.analyze({ pattern: 'forward', n: 4, d: 2, kind: 'linear' });
    const rows = parseCsv(spectraToCsv([softmax, linear], { seriesLabel: (result) => `${result.kind}:${result.pattern}` }));
    assert.deepEqual(rows.slice(1).map((row) => row[0]), [...Array(4).fill('softmax:forward'), ...Array(4).fill('linear:forward')]);
  });
});

describe('statsToJson', () => {
  test('parses back to the results, typed arrays as arrays, without the matrix and mask', () => {
    const text = statsToJson(results);
    const parsed = JSON.parse(text);
    assert.equal(parsed.length, results.length);
    results.forEach((result, r) => {
      const { matrix, mask, singular_values: values, ...scalars } = result;
      assert.deepEqual(parsed[r], { ...scalars, singular_values: Array.from(values) });
      assert.ok(!('matrix' in parsed[r]) && !('mask' in parsed[r]));
    });
    assert.equal(text.split('\n').length, results.length + 3, 'one result per line');
    assert.deepEqual(JSON.parse(statsToJson([])), []);
  });
});

describe('matrixToNpy', () => {
  // A stand-in for EnginePool: the same call(method, ...args) API on the module in this process.
  const pool = { call: async (method, ...args) => attnrank[method](...args) };

  test('the matrix as .npy, written by the core, reads back exactly (f64 and f32)', async () => {
    for (const precision of ['f64', 'f32']) {
      const result = attnrank.analyze({ pattern: 'prefix', n: 20, d: 4, seed: 2, precision, want_matrix: true });
      const blob = await matrixToNpy(pool, result);
      assert.ok(blob instanceof Blob);
      const bytes = new Uint8Array(await blob.arrayBuffer());
      assert.match(new TextDecoder().decode(bytes.slice(0, 64)), precision === 'f64' ? /'<f8'/ : /'<f4'/);
      const parsed = attnrank.parse_npy(bytes, 'A.npy');
      assert.equal(parsed.rows, 20);
      assert.equal(parsed.cols, 20);
      assert.deepEqual(parsed.data, result.matrix, `${precision}: exact (f32 values are float32 already)`);
    }
  });

  test('a result without a matrix is an error saying how to get one', async () => {
    await assert.rejects(matrixToNpy(pool, results[4]), { code: 'invalid_argument', message: /want_matrix: true/ });
  });
});

describe('canvasToPngBlob', () => {
  test('HTMLCanvasElement (toBlob) and OffscreenCanvas (convertToBlob); a failed encoding rejects', async () => {
    const png = new Blob([new Uint8Array([0x89, 0x50])], { type: 'image/png' });
    const element = { toBlob: (callback, type) => { assert.equal(type, 'image/png'); callback(png); } };
    assert.equal(await canvasToPngBlob(element), png);
    const offscreen = { convertToBlob: async ({ type }) => { assert.equal(type, 'image/png'); return png; } };
    assert.equal(await canvasToPngBlob(offscreen), png);
    await assert.rejects(canvasToPngBlob({ toBlob: (callback) => callback(null) }), /could not be encoded as PNG/);
  });
});

test('exportBaseName and matrixFileName: names follow the configuration the data carry', () => {
  const result = { n: 48, d: 6, scale: 0.5, seed: 3, pattern: 'forward' };
  assert.equal(exportBaseName(result), 'attnrank-n48-d6-s0.5-seed3');
  assert.equal(matrixFileName(result), 'attnrank-n48-d6-s0.5-seed3-forward.npy');
  // Loaded Q, K: no seed in the result, none in the name (not the page's seeded default).
  assert.equal(matrixFileName({ n: 48, d: 6, scale: 1, pattern: 'bidirectional' }), 'attnrank-n48-d6-s1-bidirectional.npy');
});

test('exportFileName: a suffix that starts with the section replaces it instead of repeating it', () => {
  const base = 'attnrank-n64-d8-s1-seed7';
  assert.equal(exportFileName(`${base}-spectra`, 'spectra.svg'), `${base}-spectra.svg`);
  assert.equal(exportFileName(`${base}-spectra`, 'spectra.csv'), `${base}-spectra.csv`);
  assert.equal(exportFileName(`${base}-raises`, 'raises-rank.png'), `${base}-raises-rank.png`);
  assert.equal(exportFileName(`${base}-patterns`, 'heatmaps.png'), `${base}-patterns-heatmaps.png`);
  assert.equal(exportFileName(`${base}-linear`, 'spectra.csv'), `${base}-linear-spectra.csv`);
  assert.equal(exportFileName('attnrank-n48-d6-s1-user-qk', 'statistics.csv'), 'attnrank-n48-d6-s1-user-qk-statistics.csv');
  // A section name that is only the start of the suffix's first word is not a repeat.
  assert.equal(exportFileName(`${base}-depth`, 'depthwise.json'), `${base}-depth-depthwise.json`);
});
