// The page's copy of the core's pattern registry (src/core/include/attnrank/base/pattern_registry.h, the wasm module's
// patterns()): the lists of patterns the page shows, their parameters, colours and words, and the depth
// schedules. Installed once per page (main.mjs and <attn-figure> ask the engine, whose client caches the
// answer) before any view or URL config is built; the exported lists are empty until then.
// Pure module: no DOM, no numerics.

let registry = null;

// Every fixed pattern (custom left out) in display order; the essay's four; the local (window) ones.
// The arrays and the colour object are filled in place by installPatterns (so a module that took them
// before, by destructuring a namespace, sees them filled); treat them as read-only.
export const patternNames = [];
export const essayPatterns = [];
export const localPatterns = [];
// id -> CSS custom property of the pattern's series (spectra, sweeps).
export const patternColours = {};
// [[schedule id, colour], ...] of the depth view in drawing order (the fixed patterns and the named
// schedules such as forward_backward).
export const depthPatterns = [];

function fill(array, items) { array.splice(0, array.length, ...items); }

// value: the module's patterns() ({patterns, depth_schedules}).
export function installPatterns(value) {
  if (!value || !Array.isArray(value.patterns) || !Array.isArray(value.depth_schedules)) {
    throw new TypeError('installPatterns: expected the engine\'s patterns() value ({patterns, depth_schedules})');
  }
  registry = value;
  const fixed = value.patterns.filter((pattern) => pattern.group !== 'custom');
  fill(patternNames, fixed.map((pattern) => pattern.id));
  fill(essayPatterns, fixed.filter((pattern) => pattern.group === 'essay').map((pattern) => pattern.id));
  fill(localPatterns, fixed.filter((pattern) => pattern.group === 'local').map((pattern) => pattern.id));
  for (const key of Object.keys(patternColours)) delete patternColours[key];
  for (const pattern of fixed) patternColours[pattern.id] = pattern.colour;
  fill(depthPatterns, value.depth_schedules.map((schedule) => Object.freeze([schedule.id, schedule.colour])));
}

export function isPatternsInstalled() { return registry !== null; }

// The patterns the explorer shows for a state (its `windows` key): the essay's four, then the local (window)
// ones when state.windows. An <attn-figure> without a `pattern` attribute shows the same.
export function shownPatterns(state) {
  return state.windows ? [...essayPatterns, ...localPatterns] : [...essayPatterns];
}

// Every pattern the core takes (custom included), in the core's order: the choices the core's
// "pattern=... is unknown" message lists (pattern_registry.cpp), so the embed words it the same way.
export function acceptedPatternNames() {
  if (!registry) throw new Error('the pattern registry is not installed yet (installPatterns(engine.patterns()))');
  return registry.patterns.map((pattern) => pattern.id);
}

function entryOf(id) {
  if (!registry) throw new Error('the pattern registry is not installed yet (installPatterns(engine.patterns()))');
  return registry.patterns.find((pattern) => pattern.id === id)
    ?? registry.depth_schedules.find((schedule) => schedule.id === id);
}

// 'lower', 'upper' or null (not triangular, or the registry not installed yet): the pattern's triangle.
export function patternTriangle(id) { return registry ? entryOf(id)?.triangle ?? null : null; }

// 'prefix', 'window' or null: the parameter the pattern uses.
export function patternParameter(id) { return entryOf(id)?.parameter ?? null; }

// The words of a pattern or depth schedule as the string tables key them ('pattern.<id>',
// 'pattern.<id>.rule', 'pattern.<id>.used_by'), or undefined: the i18n tables' fallback.
export function patternWord(lang, key) {
  if (!registry) return undefined;
  const match = /^pattern\.([a-z_]+)(?:\.(rule|used_by))?$/.exec(key);
  if (!match) return undefined;
  const entry = entryOf(match[1]);
  const words = entry?.[match[2] === 'rule' ? 'rules' : match[2] === 'used_by' ? 'used_by' : 'names'];
  const word = words?.[lang];
  return word ? word : undefined;
}
