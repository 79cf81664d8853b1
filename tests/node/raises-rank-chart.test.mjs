// node --test on the "softmax raises rank" chart (issue 17 review, item 1), pure: raisesChart() and the line
// chart's scene, no DOM. Its log s axis is labelled at the swept scales as the sweep chart's is, a regular
// subset where they would overprint (before: decade ticks, of which a narrow chart labelled only "1"); its
// series are quantities, drawn in the quantities' own colours (series-palette.mjs quantityPalette), none a
// pattern's. Fails on the old view: the pattern colours --series-6/1/2/3 and no raisesChart.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { lineChartScene } from '../../web/render/line-chart.mjs';
import { quantityPalette, seriesPalette } from '../../web/render/series-palette.mjs';
import { raisesChart, raisesScales } from '../../web/views/raises-rank-view.mjs';

before(() => {
  // The scene reads its colours through getComputedStyle: none here, so the renderer's fallbacks.
  globalThis.getComputedStyle = () => ({ getPropertyValue: () => '' });
});

const text = (key, params) => (params ? `${key} ${JSON.stringify(params)}` : key);
const measure = (label, size) => 0.6 * size * label.length;  // a stand-in font: 0.6 em per character

// Results shaped as analyze()'s, over raisesScales(n).
function results(n, d = 8) {
  return raisesScales(n).map((scale, index) => ({ scale, n, d, precision: 'f64', logits_rank: d,
    numerical_rank_f64: Math.min(n, d + 4 * index), numerical_rank_f32: Math.min(n, d + 3 * index), effective_rank: d + index }));
}

// The x tick labels the scene draws: its text items under the plot area, left to right, with their extents.
function xLabels(scene) {
  const { area } = scene;
  return scene.items.filter((item) => item.type === 'text' && item.baseline === 'top' && !item.rotate
    && item.y > area.top + area.height && item.y < area.top + area.height + 12)
    .map((item) => ({ label: item.text, left: item.x - measure(item.text, item.size) / 2, right: item.x + measure(item.text, item.size) / 2 }))
    .sort((a, b) => a.left - b.left);
}

test('the log s axis is labelled at the swept scales, a regular subset when narrow, never overprinted', () => {
  for (const n of [64, 512]) {
    const chart = raisesChart(results(n), 1, text);
    assert.equal(chart.xLog, true);
    assert.deepEqual(chart.xTicks, raisesScales(n), `n = ${n}: ticks at the swept scales`);
    for (const width of [720, 330]) {
      const scene = lineChartScene({}, chart, { width, height: 300, measure });
      const labels = xLabels(scene);
      assert.deepEqual(labels.map((label) => label.label), scene.x.labels, 'the scene reports the labels it draws');
      assert.ok(labels.length >= 3, `n = ${n}, ${width} px: ${labels.length} labels (${scene.x.labels.join(', ')})`);
      assert.ok(labels.some((label) => label.label !== '1' && label.label !== '10' && label.label !== '0.1'),
        `n = ${n}, ${width} px: labels other than decades: ${scene.x.labels.join(', ')}`);
      for (let k = 1; k < labels.length; ++k) {
        assert.ok(labels[k - 1].right < labels[k].left, `n = ${n}, ${width} px: ${labels[k - 1].label} and ${labels[k].label} overprint`);
      }
    }
    const wide = lineChartScene({}, chart, { width: 720, height: 300, measure });
    assert.equal(wide.x.labels.length, raisesScales(n).length, `n = ${n}: at 720 px every scale is labelled`);
  }
});

test('the ranks are drawn in the quantities\' own colours and markers, none a pattern\'s', () => {
  const chart = raisesChart(results(64), 1, text);
  const quantities = chart.series.filter((series) => !series.isGuide);
  assert.equal(quantities.length, 4);
  const own = quantityPalette.map((entry) => entry.property);
  const patterns = seriesPalette.map((entry) => entry.property);
  for (const series of quantities) {
    assert.ok(own.includes(series.colour), `${series.label}: ${series.colour} is a quantity colour`);
    assert.ok(!patterns.includes(series.colour), `${series.label}: ${series.colour} is a pattern's colour`);
    assert.ok(series.shape, `${series.label}: a marker shape`);
  }
  assert.equal(new Set(quantities.map((series) => series.colour)).size, 4, 'one colour per quantity');
  assert.equal(new Set(quantities.map((series) => series.shape)).size, 4, 'one marker per quantity');
});
