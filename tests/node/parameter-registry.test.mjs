// node --test on the parameter registry as its consumers read it: the page's copy (web/state/parameters.mjs)
// equals the wasm module's parameters() and the CLI's `attnrank parameters`; the URL state's keys, order,
// defaults, types, choices and ranges, the embed's attributes, the explorer's controls (built from it into
// index.html's places: one per page parameter) and the string tables' labels all agree with it; every
// parameter of a request the page makes has a control and reaches that request's config (or is listed as
// left to the core). A parameter whose range, default,
// flag, URL key or attribute disagrees with the registry in any consumer fails here (or in tests/cli and
// tests/native/test_parameter_registry.cpp).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';

import { figureOptions, observedAttributes, stateAttributes } from '../../web/embed/attribute-state.mjs';
import { enStrings } from '../../web/i18n/strings.mjs';
import { zhStrings } from '../../web/i18n/strings-zh.mjs';
import { pageDefault, parameterInfo, parameters, urlParameters } from '../../web/state/parameter-registry.mjs';
import { parameterTable } from '../../web/state/parameters.mjs';
import { installPatterns, patternNames, patternParameter } from '../../web/state/pattern-registry.mjs';
import { isLeftToTheCore, leftToTheCore, leftToTheCoreIn, pageRequests, stateKeyOf } from '../../web/state/request-configs.mjs';
import { claimsConfigFor, collapseConfigFor, configFor, defaultState, keyOfParam, mixtureConfigFor, parseState,
  serializeState, validateField } from '../../web/state/url-state.mjs';
import { fieldSpec, sliderBounds, unplacedKeys } from '../../web/views/control-fields.mjs';
import { mirrorSource } from '../../scripts/parameters-mirror.mjs';
import { loadAttnrank, root } from './load-wasm.mjs';

const cliPath = process.env.ATTNRANK_CLI ? path.resolve(process.env.ATTNRANK_CLI) : path.join(root, 'build', 'native', 'attnrank');
let attnrank;
let limits;

before(async () => {
  attnrank = await loadAttnrank();
  installPatterns(attnrank.patterns());
  limits = { ...attnrank.limits(), messages: attnrank.messages() };
});

// A plain copy (the module's arrays and objects are ordinary, but deepEqual wants the same prototypes).
const plain = (value) => JSON.parse(JSON.stringify(value));

test('the page\'s copy of the registry is the wasm module\'s parameters() and the CLI\'s', () => {
  assert.equal(typeof attnrank.parameters, 'function', 'the wasm module exports parameters()');
  const core = plain(attnrank.parameters());
  assert.deepEqual(plain(parameterTable), core,
    'web/state/parameters.mjs is stale: regenerate it with scripts/parameters-mirror.mjs (see its header)');
  // The copy is exactly what the generator writes (never edited by hand).
  assert.equal(readFileSync(path.join(root, 'web', 'state', 'parameters.mjs'), 'utf8'), mirrorSource(core));
  assert.ok(existsSync(cliPath), `${cliPath} is missing: build natively (cmake -S . -B build/native)`);
  assert.deepEqual(JSON.parse(execFileSync(cliPath, ['parameters'], { encoding: 'utf8' })), core);
});

test('every fixed range is the core\'s limits() entry of the same name', () => {
  const core = attnrank.limits();
  for (const entry of parameters.filter((p) => p.min !== null)) {
    if (entry.name === 'memory_budget_mib') continue;  // memory_estimate.h's range, not in limits()
    // The lab's own options (param_ranges.h kTrain*Range): limits() lists the analyses' ranges by name; a
    // train range is in parameters() only (min/max here, ranges.train for n, layers and seed).
    if (entry.requests.length === 1 && entry.requests[0] === 'train') continue;
    assert.deepEqual({ min: core[entry.name]?.min, max: core[entry.name]?.max }, { min: entry.min, max: entry.max }, entry.name);
  }
});

