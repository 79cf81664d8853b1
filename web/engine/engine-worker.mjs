// The Web Worker that owns the wasm instance: the page never runs an SVD on the main thread.
// Two modules serve it (CMakeLists.txt): the first module, ../wasm/attnrank.{mjs,wasm} (analyze and the
// module's tables: the patterns, spectra, linear, raises-rank, sweep and stats figures, the explorer's first
// view), and the figures' module, ../wasm/attnrank-figures.{mjs,wasm} (those and every other figure's
// request: collapse, mixture, architectures, permutation, claims, claim_catalogue, parse_npy, write_npy,
// lab_experiments, lab_verdicts). The worker starts on one of them (init's `figures`); the first request the
// first module lacks loads the figures' module, which then answers every request (same objects, same values).
// Protocol: the client first posts { init: { module, figures } }: a WebAssembly.Module another worker compiled
// (instantiated here at once; V8 shares the compiled and tiered-up code between the instances), or
// module: null: this worker fetches and compiles the .wasm itself (streaming, while the module's JS glue loads)
// and posts { compiled: module } back for the client to hand to the other workers ({ compiled: null } when a
// Module cannot be posted); figures: true starts on the figures' module (a page whose first figure needs it),
// else on the first module. Then it posts { ready: true, loadMs, compiled } or { ready: false, error }; before
// init it may get { lock: name } (a Web Lock to hold: locked: true in ready). No warm-up analyze: the page's
// first requests come at once and warm the shared code themselves (a separate warm-up measured no faster to
// the first figure and cost a core for ~50 ms).
// After that: { id, method, args } with method one of the modules' bound functions (analyze, collapse, mixture,
// architectures, depth_pattern_names, limits, messages, pattern_names, feature_map_names, version, parse_npy,
// write_npy, claims, claim_catalogue, permutation, memory_usage when the build binds it; lab_experiments and
// lab_verdicts, the lab's tables and verdicts, for a kind="train" figure that shows its gallery without a lab
// worker, and for the claims view's lab verdicts on the claims the lab tests); the worker
// answers { id, ok: true, value } (typed arrays, nested ones too, are fresh copies, transferred) or { id, ok: false, error:
// { message, code, param } }, plus fatal: true when the wasm instance trapped and the worker must be replaced.
// A worker on the first module asks the pool for the figures' module ({ needFigures: true }); the pool answers
// { figures: module } (a WebAssembly.Module another worker compiled) or { figures: null }: this worker fetches and
// compiles it and posts { compiledFigures: module } back (null when it cannot be posted or did not compile), so
// the pool's workers fetch and compile it once (engine-handoff.mjs).
// Requests are answered in the order they came (one at a time: a request waiting for the figures' module holds
// the later ones). No numerics here, and no pool logic (engine-client.mjs).
import { compileWasm, instantiate, transferables } from './wasm-instance.mjs';

const methods = new Set(['analyze', 'collapse', 'mixture', 'architectures', 'depth_pattern_names', 'limits', 'messages',
  'pattern_names', 'patterns', 'feature_map_names', 'version', 'parse_npy', 'write_npy', 'claims', 'claim_catalogue', 'permutation',
  'memory_usage', 'lab_experiments', 'lab_verdicts']);

// The two modules' glue and .wasm, beside this worker's folder.
const firstModule = { glue: new URL('../wasm/attnrank.mjs', import.meta.url).href,
  wasm: new URL('../wasm/attnrank.wasm', import.meta.url).href };
const figuresModule = { glue: new URL('../wasm/attnrank-figures.mjs', import.meta.url).href,
  wasm: new URL('../wasm/attnrank-figures.wasm', import.meta.url).href };

function describeError(error) {
  return {
    message: error instanceof Error ? error.message : String(error),
    code: (error && typeof error.code === 'string') ? error.code : 'internal',
    param: (error && typeof error.param === 'string') ? error.param : '',
  };
}

