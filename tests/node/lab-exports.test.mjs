// web/lab/lab-exports.mjs: the curves CSV has one row per run and checkpoint with empty cells for nulls and
// the records' numbers exactly; the stacked attention keeps each head's matrix in order.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { curvesCsv, curvesJson, runsJson, stackedAttention } from '../../web/lab/lab-exports.mjs';

const runs = [{ key: 'forward:softmax/1', configuration: 'forward:softmax', seed: 1, config: { seed: 1 }, state: 'done',
  records: [{ step: 0, learning_rate: null, train_loss: null, heldout_loss: 2.9283123, heldout_accuracy: 0.0591, baseline: 0.05 },
    { step: 10, learning_rate: 0.001, train_loss: 2.5, heldout_loss: 2.4, heldout_accuracy: null, baseline: 0.05 }] }];

test('curves CSV: a header, one row per checkpoint, nulls empty, numbers exact', () => {
  const lines = curvesCsv(runs).trim().split('\n');
  assert.equal(lines[0], 'configuration,seed,step,learning_rate,train_loss,heldout_loss,heldout_accuracy,baseline');
  assert.equal(lines[1], 'forward:softmax,1,0,,,2.9283123,0.0591,0.05');
  assert.equal(lines[2], 'forward:softmax,1,10,0.001,2.5,2.4,,0.05');
});

test('curves and runs JSON parse back to the bands and the records', () => {
  const experiment = { id: 'copy', metric: 'heldout_loss' };
  assert.deepEqual(JSON.parse(curvesJson(runs, experiment)).bands[0].x, [0, 10]);
  assert.deepEqual(JSON.parse(runsJson(runs, experiment)).runs[0].records, runs[0].records);
});

test('stacked attention: heads in order, n rows each', () => {
  const attention = { n: 2, heads: [{ matrix: new Float32Array([1, 0, 0.5, 0.5]) }, { matrix: new Float32Array([0.25, 0.75, 0, 1]) }] };
  const { data, rows, cols } = stackedAttention(attention);
  assert.equal(rows, 4);
  assert.equal(cols, 2);
  assert.deepEqual(Array.from(data), [1, 0, 0.5, 0.5, 0.25, 0.75, 0, 1]);
});
