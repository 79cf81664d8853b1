// web/lab/device.mjs: the pool takes the cores (at most the runs, 8, and what memory allows), a small device
// is one with few cores or little memory, a long training on one is warned about, and a very long one on any.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { estimatedSeconds, isSmallDevice, kLongSeconds, kVeryLongSeconds, needsWarning, poolSize } from '../../web/lab/device.mjs';

test('poolSize: cores, runs, 8 at most, memory', () => {
  assert.equal(poolSize({ hardwareConcurrency: 2 }, 12), 2);
  assert.equal(poolSize({ hardwareConcurrency: 16 }, 12), 8);
  assert.equal(poolSize({ hardwareConcurrency: 16 }, 3), 3);
  assert.equal(poolSize({}, 12), 2, 'unknown cores: 2');
  assert.equal(poolSize({ hardwareConcurrency: 8, deviceMemory: 1 }, 12, 100 * 2 ** 20), 2, '1 GiB / 4 / 100 MiB');
  assert.equal(poolSize({ hardwareConcurrency: 8, deviceMemory: 1 }, 12, 2 ** 30), 1, 'at least one');
});

test('a small device and the warning', () => {
  assert.ok(isSmallDevice({ hardwareConcurrency: 2 }));
  assert.ok(isSmallDevice({ hardwareConcurrency: 8, deviceMemory: 2 }));
  assert.ok(!isSmallDevice({ hardwareConcurrency: 8, deviceMemory: 8 }));
  assert.ok(!isSmallDevice({}), 'nothing known: not small');
  assert.equal(estimatedSeconds([100, 100, 100, 100], 0.5, 2), 100);
  assert.equal(estimatedSeconds([100], 0.5, 4), 50, 'one run uses one worker');
  assert.ok(needsWarning({ hardwareConcurrency: 2 }, kLongSeconds + 1));
  assert.ok(!needsWarning({ hardwareConcurrency: 2 }, kLongSeconds - 1));
  assert.ok(!needsWarning({ hardwareConcurrency: 16, deviceMemory: 8 }, kVeryLongSeconds - 1), 'a big device: not before the very long');
  assert.ok(needsWarning({ hardwareConcurrency: 16, deviceMemory: 8 }, kVeryLongSeconds + 1), 'a very long training: any device');
  assert.ok(needsWarning({}, kVeryLongSeconds + 1));
});
