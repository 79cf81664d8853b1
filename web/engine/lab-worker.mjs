// The training lab's Web Worker (design-lab.md section 6): one instance of the lab module (../wasm/attnrank-lab.*,
// the figures' module's exports plus the training runs': src/bindings/lab_bindings.cpp; the engine workers load
// the smaller attnrank.wasm, which has no training) trains runs through its lab_* exports, a chunk of steps at a
// time, so a cancel posted while it trains takes effect after the current chunk. Same start-up protocol as
// engine-worker.mjs: the client posts { init: { module } } (a compiled WebAssembly.Module of the lab module, from
// another lab worker, or null: this worker fetches and compiles ../wasm/attnrank-lab.wasm and posts { compiled }
// back), then gets { ready: true, loadMs } or { ready: false, error }. Then:
//   { id, method, args }  one lab_* call (lab_experiments, lab_verdicts, lab_set_corpus, lab_start, lab_advance,
//                         lab_checkpoints, lab_attention, lab_save, lab_load, lab_stop, lab_destroy) or
//                         version, limits, messages, write_npy (the lab page's words and exports) ->
//                         { id, ok: true, value } or { id, ok: false, error: { message, code, param } }
//   { id, train: { config, chunk = 10, attention = false } }  starts a run (lab_start) and steps it to its
//                         end, chunk steps at a time; after each chunk with new checkpoints it posts
//                         { id, progress: { run, step, steps, records, attention? } } (records: the new
//                         checkpoints' records, attnrank train's JSONL objects; attention: lab_attention at
//                         the last one when asked); at the end { id, ok: true, value: { run, step, steps,
//                         is_done, cancelled } }. The run stays in the worker (lab_save, lab_attention, ...)
//                         until lab_destroy.
//   { cancel: id }        stops that training after its current chunk: lab_stop keeps the last checkpoint
//                         (a record of the step it stopped at is posted as progress), then the final
//                         answer has cancelled: true.
// A wasm trap answers with fatal: true (the worker must be replaced). No numerics here.
import { compileWasm, instantiate, transferables } from './wasm-instance.mjs';

const methods = new Set(['lab_experiments', 'lab_verdicts', 'lab_set_corpus', 'lab_start', 'lab_advance', 'lab_checkpoints', 'lab_attention', 'lab_save',
  'lab_load', 'lab_stop', 'lab_destroy', 'version', 'limits', 'messages', 'write_npy']);

const glueUrl = new URL('../wasm/attnrank-lab.mjs', import.meta.url).href;
const wasmUrl = new URL('../wasm/attnrank-lab.wasm', import.meta.url).href;

function describeError(error) {
  return {
    message: error instanceof Error ? error.message : String(error),
    code: (error && typeof error.code === 'string') ? error.code : 'internal',
    param: (error && typeof error.param === 'string') ? error.param : '',
  };
}

function postError(id, error) {
  if (error instanceof WebAssembly.RuntimeError) {
    self.postMessage({ id, ok: false, fatal: true, error: { message: `the engine crashed: ${error.message}`, code: 'worker_crashed', param: '' } });
  } else {
    self.postMessage({ id, ok: false, error: describeError(error) });
  }
}

// Lets queued messages (a cancel) run between chunks.
const yieldToMessages = () => new Promise((resolve) => { setTimeout(resolve, 0); });

let engine = null;
const pending = [];
const cancelled = new Set();  // ids of trainings asked to stop
let resolveInit;
const init = new Promise((resolve) => { resolveInit = resolve; });

function call({ id, method, args = [] }) {
  if (!methods.has(method) || typeof engine[method] !== 'function') {
    self.postMessage({ id, ok: false, error: { message: `method=${method} is unknown`, code: 'invalid_argument', param: 'method' } });
    return;
  }
  let value;
  try {
    value = engine[method](...args);
  } catch (error) {
    postError(id, error);
    return;
  }
  self.postMessage({ id, ok: true, value }, [...transferables(value)]);
}

async function train({ id, train: { config, chunk = 10, attention = false } }) {
  let run = null;
  try {
    if (!(Number.isInteger(chunk) && chunk >= 1)) {
      throw Object.assign(new Error(`chunk=${chunk} must be an integer >= 1`), { code: 'invalid_argument', param: 'chunk' });
    }
    run = engine.lab_start(config).id;
    let read = 0;
    const report = () => {
      const records = engine.lab_checkpoints(run, read);
      if (records.length === 0) return;
      read += records.length;
      const last = records[records.length - 1];
      const progress = { run, step: last.step, steps: last.steps, records };
      if (attention) progress.attention = engine.lab_attention(run);
      self.postMessage({ id, progress }, [...transferables(progress)]);
    };
    report();
    let state = { step: 0, steps: 0, is_done: false };
    while (!state.is_done) {
      await yieldToMessages();
      if (cancelled.has(id)) {
        state = engine.lab_stop(run);
        report();
        self.postMessage({ id, ok: true, value: { run, step: state.step, steps: state.steps, is_done: true, cancelled: true } });
        return;
      }
      state = engine.lab_advance(run, chunk);
      report();
    }
    self.postMessage({ id, ok: true, value: { run, step: state.step, steps: state.steps, is_done: true, cancelled: false } });
  } catch (error) {
    postError(id, error);
  } finally {
    cancelled.delete(id);
  }
}

function handle(data) {
  if ('cancel' in data) cancelled.add(data.cancel);
  else if ('train' in data) train(data);
  else call(data);
}

self.addEventListener('message', (event) => {
  const data = event.data;
  if (data && 'init' in data) resolveInit(data.init);
  else if (data && 'cancel' in data) cancelled.add(data.cancel);  // also before the module is ready
  else if (engine) handle(data);
  else pending.push(data);
});

try {
  const started = performance.now();
  const glue = import(glueUrl);
  glue.catch(() => {});
  const { module: given = null } = await init;
  let wasmModule = given;
  if (!wasmModule) {
    wasmModule = await compileWasm(wasmUrl);
    try {
      self.postMessage({ compiled: wasmModule });
    } catch {
      self.postMessage({ compiled: null });
    }
  }
  engine = await instantiate((await glue).default, wasmModule);
  self.postMessage({ ready: true, loadMs: performance.now() - started, compiled: !given });
  for (const request of pending.splice(0)) handle(request);
} catch (error) {
  self.postMessage({ ready: false, error: describeError(error) });
}
