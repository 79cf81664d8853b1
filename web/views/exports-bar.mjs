// Export buttons under each figure: PNG of the figure, CSV and JSON of its statistics and spectra, and a
// .npy button per pattern panel for its matrix A (written by the core in a worker). The data come from
// the views' last results; web/export.mjs does the writing. File names carry the state (n, d, s, seed).
// "Embed" copies the <attn-figure> element of the figure for the current state (web/embed/snippet.mjs).
import { embedSnippet } from '../embed/snippet.mjs';
import { canvasToPngBlob, downloadBlob, matrixToNpy, spectraToCsv, statsToCsv, statsToJson, typedArraysAsLists } from '../export.mjs';

const csvType = 'text/csv;charset=utf-8';
const jsonType = 'application/json';

// The depth view's collapse() results as JSON (typed arrays as plain arrays), one object per pattern.
function depthToJson(results) {
  return `${JSON.stringify({ runs: [...(results?.values() ?? [])] }, typedArraysAsLists, 2)}\n`;
}

// The heads view's mixture() and architectures() results as JSON, without the n x n head matrices.
function headsToJson(results) {
  if (!results) return '{}\n';
  const { head_matrices: _heads, product_matrix: _product, split_head_matrix: _split, ...mixture } = results.mixture;
  return `${JSON.stringify({ mixture, architectures: results.architectures }, typedArraysAsLists, 2)}\n`;
}

function button(labelKey, text, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.dataset.export = labelKey;
  element.addEventListener('click', onClick);
  return element;
}

// Several canvases side by side on one canvas (the four heatmaps as one PNG), on the page background.
function composite(canvases) {
  const gap = 8;
  const size = Math.max(...canvases.map((canvas) => canvas.width));
  const out = document.createElement('canvas');
  out.width = canvases.length * size + (canvases.length - 1) * gap;
  out.height = size;
  const context = out.getContext('2d');
  context.fillStyle = getComputedStyle(document.body).backgroundColor;
  context.fillRect(0, 0, out.width, out.height);
  canvases.forEach((canvas, index) => context.drawImage(canvas, index * (size + gap), 0, size, size));
  return out;
}

export class ExportsBar {
  // container: the .exports element; items: [[kind ('png'|'csv'|'json'|'spectra'), () => Blob|Promise<Blob>|null, name]]
  constructor(container, items, { text, baseName, onError }) {
    this.container = container;
    this.items = items;
    this.text = text;
    this.baseName = baseName;
    this.onError = onError;
    this.label = document.createElement('span');
    this.label.className = 'exports-label';
    this.note = document.createElement('span');
    this.note.className = 'exports-note';
    this.note.setAttribute('role', 'status');
    this.buttons = items.map(([kind, make, suffix]) => button(kind, text, async () => {
      try {
        if (kind === 'embed') {
          await this.#copySnippet(make());
          return;
        }
        const blob = await make();
        if (blob) downloadBlob(blob, `${this.baseName()}-${suffix}`);
      } catch (error) {
        onError(error);
      }
    }));
    container.replaceChildren(this.label, ...this.buttons, this.note);
    this.setText(text);
  }

  // Copies the snippet; where the clipboard is refused (permissions, no secure context), shows it instead.
  async #copySnippet(snippet) {
    this.note.dataset.snippet = snippet;
    try {
      await navigator.clipboard.writeText(snippet);
      this.note.textContent = this.text('status.embed_copied', { snippet });
    } catch {
      this.note.textContent = this.text('status.embed_shown', { snippet });
    }
  }

  setText(text) {
    this.text = text;
    this.label.textContent = text('exports.label');
    this.items.forEach(([kind], index) => {
      const key = kind === 'spectra' ? 'csv' : kind;  // embed: export.embed, export.embed_label
      this.buttons[index].textContent = kind === 'spectra' ? `${text('stat.singular_values')} (CSV)` : text(`export.${key}`);
      this.buttons[index].setAttribute('aria-label', text(kind === 'spectra' ? 'export.csv_label' : `export.${key}_label`));
    });
  }
}

