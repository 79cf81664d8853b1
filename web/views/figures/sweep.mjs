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

// The embedded sweep's cost guard (issue 16 item 3): an analysis costs about kSecondsPerCube * n^3 s of one
// core (the SVD; measured: n = 1024 ~1.2 s, n = 4096 ~75 s on one core of a 2-core machine); a sweep
// estimated above kEmbedSweepBudgetSeconds waits for the reader's Run, showing its estimate.
const kSecondsPerCube = 1.1e-9;
export const kEmbedSweepBudgetSeconds = 10;

// The estimated seconds of one core for these analyze() configs.
export function sweepSeconds(configs) {
  return configs.reduce((sum, config) => sum + kSecondsPerCube * config.n ** 3, 0);
}

// 42 s, 12 min, 3.5 h.
function duration(seconds) {
  if (seconds < 120) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

// <attn-figure kind="sweep">: runs by itself within the budget, else on Run; Cancel while it runs. Its
// analyses run at background priority: the page's other figures go first.
export class SweepFigure {
  constructor(body) {
    const progress = element('progress');
    const { canvas, legend } = chartElements(body);
    const status = element('p', 'status');
    const runButton = element('button', 'sweep-run', 'run');
    const cancelButton = element('button', 'sweep-cancel', 'cancel');
    runButton.type = 'button';
    cancelButton.type = 'button';
    const actions = element('p', 'sweep-actions');
    actions.append(runButton, cancelButton);
    body.prepend(progress);
    body.append(actions, status);
    this.view = new SweepView({ canvas, legend, progress, status, runButton, cancelButton });
    this.stat = defaultState.sweep_stat;
    this.progress = progress;
    this.actions = actions;
    this.approved = null;  // the configs' key the reader pressed Run for
    this.onRun = null;
    this.sweep = null;  // the last drawn sweep
    runButton.addEventListener('click', () => this.onRun?.());
    cancelButton.addEventListener('click', () => this.onCancel?.());
  }

  // { over, values, results: pattern -> analyze() results, one per value } (embed/element-api.mjs figureResults).
  get result() {
    if (!this.sweep) return null;
    const { over, values, results } = this.sweep;
    return { over, values, results: Object.fromEntries(results) };
  }

  // Resolves { held: true } when it waits for Run (over the budget, or cancelled), else once drawn. A run
  // superseded by a later one (an attribute changed twice quickly) leaves the buttons, progress and status to
  // the later run, as the explorer's SweepSection does: only the latest run may end the running state, or
  // Cancel would be disabled (and the progress the old run's) while the later sweep still runs.
  async run(context) {
    const { text } = context;
    const runId = (this.latestRun = (this.latestRun ?? 0) + 1);
    const isLatest = () => this.latestRun === runId;
    const configs = sweepConfigs(context.state, context.patterns);
    const key = JSON.stringify(configs);
    const seconds = sweepSeconds(configs);
    this.view.runButton.textContent = text('action.run');
    this.view.cancelButton.textContent = text('action.cancel');
    this.onRun = () => {
      this.approved = key;
      context.rerun();
    };
    this.onCancel = () => context.pool.cancel(context.slot);
    if (seconds > kEmbedSweepBudgetSeconds && this.approved !== key) {
      this.hold(text('sweep.estimate', { count: configs.length, time: duration(seconds), budget: duration(kEmbedSweepBudgetSeconds) }));
      return { held: true };
    }
    this.actions.hidden = false;
    this.view.setRunning(true);
    this.progress.hidden = false;
    let sweep;
    try {
      sweep = await computeSweep(figureEngine(context, { priority: 'background' }), context.state, context.patterns, (done, total) => {
        if (!isLatest()) return;
        this.view.setProgress(done, total, text);
        context.progress(done, total);
      });
    } catch (error) {
      if (error?.code !== 'cancelled' || !isLatest()) throw error;  // the host drops a superseded run's error
      this.approved = null;
      this.hold(text('status.cancelled'));
      return { held: true };
    } finally {
      if (isLatest()) this.view.setRunning(false);
    }
    if (!isLatest()) return {};
    this.progress.hidden = true;
    this.actions.hidden = true;
    this.stat = context.state.sweep_stat;
    this.view.show(sweep, this.stat, text);
    this.sweep = sweep;
    this.view.setStatus('');
    return {};
  }

  // Waits for Run with `message` (the estimate, or Cancelled.); the last drawn sweep stays.
  hold(message) {
    this.progress.hidden = true;
    this.actions.hidden = false;
    this.view.setRunning(false);
    this.view.setStatus(message);
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

  // A run superseded by a later one (the reader switched the axis, then typed values at once) leaves the
  // buttons, progress and status to the later run: only the latest run may end the running state, or Cancel
  // would be disabled while the later sweep still runs.
  async run() {
    const { host, view } = this;
    const runId = (this.latestRun = (this.latestRun ?? 0) + 1);
    const isLatest = () => this.latestRun === runId;
    const total = sweepConfigs(host.state, shownPatterns(host.state)).length;
    view.setRunning(true);
    view.setProgress(0, total, host.text);
    host.clearStageError('sweep_values');
    try {
      const sweep = await computeSweep(host.engine('sweep'), host.state, shownPatterns(host.state),
        (done, count) => { if (isLatest()) view.setProgress(done, count, host.text); });
      if (!isLatest()) return;
      view.show(sweep, host.state.sweep_stat, host.text);
      view.setStatus(host.text('progress.count', { done: total, total }));
    } catch (error) {
      if (!isLatest()) return;
      if (error?.code === 'cancelled') view.setStatus(host.text('status.cancelled'));
      else if (!isStale(error)) host.showStageError('sweep_values', error);
    } finally {
      if (isLatest()) view.setRunning(false);
    }
  }

  setText(text) { this.view.plot(this.host.state.sweep_stat, text); }
}
