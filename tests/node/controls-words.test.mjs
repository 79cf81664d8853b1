// node --test on the pure parts of issue 17 item 6 (controls): each sweep axis keeps its own values
// (url-state.mjs sweepDefaults, switchSweepAxis, parseState and serializeState of a URL that sets only the
// axis), messages beside a control name the control the reader sees (readerMessage), the sweep's x axis is
// logarithmic for n, d and s with ticks at the swept values (sweep-view.mjs sweepAxis), and the n and s
// sliders are log2 sliders over the registry's range (control-fields.mjs sliderBounds). The same in Chromium:
// tests/e2e/controls-words.test.mjs.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { sliderBounds } from '../../web/views/control-fields.mjs';
import { sweepAxis } from '../../web/views/sweep-view.mjs';
import { installPatterns } from '../../web/state/pattern-registry.mjs';
import {
  defaultState, parseState, readerMessage, serializeState, sweepDefaults, switchSweepAxis, validateField,
} from '../../web/state/url-state.mjs';
import { loadAttnrank } from './load-wasm.mjs';

let limits;

before(async () => {
  const attnrank = await loadAttnrank();
  installPatterns(attnrank.patterns());
  limits = { ...attnrank.limits(), messages: attnrank.messages() };
});

test('every sweep axis has default values valid for it, the scale axis the registry\'s', () => {
  assert.equal(sweepDefaults.scale, defaultState.sweep_values);
  for (const over of ['scale', 'n', 'd']) {
    const checked = validateField('sweep_values', sweepDefaults[over], limits, { ...defaultState, sweep_over: over });
    assert.deepEqual(checked, { value: sweepDefaults[over] }, over);
  }
  // The old behaviour: the scale values kept on the n axis fail at once.
  assert.ok(validateField('sweep_values', sweepDefaults.scale, limits, { ...defaultState, sweep_over: 'n' }).error);
});

test('switching the axis takes the values last used on it, else its default', () => {
  let { state, remembered } = switchSweepAxis(defaultState, 'n');
  assert.equal(state.sweep_over, 'n');
  assert.equal(state.sweep_values, sweepDefaults.n);
  ({ state, remembered } = switchSweepAxis({ ...state, sweep_values: '16,48' }, 'd', remembered));
  assert.equal(state.sweep_values, sweepDefaults.d);
  ({ state, remembered } = switchSweepAxis(state, 'n', remembered));
  assert.equal(state.sweep_values, '16,48', 'n keeps what the reader typed for it');
  ({ state } = switchSweepAxis(state, 'scale', remembered));
  assert.equal(state.sweep_values, sweepDefaults.scale);
  assert.equal(switchSweepAxis(state, 'scale', remembered).state, state, 'the same axis: no change');
});

test('a URL (or attribute set) with only the axis sweeps the axis\'s own values, and writes none', () => {
  const { state, errors } = parseState('sweep_over=n', limits);
  assert.deepEqual(errors, {});
  assert.equal(state.sweep_values, sweepDefaults.n);
  assert.equal(String(serializeState(state)), 'sweep_over=n');
  const typed = parseState('sweep_over=d&sweep_values=2,4', limits).state;
  assert.equal(String(serializeState(typed)), 'sweep_over=d&sweep_values=2%2C4');
});

test('messages beside a control name the control the reader sees, not an internal key', () => {
  const labels = { sweep_values: 'values (comma-separated)', n: 'n (tokens)', d: 'd (head dimension)', prefix: 'prefix length p (empty = n / 2)',
    repeat: 'repeated tokens (period r, 0 = none)', depth_variant: 'layer', sweep_over: 'sweep over' };
  const labelOf = (key) => labels[key] ?? null;
  const wrong = validateField('sweep_values', '0.25,0.5', limits, { ...defaultState, sweep_over: 'n' }).error;
  assert.match(wrong, /^sweep_values: n=0.25/, 'the check names the internal key');
  assert.equal(readerMessage(wrong, labelOf), wrong.replace('sweep_values', 'values'));
  assert.doesNotMatch(readerMessage(wrong, labelOf), /sweep_values/);
  // A parameter the page's d only stands for keeps its name (mixture's d_model is heads * d, not d).
  assert.equal(readerMessage('d_model=64 must be a multiple of heads=6', labelOf), 'd_model=64 must be a multiple of heads=6');
  assert.equal(readerMessage('prefix=40 exceeds n=32', (key) => (key === 'prefix' ? '前缀长度 p（留空即 n / 2）' : null)),
    '前缀长度 p=40 exceeds n=32', 'the zh label without its note');
  assert.equal(readerMessage('sweep_over=x is not one of scale, n, d', labelOf), 'sweep over=x is not one of scale, n, d');
  // Names the labels show stay as the core wrote them (the hostile-input tests compare those words).
  for (const message of ['n=-1 must be in [1, 4096]', 'prefix=40 exceeds n=32', 'repeat=-1 must be in [0, 4096]']) {
    assert.equal(readerMessage(message, labelOf), message);
  }
  assert.equal(readerMessage('a: entry (0, 0) = inf must be finite', labelOf), 'a: entry (0, 0) = inf must be finite', 'no control: unchanged');
});

test('the sweep axis is logarithmic for every swept variable, labelled at the swept values', () => {
  assert.deepEqual(sweepAxis([0.25, 0.5, 1, 2, 4]), { xLog: true, xTicks: [0.25, 0.5, 1, 2, 4] });
  assert.deepEqual(sweepAxis([8, 16, 32, 64, 128, 256]), { xLog: true, xTicks: [8, 16, 32, 64, 128, 256] });
  const many = Array.from({ length: 40 }, (_, index) => index + 1);
  const { xTicks } = sweepAxis(many);
  assert.ok(xTicks.length <= 12 && xTicks[0] === 1, `at most 12 labelled values: ${xTicks}`);
  assert.equal(sweepAxis([-1, 0, 1]).xLog, false, 'a non-positive value: linear axis');
});

test('the n slider spans the registry\'s whole range in log2 positions', () => {
  assert.deepEqual(sliderBounds('n', 0, 12, true), { min: 0, max: 12 });
  assert.ok(2 ** sliderBounds('n', 0, 12, true).max >= 2048, 'n = 2048 is on the slider');
  assert.deepEqual(sliderBounds('scale', -4, 4, true), { min: -4, max: 4 }, 'scale has no range');
  assert.deepEqual(sliderBounds('n', 2, 1024), { min: 2, max: 1024 }, 'a linear slider: within [1, 4096]');
});

test('exported files are named after their data: seeded by n, d, s and seed; loaded Q, K by their n and d, no seed', async () => {
  const { exportBaseName } = await import('../../web/export.mjs');
  assert.equal(exportBaseName(defaultState), 'attnrank-n64-d8-s1-seed7');
  // A result of the reader's 48 x 6 inputs (the core's input: 'user', no seed) under the page's defaults.
  const attnrank = await loadAttnrank();
  const q = new Float64Array(48 * 6).map((_, index) => Math.sin(index));
  const k = new Float64Array(48 * 6).map((_, index) => Math.cos(3 * index));
  const result = attnrank.analyze({ pattern: 'forward', n: 48, d: 6, q, k });
  assert.equal(result.input, 'user');
  assert.equal(exportBaseName(result), 'attnrank-n48-d6-s1');
});
