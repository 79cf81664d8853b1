// node --test: which statistic is only a bound, and which flag says so, is the core's (the analysis
// table's `bound` rows in web/state/result-fields.mjs, generated from src/core/io/result_fields.cpp); the
// statistics card and the sweep view read it there (stats-card.mjs statisticBounds) instead of pairing
// keys by name themselves. Fails when a view names a bound flag again.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { resultFields } from '../../web/state/result-fields.mjs';
import { boundOf, statisticBounds, statisticText } from '../../web/views/stats-card.mjs';
import { sweepValuesFor } from '../../web/views/sweep-view.mjs';
import { root } from './load-wasm.mjs';

const analysis = resultFields.results.find((entry) => entry.name === 'analysis');
const bounded = analysis.fields.filter((field) => field.bound);

test('the views\' bounds are the analysis table\'s bound rows, each with its flag row', () => {
  assert.ok(bounded.length > 0);
  assert.deepEqual(Object.keys(statisticBounds), bounded.map((field) => field.key));
  for (const field of bounded) {
    const flag = `${field.key}_is_${field.bound}_bound`;
    assert.deepEqual({ ...statisticBounds[field.key] }, { bound: field.bound, flag });
    assert.ok(analysis.fields.some((row) => row.key === flag && row.type === 'bool'), `${flag} is a row`);
    assert.equal(boundOf(field.key, { [flag]: true }), field.bound);
    assert.equal(boundOf(field.key, { [flag]: false }), null);
  }
});

test('a flagged value reads as its bound on the card and is a grey point in the sweep', () => {
  const text = (key, holes) => (key === 'value.lower_bound' ? `>= ${holes.value}` : key);
  const result = { sigma_min: 2.5e-14, sigma_min_is_upper_bound: true, condition_number: 7e13, condition_number_is_lower_bound: true };
  assert.match(statisticText('sigma_min', result, text), /^\u2264 /);
  assert.match(statisticText('condition_number', result, text), /^>= /);
  const { resolved, bounds } = sweepValuesFor([result, { ...result, condition_number_is_lower_bound: false }], 'condition_number');
  assert.deepEqual(bounds.map(Number.isNaN), [false, true]);
  assert.deepEqual(resolved.map(Number.isNaN), [true, false]);
});

test('stats-card.mjs and sweep-view.mjs name no bound flag themselves', () => {
  for (const file of ['stats-card.mjs', 'sweep-view.mjs']) {
    const source = readFileSync(path.join(root, 'web', 'views', file), 'utf8');
    assert.doesNotMatch(source, /_is_(upper|lower)_bound['"`]|\.\w+_is_(upper|lower)_bound\b/, `${file} pairs a key with its flag by hand`);
  }
});
