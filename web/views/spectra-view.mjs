// The spectra view: the singular values of every shown pattern on one log-scale chart. The values at or
// below the core's accuracy floor (`accuracy_floor` of each result: s_1 n eps of the precision the
// pipeline ran in, design.md section 3) are rounding noise: they are drawn greyed, and a dotted rule
// marks the floor. Nothing is computed here: the floor, the ranks and the flags all come from the core;
// the rule is a drawing coordinate, placed at the largest floor of the shown results of each precision.
import { seriesShape } from '../render/series-palette.mjs';
import { patternColours, patternNames } from '../state/pattern-registry.mjs';
import { renderChart } from './chart.mjs';
import { formatReal } from './format.mjs';
import { describeChart } from './chart-description.mjs';

// The patterns' series colours and display order: the core's pattern registry.
export { patternColours };

const kBelowFloorColour = '--muted';

// Whether the core's result says its i-th singular value is at or below its accuracy floor (the same
// comparison as the core's sigma_min_is_upper_bound, s <= floor). false when the result has no floor.
export function isBelowFloor(result, value) {
  return typeof result.accuracy_floor === 'number' && value <= result.accuracy_floor;
}

// The chart series of one result's spectrum: the resolved values in the series' colour and marker shape, the values at or
// below the floor greyed (a second series, left out of the legend, joined to the last resolved point;
// belowLabel names it for readers of the chart description; its readout gives the floor as a bound, never
// the computed value, worded by text when given). Returns { series: [...], hasBelowFloor }.
export function spectrumSeries(result, { label, colour, dash, belowLabel = label, text = null }) {
  const values = Array.from(result.singular_values);
  const x = values.map((_, index) => index + 1);
  const below = values.map((value) => isBelowFloor(result, value));
  const first = below.indexOf(true);  // singular values descend: the noise is a tail
  const resolved = { label, colour, dash, shape: seriesShape(colour), x, y: values.map((value, index) => (below[index] ? NaN : value)) };
  if (first < 0) return { series: [resolved], hasBelowFloor: false };
  const start = Math.max(0, first - 1);
  // Full length (NaN before the tail), so the chart's dots-on-short-series default treats both alike.
  const noise = { label: belowLabel, colour: kBelowFloorColour, dash, legend: false, x,
    y: values.map((value, index) => (index >= start ? value : NaN)),
    boundAt: (k) => (below[k] ? { relation: 'upper', value: result.accuracy_floor } : null) };
  if (text) {
    // Point `first - 1` joins the grey tail to the resolved line: it is a value, read as one.
    noise.readout = (k) => (below[k] ? text('readout.below_floor', { series: label, index: k + 1,
      floor: formatReal(result.accuracy_floor) }) : text('readout.point', { series: label, x_label: text('chart.index'),
      x: k + 1, y_label: text('chart.singular_value'), y: formatReal(values[k]) }));
    noise.bound = 'upper';
  }
  return { series: [resolved, noise], hasBelowFloor: true };
}

// The dotted floor rules: one per precision among the results, at the largest floor of that precision.
export function floorRules(results, text) {
  const largest = new Map();
  for (const result of results) {
    if (typeof result.accuracy_floor !== 'number') continue;
    const precision = result.precision === 'f32' ? 'f32' : 'f64';
    largest.set(precision, Math.max(largest.get(precision) ?? 0, result.accuracy_floor));
  }
  return [...largest].map(([precision, y]) => ({ y, label: text(`chart.tol_${precision}`), colour: kBelowFloorColour }));
}

// A legend entry (no data) for the greyed values, when some value is below its floor.
export function belowFloorLegend(text) {
  return { label: text('chart.below_floor'), colour: kBelowFloorColour, x: [], y: [] };
}

// results: Map pattern -> analyze() result. Returns the chart description (also used for export).
export function spectraChart(results, text) {
  const series = [];
  let hasBelowFloor = false;
  // The patterns' own order (the results arrive in completion order), so the legend reads the same each time.
  const ordered = [...results].sort(([a], [b]) => patternNames.indexOf(a) - patternNames.indexOf(b));
  for (const [pattern, result] of ordered) {
    const label = text(`pattern.${pattern}`);
    const parts = spectrumSeries(result, { label, colour: patternColours[pattern],
      belowLabel: `${label}: ${text('chart.below_floor')}`, text });
    series.push(...parts.series);
    hasBelowFloor ||= parts.hasBelowFloor;
  }
  if (hasBelowFloor) series.push(belowFloorLegend(text));
  return { series, rules: floorRules([...results.values()], text), xLabel: text('chart.index'),
    yLabel: text('chart.singular_value'), xLog: false, yLog: true, text };
}

export class SpectraView {
  constructor(canvas, legend) {
    this.canvas = canvas;
    this.legend = legend;
    this.chart = null;
  }

  show(results, text) {
    this.chart = spectraChart(results, text);
    describeChart(this.canvas, this.legend, this.chart, text);
    this.redraw();
  }

  redraw() {
    if (this.chart) renderChart(this.canvas, this.legend, this.chart);
  }
}
