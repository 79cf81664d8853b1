// node --test: the three wasm modules (CMakeLists.txt, built by build-wasm.sh into web/wasm/), linked from the
// same objects: attnrank.{mjs,wasm}, the first module the engine worker starts on (analyze and the tables: what
// a post's first figure and the explorer's first view ask), attnrank-figures.{mjs,wasm}, the figures' module it
// loads on the first request the first module lacks (every figure), and attnrank-lab.{mjs,wasm}, the lab module
// the lab worker and the node tests load (tests/node/load-wasm.mjs).
// - The first module binds bindings.cpp's exports and no other; the figures' module those, figures_bindings.cpp's
//   and every method the engine worker serves (web/engine/engine-worker.mjs), and none of the lab module's own
//   exports (src/bindings/lab_bindings.cpp: the training runs, parameters, result_fields); the lab module binds
//   every list and every method the lab worker serves (web/engine/lab-worker.mjs).
// - Export by export, the first and the figures' module answer as the lab module does: the same values, typed
//   arrays included, bit for bit, for every pattern at f64 and f32, softmax and linear, the experiments, the
//   claims, .npy in and out, the lab's tables and verdicts on records a lab run wrote; the same errors (message,
//   code, param). The other node tests call the lab module (a superset) or, for the module binding tests, the
//   figures' module.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';

import { finalsJsonl } from '../../web/views/lab-claims.mjs';
import { kFiguresModule, kFirstModule, kLabModule, loadAttnrank, root } from './load-wasm.mjs';

let first;
let figures;
let lab;
before(async () => {
  [first, figures, lab] = await Promise.all([loadAttnrank(kFirstModule), loadAttnrank(kFiguresModule), loadAttnrank(kLabModule)]);
});

// The names in `const methods = new Set([...])` of a worker module.
function workerMethods(file) {
  const text = readFileSync(path.join(root, 'web', 'engine', file), 'utf8');
  const list = /const methods = new Set\(\[([^\]]*)\]\)/.exec(text);
  assert.ok(list, `${file}: no methods set`);
  return [...list[1].matchAll(/'([a-z_]+)'/g)].map((match) => match[1]);
}