let engine = null;
let engineIsFigures = false;  // engine is the figures' module's instance (every method)
let figuresLoad = null;       // the promise of the figures' module's instance, once asked
let resolveInit;
const init = new Promise((resolve) => { resolveInit = resolve; });
let queue = Promise.resolve();  // the requests, one after another in their order

// The pool's answer to { needFigures }: { figures: module } another worker compiled, or figures: null
// (compile it here, then post { compiledFigures } back for the pool to hand to its other workers).
let answerFigures = null;
function askPoolForFigures() {
  return new Promise((resolve) => {
    answerFigures = resolve;
    self.postMessage({ needFigures: true });
  });
}

// The figures' module, fetched (or taken from the pool), compiled and instantiated once, when a request first
// needs it; a failure is that request's error, and the next request that needs it tries again.
function figuresEngine() {
  figuresLoad ??= (async () => {
    const glue = import(figuresModule.glue);
    glue.catch(() => {});  // awaited below
    let wasmModule = await askPoolForFigures();
    if (!wasmModule) {
      try {
        wasmModule = await compileWasm(figuresModule.wasm);
      } catch (error) {
        self.postMessage({ compiledFigures: null });  // the workers waiting for it compile their own
        throw error;
      }
      try {
        self.postMessage({ compiledFigures: wasmModule });
      } catch {
        self.postMessage({ compiledFigures: null });
      }
    }
    return instantiate((await glue).default, wasmModule);
  })().catch((error) => {
    figuresLoad = null;
    throw error;
  });
  return figuresLoad;
}

async function handle({ id, method, args = [] }) {
  if (!methods.has(method)) {
    self.postMessage({ id, ok: false, error: { message: `method=${method} is unknown`, code: 'invalid_argument' } });
    return;
  }
  if (typeof engine[method] !== 'function' && !engineIsFigures) {
    try {
      engine = await figuresEngine();  // from now on it answers every request: the first instance is let go
      engineIsFigures = true;
    } catch (error) {
      const { message, code } = describeError(error);
      self.postMessage({ id, ok: false, error: { message: `the engine could not load ${method}: ${message}`, code } });
      return;
    }
  }
  if (typeof engine[method] !== 'function') {  // listed, but not bound in this build
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
  self.postMessage({ id, ok: true, value }, [...transferables(value)]);
}

function enqueue(request) {
  // handle posts its own errors; anything else it throws is an uncaught error of the worker, as before (the
  // pool's 'error' listener replaces the worker), and the queue goes on.
  queue = queue.then(() => handle(request)).catch((error) => { setTimeout(() => { throw error; }); });
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

// Requests that come before the instance is ready wait on the queue behind it.
let ready;
const isReady = new Promise((resolve) => { ready = resolve; });
queue = isReady;

self.addEventListener('message', (event) => {
  if (event.data && 'lock' in event.data) lockHeld = holdLock(event.data.lock);
  else if (event.data && 'init' in event.data) resolveInit(event.data.init);
  else if (event.data && 'figures' in event.data) answerFigures?.(event.data.figures);
  else enqueue(event.data);
});

try {
  const started = performance.now();
  const { module: given = null, figures = false } = await init;
  const files = figures ? figuresModule : firstModule;
  const glue = import(files.glue);
  glue.catch(() => {});  // awaited below; a failure is reported there
  let wasmModule = given;
  if (!wasmModule) {
    wasmModule = await compileWasm(files.wasm);
    try {
      self.postMessage({ compiled: wasmModule });
    } catch {
      self.postMessage({ compiled: null });  // the other workers compile their own
    }
  }
  engine = await instantiate((await glue).default, wasmModule);
  engineIsFigures = Boolean(figures);
  const locked = await lockHeld;
  self.postMessage({ ready: true, loadMs: performance.now() - started, compiled: !given, locked });
  ready();
} catch (error) {
  self.postMessage({ ready: false, error: describeError(error) });
}
