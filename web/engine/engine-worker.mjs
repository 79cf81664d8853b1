// The Web Worker that owns the wasm module: the page never runs an SVD on the main thread.
// Protocol: the page posts { id, method, args }; method is one of the module's bound functions
// (analyze, limits, pattern_names, feature_map_names, version). The worker answers
// { id, ok: true, value } (result arrays are fresh copies, transferred) or
// { id, ok: false, error: { message, code } }. Once loaded it posts { ready: true } (or a load error).
const methods = new Set(['analyze', 'limits', 'pattern_names', 'feature_map_names', 'version']);

function describeError(error) {
  return {
    message: error instanceof Error ? error.message : String(error),
    code: (error && typeof error.code === 'string') ? error.code : 'internal',
  };
}

// Typed arrays of a result: fresh Float64Arrays the binding copied out, safe to transfer.
function transferables(value) {
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
  try {
    const value = engine[method](...args);
    self.postMessage({ id, ok: true, value }, transferables(value));
  } catch (error) {
    self.postMessage({ id, ok: false, error: describeError(error) });
  }
}

self.addEventListener('message', (event) => {
  if (engine) handle(event.data);
  else pending.push(event.data);
});

try {
  const { default: createAttnrank } = await import('./wasm/attnrank.mjs');
  engine = await createAttnrank();
  self.postMessage({ ready: true });
  for (const request of pending.splice(0)) handle(request);
} catch (error) {
  self.postMessage({ ready: false, error: describeError(error) });
}
