// The spectra figure: the singular values of every pattern on one log chart, values at or below each
// result's accuracy floor (the core's) greyed. Its analyses: analyze() of each pattern under the state
// (the patterns figure's, without the matrix): the explorer draws it from the patterns' results, an
// embedded figure asks for them.
import { configFor } from '../../state/url-state.mjs';
import { SpectraView } from '../spectra-view.mjs';
import { byId, chartElements } from './elements.mjs';
import { figureEngine } from './engine.mjs';

// analyze() of each pattern; resolves to Map pattern -> result (the stats figure's analyses too).
export async function computeSpectra(engine, state, patterns, onProgress) {
  const list = await engine.analyzeAll(patterns.map((pattern) => configFor(state, pattern)), onProgress);
  return new Map(patterns.map((pattern, index) => [pattern, list[index]]));
}

// <attn-figure kind="spectra">.
export class SpectraFigure {
  constructor(body) {
    const { canvas, legend } = chartElements(body);
    this.view = new SpectraView(canvas, legend);
    this.results = null;
  }

  // pattern -> its analyze() result (embed/element-api.mjs figureResults).
  get result() { return this.results && Object.fromEntries(this.results); }

  async run(context) {
    this.results = await computeSpectra(figureEngine(context), context.state, context.patterns, context.progress);
    this.show(context.text);
  }

  show(text) { if (this.results) this.view.show(this.results, text); }

  redraw() { this.view.redraw(); }
}

// The explorer's spectra: drawn from the patterns stage's results.
export class SpectraSection {
  constructor(host) {
    this.host = host;
    this.view = new SpectraView(byId('spectra-chart'), byId('spectra-legend'));
    this.results = new Map();
  }

  show(results) {
    this.results = results;
    this.view.show(results, this.host.text);
  }

  setText(text) { if (this.results.size) this.view.show(this.results, text); }
}
