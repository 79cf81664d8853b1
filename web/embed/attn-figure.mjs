// <attn-figure kind="patterns" n="64" d="8" scale="1" seed="7"></attn-figure>: one figure of the
// explorer, embeddable in any page with one module script (design.md section 5). Attributes mirror the
// page's URL state (attribute-state.mjs); changing one recomputes. The figure computes only once it
// comes near the viewport; all figures share one worker and one wasm instance (shared-engine.mjs); an
// error (bad attribute, core error, engine failure) shows inside this figure only, and the last good
// result stays. The host element carries data-state = loading | computing | done | error, for pages and
// tests. Its API beside the attributes (element-api.mjs, issue 19 item 2): a typed JS property per attribute
// (kept when set before the element is defined), the events attn-figure-done and attn-figure-error, a read-only
// `result` (what the core returned for the last drawing), the public --attn-* custom properties
// (figure-style.mjs), its ::part()s, and a default slot whose content (an image and a caption) shows until the
// figure first draws and when it fails with no drawing to keep. Shadow DOM with one adopted stylesheet; no
// innerHTML anywhere, no storage, no network beyond this folder's own files.
import { loadLanguage, pickLanguage, t } from '../i18n/strings.mjs';
import { attributeOfParam, attributeWords, figureOptions, observedAttributes, themeNames } from './attribute-state.mjs';
import { attributeText, elementProperties, errorDetail, propertyValue } from './element-api.mjs';
import { FigureControls } from './figure-controls.mjs';
import { figureClasses } from './figure-kinds.mjs';
import { errorText, isStale } from '../views/figures/errors.mjs';
import { claimsStyleSheet } from '../views/claims-style.mjs';
import { forcedColoursStyleSheet } from '../views/forced-colours.mjs';
import { tableStyleSheet } from '../views/table-fit.mjs';
import { figureStyleSheet } from './figure-style.mjs';
import { dropFigureWork, newFigureId, sharedEngine } from './shared-engine.mjs';

const kNearViewport = '400px';  // start computing this far before a figure scrolls into view

export class AttnFigure extends HTMLElement {
  static get observedAttributes() { return observedAttributes; }

