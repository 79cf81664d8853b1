// Export buttons under each figure: PNG of the figure, CSV and JSON of its statistics and spectra, and a
// .npy button per pattern panel for its matrix A (written by the core in a worker). The data come from
// the views' last results; web/export.mjs does the writing (PNG at 2x with title, parameters, legends and
// colour bars; SVG of the line charts from the same scene). File names follow the data (exportBaseName of
// the configuration the core echoed).
// "Embed" copies the <attn-figure> element of the figure for the current state (web/embed/snippet.mjs); its
// note ("Copied: ...") goes when the state changes (stateChanged). "Image + link" opens a panel under the bar
// (image-link-panel.mjs) with a picture of the figure for hosts that strip scripts, the link to this state and
// the HTML and Markdown to paste; it closes when the state changes.
import { shownPatterns } from '../state/pattern-registry.mjs';
import { exportFileName, exportName, exportWhat } from './export-names.mjs';

// The Image + link panel's modules (its drawing and DOM), loaded when a panel first opens.
const imageLinkModule = () => import('./image-link-panel.mjs');
// What the buttons do (web/export.mjs's writing of files, the Embed snippet, the Image + link words and link),
// loaded when a button is first used, as one object `x` that every item's function takes: the bars themselves
// need none of it, so the page's first view does not load it.
let actionsLoaded = null;
const actions = () => {
  actionsLoaded ??= Promise.all([import('../export.mjs'), import('../embed/snippet.mjs'), import('../embed/figure-parameters.mjs'),
    import('./image-link.mjs')]).then((modules) => Object.assign({}, ...modules));
  return actionsLoaded;
};

const csvType = 'text/csv;charset=utf-8';
const jsonType = 'application/json';

// The depth view's collapse() results as JSON (typed arrays as plain arrays), one object per pattern.
function depthToJson(x, results) {
  return `${JSON.stringify({ runs: [...(results?.values() ?? [])] }, x.typedArraysAsLists, 2)}\n`;
}

// The heads view's mixture() and architectures() results as JSON, without the n x n head matrices.
function headsToJson(x, results) {
  if (!results) return '{}\n';
  const { head_matrices: _heads, product_matrix: _product, split_head_matrix: _split, ...mixture } = results.mixture;
  return `${JSON.stringify({ mixture, architectures: results.architectures }, x.typedArraysAsLists, 2)}\n`;
}

function button(labelKey, text, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.dataset.export = labelKey;
  element.addEventListener('click', onClick);
  return element;
}

// A panel heading's lines: its parts (pattern name, rule) or its text.
function captionsOf(heading) {
  if (!heading) return [];
  const parts = heading.children.length ? [...heading.children].map((part) => part.textContent) : [heading.textContent];
  return parts.map((part) => part.trim()).filter(Boolean);
}

// The heatmap panels of a grid (patterns, heads) as export panels: each heatmap with its colour bar and
// its captions (the panel's heading lines).
function gridPanels(grid) {
  return [...grid.querySelectorAll('.pattern-panel')].filter((panel) => panel.querySelector('canvas.heatmap')).map((panel) => ({
    heatmap: panel.querySelector('canvas.heatmap'),
    legend: panel.querySelector('canvas.heatmap-legend'),
    captions: captionsOf(panel.querySelector('h3')),
  }));
}

