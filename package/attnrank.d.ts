// Types of the attnrank package: the <attn-figure> element (docs/embedding.md of the attnrank repository).
// Hand-written, but for the parts between "generated" comments, which scripts/custom-elements.mjs --types writes
// from the element's own tables (web/embed/element-api.mjs); tests/node/element-api.test.mjs fails while they
// differ, and tests/sites/package.test.mjs checks FigureKind against the element's kinds and the tag name against
// the element's. Attributes are strings in HTML; each has a typed property (section 14 of docs/embedding.md).

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

/** `event.detail.code` of `attn-figure-error`. */
// generated: error codes (node scripts/custom-elements.mjs --types, from web/embed/element-api.mjs); do not edit
export type FigureErrorCode =
  /** an attribute's value is refused, by the element's check or by the core (param names the attribute) */
  | 'invalid_attribute'
  /** the core refused the request for a reason no single attribute gives */
  | 'invalid_argument'
  /** a file the figure reads is malformed */
  | 'invalid_file'
  /** the computation needs more memory than the figure may use (the core's estimate, or out of memory) */
  | 'too_large'
  /** a computation the core cannot carry out with these values */
  | 'numerical_failure'
  /** the engine's worker crashed or could not start (the next change of an attribute starts a new one) */
  | 'worker_crashed'
  /** the computation took longer than the engine allows */
  | 'timeout'
  /** an error inside the core that it did not name */
  | 'internal'
  /** anything else: a file the figure needs did not load, or its drawing failed */
  | 'figure_failure';
// end of the generated error codes

/** `event.detail` of `attn-figure-error`. */
export interface AttnFigureErrorDetail {
  /** What failed. */
  code: FigureErrorCode;
  /** The message the figure shows (the core's words, naming the attribute as written). */
  message: string;
  /** The attribute the error is about, as written (`n`, `sweep-values`), or '' when none. */
  param: string;
}

/**
 * What the core returned for a figure's last drawing (docs/embedding.md section 14 says per kind): objects keyed
 * by pattern or case for most kinds, the core's own result for `heads`, `architectures` and `claims`.
 */
export type FigureResult = Record<string, unknown> | readonly unknown[];

