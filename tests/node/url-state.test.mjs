// node --test on web/state/url-state.mjs: defaults, round trips, only non-default keys in the URL,
// validation messages (ranges taken from the wasm module's limits(), never re-typed here), unknown keys
// ignored, and configFor() giving configs the wasm module's analyze() accepts for every pattern and kind.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { collapseConfigFor, configFor, defaultState, parseState, patternNames, serializeState, sweepDefaults, validateField } from '../../web/state/url-state.mjs';
import { pageDefault, parameterInfo, urlParameters } from '../../web/state/parameter-registry.mjs';
import { installPatterns } from '../../web/state/pattern-registry.mjs';
import { loadAttnrank } from './load-wasm.mjs';

let attnrank;
let limits;

before(async () => {
  attnrank = await loadAttnrank();
  installPatterns(attnrank.patterns());  // as the page does before building configs
  limits = { ...attnrank.limits(), messages: attnrank.messages() };
});

// A value of a page parameter away from its page default (a choice: another one; an integer: one more).
function otherValue(entry) {
  const fallback = pageDefault(entry);
  if (entry.type === 'choice') return entry.choices.find((choice) => choice !== fallback);
  if (entry.type === 'boolean') return !fallback;
  if (entry.type === 'number') return 2;
  return fallback === null ? 3 : fallback + 1;
}

// A state with every key away from its default: these values, and for a key added since, another value
// from the registry.
function everyKeyChanged() {
  return { ...Object.fromEntries(urlParameters.map((entry) => [entry.url_key, otherValue(entry)])),
    n: 33, d: 5, scale: 0.1, seed: 4294967295, prefix: 7, window: 3, precision: 'f32', rope: true,
    repeat: 4, kind: 'linear', feature: 'favor', features: 12, colour: 'log', windows: true, lang: 'zh',
    sweep_over: 'n', sweep_values: '8,16,32', sweep_stat: 'stable_rank', layers: 6, depth_variant: 'skip+layernorm',
    depth_metric: 'path_residual', heads: 2 };
}

describe('defaults and round trips', () => {
  test('an empty query gives the defaults, no errors, and serializes to nothing', () => {
    const { state, errors } = parseState(new URLSearchParams(), limits);
    assert.deepEqual(state, { ...defaultState });
    assert.deepEqual(errors, {});
    assert.equal(serializeState(defaultState).toString(), '');
    assert.ok(Object.isFrozen(defaultState));
  });

  test('the defaults themselves are valid', () => {
    for (const [key, value] of Object.entries(defaultState)) {
      const checked = validateField(key, value === null ? '' : typeof value === 'boolean' ? String(value) : String(value), limits, defaultState);
      assert.deepEqual(checked, { value }, key);
    }
  });

  // Issue 13, item 5: with skip connections the collapse is slowed, not stopped; the depth view's default
  // must be deep enough to show the bidirectional residual reach rounding level with a skip (it does by
  // layer ~108 at the page's n = 64, d = 8, seed 7), so at least 128 layers, within the core's range.
  test('the depth view defaults to at least 128 layers, inside the core\'s layers range', () => {
    assert.ok(defaultState.layers >= 128, `default layers ${defaultState.layers}`);
    assert.ok(defaultState.layers <= limits.layers.max, `limits.layers.max ${limits.layers.max}`);
    const result = attnrank.collapse(collapseConfigFor({ ...defaultState, depth_variant: 'skip' }, 'bidirectional'));
    assert.equal(result.relative_residual.length, defaultState.layers + 1);
    assert.ok(result.relative_residual.at(-1) < 1e-12, `bidirectional with a skip at layer ${defaultState.layers}: ${result.relative_residual.at(-1)}`);
    assert.ok(result.relative_residual[12] > 0.1, `a 12-layer snapshot shows no collapse: ${result.relative_residual[12]}`);
  });

  test('serialize then parse gives the same state (every key changed)', () => {
    const state = everyKeyChanged();
    const query = serializeState(state).toString();
    const parsed = parseState(new URLSearchParams(query), limits);
    assert.deepEqual(parsed.errors, {});
    assert.deepEqual(parsed.state, state);
    assert.deepEqual(Object.keys(state), Object.keys(defaultState), 'the test changes every key');
  });

  test('round trip of awkward numbers: shortest decimal forms survive', () => {
    for (const scale of [0.1, 1 / 3, 1e-7, 123456.789, -2, 5e-324, 1.7976931348623157e308]) {
      const query = serializeState({ ...defaultState, scale }).toString();
      assert.equal(parseState(query, limits).state.scale, scale, query);
    }
  });

  test('only non-default keys are serialized, in defaultState order', () => {
    assert.equal(serializeState({ ...defaultState, seed: 8 }).toString(), 'seed=8');
    assert.equal(serializeState({ ...defaultState, rope: true, n: 128 }).toString(), 'n=128&rope=1');
    assert.equal(serializeState({ ...defaultState, prefix: 0 }).toString(), 'prefix=0', 'p = 0 is not the default');
    assert.equal(serializeState({ ...defaultState, lang: 'en', windows: true }).toString(), 'windows=1&lang=en');
    const keys = [...serializeState(everyKeyChanged()).keys()];
    assert.deepEqual(keys, Object.keys(defaultState));
  });

  test('parseState accepts a query string and keeps the first of repeated keys', () => {
    assert.equal(parseState('?n=12&n=13', limits).state.n, 12);
  });
});