export class ExportsBar {
  // container: the .exports element; items: [[kind ('png'|'csv'|'json'|'spectra'|'embed'|'image-link'), (x) =>
  // Blob|Promise<Blob>|null (the snippet for 'embed', the figure for 'image-link'), name]], x the loaded actions;
  // baseName(x) -> the files' name.
  // isReady() -> whether there is anything to export yet (else the buttons are disabled; refresh() rechecks).
  constructor(container, items, { text, baseName, onError, title, isReady = () => true }) {
    this.container = container;
    this.title = title;  // () => the figure's title, for the buttons' names
    this.items = items;
    this.text = text;
    this.baseName = baseName;
    this.onError = onError;
    this.isReady = isReady;
    this.label = document.createElement('span');
    this.label.className = 'exports-label';
    this.note = document.createElement('span');
    this.note.className = 'exports-note';
    this.note.setAttribute('role', 'status');
    this.imageLink = null;  // the "Image + link" panel, made when first opened
    this.buttons = items.map(([kind, make, suffix]) => button(kind, text, async () => {
      try {
        const x = await actions();
        if (kind === 'embed') {
          await this.#copySnippet(make(x));
          return;
        }
        if (kind === 'image-link') {
          const { ImageLinkPanel, imageLinkStyleSheet } = await imageLinkModule();
          if (!document.adoptedStyleSheets.includes(imageLinkStyleSheet())) {
            document.adoptedStyleSheets = [...document.adoptedStyleSheets, imageLinkStyleSheet()];
          }
          const figure = await make(x);
          this.imageLink ??= new ImageLinkPanel(this.container, { text: this.text, onError });
          this.imageLink.show(figure);
          return;
        }
        const blob = await make(x);
        if (blob) x.downloadBlob(blob, exportFileName(this.baseName(x), suffix));
      } catch (error) {
        onError(error);
      }
    }));
    container.replaceChildren(this.label, ...this.buttons, this.note);
    this.setText(text);
    this.refresh();
  }

  refresh() {
    const isReady = this.isReady();
    for (const element of this.buttons) element.disabled = !isReady;
  }