/** One figure of attnrank's explorer, computed in the page by the C++ core compiled to WebAssembly. */
export declare class AttnFigure extends HTMLElement {
  static readonly observedAttributes: readonly string[];
  /**
   * Computes now, even away from the viewport. Resolves with 'done', 'error', 'held' (waiting for Run) or
   * 'removed' (the figure left the page first, or is not in it); never rejects.
   */
  computeNow(): Promise<'done' | 'error' | 'held' | 'removed'>;
  /** What the core returned for the figure's last drawing, or null before the first. Read-only. */
  readonly result: FigureResult | null;
  // generated: properties (node scripts/custom-elements.mjs --types, from web/embed/element-api.mjs); do not edit
  /** The `n` attribute as a number (NaN for text that is not one), null when absent (set null to remove it). */
  n: number | null;
  /** The `d` attribute as a number (NaN for text that is not one), null when absent (set null to remove it). */
  d: number | null;
  /** The `scale` attribute as a number (NaN for text that is not one), null when absent (set null to remove it). */
  scale: number | null;
  /** The `seed` attribute as a number (NaN for text that is not one), null when absent (set null to remove it). */
  seed: number | null;
  /** The `prefix` attribute as a number (NaN for text that is not one), null when absent (set null to remove it). Typed any: the DOM's Element declares prefix (number | null at run time). */
  prefix: any;
  /** The `window` attribute as a number (NaN for text that is not one), null when absent (set null to remove it). */
  window: number | null;
  /** The `precision` attribute as its text, null when absent (set null to remove it). */
  precision: 'f64' | 'f32' | null;
  /** The `rope` attribute as a boolean (written 1 or 0), null when absent (set null to remove it). */
  rope: boolean | null;
  /** The `repeat` attribute as a number (NaN for text that is not one), null when absent (set null to remove it). */
  repeat: number | null;
  /** The `attention` attribute as its text, null when absent (set null to remove it). */
  attention: 'softmax' | 'linear' | null;
  /** The `feature` attribute as its text, null when absent (set null to remove it). */
  feature: 'elu1' | 'relu' | 'exp' | 'favor' | null;
  /** The `features` attribute as a number (NaN for text that is not one), null when absent (set null to remove it). */
  features: number | null;
  /** The `colour` attribute as its text, null when absent (set null to remove it). */
  colour: 'auto' | 'linear' | 'sqrt' | 'log' | null;
  /** The `colour-range` attribute as its text, null when absent (set null to remove it). */
  colourRange: 'shared' | 'panel' | null;
  /** The `windows` attribute as a boolean (written 1 or 0), null when absent (set null to remove it). */
  windows: boolean | null;
  /** The `sweep-over` attribute as its text, null when absent (set null to remove it). */
  sweepOver: 'scale' | 'n' | 'd' | null;
  /** The `sweep-values` attribute as an array of numbers (written comma-separated), null when absent (set null to remove it). */
  sweepValues: number[] | null;
  /** The `sweep-stat` attribute as its text, null when absent (set null to remove it). */
  sweepStat: 'numerical_rank_f64' | 'numerical_rank_f32' | 'effective_rank' | 'stable_rank' | 'energy_rank_99' | 'sigma_max' | 'sigma_min' | 'condition_number' | 'log_abs_det' | 'logits_rank' | null;
  /** The `layers` attribute as a number (NaN for text that is not one), null when absent (set null to remove it). */
  layers: number | null;
  /** The `depth-variant` attribute as its text, null when absent (set null to remove it). */
  depthVariant: 'pure' | 'skip' | 'mlp' | 'layernorm' | 'skip+mlp' | 'skip+layernorm' | 'mlp+layernorm' | 'skip+mlp+layernorm' | null;
  /** The `depth-metric` attribute as its text, null when absent (set null to remove it). */
  depthMetric: 'relative_residual' | 'composite_residual' | 'path_residual' | 'random_path_residual' | null;
  /** The `heads` attribute as a number (NaN for text that is not one), null when absent (set null to remove it). */
  heads: number | null;
  /** The `kind` attribute as its text, null when absent (set null to remove it). */
  kind: 'patterns' | 'spectra' | 'linear' | 'raises-rank' | 'sweep' | 'stats' | 'collapse' | 'heads' | 'architectures' | 'claims' | 'train' | null;
  /** The `controls` attribute as its text, null when absent (set null to remove it). */
  controls: 'none' | 'compact' | 'full' | null;
  /** The `theme` attribute as its text, null when absent (set null to remove it). */
  theme: 'auto' | 'light' | 'dark' | null;
  /** The `pattern` attribute as an array of strings (written comma-separated), null when absent (set null to remove it). */
  pattern: string[] | null;
  /** The `claim` attribute as an array of strings (written comma-separated), null when absent (set null to remove it). */
  claim: string[] | null;
  /** The `experiment` attribute as its text, null when absent (set null to remove it). */
  experiment: string | null;
  /** The `settings` attribute as its text, null when absent (set null to remove it). */
  settings: string | null;
  /** The `view` attribute as its text, null when absent (set null to remove it). */
  view: 'curves' | 'attention' | 'rank' | null;
  /** The `configuration` attribute as its text, null when absent (set null to remove it). */
  configuration: string | null;
  /** The `autorun` attribute as a boolean (true when present; set false to remove it). */
  autorun: boolean;
  /** The `seeds` attribute as an array of numbers (written comma-separated), null when absent (set null to remove it). */
  seeds: number[] | null;
  /** The `steps` attribute as a number (NaN for text that is not one), null when absent (set null to remove it). */
  steps: number | null;
  /** The `width` attribute as a number (NaN for text that is not one), null when absent (set null to remove it). */
  width: number | null;
  /** The `batch` attribute as a number (NaN for text that is not one), null when absent (set null to remove it). */
  batch: number | null;
  /** The `checkpoint-every` attribute as a number (NaN for text that is not one), null when absent (set null to remove it). */
  checkpointEvery: number | null;
  /** The `heldout-batches` attribute as a number (NaN for text that is not one), null when absent (set null to remove it). */
  heldoutBatches: number | null;
  /** The `learning-rate` attribute as a number (NaN for text that is not one), null when absent (set null to remove it). */
  learningRate: number | null;
  // end of the generated properties
}

declare global {
  interface HTMLElementTagNameMap {
    'attn-figure': AttnFigure;
  }
  interface HTMLElementEventMap {
    'attn-figure-done': CustomEvent<AttnFigureDoneDetail>;
    'attn-figure-error': CustomEvent<AttnFigureErrorDetail>;
  }
  // The events bubble and cross shadow roots: a page may listen on the document.
  interface DocumentEventMap {
    'attn-figure-done': CustomEvent<AttnFigureDoneDetail>;
    'attn-figure-error': CustomEvent<AttnFigureErrorDetail>;
  }
}
