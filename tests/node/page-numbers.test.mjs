// node --test on how the page's views show the core's honest numbers (issue 13, items 1 and 2), fed with
// real analyze() and claims() results of the wasm module: the f64 rank of an f32 analysis reads "n/a at
// f32" (never a count); sigma_min at or below the core's accuracy floor reads "≤ <floor>"; the spectra
// chart greys exactly the values at or below each result's floor and draws the core's floor (no JS
// s_1 n eps); a sweep of the f64 rank at f32 has no point and a note saying why, a sweep of sigma_min shows
// the flagged values as grey bounds; a claims fact flagged an upper bound reads "≤". Pure functions only
// (no DOM); the same views in Chromium: tests/e2e/honest-numbers.test.mjs.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { enStrings } from '../../web/i18n/strings.mjs';
import { zhStrings } from '../../web/i18n/strings-zh.mjs';
import { factText, foldBounds } from '../../web/views/claims-view.mjs';
import { spectraChart } from '../../web/views/spectra-view.mjs';
import { statisticText } from '../../web/views/stats-card.mjs';
import { sweepValuesFor } from '../../web/views/sweep-view.mjs';
import { installPatterns } from '../../web/state/pattern-registry.mjs';
import { loadAttnrank } from './load-wasm.mjs';

const text = (key, params = {}) => enStrings[key].replace(/\{(\w+)\}/g, (_, name) => String(params[name]));
const textZh = (key, params = {}) => (zhStrings[key] ?? enStrings[key]).replace(/\{(\w+)\}/g, (_, name) => String(params[name]));

let attnrank;
// The example: forward, n 64, d 8, seed 7 (the page's defaults), in both precisions.
let forward64;
let forward32;

before(async () => {
  attnrank = await loadAttnrank();
  installPatterns(attnrank.patterns());  // as the page does before drawing
  forward64 = attnrank.analyze({ pattern: 'forward', n: 64, d: 8, seed: 7 });
  forward32 = attnrank.analyze({ pattern: 'forward', n: 64, d: 8, seed: 7, precision: 'f32' });
});

test('the core reports what the views rely on: null f64 rank at f32, sigma_min = floor when flagged', () => {
  assert.equal(forward32.numerical_rank_f64, null);
  assert.equal(typeof forward64.numerical_rank_f64, 'number');
  for (const result of [forward64, forward32]) {
    assert.equal(result.sigma_min_is_upper_bound, true, `${result.precision}: below the floor at seed 7, scale 1`);
    assert.equal(result.sigma_min, result.accuracy_floor);
  }
  assert.ok(forward32.accuracy_floor > 1e6 * forward64.accuracy_floor, 'the f32 floor is the float one');
});

test('f64 rank at f32: "n/a at f32" (zh "f32 下不适用"), never a number; at f64 the count', () => {
  assert.equal(statisticText('numerical_rank_f64', forward32, text), 'n/a at f32');
  assert.equal(statisticText('numerical_rank_f64', forward32, textZh), 'f32 下不适用');
  assert.equal(statisticText('numerical_rank_f64', forward64, text), String(forward64.numerical_rank_f64));
  assert.equal(statisticText('numerical_rank_f32', forward32, text), String(forward32.numerical_rank_f32));
});

test('sigma_min at or below the floor: "≤ <floor>"; a resolved sigma_min: a plain number', () => {
  for (const result of [forward64, forward32]) {
    const shown = statisticText('sigma_min', result, text);
    assert.match(shown, /^≤ \d/, `${result.precision}: ${shown}`);
    assert.equal(shown, `≤ ${statisticText('sigma_max', { sigma_max: result.accuracy_floor }, text)}`, 'the floor, formatted');
  }
  const resolved = attnrank.analyze({ pattern: 'forward', n: 64, d: 8, seed: 7, scale: 0.25 });
  assert.equal(resolved.sigma_min_is_upper_bound, false);
  assert.ok(resolved.sigma_min > resolved.accuracy_floor);
  assert.match(statisticText('sigma_min', resolved, text), /^\d/);
});

