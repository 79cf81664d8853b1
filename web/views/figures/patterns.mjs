// The patterns figure: a heatmap and a statistics card per attention pattern, all on the same Q and K.
// Its analyses: analyze() of each pattern under the state, with the matrix (configFor). The explorer
// asks one superseding request per pattern and draws each as it arrives (stage 1, with the status line,
// progress and Retry); an embedded figure asks one sweep and draws them together.
import { shownPatterns } from '../../state/pattern-registry.mjs';
import { configFor } from '../../state/url-state.mjs';
import { nextTask } from '../../render/heatmap.mjs';
import { kBusyDelayMs, PatternsView } from '../patterns-view.mjs';
import { byId, element } from './elements.mjs';
import { figureEngine } from './engine.mjs';
import { isEngineFailure, isStale } from './errors.mjs';

// The name of the performance measure from a change of the state to the frame that shows its patterns.
export const kRedrawnMeasure = 'attnrank: patterns redrawn';

export function patternConfig(state, pattern) {
  return configFor(state, pattern, { want_matrix: true });
}

// The explorer's patterns: the essay's four, and the window patterns when state.windows (pattern-registry.mjs).
export { shownPatterns };

// <attn-figure kind="patterns">.
export class PatternsFigure {
  constructor(body, text) {
    this.grid = element('div', 'pattern-grid', 'figure-grid');
    body.append(this.grid);
    this.view = new PatternsView(this.grid, text);
    this.results = null;
  }

  // pattern -> its analyze() result (embed/element-api.mjs figureResults).
  get result() { return this.results && Object.fromEntries(this.results); }

  async run(context) {
    const { state, patterns } = context;
    this.view.text = context.text;
    this.view.setPatterns(patterns);
    this.view.colour = state.colour;
    this.view.colourRange = state.colour_range;
    for (const pattern of patterns) this.view.setBusy(pattern, true);
    const results = await figureEngine(context).analyzeAll(patterns.map((pattern) => patternConfig(state, pattern)),
      context.progress);
    patterns.forEach((pattern, index) => this.view.showResult(pattern, results[index]));
    this.results = new Map(patterns.map((pattern, index) => [pattern, results[index]]));
    for (const panel of this.view.panels.values()) panel.canvas.setAttribute('part', 'heatmap');
    await this.view.whenDrawn();
  }

  show(text) { this.view.setText(text); }

  redraw() { this.view.redraw(); }
}

// The explorer's stage 1: the patterns, one superseding slot each (`pattern:<name>`, interactive), drawn
// as each arrives. onResults(results) once all are in (the spectra and the words follow them).
export class PatternsSection {
  constructor(host, { onNpy, onResults }) {
    this.host = host;
    this.onResults = onResults;
    this.view = new PatternsView(byId('patterns-grid'), host.text, { onNpy, onError: (error) => host.showExportError(error) });
    this.results = new Map();  // pattern -> the last good result
    byId('patterns-cancel').addEventListener('click', () => {
      for (const pattern of shownPatterns(host.state)) host.pool.cancel(`pattern:${pattern}`);
    });
  }

  // Resolves to whether every pattern was drawn (false: an error, a cancel or a newer change).
  async run(generation) {
    const { host } = this;
    const patterns = shownPatterns(host.state);
    const engine = host.engine('pattern', { priority: 'interactive' });
    this.view.setPatterns(patterns);
    const progress = byId('patterns-progress');
    progress.max = patterns.length;
    progress.value = 0;
    const progressTimer = setTimeout(() => { byId('patterns-progress-row').hidden = false; }, kBusyDelayMs);
    host.setStatus('status.computing', { done: 0, total: patterns.length });
    byId('engine-retry').hidden = true;
    let done = 0;
    let failure = null;
    let isCancelled = false;
    const results = new Map();
    await Promise.all(patterns.map(async (pattern) => {
      this.view.setBusy(pattern, true);
      try {
        const result = await engine.request(pattern, 'analyze', patternConfig(host.state, pattern));
        if (!host.isCurrent(generation)) return;
        results.set(pattern, result);
        this.view.showResult(pattern, result);
        progress.value = ++done;
        host.setStatus('status.computing', { done, total: patterns.length });
      } catch (error) {
        if (error?.code === 'cancelled' && host.isCurrent(generation)) isCancelled = true;
        if (isStale(error) || !host.isCurrent(generation)) return;
        this.view.setBusy(pattern, false);
        // An engine failure belongs to the figure it stopped, not to a control; a core error (a refusal over
        // the memory budget) shows beside its control at once, while the other patterns may still run.
        if (isEngineFailure(error)) this.view.showError(pattern, { message: host.errorText(error) });
        else if (!failure) host.showCoreError(error);
        failure ??= error;
      }
    }));
    clearTimeout(progressTimer);
    if (!host.isCurrent(generation)) return false;
    byId('patterns-progress-row').hidden = true;
    if (isCancelled || (failure && isEngineFailure(failure))) {
      // The patterns not computed keep their last good result; Retry runs this state again.
      for (const pattern of patterns) this.view.setBusy(pattern, false);
      const kept = this.results.size ? ` ${host.text('status.kept_last_good')}` : '';  // none on a first load
      const message = isCancelled ? host.text('status.cancelled') : host.errorText(failure);
      byId('engine-status').textContent = `${message}${kept}`;
      byId('engine-retry').hidden = false;
      document.body.dataset.lastError = isCancelled ? 'cancelled' : host.errorText(failure);
      document.body.dataset.state = isCancelled ? 'cancelled' : 'error';
      return false;
    }
    if (failure) {
      // An error no control caused (relu features giving a zero row) stays in the status line.
      const isBesideControl = host.showCoreError(failure);
      byId('engine-status').textContent = isBesideControl ? host.text('status.kept_last_good')
        : `${host.errorText(failure)} ${host.text('status.kept_last_good')}`;
      document.body.dataset.state = 'error';
      return false;
    }
    host.clearCoreErrors();
    this.results = results;
    // The heatmaps are drawn in steps of their own tasks: wait for them, and for the frame that shows them
    // (a task after a frame's callbacks runs once that frame is rendered). Only then the figures drawn from
    // the same results (the spectra, the words), so the patterns' frame never waits for them.
    await this.view.whenDrawn();
    if (!host.isCurrent(generation)) return false;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    await nextTask();
    if (!host.isCurrent(generation)) return false;
    const now = performance.now();
    const elapsed = now - host.changeStarted;
    document.body.dataset.patternsMs = elapsed.toFixed(1);
    // The same span in the browser's performance timeline (a profiler shows it; bench/page-speed.mjs reads
    // it from a trace): the last one only, so a long visit does not pile them up.
    performance.clearMeasures(kRedrawnMeasure);
    performance.measure(kRedrawnMeasure, { start: host.changeStarted, end: now });
    document.body.dataset.firstFigureMs ??= performance.now().toFixed(1);  // since navigation start
    host.setStatus('status.done', { ms: Math.round(elapsed) });
    this.onResults(results);
    return true;
  }

  setText(text) { this.view.setText(text); }
}
