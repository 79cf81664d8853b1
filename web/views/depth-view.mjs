// The depth view (issue 6): rank collapse across L layers of random attention (docs/depth.md). A log
// chart of the chosen per-layer residual (relative, composite, path, random path) against the layer, one
// series per pattern, and a heatmap of the forward (causal) product P_l = A_l ... A_1 over depth: row l
// is P_l[:, 0], the weight every token gives token 0, which tends to 1 as each token comes to copy
// token 0. Every number from the core's collapse() (asked by web/views/figures/depth.mjs); drawing only here.
import { kAttentionRange } from '../render/colormap.mjs';
import { drawHeatmap, heatmapLegend } from '../render/heatmap.mjs';
import { renderChart } from './chart.mjs';
import { formatReal } from './format.mjs';
import { heatmapReadout } from './readout.mjs';
import { describeChart } from './chart-description.mjs';
import { depthPatterns } from '../state/pattern-registry.mjs';
import { seriesShape } from '../render/series-palette.mjs';
import { depthMetrics, depthVariants } from '../state/url-state.mjs';

// depthPatterns: [[schedule id, series colour], ...] in drawing order, from the core's pattern registry
// (its depth schedules: every fixed pattern and the named cycles such as forward_backward).
export { depthMetrics, depthPatterns, depthVariants };

// Rows (layers 0..L) x columns (tokens) of values in [0, 1], linear viridis over [0, 1], top row = layer 0,
// with layer and token ticks, its colour bar (a canvas made beside the heatmap the first time) and a
// readout of each cell.
function drawDepthHeatmap(canvas, values, rows, columns, text) {
  let legend = canvas.nextElementSibling;
  if (!legend?.classList.contains('heatmap-legend')) {
    legend = canvas.ownerDocument.createElement('canvas');
    legend.className = 'heatmap-legend';
    legend.setAttribute('part', 'legend');
    legend.setAttribute('aria-hidden', 'true');
    legend.width = 240;
    legend.height = 24;
    canvas.after(legend);
  }
  const range = drawHeatmap(canvas, { data: values, n: rows, columns, colour: 'linear', range: kAttentionRange,
    axes: { rows: text()('depth.heatmap_rows'), columns: text()('depth.heatmap_columns') } });
  heatmapLegend(legend, { ...range, label: text()('colour.depth'), under: canvas });
  heatmapReadout(canvas, legend, () => ({ data: values, n: rows, columns,
    describe: (layer, token, value) => text()('readout.depth_cell', { layer, token, value: formatReal(value) }) }));
}

export class DepthView {
  constructor({ canvas, legend, heatmap }) {
    Object.assign(this, { canvas, legend, heatmap });
    this.results = null;  // Map pattern -> collapse() result
    this.metric = 'relative_residual';
    this.chart = null;
  }

  // results: Map pattern -> collapse() result; metric: a per-layer key of the result.
  show(results, metric, text) {
    this.results = results;
    this.metric = metric;
    const series = [];
    const last = {};
    for (const [pattern, colour] of depthPatterns) {
      const result = results.get(pattern);
      if (!result) continue;
      const values = Array.from(result[metric]);
      // A marker shape per pattern (seven lines that meet as they collapse): every layer up to 33, else sparse.
      series.push({ label: text(`pattern.${pattern}`), colour, shape: seriesShape(colour), marker: values.length <= 33 || undefined,
        x: values.map((_, layer) => layer), y: values });
      last[pattern] = values.at(-1);
    }
    // What was drawn, for readers of the DOM (tests): the last layer's value per pattern.
    this.canvas.dataset.metric = metric;
    this.canvas.dataset.last = JSON.stringify(last);
    this.text = text;
    this.chart = { series, rules: [], xLabel: text('chart.layer'), yLabel: text(`depth.metric.${metric}`), xLog: false, yLog: true,
      text };
    describeChart(this.canvas, this.legend, this.chart, text);
    this.heatmap.setAttribute('aria-label', text('depth.heatmap_label'));
    this.redraw();
  }

  redraw() {
    if (!this.chart) return;
    renderChart(this.canvas, this.legend, this.chart);
    const forward = this.results?.get('forward');
    if (forward && this.heatmap) {
      drawDepthHeatmap(this.heatmap, forward.path_first_column, forward.layers + 1, forward.n, () => this.text);
      this.heatmap.dataset.rows = String(forward.layers + 1);
      this.heatmap.dataset.lastRowMin = String(Math.min(...forward.path_first_column.slice(forward.layers * forward.n)));
    }
  }
}
