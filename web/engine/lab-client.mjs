// The page's side of one lab worker (lab-worker.mjs): LabWorker starts the worker, calls the module's lab_*
// functions in it, and trains a run with progress per checkpoint and cancel between chunks of steps. Each
// configuration of a comparison gets its own LabWorker (design-lab.md section 6: one worker per
// configuration); a run's records depend only on its config, never on which worker ran it or when.
// Errors carry the core's code and param ('cancelled' is not an error: a cancelled training resolves with
// cancelled: true and keeps its last checkpoint). No numerics, no DOM.

function workerError({ message, code, param }) {
  return Object.assign(new Error(message), { code, param });
}

export class LabWorker {
  #worker;
  #nextId = 1;
  #calls = new Map();  // id -> { resolve, reject, onProgress }
  #ready;
  #rejectReady;  // terminate() before the worker is ready: nothing may wait on it for ever
  #isCrashed = false;
  #isTerminated = false;

  // module: a compiled WebAssembly.Module to instantiate (another worker's `compiled`), or null to fetch it.
  constructor({ workerUrl = new URL('./lab-worker.mjs', import.meta.url), module = null } = {}) {
    this.#worker = new Worker(workerUrl, { type: 'module' });
    this.#ready = new Promise((resolve, reject) => {
      this.#rejectReady = reject;
      this.#worker.addEventListener('message', ({ data }) => {
        if ('ready' in data) (data.ready ? resolve(data) : reject(workerError(data.error)));
        else if ('compiled' in data) this.compiled = data.compiled;  // another LabWorker may take it as `module`
        else this.#answer(data);
      });
      // Before ready: the worker failed to load; after: it crashed (an uncaught error), and every call in
      // flight fails with worker_crashed (the worker is unusable: terminate it and start another).
      this.#worker.addEventListener('error', (event) => {
        const error = workerError({ message: event.message || 'the lab worker failed to load', code: 'worker_crashed', param: '' });
        reject(error);
        this.#failAll(error);
      });
    });
    // A failed or cancelled load is reported to whoever awaits `ready`; a worker nobody awaited is no
    // unhandled rejection.
    this.#ready.catch(() => {});
    this.#worker.postMessage({ init: { module } });
  }

  get ready() { return this.#ready; }

  // Whether the worker crashed (an uncaught error in it, or a wasm trap): it takes no more calls.
  get isCrashed() { return this.#isCrashed; }

  #failAll(error) {
    this.#isCrashed = true;
    for (const entry of this.#calls.values()) entry.reject(error);
    this.#calls.clear();
  }

  #answer(data) {
    const entry = this.#calls.get(data.id);
    if (!entry) return;
    if ('progress' in data) {
      entry.onProgress?.(data.progress);
      return;
    }
    this.#calls.delete(data.id);
    if (data.ok) entry.resolve(data.value);
    else if (!data.fatal) entry.reject(workerError(data.error));
    else {  // a wasm trap: this call and every other in flight fail, the worker takes no more
      const error = Object.assign(workerError(data.error), { fatal: true });
      entry.reject(error);
      this.#failAll(error);
    }
  }

  #post(message, onProgress) {
    const id = this.#nextId++;
    if (this.#isCrashed || this.#isTerminated) {
      const message = this.#isCrashed ? 'the lab worker crashed earlier' : 'the lab worker was terminated';
      return { id, promise: Promise.reject(workerError({ message, code: this.#isCrashed ? 'worker_crashed' : 'cancelled', param: '' })) };
    }
    const promise = new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve, reject, onProgress });
    });
    this.#worker.postMessage({ id, ...message });
    return { id, promise };
  }

  // One lab_* call in the worker: call('lab_attention', run).
  call(method, ...args) {
    return this.#post({ method, args }).promise;
  }

  // Trains config (lab_start's config object) to its end, `chunk` steps between progress checks;
  // onProgress({ run, step, steps, records, attention? }) after every chunk that recorded checkpoints.
  // Returns { promise, cancel }: cancel() stops the run after its current chunk (the promise then
  // resolves with cancelled: true; the stopped run keeps its last checkpoint).
  train(config, { chunk = 10, attention = false, onProgress } = {}) {
    const { id, promise } = this.#post({ train: { config, chunk, attention } }, onProgress);
    return { promise, cancel: () => this.#worker.postMessage({ cancel: id }) };
  }

  terminate() {
    this.#worker.terminate();
    this.#isTerminated = true;
    // A terminated worker never answers: a load still in progress fails (a no-op once it is ready).
    this.#rejectReady(workerError({ message: 'the lab worker was terminated', code: 'cancelled', param: '' }));
    for (const entry of this.#calls.values()) entry.reject(workerError({ message: 'the lab worker was terminated', code: 'cancelled', param: '' }));
    this.#calls.clear();
  }
}
