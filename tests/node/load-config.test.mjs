// node --test: the parameters the core refuses beside the user's Q and K are exported once, by the wasm
// module's parameters() (refused_with_q_k, from request_fields.h seeded_input_parameters), and the load
// figure's configs (web/views/figures/load.mjs loadConfig) leave out exactly those, read from the registry:
// the figure keeps no list of keys of its own (it kept ['seed', 'rope', 'repeat'] before).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';

import { parameters } from '../../web/state/parameter-registry.mjs';
import { defaultState } from '../../web/state/url-state.mjs';
import { loadConfig, refusedWithQK } from '../../web/views/figures/load.mjs';
import { installPatterns } from '../../web/state/pattern-registry.mjs';
import { loadAttnrank, root } from './load-wasm.mjs';

let attnrank;

before(async () => {
  attnrank = await loadAttnrank();
  installPatterns(attnrank.patterns());
});

const n = 4;
const d = 2;
const inputs = () => ({
  n, d, q: Float64Array.from({ length: n * d }, (_, i) => Math.sin(i + 1)),
  k: Float64Array.from({ length: n * d }, (_, i) => Math.cos(i + 1)),
});

function errorOf(call) {
  try {
    call();
    return null;
  } catch (error) {
    return error;
  }
}

test('parameters() marks exactly the parameters analyze() refuses beside q and k', () => {
  const table = attnrank.parameters();
  const refused = table.filter((entry) => entry.refused_with_q_k === true).map((entry) => entry.name);
  assert.ok(table.every((entry) => typeof entry.refused_with_q_k === 'boolean'), 'every entry says whether it is refused');
  assert.ok(refused.length > 0, 'parameters() names the parameters refused beside q/k');
  // Each analysis parameter, given beside q and k at its default: refused (naming it) exactly when marked.
  for (const entry of table.filter((p) => p.requests.includes('stats') && p.default !== null)) {
    const error = errorOf(() => attnrank.analyze({ ...inputs(), pattern: 'forward', [entry.name]: entry.default }));
    const isRefused = error !== null && /cannot be combined with q\/k/.test(error.message);
    assert.equal(isRefused, refused.includes(entry.name), `${entry.name}: ${error?.message ?? 'accepted'}`);
    if (isRefused) assert.equal(error.param, entry.name);
  }
});

test('the load figure\'s configs leave out the registry\'s refused parameters and are accepted by the core', () => {
  assert.deepEqual([...refusedWithQK], parameters.filter((p) => p.refused_with_q_k).map((p) => p.name));
  assert.ok(refusedWithQK.length > 0);
  const state = { ...defaultState, seed: 11, rope: true, repeat: 2, scale: 2 };
  for (const pattern of ['bidirectional', 'prefix', 'forward', 'backward']) {
    const config = loadConfig(state, pattern, inputs());
    for (const name of refusedWithQK) assert.ok(!(name in config), `${pattern}: ${name} is left out`);
    assert.equal(config.scale, 2, 'the state\'s other parameters stay');
    const result = attnrank.analyze(config);
    assert.equal(result.input, 'user');
    assert.equal(result.n, n);
  }
});

test('load.mjs names none of the refused keys itself (the list comes from the registry)', () => {
  const source = readFileSync(path.join(root, 'web', 'views', 'figures', 'load.mjs'), 'utf8');
  for (const name of parameters.filter((p) => p.refused_with_q_k).map((p) => p.name).concat(['seed', 'rope', 'repeat'])) {
    assert.doesNotMatch(source, new RegExp(`['"\`]${name}['"\`]`), `load.mjs writes '${name}' by hand`);
  }
});
