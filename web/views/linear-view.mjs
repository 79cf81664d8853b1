// The linear-attention contrast: softmax and linear attention (feature map phi, or m FAVOR+ features),
// bidirectional and causal (forward), on the same Q, K. Singular values of the four matrices on one log
// chart with the rank bound of bidirectional linear attention (feature_dimension: d, or m) drawn as a
// vertical line, values at or below the core's accuracy floor greyed (as in the spectra view), and a table
// of their ranks. Every number from the core.
import { renderChart } from './chart.mjs';
import { describeChart } from './chart-description.mjs';
import { markStatisticCell, statisticText } from './stats-card.mjs';
import { belowFloorLegend, floorRules, spectrumSeries } from './spectra-view.mjs';
import { fitTable } from './table-fit.mjs';
import { patternColours } from '../state/pattern-registry.mjs';

// The four cases: [id, kind, pattern]. A case's line has its pattern's colour (one colour per pattern,
// issue 17 item 4), dashed for linear attention.
export const linearCases = [
  ['softmax-bidirectional', 'softmax', 'bidirectional'],
  ['softmax-forward', 'softmax', 'forward'],
  ['linear-bidirectional', 'linear', 'bidirectional'],
  ['linear-forward', 'linear', 'forward'],
];
const kLinearDash = [6, 3];

const tableColumns = ['numerical_rank_f64', 'numerical_rank_f32', 'effective_rank', 'sigma_min',
  'condition_number', 'structurally_full_rank'];

// 'softmax, bidirectional' from the kind and pattern names.
function caseLabel(id, text) {
  const [, kind, pattern] = linearCases.find(([caseId]) => caseId === id);
  return `${text(`kind.${kind}`)} \u00b7 ${text(`pattern.${pattern}`)}`;
}

export class LinearView {
  constructor({ canvas, legend, table, error }) {
    this.canvas = canvas;
    this.legend = legend;
    this.table = table;
    this.error = error;
    this.results = new Map();
    this.chart = null;
  }

  // results: Map case id -> result (missing cases are skipped).
  show(results, text) {
    this.results = results;
    this.error.hidden = true;
    const series = [];
    let sigmaLow = Infinity;
    let sigmaHigh = 0;
    let bound = 0;
    let hasBelowFloor = false;
    for (const [id, kind, pattern] of linearCases) {
      const result = results.get(id);
      if (!result) continue;
      const label = caseLabel(id, text);
      const parts = spectrumSeries(result, { label, colour: patternColours[pattern], dash: kind === 'linear' ? kLinearDash : undefined,
        belowLabel: `${label}: ${text('chart.below_floor')}`, text });
      series.push(...parts.series);
      hasBelowFloor ||= parts.hasBelowFloor;
      for (const value of result.singular_values) if (value > 0) sigmaLow = Math.min(sigmaLow, value);
      sigmaHigh = Math.max(sigmaHigh, result.sigma_max);
      bound = Math.max(bound, result.feature_dimension);
    }
    if (bound > 0 && Number.isFinite(sigmaLow)) {
      // A marker line: its ends are drawing coordinates, so its readout names the bound alone.
      series.push({ label: text('chart.rank_bound', { bound }), colour: '--muted', isGuide: true, x: [bound, bound],
        y: [sigmaLow, sigmaHigh], dash: [2, 3], readout: () => text('chart.rank_bound', { bound }) });
    }
    if (hasBelowFloor) series.push(belowFloorLegend(text));
    this.chart = { series, rules: floorRules([...results.values()], text), xLabel: text('chart.index'), yLabel: text('chart.singular_value'), xLog: false, yLog: true, text };
    describeChart(this.canvas, this.legend, this.chart, text);
    this.redraw();
    this.#fillTable(text);
  }

  showError(error) {
    this.error.textContent = error.message;
    this.error.hidden = false;
  }

  redraw() {
    if (this.chart) renderChart(this.canvas, this.legend, this.chart);
  }

  #fillTable(text) {
    const head = document.createElement('thead');
    const headRow = head.insertRow();
    const corner = document.createElement('th');
    corner.scope = 'col';
    corner.textContent = text('linear.case');
    headRow.append(corner);
    for (const key of tableColumns) {
      const cell = document.createElement('th');
      cell.scope = 'col';
      cell.textContent = text(`stat.${key}`);
      headRow.append(cell);
    }
    const body = document.createElement('tbody');
    for (const [id] of linearCases) {
      const result = this.results.get(id);
      if (!result) continue;
      const row = body.insertRow();
      row.dataset.case = id;
      const name = document.createElement('th');
      name.scope = 'row';
      name.textContent = caseLabel(id, text);
      row.append(name);
      for (const key of tableColumns) {
        const cell = row.insertCell();
        cell.dataset.key = key;
        cell.dataset.value = JSON.stringify(result[key] ?? null);
        cell.textContent = statisticText(key, result, text);
        markStatisticCell(cell, key, result, text);
      }
    }
    this.table.replaceChildren(head, body);
    fitTable(this.table);
  }
}
