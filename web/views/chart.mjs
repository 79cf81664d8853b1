// One place where the views hand a chart description to the line-chart renderer and its legend, so the
// views share one call shape: { series, rules, xLabel, yLabel, xLog, yLog }. A series with legend: false
// (the greyed part of a spectrum, bounds in a sweep) is drawn but has no legend entry of its own. Every
// chart gets a readout (views/readout.mjs: the point under the pointer or the keyboard cursor, in words
// from text()).
import { lineChartLegend } from '../render/line-chart.mjs';
import { drawChartWithReadout } from './readout.mjs';

// chart.text(key, params): the page's words, for the readout.
// The canvas records the x tick labels drawn (data-x-labels, ' | ' between them), for tests and readers of the DOM.
export function renderChart(canvas, legend, chart) {
  const drawn = drawChartWithReadout(canvas, chart, chart.text);
  canvas.dataset.xLabels = drawn.x.labels.join(' | ');
  if (legend) lineChartLegend(legend, legendSeries(chart));
}

// The series that have a legend entry.
export function legendSeries(chart) {
  return chart.series.filter((line) => line.legend !== false);
}