  // The "Copied" line (and a shown snippet) belongs to the state it was made for: gone once the state changes.
  clearNote() {
    this.note.textContent = '';
    delete this.note.dataset.snippet;
    this.imageLink?.hide();
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

  // Each button's name is its visible text, then what it exports and from which figure (issue 17 item 10:
  // several buttons shared one wrong name, and the name left out the text a speech user reads).
  setText(text) {
    this.text = text;
    this.label.textContent = text('exports.label');
    const figure = this.title?.() ?? '';
    this.items.forEach(([kind, , suffix], index) => {
      const key = kind === 'spectra' ? 'csv' : kind === 'image-link' ? 'image_link' : kind;
      const button = this.buttons[index];
      button.textContent = kind === 'spectra' ? `${text('stat.singular_values')} (CSV)` : text(`export.${key}`);
      button.setAttribute('aria-label', exportName(text, button.textContent, exportWhat(kind, suffix), figure));
    });
    this.imageLink?.setText(text);
    this.imageLink?.hide();  // its picture and alt text are in the language it was opened in
  }
}

// Builds the bars of every section. `page` gives { pool, views, text(), state(), patternResults(),
// raisesResults(), linearResults(), loadResults(), lang() (the page's language), onError(error) }.
export function attachExports(page) {
  const text = (...args) => page.text(...args);
  const state = () => page.state();
  // Names and parameters follow the data: the configuration the core echoed in the first result shown.
  const dataConfig = () => listOf(page.patternResults())[0] ?? state();
  const baseName = (x) => x.exportBaseName(dataConfig());
  const header = (section, extra = '') => {
    const config = dataConfig();
    const parameters = text('export.parameters', { n: config.n, d: config.d, scale: config.scale, seed: config.seed,
      precision: config.precision ?? state().precision });
    return { title: $(`${section}-title`)?.textContent.trim() ?? '', parameters: extra ? `${parameters}, ${extra}` : parameters };
  };
  // Views by name (page.views.spectra ...), read when a button is used: a figure's view may be made after its bar.
  const chartOf = (name) => {
    const view = page.views[name];
    if (!view?.chart) throw Object.assign(new Error(text('status.nothing_to_export')), { code: 'invalid_argument' });
    return view.chart;
  };
  const chartPng = (section, viewName, canvasId, extra, more) => (x) => x.scenePng(x.chartFigureScene($(canvasId), chartOf(viewName), header(section, extra?.()), more?.(x)));
  const chartSvg = (section, viewName, canvasId, extra) => (x) => x.sceneSvg(x.chartFigureScene($(canvasId), chartOf(viewName), header(section, extra?.())));
  const s = () => state();
  const sweepExtra = () => `${s().sweep_over} = ${s().sweep_values}`;
  const depthExtra = () => `L = ${s().layers}, ${s().depth_variant}`;
  // The depth figure: the chart, then the causal product's heatmap with its colour bar and caption.
  const depthMore = (actionsNow) => ({ extra: ({ x, y, width }) => actionsNow.heatmapScene($('depth-chart'), { heatmap: $('depth-heatmap'),
    legend: $('depth-heatmap').parentElement.querySelector('canvas.heatmap-legend'),
    captions: [$('depth-heatmap').parentElement.querySelector('figcaption')?.textContent ?? ''], isPlain: true,
    wrapWidth: width }, x, y) });
  const blobOf = (content, type) => new Blob([content], { type });
  const listOf = (map) => [...(map?.values?.() ?? [])];
  const options = (section) => ({ text, baseName: (x) => `${baseName(x)}-${section}`, onError: page.onError,
    title: () => $(`${section}-title`)?.textContent.trim() ?? '' });
  const $ = (id) => document.getElementById(id);
  // "Image + link" of figure `kind` in section `section` (its element id): the picture, drawn from what the
  // section shows, with its title and the state's words; the link to this state of the explorer.
  const imageLink = (section, kind, viewName = null) => async (x) => {
    const { figureImage } = await imageLinkModule();
    const stateNow = state();
    const entry = x.figureParameters[kind];
    const title = $(`${section}-title`)?.textContent.trim() ?? '';
    const phrases = x.parameterWords(kind, stateNow, entry.usesPatterns ? shownPatterns(stateNow) : null, text);
    const { scene, parts } = figureImage($(section), { chart: page.views[viewName]?.chart ?? null, title, phrases,
      separator: text('image_link.phrase_separator'), nothingDrawn: text('status.nothing_to_export') });
    const lang = page.lang();
    return { scene, parts, kind, title, baseName: baseName(x), linkFor: (base) => x.explorerLink(base, kind, stateNow, lang) };
  };
  const bars = [
    new ExportsBar($('patterns-exports'), [
      ['png', (x) => x.scenePng(x.heatmapsFigureScene($('patterns-grid'), gridPanels($('patterns-grid')), header('patterns'))), 'heatmaps.png'],
      ['csv', (x) => blobOf(x.statsToCsv(listOf(page.patternResults())), csvType), 'statistics.csv'],
      ['json', (x) => blobOf(x.statsToJson(listOf(page.patternResults())), jsonType), 'statistics.json'],
      ['image-link', imageLink('patterns', 'patterns')],
      ['embed', (x) => x.embedSnippet('patterns', state())],
    ], options('patterns')),
    new ExportsBar($('spectra-exports'), [
      ['png', chartPng('spectra', 'spectra', 'spectra-chart'), 'spectra.png'],
      ['svg', chartSvg('spectra', 'spectra', 'spectra-chart'), 'spectra.svg'],
      ['spectra', (x) => blobOf(x.spectraToCsv(listOf(page.patternResults())), csvType), 'spectra.csv'],
      ['json', (x) => blobOf(x.statsToJson(listOf(page.patternResults())), jsonType), 'spectra.json'],
      ['image-link', imageLink('spectra', 'spectra', 'spectra')],
      ['embed', (x) => x.embedSnippet('spectra', state())],
    ], options('spectra')),
    new ExportsBar($('linear-exports'), [
      ['png', chartPng('linear', 'linear', 'linear-chart'), 'linear.png'],
      ['svg', chartSvg('linear', 'linear', 'linear-chart'), 'linear.svg'],
      ['csv', (x) => blobOf(x.statsToCsv(listOf(page.linearResults())), csvType), 'statistics.csv'],
      ['spectra', (x) => blobOf(x.spectraToCsv(listOf(page.linearResults()),
        { seriesLabel: (result) => `${result.kind}:${result.pattern}` }), csvType), 'spectra.csv'],
      ['json', (x) => blobOf(x.statsToJson(listOf(page.linearResults())), jsonType), 'statistics.json'],
      ['image-link', imageLink('linear', 'linear', 'linear')],
      ['embed', (x) => x.embedSnippet('linear', state())],
    ], options('linear')),
    new ExportsBar($('raises-exports'), [
      ['png', chartPng('raises', 'raises', 'raises-chart'), 'raises-rank.png'],
      ['svg', chartSvg('raises', 'raises', 'raises-chart'), 'raises-rank.svg'],
      ['csv', (x) => blobOf(x.statsToCsv(page.raisesResults() ?? []), csvType), 'statistics.csv'],
      ['json', (x) => blobOf(x.statsToJson(page.raisesResults() ?? []), jsonType), 'statistics.json'],
      ['image-link', imageLink('raises', 'raises-rank', 'raises')],
      ['embed', (x) => x.embedSnippet('raises-rank', state())],
    ], options('raises')),
    new ExportsBar($('sweep-exports'), [
      ['png', chartPng('sweep', 'sweep', 'sweep-chart', sweepExtra), 'sweep.png'],
      ['svg', chartSvg('sweep', 'sweep', 'sweep-chart', sweepExtra), 'sweep.svg'],
      ['csv', (x) => blobOf(x.statsToCsv(page.views.sweep?.rows() ?? []), csvType), 'statistics.csv'],
      ['json', (x) => blobOf(x.statsToJson(page.views.sweep?.rows() ?? []), jsonType), 'statistics.json'],
      ['image-link', imageLink('sweep', 'sweep', 'sweep')],
      ['embed', (x) => x.embedSnippet('sweep', state())],
    ], options('sweep')),
    new ExportsBar($('depth-exports'), [
      ['png', chartPng('depth', 'depth', 'depth-chart', depthExtra, depthMore), 'depth.png'],
      ['svg', chartSvg('depth', 'depth', 'depth-chart', depthExtra), 'depth.svg'],
      ['json', (x) => blobOf(depthToJson(x, page.depthResults()), jsonType), 'depth.json'],
      ['image-link', imageLink('depth', 'collapse', 'depth')],
      ['embed', (x) => x.embedSnippet('collapse', state())],
    ], options('depth')),
    new ExportsBar($('heads-exports'), [
      ['png', (x) => x.scenePng(x.heatmapsFigureScene($('heads-grid'), gridPanels($('heads-grid')), header('heads', `H = ${s().heads}`))),
        'heads.png'],
      ['json', (x) => blobOf(headsToJson(x, page.headsResults()), jsonType), 'heads.json'],
      ['image-link', imageLink('heads', 'heads')],
      ['embed', (x) => x.embedSnippet('heads', state())],
    ], options('heads')),
    new ExportsBar($('claims-exports'), [
      ['json', () => blobOf(`${JSON.stringify(page.claimsResult() ?? {}, null, 2)}\n`, jsonType), 'claims.json'],
      ['embed', (x) => x.embedSnippet('claims', state())],
    ], options('claims')),
    // The reader's own Q and K: named after them (their n and d), and nothing to export before they are analysed.
    new ExportsBar($('load-exports'), [
      ['csv', (x) => blobOf(x.statsToCsv(listOf(page.loadResults())), csvType), 'statistics.csv'],
      ['json', (x) => blobOf(x.statsToJson(listOf(page.loadResults())), jsonType), 'statistics.json'],
    ], { ...options('user-qk'), baseName: (x) => `${x.exportBaseName(listOf(page.loadResults())[0] ?? {})}-user-qk`,
      isReady: () => listOf(page.loadResults()).length > 0 }),
  ];
  return {
    setText() { for (const bar of bars) bar.setText(text); },
    // Rechecks which bars have something to export.
    refresh() { for (const bar of bars) bar.refresh(); },
    // The page's state changed: an Embed note shown for the old state goes (issue 19 item 6).
    stateChanged() { for (const bar of bars) bar.clearNote(); },
    // The .npy button of one pattern panel.
    npyButton(result) {
      return async () => {
        const x = await actions();
        x.downloadBlob(await x.matrixToNpy(page.pool, result()), x.matrixFileName(result()));
      };
    },
  };
}
