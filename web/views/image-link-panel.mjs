// "Image + link" (issue 19 item 3), the panel: under a figure of the explorer (its exports bar) or of an
// <attn-figure controls="full">, it shows the picture of the figure (image-link-scene.mjs, light colours), its
// Download PNG and (for charts) SVG buttons, the link to the live figure, the base of the explorer's links
// (explorer only) and the folder the picture is uploaded to (optional: the snippet's image address), each kept
// for the visit and shared by every figure's panel (nothing is stored), and the HTML and Markdown to paste (image-link.mjs), each with a Copy button. figureImage() finds what to draw in a figure's
// DOM, the same elements on the page and in an embed: a chart canvas (canvas.chart, with its chart description
// and, for depth, its heatmap) or heatmap panels (.pattern-panel). DOM by createElement/textContent only.
import { chartImageScene, hasRaster, heatmapsImageScene, inLightColours, lightColoursRule } from './image-link-scene.mjs';
import { altText, downloadBlob, imageAddress, imageFileName, imageLinkSnippets, pageBase, parseBase } from './image-link.mjs';
import { paintScene, scenePngBlob, sceneToSvg } from '../render/scene.mjs';


// The explorer's links' base: what the author typed this visit (shared by every panel of the page), else the
// page's <meta name="attnrank-explorer" content="..."> (a site that hosts the explorer elsewhere), else this
// page's origin and path.
let typedBase = null;
let typedImageFolder = '';  // where the author uploads the picture (optional), also for the visit only
const openPanels = new Set();  // the panels shown now: a shared setting changed in one refreshes them all
export function explorerBase(doc = document) {
  if (typedBase) return typedBase;
  const meta = doc.querySelector('meta[name="attnrank-explorer"]')?.content;
  return parseBase(meta, doc.baseURI) ?? pageBase(doc.location);
}

// The accessible name and description of an element (aria-label, the text of its aria-describedby), as the
// figure gives them to screen readers.
function describedPart(element) {
  const name = element.getAttribute('aria-label') ?? '';
  const describedBy = element.getAttribute('aria-describedby');
  const root = element.getRootNode();
  const description = describedBy ? describedBy.split(/\s+/).map((id) => root.getElementById?.(id)?.textContent ?? '').join(' ') : '';
  return { name, description };
}

function panelCaptions(panel) {
  const heading = panel.querySelector('h3');
  if (!heading) return [];
  const parts = heading.children.length ? [...heading.children].map((part) => part.textContent) : [heading.textContent];
  return parts.map((part) => part.trim()).filter(Boolean);
}

// What to draw for the figure in `scope` (its section on the page, an embed's body): { scene, parts } where
// parts are the accessible names and descriptions of what it draws (for the alt text). chart: the chart
// description the figure drew (its view's .chart) when it draws one. Throws (code 'invalid_argument') when
// nothing is drawn yet. Drawn in light colours.
export function figureImage(scope, { chart, title, phrases, separator, nothingDrawn }) {
  const nothing = () => Object.assign(new Error(nothingDrawn), { code: 'invalid_argument' });
  const chartCanvas = scope.querySelector('canvas.chart');
  if (chartCanvas) {
    if (!chart) throw nothing();
    const heatmap = scope.querySelector('canvas.depth-heatmap');
    const legend = heatmap?.nextElementSibling?.classList.contains('heatmap-legend') ? heatmap.nextElementSibling : null;
    const heatmapCaption = heatmap?.closest('figure')?.querySelector('figcaption')?.textContent.trim();
    const panels = heatmap && heatmap.width > 0 ? [{ heatmap, legend, captions: [heatmapCaption || heatmap.getAttribute('aria-label') || ''],
      isPlain: true }] : [];
    const scene = inLightColours(scope, () => chartImageScene(chartCanvas, { title, phrases, separator, chart, panels }));
    return { scene, parts: [describedPart(chartCanvas), ...panels.map((panel) => describedPart(panel.heatmap))] };
  }
  const panels = [...scope.querySelectorAll('.pattern-panel')].map((panel) => ({ panel, heatmap: panel.querySelector('canvas.heatmap') }))
    .filter(({ panel, heatmap }) => heatmap && !panel.hidden && heatmap.getBoundingClientRect().width > 0)
    .map(({ panel, heatmap }) => ({ heatmap, legend: panel.querySelector('canvas.heatmap-legend'), captions: panelCaptions(panel) }));
  if (!panels.length) throw nothing();
  const scene = inLightColours(scope, () => heatmapsImageScene(panels[0].heatmap, { title, phrases, separator, panels }));
  return { scene, parts: panels.map((panel) => describedPart(panel.heatmap)) };
}

