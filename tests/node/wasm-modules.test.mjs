// node --test: the two wasm modules (CMakeLists.txt, built by build-wasm.sh into web/wasm/), linked from the same
// objects: attnrank.{mjs,wasm}, the figures' module the engine worker loads (every figure, the explorer), and
// attnrank-lab.{mjs,wasm}, the lab module the lab worker and the node tests load (tests/node/load-wasm.mjs).
// - The figures' module binds every method the engine worker serves (web/engine/engine-worker.mjs) and none of
//   the lab module's own exports (src/bindings/lab_bindings.cpp: the training runs, parameters, result_fields);
//   the lab module binds both lists and every method the lab worker serves (web/engine/lab-worker.mjs).
// - Export by export, the figures' module answers as the lab module does: the same values, typed arrays
//   included, bit for bit, for every pattern at f64 and f32, softmax and linear, the experiments, the claims,
//   .npy in and out, the lab's tables and verdicts on records a lab run wrote; the same errors (message, code,
//   param). The other node tests call the lab module (a superset) or, for the module binding tests, this one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';

import { finalsJsonl } from '../../web/views/lab-claims.mjs';
import { kFiguresModule, kLabModule, loadAttnrank, root } from './load-wasm.mjs';

let figures;
let lab;
before(async () => {
  [figures, lab] = await Promise.all([loadAttnrank(kFiguresModule), loadAttnrank(kLabModule)]);
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

test('the figures\' module binds the engine worker\'s methods and none of the lab module\'s own', () => {
  const engineMethods = workerMethods('engine-worker.mjs');
  const figureExports = boundNames('bindings.cpp');
  const labExports = boundNames('lab_bindings.cpp');
  assert.ok(engineMethods.length >= 15 && labExports.includes('lab_start') && labExports.includes('parameters'));
  for (const name of engineMethods) assert.equal(typeof figures[name], 'function', `figures' module: ${name}`);
  for (const name of figureExports) assert.equal(typeof figures[name], 'function', `figures' module: ${name}`);
  for (const name of labExports) assert.equal(figures[name], undefined, `figures' module binds ${name}, a lab module export`);
  for (const name of [...figureExports, ...labExports, ...workerMethods('lab-worker.mjs')]) {
    assert.equal(typeof lab[name], 'function', `lab module: ${name}`);
  }
});

// Calls method with args in both modules: the same value, or the same error.
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
  assert.deepStrictEqual(fromFigures, fromLab, `${method}(${JSON.stringify(args).slice(0, 200)})`);
  return fromFigures;
}

test('the tables and words: the same in both modules', () => {
  for (const method of ['limits', 'messages', 'patterns', 'pattern_names', 'depth_pattern_names', 'feature_map_names',
    'version', 'claim_catalogue', 'lab_experiments']) {
    assert.ok(same(method).value, method);
  }
});

test('analyze: every pattern, f64 and f32, softmax and linear, the same bits in both modules', () => {
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

test('the experiments, the claims and .npy: the same in both modules', () => {
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

test('lab_verdicts on the gallery\'s records (as the claims view asks) and on a lab run\'s: the same in both modules', () => {
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