test('the URL state is the registry\'s page parameters: keys in order, defaults, booleans and choices', () => {
  assert.deepEqual(Object.keys(defaultState), urlParameters.map((entry) => entry.url_key));
  // Pinned: the page's URL keys (in this order, new ones may come between) and defaults before the registry
  // drove them (colour: 'auto' since issue 17's review, square root below n = 400 and log from there).
  const pinned = {
    n: 64, d: 8, scale: 1, seed: 7, prefix: null, window: 4, precision: 'f64', rope: false, repeat: 0,
    kind: 'softmax', feature: 'elu1', features: 64, colour: 'auto', colour_range: 'shared', windows: false, lang: null,
    sweep_over: 'scale', sweep_values: '0.25,0.5,1,2,4', sweep_stat: 'effective_rank', layers: 128,
    depth_variant: 'pure', depth_metric: 'relative_residual', heads: 4,
  };
  assert.deepEqual(Object.keys(defaultState).filter((key) => Object.hasOwn(pinned, key)), Object.keys(pinned));
  for (const [key, value] of Object.entries(pinned)) assert.equal(defaultState[key], value, key);
  for (const entry of urlParameters) {
    const key = entry.url_key;
    assert.equal(defaultState[key], pageDefault(entry), key);
    assert.equal(keyOfParam(entry.name), key, `an error naming ${entry.name} goes beside control ${key}`);
    if (entry.type === 'choice') {
      for (const choice of entry.choices) assert.deepEqual(validateField(key, choice, limits), { value: choice }, key);
      const bad = validateField(key, 'bogus', limits).error;
      assert.ok(bad.includes('bogus'), `${key}: ${bad}`);
      if (key !== 'depth_variant') assert.ok(bad.endsWith(`(expected one of: ${entry.choices.join(', ')})`), `${key}: ${bad}`);
    }
    if (entry.type === 'boolean') {
      assert.deepEqual(validateField(key, '1', limits), { value: true }, key);
      assert.deepEqual(validateField(key, '0', limits), { value: false }, key);
    }
    if (entry.type === 'integer' && entry.min !== null) {
      assert.deepEqual(validateField(key, String(entry.max), limits), { value: entry.max }, key);
      assert.deepEqual(validateField(key, String(entry.min - 1), limits),
        { error: `${key}=${entry.min - 1} must be in [${entry.min}, ${entry.max}]` }, key);
    }
  }
  // Only values that differ from the registry's page defaults reach the URL.
  assert.equal(serializeState({ ...defaultState }).toString(), '');
  assert.equal(serializeState({ ...defaultState, seed: 0 }).toString(), 'seed=0');
  assert.deepEqual(parseState('', limits).state, { ...defaultState });
});

test('the embed\'s attributes are the registry\'s, each read into its URL key', () => {
  assert.deepEqual([...stateAttributes], urlParameters.map((entry) => entry.attribute));
  for (const entry of urlParameters) {
    assert.ok(observedAttributes.includes(entry.attribute), entry.attribute);
    const value = entry.type === 'choice' ? entry.choices.at(-1) : entry.type === 'boolean' ? 'true'
      : entry.type === 'integer' ? String(entry.min === null ? 1 : entry.min + 1) : entry.type === 'number' ? '2' : '4,8';
    const read = (name) => (name === entry.attribute ? value : null);
    const options = figureOptions(read, [entry.attribute], limits);
    assert.deepEqual(options.errors, {}, entry.attribute);
    assert.notEqual(String(options.state[entry.url_key]), String(defaultState[entry.url_key] ?? 'none'),
      `attribute ${entry.attribute} sets ${entry.url_key}`);
  }
});

