// The sweep view: one statistic (any numeric key of the result) against n, d or the logit scale, one
// series per pattern, with progress and cancel. Changing the statistic re-plots the kept results; it
// never recomputes. Values from the core only. A value the core flags as a bound (sigma_min at or below
// the accuracy floor: an upper bound; the condition number there: a lower bound) is a grey point, with a
// note saying so; the f64 rank of an f32 sweep (null from the core) is no point at all, with a note why.
import { seriesShape } from '../render/series-palette.mjs';
import { renderChart } from './chart.mjs';
import { formatReal } from './format.mjs';
import { isNotAtF32, statisticBounds, upperBoundText } from './stats-card.mjs';
import { describeChart } from './chart-description.mjs';
import { patternColours } from './spectra-view.mjs';

// The statistics it offers are the registry's sweep_stat choices (state/parameters.mjs), the controls'
// select is built from them (control-fields.mjs).

const axisKeys = { n: 'control.n', d: 'control.d', scale: 'chart.scale' };

// Statistics spanning many decades: plotted on a log axis.
const logStatistics = new Set(['sigma_min', 'condition_number']);
// The x axis labels the swept values themselves (a sweep over 0.25 ... 4 spans less than two decades, whose
// decade ticks would label only "1"): every one up to this many, else every k-th so that at most this many.
const kMaxValueTicks = 12;

// The x axis of a sweep over `values`: every axis (n, d, the logit scale) is swept by factors, so a log axis
// when every value is positive, ticks at the values themselves.
export function sweepAxis(values) {
  const xLog = values.length > 0 && values.every((value) => value > 0);
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  const every = Math.ceil(distinct.length / kMaxValueTicks);
  return { xLog, xTicks: distinct.filter((value, index) => index % every === 0) };
}

// The core's flag saying a statistic's value is only a bound (the core's table: statisticBounds), and the
// note that explains the grey points (sweep.upper_bounds, sweep.lower_bounds).
const boundNote = (stat) => `sweep.${statisticBounds[stat].bound}_bounds`;
const kBoundColour = '--muted';

// The y values of one pattern's results for stat: [resolved (NaN where a bound or missing), bounds (NaN
// elsewhere)], and whether any value is n/a at f32.
export function sweepValuesFor(list, stat) {
  const flag = statisticBounds[stat]?.flag;
  const resolved = [];
  const bounds = [];
  let notAtF32 = false;
  for (const result of list) {
    const value = result && !isNotAtF32(stat, result) ? result[stat] ?? NaN : NaN;
    if (result && isNotAtF32(stat, result)) notAtF32 = true;
    const isBound = Boolean(flag && result?.[flag] === true);
    resolved.push(isBound ? NaN : value);
    bounds.push(isBound ? value : NaN);
  }
  return { resolved, bounds, notAtF32 };
}

export class SweepView {
  constructor({ canvas, legend, progress, status, runButton, cancelButton }) {
    Object.assign(this, { canvas, legend, progress, status, runButton, cancelButton });
    this.sweep = null;  // { over, values, patterns, results: Map pattern -> result[] }
    this.chart = null;
    // What the chart cannot say by itself: no values (f64 rank at f32), grey points are bounds.
    this.note = document.createElement('p');
    this.note.className = 'chart-note';
    this.note.hidden = true;
    const anchor = legend ?? canvas;  // after the <figure> when the legend is its <figcaption>
    (anchor.parentElement?.tagName === 'FIGURE' ? anchor.parentElement : anchor).after(this.note);
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
    let notAtF32 = false;
    let hasBounds = false;
    for (const [pattern, list] of results) {
      const y = sweepValuesFor(list, stat);
      const label = text(`pattern.${pattern}`);
      series.push({ label, colour: patternColours[pattern], shape: seriesShape(patternColours[pattern]), marker: true, x: values, y: y.resolved });
      if (y.bounds.some(Number.isFinite)) {
        hasBounds = true;
        const bound = statisticBounds[stat].bound;
        const boundText = (value) => (bound === 'upper' ? upperBoundText(formatReal(value))
          : text('value.lower_bound', { value: formatReal(value) }));
        series.push({ label: `${label} (${text('chart.below_floor')})`, colour: kBoundColour, marker: true,
          legend: false, dash: [2, 3], x: values, y: y.bounds, bound,
          boundAt: (k) => (Number.isFinite(y.bounds[k]) ? { relation: bound, value: y.bounds[k] } : null),
          readout: (k) => text('readout.bound', { series: label, x_label: text(axisKeys[over]), x: formatReal(values[k]),
            y_label: text(`stat.${stat}`), bound: boundText(y.bounds[k]) }) });
      }
      notAtF32 ||= y.notAtF32;
    }
    const noteKey = notAtF32 ? 'sweep.not_at_f32' : hasBounds ? boundNote(stat) : null;
    this.note.hidden = noteKey === null;
    this.note.textContent = noteKey ? text(noteKey) : '';
    this.note.dataset.note = noteKey ?? '';
    this.canvas.dataset.values = values.join(',');
    this.canvas.dataset.stat = stat;
    const { xLog, xTicks } = sweepAxis(values);
    this.canvas.dataset.xLog = String(xLog);
    this.chart = { series, rules: [], xLabel: text(axisKeys[over]), yLabel: text(`stat.${stat}`),
      xLog, xTicks, yLog: logStatistics.has(stat), text };
    describeChart(this.canvas, this.legend, this.chart, text);
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
