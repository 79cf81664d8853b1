// node --test on the parameter registry as its consumers read it: the page's copy (web/state/parameters.mjs)
// equals the wasm module's parameters() and the CLI's `attnrank parameters`; the URL state's keys, order,
// defaults, types, choices and ranges, the embed's attributes, the explorer's controls (ids, labels, select
// options, slider bounds) and the string tables' labels all agree with it. A parameter whose range, default,
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
import { pageDefault, parameters, urlParameters } from '../../web/state/parameter-registry.mjs';
import { parameterTable } from '../../web/state/parameters.mjs';
import { installPatterns } from '../../web/state/pattern-registry.mjs';
import { defaultState, keyOfParam, parseState, serializeState, validateField } from '../../web/state/url-state.mjs';
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
    assert.deepEqual({ min: core[entry.name]?.min, max: core[entry.name]?.max }, { min: entry.min, max: entry.max }, entry.name);
  }
});

test('the URL state is the registry\'s page parameters: keys in order, defaults, booleans and choices', () => {
  assert.deepEqual(Object.keys(defaultState), urlParameters.map((entry) => entry.url_key));
  // Pinned: the page's URL keys (in this order, new ones may come between) and defaults before the registry
  // drove them.
  const pinned = {
    n: 64, d: 8, scale: 1, seed: 7, prefix: null, window: 4, precision: 'f64', rope: false, repeat: 0,
    kind: 'softmax', feature: 'elu1', features: 64, colour: 'linear', windows: false, lang: null,
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

test('the explorer\'s controls are the registry\'s: ids, labels, select options and slider bounds', () => {
  const html = readFileSync(path.join(root, 'web', 'index.html'), 'utf8');
  const byKey = new Map(urlParameters.map((entry) => [entry.url_key, entry]));
  const ids = [...html.matchAll(/id="control-([a-z_]+)"/g)].map((match) => match[1]);
  assert.ok(ids.length >= 20, `found ${ids.length} controls`);
  for (const key of ids) {
    const entry = byKey.get(key);
    assert.ok(entry, `control-${key} is not a URL key of the parameter registry`);
    const label = new RegExp(`<label for="control-${key}" data-i18n="([^"]+)"`).exec(html);
    assert.equal(label?.[1], entry.words_key, `the label of control-${key}`);
    const select = new RegExp(`<select id="control-${key}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
    if (select) {
      assert.equal(entry.type, 'choice', key);
      const options = [...select[1].matchAll(/<option value="([^"]*)"/g)].map((match) => match[1]);
      // Static options are the registry's choices (sweep_stat and the depth view's lists are filled from it).
      if (options.length > 0) assert.deepEqual(options, [...entry.choices], `the options of control-${key}`);
    }
  }
  for (const match of html.matchAll(/<input id="slider-([a-z_]+)" type="range" min="([-0-9.]+)" max="([-0-9.]+)"[^>]*data-slider-for="([a-z_]+)"/g)) {
    const entry = byKey.get(match[4]);
    assert.ok(entry, match[0]);
    if (entry.min !== null) {
      assert.ok(Number(match[2]) >= entry.min && Number(match[3]) <= entry.max, `slider ${match[1]} within [${entry.min}, ${entry.max}]`);
    }
  }
});

test('every label key of the registry is in both string tables', () => {
  for (const entry of parameters.filter((p) => p.words_key)) {
    assert.equal(typeof enStrings[entry.words_key], 'string', `en ${entry.words_key}`);
    assert.equal(typeof zhStrings[entry.words_key], 'string', `zh ${entry.words_key}`);
  }
});
