// The spectra view: the singular values of every shown pattern on one log-scale chart, with the f64 and
// f32 tolerance lines tol = s_1 n eps (design.md section 3). The ranks themselves come from the core;
// the two lines are drawing coordinates only, placed at the largest s_1 of the shown patterns.
import { renderChart } from './chart.mjs';

const kEpsilonF64 = 2 ** -52;
const kEpsilonF32 = 2 ** -23;

export const patternColours = {
  bidirectional: '--series-1',
  prefix: '--series-2',
  forward: '--series-3',
  backward: '--series-4',
  window: '--series-5',
  forward_window: '--series-6',
};

// results: Map pattern -> analyze() result. Returns the chart description (also used for export).
export function spectraChart(results, text) {
  const series = [];
  let sigmaMax = 0;
  let n = 0;
  for (const [pattern, result] of results) {
    const values = Array.from(result.singular_values);
    series.push({ label: text(`pattern.${pattern}`), colour: patternColours[pattern],
      x: values.map((_, index) => index + 1), y: values });
    sigmaMax = Math.max(sigmaMax, result.sigma_max);
    n = Math.max(n, result.n);
  }
  const rules = n > 0 ? [
    { y: sigmaMax * n * kEpsilonF64, label: text('chart.tol_f64'), colour: '--muted' },
    { y: sigmaMax * n * kEpsilonF32, label: text('chart.tol_f32'), colour: '--muted' },
  ] : [];
  return { series, rules, xLabel: text('chart.index'), yLabel: text('chart.singular_value'), xLog: false, yLog: true };
}

export class SpectraView {
  constructor(canvas, legend) {
    this.canvas = canvas;
    this.legend = legend;
    this.chart = null;
  }

  show(results, text) {
    this.chart = spectraChart(results, text);
    this.redraw();
  }

  redraw() {
    if (this.chart) renderChart(this.canvas, this.legend, this.chart);
  }
}