// Builds the bars of every section. `page` gives { pool, views, text(), state(), patternResults(),
// raisesResults(), linearResults(), loadResults(), onError(error) }.
export function attachExports(page) {
  const text = (...args) => page.text(...args);
  const state = () => page.state();
  const baseName = () => { const s = state(); return `attnrank-n${s.n}-d${s.d}-s${s.scale}-seed${s.seed}`; };
  const blobOf = (content, type) => new Blob([content], { type });
  const listOf = (map) => [...(map?.values?.() ?? [])];
  const options = (section) => ({ text, baseName: () => `${baseName()}-${section}`, onError: page.onError });
  const $ = (id) => document.getElementById(id);
  const bars = [
    new ExportsBar($('patterns-exports'), [
      ['png', () => canvasToPngBlob(composite([...document.querySelectorAll('#patterns-grid canvas.heatmap')])), 'heatmaps.png'],
      ['csv', () => blobOf(statsToCsv(listOf(page.patternResults())), csvType), 'statistics.csv'],
      ['json', () => blobOf(statsToJson(listOf(page.patternResults())), jsonType), 'statistics.json'],
      ['embed', () => embedSnippet('patterns', state())],
    ], options('patterns')),
    new ExportsBar($('spectra-exports'), [
      ['png', () => canvasToPngBlob($('spectra-chart')), 'spectra.png'],
      ['spectra', () => blobOf(spectraToCsv(listOf(page.patternResults())), csvType), 'spectra.csv'],
      ['json', () => blobOf(statsToJson(listOf(page.patternResults())), jsonType), 'spectra.json'],
      ['embed', () => embedSnippet('spectra', state())],
    ], options('spectra')),
    new ExportsBar($('linear-exports'), [
      ['png', () => canvasToPngBlob($('linear-chart')), 'linear.png'],
      ['csv', () => blobOf(statsToCsv(listOf(page.linearResults())), csvType), 'statistics.csv'],
      ['spectra', () => blobOf(spectraToCsv(listOf(page.linearResults()),
        { seriesLabel: (result) => `${result.kind}:${result.pattern}` }), csvType), 'spectra.csv'],
      ['json', () => blobOf(statsToJson(listOf(page.linearResults())), jsonType), 'statistics.json'],
      ['embed', () => embedSnippet('linear', state())],
    ], options('linear')),
    new ExportsBar($('raises-exports'), [
      ['png', () => canvasToPngBlob($('raises-chart')), 'raises-rank.png'],
      ['csv', () => blobOf(statsToCsv(page.raisesResults() ?? []), csvType), 'statistics.csv'],
      ['json', () => blobOf(statsToJson(page.raisesResults() ?? []), jsonType), 'statistics.json'],
      ['embed', () => embedSnippet('raises-rank', state())],
    ], options('raises')),
    new ExportsBar($('sweep-exports'), [
      ['png', () => canvasToPngBlob($('sweep-chart')), 'sweep.png'],
      ['csv', () => blobOf(statsToCsv(page.views.sweep.rows()), csvType), 'statistics.csv'],
      ['json', () => blobOf(statsToJson(page.views.sweep.rows()), jsonType), 'statistics.json'],
      ['embed', () => embedSnippet('sweep', state())],
    ], options('sweep')),
    new ExportsBar($('depth-exports'), [
      ['png', () => canvasToPngBlob($('depth-chart')), 'depth.png'],
      ['json', () => blobOf(depthToJson(page.depthResults()), jsonType), 'depth.json'],
      ['embed', () => embedSnippet('collapse', state())],
    ], options('depth')),
    new ExportsBar($('heads-exports'), [
      ['json', () => blobOf(headsToJson(page.headsResults()), jsonType), 'heads.json'],
      ['embed', () => embedSnippet('heads', state())],
    ], options('heads')),
    new ExportsBar($('claims-exports'), [
      ['json', () => blobOf(`${JSON.stringify(page.claimsResult() ?? {}, null, 2)}\n`, jsonType), 'claims.json'],
      ['embed', () => embedSnippet('claims', state())],
    ], options('claims')),
    new ExportsBar($('load-exports'), [
      ['csv', () => blobOf(statsToCsv(listOf(page.loadResults())), csvType), 'statistics.csv'],
      ['json', () => blobOf(statsToJson(listOf(page.loadResults())), jsonType), 'statistics.json'],
    ], options('user-qk')),
  ];
  return {
    setText() { for (const bar of bars) bar.setText(text); },
    // The .npy button of one pattern panel.
    npyButton(result) {
      return async () => downloadBlob(await matrixToNpy(page.pool, result()), `${baseName()}-${result().pattern}.npy`);
    },
  };
}
