// The words a chart gives readers who cannot see it (web/views/chart-description.mjs): a singular value at
// or below its accuracy floor is rounding noise, so the summary and the data table give the floor as a
// bound ("<= floor") and never the computed number (the quality bar: a value below its accuracy floor is a
// bound, not a number). Before this test the summary read "lowest 1.63e-16 (... below the accuracy floor)".
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { chartSummary, pointValueText, tableCellText } from '../../web/views/chart-description.mjs';
import { spectrumSeries } from '../../web/views/spectra-view.mjs';

// A text() that shows the summary's parameters, so the test reads what would be worded.
const text = (key, params = {}) => `${key} ${JSON.stringify(params)}`;

function spectrumChart() {
  const result = { singular_values: Float64Array.from([2, 1, 0.5, 3e-15, 1.63e-16]), accuracy_floor: 2.37e-14 };
  const { series } = spectrumSeries(result, { label: 'forward', colour: '--series-3', belowLabel: 'forward: below', text });
  return { series, xLabel: 'index', yLabel: 'sigma', yLog: true };
}

test('the summary takes its extremes over values and never prints a value below the floor', () => {
  const summary = chartSummary(spectrumChart(), text);
  const params = JSON.parse(summary.slice(summary.indexOf('{')));
  assert.equal(params.high, '2');
  assert.equal(params.low, '0.5', 'the lowest value above the floor, not the noise');
  assert.ok(!summary.includes('1.63') && !summary.includes('3e-15') && !summary.includes('3×10'), summary);
});

test('a point below the floor reads as the floor with its relation, in the summary words and the table', () => {
  const bound = { x: 5, y: 1.63e-16, bound: { relation: 'upper', value: 2.37e-14 } };
  assert.match(pointValueText(bound), /^≤ 2\.37/);
  assert.match(tableCellText(bound), /^≤ 2\.37/);
  assert.match(tableCellText({ x: 5, y: 4, bound: { relation: 'lower', value: 4 } }), /^≥ 4/);
  assert.equal(tableCellText({ x: 1, y: 0.123456789, bound: null }), '0.123457');
});

test('the grey tail says which of its points are bounds: the joining point is a value', () => {
  const [, noise] = spectrumChart().series;
  assert.equal(noise.boundAt(2), null, 'sigma_3 = 0.5 joins the tail to the resolved line: a value');
  assert.deepEqual(noise.boundAt(3), { relation: 'upper', value: 2.37e-14 });
  assert.deepEqual(noise.boundAt(4), { relation: 'upper', value: 2.37e-14 });
});
