// Hostile arguments through the wasm module (issue 16 item 2): a getter that throws, a Proxy, a typed
// array whose `length` lies. The binding copies every argument into plain values before any C++ object
// is built (js_boundary.h plain_argument), so each is an Error with code invalid_argument, the key (or the
// argument's name) as param and the core's words (errors.h unreadable, length_lies); the core never
// computes on memory the caller did not give it; and 10,000 such calls leave the wasm heap, the
// allocator's bytes in use and the stack pointer where they were, after which an n = 1024 request works.
// Before the fix a JS exception unwound the C++ frames: the q and k matrices of an n = 4096 request
// leaked (4 MiB a call) and the shadow stack moved 16 bytes a call.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadAttnrank } from './load-wasm.mjs';

let attnrank;
before(async () => {
  attnrank = await loadAttnrank();
  attnrank.analyze({ n: 16 });  // warm up: embind's first-call allocations are not the test's
});

function lying(array, length) {
  Object.defineProperty(array, 'length', { value: length });
  return array;
}

function thrown(call) {
  try {
    call();
  } catch (error) {
    return error;
  }
  assert.fail('expected an Error');
}

function expectError(call, { param, message }) {
  const error = thrown(call);
  assert.ok(error instanceof Error, `not an Error: ${error}`);
  assert.equal(error.code, 'invalid_argument', error.message);
  assert.equal(error.param, param, error.message);
  if (message instanceof RegExp) assert.match(error.message, message);
  else assert.equal(error.message, message);
}

test('a getter that throws is an error naming its key', () => {
  const config = { pattern: 'forward', n: 8, d: 2, get seed() { throw new Error('boom'); } };
  expectError(() => attnrank.analyze(config), { param: 'seed', message: 'seed could not be read: reading it threw Error: boom' });
  expectError(() => attnrank.collapse({ get n() { throw new RangeError('no'); } }),
    { param: 'n', message: 'n could not be read: reading it threw RangeError: no' });
  // A thrown non-Error, and an Error whose message getter throws too.
  expectError(() => attnrank.mixture({ get n() { throw 42; } }), { param: 'n', message: 'n could not be read: reading it threw 42' });
  const sly = new Error('x');
  Object.defineProperty(sly, 'message', { get() { throw new Error('again'); } });
  expectError(() => attnrank.permutation({ get n() { throw sly; } }),
    { param: 'n', message: 'n could not be read: reading it threw an exception' });
});

test('a Proxy config whose traps throw is an error naming the config', () => {
  const keys = new Proxy({ n: 8 }, { ownKeys() { throw new Error('trap'); } });
  expectError(() => attnrank.analyze(keys), { param: 'config', message: 'config could not be read: listing its keys threw Error: trap' });
  const getter = new Proxy({ n: 8, d: 2 }, { get(target, key) { if (key === 'd') throw new Error('d trap'); return target[key]; } });
  expectError(() => attnrank.analyze(getter), { param: 'd', message: 'd could not be read: reading it threw Error: d trap' });
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  expectError(() => attnrank.analyze(proxy), { param: 'config', message: /^config could not be read: reading it threw TypeError: / });
  // A well-behaved Proxy is read like the object it wraps.
  assert.equal(attnrank.analyze(new Proxy({ pattern: 'forward', n: 8, d: 2, seed: 3 }, {})).numerical_rank_f64,
    attnrank.analyze({ pattern: 'forward', n: 8, d: 2, seed: 3 }).numerical_rank_f64);
});

test('a typed array whose length lies is an error naming it, whichever way it lies', () => {
  const n = 8;
  const d = 2;
  const k = new Float64Array(n * d).fill(0.5);
  const base = { pattern: 'bidirectional', n, d, k };
  expectError(() => attnrank.analyze({ ...base, q: lying(new Float64Array(10), 16) }),
    { param: 'q', message: 'q.length=16 is not its length: it holds 10 entries' });
  expectError(() => attnrank.analyze({ ...base, q: lying(new Float64Array(32), 16) }),
    { param: 'q', message: 'q.length=16 is not its length: it holds 32 entries' });
  expectError(() => attnrank.analyze({ ...base, q: lying(new Float64Array(16), '16') }),
    { param: 'q', message: 'q.length=a string is not its length: it holds 16 entries' });
  const getter = new Float64Array(16);
  Object.defineProperty(getter, 'length', { get() { throw new Error('len'); } });
  expectError(() => attnrank.analyze({ ...base, q: getter }), { param: 'q', message: 'q could not be read: reading its length threw Error: len' });
  // A subclass that lies through its prototype.
  class Liar extends Float64Array { get length() { return 16; } }
  expectError(() => attnrank.analyze({ ...base, q: new Liar(4) }), { param: 'q', message: 'q.length=16 is not its length: it holds 4 entries' });
  expectError(() => attnrank.analyze({ pattern: 'custom', n: 2, custom_mask: lying(new Uint8Array(1), 4) }),
    { param: 'custom_mask', message: 'custom_mask.length=4 is not its length: it holds 1 entries' });
  // Positional arguments: parse_npy's bytes (was code internal, message "vector"), write_npy's data, the lab's corpus.
  expectError(() => attnrank.parse_npy(lying(new Uint8Array(8), 2 ** 32), 'q.npy'),
    { param: 'bytes', message: 'bytes.length=4294967296 is not its length: it holds 8 entries' });
  expectError(() => attnrank.write_npy(lying(new Float64Array(2), 4), 2, 2, 'f64'),
    { param: 'data', message: 'data.length=4 is not its length: it holds 2 entries' });
  expectError(() => attnrank.lab_set_corpus(lying(new Uint8Array(3), 1e9)),
    { param: 'corpus', message: 'corpus.length=1000000000 is not its length: it holds 3 entries' });
});

