// The one engine every <attn-figure> on a page shares: a single worker, hence a single wasm instance,
// however many figures there are (design.md section 5). Created by the first figure that comes near the
// viewport, so a page whose figures are never scrolled to never loads the wasm. The worker and the wasm
// resolve relative to this file, so the embeddable folder works wherever a site copies it.
import { EnginePool } from '../engine/engine-client.mjs';
import { installPatterns } from '../state/pattern-registry.mjs';

let shared = null;

// The kinds whose first drawing asks what the engine's first module lacks (engine-worker.mjs): collapse
// (collapse), heads (mixture, architectures), architectures, claims (claims, lab_experiments, lab_verdicts) and
// train (its gallery's lab_experiments, lab_verdicts). A page whose first figure is one of them starts the
// engine on the figures' module, one fetch instead of two; any other starts on the first module and fetches the
// figures' module only when a later figure asks for it.
const kFiguresModuleKinds = new Set(['collapse', 'heads', 'architectures', 'claims', 'train']);

// { pool, limits: Promise<limits() with the core's messages() as limits.messages> } for the page; kind: the
// figure kind that asks first (as written in its attribute), which picks the module the engine starts on.
export function sharedEngine(kind = 'patterns') {
  if (!shared) {
    const figuresModule = kFiguresModuleKinds.has(String(kind ?? '').trim().toLowerCase());
    const pool = new EnginePool({ size: 1, workerUrl: new URL('../engine/engine-worker.mjs', import.meta.url), figuresModule });
    const limits = Promise.all([pool.call('limits'), pool.call('messages')])
      .then(([ranges, messages]) => ({ ...ranges, messages }));
    limits.catch(() => {});  // each figure reports the failure when it awaits limits
    const patterns = pool.patterns().then(installPatterns);  // the registry's lists before any figure
    patterns.catch(() => {});
    shared = { pool, limits, patterns };
  }
  return shared;
}

// A removed figure's work leaves the shared queue (its promises reject as superseded); no engine is made
// for a figure that never asked one.
export function dropFigureWork(slot) {
  shared?.pool.dropAll(slot);
}

// Slot names unique per figure instance: a figure's newer request supersedes only its own older one.
let nextFigureId = 1;
export function newFigureId() {
  return `figure${nextFigureId++}`;
}