  #slot = newFigureId();
  #generation = 0;
  #isNear = false;
  #isScheduled = false;
  #figureKind = null;
  #renderer = null;
  #lang = 'en';
  #controls;  // FigureControls (the `controls` property is the attribute's)
  #controlLevel = null;
  #parts;
  #intersection = null;
  #resize = null;
  #redrawFrame = 0;
  #darkQuery = null;  // the OS's colour scheme: in theme="auto" on a light-and-dark page, canvases follow it
  #waiting = [];  // computeNow()'s settle functions
  #imageLink = null;  // the "Image + link" bar of a controls="full" figure (views/image-link-embed.mjs)
  #result = null;  // what the core returned for the last drawing (the renderer's result)

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: 'open' });
    shadow.adoptedStyleSheets = [figureStyleSheet(), claimsStyleSheet(), tableStyleSheet(), forcedColoursStyleSheet()];
    const figure = document.createElement('div');
    figure.className = 'figure';
    figure.setAttribute('part', 'figure');
    const controls = document.createElement('div');
    controls.className = 'controls';
    controls.setAttribute('part', 'controls');
    controls.hidden = true;
    const error = document.createElement('p');
    error.className = 'figure-error';
    error.setAttribute('part', 'error');
    error.setAttribute('role', 'alert');
    error.hidden = true;
    // The author's content (the default slot): shown until the first drawing, and when the figure fails with none.
    const fallback = document.createElement('div');
    fallback.className = 'fallback';
    fallback.setAttribute('part', 'fallback');
    fallback.append(document.createElement('slot'));
    const body = document.createElement('div');
    body.className = 'body';
    const status = document.createElement('p');
    status.className = 'status';
    status.setAttribute('aria-live', 'polite');
    figure.append(controls, error, fallback, body, status);
    shadow.append(figure);
    this.#parts = { figure, controls, error, fallback, body, status };
    this.#controls = new FigureControls(controls, (name, value) => this.setAttribute(name, value));
    this.#upgradeProperties();
  }

  // A property a page or framework set on the element before it was defined is an own property of the element
  // that hides the class's accessor: take it off and set it again through the accessor (its attribute). Only an
  // upgraded element can have one (the constructor of a new element runs before anything can be set on it).
  #upgradeProperties() {
    for (const { property, isNative } of elementProperties) {
      if (isNative || !Object.hasOwn(this, property)) continue;
      const value = this[property];
      delete this[property];
      this[property] = value;
    }
    delete this.result;  // read-only: a value set before is dropped
  }

  // What the core returned for the figure's last drawing (element-api.mjs figureResults: per kind), or null
  // before the first (of its kind: a change of kind drops it). Read-only; kept when a later change fails.
  get result() { return this.#result; }

  connectedCallback() {
    if (!this.dataset.state) this.dataset.state = 'loading';
    this.#intersection = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      this.#isNear = true;
      this.#intersection.disconnect();
      this.#schedule();
    }, { rootMargin: kNearViewport });
    this.#intersection.observe(this);
    this.#resize = new ResizeObserver(this.#redrawSoon);
    this.#resize.observe(this);
    // Canvases take their colours when drawn: redraw when the OS switches between light and dark.
    this.#darkQuery = matchMedia('(prefers-color-scheme: dark)');
    this.#darkQuery.addEventListener('change', this.#redrawSoon);
  }

  #redrawSoon = () => {
    cancelAnimationFrame(this.#redrawFrame);
    this.#redrawFrame = requestAnimationFrame(() => this.#redraw());
  };

  // A figure taken out of the page (not one moved: still connected a microtask later) drops its queued and
  // running work from the shared engine, so the page's other figures do not wait behind it, and settles
  // its computeNow() promises with 'removed'. Put back, it computes again when it comes near the viewport.
  disconnectedCallback() {
    this.#intersection?.disconnect();
    this.#resize?.disconnect();
    this.#darkQuery?.removeEventListener('change', this.#redrawSoon);
    queueMicrotask(() => {
      if (this.isConnected) return;
      this.#generation += 1;  // results still arriving for this figure are dropped
      this.#isNear = false;
      dropFigureWork(this.#slot);
      for (const settle of this.#waiting.splice(0)) settle('removed');
    });
  }

  // Computes now even if the figure never came near the viewport (a page about to print) and resolves
  // with 'done' or 'error' once it has drawn or failed, or 'removed' when the figure is taken out of the
  // page first, or at once when it is not in the page (it never rejects). Resolves at once for a figure
  // already drawn.
  computeNow() {
    const isSettled = () => ['done', 'error', 'held'].includes(this.dataset.state);
    if (isSettled()) return Promise.resolve(this.dataset.state);
    if (!this.isConnected) return Promise.resolve('removed');  // a figure out of the page never computes
    return new Promise((resolve) => {
      const watcher = new MutationObserver(() => {
        if (!isSettled()) return;
        settle(this.dataset.state);
      });
      const settle = (state) => {
        watcher.disconnect();
        this.#waiting = this.#waiting.filter((other) => other !== settle);
        resolve(state);
      };
      this.#waiting.push(settle);
      watcher.observe(this, { attributes: true, attributeFilter: ['data-state'] });
      if (!this.#isNear) {
        this.#isNear = true;
        this.#intersection?.disconnect();
        this.#schedule();
      }
    });
  }

  // A valid theme changes only the colours of a drawn figure: a redraw; a bad one is an error (#update).
  attributeChangedCallback(name) {
    const isGoodTheme = name === 'theme' && themeNames.includes((this.getAttribute('theme') ?? 'auto').trim().toLowerCase());
    if (isGoodTheme && this.dataset.state === 'done') this.#redrawSoon();
    else if (this.#isNear) this.#schedule();
  }

  // Several attributes set in one task give one update.
  #schedule() {
    if (this.#isScheduled) return;
    this.#isScheduled = true;
    queueMicrotask(() => {
      this.#isScheduled = false;
      this.#update().catch((error) => this.#showError(error));
    });
  }

  #text = (key, params) => t(this.#lang, key, params);

  async #update() {
    const generation = ++this.#generation;
    this.#imageLink?.hide();  // its picture and link were the figure's before this change
    const startedAt = performance.now();
    const { pool, limits, patterns } = sharedEngine(this.getAttribute('kind'));
    this.#setStatus(this.#text('status.loading'));
    const [engineLimits] = await Promise.all([limits, patterns]);
    if (generation !== this.#generation) return;
    const options = figureOptions((name) => this.getAttribute(name), this.getAttributeNames(), engineLimits);
    const hostLang = this.closest('[lang]')?.getAttribute('lang');
    const lang = pickLanguage(options.state.lang, hostLang || navigator.language);
    await loadLanguage(lang);  // t() reads only loaded tables
    if (generation !== this.#generation) return;
    const langChanged = lang !== this.#lang;
    this.#lang = lang;
    // A train figure's controls are its own (Run, Stop): the explorer's n, scale and seed are not its settings.
    const controlLevel = options.figure === 'train' ? 'none' : options.controls;
    if (controlLevel !== this.#controlLevel || langChanged) {
      this.#controls.render(controlLevel, options.state, this.#text);
      this.#controlLevel = controlLevel;
    } else {
      this.#controls.sync(options.state);
    }
    const [firstAttribute, firstError] = Object.entries(options.errors)[0] ?? [];
    if (firstError) {
      this.#showError(Object.assign(new Error(firstError), { attribute: firstAttribute }));
      return;
    }
    if (options.figure !== this.#figureKind) {
      this.#parts.body.replaceChildren();
      this.#showDrawing(false);
      this.#result = null;  // the drawing it described is gone
      this.#renderer = new figureClasses[options.figure](this.#parts.body, this.#text);
      this.#figureKind = options.figure;
    } else if (langChanged) {
      this.#renderer.show(this.#text);
    }
    this.dataset.state = 'computing';
    this.dataset.kind = options.figure;
    this.#parts.figure.setAttribute('aria-busy', 'true');
    this.#setStatus(this.#text('status.computing'));
    let outcome;
    try {
      outcome = await this.#renderer.run({ pool, slot: this.#slot, state: options.state, patterns: options.patterns, claims: options.claims,
        text: this.#text, lang, limits: engineLimits, attribute: (name) => this.getAttribute(name),
        rerun: () => this.#schedule(), progress: (done, total) => {
          if (generation === this.#generation) this.#setStatus(`${this.#text('status.computing')} ${this.#text('progress.count', { done, total })}`);
        } });
    } catch (error) {
      if (isStale(error) || generation !== this.#generation) return;
      throw error;
    }
    if (generation !== this.#generation) return;
    if (outcome?.held) {  // a sweep over the cost budget (or cancelled) waits for the reader's Run
      this.#parts.figure.removeAttribute('aria-busy');
      this.#setStatus('');
      this.dataset.state = 'held';
      return;
    }
    this.#nameRegions();
    this.#result = this.#renderer.result ?? null;
    this.#showDrawing(true);
    this.#parts.error.hidden = true;
    delete this.dataset.error;
    delete this.dataset.errorParam;
    this.#parts.figure.removeAttribute('aria-busy');
    this.#setStatus('');
    this.dataset.state = 'done';
    this.#offerImageLink(options, lang, generation)
      .catch((error) => console.error('attnrank: the Image + link export could not load', error));
    // detail: the figure's kind and the milliseconds it took (a train figure's run: from Run to its last
    // record), with what a kind adds (a train figure: source 'gallery' or 'run').
    const detail = { kind: options.figure, ms: performance.now() - startedAt, ...outcome?.detail };
    this.dispatchEvent(new CustomEvent('attn-figure-done', { bubbles: true, composed: true, detail }));
  }

  // A figure with controls="full" offers "Image + link" under it (issue 19 item 3; docs/embedding.md): its
  // module loads only then. Kinds without a picture (text, tables, train) show no bar.
  async #offerImageLink(options, lang, generation) {
    if (options.controls !== 'full' || options.figure === 'train') {
      this.#imageLink?.remove();
      this.#imageLink = null;
      return;
    }
    const { EmbedImageLink } = await import('../views/image-link-embed.mjs');
    if (generation !== this.#generation) return;
    this.#imageLink ??= new EmbedImageLink(this.shadowRoot, this.#parts.figure, this.#parts.body);
    this.#imageLink.update({ kind: options.figure, state: options.state, patterns: options.patterns, lang, text: this.#text,
      chart: this.#renderer?.view?.chart ?? null,
      attributes: this.getAttributeNames().filter((name) => observedAttributes.includes(name)).map((name) => [name, this.getAttribute(name)]) });
  }

  // data-error-param names the attribute the error is about ('' when none): an attribute's own error, or
  // the parameter a core error names (error.param); the message names attributes, not internal keys. An engine failure (crash, timeout) reads as one in the
  // figure's language; the pool has replaced the worker by then, so the next attribute change recovers.
  // Fires attn-figure-error with { code, message, param } (element-api.mjs).
  #showError(error) {
    this.dataset.errorParam = error?.attribute ?? attributeOfParam(error?.param);
    this.#parts.error.textContent = attributeWords(errorText(error, this.#text), error?.attribute);
    this.#parts.error.hidden = false;
    this.#parts.figure.removeAttribute('aria-busy');
    this.#setStatus('');
    this.dataset.state = 'error';
    this.dataset.error = this.#parts.error.textContent;
    const detail = errorDetail(error, this.#parts.error.textContent);
    this.dispatchEvent(new CustomEvent('attn-figure-error', { bubbles: true, composed: true, detail }));
  }

  // The body's drawing, or (none yet, or the kind changed) the slot's content.
  #showDrawing(hasDrawing) {
    this.#parts.fallback.hidden = hasDrawing;
  }

  // Elements the views mark with data-i18n-aria (a table's scroll region) are named in the figure's language.
  #nameRegions() {
    for (const element of this.#parts.body.querySelectorAll('[data-i18n-aria]')) {
      element.setAttribute('aria-label', this.#text(element.dataset.i18nAria));
    }
  }

  #setStatus(message) {
    this.#parts.status.textContent = message;
  }

  #redraw() {
    try {
      this.#renderer?.redraw();
    } catch (error) {
      this.#showError(error);
    }
  }
}

