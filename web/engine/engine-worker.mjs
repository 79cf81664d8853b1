// The Web Worker that owns one wasm instance: the page never runs an SVD on the main thread.
// Protocol: the client first posts { init: { module } }: a WebAssembly.Module another worker compiled
// (instantiated here at once; V8 shares the compiled and tiered-up code between the instances), or
// module: null: this worker fetches and compiles ../wasm/attnrank.wasm itself (streaming, while the
// module's JS glue loads) and posts { compiled: module } back for the client to hand to the other workers
// ({ compiled: null } when a Module cannot be posted). Then it posts { ready: true, loadMs, compiled } or
// { ready: false, error }; before init it may get { lock: name } (a Web Lock to hold: locked: true in ready). No warm-up analyze: the page's first requests come at once and warm the shared
// code themselves (a separate warm-up measured no faster to the first figure and cost a core for ~50 ms).
// After that: { id, method, args } with method one of the module's bound
// functions (analyze, collapse, mixture, architectures, depth_pattern_names, limits, messages, pattern_names, feature_map_names, version, parse_npy, write_npy,
// claims, claim_catalogue, permutation, memory_usage when the build binds it; lab_experiments and lab_verdicts, the
// lab's tables and verdicts, for a kind="train" figure that shows its gallery without a lab worker, and for the claims
// view's lab verdicts on the claims the lab tests); the worker
// answers { id, ok: true, value } (typed arrays are fresh copies, transferred) or { id, ok: false, error:
// { message, code, param } }, plus fatal: true when the wasm instance trapped and the worker must be replaced.
// No numerics here, and no pool logic (engine-client.mjs).
import { compileWasm, instantiate } from './wasm-instance.mjs';

const methods = new Set(['analyze', 'collapse', 'mixture', 'architectures', 'depth_pattern_names', 'limits', 'messages',
  'pattern_names', 'patterns', 'feature_map_names', 'version', 'parse_npy', 'write_npy', 'claims', 'claim_catalogue', 'permutation',
  'memory_usage', 'lab_experiments', 'lab_verdicts']);

const glueUrl = new URL('../wasm/attnrank.mjs', import.meta.url).href;
const wasmUrl = new URL('../wasm/attnrank.wasm', import.meta.url).href;

function describeError(error) {
  return {
    message: error instanceof Error ? error.message : String(error),
    code: (error && typeof error.code === 'string') ? error.code : 'internal',
    param: (error && typeof error.param === 'string') ? error.param : '',
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
let resolveInit;
const init = new Promise((resolve) => { resolveInit = resolve; });

function handle({ id, method, args = [] }) {
  if (!methods.has(method) || typeof engine[method] !== 'function') {  // listed, and bound in this build
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

// Death watch (issue 16 item 9): the pool names a Web Lock this worker holds for its whole life; the
// browser releases it when the worker ends in any way (closed, killed, crashed, even without an 'error'
// event), which grants the pool's own request for it. Resolves once held (false: no Web Locks here).
let lockHeld = Promise.resolve(false);
function holdLock(name) {
  if (typeof name !== 'string' || !self.navigator?.locks) return Promise.resolve(false);
  return new Promise((resolve) => {
    self.navigator.locks.request(name, () => { resolve(true); return new Promise(() => {}); }).catch(() => resolve(false));
  });
}

self.addEventListener('message', (event) => {
  if (event.data && 'lock' in event.data) lockHeld = holdLock(event.data.lock);
  else if (event.data && 'init' in event.data) resolveInit(event.data.init);
  else if (engine) handle(event.data);
  else pending.push(event.data);
});

try {
  const started = performance.now();
  const glue = import(glueUrl);
  glue.catch(() => {});  // awaited below; a failure is reported there
  const { module: given = null } = await init;
  let wasmModule = given;
  if (!wasmModule) {
    wasmModule = await compileWasm(wasmUrl);
    try {
      self.postMessage({ compiled: wasmModule });
    } catch {
      self.postMessage({ compiled: null });  // the other workers compile their own
    }
  }
  engine = await instantiate((await glue).default, wasmModule);
  const locked = await lockHeld;
  self.postMessage({ ready: true, loadMs: performance.now() - started, compiled: !given, locked });
  for (const request of pending.splice(0)) handle(request);
} catch (error) {
  self.postMessage({ ready: false, error: describeError(error) });
}
