// The lab page's whole state and its URL form (the explorer's conventions, state/url-state.mjs): which
// experiment (the module's lab_experiments(), never listed here), its seeds, the train options the page
// offers (each a train parameter of the core's registry: its range, its words; empty = the experiment's
// default), and what the figures show (the configuration and seed of the attention panel, its checkpoint,
// compare with step 0, the loss chart's log axis, the language). parse -> { state, errors } keeps a bad
// value's default and says why in the core's words; serialize writes only what differs from the defaults.
// The core stays the final validator (lab_start's errors go beside the control its param names). Pure module.
import { parameterInfo, trainOptionKeys } from '../state/parameter-registry.mjs';
import { coreWords, parseInteger, parseNumber } from '../state/url-state.mjs';

// The train options the page offers, in the controls' order (each a registry parameter of the train request):
// state/parameter-registry.mjs trainOptionKeys, which <attn-figure>'s attributes read too.
export const optionKeys = trainOptionKeys;
export const kMaxSeeds = 16;  // a page policy: each seed is one run per configuration

export const labDefaults = Object.freeze({
  experiment: null,  // null: the first of lab_experiments()
  seeds: null,       // null: the experiment's seeds
  ...Object.fromEntries(optionKeys.map((key) => [key, null])),  // null: the experiment's option
  view: null,        // the attention panel's configuration ("masks:attention"); null: the first
  view_seed: null,   // its seed; null: the first
  step: null,        // its checkpoint; null: the last
  compare: false,    // show step 0 beside it
  loss_log: true,    // the loss chart's y axis on a log scale
  lang: null,        // null: the browser's
});

// A train parameter's range on the page: the registry's for train, else its own.
export function trainRange(key) {
  const entry = parameterInfo(key);
  return entry.ranges?.train ?? { min: entry.min, max: entry.max };
}

// The seeds text "1,2,3" -> { value: [1, 2, 3] } or { error } (each in the train seed range, no repeats).
function parseSeeds(raw, limits) {
  const items = raw.split(',').map((item) => item.trim());
  if (items.length === 0 || items.some((item) => item === '')) return { error: `seeds=${raw} has an empty item` };
  if (items.length > kMaxSeeds) return { error: `seeds has ${items.length} values (at most ${kMaxSeeds})` };
  const { min, max } = trainRange('seed');
  const values = [];
  for (const item of items) {
    const checked = parseInteger('seed', item, min, max, limits);
    if (checked.error) return { error: `seeds: ${checked.error}` };
    if (values.includes(checked.value)) return { error: `seeds: seed=${checked.value} is given twice` };
    values.push(checked.value);
  }
  return { value: values };
}

// One setting's raw text -> { value } or { error }. experiments: lab_experiments()'s list; limits: the
// core's limits() with messages (their words).
export function validateLabField(key, rawText, { experiments, limits }) {
  if (!Object.hasOwn(labDefaults, key)) return { error: `${key} is not a setting` };
  const raw = String(rawText ?? '').trim();
  if (raw === '' && labDefaults[key] === null) return { value: null };
  if (key === 'experiment') {
    const ids = experiments.map((experiment) => experiment.id);
    if (!ids.includes(raw)) return { error: coreWords(limits, 'unknown_choice', { param: key, value: raw, choices: ids.join(', ') }) };
    return { value: raw };
  }
  if (key === 'seeds') return parseSeeds(raw, limits);
  if (key === 'compare' || key === 'loss_log') {
    if (raw === '1' || raw === 'true') return { value: true };
    if (raw === '0' || raw === 'false') return { value: false };
    return { error: coreWords(limits, 'not_boolean_type', { param: key, value: `"${raw}"`, type: 'string' }) };
  }
  if (key === 'lang') {
    if (raw === 'en' || raw === 'zh') return { value: raw };
    return { error: coreWords(limits, 'unknown_choice', { param: key, value: raw, choices: 'en, zh' }) };
  }
  if (key === 'view') return { value: raw };  // a configuration name; one the experiment lacks shows the first
  if (key === 'view_seed' || key === 'step') return parseInteger(key, raw, 0, Number.MAX_SAFE_INTEGER, limits);
  const entry = parameterInfo(key);
  if (entry.type === 'number') return parseNumber(key, raw, limits);
  const { min, max } = trainRange(key);
  return parseInteger(key, raw, min, max, limits);
}

// URLSearchParams (or a query string) -> { state, errors }.
export function parseLabState(search, context) {
  const params = new URLSearchParams(search);
  const state = { ...labDefaults };
  const errors = {};
  for (const key of Object.keys(labDefaults)) {
    if (!params.has(key)) continue;
    const checked = validateLabField(key, params.get(key), context);
    if (checked.error) errors[key] = checked.error;
    else state[key] = checked.value;
  }
  return { state, errors };
}

// state -> URLSearchParams of the settings that differ from the defaults, in labDefaults' order.
export function serializeLabState(state) {
  const params = new URLSearchParams();
  for (const [key, fallback] of Object.entries(labDefaults)) {
    const value = state[key];
    if (value === undefined || value === null || value === fallback) continue;
    params.set(key, typeof value === 'boolean' ? (value ? '1' : '0') : Array.isArray(value) ? value.join(',') : String(value));
  }
  return params;
}

// The experiment a state names (or the first).
export function experimentOf(state, experiments) {
  return experiments.find((experiment) => experiment.id === state.experiment) ?? experiments[0];
}

// The seeds a state trains: its own, else the experiment's.
export function seedsOf(state, experiment) {
  return state.seeds ?? experiment.seeds;
}

// A configuration "masks:attention" (lab_experiments' configs; the grammar of lab/run_layout.h, whose
// masks and attention texts hold no ':') -> lab_start's masks and attention keys.
export function variantOf(configuration) {
  const at = configuration.indexOf(':');
  return at < 0 ? { masks: configuration } : { masks: configuration.slice(0, at), attention: configuration.slice(at + 1) };
}

// The options the state sets (the others are left to the core: its train defaults for the task, some of
// them derived from the given ones, as max_length from n).
export function givenOptionsOf(state) {
  return Object.fromEntries(optionKeys.filter((key) => state[key] !== null).map((key) => [key, state[key]]));
}

// The options of a state's runs as far as the page knows them: the experiment's (lab_experiments' options, the
// core's defaults at the task's default sizes) with the ones the state sets; for the placeholders and the
// estimates, never sent.
export function optionsOf(state, experiment) {
  return { ...experiment.options, ...givenOptionsOf(state) };
}

// The runs of a state: one per configuration and seed, configuration-major, each lab_start's config (the
// task, the options the state sets, the configuration's masks and attention, the seed: the run of
// `attnrank train --task T` with those options, --configs C and --seed S). steps and every (the checkpoint
// interval) as the run will have them.
export function runSpecsOf(state, experiment) {
  const options = optionsOf(state, experiment);
  const given = givenOptionsOf(state);
  const specs = [];
  for (const configuration of experiment.configs) {
    for (const seed of seedsOf(state, experiment)) {
      specs.push({ key: `${configuration}/${seed}`, configuration, seed, steps: options.steps,
        every: options.checkpoint_every ?? parameterInfo('checkpoint_every').default,
        config: { task: experiment.task, ...given, ...variantOf(configuration), seed } });
    }
  }
  return specs;
}
