// The sweep figure: one statistic against n, d or the logit scale, one series per pattern. Its analyses:
// analyze() of every (pattern, value) of the state's sweep_over and sweep_values.
import { configFor, defaultState, sweepValuesOf } from '../../state/url-state.mjs';
import { SweepView } from '../sweep-view.mjs';
import { byId, chartElements, element } from './elements.mjs';
import { figureEngine } from './engine.mjs';
import { isStale } from './errors.mjs';
import { shownPatterns } from './patterns.mjs';

// The explorer sweeps by itself while the work stays below ~20 analyses at n = 256; else on demand.
const kAutoSweepMaxN = 256;

// Pattern-major: every value of the first pattern, then of the next.
export function sweepConfigs(state, patterns) {
  const over = state.sweep_over;
  const configs = [];
  for (const pattern of patterns) {
    for (const value of sweepValuesOf(state)) configs.push(configFor(state, pattern, { [over]: value }));
  }
  return configs;
}

// Resolves to the sweep view's { over, values, patterns, results: Map pattern -> results in value order }.
export async function computeSweep(engine, state, patterns, onProgress) {
  const values = sweepValuesOf(state);
  const flat = await engine.analyzeAll(sweepConfigs(state, patterns), onProgress);
  const results = new Map(patterns.map((pattern, index) =>
    [pattern, flat.slice(index * values.length, (index + 1) * values.length)]));
  return { over: state.sweep_over, values, patterns, results };
}

// <attn-figure kind="sweep">.
export class SweepFigure {
  constructor(body) {
    const progress = element('progress');
    const { canvas, legend } = chartElements(body);
    const status = element('p', 'status');
    body.prepend(progress);
    body.append(status);
    // The view drives run/cancel buttons on the page; an embedded sweep runs by itself when shown.
    const runButton = element('button');
    const cancelButton = element('button');
    this.view = new SweepView({ canvas, legend, progress, status, runButton, cancelButton });
    this.stat = defaultState.sweep_stat;
    this.progress = progress;
  }

  async run(context) {
    this.progress.hidden = false;
    const sweep = await computeSweep(figureEngine(context), context.state, context.patterns, (done, total) => {
      this.view.setProgress(done, total, context.text);
      context.progress(done, total);
    });
    this.progress.hidden = true;
    this.stat = context.state.sweep_stat;
    this.view.show(sweep, this.stat, context.text);
    this.view.setStatus('');
  }

  show(text) { this.view.plot(this.stat, text); }

  redraw() { this.view.redraw(); }
}

// The explorer's stage 7 (slot `sweep`): on demand, or by itself when cheap.
export class SweepSection {
  constructor(host) {
    this.host = host;
    this.view = new SweepView({ canvas: byId('sweep-chart'), legend: byId('sweep-legend'), progress: byId('sweep-progress'),
      status: byId('sweep-status'), runButton: byId('sweep-run'), cancelButton: byId('sweep-cancel') });
    byId('sweep-run').addEventListener('click', () => this.run());
    byId('sweep-cancel').addEventListener('click', () => host.pool.cancel('sweep'));
  }

  isCheap() {
    const { state } = this.host;
    return state.n <= kAutoSweepMaxN && (state.sweep_over !== 'n' ||
      sweepValuesOf(state).every((value) => value <= kAutoSweepMaxN));
  }

  async run() {
    const { host, view } = this;
    const total = sweepConfigs(host.state, shownPatterns(host.state)).length;
    view.setRunning(true);
    view.setProgress(0, total, host.text);
    host.clearStageError('sweep_values');
    try {
      const sweep = await computeSweep(host.engine('sweep'), host.state, shownPatterns(host.state),
        (done, count) => view.setProgress(done, count, host.text));
      view.show(sweep, host.state.sweep_stat, host.text);
      view.setStatus(host.text('progress.count', { done: total, total }));
    } catch (error) {
      if (error?.code === 'cancelled') view.setStatus(host.text('status.cancelled'));
      else if (!isStale(error)) host.showStageError('sweep_values', error);
    } finally {
      view.setRunning(false);
    }
  }

  setText(text) { this.view.plot(this.host.state.sweep_stat, text); }
}
