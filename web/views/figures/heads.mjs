// The heads figure: the essay's forward/backward head mixture (four heatmaps and a table) beside the
// GPT / UniLM / T5 parameter and FLOP counts; and the architectures figure, those counts alone. Their
// analyses: mixture() under the state (mixtureConfigFor) and architectures().
import { defaultState, mixtureConfigFor } from '../../state/url-state.mjs';
import { HeadsView, buildHeadPanels } from '../heads-view.mjs';
import { byId, element, tableElements } from './elements.mjs';
import { figureEngine } from './engine.mjs';
import { isStale } from './errors.mjs';

// The number of heads the mixture is drawn with at the state's d (issue 16 item 11: the page's own small
// preset, d = 4 with the default 4 heads, and d = 1 gave an error beside the heads control). The core
// wants H even, d a multiple of H and d / H >= 2: the state's H when d allows it, else the largest even H
// below it that d allows, 0 when none does (d odd or below 4). Only the default H is adapted: an H the
// reader chose (heads=6 at d = 8, or an odd H) stays as given, and the core's error shows beside its
// control (tests/fixtures/bad-inputs.json).
export function mixtureHeads(state) {
  const { d, heads } = state;
  if (heads !== defaultState.heads || heads % 2 !== 0) return heads;
  for (let h = heads; h >= 2; h -= 2) {
    if (d % h === 0 && d / h >= 2) return h;
  }
  return 0;
}

// What the heads figure says when it draws with other heads than the state's, or none: { key, params } or null.
function headsNote(state, heads) {
  if (heads === state.heads) return null;
  return heads ? { key: 'heads.fewer', params: { d: state.d, heads, asked: state.heads } }
    : { key: 'heads.none', params: { d: state.d } };
}

// Resolves to { mixture (null when d allows no mixture), architectures (null when not asked for), note }.
export async function computeHeads(engine, state, { withArchitectures = true } = {}) {
  const heads = mixtureHeads(state);
  const [mixture, architectures] = await Promise.all([
    heads ? engine.request(null, 'mixture', mixtureConfigFor({ ...state, heads })) : null,
    withArchitectures ? engine.call('architectures', {}) : null,
  ]);
  return { mixture, architectures, note: headsNote(state, heads) };
}

const noteText = (note, text) => (note ? text(note.key, note.params) : '');

// grid, table: the mixture's elements, hidden when there is no mixture to draw.
function drawHeads(view, results, colour, text, { grid, table }) {
  view.colour = colour;
  grid.hidden = !results.mixture;
  table.hidden = !results.mixture;
  view.show(results.mixture, results.architectures, text);
}

// <attn-figure kind="heads">: the mixture alone (the architectures table is kind="architectures", not repeated).
export class HeadsFigure {
  constructor(body) {
    const grid = element('div', 'pattern-grid', 'figure-grid');
    const panels = buildHeadPanels(grid);
    const mixtureTable = tableElements();
    this.note = element('p', 'status');
    body.append(this.note, grid, mixtureTable.scroll);
    this.view = new HeadsView({ panels, table: mixtureTable.table, archTable: null, archNote: null });
    this.parts = { grid, table: mixtureTable.scroll };
    this.results = null;
  }

  async run(context) {
    context.progress(0, 1);
    this.results = await computeHeads(figureEngine(context), context.state, { withArchitectures: false });
    context.progress(1, 1);
    drawHeads(this.view, this.results, context.state.colour, context.text, this.parts);
    this.note.textContent = noteText(this.results.note, context.text);
  }

  show(text) {
    if (!this.results) return;
    this.view.show(this.results.mixture, this.results.architectures, text);
    this.note.textContent = noteText(this.results.note, text);
  }

  redraw() { this.view.redraw(); }
}

// <attn-figure kind="architectures">: the parameter and FLOP table alone.
export class ArchitecturesFigure {
  constructor(body) {
    const { scroll, table: archTable } = tableElements();
    const archNote = element('p', 'status');
    body.append(scroll, archNote);
    this.view = new HeadsView({ panels: new Map(), table: null, archTable, archNote });
    this.architectures = null;
  }

  async run(context) {
    this.architectures = await figureEngine(context).request(null, 'architectures', {});
    this.show(context.text);
  }

  show(text) { if (this.architectures) this.view.show(null, this.architectures, text); }

  redraw() {}
}

// The explorer's stage 5 (slot `heads`).
export class HeadsSection {
  constructor(host) {
    this.host = host;
    this.view = new HeadsView({ panels: buildHeadPanels(byId('heads-grid')), table: byId('heads-table'),
      archTable: byId('arch-table'), archNote: byId('arch-note') });
    this.results = null;
    byId('heads-run').addEventListener('click', () => this.run(host.generation));
  }

  async run(generation) {
    const { host } = this;
    const status = byId('heads-status');
    status.textContent = host.text('heads.computing');
    host.clearStageError('heads');
    try {
      const results = await computeHeads(host.engine('heads'), host.state);
      if (!host.isCurrent(generation)) return;
      this.results = results;
      drawHeads(this.view, results, host.state.colour, host.text, { grid: byId('heads-grid'), table: byId('heads-table').parentElement });
      status.textContent = noteText(results.note, host.text);
    } catch (error) {
      if (isStale(error) || !host.isCurrent(generation)) return;
      status.textContent = '';
      host.showStageError('heads', error);
    }
  }

  setText(text) {
    if (!this.results) return;
    this.view.show(this.results.mixture, this.results.architectures, text);
    byId('heads-status').textContent = noteText(this.results.note, text);
  }
}
