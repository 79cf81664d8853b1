// The explorer's whole state (seed included) and its URL form: defaults, parsing and validation of
// URLSearchParams, serialization of the keys that differ from the defaults (the engine's configs of a
// state: request-configs.mjs, re-exported here). The keys, their order, defaults, types and choices come
// from the core's parameter registry (state/parameter-registry.mjs); numeric ranges from the core's
// limits() and the words of every message from the core's messages() (errors.h kWords; callers pass them
// as limits.messages): never re-typed here. A message is the one the core gives for the same value
// ("n=2.5 must be an integer"); for URL text the core cannot see (not a number) it is the binding's words
// for a string given where a number belongs ('n="abc" must be an integer number (got string)'). The core
// stays the final validator. Pure module: no DOM, importable by node.

import { pageDefault, parameterInfo, urlParameters, urlKeyOf } from './parameter-registry.mjs';
import { patternNames } from './pattern-registry.mjs';
import { pageStandIns } from './request-configs.mjs';

// The engine's configs of a state (configFor, claimsConfigFor, collapseConfigFor, mixtureConfigFor): built
// from the registry's `requests` in request-configs.mjs.
export { claimsConfigFor, collapseConfigFor, configFor, mixtureConfigFor } from './request-configs.mjs';

// { n: 64, d: 8, scale: 1, seed: 7, prefix: null /* n/2 */, window: 4, ..., lang: null /* the browser's */,
//   ..., heads: 4 }: the registry's page defaults, in URL order.
export const defaultState = Object.freeze(Object.fromEntries(urlParameters.map((entry) => [entry.url_key, pageDefault(entry)])));

// Names the core also lists (pattern_names(), feature_map_names(); tests/node/url-state.test.mjs checks
// they agree) and the page's own choices.
// patternNames: the core's pattern registry (state/pattern-registry.mjs), a live binding.
export { patternNames };
// The core's collapse variants and per-layer metrics (docs/depth.md; tests/node/url-state.test.mjs checks
// them against a collapse() call).
export const depthVariants = parameterInfo('variant').choices;
export const depthMetrics = parameterInfo('depth_metric').choices;
// URL key -> the registry's choices (precision, kind, feature, colour, lang, sweep_over, sweep_stat, ...).
const choices = Object.fromEntries(urlParameters.filter((entry) => entry.type === 'choice')
  .map((entry) => [entry.url_key, entry.choices]));
// Integers with a fixed range (n, d, features, seed, repeat, layers, heads; the range from limits()).
const rangedIntegers = new Set(urlParameters.filter((entry) => entry.type === 'integer' && entry.min !== null)
  .map((entry) => entry.url_key));
const booleans = new Set(urlParameters.filter((entry) => entry.type === 'boolean').map((entry) => entry.url_key));
const numbers = new Set(urlParameters.filter((entry) => entry.type === 'number').map((entry) => entry.url_key));  // scale
export const kMaxSweepValues = 64;  // a page policy (a sweep is values x patterns analyses), not a core limit
// Each sweep axis's own values: the registry's page default of sweep_values is the scale axis's list; n and d
// get lists of their own (integers in range, doubling, within the explorer's automatic sweep at n <= 256), so
// switching the axis never keeps values that cannot be n or d (issue 17 item 6). A page choice, written once.
export const sweepDefaults = Object.freeze({ scale: defaultState.sweep_values, n: '8,16,32,64,128,256', d: '1,2,4,8,16,32,64' });

// The sweep values of the state whose axis becomes `over`: those the reader last used on that axis
// (`remembered`: axis -> values), else the axis's default. The state's current values are remembered under
// its current axis. Returns { state, remembered }; pure.
export function switchSweepAxis(state, over, remembered = {}) {
  if (over === state.sweep_over) return { state, remembered };
  const kept = { ...remembered, [state.sweep_over]: state.sweep_values };
  const values = Object.hasOwn(kept, over) ? kept[over] : sweepDefaults[over];
  return { state: { ...state, sweep_over: over, sweep_values: values }, remembered: kept };
}

const kMaxShownLength = 40;  // raw text longer than this is cut in messages

// Unambiguous (one way to split any digit run), so a failed match backtracks in linear time: the older
// (\d+\.?\d*) took seconds on 100,000 digits and a letter (quadratic backtracking, a ReDoS from the URL).
const numberPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const nonFinitePattern = /^[+-]?(nan|inf|infinity)$/i;

function shown(raw) {
  return raw.length > kMaxShownLength ? `${raw.slice(0, kMaxShownLength)}…` : raw;
}

