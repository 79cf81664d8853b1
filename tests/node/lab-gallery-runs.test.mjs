// web/lab/gallery.mjs against a small gallery object in docs/lab-gallery.md's format: the 8-bit attention
// decodes to q * scale (masked zeros stay zero), each run gets its own configuration's attention in step
// order, and a run's config is lab_start's (task, masks, attention, seed).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { decodeAttention, galleryRuns, kGalleryFormat } from '../../web/lab/gallery.mjs';

const base64 = (bytes) => Buffer.from(bytes).toString('base64');
const head = (bytes, scale) => ({ layer: 0, head: 0, pattern: 'forward', attention: 'softmax', scale, data: base64(bytes) });

test('the 8-bit attention decodes to q * scale', () => {
  const decoded = decodeAttention({ step: 10, n: 2, tokens: [1, 2], heads: [head([255, 0, 128, 127], 1 / 255)] });
  assert.equal(decoded.step, 10);
  assert.deepEqual(Array.from(decoded.heads[0].matrix), [1, 0, 128 / 255, 127 / 255].map(Math.fround));
  assert.equal(decoded.heads[0].pattern, 'forward');
  assert.equal(decoded.heads, decoded.heads, 'decoded once, when first read');
});

test('each run gets its configuration\'s and seed\'s attention in step order, and lab_start\'s config', () => {
  const records = (seed) => [{ step: 0, steps: 20, seed, heldout_loss: 3 }];
  const series = (seed) => ({ objective: 'copy', steps: 20, batch: 4, run: 0, baseline: 0.1, records: records(seed),
    curve: { step: [0, 20], learning_rate: [null, 0.001], train_loss: [null, 2], heldout_loss: [3, 2.5], heldout_accuracy: [0.1, 0.2], permutation_error: [null, null] },
    heads: [{ layer: 0, head: 0, pattern: 'forward', attention: 'softmax', stats: { effective_rank: [3.1, 2.9], sigma_min_is_upper_bound: [false, true] } }] });
  const gallery = {
    format: kGalleryFormat, experiment: 'copy', options: { task: 'copy', steps: 20 }, configs: ['forward:softmax', 'prefix:linear'],
    seeds: [1, 2], attention_seed: 1, attention_steps: [0, 20],
    runs: [{ config: 'forward:softmax', seed: 1, ...series(1) }, { config: 'forward:softmax', seed: 2, ...series(2) },
      { config: 'prefix:linear', seed: 1, ...series(1) }],
    attention: [
      { config: 'prefix:linear', seed: 1, step: 20, n: 1, tokens: [0], heads: [head([255], 0.5)] },
      { config: 'forward:softmax', seed: 1, step: 20, n: 1, tokens: [0], heads: [head([255], 1 / 255)] },
      { config: 'forward:softmax', seed: 1, step: 0, n: 1, tokens: [0], heads: [head([51], 1 / 255)] },
    ],
  };
  const runs = galleryRuns(gallery);
  assert.deepEqual(runs.map((run) => run.key), ['forward:softmax/1', 'forward:softmax/2', 'prefix:linear/1']);
  assert.deepEqual(runs[0].attention.map((entry) => entry.step), [0, 20]);
  assert.deepEqual(runs[1].attention, []);
  assert.deepEqual(runs[2].config, { task: 'copy', masks: 'prefix', attention: 'linear', seed: 1 });
  assert.equal(runs[2].attention[0].heads[0].matrix[0], 127.5);
  assert.equal(runs[0].state, 'done');
  assert.equal(runs[0].steps, 20);
  // The records: the gallery's whole ones first, then rebuilt from the series.
  assert.deepEqual(runs[0].records[0], records(1)[0]);
  const rebuilt = runs[0].records[1];
  assert.equal(rebuilt.step, 20);
  assert.equal(rebuilt.heldout_loss, 2.5);
  assert.equal(rebuilt.learning_rate, 0.001);
  assert.equal(rebuilt.baseline, 0.1);
  assert.equal(rebuilt.config, 'forward:softmax');
  assert.deepEqual(rebuilt.heads, [{ layer: 0, head: 0, pattern: 'forward', attention: 'softmax', effective_rank: 2.9, sigma_min_is_upper_bound: true }]);
});
