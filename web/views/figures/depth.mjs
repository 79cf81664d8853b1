// The depth figure (embed kind "collapse"): rank collapse across L layers of random attention, one
// collapse() per depth schedule of the pattern registry, each on its own sub-slot (`<slot>:<pattern>`).
import { depthPatterns } from '../../state/pattern-registry.mjs';
import { collapseConfigFor } from '../../state/url-state.mjs';
import { DepthView } from '../depth-view.mjs';
import { byId, chartElements, element } from './elements.mjs';
import { figureEngine } from './engine.mjs';
import { isStale } from './errors.mjs';

// The explorer runs it by itself while its O(n^3 L) path products stay cheap (n = 128, L = 24: ~1 s).
const kAutoDepthCost = 128 ** 3 * 24;

// collapse() of every depth pattern under state; onProgress(done, total). Resolves to a Map pattern ->
// result in drawing order.
export async function computeDepth(engine, state, onProgress = () => {}) {
  const patterns = depthPatterns.map(([pattern]) => pattern);
  let done = 0;
  onProgress(done, patterns.length);
  const list = await Promise.all(patterns.map(async (pattern) => {
    const result = await engine.request(pattern, 'collapse', collapseConfigFor(state, pattern));
    onProgress(++done, patterns.length);
    return result;
  }));
  return new Map(patterns.map((pattern, index) => [pattern, list[index]]));
}

// <attn-figure kind="collapse">.
export class CollapseFigure {
  constructor(body) {
    const { canvas, legend } = chartElements(body);
    const heatmap = element('canvas', 'depth-heatmap', 'heatmap');
    heatmap.setAttribute('role', 'img');
    body.append(heatmap);
    this.view = new DepthView({ canvas, legend, heatmap });
    this.results = null;
    this.metric = 'relative_residual';
  }

  // pattern -> its collapse() result (embed/element-api.mjs figureResults).
  get result() { return this.results && Object.fromEntries(this.results); }

  async run(context) {
    this.results = await computeDepth(figureEngine(context), context.state, context.progress);
    this.metric = context.state.depth_metric;
    this.show(context.text);
  }

  show(text) { if (this.results) this.view.show(this.results, this.metric, text); }

  redraw() { this.view.redraw(); }
}

// The explorer's stage 4 (slots `depth:<pattern>`).
export class DepthSection {
  constructor(host) {
    this.host = host;
    this.view = new DepthView({ canvas: byId('depth-chart'), legend: byId('depth-legend'), heatmap: byId('depth-heatmap') });
    this.results = null;
    this.runs = 0;  // run() calls so far: only the latest one disables the Cancel button
    byId('depth-run').addEventListener('click', () => this.run(host.generation));
    byId('depth-cancel').addEventListener('click', () => this.cancel());
  }

  isCheap() {
    return this.host.state.n ** 3 * this.host.state.layers <= kAutoDepthCost;
  }

  slots() {
    return depthPatterns.map(([pattern]) => `depth:${pattern}`);
  }

  cancel() {
    for (const slot of this.slots()) this.host.pool.cancel(slot);
  }

  async run(generation) {
    const { host } = this;
    const status = byId('depth-status');
    const started = performance.now();
    const run = ++this.runs;
    host.clearStageError('layers');
    byId('depth-cancel').disabled = false;
    try {
      const results = await computeDepth(host.engine('depth'), host.state, (done, total) => {
        if (host.isCurrent(generation)) status.textContent = host.text('depth.computing', { done, total });
      });
      if (!host.isCurrent(generation)) return;
      this.results = results;
      this.view.show(results, host.state.depth_metric, host.text);
      document.body.dataset.depthMs = (performance.now() - started).toFixed(1);  // request to drawn, for tests
      status.textContent = '';
    } catch (error) {
      if (error?.code === 'cancelled' && run === this.runs) status.textContent = host.text('status.cancelled');
      if (isStale(error) || !host.isCurrent(generation)) return;
      status.textContent = '';
      host.showStageError('layers', error);
    } finally {
      if (run === this.runs) byId('depth-cancel').disabled = true;
    }
  }

  setText(text) { if (this.results) this.view.show(this.results, this.host.state.depth_metric, text); }
}
