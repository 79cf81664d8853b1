// What each kind of <attn-figure> draws and which analyses it asks the shared engine for. The drawing is
// the explorer page's own views (web/views/), so an embedded figure is the page's figure; every number
// comes from the core. A kind is a class: constructor(body) builds its DOM; run(context) computes and
// draws; show(text) redraws the kept results (language change); redraw() after a resize.
// context: { pool, slot, state, patterns, claims (ids or null), text, progress(done, total) }.
import { claimsConfigFor, configFor, mixtureConfigFor, sweepValuesOf } from '../state/url-state.mjs';
import { ClaimsView } from '../views/claims-view.mjs';
import { HeadsView, buildHeadPanels } from '../views/heads-view.mjs';
import { DepthView, collapseAll } from '../views/depth-view.mjs';
import { LinearView, linearCases } from '../views/linear-view.mjs';
import { PatternsView } from '../views/patterns-view.mjs';
import { RaisesRankView, raisesScales } from '../views/raises-rank-view.mjs';
import { SpectraView } from '../views/spectra-view.mjs';
import { renderStatsCard } from '../views/stats-card.mjs';
import { SweepView } from '../views/sweep-view.mjs';

function element(tag, className, part) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (part) node.setAttribute('part', part);
  return node;
}

function chartElements(body) {
  const canvas = element('canvas', 'chart', 'chart');
  canvas.setAttribute('role', 'img');
  const legend = element('div', 'chart-legend', 'legend');
  body.append(canvas, legend);
  return { canvas, legend };
}

// analyze() of every config on the figure's slot (superseding its older work), interactive priority.
function analyzeAll(context, configs) {
  return context.pool.sweep(context.slot, configs, context.progress, { priority: 'interactive' });
}

class PatternsFigure {
  constructor(body, text) {
    this.grid = element('div', 'pattern-grid', 'figure-grid');
    body.append(this.grid);
    this.view = new PatternsView(this.grid, text);
  }

  async run(context) {
    const { state, patterns } = context;
    this.view.text = context.text;
    this.view.setPatterns(patterns);
    this.view.colour = state.colour;
    for (const pattern of patterns) this.view.setBusy(pattern, true);
    const results = await analyzeAll(context, patterns.map((pattern) => configFor(state, pattern, { want_matrix: true })));
    patterns.forEach((pattern, index) => this.view.showResult(pattern, results[index]));
    for (const panel of this.view.panels.values()) panel.canvas.setAttribute('part', 'heatmap');
    await this.view.whenDrawn();
  }

  show(text) { this.view.setText(text); }

  redraw() { this.view.redraw(); }
}

class SpectraFigure {
  constructor(body) {
    const { canvas, legend } = chartElements(body);
    this.view = new SpectraView(canvas, legend);
    this.results = null;
  }

  async run(context) {
    const list = await analyzeAll(context, context.patterns.map((pattern) => configFor(context.state, pattern)));
    this.results = new Map(context.patterns.map((pattern, index) => [pattern, list[index]]));
    this.show(context.text);
  }

  show(text) { if (this.results) this.view.show(this.results, text); }

  redraw() { this.view.redraw(); }
}

class LinearFigure {
  constructor(body) {
    const { canvas, legend } = chartElements(body);
    const scroll = element('div', 'table-scroll');
    const table = element('table', 'compact', 'stats');
    scroll.append(table);
    const error = element('p', 'figure-error', 'error');
    error.hidden = true;
    body.append(scroll, error);
    this.view = new LinearView({ canvas, legend, table, error });
    this.results = null;
  }

  async run(context) {
    const configs = linearCases.map(([, kind, pattern]) => configFor(context.state, pattern, { kind }));
    const list = await analyzeAll(context, configs);
    this.results = new Map(linearCases.map(([id], index) => [id, list[index]]));
    this.show(context.text);
  }

  show(text) { if (this.results) this.view.show(this.results, text); }

  redraw() { this.view.redraw(); }
}

class RaisesRankFigure {
  constructor(body) {
    const progress = element('progress');
    progress.hidden = true;
    const { canvas, legend } = chartElements(body);
    body.prepend(progress);
    this.view = new RaisesRankView({ canvas, legend, progress });
    this.results = null;
    this.scale = 1;
  }

  async run(context) {
    const configs = raisesScales(context.state.n).map((scale) =>
      configFor(context.state, 'bidirectional', { kind: 'softmax', scale }));
    const list = await analyzeAll({ ...context, progress: (done, total) => {
      this.view.setProgress(done, total);
      context.progress(done, total);
    } }, configs);
    this.results = list;
    this.scale = context.state.scale;
    this.show(context.text);
  }

  show(text) { if (this.results) this.view.show(this.results, this.scale, text); }

  redraw() { this.view.redraw(); }
}

class SweepFigure {
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
    this.stat = 'effective_rank';
    this.progress = progress;
  }

  async run(context) {
    const { state, patterns } = context;
    const over = state.sweep_over;
    const values = sweepValuesOf(state);
    const configs = [];
    for (const pattern of patterns) {
      for (const value of values) configs.push(configFor(state, pattern, { [over]: value }));
    }
    this.progress.hidden = false;
    const flat = await analyzeAll({ ...context, progress: (done, total) => {
      this.view.setProgress(done, total, context.text);
      context.progress(done, total);
    } }, configs);
    this.progress.hidden = true;
    const results = new Map(patterns.map((pattern, index) =>
      [pattern, flat.slice(index * values.length, (index + 1) * values.length)]));
    this.stat = state.sweep_stat;
    this.view.show({ over, values, patterns, results }, this.stat, context.text);
    this.view.setStatus('');
  }

  show(text) { this.view.plot(this.stat, text); }

  redraw() { this.view.redraw(); }
}

