// node --test on the pattern registry as the page reads it: the wasm module's patterns() installed into
// web/state/pattern-registry.mjs gives the lists, colours and depth schedules the page showed when they
// were typed in the views (pinned here), the string tables' pattern words agree with the core's, and a
// pattern the tables do not name is worded from the registry.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { enStrings, translate } from '../../web/i18n/strings.mjs';
import { zhStrings } from '../../web/i18n/strings-zh.mjs';
import {
  depthPatterns, essayPatterns, installPatterns, localPatterns, patternColours, patternNames, patternParameter,
  patternWord,
} from '../../web/state/pattern-registry.mjs';
import { loadAttnrank } from './load-wasm.mjs';

let registry;

before(async () => {
  const attnrank = await loadAttnrank();
  registry = attnrank.patterns();
  installPatterns(registry);
});

test('patterns() lists every pattern of pattern_names() with its parameter, triangle and group', async () => {
  const attnrank = await loadAttnrank();
  assert.deepEqual(registry.patterns.map((pattern) => pattern.id), [...attnrank.pattern_names()]);
  assert.deepEqual(registry.depth_schedules.map((schedule) => schedule.id), [...attnrank.depth_pattern_names()]);
  const byId = Object.fromEntries(registry.patterns.map((pattern) => [pattern.id, pattern]));
  assert.deepEqual(Object.fromEntries(Object.entries(byId).map(([id, p]) => [id, [p.parameter, p.triangle, p.group]])), {
    bidirectional: [null, null, 'essay'], prefix: ['prefix', null, 'essay'], forward: [null, 'lower', 'essay'],
    backward: [null, 'upper', 'essay'], window: ['window', null, 'local'], forward_window: ['window', 'lower', 'local'],
    custom: [null, null, 'custom'],
  });
  const alternating = registry.depth_schedules.find((schedule) => schedule.id === 'forward_backward');
  assert.deepEqual(alternating.layers, ['forward', 'backward']);
});

test('the installed lists and colours are the ones the views typed before the registry', () => {
  assert.deepEqual(patternNames, ['bidirectional', 'prefix', 'forward', 'backward', 'window', 'forward_window']);
  assert.deepEqual(essayPatterns, ['bidirectional', 'prefix', 'forward', 'backward']);
  assert.deepEqual(localPatterns, ['window', 'forward_window']);
  assert.deepEqual(patternColours, { bidirectional: '--series-1', prefix: '--series-2', forward: '--series-3',
    backward: '--series-4', window: '--series-5', forward_window: '--series-6' });
  // One colour per pattern (issue 17 item 4): the depth view's are the spectra's, forward_backward its own.
  assert.deepEqual(depthPatterns, [['bidirectional', '--series-1'], ['prefix', '--series-2'], ['forward', '--series-3'],
    ['backward', '--series-4'], ['forward_backward', '--series-7'], ['window', '--series-5'],
    ['forward_window', '--series-6']]);
  assert.equal(patternParameter('prefix'), 'prefix');
  assert.equal(patternParameter('forward_window'), 'window');
  assert.equal(patternParameter('forward_backward'), null);
  assert.equal(patternParameter('custom'), null);
});

test('the string tables word every pattern as the registry does', () => {
  const tables = { en: enStrings, zh: zhStrings };
  for (const entry of [...registry.patterns, ...registry.depth_schedules]) {
    for (const lang of ['en', 'zh']) {
      for (const [suffix, field] of [['', 'names'], ['.rule', 'rules'], ['.used_by', 'used_by']]) {
        const key = `pattern.${entry.id}${suffix}`;
        if (!entry[field][lang]) continue;
        assert.equal(tables[lang][key] ?? entry[field][lang], entry[field][lang], `${lang} ${key}`);
        assert.equal(patternWord(lang, key), entry[field][lang], `${lang} ${key} from the registry`);
      }
    }
  }
});

test('a pattern the string tables do not name is worded from the registry', () => {
  const withoutForward = {
    en: Object.fromEntries(Object.entries(enStrings).filter(([key]) => !key.startsWith('pattern.forward'))),
    zh: Object.fromEntries(Object.entries(zhStrings).filter(([key]) => !key.startsWith('pattern.forward'))),
  };
  assert.equal(translate(withoutForward, 'en', 'pattern.forward'), 'forward (causal)');
  assert.equal(translate(withoutForward, 'zh', 'pattern.forward'), '单向（正向）');
  assert.equal(translate(withoutForward, 'zh', 'pattern.forward.rule'), 'j ≤ i（下三角）');
  assert.equal(translate(withoutForward, 'zh', 'pattern.forward_backward'), '正向/反向交替');
  assert.equal(translate(withoutForward, 'en', 'pattern.unknown_id'), 'pattern.unknown_id');
});
