// node --test on the shipped wasm artifact: errors are JS Errors with the core's message and code (validation,
// marshalling of configs, q, k and custom masks, non-objects), and they leak neither JS handles nor wasm
// stack: the module stays usable.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { kFiguresModule, loadAttnrank } from './load-wasm.mjs';
import { customMask } from './wasm-oracles.mjs';

let attnrank;

before(async () => {
  attnrank = await loadAttnrank(kFiguresModule);  // the figures' module (the engine worker's)
});

describe('errors', () => {
  function expectError(config, code, pattern) {
    assert.throws(() => attnrank.analyze(config), (error) => {
      assert.ok(error instanceof Error, `a real Error, got ${error}`);
      assert.equal(error.code, code, `code of "${error.message}"`);
      assert.match(error.message, pattern);
      return true;
    });
  }

  test('core validation: messages name the parameter and value', () => {
    expectError({ pattern: 'prefix', prefix: 9, n: 8 }, 'invalid_argument', /prefix=9/);
    expectError({ pattern: 'diagonal' }, 'invalid_argument', /pattern=diagonal/);
    expectError({ n: 0 }, 'invalid_argument', /n=0/);
    expectError({ n: 4097 }, 'invalid_argument', /n=4097/);
    expectError({ d: 0 }, 'invalid_argument', /d=0/);
    expectError({ pattern: 'window', window: 0, n: 8 }, 'invalid_argument', /window=0/);
    expectError({ scale: Number.NaN }, 'invalid_argument', /scale=/);
    expectError({ scale: Infinity }, 'invalid_argument', /scale=/);
    expectError({ kind: 'quadratic' }, 'invalid_argument', /kind=quadratic/);
    expectError({ kind: 'linear', feature: 'tanh' }, 'invalid_argument', /tanh/);
    expectError({ precision: 'f16' }, 'invalid_argument', /precision=f16/);
    expectError({ kind: 'linear', scale: -1 }, 'invalid_argument', /scale=-1/);
    expectError({ seed: -1 }, 'invalid_argument', /seed=-1/);
    expectError({ seed: 4294967296 }, 'invalid_argument', /seed=4294967296/);
    expectError({ repeat: -2 }, 'invalid_argument', /repeat=-2/);
  });

  test('marshalling: unknown keys and wrong types', () => {
    expectError({ nn: 3 }, 'invalid_argument', /"nn"/);
    expectError({ n: 2.5 }, 'invalid_argument', /n=2\.5/);
    expectError({ n: '64' }, 'invalid_argument', /n="64".*integer/);
    expectError({ n: 1e300 }, 'invalid_argument', /n=1e\+300/);
    expectError({ pattern: 5 }, 'invalid_argument', /pattern=5.*string/);
    expectError({ rope: 1 }, 'invalid_argument', /rope=1.*boolean/);
    expectError({ want_matrix: 'yes' }, 'invalid_argument', /want_matrix/);
    expectError({ prefix: 2 ** 40, pattern: 'prefix' }, 'invalid_argument', /prefix=1099511627776/);
  });

  test('marshalling: q, k and custom_mask', () => {
    const q = new Float64Array(8 * 2);
    expectError({ n: 8, d: 2, q }, 'invalid_argument', /q and k/);
    expectError({ n: 8, d: 2, q, k: new Float64Array(15) }, 'invalid_argument', /k has 15 entries/);
    expectError({ n: 8, d: 2, q, k: Array.from(q) }, 'invalid_argument', /k must be a Float64Array/);
    expectError({ n: 8, d: 2, q, k: q, seed: 3 }, 'invalid_argument', /seed/);
    expectError({ q, k: q }, 'invalid_argument', /n and d/);
    const bad = Float64Array.from(q);
    bad[3] = Number.NaN;
    expectError({ n: 8, d: 2, q: bad, k: q }, 'invalid_argument', /q/);
    expectError({ pattern: 'custom', n: 4 }, 'invalid_argument', /custom_mask/);
    expectError({ pattern: 'custom', n: 4, custom_mask: new Uint8Array(15) }, 'invalid_argument', /custom_mask has 15/);
    expectError({ pattern: 'forward', n: 4, custom_mask: new Uint8Array(16) }, 'invalid_argument', /custom_mask/);
    const emptyRow = customMask(4, (i, j) => i !== 2 && j <= i);
    expectError({ pattern: 'custom', n: 4, custom_mask: emptyRow }, 'invalid_argument', /row 2 allows no key/);
    const notBinary = customMask(4, (i, j) => j <= i);
    notBinary[0] = 2;
    expectError({ pattern: 'custom', n: 4, custom_mask: notBinary }, 'invalid_argument', /\(0, 0\)=2/);
  });

  test('not an object', () => {
    for (const config of [null, undefined, 42, 'forward', [1, 2]]) {
      expectError(config, 'invalid_argument', /config must be a plain object/);
    }
  });

  test('errors leak neither JS handles nor wasm stack, and the module stays usable', async () => {
    const reference = attnrank.analyze({ pattern: 'forward', n: 16, d: 4, seed: 7 });
    const stackBefore = attnrank.stackSave();
    const handlesBefore = attnrank.count_emval_handles();
    for (let i = 0; i < 2000; ++i) {
      try {
        attnrank.analyze(i % 2 ? { pattern: 'prefix', prefix: 99, n: 8 } : { n: 'x' });
        assert.fail('expected an error');
      } catch (error) {
        assert.ok(error instanceof Error);
      }
    }
    await new Promise((resolve) => setImmediate(resolve));  // the stack is reset once the JS stack unwound
    assert.equal(attnrank.stackSave(), stackBefore, 'wasm stack pointer restored');
    assert.equal(attnrank.count_emval_handles(), handlesBefore, 'no emval handle leaked');
    assert.deepEqual(attnrank.analyze({ pattern: 'forward', n: 16, d: 4, seed: 7 }), reference);
  });
});
