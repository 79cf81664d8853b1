// The linear-attention figure: softmax against linear attention, bidirectional and causal (forward), on
// the same Q and K. Its analyses: analyze() of the four cases of linearCases under the state (softmax
// cases are the patterns' own configs, so the explorer reuses their results).
import { configFor } from '../../state/url-state.mjs';
import { LinearView, linearCases } from '../linear-view.mjs';
import { byId, chartElements, element, tableElements } from './elements.mjs';
import { figureEngine } from './engine.mjs';
import { isStale } from './errors.mjs';

export function linearConfigs(state) {
  return linearCases.map(([, kind, pattern]) => configFor(state, pattern, { kind }));
}

// Resolves to Map case id -> result.
export async function computeLinear(engine, state, onProgress) {
  const list = await engine.analyzeAll(linearConfigs(state), onProgress);
  return new Map(linearCases.map(([id], index) => [id, list[index]]));
}

// <attn-figure kind="linear">.
export class LinearFigure {
  constructor(body) {
    const { canvas, legend } = chartElements(body);
    const { scroll, table } = tableElements('table.linear');
    const error = element('p', 'figure-error', 'error');
    error.hidden = true;
    body.append(scroll, error);
    this.view = new LinearView({ canvas, legend, table, error });
    this.results = null;
  }

  // case -> its analyze() result (embed/element-api.mjs figureResults).
  get result() { return this.results && Object.fromEntries(this.results); }

  async run(context) {
    this.results = await computeLinear(figureEngine(context), context.state, context.progress);
    this.show(context.text);
  }

  show(text) { if (this.results) this.view.show(this.results, text); }

  redraw() { this.view.redraw(); }
}

// The explorer's stage 2 (slot `linear`).
export class LinearSection {
  constructor(host) {
    this.host = host;
    this.view = new LinearView({ canvas: byId('linear-chart'), legend: byId('linear-legend'), table: byId('linear-table'),
      error: byId('linear-error') });
  }

  get results() { return this.view.results; }

  async run(generation) {
    const { host } = this;
    let results;
    try {
      results = await computeLinear(host.engine('linear'), host.state);
    } catch (error) {
      if (!isStale(error) && host.isCurrent(generation)) this.view.showError({ message: host.errorText(error) });
      return;
    }
    if (!host.isCurrent(generation)) return;
    this.view.show(results, host.text);
    host.renderWords();
  }

  setText(text) { if (this.view.results.size) this.view.show(this.view.results, text); }
}
