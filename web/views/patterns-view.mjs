// The patterns view: one panel per attention pattern (bidirectional, prefix, forward, backward, and the
// window patterns when shown), each a heatmap of A (canvas, mask outline) and a statistics card, all
// from the core's analyze() results. Also used by the load view for user-given Q, K. Drawing only:
// no statistic is computed here.
import { exportName, exportWhat } from './export-names.mjs';
import { drawAttentionHeatmap } from './heatmap-figure.mjs';
import { renderStatsCard } from './stats-card.mjs';

// The essay's four and the local (window) patterns, from the core's pattern registry (live bindings,
// filled by installPatterns before any view is built).
export { essayPatterns as mainPatterns, localPatterns as windowPatterns } from '../state/pattern-registry.mjs';

// A panel waiting for its result dims only once it has waited this long (and the explorer's progress bar
// shows only then): a result that comes sooner, as at n = 256 while a slider moves, replaces the heatmap
// without a dimming flicker, and without the frames of the dimming's transition competing with the engine's
// workers for the cores.
export const kBusyDelayMs = 150;

// Sets an element's text only when it changes (an unchanged heading costs no layout).
function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

export class PatternsView {
  // grid: the element that holds the panels; text(key, params): localised strings; onNpy(result): saves
  // a result's matrix (a .npy button per panel when given).
  constructor(grid, text, { onNpy = null, onError = () => {} } = {}) {
    this.grid = grid;
    this.text = text;
    this.onNpy = onNpy;
    this.onError = onError;
    this.panels = new Map();
    this.results = new Map();
    this.colour = 'auto';
    this.colourRange = 'shared';
    this.drawing = new Map();  // pattern -> { controller, done }: the heatmap being drawn
    this.busyTimers = new Map();  // pattern -> the timer that dims its panel (kBusyDelayMs)
  }

  setText(text) {
    this.text = text;
    for (const [pattern, panel] of this.panels) this.#label(pattern, panel);
    for (const [pattern, result] of this.results) this.#fill(pattern, result);
    this.redraw();  // the colour bars name their scale in the new language
  }

  // Shows exactly these patterns, in this order; keeps the panels (and results) of those that stay.
  setPatterns(patterns) {
    for (const [pattern, panel] of this.panels) {
      if (!patterns.includes(pattern)) {
        this.drawing.get(pattern)?.controller.abort();
        this.setBusy(pattern, false);
        panel.root.remove();
        this.panels.delete(pattern);
        this.results.delete(pattern);
      }
    }
    const ordered = patterns.map((pattern) => this.panels.get(pattern) ?? this.#createPanel(pattern));
    // The same panels in the same order (every change of a number): left in place, so the grid is not laid
    // out and painted again before the results come.
    const children = this.grid.children;
    const isInPlace = children.length === ordered.length && ordered.every((panel, index) => children[index] === panel.root);
    if (!isInPlace) this.grid.replaceChildren(...ordered.map((panel) => panel.root));
  }

  #createPanel(pattern) {
    const root = document.createElement('article');
    root.className = 'pattern-panel';
    root.dataset.pattern = pattern;
    const heading = document.createElement('h3');
    const name = document.createElement('span');
    name.className = 'pattern-name';
    const rule = document.createElement('span');
    rule.className = 'pattern-rule';
    heading.append(name, rule);
    const canvas = document.createElement('canvas');
    canvas.className = 'heatmap';
    canvas.width = 240;
    canvas.height = 240;
    canvas.setAttribute('role', 'img');
    const legend = document.createElement('canvas');
    legend.className = 'heatmap-legend';
    legend.width = 240;
    legend.height = 26;
    legend.setAttribute('aria-hidden', 'true');
    const stats = document.createElement('dl');
    stats.className = 'stats-card';
    const error = document.createElement('p');
    error.className = 'panel-error field-error';
    error.setAttribute('role', 'alert');
    error.hidden = true;
    root.append(heading, canvas, legend, stats, error);
    const panel = { root, name, rule, canvas, legend, stats, error, npy: null };
    if (this.onNpy) {
      panel.npy = document.createElement('button');
      panel.npy.type = 'button';
      panel.npy.className = 'panel-npy';
      panel.npy.dataset.export = 'npy';
      panel.npy.disabled = true;
      panel.npy.addEventListener('click', () => {
        const result = this.results.get(pattern);
        if (result) this.onNpy(result).catch((failure) => this.onError(failure));
      });
      root.append(panel.npy);
    }
    this.panels.set(pattern, panel);
    this.#label(pattern, panel);
    return panel;
  }