// The core's words `key` (messages()) with its {holes} filled in one pass (a value is never filled in turn).
export function coreWords(limits, key, holes) {
  const text = limits?.messages?.[key];
  if (typeof text !== 'string') throw new TypeError(`url-state: limits.messages.${key} is missing (pass the core's messages())`);
  return text.replace(/\{([a-z]+)\}/g, (whole, hole) => (Object.hasOwn(holes, hole) ? String(holes[hole]) : whole));
}

// A message as the reader of the page sees it (issue 17 item 6): a parameter name in it (as the core's and these
// checks' messages put them: "sweep_values: ...", "d_model=8 ...", "d_model / heads") that stands for a
// control of the page whose label does not contain that name is replaced by the label, so the message names
// the control the reader sees, never an internal key (sweep_values -> "values", the label
// "values (comma-separated)" without its note); a name the label shows (n of "n (tokens)", prefix of "prefix length p") stays as the
// core wrote it (a label word starting with it counts: repeat of "repeated tokens"). labelOfKey(key) -> the
// control's visible label or null. The one place this mapping is made.
// A parameter the page only stands for (d_model: the page's d is collapse's d_model, while mixture's is
// heads * d) keeps its own name: its value need not be the control's, and "d=64" for d_model = 64 at d = 2
// would misname it.
// keyOf(name): the control's key of a parameter name ('' for none); the explorer's keyOfParam unless a page
// with other controls (the lab) gives its own.
export function readerMessage(message, labelOfKey, keyOf = keyOfParam) {
  return String(message).replace(/(^|[^A-Za-z0-9_])([a-z][a-z0-9_]*)(?![A-Za-z0-9_])/g, (whole, before, name) => {
    if (Object.hasOwn(pageStandIns, name)) return whole;
    const key = keyOf(name);
    const label = key ? labelOfKey(key) : null;
    if (!label) return whole;
    const words = label.toLowerCase().split(/[^\p{L}\p{N}_]+/u);
    // The label without its trailing note in parentheses ("(comma-separated)", "（留空即 n / 2）"): the name.
    const shortLabel = label.replace(/\s*[(（][^()（）]*[)）]\s*$/u, '') || label;
    return words.some((word) => word.startsWith(name)) ? whole : `${before}${shortLabel}`;
  });
}

// The state key (the page's control) of a parameter the core names in an error (error.param): its URL
// key in the registry (variant: depth_variant), or the page setting standing for it (d for the d_model of
// collapse and mixture). '' for none.
export function keyOfParam(param) {
  const key = pageStandIns[param] ?? urlKeyOf(param) ?? param ?? '';
  return Object.hasOwn(defaultState, key) ? key : '';
}

// URL text -> the number the core would be given (NaN and the infinities by their words), or null for
// text that is not a number.
export function numberOf(raw) {
  if (numberPattern.test(raw)) return Number(raw);
  if (!nonFinitePattern.test(raw)) return null;
  if (/nan$/i.test(raw)) return Number.NaN;
  return raw.startsWith('-') ? -Infinity : Infinity;
}

// Text where a number belongs, worded as the binding words a string given for it.
function notANumber(limits, wordsKey, key, raw) {
  return { error: coreWords(limits, wordsKey, { param: key, value: `"${shown(raw)}"`, type: 'string' }) };
}

// An integer parameter: the binding's checks (a safe integer) and the core's range check, in its words
// (exported for the lab's settings, web/lab/lab-state.mjs).
export function parseInteger(key, raw, min, max, limits) {
  const value = numberOf(raw);
  if (value === null) return notANumber(limits, 'not_integer_type', key, raw);
  if (!Number.isSafeInteger(value)) return { error: coreWords(limits, 'not_integer', { param: key, value }) };
  if (!(value >= min && value <= max)) return { error: coreWords(limits, 'out_of_range', { param: key, value, min, max }) };
  return { value: value + 0 /* -0 -> 0 */ };
}

// A real parameter: a finite number; a non-finite one is written as the core's message writes it ("nan").
export function parseNumber(key, raw, limits) {
  const value = numberOf(raw);
  if (value === null) return notANumber(limits, 'not_number_type', key, raw);
  if (!Number.isFinite(value)) {
    const written = Number.isNaN(value) ? limits?.messages?.value_nan
      : value > 0 ? limits?.messages?.value_inf : limits?.messages?.value_minus_inf;
    return { error: coreWords(limits, 'not_finite', { param: key, value: written }) };
  }
  return { value };
}

function range(limits, key) {
  const entry = limits?.[key];
  if (!entry || !Number.isFinite(entry.min) || !Number.isFinite(entry.max)) {
    throw new TypeError(`url-state: limits.${key} is missing (pass the core's limits())`);
  }
  return entry;
}