// The names a bindings source registers (emscripten::function("name", ...)).
function boundNames(file) {
  const text = readFileSync(path.join(root, 'src', 'bindings', file), 'utf8');
  return [...text.matchAll(/emscripten::function\("([a-z_]+)"/g)].map((match) => match[1]);
}

test('the first module binds analyze and the tables, the figures\' module the engine worker\'s methods, neither the lab module\'s own', () => {
  const engineMethods = workerMethods('engine-worker.mjs');
  const firstExports = boundNames('bindings.cpp');
  const figureExports = boundNames('figures_bindings.cpp');
  const labExports = boundNames('lab_bindings.cpp');
  assert.ok(engineMethods.length >= 15 && labExports.includes('lab_start') && labExports.includes('parameters'));
  assert.ok(firstExports.includes('analyze') && firstExports.includes('limits') && figureExports.includes('collapse'));
  // Every method the engine worker serves is bound by one of the two lists, once.
  assert.deepEqual([...firstExports, ...figureExports].sort(), [...engineMethods].sort());
  for (const name of engineMethods) assert.equal(typeof figures[name], 'function', `figures' module: ${name}`);
  for (const name of firstExports) assert.equal(typeof first[name], 'function', `first module: ${name}`);
  for (const name of [...figureExports, ...labExports]) assert.equal(first[name], undefined, `first module binds ${name}`);
  for (const name of labExports) assert.equal(figures[name], undefined, `figures' module binds ${name}, a lab module export`);
  for (const name of [...firstExports, ...figureExports, ...labExports, ...workerMethods('lab-worker.mjs')]) {
    assert.equal(typeof lab[name], 'function', `lab module: ${name}`);
  }
});

// Calls method with args in the modules that bind it (the first module when it does, the figures' module and
// the lab module): the same value, or the same error.
function same(method, ...args) {
  const answer = (module) => {
    try {
      return { value: module[method](...args) };
    } catch (error) {
      return { error: { message: error.message, code: error.code, param: error.param, name: error.constructor.name } };
    }
  };
  const fromFigures = answer(figures);
  const fromLab = answer(lab);
  const where = `${method}(${JSON.stringify(args).slice(0, 200)})`;
  assert.deepStrictEqual(fromFigures, fromLab, where);
  if (typeof first[method] === 'function') assert.deepStrictEqual(answer(first), fromLab, `first module: ${where}`);
  return fromFigures;
}

test('the tables and words: the same in every module that binds them', () => {
  for (const method of ['limits', 'messages', 'patterns', 'pattern_names', 'depth_pattern_names', 'feature_map_names',
    'version', 'claim_catalogue', 'lab_experiments']) {
    assert.ok(same(method).value, method);
  }
});

test('analyze: every pattern, f64 and f32, softmax and linear, the same bits in every module that binds it', () => {
  let values = 0;
  for (const pattern of figures.pattern_names()) {
    for (const config of [{ precision: 'f64' }, { precision: 'f32' }, { kind: 'linear', feature: 'favor', features: 8 }]) {
      const answer = same('analyze', { pattern, n: 24, d: 4, seed: 5, want_matrix: true, ...config });
      if (answer.value) {
        values += 1;
        assert.ok(answer.value.singular_values instanceof Float64Array);
      }
    }
  }
  assert.ok(values >= 2 * figures.pattern_names().length, `${values} results`);
  // Errors: the same message, code and parameter.
  const refused = same('analyze', { n: 0 });
  assert.equal(refused.error?.param, 'n');
  assert.equal(same('analyze', { pattern: 'nope' }).error?.code, 'invalid_argument');
});

test('the experiments, the claims and .npy: the same in every module that binds them', () => {
  assert.ok(same('collapse', { n: 12, layers: 3, seed: 2 }).value);
  assert.ok(same('mixture', { n: 12, d: 4, heads: 2, seed: 2 }).value);
  assert.ok(same('architectures', {}).value);
  assert.ok(same('permutation', { n: 12, seed: 2 }).value);
  assert.equal(same('collapse', { n: 12, d: 4 }).error?.code, 'invalid_argument');
  assert.ok(same('claims', { n: 16, d: 4, seed: 2 }).value);
  const bytes = same('write_npy', new Float64Array([1, 2.5, -3, 0.125, 7, 8]), 2, 3, 'f64').value;
  assert.ok(bytes instanceof Uint8Array);
  assert.ok(same('parse_npy', bytes, 'x.npy').value);
  assert.ok(same('parse_npy', new Uint8Array([1, 2, 3]), 'bad.npy').error);
});

test('lab_verdicts on the gallery\'s records (as the claims view asks) and on a lab run\'s: the same in every module that binds them', () => {
  const experiments = new Map(lab.lab_experiments().experiments.map((experiment) => [experiment.id, experiment]));
  const index = JSON.parse(readFileSync(path.join(root, 'web', 'lab', 'gallery', 'index.json'), 'utf8'));
  const defaults = index.experiments.filter((entry) => entry.settings === index.experiments[0].settings);
  const verdicts = same('lab_verdicts', finalsJsonl(defaults, experiments), null).value;
  assert.ok(verdicts.claims.length > 0, JSON.stringify(verdicts).slice(0, 200));
  const run = lab.lab_start({ task: 'copy', n: 13, width: 16, heads: 2, layers: 1, symbols: 6, min_length: 2, max_length: 6,
    batch: 4, steps: 8, checkpoint_every: 4, heldout_batches: 1, seed: 3, masks: 'prefix' });
  lab.lab_advance(run.id, 8);
  const records = lab.lab_checkpoints(run.id, 0).map((record) => JSON.stringify(record));
  lab.lab_destroy(run.id);
  assert.ok(same('lab_verdicts', records.join('\n'), 4).value);
  assert.ok(same('lab_verdicts', '{"not": "a record"}', null).error);
});
