// web/lab/curves-data.mjs: the bands over seeds (mean, min, max per step, a step some seeds lack), a head's
// statistic against step with sigma_min's bound where the record says so, and the aligned data of uPlot.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { alignSeries, headSeries, headsOf, metricBands } from '../../web/lab/curves-data.mjs';

const record = (step, loss, heads = []) => ({ step, heldout_loss: loss, heads });

test('metricBands: per configuration and step the mean, min and max over the seeds that have it', () => {
  const runs = [
    { configuration: 'forward:softmax', seed: 1, records: [record(0, 3), record(10, 2), record(20, 1.5)] },
    { configuration: 'prefix:softmax', seed: 1, records: [record(0, 3.2)] },
    { configuration: 'forward:softmax', seed: 2, records: [record(0, 3.1), record(10, 2.4)] },
    { configuration: 'forward:softmax', seed: 3, records: [record(0, 2.9), record(10, NaN)] },
  ];
  const [forward, prefix] = metricBands(runs, 'heldout_loss');
  assert.equal(forward.configuration, 'forward:softmax');
  assert.deepEqual(forward.x, [0, 10, 20]);
  assert.deepEqual(forward.low, [2.9, 2, 1.5]);
  assert.deepEqual(forward.high, [3.1, 2.4, 1.5]);
  assert.ok(Math.abs(forward.mean[0] - 3) < 1e-12 && Math.abs(forward.mean[1] - 2.2) < 1e-12);
  assert.deepEqual(forward.seeds, [3, 2, 1]);
  assert.deepEqual(prefix.x, [0]);
});

test('headSeries: each head\'s statistic against step; sigma_min at the floor is an upper bound', () => {
  const head = (sigma, isBound) => ({ layer: 0, head: 0, pattern: 'forward', attention: 'softmax', sigma_min: sigma,
    sigma_min_is_upper_bound: isBound, effective_rank: 3 });
  const records = [record(0, 3, [head(0.1, false)]), record(10, 2, [head(1e-14, true)])];
  assert.deepEqual(headsOf(records), [{ layer: 0, head: 0, pattern: 'forward', attention: 'softmax' }]);
  const { x, perHead } = headSeries(records, 'sigma_min');
  assert.deepEqual(x, [0, 10]);
  assert.deepEqual(perHead[0].y, [0.1, 1e-14]);
  assert.deepEqual(perHead[0].bound, [null, { relation: 'upper', value: 1e-14 }]);
  assert.deepEqual(headSeries(records, 'effective_rank').perHead[0].bound, [null, null]);
});

test('alignSeries: the union of the x values, null where a series has no point', () => {
  assert.deepEqual(alignSeries([{ x: [0, 10], y: [1, 2] }, { x: [0, 5], y: [3, 4] }]), [[0, 5, 10], [1, null, 2], [3, 4, null]]);
});
