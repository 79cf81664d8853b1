// The softmax-raises-rank figure: the rank of the logits against the ranks of softmax(s Q K^T) over a
// sweep of the logit scale s, bidirectional. Its analyses: analyze() at each scale of raisesScales(n).
import { configFor } from '../../state/url-state.mjs';
import { RaisesRankView, raisesScales } from '../raises-rank-view.mjs';
import { byId, chartElements, element } from './elements.mjs';
import { figureEngine } from './engine.mjs';
import { isStale } from './errors.mjs';

export function raisesConfigs(state) {
  return raisesScales(state.n).map((scale) => configFor(state, 'bidirectional', { kind: 'softmax', scale }));
}

// Resolves to the results, scale ascending.
export function computeRaises(engine, state, onProgress) {
  return engine.analyzeAll(raisesConfigs(state), onProgress);
}

// <attn-figure kind="raises-rank">.
export class RaisesRankFigure {
  constructor(body) {
    const progress = element('progress');
    progress.hidden = true;
    const { canvas, legend } = chartElements(body);
    body.prepend(progress);
    this.view = new RaisesRankView({ canvas, legend, progress });
    this.results = null;
    this.scale = 1;
  }

  // The analyze() results, scale ascending (embed/element-api.mjs figureResults).
  get result() { return this.results; }

  async run(context) {
    this.results = await computeRaises(figureEngine(context), context.state, (done, total) => {
      this.view.setProgress(done, total);
      context.progress(done, total);
    });
    this.scale = context.state.scale;
    this.show(context.text);
  }

  show(text) { if (this.results) this.view.show(this.results, this.scale, text); }

  redraw() { this.view.redraw(); }
}

// The explorer's stage 3 (slot `raises`).
export class RaisesRankSection {
  constructor(host) {
    this.host = host;
    this.view = new RaisesRankView({ canvas: byId('raises-chart'), legend: byId('raises-legend'), progress: byId('raises-progress') });
    this.results = null;
  }

  async run(generation) {
    const { host } = this;
    const total = raisesScales(host.state.n).length;
    this.view.setProgress(0, total);
    try {
      const results = await computeRaises(host.engine('raises'), host.state, (done, count) => this.view.setProgress(done, count));
      if (!host.isCurrent(generation)) return;
      this.view.setProgress(total, total);
      this.view.show(results, host.state.scale, host.text);
      this.results = results;
      host.renderWords();
    } catch (error) {
      this.view.setProgress(1, 1);
      if (!isStale(error) && host.isCurrent(generation)) byId('raises-words').dataset.error = host.errorText(error);
    }
  }

  setText(text) { if (this.results) this.view.show(this.results, this.host.state.scale, text); }
}
