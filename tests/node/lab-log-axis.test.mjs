// web/lab/log-axis.mjs: a log axis gets at least three readable ticks however narrow its range (1-2-5 or
// 1..9 multiples of the decades inside), at most six over many decades (every k-th decade), and its range
// is the data's, not whole decades.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { logRange, logSplits } from '../../web/lab/log-axis.mjs';

test('ticks: decades over a wide range, every k-th; multiples over a narrow one', () => {
  assert.deepEqual(logSplits(1e-15, 0.1), [1e-13, 1e-10, 1e-7, 1e-4, 0.1]);
  assert.deepEqual(logSplits(1, 1000), [1, 10, 100, 1000]);
  assert.deepEqual(logSplits(0.05, 0.2), [0.05, 0.1, 0.2]);
  assert.deepEqual(logSplits(3.9, 4.6), [4, 4.2, 4.4, 4.6]);
  assert.deepEqual(logSplits(30, 45), [30, 35, 40, 45]);
  assert.deepEqual(logSplits(3, 3), [3]);
  assert.ok(logSplits(2, 11).length >= 3);
  assert.deepEqual(logSplits(0, 1), []);
});

test('range: the data widened by 5%, a single value by a factor 2', () => {
  const [low, high] = logRange(null, 4, 5);
  assert.ok(Math.abs(low - 4 / 1.05) < 1e-12 && Math.abs(high - 5.25) < 1e-12);
  assert.deepEqual(logRange(null, 3, 3), [1.5, 6]);
});