test('a Proxy or look-alike of a typed array is refused by type, never read through', () => {
  const k = new Float64Array(16);
  expectError(() => attnrank.analyze({ pattern: 'forward', n: 8, d: 2, q: new Proxy(new Float64Array(16), {}), k }),
    { param: 'q', message: 'q must be a Float64Array of n*d=8*2 numbers (got Proxy or look-alike of Float64Array)' });
  const lookAlike = Object.create(Float64Array.prototype);
  expectError(() => attnrank.analyze({ pattern: 'forward', n: 8, d: 2, q: lookAlike, k }),
    { param: 'q', message: 'q must be a Float64Array of n*d=8*2 numbers (got Proxy or look-alike of Float64Array)' });
});

test('an honest typed array subclass gives the answer of the plain array, every call', () => {
  class Honest extends Float64Array {}
  const values = Float64Array.from({ length: 16 }, (_, i) => Math.sin(i + 1));
  const plain = attnrank.analyze({ pattern: 'bidirectional', n: 8, d: 2, q: values, k: values });
  for (let call = 0; call < 3; ++call) {
    const subclass = attnrank.analyze({ pattern: 'bidirectional', n: 8, d: 2, q: Honest.from(values), k: Honest.from(values) });
    assert.deepEqual(subclass.singular_values, plain.singular_values);
  }
});

test('10,000 hostile calls leave the heap, the allocator and the stack where they were', async (t) => {
  const n = 4096;
  const d = 64;
  const k = new Float64Array(n * d);
  const qTooLong = lying(new Float64Array(n * d + 1), n * d);
  const qTooShort = lying(new Float64Array(4), 16);  // small n: the old binding computed on stale heap here
  const calls = [
    () => attnrank.analyze({ pattern: 'forward', n, d, q: qTooLong, k }),
    () => attnrank.analyze({ pattern: 'forward', n: 8, d: 2, q: qTooShort, k: new Float64Array(16) }),
    () => attnrank.analyze({ pattern: 'forward', n, d, get seed() { throw new Error('getter'); } }),
    () => attnrank.analyze(new Proxy({ n }, { ownKeys() { throw new Error('trap'); } })),
    () => attnrank.parse_npy(lying(new Uint8Array(16), 2 ** 31), 'soak.npy'),
    () => attnrank.collapse({ n: 1024, get layers() { throw new Error('getter'); } }),
  ];
  // One round first: embind's and the allocator's first-use growth is not a leak.
  for (const call of calls) thrown(call);
  await null;
  const before = attnrank.memory_usage();
  const kCalls = 10000;
  for (let index = 0; index < kCalls; ++index) {
    const error = thrown(calls[index % calls.length]);
    assert.equal(error.code, 'invalid_argument', `call ${index}: ${error.message}`);
    if (index % 100 === 99) await null;  // errors move the stack pointer back in a microtask (js_boundary.cpp)
  }
  await null;
  const after = attnrank.memory_usage();
  t.diagnostic(`heap ${before.heap_bytes} -> ${after.heap_bytes} bytes; in use ${before.in_use} -> ${after.in_use}; ` +
    `stack pointer ${before.stack_pointer} -> ${after.stack_pointer}`);
  assert.equal(after.heap_bytes, before.heap_bytes, 'the wasm memory grew');
  assert.ok(Math.abs(after.in_use - before.in_use) <= 64 * 1024, `in use ${before.in_use} -> ${after.in_use}`);
  assert.equal(after.stack_pointer, before.stack_pointer);
  const big = attnrank.analyze({ pattern: 'forward', n: 1024, d: 8, seed: 1 });
  assert.equal(big.n, 1024);
  assert.ok(big.numerical_rank_f64 > 1000, `rank ${big.numerical_rank_f64}`);
});
