// One place where the views hand a chart description to the line-chart renderer and its legend, so the
// views share one call shape: { series, rules, xLabel, yLabel, xLog, yLog }. A series with legend: false
// (the greyed part of a spectrum, bounds in a sweep) is drawn but has no legend entry of its own.
import { drawLineChart, lineChartLegend } from '../render/line-chart.mjs';

export function renderChart(canvas, legend, chart) {
  drawLineChart(canvas, chart);
  if (legend) lineChartLegend(legend, chart.series.filter((line) => line.legend !== false));
}
