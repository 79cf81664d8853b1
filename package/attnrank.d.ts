// Types of the attnrank package: the <attn-figure> element (docs/embedding.md of the attnrank repository).
// Hand-written; tests/sites/package.test.mjs checks FigureKind against the element's kinds and the tag name
// against the element's. Attributes are strings in HTML: the attribute reference (custom-elements.json, and
// section 6 of docs/embedding.md) lists each with its values.

/** The figure an element shows: its `kind` attribute. */
export type FigureKind =
  | 'patterns'
  | 'spectra'
  | 'linear'
  | 'raises-rank'
  | 'sweep'
  | 'stats'
  | 'collapse'
  | 'heads'
  | 'architectures'
  | 'claims'
  | 'train';

/** The element's `data-state` attribute: `held` is a costly sweep or a train figure waiting for Run. */
export type FigureState = 'loading' | 'computing' | 'done' | 'error' | 'held';

/** `event.detail` of `attn-figure-done`. */
export interface AttnFigureDoneDetail {
  /** The figure's kind. */
  kind: FigureKind;
  /** Milliseconds from the start of its computation (a train figure's run: from Run to its last record). */
  ms: number;
  /** A train figure only: its gallery drawn, or a training in the browser finished. */
  source?: 'gallery' | 'run';
}

/** One figure of attnrank's explorer, computed in the page by the C++ core compiled to WebAssembly. */
export declare class AttnFigure extends HTMLElement {
  static readonly observedAttributes: readonly string[];
  /**
   * Computes now, even away from the viewport. Resolves with 'done', 'error', 'held' (waiting for Run) or
   * 'removed' (the figure left the page first, or is not in it); never rejects.
   */
  computeNow(): Promise<'done' | 'error' | 'held' | 'removed'>;
}

declare global {
  interface HTMLElementTagNameMap {
    'attn-figure': AttnFigure;
  }
  interface HTMLElementEventMap {
    'attn-figure-done': CustomEvent<AttnFigureDoneDetail>;
  }
  // The event bubbles and crosses shadow roots: a page may listen on the document.
  interface DocumentEventMap {
    'attn-figure-done': CustomEvent<AttnFigureDoneDetail>;
  }
}