describe('validation', () => {
  const nMax = () => limits.n.max;

  test('n out of range or not an integer', () => {
    const cases = [
      ['-1', `n=-1 must be in [${limits.n.min}, ${nMax()}]`],
      ['0', `n=0 must be in [${limits.n.min}, ${nMax()}]`],
      [String(10 ** 9), `n=1000000000 must be in [${limits.n.min}, ${nMax()}]`],
      [String(nMax() + 1), `n=${nMax() + 1} must be in [${limits.n.min}, ${nMax()}]`],
      ['abc', 'n="abc" must be an integer number (got string)'],
      ['', 'n="" must be an integer number (got string)'],
      ['1.5', 'n=1.5 must be an integer'],
      ['1e5', `n=100000 must be in [${limits.n.min}, ${nMax()}]`],
      ['0x10', 'n="0x10" must be an integer number (got string)'],
    ];
    for (const [raw, message] of cases) {
      assert.deepEqual(validateField('n', raw, limits), { error: message }, raw);
      const { state, errors } = parseState(new URLSearchParams({ n: raw, seed: '3' }), limits);
      assert.equal(errors.n, message);
      assert.equal(state.n, defaultState.n, 'a bad value keeps the default');
      assert.equal(state.seed, 3, 'the other keys still apply');
    }
    assert.deepEqual(validateField('n', String(nMax()), limits), { value: nMax() });
    assert.deepEqual(validateField('n', ' 12 ', limits), { value: 12 }, 'surrounding spaces are ignored');
    assert.deepEqual(validateField('n', '1e3', limits), { value: 1000 }, 'a number the core takes as n = 1000');
  });

  test('every ranged integer uses the core\'s limits', () => {
    for (const key of ['n', 'd', 'features', 'seed', 'repeat']) {
      const { min, max } = limits[key];
      assert.deepEqual(validateField(key, String(min), limits), { value: min }, key);
      assert.deepEqual(validateField(key, String(max), limits), { value: max }, key);
      assert.deepEqual(validateField(key, String(max + 1), limits), { error: `${key}=${max + 1} must be in [${min}, ${max}]` });
      assert.deepEqual(validateField(key, String(min - 1), limits), { error: `${key}=${min - 1} must be in [${min}, ${max}]` });
    }
    // A different table changes the answers: nothing is re-typed in url-state.mjs.
    const narrow = { ...limits, n: { min: 2, max: 10 } };
    assert.deepEqual(validateField('n', '11', narrow), { error: 'n=11 must be in [2, 10]' });
    assert.throws(() => validateField('n', '5', {}), /limits\.n is missing/);
  });

  test('prefix: null for auto, p > n is an error naming both', () => {
    assert.deepEqual(validateField('prefix', '', limits), { value: null });
    assert.deepEqual(validateField('prefix', 'auto', limits), { value: null });
    assert.deepEqual(validateField('prefix', '0', limits), { value: 0 });
    assert.deepEqual(validateField('prefix', '-1', limits), { error: 'prefix=-1 must be >= 0' });
    assert.deepEqual(validateField('prefix', '9', limits, { ...defaultState, n: 8 }), { error: 'prefix=9 exceeds n=8' });
    const { state, errors } = parseState('n=8&prefix=9', limits);
    assert.equal(errors.prefix, 'prefix=9 exceeds n=8');
    assert.equal(state.prefix, null);
    assert.equal(state.n, 8);
    assert.deepEqual(parseState('n=8&prefix=8', limits).errors, {});
  });

  test('window > n is an error when given; the default window fits small n through configFor', () => {
    assert.equal(parseState('n=3&window=5', limits).errors.window, 'window=5 exceeds n=3');
    assert.deepEqual(validateField('window', '0', limits), { error: 'window=0 must be >= 1' });
    assert.deepEqual(parseState('n=3', limits).errors, {});
    const config = configFor(parseState('n=3', limits).state, 'window');
    assert.equal('window' in config, false);
    assert.equal(attnrank.analyze(config).window, 3, 'the core\'s min(4, n)');
  });

  test('scale: NaN, Infinity and text are errors', () => {
    const cases = [
      ['NaN', 'scale=nan must be finite'],
      ['nan', 'scale=nan must be finite'],
      ['Infinity', 'scale=inf must be finite'],
      ['-Infinity', 'scale=-inf must be finite'],
      ['inf', 'scale=inf must be finite'],
      ['1e400', 'scale=inf must be finite'],
      ['abc', 'scale="abc" must be a number (got string)'],
      ['', 'scale="" must be a number (got string)'],
      ['1,5', 'scale="1,5" must be a number (got string)'],
      ['0x1', 'scale="0x1" must be a number (got string)'],
    ];
    for (const [raw, message] of cases) {
      assert.deepEqual(validateField('scale', raw, limits), { error: message }, raw);
      assert.equal(parseState(new URLSearchParams({ scale: raw }), limits).errors.scale, message);
    }
    for (const [raw, value] of [['0.25', 0.25], ['-2', -2], ['.5', 0.5], ['1e-3', 0.001], ['+4', 4], ['0', 0]]) {
      assert.deepEqual(validateField('scale', raw, limits), { value }, raw);
    }
  });

  test('unknown pattern-like values: precision, kind, feature, colour, lang, sweep_over, sweep_stat', () => {
    assert.deepEqual(validateField('precision', 'f16', limits), { error: 'precision=f16 is unknown (expected one of: f64, f32)' });
    assert.deepEqual(validateField('kind', 'sparse', limits), { error: 'kind=sparse is unknown (expected one of: softmax, linear)' });
    assert.deepEqual(validateField('feature', 'gelu', limits), { error: 'feature=gelu is unknown (expected one of: elu1, relu, exp, favor)' });
    assert.deepEqual(validateField('colour', 'rainbow', limits), { error: 'colour=rainbow is unknown (expected one of: auto, linear, sqrt, log)' });
    assert.deepEqual(validateField('lang', 'fr', limits), { error: 'lang=fr is unknown (expected one of: en, zh)' });
    assert.deepEqual(validateField('lang', '', limits), { value: null });
    assert.deepEqual(validateField('sweep_over', 'w', limits), { error: 'sweep_over=w is unknown (expected one of: scale, n, d)' });
    assert.match(validateField('sweep_stat', 'rank', limits).error, /^sweep_stat=rank is unknown \(expected one of: numerical_rank_f64, /);
    assert.deepEqual(validateField('rope', 'maybe', limits), { error: 'rope="maybe" must be a boolean (got string)' });
    const { state, errors } = parseState('precision=f16&feature=gelu&kind=linear', limits);
    assert.deepEqual(Object.keys(errors).sort(), ['feature', 'precision']);
    assert.equal(state.precision, 'f64');
    assert.equal(state.kind, 'linear');
    assert.equal(state.feature, 'elu1');
  });

  test('long raw values are cut in messages', () => {
    const { error } = validateField('kind', 'x'.repeat(1000), limits);
    assert.ok(error.length < 150, error);
    assert.match(error, /^kind=x{40}… is unknown/);
  });

  test('the page\'s name lists agree with the core\'s', () => {
    assert.deepEqual([...patternNames].sort(), [...attnrank.pattern_names()].filter((name) => name !== 'custom').sort());
    assert.deepEqual(validateField('feature', 'favor', limits), { value: 'favor' });
    for (const feature of attnrank.feature_map_names()) {
      assert.deepEqual(validateField('feature', feature, limits), { value: feature }, feature);
    }
    // Every sweep statistic is a numeric key of analyze()'s result.
    const result = attnrank.analyze({ pattern: 'forward', n: 8 });
    const statistics = validateField('sweep_stat', '?', limits).error.match(/\(expected one of: (.*)\)$/)[1].split(', ');
    for (const key of statistics) assert.equal(typeof result[key], 'number', key);
  });

  test('sweep values: numbers for scale, integers in range for n and d', () => {
    assert.deepEqual(validateField('sweep_values', '0.25, 0.5,1', limits), { value: '0.25,0.5,1' });
    assert.deepEqual(validateField('sweep_values', '1,,2', limits), { error: 'sweep_values=1,,2 has an empty item' });
    assert.deepEqual(validateField('sweep_values', '1,NaN', limits), { error: 'sweep_values: scale=nan must be finite' });
    const asN = { ...defaultState, sweep_over: 'n' };
    assert.deepEqual(validateField('sweep_values', '8,0.5', limits, asN), { error: 'sweep_values: n=0.5 must be an integer' });
    assert.deepEqual(validateField('sweep_values', `8,${limits.n.max + 1}`, limits, asN),
      { error: `sweep_values: n=${limits.n.max + 1} must be in [${limits.n.min}, ${limits.n.max}]` });
    const { errors, state } = parseState('sweep_over=d&sweep_values=4,0', limits);
    assert.equal(errors.sweep_values, `sweep_values: d=0 must be in [${limits.d.min}, ${limits.d.max}]`);
    assert.equal(state.sweep_values, sweepDefaults.d, 'a bad list falls back to the axis\'s own values');
    assert.equal(state.sweep_over, 'd');
    assert.match(validateField('sweep_values', Array(65).fill(1).join(','), limits).error, /has 65 values/);
  });

  // One set of words (issue 14 item 4): for a value the core can be given, the page's message is the one
  // the core (or its binding) throws for it, word for word; the words come from messages(), not from JS.
  test('the page words every check as the core does for the same value', () => {
    const coreMessage = (config) => {
      try {
        attnrank.analyze(config);
      } catch (error) {
        return error.message;
      }
      return null;
    };
    const asNumber = (raw) => (/^[+-]?inf$/i.test(raw) ? (raw.startsWith('-') ? -Infinity : Infinity) : Number(raw));
    const cases = [];
    for (const raw of ['0', '-1', '4097', '1e9', '2.5', 'NaN', 'Infinity', '9007199254740993']) {
      for (const key of ['n', 'd', 'seed', 'repeat']) cases.push([key, raw, { [key]: asNumber(raw) }]);
      cases.push(['features', raw, { kind: 'linear', feature: 'favor', features: asNumber(raw) }]);
    }
    for (const raw of ['NaN', 'nan', 'Infinity', '-Infinity', 'inf', '1e999']) cases.push(['scale', raw, { scale: asNumber(raw) }]);
    for (const raw of ['abc', '', '0x10']) {
      cases.push(['n', raw, { n: raw }], ['seed', raw, { seed: raw }], ['scale', raw, { scale: raw }]);
    }
    cases.push(['rope', 'yes', { rope: 'yes' }], ['kind', 'quadratic', { kind: 'quadratic' }],
      ['precision', 'f16', { precision: 'f16' }], ['feature', 'gelu', { kind: 'linear', feature: 'gelu' }]);
    const n8 = { ...defaultState, n: 8 };
    for (const raw of ['-1', '9', '2.5', '10000000000', '-10000000000', 'NaN']) {
      cases.push(['prefix', raw, { n: 8, pattern: 'prefix', prefix: Number(raw) }, n8]);
      cases.push(['window', raw, { n: 8, pattern: 'window', window: Number(raw) }, n8]);
    }
    cases.push(['window', '0', { n: 8, pattern: 'forward_window', window: 0 }, n8]);
    let refused = 0;
    for (const [key, raw, config, state] of cases) {
      const expected = coreMessage({ n: 8, ...config });
      const checked = validateField(key, raw, limits, state ?? null);
      if (expected === null) {
        assert.equal(checked.error, undefined, `${key}=${raw}: the core accepts it`);
      } else {
        refused += 1;
        assert.deepEqual(checked, { error: expected }, `${key}=${raw}`);
      }
    }
    assert.ok(refused >= 60, `only ${refused} refused values compared`);
    assert.throws(() => validateField('scale', 'abc', { ...limits, messages: undefined }), /limits\.messages\.not_number_type is missing/);
  });

  test('unknown keys are ignored', () => {
    const { state, errors } = parseState('foo=1&N=5&__proto__=x&constructor=y&toString=z&n=9', limits);
    assert.deepEqual(errors, {});
    assert.deepEqual(state, { ...defaultState, n: 9 });
    assert.deepEqual(validateField('toString', '1', limits), { error: 'toString is not a setting' });
  });
});

describe('configFor', () => {
  test('every pattern and kind gives a config analyze() accepts, with the state\'s values', () => {
    const states = [
      { ...defaultState },
      { ...defaultState, n: 24, d: 4, scale: 2, seed: 3, prefix: 5, window: 3, precision: 'f32', rope: true, repeat: 6 },
    ];
    for (const state of states) {
      for (const pattern of patternNames) {
        for (const kind of ['softmax', 'linear']) {
          for (const feature of kind === 'linear' ? ['elu1', 'exp', 'favor'] : ['elu1']) {
            const config = configFor({ ...state, kind, feature, features: 16 }, pattern);
            const result = attnrank.analyze(config);
            const label = JSON.stringify(config);
            assert.equal(result.pattern, pattern, label);
            assert.equal(result.kind, kind, label);
            assert.equal(result.n, state.n, label);
            assert.equal(result.d, state.d, label);
            assert.equal(result.seed, state.seed, label);
            assert.equal(result.scale, state.scale, label);
            assert.equal(result.precision, state.precision, label);
            assert.equal(result.rope, state.rope, label);
            assert.equal(result.repeat, state.repeat, label);
            if (pattern === 'prefix') assert.equal(result.prefix, state.prefix ?? Math.floor(state.n / 2), label);
            if (pattern.includes('window')) assert.equal(result.window, state.window, label);
            if (kind === 'linear') assert.equal(result.feature, feature, label);
            if (feature === 'favor' && kind === 'linear') assert.equal(result.features, 16, label);
          }
        }
      }
    }
  });

  test('only the keys a pattern and kind use', () => {
    // Every value the analysis uses, off switches too (rope: false, repeat: 0; the registry-driven configs
    // state them since session 6, the hand-written ones left them out: same analysis). A parameter added
    // to the registry's analysis since comes in too (its own key only).
    const pinned = { pattern: 'forward', n: 64, d: 8, seed: 7, scale: 1, precision: 'f64', kind: 'softmax', rope: false, repeat: 0 };
    const forward = configFor(defaultState, 'forward');
    assert.deepEqual(Object.fromEntries(Object.keys(pinned).map((key) => [key, forward[key]])), pinned);
    for (const key of Object.keys(forward).filter((name) => !Object.hasOwn(pinned, name))) {
      assert.ok(parameterInfo(key)?.requests.includes('stats') && !['prefix', 'window', 'feature', 'features'].includes(key), key);
    }
    assert.equal('prefix' in configFor(defaultState, 'prefix'), false, 'null prefix: the core\'s n / 2');
    assert.equal(configFor({ ...defaultState, prefix: 3 }, 'prefix').prefix, 3);
    assert.equal('prefix' in configFor({ ...defaultState, prefix: 3 }, 'forward'), false);
    assert.equal(configFor(defaultState, 'forward_window').window, 4);
    assert.equal('feature' in configFor({ ...defaultState, feature: 'relu' }, 'forward'), false);
    assert.equal('features' in configFor({ ...defaultState, kind: 'linear' }, 'forward'), false);
  });

  test('overrides replace state fields and pass config keys through', () => {
    const config = configFor(defaultState, 'bidirectional', { kind: 'linear', scale: 0.5, want_matrix: true });
    assert.equal(config.kind, 'linear');
    assert.equal(config.feature, 'elu1');
    assert.equal(config.scale, 0.5);
    assert.equal(config.want_matrix, true);
    const result = attnrank.analyze(config);
    assert.equal(result.matrix.length, 64 * 64);
    const swept = configFor({ ...defaultState, sweep_over: 'n' }, 'prefix', { n: 10 });
    assert.equal(attnrank.analyze(swept).prefix, 5, 'a null prefix follows the swept n');
    const ui = { colour: 'log', colour_range: 'panel', windows: true, lang: 'zh', sweep_stat: 'stable_rank' };
    assert.deepEqual(configFor({ ...defaultState, ...ui }, 'forward'), configFor(defaultState, 'forward'),
      'page-only settings never reach the config');
    assert.throws(() => configFor(defaultState, 'diagonal'), /pattern=diagonal is unknown/);
  });
});

describe('depth view keys', () => {
  test('every variant and metric the page offers is one collapse() accepts and returns', async () => {
    const { depthMetrics, depthVariants, collapseConfigFor } = await import('../../web/state/url-state.mjs');
    const attnrank = await loadAttnrank();
    for (const variant of depthVariants) {
      const result = attnrank.collapse(collapseConfigFor({ ...defaultState, n: 8, d: 4, layers: 2, depth_variant: variant }, 'forward'));
      assert.equal(result.variant, variant);
      for (const metric of depthMetrics) assert.equal(result[metric].length, 3, `${variant} ${metric}`);
    }
    const prefix = collapseConfigFor({ ...defaultState, n: 16, prefix: 3 }, 'prefix');
    assert.equal(prefix.prefix, 3);
    assert.equal(collapseConfigFor({ ...defaultState, n: 2, window: 4 }, 'window').window, undefined, 'w > n: the core default');
  });
});

test('a long run of digits is rejected in linear time (no regular-expression backtracking blow-up)', () => {
  // The older number pattern (\d+\.?\d*) backtracked quadratically: seconds for 100,000 digits and a letter.
  const started = performance.now();
  const checked = validateField('scale', `${'9'.repeat(1_000_000)}x`, limits);
  const elapsed = performance.now() - started;
  assert.match(checked.error, /^scale="9{40}…" must be a number \(got string\)$/);
  assert.ok(elapsed < 500, `validating took ${elapsed.toFixed(0)} ms`);
});
