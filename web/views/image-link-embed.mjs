// "Image + link" under an embedded figure (issue 19 item 3): an <attn-figure controls="full"> of a kind that
// draws a picture (image-link.mjs imageKinds) offers it in a bar under the figure, for an author who shows the
// figure live on one page and needs its picture where scripts are stripped (the post's feed, its newsletter).
// Its link opens the same figure live from the figure's own folder (embed.html, which is in every copy of the
// folder), or, when the page names an explorer (<meta name="attnrank-explorer" content="URL">), the explorer's
// state of this figure. attn-figure.mjs imports this module only for such a figure (others load none of it).
import { figureParameters } from '../embed/figure-parameters.mjs';
import { explorerLink, embedPageLink, exportBaseName, imageKinds, parameterWords, parseBase } from './image-link.mjs';
import { figureImage, ImageLinkPanel, imageLinkStyleSheet } from './image-link-panel.mjs';

// The embeddable folder (web/ or dist/attnrank/): this module is its views/image-link-embed.mjs.
const kFolderUrl = new URL('../', import.meta.url).href;

export class EmbedImageLink {
  // shadow: the figure's shadow root; figure: its .figure element (the bar goes at its end); body: what it draws.
  constructor(shadow, figure, body) {
    this.body = body;
    if (!shadow.adoptedStyleSheets.includes(imageLinkStyleSheet())) shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, imageLinkStyleSheet()];
    this.bar = document.createElement('div');
    this.bar.className = 'image-link-bar';
    this.bar.setAttribute('part', 'exports');
    this.button = document.createElement('button');
    this.button.type = 'button';
    this.button.dataset.export = 'image-link';
    this.button.addEventListener('click', () => this.#open());
    this.error = document.createElement('p');
    this.error.className = 'image-link-error';
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    this.bar.append(this.button, this.error);
    figure.append(this.bar);
    this.panel = null;
    this.current = null;
  }

  // Whether a figure of `kind` offers the export.
  static offers(kind) { return imageKinds.includes(kind); }

  // The figure drew: { kind, state, patterns, lang, text, chart (its view's chart description, if any),
  // attributes ([name, value] of the element) }. The panel, if open, was for the figure before: it closes.
  update(current) {
    this.current = current;
    this.bar.hidden = !EmbedImageLink.offers(current.kind);
    this.button.textContent = current.text('export.image_link');
    this.button.setAttribute('aria-label', current.text('export.button_name_plain',
      { button: this.button.textContent, what: current.text('export.what.image_link') }));
    this.error.hidden = true;
    this.panel?.hide();
    this.panel?.setText(current.text);
  }

  hide() { this.panel?.hide(); }

  remove() { this.bar.remove(); }

  #open() {
    const { kind, state, patterns, lang, text, chart, attributes } = this.current;
    try {
      const title = text(figureParameters[kind].title);
      const phrases = parameterWords(kind, state, figureParameters[kind].usesPatterns ? patterns : null, text);
      const { scene, parts } = figureImage(this.body, { chart, title, phrases, separator: text('image_link.phrase_separator'),
        nothingDrawn: text('status.nothing_to_export') });
      const explorer = parseBase(document.querySelector('meta[name="attnrank-explorer"]')?.content, document.baseURI);
      this.panel ??= new ImageLinkPanel(this.bar, { text, isEmbed: true, onError: (error) => this.#showError(error) });
      this.panel.show({ scene, parts, kind, title, baseName: exportBaseName(state),
        linkFor: () => (explorer ? explorerLink(explorer, kind, state, lang) : embedPageLink(kFolderUrl, attributes, lang)) });
      this.error.hidden = true;
    } catch (error) {
      this.#showError(error);
    }
  }

  #showError(error) {
    this.error.textContent = error?.message ?? String(error);
    this.error.hidden = false;
  }
}