  #label(pattern, panel) {
    const result = this.results.get(pattern);
    setText(panel.name, this.text(`pattern.${pattern}`));
    const parameter = result?.prefix !== undefined ? `, p = ${result.prefix}`
      : result?.window !== undefined ? `, w = ${result.window}` : '';
    setText(panel.rule, this.text(`pattern.${pattern}.rule`) + parameter);
    panel.canvas.setAttribute('aria-label', this.text('heatmap.label', { pattern: this.text(`pattern.${pattern}`) }));
    if (panel.npy) {
      panel.npy.textContent = `A ${this.text('export.npy')}`;
      panel.npy.setAttribute('aria-label', exportName(this.text, panel.npy.textContent, exportWhat('npy'), this.text(`pattern.${pattern}`)));
    }
  }

  // colour: 'auto' | 'linear' | 'sqrt' | 'log'; colourRange: 'shared' | 'panel' (colormap.mjs attentionColourScale).
  setColour(colour, colourRange = this.colourRange) {
    this.colour = colour;
    this.colourRange = colourRange;
    for (const pattern of this.results.keys()) this.#draw(pattern);
  }

  // isBusy: the panel waits for a new result (it dims after kBusyDelayMs); false: it no longer waits.
  setBusy(pattern, isBusy) {
    if (isBusy && this.busyTimers.has(pattern)) return;
    clearTimeout(this.busyTimers.get(pattern));
    this.busyTimers.delete(pattern);
    if (isBusy) {
      this.busyTimers.set(pattern, setTimeout(() => {
        this.busyTimers.delete(pattern);
        this.panels.get(pattern)?.root.classList.add('is-busy');
      }, kBusyDelayMs));
    } else {
      this.panels.get(pattern)?.root.classList.remove('is-busy');
    }
  }

  showResult(pattern, result) {
    const panel = this.panels.get(pattern);
    if (!panel) return;
    this.results.set(pattern, result);
    // What the core computed, for readers of the DOM (tests): the configuration as the core echoed it.
    for (const key of ['n', 'd', 'seed', 'scale', 'precision', 'kind', 'feature', 'prefix', 'window', 'rope', 'repeat',
      'input', 'feature_dimension']) {
      if (key in result) panel.root.dataset[key] = String(result[key]);
      else delete panel.root.dataset[key];
    }
    panel.error.hidden = true;
    if (panel.npy) panel.npy.disabled = !result.matrix;
    this.setBusy(pattern, false);
    this.#label(pattern, panel);
    this.#fill(pattern, result);
    this.#draw(pattern);
  }

  // Resolves when every heatmap started so far is drawn (or was superseded by a newer one).
  whenDrawn() {
    return Promise.all([...this.drawing.values()].map((job) => job.done)).then(() => undefined);
  }

  // An error for this pattern only (for instance relu features giving a zero row); the last good
  // result stays on screen.
  showError(pattern, error) {
    const panel = this.panels.get(pattern);
    if (!panel) return;
    this.setBusy(pattern, false);
    panel.error.textContent = error.message;
    panel.error.hidden = false;
  }

  clearErrors() {
    for (const panel of this.panels.values()) panel.error.hidden = true;
  }

  #fill(pattern, result) {
    const panel = this.panels.get(pattern);
    if (panel) renderStatsCard(panel.stats, result, this.text);
  }

  // Draws the pattern's heatmap in steps of its own tasks (the card is already filled), so no single
  // main-thread task holds the card, the heatmap and the next panel's work together, even at n = 4096;
  // a newer draw of the same panel (new result, colour, resize) cancels an unfinished one.
  #draw(pattern) {
    const panel = this.panels.get(pattern);
    const result = this.results.get(pattern);
    if (!panel || !result?.matrix) return;
    this.drawing.get(pattern)?.controller.abort();
    const controller = new AbortController();
    const job = { controller, done: null };
    job.done = drawAttentionHeatmap(panel.canvas, panel.legend, { data: result.matrix, n: result.n, colour: this.colour,
      colourRange: this.colourRange, mask: result.mask ?? null }, () => this.text, { signal: controller.signal })
      .catch((error) => this.onError(error))
      .finally(() => {
        if (this.drawing.get(pattern) === job) this.drawing.delete(pattern);
      });
    this.drawing.set(pattern, job);
  }

  redraw() {
    for (const pattern of this.results.keys()) this.#draw(pattern);
  }
}