class StatsFigure {
  constructor(body) {
    this.grid = element('div', 'stats-grid', 'stats');
    body.append(this.grid);
    this.results = null;
  }

  async run(context) {
    const list = await analyzeAll(context, context.patterns.map((pattern) => configFor(context.state, pattern)));
    this.results = new Map(context.patterns.map((pattern, index) => [pattern, list[index]]));
    this.show(context.text);
  }

  show(text) {
    if (!this.results) return;
    const cards = [];
    for (const [pattern, result] of this.results) {
      const card = element('section', 'stats-panel');
      card.dataset.pattern = pattern;
      const heading = element('h3');
      heading.textContent = text(`pattern.${pattern}`);
      const list = element('dl', 'stats-card');
      renderStatsCard(list, result, text);
      card.append(heading, list);
      cards.push(card);
    }
    this.grid.replaceChildren(...cards);
  }

  redraw() {}
}

// Rank collapse across depth: one collapse() per pattern of the depth view.
class CollapseFigure {
  constructor(body) {
    const { canvas, legend } = chartElements(body);
    const heatmap = element('canvas', 'depth-heatmap', 'heatmap');
    heatmap.setAttribute('role', 'img');
    body.append(heatmap);
    this.view = new DepthView({ canvas, legend, heatmap });
    this.results = null;
    this.metric = 'relative_residual';
  }

  async run(context) {
    this.results = await collapseAll((pattern, config) => context.pool.request(`${context.slot}:${pattern}`, 'collapse', config),
      context.state, context.progress);
    this.metric = context.state.depth_metric;
    this.show(context.text);
  }

  show(text) { if (this.results) this.view.show(this.results, this.metric, text); }

  redraw() { this.view.redraw(); }
}

// The forward/backward head mixture (four heatmaps and a table) and the architecture counts.
class HeadsFigure {
  constructor(body) {
    const grid = element('div', 'pattern-grid', 'figure-grid');
    const panels = buildHeadPanels(grid);
    const tables = [0, 1].map(() => {
      const scroll = element('div', 'table-scroll');
      const table = element('table', 'compact', 'stats');
      scroll.append(table);
      return { scroll, table };
    });
    const archNote = element('p', 'status');
    body.append(grid, tables[0].scroll, tables[1].scroll, archNote);
    this.view = new HeadsView({ panels, table: tables[0].table, archTable: tables[1].table, archNote });
    this.results = null;
  }

  async run(context) {
    context.progress(0, 1);
    const [mixture, architectures] = await Promise.all([
      context.pool.request(context.slot, 'mixture', mixtureConfigFor(context.state)),
      context.pool.call('architectures', {}),
    ]);
    context.progress(1, 1);
    this.results = { mixture, architectures };
    this.view.colour = context.state.colour;
    this.show(context.text);
  }

  show(text) { if (this.results) this.view.show(this.results.mixture, this.results.architectures, text); }

  redraw() { this.view.redraw(); }
}

// The GPT / UniLM / T5 parameter and FLOP table alone.
class ArchitecturesFigure {
  constructor(body) {
    const scroll = element('div', 'table-scroll');
    const archTable = element('table', 'compact', 'stats');
    scroll.append(archTable);
    const archNote = element('p', 'status');
    body.append(scroll, archNote);
    this.view = new HeadsView({ panels: new Map(), table: null, archTable, archNote });
    this.architectures = null;
  }

  async run(context) {
    this.architectures = await context.pool.request(context.slot, 'architectures', {});
    this.show(context.text);
  }

  show(text) { if (this.architectures) this.view.show(null, this.architectures, text); }

  redraw() {}
}

// The essay's claims with the core's live verdicts for the figure's parameters (attribute `claim` picks
// some: "C4,C17"; default all). An id the core does not know is an error naming the attribute. A post
// (the essay) puts one claims figure beside each paragraph, mostly with the same parameters: their
// figures share one claims() per configuration (the last kClaimsCacheSize configurations are kept).
const kClaimsCacheSize = 8;
const claimsCache = new Map();  // JSON of the config -> Promise of claims()

function claimsOnce(pool, config) {
  const key = JSON.stringify(config);
  let pending = claimsCache.get(key);
  if (!pending) {
    pending = pool.call('claims', config);
    pending.catch(() => claimsCache.delete(key));
    claimsCache.set(key, pending);
    if (claimsCache.size > kClaimsCacheSize) claimsCache.delete(claimsCache.keys().next().value);
  }
  return pending;
}

class ClaimsFigure {
  constructor(body) {
    const list = element('div', 'claims-list', 'claims');
    body.append(list);
    this.view = new ClaimsView(list);
  }

  async run(context) {
    const result = await claimsOnce(context.pool, claimsConfigFor(context.state));
    const known = result.claims.map((claim) => claim.id);
    const unknown = (context.claims ?? []).find((id) => !known.includes(id));
    if (unknown !== undefined) throw new Error(`claim=${unknown} is unknown (expected one of: ${known.join(', ')})`);
    this.view.show(result, context.claims, context.text);
  }

  show(text) { this.view.render(text); }

  redraw() {}
}

export const figureClasses = Object.freeze({
  patterns: PatternsFigure,
  spectra: SpectraFigure,
  linear: LinearFigure,
  'raises-rank': RaisesRankFigure,
  sweep: SweepFigure,
  stats: StatsFigure,
  collapse: CollapseFigure,
  heads: HeadsFigure,
  architectures: ArchitecturesFigure,
  claims: ClaimsFigure,
});