// The sweep's values for the axis `over`: integers in their range for n and d, finite numbers for scale.
function parseSweepValues(raw, over, limits) {
  const items = raw.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) return { error: `sweep_values=${shown(raw)} has an empty item` };
  if (items.length > kMaxSweepValues) {
    return { error: `sweep_values has ${items.length} values (at most ${kMaxSweepValues})` };
  }
  for (const item of items) {
    const checked = over === 'scale' ? parseNumber('scale', item, limits)
      : parseInteger(over, item, range(limits, over).min, range(limits, over).max, limits);
    if (checked.error) return { error: `sweep_values: ${checked.error}` };
  }
  return { value: items.join(',') };
}

// One field's raw text (from the URL or a control) -> { value } or { error }. Cross-field rules need
// the rest of the state: pass it as `state` (prefix and window <= n; sweep_values against sweep_over).
export function validateField(key, rawText, limits, state = null) {
  if (!Object.hasOwn(defaultState, key)) return { error: `${key} is not a setting` };
  const raw = String(rawText ?? '').trim();
  if (rangedIntegers.has(key)) {
    const { min, max } = range(limits, key);
    return parseInteger(key, raw, min, max, limits);
  }
  if (key === 'prefix' || key === 'window') {
    if (key === 'prefix' && (raw === '' || raw === 'auto')) return { value: null };
    // The core's mask checks (masks.cpp): p >= 0, w >= 1, neither above n.
    const lowest = key === 'prefix' ? 0 : 1;
    const checked = parseInteger(key, raw, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, limits);
    if (checked.error) return checked;
    if (checked.value < lowest) return { error: coreWords(limits, 'below_min', { param: key, value: checked.value, min: lowest }) };
    // Above n: checked once n is known (parseState's second pass, or a state given).
    if (state && checked.value > state.n) return { error: coreWords(limits, 'exceeds_n', { param: key, value: checked.value, n: state.n }) };
    return checked;
  }
  if (numbers.has(key)) return parseNumber(key, raw, limits);
  if (booleans.has(key)) {
    if (raw === '1' || raw === 'true') return { value: true };
    if (raw === '0' || raw === 'false') return { value: false };
    return { error: coreWords(limits, 'not_boolean_type', { param: key, value: `"${shown(raw)}"`, type: 'string' }) };
  }
  if (key === 'lang' && (raw === '' || raw === 'auto')) return { value: null };
  if (key === 'sweep_values') return parseSweepValues(raw, state?.sweep_over ?? defaultState.sweep_over, limits);
  // A collapse variant the core does not know, in the core's words (collapse.cpp; its parameter is `variant`).
  if (key === 'depth_variant' && !choices[key].includes(raw)) return { error: coreWords(limits, 'unknown_variant', { param: 'variant', value: shown(raw) }) };
  if (!choices[key].includes(raw)) {
    return { error: coreWords(limits, 'unknown_choice', { param: key, value: shown(raw), choices: choices[key].join(', ') }) };
  }
  return { value: raw };
}

// URLSearchParams (or a query string) -> { state, errors }: every known key present is validated; a bad
// value keeps the default and records errors[key] = message. Unknown keys are ignored.
export function parseState(searchParams, limits) {
  const params = new URLSearchParams(searchParams);
  const state = { ...defaultState };
  const errors = {};
  for (const key of Object.keys(defaultState)) {
    if (!params.has(key)) continue;
    const checked = validateField(key, params.get(key), limits);
    if (checked.error) errors[key] = checked.error;
    else state[key] = checked.value;
  }
  // The sweep values default to the axis's own (sweepDefaults) when the URL sets the axis but no values.
  if (!params.has('sweep_values')) state.sweep_values = sweepDefaults[state.sweep_over] ?? state.sweep_values;
  // Cross-field rules, against the final n and sweep axis.
  for (const key of ['prefix', 'window', 'sweep_values']) {
    if (!params.has(key) || errors[key]) continue;
    const checked = validateField(key, params.get(key), limits, state);
    if (checked.error) {
      errors[key] = checked.error;
      state[key] = key === 'sweep_values' ? sweepDefaults[state.sweep_over] : defaultState[key];
    }
  }
  return { state, errors };
}

function formatValue(value) {
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

// state -> URLSearchParams holding only the keys whose value differs from the default, in defaultState's
// order (so equal states give equal URLs); the sweep values' default is their axis's (sweepDefaults).
export function serializeState(state) {
  const params = new URLSearchParams();
  for (const [key, keyDefault] of Object.entries(defaultState)) {
    const value = state[key];
    const fallback = key === 'sweep_values' ? sweepDefaults[state.sweep_over] ?? keyDefault : keyDefault;
    if (value === undefined || value === null || value === fallback) continue;
    params.set(key, formatValue(value));
  }
  return params;
}

// The sweep's values as numbers (validateField checked the list; the state may keep it as text).
export function sweepValuesOf(state) {
  const values = state.sweep_values;
  return Array.isArray(values) ? values : String(values).split(',').map((value) => Number(value.trim()));
}
