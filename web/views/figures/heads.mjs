// The heads figure: the essay's forward/backward head mixture (four heatmaps and a table) beside the
// GPT / UniLM / T5 parameter and FLOP counts; and the architectures figure, those counts alone. Their
// analyses: mixture() under the state (mixtureConfigFor) and architectures().
import { defaultState, mixtureConfigFor } from '../../state/url-state.mjs';
import { HeadsView, buildHeadPanels } from '../heads-view.mjs';
import { byId, element, tableElements } from './elements.mjs';
import { figureEngine } from './engine.mjs';
import { isStale } from './errors.mjs';

// The heads the mixture is drawn with: the state's H, as given (an odd H gets the core's error beside its
// control, tests/fixtures/bad-inputs.json), each of head dimension d (the core sets d_model = H d); 0 when
// d = 1, which leaves the split head (it halves its head dimension) nothing to split: the figure then says
// so instead of asking.
export function mixtureHeads(state) {
  return state.d >= 2 ? state.heads : 0;
}

// What the heads figure says when it draws no mixture: { key, params } or null.
function headsNote(state, heads) {
  return heads ? null : { key: 'heads.none', params: { d: state.d } };
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

// grid, table, configNote: the mixture's elements, hidden when there is no mixture to draw.
function drawHeads(view, results, state, text, { grid, table, configNote }) {
  view.colour = state.colour;
  view.colourRange = state.colour_range;
  grid.hidden = !results.mixture;
  table.hidden = !results.mixture;
  configNote.hidden = !results.mixture;
  view.show(results.mixture, results.architectures, text);
}

// <attn-figure kind="heads">: the mixture alone (the architectures table is kind="architectures", not repeated).
export class HeadsFigure {
  constructor(body) {
    const grid = element('div', 'pattern-grid', 'figure-grid');
    const panels = buildHeadPanels(grid);
    const mixtureTable = tableElements('table.heads');
    const configNote = element('p', 'status');
    this.note = element('p', 'status');
    body.append(this.note, grid, mixtureTable.scroll, configNote);
    this.view = new HeadsView({ panels, table: mixtureTable.table, archTable: null, archNote: null, configNote });
    this.parts = { grid, table: mixtureTable.scroll, configNote };
    this.results = null;
  }

  // The mixture() result, or null (embed/element-api.mjs figureResults).
  get result() { return this.results?.mixture ?? null; }

  async run(context) {
    context.progress(0, 1);
    this.results = await computeHeads(figureEngine(context), context.state, { withArchitectures: false });
    context.progress(1, 1);
    drawHeads(this.view, this.results, context.state, context.text, this.parts);
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
    const { scroll, table: archTable } = tableElements('table.architectures');
    const archNote = element('p', 'status');
    body.append(scroll, archNote);
    this.view = new HeadsView({ panels: new Map(), table: null, archTable, archNote });
    this.architectures = null;
  }

  // The architectures() result (embed/element-api.mjs figureResults).
  get result() { return this.architectures; }

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
      archTable: byId('arch-table'), archNote: byId('arch-note'), configNote: byId('heads-config'), nearClaim: true });
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
      drawHeads(this.view, results, host.state, host.text, { grid: byId('heads-grid'),
        table: byId('heads-table').parentElement, configNote: byId('heads-config') });
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
