// web/lab/lab-state.mjs against the wasm module's own tables (lab_experiments(), limits(), messages()): the
// URL round trip of every setting, the core's words for a bad value (word for word what lab_start says for
// the same value), and the runs of a state: every configuration x seed, each lab_start's config, accepted by
// the core.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { experimentOf, labDefaults, optionsOf, parseLabState, runSpecsOf, serializeLabState, validateLabField, variantOf }
  from '../../web/lab/lab-state.mjs';
import { loadAttnrank } from './load-wasm.mjs';

let attnrank;
let context;

before(async () => {
  attnrank = await loadAttnrank();
  context = { experiments: attnrank.lab_experiments().experiments, limits: { ...attnrank.limits(), messages: attnrank.messages() } };
});

test('every setting goes into the URL and back; the defaults write nothing', () => {
  assert.equal(serializeLabState(labDefaults).toString(), '');
  const state = { ...labDefaults, experiment: context.experiments[1].id, seeds: [4, 5], steps: 50, width: 32, learning_rate: 0.002,
    view: 'forward:softmax', view_seed: 5, step: 30, compare: true, loss_log: false, lang: 'zh' };
  const query = serializeLabState(state).toString();
  const { state: back, errors } = parseLabState(query, context);
  assert.deepEqual(errors, {});
  assert.deepEqual(back, state);
  assert.equal(serializeLabState(back).toString(), query);
});

test('a bad value keeps the default with the core\'s words, the same as lab_start\'s for that value', () => {
  const { state, errors } = parseLabState('steps=0&seeds=1,1&experiment=nope&n=2.5&learning_rate=nan', context);
  assert.equal(state.steps, null);
  assert.equal(state.experiment, null);
  assert.match(errors.experiment, /^experiment=nope /);
  assert.match(errors.seeds, /seed=1 is given twice/);
  const coreMessage = (key, value) => {
    try {
      attnrank.lab_start({ task: 'copy', [key]: value });
    } catch (error) {
      return error.message;
    }
    return null;
  };
  // An integer option's range is the registry's: the page's message is the core's, word for word.
  for (const [key, value] of [['steps', 0], ['n', 2.5]]) assert.equal(errors[key], coreMessage(key, value), key);
  // A number's range is run_base()'s alone (not in the registry): the page refuses what is not finite in the
  // core's words for that, the core (at Run) what is out of its range; both refuse NaN.
  assert.equal(errors.learning_rate, 'learning_rate=nan must be finite');
  assert.match(coreMessage('learning_rate', Number.NaN), /^learning_rate=nan /);
  assert.match(validateLabField('steps', 'abc', context).error, /^steps="abc" must be an integer number/);
});

test('the runs of a state: every configuration x seed, configs the core accepts, the options it sets', () => {
  for (const experiment of context.experiments) {
    const state = { ...labDefaults, experiment: experiment.id, steps: 7 };
    assert.equal(experimentOf(state, context.experiments), experiment);
    const specs = runSpecsOf(state, experiment);
    assert.equal(specs.length, experiment.configs.length * experiment.seeds.length);
    assert.deepEqual([...new Set(specs.map((spec) => spec.configuration))], experiment.configs);
    for (const spec of specs) {
      assert.equal(spec.config.steps, 7);
      assert.equal(spec.steps, 7);
      assert.deepEqual(Object.keys(spec.config).sort(), ['attention', 'masks', 'seed', 'steps', 'task'].filter((key) => key !== 'attention' || spec.config.attention !== undefined).sort(), 'only what the state sets, the rest left to the core');
      assert.equal(spec.config.task, experiment.task);
      assert.equal(`${spec.config.masks}:${spec.config.attention ?? 'softmax'}`, spec.configuration.includes(':') ? spec.configuration : `${spec.configuration}:softmax`);
      assert.equal(spec.every, optionsOf(state, experiment).checkpoint_every);
    }
    if (experiment.task === 'copy' || experiment.task === 'mqar' || experiment.task === 'reverse') {
      const { id } = attnrank.lab_start(specs.at(-1).config);
      attnrank.lab_destroy(id);
    }
  }
  assert.deepEqual(variantOf('forward/backward:softmax/linear'), { masks: 'forward/backward', attention: 'softmax/linear' });
});