function make(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

// A labelled read-only field (an input, or a textarea for the snippets) with an optional Copy button.
function field(kind, labelKey, copyKey) {
  const label = make('label', 'image-link-field');
  const caption = make('span');
  const input = make(kind === 'textarea' ? 'textarea' : 'input');
  input.readOnly = true;
  input.spellcheck = false;
  if (kind === 'textarea') input.rows = 3;
  else input.type = 'text';
  input.dataset.field = labelKey.split('.').at(-1);
  label.append(caption, input);
  const copy = copyKey ? make('button') : null;
  if (copy) {
    copy.type = 'button';
    copy.dataset.copy = input.dataset.field;
  }
  return { label, caption, input, copy, labelKey, copyKey };
}

export class ImageLinkPanel {
  // container: where the panel goes (it appends itself, hidden); text: t() of the figure's language;
  // isEmbed: an embedded figure (its link goes to the folder's embed.html; no base field).
  constructor(container, { text, isEmbed = false, onError = () => {} }) {
    this.text = text;
    this.isEmbed = isEmbed;
    this.onError = onError;
    this.figure = null;  // { scene, kind, alt, baseName, linkFor(base) }
    const root = make('section', 'image-link');
    root.hidden = true;
    root.dataset.imageLink = '';
    this.title = make('p', 'image-link-title');
    this.intro = make('p', 'image-link-intro');
    this.preview = make('canvas', 'image-link-preview');
    this.preview.setAttribute('role', 'img');
    this.size = make('p', 'image-link-size');
    this.png = make('button');
    this.png.type = 'button';
    this.png.dataset.download = 'png';
    this.svg = make('button');
    this.svg.type = 'button';
    this.svg.dataset.download = 'svg';
    this.noSvg = make('p', 'image-link-note');
    const downloads = make('div', 'image-link-buttons');
    downloads.append(this.png, this.svg);
    this.base = isEmbed ? null : field('input', 'image_link.base');
    if (this.base) {
      this.base.input.readOnly = false;
      this.base.input.type = 'url';
      this.base.input.autocomplete = 'url';
      this.baseError = make('p', 'image-link-error');
      this.baseError.hidden = true;
      this.base.input.addEventListener('change', () => this.#setBase(this.base.input.value));
    }
    this.baseNote = isEmbed ? make('p', 'image-link-note') : null;
    this.folder = field('input', 'image_link.image_folder');
    this.folder.input.readOnly = false;
    this.folder.input.type = 'url';
    this.folderError = make('p', 'image-link-error');
    this.folderError.hidden = true;
    this.folder.input.addEventListener('change', () => this.#setFolder(this.folder.input.value));
    this.link = field('input', 'image_link.link');
    this.html = field('textarea', 'image_link.html', 'image_link.copy_html');
    this.markdown = field('textarea', 'image_link.markdown', 'image_link.copy_markdown');
    this.status = make('p', 'image-link-status');
    this.status.setAttribute('role', 'status');
    this.close = make('button', 'image-link-close');
    this.close.type = 'button';
    this.close.addEventListener('click', () => this.hide());
    const snippet = (part) => {
      const row = make('div', 'image-link-snippet');
      row.append(part.label, part.copy);
      part.copy.addEventListener('click', () => this.#copy(part.input));
      return row;
    };
    root.append(this.title, this.intro, this.preview, this.size, downloads, this.noSvg,
      ...(this.base ? [this.base.label, this.baseError] : [this.baseNote]), this.link.label, this.folder.label, this.folderError,
      snippet(this.html), snippet(this.markdown),
      this.status, this.close);
    this.png.addEventListener('click', () => this.#download('png'));
    this.svg.addEventListener('click', () => this.#download('svg'));
    this.root = root;
    container.append(root);
    this.setText(text);
  }

  get isOpen() { return !this.root.hidden; }

  // Shows the panel for figure: { scene, parts (accessible names and descriptions), kind, title, baseName,
  // linkFor(base) (the live figure's absolute URL; base: the explorer's, unused by an embed) }.
  show(figure) {
    this.figure = { ...figure, alt: altText(figure.title, figure.parts, this.text) };
    const { scene } = this.figure;
    this.preview.width = Math.ceil(scene.width);
    this.preview.height = Math.ceil(scene.height);
    this.preview.dataset.width = String(scene.width);
    this.preview.dataset.height = String(scene.height);
    const context = this.preview.getContext('2d');
    context.setTransform(1, 0, 0, 1, 0, 0);
    paintScene(context, scene.items, scene.fontFamily);
    const isSvg = !hasRaster(scene);
    this.svg.hidden = !isSvg;
    this.noSvg.hidden = isSvg;
    if (this.base) {
      this.base.input.value = explorerBase();
      this.baseError.hidden = true;
    }
    this.folder.input.value = typedImageFolder;
    this.folderError.hidden = true;
    this.status.textContent = '';
    this.root.hidden = false;
    openPanels.add(this);
    this.#fill();
  }

  hide() {
    this.root.hidden = true;
    this.figure = null;
    openPanels.delete(this);
  }

  // The shared settings changed (in this panel or another): their fields and the snippets follow.
  refresh() {
    if (!this.figure) return;
    if (this.base) this.base.input.value = explorerBase();
    this.folder.input.value = typedImageFolder;
    this.#fill();
  }

  setText(text) {
    this.text = text;
    this.title.textContent = text('image_link.title');
    this.intro.textContent = text('image_link.intro');
    this.png.textContent = text('image_link.png');
    this.svg.textContent = text('image_link.svg');
    this.noSvg.textContent = text('image_link.no_svg');
    this.close.textContent = text('image_link.close');
    if (this.baseNote) this.baseNote.textContent = text('image_link.base_embed');
    for (const part of [this.base, this.link, this.folder, this.html, this.markdown]) {
      if (!part) continue;
      part.caption.textContent = text(part.labelKey);
      if (part.copy) part.copy.textContent = text(part.copyKey);
    }
    if (this.figure) this.#fill();
  }

  #setBase(value) {
    const base = parseBase(value, document.baseURI);
    this.baseError.hidden = Boolean(base);
    if (!base) {
      this.baseError.textContent = this.text('image_link.base_bad', { value });
      return;
    }
    typedBase = base;
    for (const panel of openPanels) panel.refresh();
  }

  #setFolder(value) {
    const isEmpty = !value.trim();
    const folder = parseBase(value, undefined);
    this.folderError.hidden = isEmpty || Boolean(folder);
    if (!isEmpty && !folder) {
      this.folderError.textContent = this.text('image_link.base_bad', { value });
      return;
    }
    typedImageFolder = isEmpty ? '' : folder;
    for (const panel of openPanels) panel.refresh();
  }

  // The link and the snippets for the shown figure (and base).
  #fill() {
    const { scene, alt, kind, baseName } = this.figure;
    const link = this.figure.linkFor(this.isEmbed ? null : explorerBase());
    const width = Math.ceil(scene.width);
    const height = Math.ceil(scene.height);
    const file = imageAddress(typedImageFolder, imageFileName(baseName, kind));
    const { html, markdown } = imageLinkSnippets({ link, file, alt, width, height });
    this.preview.setAttribute('aria-label', this.text('image_link.preview', { alt }));
    this.size.textContent = this.text('image_link.size', { width, height });
    this.link.input.value = link;
    this.html.input.value = html;
    this.markdown.input.value = markdown;
    this.root.dataset.link = link;
    this.root.dataset.alt = alt;
  }

  async #download(kind) {
    if (!this.figure) return;
    const { scene, baseName } = this.figure;
    try {
      const blob = kind === 'png' ? await scenePngBlob(scene)
        : new Blob([sceneToSvg(scene)], { type: 'image/svg+xml' });
      downloadBlob(blob, imageFileName(baseName, this.figure.kind, kind));
    } catch (error) {
      this.onError(error);
    }
  }

  async #copy(input) {
    try {
      await navigator.clipboard.writeText(input.value);
      this.status.textContent = this.text('image_link.copied');
    } catch {
      input.focus();
      input.select();
      this.status.textContent = this.text('image_link.copy_refused');
    }
  }
}

let sheet = null;
// The panel's stylesheet (constructed, so it is allowed under style-src 'self'): adopted by the explorer's
// document and by each embed's shadow root that shows a panel. Colours are the page's or figure's own.
export function imageLinkStyleSheet() {
  if (sheet) return sheet;
  sheet = new CSSStyleSheet();
  sheet.replaceSync(`
.image-link-bar { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; margin-top: 0.6rem; }
.image-link-bar[hidden] { display: none; }
.image-link { flex-basis: 100%; min-width: 0; display: grid; gap: 0.55rem; margin-top: 0.5rem; padding: 0.8rem;
  border: 1px solid var(--rule, #dcdad3); border-radius: 8px; font-size: 0.85rem; line-height: 1.45; }
.image-link[hidden] { display: none; }
.image-link p { margin: 0; }
.image-link-title { font-weight: 650; font-size: 0.95rem; }
.image-link-intro, .image-link-size, .image-link-note, .image-link-status { color: var(--muted, #5d6470); }
.image-link-status:empty, .image-link-note[hidden], .image-link-error[hidden] { display: none; }
.image-link-preview { width: 100%; max-width: 30rem; height: auto; border: 1px solid var(--rule, #dcdad3); border-radius: 4px; }
.image-link-buttons { display: flex; flex-wrap: wrap; gap: 0.4rem; }
.image-link-buttons button[hidden] { display: none; }
.image-link-field { display: grid; gap: 0.2rem; min-width: 0; }
.image-link-field span { font-weight: 600; }
.image-link-field input, .image-link-field textarea { width: 100%; box-sizing: border-box; min-width: 0;
  font: 0.78rem/1.4 var(--font-mono, ui-monospace, monospace); color: inherit; background: transparent;
  border: 1px solid var(--rule, #dcdad3); border-radius: 4px; padding: 0.3rem 0.4rem; }
.image-link-field textarea { resize: vertical; }
.image-link-snippet { display: grid; gap: 0.3rem; }
.image-link-snippet button, .image-link-close { justify-self: start; }
.image-link-error { color: var(--error, #a4161a); }
${lightColoursRule}
`);
  return sheet;
}
