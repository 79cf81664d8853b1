// The Web Worker that owns one wasm instance: the page never runs an SVD on the main thread.
// Protocol: the client posts { id, method, args }; method is one of the module's bound functions
// (analyze, limits, pattern_names, feature_map_names, version, parse_npy, write_npy). The worker answers
// { id, ok: true, value } (typed arrays are fresh copies, transferred) or { id, ok: false, error:
// { message, code } }, plus fatal: true when the wasm instance trapped and the worker must be replaced.
// Once loaded (module from ../wasm/ beside this file, then one warm-up analyze so the first real request
// does not pay the tier-up cost) it posts { ready: true, loadMs, warmupMs } or { ready: false, error }.
// No numerics here, and no pool logic (engine-client.mjs).
const methods = new Set(['analyze', 'limits', 'pattern_names', 'feature_map_names', 'version', 'parse_npy',
  'write_npy']);

// A forward-pattern analysis touching every kernel of the usual request (softmax, SVD, LU-free det).
const warmUpConfig = Object.freeze({ pattern: 'forward', n: 96, d: 16, seed: 1 });

function describeError(error) {
  return {
    message: error instanceof Error ? error.message : String(error),
    code: (error && typeof error.code === 'string') ? error.code : 'internal',
  };
}

// The buffers of typed arrays in a value (the value itself or its properties): fresh copies the binding
// made, safe to transfer.
function transferables(value) {
  if (ArrayBuffer.isView(value)) return [value.buffer];
  if (!value || typeof value !== 'object') return [];
  return Object.values(value).filter((entry) => ArrayBuffer.isView(entry)).map((entry) => entry.buffer);
}

const pending = [];
let engine = null;

function handle({ id, method, args = [] }) {
  if (!methods.has(method)) {
    self.postMessage({ id, ok: false, error: { message: `method=${method} is unknown`, code: 'invalid_argument' } });
    return;
  }
  let value;
  try {
    value = engine[method](...args);
  } catch (error) {
    // A trap (unreachable, out of bounds, abort) leaves the instance unusable: ask to be replaced.
    if (error instanceof WebAssembly.RuntimeError) {
      self.postMessage({ id, ok: false, fatal: true,
        error: { message: `the engine crashed: ${error.message}`, code: 'worker_crashed' } });
    } else {
      self.postMessage({ id, ok: false, error: describeError(error) });
    }
    return;
  }
  self.postMessage({ id, ok: true, value }, transferables(value));
}

self.addEventListener('message', (event) => {
  if (engine) handle(event.data);
  else pending.push(event.data);
});

try {
  const started = performance.now();
  const { default: createAttnrank } = await import(new URL('../wasm/attnrank.mjs', import.meta.url).href);
  const module = await createAttnrank();
  const loaded = performance.now();
  module.analyze(warmUpConfig);
  engine = module;
  self.postMessage({ ready: true, loadMs: loaded - started, warmupMs: performance.now() - loaded });
  for (const request of pending.splice(0)) handle(request);
} catch (error) {
  self.postMessage({ ready: false, error: describeError(error) });
}
