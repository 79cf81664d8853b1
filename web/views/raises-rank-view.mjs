// "Softmax raises rank": for bidirectional softmax attention on the current Q, K, the rank of the logits
// S = s Q K^T / sqrt(d) (at most d) against the numerical (f64, f32) and effective rank of softmax(S), as
// the logit scale s varies over a sweep. Rules at d and n; a vertical line at the current s. Every value
// from the core (logits_rank, numerical_rank_*, effective_rank). At f32 the core reports no f64 rank
// (null): that series has no points and its legend entry says "n/a at f32". The quantities are not patterns:
// each has a colour and marker of its own (series-palette.mjs quantityPalette), and the log s axis is
// labelled at the swept scales as the sweep chart's is (sweep-view.mjs sweepAxis).
import { seriesShape } from '../render/series-palette.mjs';
import { renderChart } from './chart.mjs';
import { describeChart } from './chart-description.mjs';
import { isNotAtF32 } from './stats-card.mjs';
import { sweepAxis } from './sweep-view.mjs';

// Logit scales of the sweep: powers of two; fewer at large n, where one analysis takes ~1 s.
export function raisesScales(n) {
  const exponents = n > 384 ? [-4, -2, 0, 2, 4, 6] : [-4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6];
  return exponents.map((exponent) => 2 ** exponent);
}

const seriesKeys = [
  ['logits_rank', '--quantity-logits', [4, 3]],
  ['numerical_rank_f64', '--quantity-rank-f64', undefined],
  ['numerical_rank_f32', '--quantity-rank-f32', undefined],
  ['effective_rank', '--quantity-effective', undefined],
];

// The chart of results (analyze() over the sweep, scale ascending) at the page's scale currentScale, in the
// words of text(key, params): { series, xLabel, yLabel, xLog, xTicks, yLog, rules, text }. Pure: no DOM.
export function raisesChart(results, currentScale, text) {
  const scales = results.map((result) => result.scale);
  const series = seriesKeys.map(([key, colour, dash]) => {
    const missing = results.some((result) => isNotAtF32(key, result));
    return { label: missing ? `${text(`stat.${key}`)}: ${text('value.not_at_f32')}` : text(`stat.${key}`), colour, dash,
      shape: seriesShape(colour), marker: true, x: scales,
      y: results.map((result) => (isNotAtF32(key, result) ? NaN : result[key])) };
  });
  const { n, d } = results[0];
  // A marker line: its ends are drawing coordinates, so its readout names the scale alone.
  series.push({ label: text('raises.current', { s: currentScale }), colour: '--muted', dash: [2, 3], isGuide: true,
    x: [currentScale, currentScale], y: [1, n], readout: () => text('raises.current', { s: currentScale }) });
  const { xLog, xTicks } = sweepAxis(scales);
  return { series, xLabel: text('chart.scale'), yLabel: text('chart.rank'), xLog, xTicks, yLog: true,
    rules: [{ y: d, label: `d = ${d}`, colour: '--muted' }, { y: n, label: `n = ${n}`, colour: '--muted' }], text };
}

export class RaisesRankView {
  constructor({ canvas, legend, progress }) {
    this.canvas = canvas;
    this.legend = legend;
    this.progress = progress;
    this.chart = null;
    this.results = [];
  }

  setProgress(done, total) {
    this.progress.hidden = done >= total;
    this.progress.max = total;
    this.progress.value = done;
  }

  // results: analyze() results over the sweep (scale ascending); currentScale: the page's s.
  show(results, currentScale, text) {
    this.results = results;
    this.chart = raisesChart(results, currentScale, text);
    describeChart(this.canvas, this.legend, this.chart, text);
    this.redraw();
  }

  redraw() {
    if (this.chart) renderChart(this.canvas, this.legend, this.chart);
  }
}