test('spectra chart: exactly the values at or below each floor are greyed; the rule is the core\'s floor', () => {
  const results = new Map([['forward', forward64], ['bidirectional', attnrank.analyze({ pattern: 'bidirectional', n: 64, d: 8, seed: 7 })]]);
  const chart = spectraChart(results, text);
  for (const [pattern, result] of results) {
    const label = text(`pattern.${pattern}`);
    const resolved = chart.series.find((line) => line.label === label);
    const grey = chart.series.find((line) => line.label === `${label}: ${text('chart.below_floor')}`);
    const values = Array.from(result.singular_values);
    const belowCount = values.filter((value) => value <= result.accuracy_floor).length;
    assert.equal(resolved.y.filter(Number.isFinite).length, values.length - belowCount, `${pattern}: resolved points`);
    assert.equal(values.length - belowCount, result.numerical_rank_f64, `${pattern}: the resolved values are the f64 rank`);
    if (belowCount === 0) {
      assert.equal(grey, undefined, `${pattern}: nothing greyed`);
    } else {
      assert.equal(grey.colour, '--muted');
      assert.equal(grey.legend, false);
      const drawn = grey.y.map((value, index) => [index, value]).filter(([, value]) => Number.isFinite(value));
      assert.equal(drawn[0][0], values.length - belowCount - 1, `${pattern}: the grey tail starts at the last resolved value`);
      assert.ok(drawn.slice(1).every(([, value]) => value <= result.accuracy_floor), `${pattern}: grey = below the floor`);
      assert.equal(drawn.length, belowCount + 1);
    }
  }
  assert.ok(chart.series.some((line) => line.label === text('chart.below_floor')), 'a legend entry for the greyed values');
  assert.deepEqual(chart.rules.map((rule) => [rule.label, rule.y]),
    [[text('chart.tol_f64'), Math.max(...[...results.values()].map((result) => result.accuracy_floor))]]);
  const chart32 = spectraChart(new Map([['forward', forward32]]), text);
  assert.deepEqual(chart32.rules.map((rule) => [rule.label, rule.y]), [[text('chart.tol_f32'), forward32.accuracy_floor]],
    'at f32 only the f32 floor: no f64 line');
});

test('sweep: the f64 rank at f32 gives no point and says why; sigma_min bounds are grey points', () => {
  const scales = [0.25, 1, 4];
  const list32 = scales.map((scale) => attnrank.analyze({ pattern: 'forward', n: 64, d: 8, seed: 7, scale, precision: 'f32' }));
  const rank = sweepValuesFor(list32, 'numerical_rank_f64');
  assert.equal(rank.notAtF32, true);
  assert.ok(rank.resolved.every(Number.isNaN) && rank.bounds.every(Number.isNaN), 'no value at all');
  const rank32 = sweepValuesFor(list32, 'numerical_rank_f32');
  assert.deepEqual(rank32.resolved, list32.map((result) => result.numerical_rank_f32));
  const list64 = scales.map((scale) => attnrank.analyze({ pattern: 'forward', n: 64, d: 8, seed: 7, scale }));
  const sigma = sweepValuesFor(list64, 'sigma_min');
  assert.equal(sigma.notAtF32, false);
  list64.forEach((result, index) => {
    if (result.sigma_min_is_upper_bound) {
      assert.ok(Number.isNaN(sigma.resolved[index]));
      assert.equal(sigma.bounds[index], result.accuracy_floor);
    } else {
      assert.equal(sigma.resolved[index], result.sigma_min);
      assert.ok(Number.isNaN(sigma.bounds[index]));
    }
  });
  assert.deepEqual(list64.map((result) => result.sigma_min_is_upper_bound), [false, true, true], 'both kinds occur');
});

test('claims: no f64 rank fact at f32; a sigma_min flagged an upper bound reads "≤"', () => {
  const claims = attnrank.claims({ n: 64, d: 8, seed: 7, precision: 'f32' });
  const facts = claims.claims.flatMap((claim) => claim.verdict.facts);
  assert.ok(!facts.some((fact) => fact.key === 'numerical_rank_f64'), 'no f64 rank among the facts at f32');
  const c4 = claims.claims.find((claim) => claim.id === 'C4');
  const folded = foldBounds(c4.verdict.facts);
  const sigma = folded.find((fact) => fact.key === 'sigma_min');
  assert.equal(sigma.is_upper_bound, true);
  assert.match(factText(sigma, text), /^≤ \d/);
  assert.ok(!folded.some((fact) => fact.key.endsWith('_is_upper_bound')), 'the flag is folded into the value');
  assert.equal(factText({ key: 'x', value: null, format: 'integer' }, text), 'n/a');
});
