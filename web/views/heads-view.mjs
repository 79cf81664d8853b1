// The heads view (issue 6, claims C10, C13, C14): the essay's forward/backward mixture, H heads on one X
// (the first H/2 forward, the rest backward): heatmaps of the first forward head, the first backward
// head, their product A_bwd A_fwd (every entry > 0: every token reaches every token in two layers) and
// the "split" head that reads the past and the future through different halves of its head dimension;
// a table of each head's structure and ranks; and the GPT / UniLM / T5 parameter and FLOP counts at equal
// width and depth. Every number from the core's mixture() and architectures(); drawing only here.
import { drawAttentionHeatmap } from './heatmap-figure.mjs';
import { formatCount, formatReal } from './format.mjs';
import { statisticText } from './stats-card.mjs';

const panelKeys = ['forward', 'backward', 'product', 'split'];

// Fills grid with the four heatmap panels (caption, heatmap, colour bar); returns Map key -> { canvas,
// legend, caption } for HeadsView. Used by the page and the heads embed alike.
export function buildHeadPanels(grid) {
  const panels = new Map();
  for (const key of panelKeys) {
    const panel = document.createElement('article');
    panel.className = 'pattern-panel';
    panel.dataset.panel = key;
    const caption = document.createElement('h3');
    const canvas = document.createElement('canvas');
    canvas.className = 'heatmap';
    canvas.width = canvas.height = 240;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('part', 'heatmap');
    const legend = document.createElement('canvas');
    legend.className = 'heatmap-legend';
    legend.width = 240;
    legend.height = 26;
    legend.setAttribute('aria-hidden', 'true');
    panel.append(caption, canvas, legend);
    grid.append(panel);
    panels.set(key, { canvas, legend, caption });
  }
  return panels;
}

function cell(tag, text, scope) {
  const element = document.createElement(tag);
  element.textContent = text;
  if (scope) element.scope = scope;
  return element;
}

function fillTable(table, header, rows) {
  const head = document.createElement('thead');
  const headRow = document.createElement('tr');
  headRow.append(...header.map((text) => cell('th', text, 'col')));
  head.append(headRow);
  const body = document.createElement('tbody');
  for (const row of rows) {
    const tr = document.createElement('tr');
    tr.append(cell('th', row[0], 'row'), ...row.slice(1).map((text) => cell('td', text)));
    body.append(tr);
  }
  table.replaceChildren(head, body);
}

export class HeadsView {
  // panels: Map key -> { canvas, legend, caption } for forward, backward, product, split; table and
  // archTable: <table> elements; archNote: the configuration line of the architecture table.
  constructor({ panels, table, archTable, archNote }) {
    Object.assign(this, { panels, table, archTable, archNote });
    this.mixture = null;
    this.architectures = null;
    this.colour = 'linear';
  }

  // mixture: a mixture() result, or null for the architecture table alone (the embed kind architectures).
  show(mixture, architectures, text) {
    this.text = text;
    this.mixture = mixture;
    this.architectures = architectures;
    this.#fillArchitectureTable(text);
    if (!mixture) return;
    this.#fillMixtureTable(text);
    for (const key of panelKeys) this.panels.get(key).caption.textContent = text(`heads.panel.${key}`);
    // What was computed, for readers of the DOM (tests).
    this.table.dataset.productMinEntry = String(mixture.product.min_entry);
    this.table.dataset.productPositive = String(mixture.product.is_strictly_positive);
    this.table.dataset.triangular = JSON.stringify(mixture.per_head.map((head) => head.is_triangular));
    this.redraw();
  }

  setColour(colour) {
    this.colour = colour;
    this.redraw();
  }

  redraw() {
    const mixture = this.mixture;
    if (!mixture?.head_matrices) return;
    const half = mixture.heads / 2;
    const matrices = { forward: mixture.head_matrices[0], backward: mixture.head_matrices[half],
      product: mixture.product_matrix, split: mixture.split_head_matrix };
    for (const key of panelKeys) {
      const { canvas, legend } = this.panels.get(key);
      drawAttentionHeatmap(canvas, legend, { data: matrices[key], n: mixture.n, colour: this.colour }, () => this.text)
        .catch(() => {});
    }
  }

  #fillMixtureTable(text) {
    const words = (value) => (value ? text('value.yes') : text('value.no'));
    const rows = this.mixture.per_head.map((head) => [
      `${text('heads.head')} ${head.head + 1} (${text(`pattern.${head.direction}`)})`,
      words(head.is_triangular), formatReal(head.min_diagonal),
      statisticText('numerical_rank_f64', head.stats, text), statisticText('effective_rank', head.stats, text),
      statisticText('condition_number', head.stats, text), '\u2014']);
    const { product, split_head: split, output } = this.mixture;
    rows.push([text('heads.product'), words(false), '\u2014', statisticText('numerical_rank_f64', product.stats, text),
      statisticText('effective_rank', product.stats, text), statisticText('condition_number', product.stats, text),
      `${formatReal(product.min_entry)} (${words(product.is_strictly_positive)})`]);
    rows.push([text('heads.split'), words(false), '\u2014', statisticText('numerical_rank_f64', split.stats, text),
      statisticText('effective_rank', split.stats, text), statisticText('condition_number', split.stats, text),
      formatReal(split.min_entry)]);
    rows.push([text('heads.output'), '\u2014', '\u2014', String(output.numerical_rank), formatReal(output.effective_rank),
      '\u2014', '\u2014']);
    fillTable(this.table, [text('heads.matrix'), text('heads.triangular'), text('heads.min_diagonal'),
      text('stat.numerical_rank_f64'), text('stat.effective_rank'), text('stat.condition_number'), text('heads.min_entry')], rows);
  }

  #fillArchitectureTable(text) {
    const a = this.architectures;
    if (!this.archTable || !a) return;  // the heads embed: its table is kind="architectures"'s, not repeated
    const rows = a.architectures.map((entry) => [text(`arch.${entry.architecture}`),
      formatCount(entry.parameters), formatCount(entry.layer_parameters),
      formatReal(entry.flops_per_token), `${(100 * entry.attention_flops / entry.flops).toFixed(1)} %`]);
    fillTable(this.archTable, [text('arch.architecture'), text('arch.parameters'), text('arch.layer_parameters'),
      text('arch.flops_per_token'), text('arch.attention_share')], rows);
    this.archNote.textContent = text('arch.config', { d: a.d_model, L: a.layers, H: a.heads, dff: a.d_ff, V: a.vocab,
      nin: a.n_in, nout: a.n_out });
  }
}