// index.html's places for the controls: [key, the place's attributes] for every <div data-field="key">.
function controlPlaces() {
  const html = readFileSync(path.join(root, 'web', 'index.html'), 'utf8');
  return { html, places: [...html.matchAll(/<div class="[^"]*" data-field="([a-z_]+)"([^>]*)><\/div>/g)]
    .map(([, key, rest]) => [key, Object.fromEntries([...rest.matchAll(/ data-([a-z-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]))]) };
}

test('the explorer\'s controls are the registry\'s: index.html places them, each built from its entry', () => {
  const { html, places } = controlPlaces();
  const byKey = new Map(urlParameters.map((entry) => [entry.url_key, entry]));
  const placed = places.map(([key]) => key);
  assert.equal(new Set(placed).size, placed.length, 'one place per control');
  for (const key of placed) assert.ok(byKey.has(key), `data-field="${key}" is not a URL key of the registry`);
  // A page parameter not placed yet gets a place at the end of the first fieldset (tests/e2e/controls.test.mjs).
  assert.ok(unplacedKeys(new Set(placed.filter((key) => key !== 'repeat'))).includes('repeat'));
  assert.ok(!unplacedKeys(new Set(placed)).includes('repeat'));
  // No control written by hand: ids, labels and options are built (views/control-fields.mjs).
  assert.doesNotMatch(html, /id="control-|<option|<label for="control-/);
  for (const [key, attributes] of places) {
    const entry = byKey.get(key);
    const spec = fieldSpec(key, { checkedChoice: attributes.checked ?? null, words: enStrings });
    assert.equal(spec.labelKey, entry.words_key, `the label of control-${key}`);
    if (entry.type === 'choice' && spec.element === 'select') {
      assert.deepEqual(spec.options.map((option) => option.value), [...entry.choices], `the options of control-${key}`);
      for (const { labelKey } of spec.options.filter((option) => option.labelKey)) {
        assert.equal(typeof zhStrings[labelKey], 'string', `zh ${labelKey}`);
      }
    }
    if (entry.type === 'boolean') assert.equal(spec.element, 'checkbox', key);
    if (entry.type === 'integer' || entry.type === 'number') {
      assert.equal(spec.inputMode, entry.type === 'integer' ? 'numeric' : 'decimal', key);
    }
    if ('slider-min' in attributes && entry.min !== null) {
      const { min, max } = sliderBounds(key, Number(attributes['slider-min']), Number(attributes['slider-max']));
      assert.ok(min >= entry.min && max <= entry.max, `slider ${key} within [${entry.min}, ${entry.max}]`);
    }
  }
  // Pinned: the option labels before the controls were built (index.html's data-i18n and main.mjs's lists).
  const labels = (key) => fieldSpec(key, { words: enStrings }).options.map((option) => option.labelKey ?? option.value);
  assert.deepEqual(labels('sweep_over'), ['chart.scale', 'n', 'd']);
  assert.deepEqual(labels('precision'), ['precision.f64', 'precision.f32']);
  assert.deepEqual(labels('feature'), ['feature.elu1', 'feature.relu', 'feature.exp', 'feature.favor']);
  assert.deepEqual(labels('sweep_stat'), byKey.get('sweep_stat').choices.map((stat) => `stat.${stat}`));
  assert.deepEqual(labels('depth_metric'), byKey.get('depth_metric').choices.map((metric) => `depth.metric.${metric}`));
});

// A value of `entry` other than the page's default, for the config test below.
function otherValue(entry) {
  const fallback = pageDefault(entry);
  if (entry.type === 'choice') return entry.choices.find((choice) => choice !== fallback && choice !== 'linear') ?? 'linear';
  if (entry.type === 'boolean') return !fallback;
  if (entry.type === 'number') return 2;
  return fallback === null ? 3 : fallback + 1;
}

test('every registry parameter of a page request has a control and reaches its config, or is left to the core', () => {
  const controlKeys = new Set(urlParameters.map((entry) => entry.url_key));  // each gets a control (placed or not)
  const builders = {
    stats: (state, pattern) => configFor(state, pattern),
    claims: (state) => claimsConfigFor(state),
    collapse: (state, pattern) => collapseConfigFor(state, pattern),
    mixture: (state) => mixtureConfigFor(state),
  };
  assert.deepEqual(Object.keys(builders), [...pageRequests]);
  for (const request of pageRequests) {
    for (const entry of parameters.filter((p) => p.requests.includes(request))) {
      if (isLeftToTheCore(request, entry.name)) continue;
      const label = `${entry.name} (a parameter of ${request})`;
      const key = stateKeyOf(entry);
      assert.ok(key, `${label}: no page setting holds it: give it a URL key or list it in request-configs.mjs's leftToTheCore`);
      assert.ok(controlKeys.has(key), `${label}: no control (${key} is no URL key of the registry)`);
      // Under a state where it applies (linear attention, favor; a pattern that takes it).
      const pattern = patternNames.find((name) => patternParameter(name) === entry.name) ?? 'bidirectional';
      const value = otherValue(parameterInfo(entry.name) ?? entry);
      const state = { ...defaultState, kind: 'linear', feature: 'favor', [key]: value };
      const config = builders[request](state, pattern);
      assert.ok(Object.hasOwn(config, entry.name), `${label}: missing from the ${request} config ${JSON.stringify(config)}`);
      assert.equal(config[entry.name], value, label);
    }
    // And nothing the request does not take (the pattern argument and the pass-through keys aside).
    const config = builders[request]({ ...defaultState, kind: 'linear', feature: 'favor', prefix: 3 }, 'prefix');
    for (const name of Object.keys(config).filter((name) => name !== 'pattern' && name !== 'want_matrices')) {
      assert.ok(parameterInfo(name)?.requests.includes(request), `${request} config key ${name}`);
    }
  }
  for (const name of Object.keys(leftToTheCore)) assert.ok(parameterInfo(name), `leftToTheCore.${name} is a registry parameter`);
  for (const [request, names] of Object.entries(leftToTheCoreIn)) {
    for (const name of Object.keys(names)) {
      assert.ok(parameterInfo(name)?.requests.includes(request), `leftToTheCoreIn.${request}.${name} is a parameter of ${request}`);
    }
  }
});

test('every label key of the registry is in both string tables', () => {
  for (const entry of parameters.filter((p) => p.words_key)) {
    assert.equal(typeof enStrings[entry.words_key], 'string', `en ${entry.words_key}`);
    assert.equal(typeof zhStrings[entry.words_key], 'string', `zh ${entry.words_key}`);
  }
});
