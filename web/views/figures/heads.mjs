// The heads figure: the essay's forward/backward head mixture (four heatmaps and a table) beside the
// GPT / UniLM / T5 parameter and FLOP counts; and the architectures figure, those counts alone. Their
// analyses: mixture() under the state (mixtureConfigFor) and architectures().
import { mixtureConfigFor } from '../../state/url-state.mjs';
import { HeadsView, buildHeadPanels } from '../heads-view.mjs';
import { byId, element, tableElements } from './elements.mjs';
import { figureEngine } from './engine.mjs';
import { isStale } from './errors.mjs';

// Resolves to { mixture, architectures }.
export async function computeHeads(engine, state) {
  const [mixture, architectures] = await Promise.all([
    engine.request(null, 'mixture', mixtureConfigFor(state)),
    engine.call('architectures', {}),
  ]);
  return { mixture, architectures };
}

function drawHeads(view, results, colour, text) {
  view.colour = colour;
  view.show(results.mixture, results.architectures, text);
}

// <attn-figure kind="heads">.
export class HeadsFigure {
  constructor(body) {
    const grid = element('div', 'pattern-grid', 'figure-grid');
    const panels = buildHeadPanels(grid);
    const tables = [tableElements(), tableElements()];
    const archNote = element('p', 'status');
    body.append(grid, tables[0].scroll, tables[1].scroll, archNote);
    this.view = new HeadsView({ panels, table: tables[0].table, archTable: tables[1].table, archNote });
    this.results = null;
  }

  async run(context) {
    context.progress(0, 1);
    this.results = await computeHeads(figureEngine(context), context.state);
    context.progress(1, 1);
    drawHeads(this.view, this.results, context.state.colour, context.text);
  }

  show(text) { if (this.results) this.view.show(this.results.mixture, this.results.architectures, text); }

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
      drawHeads(this.view, results, host.state.colour, host.text);
      status.textContent = '';
    } catch (error) {
      if (isStale(error) || !host.isCurrent(generation)) return;
      status.textContent = '';
      host.showStageError('heads', error);
    }
  }

  setText(text) { if (this.results) this.view.show(this.results.mixture, this.results.architectures, text); }
}
