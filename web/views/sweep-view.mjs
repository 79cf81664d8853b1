// The sweep view: one statistic (any numeric key of the result) against n, d or the logit scale, one
// series per pattern, with progress and cancel. Changing the statistic re-plots the kept results; it
// never recomputes. Values from the core only.
import { renderChart } from './chart.mjs';
import { patternColours } from './spectra-view.mjs';

export const sweepStatistics = ['numerical_rank_f64', 'numerical_rank_f32', 'effective_rank', 'stable_rank',
  'energy_rank_99', 'sigma_max', 'sigma_min', 'condition_number', 'log_abs_det', 'logits_rank'];

const axisKeys = { n: 'control.n', d: 'control.d', scale: 'chart.scale' };

// Statistics spanning many decades: plotted on a log axis.
const logStatistics = new Set(['sigma_min', 'condition_number']);

export class SweepView {
  constructor({ canvas, legend, progress, status, runButton, cancelButton }) {
    Object.assign(this, { canvas, legend, progress, status, runButton, cancelButton });
    this.sweep = null;  // { over, values, patterns, results: Map pattern -> result[] }
    this.chart = null;
  }

  setRunning(isRunning) {
    this.runButton.disabled = isRunning;
    this.cancelButton.disabled = !isRunning;
  }

  setProgress(done, total, text) {
    this.progress.max = Math.max(1, total);
    this.progress.value = done;
    this.status.textContent = text('progress.count', { done, total });
  }

  setStatus(message) {
    this.status.textContent = message;
  }

  // sweep: { over, values, patterns, results: Map pattern -> result[] (same order as values) }.
  show(sweep, stat, text) {
    this.sweep = sweep;
    this.plot(stat, text);
  }

  plot(stat, text) {
    if (!this.sweep) return;
    const { over, values, results } = this.sweep;
    const series = [];
    for (const [pattern, list] of results) {
      series.push({ label: text(`pattern.${pattern}`), colour: patternColours[pattern], marker: true, x: values,
        y: list.map((result) => (result ? result[stat] ?? NaN : NaN)) });
    }
    const positive = values.every((value) => value > 0);
    this.canvas.dataset.values = values.join(',');
    this.canvas.dataset.stat = stat;
    this.chart = { series, rules: [], xLabel: text(axisKeys[over]), yLabel: text(`stat.${stat}`),
      xLog: over === 'scale' && positive, yLog: logStatistics.has(stat) };
    this.redraw();
  }

  redraw() {
    if (this.chart) renderChart(this.canvas, this.legend, this.chart);
  }

  // Rows for CSV/JSON export: one per (pattern, value).
  rows() {
    if (!this.sweep) return [];
    const rows = [];
    for (const [pattern, list] of this.sweep.results) {
      list.forEach((result, index) => { if (result) rows.push({ pattern, [this.sweep.over]: this.sweep.values[index], ...result }); });
    }
    return rows;
  }
}