// A typed property per attribute (element-api.mjs): reads the attribute as its type, writes its text. lang is
// HTMLElement's own (it reflects the attribute already).
for (const spec of elementProperties) {
  if (spec.isNative) continue;
  Object.defineProperty(AttnFigure.prototype, spec.property, {
    configurable: true,
    get() { return propertyValue(spec, this.getAttribute(spec.attribute)); },
    set(value) {
      const text = attributeText(spec, value);
      if (text === null) this.removeAttribute(spec.attribute);
      else this.setAttribute(spec.attribute, text);
    },
  });
}

// The element's name: attn-figure, or the one the script's URL asks for (attn-figure.mjs?name=my-figure) when
// a host page uses attn-figure itself (issue 16 item 13; docs/embedding.md). A name taken by another
// script is said once on the console (before, the script silently did nothing); taken by another copy of
// this element (the script loaded twice), it is left as it is, silently.
const kMark = Symbol.for('attnrank.attn-figure');
AttnFigure[kMark] = true;
const elementName = new URL(import.meta.url).searchParams.get('name') ?? 'attn-figure';
const existing = customElements.get(elementName);
if (!existing) {
  try {
    customElements.define(elementName, AttnFigure);
  } catch (error) {
    console.error(`attnrank: cannot define <${elementName}> (${error.message}); a name needs a hyphen and lower-case letters, e.g. attn-figure.mjs?name=attnrank-figure`);
  }
} else if (!existing[kMark]) {
  console.warn(`attnrank: <${elementName}> is already defined by another script on this page, so these figures are not shown; ` +
    'load attnrank\'s element under another name: <script type="module" src=".../embed/attn-figure.mjs?name=attnrank-figure"> ' +
    'and write <attnrank-figure ...> (docs/embedding.md)');
}
