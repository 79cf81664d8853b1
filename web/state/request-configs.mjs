// The configs the page sends to the engine, built from the core's parameter registry: for each request
// the page makes (analyze, claims, collapse, mixture), every parameter whose `requests` names it and whose
// value the page's state holds goes into the config under the parameter's name, so a new parameter of
// such a request reaches the engine without a line here. What the registry does not say is written once
// below: which page setting stands for a parameter the state does not hold by name (d for d_model), when
// a parameter does not apply (a pattern's own parameter, feature and features under linear attention
// only), and the parameters of these requests the page leaves to the core (with why; tests/node/
// parameter-registry.test.mjs fails for a parameter of a page request that is neither sent nor listed).
// Pure module: no DOM.
import { pageDefault, parameters } from './parameter-registry.mjs';
import { patternNames, patternParameter } from './pattern-registry.mjs';

// The registry's requests the page makes: `stats` is one analyze() config (the page's sweeps are analyze()
// calls too), `claims` claims(), `collapse` and `mixture` the depth and heads figures. architectures() is
// asked with no config (the essay's fixed sizes: the core's defaults), permutation() not at all.
export const pageRequests = Object.freeze(['stats', 'claims', 'collapse', 'mixture']);

// Page settings standing for a parameter the state does not hold by its name: the page's d is the model
// width of collapse() (one head per layer, so its width is its head dimension). mixture() takes the page's
// d as what it is, the head dimension (the registry's `d`), and derives d_model = heads * d itself.
export const pageStandIns = Object.freeze({ d_model: 'd' });

// Parameters of the page's requests that the page does not send, and why (the core's default applies).
export const leftToTheCore = Object.freeze({
  pattern: 'the figure names it: the builders\' pattern argument (claims: the core picks each claim\'s)',
  patterns: 'the CLI\'s list: the page asks one pattern per request',
  q: 'seeded inputs; the load figure passes the reader\'s Q and K itself (loadConfig)',
  k: 'seeded inputs; the load figure passes the reader\'s Q and K itself (loadConfig)',
  dump_matrix: 'the CLI\'s output file',
  json: 'the CLI\'s output format',
  csv: 'the CLI\'s output format',
  memory_budget_mib: 'the engine pool adds its workers\' budget to every request',
  variants: 'the CLI\'s list: the page asks one variant (depth_variant) per request',
  d_k: 'collapse\'s default (d_model)',
  d_ff: 'collapse\'s default (4 d_model)',
  lang: 'claims: the page words the verdicts in its own language (claims() reads analyze()\'s config)',
});

// Parameters left to the core in one request only: { request: { name: why } }.
export const leftToTheCoreIn = Object.freeze({
  mixture: Object.freeze({ d_model: 'the core derives it from d, the head dimension: d_model = heads * d' }),
});

// Whether request `request` leaves parameter `name` to the core.
export function isLeftToTheCore(request, name) {
  return Object.hasOwn(leftToTheCore, name) || Object.hasOwn(leftToTheCoreIn[request] ?? {}, name);
}

// Parameters that matter only under other values (the core ignores them otherwise; a config names only
// what its computation uses): the feature map under linear attention, m under favor.
const usedWhen = {
  feature: (values) => values.kind === 'linear',
  features: (values) => values.kind === 'linear' && values.feature === 'favor',
};

// The page state key of a parameter ('' when the page holds none).
export function stateKeyOf(entry) {
  return entry.url_key || pageStandIns[entry.name] || '';
}

// The registry entries the page sends for `request`, in the registry's order.
export function sentParameters(request) {
  return parameters.filter((entry) => entry.requests.includes(request) && stateKeyOf(entry) &&
    !isLeftToTheCore(request, entry.name));
}

// Parameters some pattern takes (prefix, window): sent with the patterns that take them only.
function isPatternParameter(name) {
  return patternNames.some((pattern) => patternParameter(pattern) === name);
}

function isSent(entry, value, values, pattern) {
  if (value === null || value === undefined) return false;  // derived by the core (prefix: n / 2)
  if (pattern !== null && isPatternParameter(entry.name) && patternParameter(pattern) !== entry.name) return false;
  if (usedWhen[entry.name] && !usedWhen[entry.name](values)) return false;
  // The page's default of a parameter the core derives (window 4; the core's min(4, n)) is left to the
  // core where it does not fit n.
  if (entry.default === null && value === pageDefault(entry) && typeof value === 'number' && value > values.n) return false;
  return true;
}

// The config of page request `request` under `state` (a full or partial page state), for `pattern` (null:
// none, as for claims). overrides replace state values first; keys that are no state key (want_matrix,
// want_matrices, q, k, custom_mask) are passed through.
export function requestConfig(request, state, pattern = null, overrides = {}) {
  const values = { ...Object.fromEntries(parameters.filter((entry) => entry.url_key)
    .map((entry) => [entry.url_key, pageDefault(entry)])), ...state };
  const passThrough = {};
  for (const [key, value] of Object.entries(overrides)) {
    if (Object.hasOwn(values, key)) values[key] = value;
    else passThrough[key] = value;
  }
  const config = pattern === null ? {} : { pattern };
  for (const entry of sentParameters(request)) {
    const value = values[stateKeyOf(entry)];
    if (isSent(entry, value, values, pattern)) config[entry.name] = value;
  }
  return Object.assign(config, passThrough);
}

// The analyze() config (docs/result-schema.md) of `pattern` under `state`: prefix only for prefix (none
// when null: the core's n / 2), window only for the window patterns (none when it is the default and n is
// smaller: the core's min(4, n)), feature only for linear, features only for favor.
export function configFor(state, pattern, overrides = {}) {
  if (!patternNames.includes(pattern) && pattern !== 'custom') {
    throw new TypeError(`pattern=${pattern} is unknown (expected one of: ${patternNames.join(', ')}, custom)`);
  }
  return requestConfig('stats', state, pattern, overrides);
}

// The claims() config of a state: analyze()'s parameters without a pattern (the core picks each claim's).
export function claimsConfigFor(state) {
  return requestConfig('claims', state);
}

// The collapse() config (docs/depth.md) of `pattern` under state: the page's n, d (as d_model), logit
// scale and seed, the depth view's layers and variant, and p or w for the patterns that use them.
export function collapseConfigFor(state, pattern) {
  return requestConfig('collapse', state, pattern);
}

// The mixture() config (docs/depth.md) under state: H heads of the page's head dimension d (the core sets
// d_model = H d), on the page's n, logit scale and seed, with the head matrices for the heatmaps.
export function mixtureConfigFor(state) {
  return requestConfig('mixture', state, null, { want_matrices: true });
}
