// The page's view of the core's parameter registry (src/core/base/parameter_registry.h; the table itself
// is web/state/parameters.mjs, generated from it and checked against the wasm module's parameters()):
// per parameter its type, range or choices, defaults, URL key, element attribute and label key. The URL
// state (url-state.mjs), the embed's attributes (embed/attribute-state.mjs) and the controls' checks read
// it here, so a parameter is defined once. Pure module: no DOM.
import { parameterTable } from './parameters.mjs';

function deepFreeze(value) {
  if (value && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

// Every parameter, in the registry's order.
export const parameters = deepFreeze(parameterTable);

const byName = new Map(parameters.map((entry) => [entry.name, entry]));

// The entry named `name` (the config key, the `param` a core error names), or undefined.
export function parameterInfo(name) { return byName.get(name); }

// The parameter's default on the page (its `page` default where the page's differs; null: none or derived).
export function pageDefault(entry) {
  return Object.hasOwn(entry.defaults, 'page') ? entry.defaults.page : entry.default;
}

// The parameters of the page's URL state, in URL order (serializeState writes them in this order).
export const urlParameters = Object.freeze(parameters.filter((entry) => entry.requests.includes('page') && entry.url_key));

// The URL key of a parameter the core names (error.param), or undefined when the page has none.
export function urlKeyOf(name) { return parameterInfo(name)?.url_key || undefined; }

// The train options the training lab offers (its page's controls, and the attributes of <attn-figure kind="train">),
// in the controls' order: train parameters of the registry. A page choice, said once here, so the lab
// (lab/lab-state.mjs optionKeys) and the element's attributes (embed/attribute-state.mjs, which must not load the
// lab's code) read the same list from a module both already load.
export const trainOptionKeys = Object.freeze(['steps', 'n', 'width', 'heads', 'layers', 'batch', 'checkpoint_every',
  'heldout_batches', 'learning_rate']);
