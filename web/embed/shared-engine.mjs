// The one engine every <attn-figure> on a page shares: a single worker, hence a single wasm instance,
// however many figures there are (design.md section 5). Created by the first figure that comes near the
// viewport, so a page whose figures are never scrolled to never loads the wasm. The worker and the wasm
// resolve relative to this file, so the embeddable folder works wherever a site copies it.
import { EnginePool } from '../engine/engine-client.mjs';
import { installPatterns } from '../state/pattern-registry.mjs';

let shared = null;

// { pool, limits: Promise<limits() with the core's messages() as limits.messages> } for the page.
export function sharedEngine() {
  if (!shared) {
    const pool = new EnginePool({ size: 1, workerUrl: new URL('../engine/engine-worker.mjs', import.meta.url) });
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
