// The heads view (issue 6, claims C10, C13, C14): the essay's forward/backward mixture, H heads on one X
// (the first H/2 forward, the rest backward): heatmaps of the first forward head, the first backward
// head, their product A_bwd A_fwd (every entry > 0: every token reaches every token in two layers) and
// the "split" head that reads the past and the future through different halves of its head dimension;
// a table of each head's structure and ranks; and the GPT / UniLM / T5 parameter and FLOP counts at equal
// width and depth. Every number from the core's mixture() and architectures(); drawing only here.
import { parameterInfo } from '../state/parameter-registry.mjs';
import { drawAttentionHeatmap } from './heatmap-figure.mjs';
import { formatCount, formatReal } from './format.mjs';
import { statisticText } from './stats-card.mjs';
import { fitTable } from './table-fit.mjs';

const panelKeys = ['forward', 'backward', 'product', 'split'];

// The H of claim C10's mixture: the registry's default heads of a mixture() request (the core's
// kClaimsMixtureHeads is that default, tests/native/test_claim_thresholds.cpp).
function claimsMixtureHeads() {
  const entry = parameterInfo('heads');
  return entry.defaults.mixture ?? entry.default;
}

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
  fitTable(table);
}

export class HeadsView {
  // panels: Map key -> { canvas, legend, caption } for forward, backward, product, split; table and
  // archTable: <table> elements; archNote: the configuration line of the architecture table.
  // configNote (optional): the line naming the mixture's configuration; with nearClaim, also how it relates
  // to claim C10's card (the explorer shows that card below the view).
  constructor({ panels, table, archTable, archNote, configNote = null, nearClaim = false }) {
    Object.assign(this, { panels, table, archTable, archNote, configNote, nearClaim });
    this.mixture = null;
    this.architectures = null;
    this.colour = 'auto';
    this.colourRange = 'shared';
  }

  // mixture: a mixture() result, or null for the architecture table alone (the embed kind architectures).
  show(mixture, architectures, text) {
    this.text = text;
    this.mixture = mixture;
    this.architectures = architectures;
    this.#fillArchitectureTable(text);
    if (!mixture) return;
    this.#fillMixtureTable(text);
    this.#fillConfigNote(text);
    for (const key of panelKeys) {
      const { caption, canvas } = this.panels.get(key);
      caption.textContent = text(`heads.panel.${key}`);
      canvas.setAttribute('aria-label', text('heads.heatmap_label', { panel: caption.textContent, n: mixture.n }));
    }
    // What was computed, for readers of the DOM (tests).
    this.table.dataset.productMinEntry = String(mixture.product.min_entry);
    this.table.dataset.productPositive = String(mixture.product.is_strictly_positive);
    this.table.dataset.productNumericalRank = String(mixture.product.stats.numerical_rank_f64);
    this.table.dataset.triangular = JSON.stringify(mixture.per_head.map((head) => head.is_triangular));
    this.redraw();
  }

  setColour(colour, colourRange = this.colourRange) {
    this.colour = colour;
    this.colourRange = colourRange;
    this.redraw();
  }

  redraw() {
    const mixture = this.mixture;
    if (!mixture?.head_matrices) return;
    const half = mixture.heads / 2;
    const matrices = { forward: mixture.head_matrices[0], backward: mixture.head_matrices[half],
      product: mixture.product_matrix, split: mixture.split_head_matrix };
    // The heads' masks as the core built them (masked cells drawn and outlined as in the patterns view); the
    // product and the split head are dense.
    const masks = { forward: mixture.head_masks?.[0] ?? null, backward: mixture.head_masks?.[half] ?? null,
      product: null, split: null };
    for (const key of panelKeys) {
      const { canvas, legend } = this.panels.get(key);
      drawAttentionHeatmap(canvas, legend, { data: matrices[key], n: mixture.n, colour: this.colour,
        colourRange: this.colourRange, mask: masks[key] },
        () => this.text)
        .catch(() => {});
    }
  }

  #fillMixtureTable(text) {
    const words = (value) => (value ? text('value.yes') : text('value.no'));
    const rows = this.mixture.per_head.map((head) => [
      `${text('heads.head')} ${head.head + 1} \u00b7 ${text(`pattern.${head.direction}`)}`,
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

  // The mixture's configuration, from the result; near the claims, whether claim C10 checks the same one:
  // C10 runs the mixture's default H (the core's kClaimsMixtureHeads, the registry's mixture default) of
  // head dimension max(d, 2), on the same n, s and seed, so the numbers agree exactly when H is that default.
  #fillConfigNote(text) {
    if (!this.configNote) return;
    const m = this.mixture;
    const words = [text('heads.config', { heads: m.heads, d: m.d_head, dModel: m.d_model, n: m.n,
      scale: formatReal(m.scale), seed: m.seed })];
    const isClaimsMixture = m.heads === claimsMixtureHeads();
    if (this.nearClaim) {
      words.push(isClaimsMixture ? text('heads.same_as_c10', { heads: m.heads, d: m.d_head })
        : text('heads.differs_from_c10', { c10Heads: claimsMixtureHeads(), d: m.d_head }));
    }
    this.configNote.textContent = words.join(' ');
    this.configNote.dataset.isClaimsMixture = String(isClaimsMixture);
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
