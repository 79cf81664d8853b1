// The page's side of the engine: EnginePool runs method calls on a few module Web Workers
// (engine-worker.mjs), each owning one wasm instance, and gives promises back. Requests are grouped by
// a slot string: a newer request or sweep on a slot supersedes the older one (rejected with code
// 'superseded'), cancel(slot) terminates the workers running that slot's work and replaces them
// (code 'cancelled'), sweeps spread their configs across workers and report progress. Interactive
// calls and requests run before queued sweep configs. A task still running after its priority's timeout
// has its worker terminated and replaced and rejects with code 'timeout'. Each wasm module (the first module the
// workers start on, and the figures' module a worker loads on the first request the first one lacks:
// engine-worker.mjs) is fetched and compiled once, by the first worker that needs it, which posts the
// WebAssembly.Module back; the pool hands it to the other workers and to every replacement (the main thread never
// fetches a .wasm; engine-handoff.mjs). Tasks, priorities, timeouts
// and errors: engine-tasks.mjs. Errors carry `code` (the core's, or 'superseded',
// 'cancelled', 'worker_crashed', 'timeout'). Contract: docs/web-architecture.md. No numerics, no DOM.

import { WasmHandoff } from './engine-handoff.mjs';
import { deathWatchLock, defaultSize, engineError, kDefaultCancelAfterMs, kPriorities, kPriorityBackground,
  kPriorityInteractive, takeNext, timeoutError, timeoutsByPriority, withMemoryBudget } from './engine-tasks.mjs';

export { engineError };

const kVanished = 'it stopped without reporting an error (closed or killed by the browser)';

export class EnginePool {
  #workerUrl;
  #cancelAfterMs;
  #timeoutMs;      // by priority: [interactive, background]
  #memoryBudgetMiB;  // null: the core's default
  #workers = [];   // entries: { worker, task, isReady, isRetired, ready, info }
  #queue = [];     // tasks not yet posted to a worker
  #slots = new Map();  // slot -> the operation (request or sweep) currently owning it
  #nextId = 1;
  #loadError = null;   // set when workers fail to load; every later call rejects with it
  #isClosed = false;
  #replacements = 0;
  #timeouts = 0;
  #handoff;            // the compiled wasm the workers start on, handed from the first worker to the others
  #figuresHandoff;     // the figures' module, when workers started on the first module need it (engine-worker.mjs)
  #patterns = null;    // the promise of the core's pattern registry, asked once

  // timeoutMs: { interactive, background } in ms (either may be left out: its default stays); a task
  // running longer than its priority's timeout is stopped (code 'timeout'). memoryBudgetMiB: put into
  // every analyze/collapse/mixture/permutation/claims config that sets none (the budget of one worker's wasm heap; the core
  // checks its range), null for the core's default. figuresModule: the workers start on the figures' module
  // rather than the first module (engine-worker.mjs; for a page whose first figure asks what the first module
  // lacks); either way a worker loads the figures' module on the first request that needs it.
  constructor({ size = defaultSize(), workerUrl = new URL('./engine-worker.mjs', import.meta.url),
    cancelAfterMs = kDefaultCancelAfterMs, timeoutMs = {}, memoryBudgetMiB = null, figuresModule = false } = {}) {
    if (!Number.isInteger(size) || size < 1) throw engineError(`size=${size} must be an integer >= 1`, 'invalid_argument');
    const timeouts = timeoutsByPriority(timeoutMs);
    this.#workerUrl = workerUrl;
    this.#cancelAfterMs = cancelAfterMs;
    this.#timeoutMs = timeouts;
    this.#memoryBudgetMiB = memoryBudgetMiB;
    this.#handoff = new WasmHandoff((entry, module) => entry.worker.postMessage({ init: { module, figures: figuresModule } }));
    this.#figuresHandoff = new WasmHandoff((entry, module) => entry.worker.postMessage({ figures: module }));
    for (let index = 0; index < size; ++index) this.#workers.push(this.#spawn());
  }

  get size() { return this.#workers.length; }

  // Resolves when every current worker has loaded the module (after a cancel, this includes the
  // replacement workers); rejects with the load error if a worker could not load.
  get ready() {
    return Promise.all(this.#workers.map((entry) => entry.ready)).then(() => undefined);
  }

  // Load times the workers reported ({ loadMs, readyMs, compiled } each: compiled = this worker fetched and
  // compiled the wasm, the others instantiated that module), and the replacement count.
  // The budget put into configs (null: the core's default).
  get memoryBudgetMiB() { return this.#memoryBudgetMiB; }

  get stats() {
    return { workers: this.#workers.map((entry) => entry.info), replacements: this.#replacements,
      timeouts: this.#timeouts, queued: this.#queue.length, busy: this.#workers.filter((entry) => entry.task).length };
  }

  // One method call on the next idle worker (queued otherwise); not superseded by anything.
  call(method, ...args) {
    return new Promise((resolve, reject) => {
      this.#enqueue(this.#makeTask(method, args, kPriorityInteractive, null, resolve, reject));
    });
  }

  // A call that owns `slot`: it supersedes the slot's older request or sweep.
  // The core's pattern registry (the module's patterns()), asked once per pool and cached: it is fixed
  // for a module. A failed call is forgotten, so the next one asks again.
  patterns() {
    if (!this.#patterns) {
      this.#patterns = this.call('patterns');
      this.#patterns.catch(() => { this.#patterns = null; });
    }
    return this.#patterns;
  }

  request(slot, method, ...args) {
    return this.#slotCall(slot, method, args, kPriorityInteractive);
  }

  // request() at background priority: it waits for every call and interactive request, as sweep
  // configs do (the page's later stages: a new control value is never queued behind them).
  background(slot, method, ...args) {
    return this.#slotCall(slot, method, args, kPriorityBackground);
  }

  #slotCall(slot, method, args, priority) {
    return new Promise((resolve, reject) => {
      const operation = this.#begin(slot, reject);
      const task = this.#makeTask(method, args, priority, operation,
        (value) => { this.#end(operation); resolve(value); },
        (error) => { this.#end(operation); reject(error); });
      operation.tasks.push(task);
      this.#enqueue(task);
    });
  }

  // analyze(config) for every config, spread across the workers; resolves with the results in the
  // order of configs. onProgress(done, total) is called with done = 0 first, then after each result.
  // The first error rejects the sweep (error.index = the config's index), unless keepErrors: then that
  // result is the Error. Cancellable with cancel(slot); superseded by a newer request on the slot.
  // priority: 'background' (default: queued configs wait for every call and request) or 'interactive'.
  sweep(slot, configs, onProgress = () => {}, { keepErrors = false, priority = 'background' } = {}) {
    return new Promise((resolve, reject) => {
      if (!Object.hasOwn(kPriorities, priority)) {
        throw engineError(`priority=${priority} must be interactive or background`, 'invalid_argument');
      }
      const operation = this.#begin(slot, reject);
      const total = configs.length;
      const results = new Array(total);
      let done = 0;
      const report = () => {
        try {
          onProgress(done, total);
        } catch (error) {
          this.#abort(operation, error, () => false);
        }
      };
      const finishOne = () => {
        if (operation.isSettled) return;
        done += 1;
        report();
        if (done === total && !operation.isSettled) {
          this.#end(operation);
          resolve(results);
        }
      };
      report();
      if (total === 0 && !operation.isSettled) {
        this.#end(operation);
        resolve(results);
        return;
      }
      configs.forEach((config, index) => {
        const task = this.#makeTask('analyze', [config], kPriorities[priority], operation,
          (value) => { results[index] = value; finishOne(); },
          (error) => {
            const failure = engineError(error.message, error.code, { ...error, index });  // elapsedMs, timeoutMs kept
            if (keepErrors) {
              results[index] = failure;
              finishOne();
            } else {
              this.#abort(operation, failure, () => false);
            }
          });
        operation.tasks.push(task);
      });
      for (const task of operation.tasks) this.#queue.push(task);
      this.#dispatch();
    });
  }

  // The slot's work is no longer wanted: like a newer request on the slot with nothing to run. Its
  // queued tasks leave the queue, answers of running ones are ignored (their workers are replaced only
  // when they have run longer than cancelAfterMs); its promise rejects with code 'superseded'. Returns
  // whether the slot had work.
  drop(slot) {
    const operation = this.#slots.get(slot);
    if (!operation) return false;
    this.#supersede(operation);
    return true;
  }

  // drop() of `slot` and of every sub-slot `slot:part` (all the work of one <attn-figure>, which a
  // removed figure no longer wants). Returns whether any had work.
  dropAll(slot) {
    const slots = [...this.#slots.keys()].filter((key) => key === slot || key.startsWith(`${slot}:`));
    return slots.map((key) => this.drop(key)).some(Boolean);
  }

  // Stops the slot's work now: queued configs are dropped, the workers running it are terminated and
  // replaced; its promise rejects with code 'cancelled'. Returns whether the slot had work.
  cancel(slot) {
    const operation = this.#slots.get(slot);
    if (!operation) return false;
    this.#abort(operation, engineError(`the work on slot "${slot}" was cancelled`, 'cancelled'), () => true);
    return true;
  }

  // Terminates every worker; pending work rejects with code 'cancelled'. The pool is unusable after.
  terminate() {
    this.#isClosed = true;
    const closed = engineError('the engine pool was terminated', 'cancelled');
    for (const operation of [...this.#slots.values()]) this.#abort(operation, closed, () => false);
    for (const task of this.#queue.splice(0)) this.#settle(task, { ok: false, error: closed });
    for (const entry of this.#workers) {
      entry.isRetired = true;
      entry.worker.terminate();
      if (entry.task) this.#settle(entry.task, { ok: false, error: closed });
      entry.task = null;
    }
  }

  #spawn() {
    const entry = { worker: new Worker(this.#workerUrl, { type: 'module' }), task: null, isReady: false,
      isRetired: false, info: null, startedAt: performance.now() };
    entry.ready = new Promise((resolve, reject) => {
      entry.resolveReady = resolve;
      entry.rejectReady = reject;
    });
    entry.ready.catch(() => {});  // a load failure is reported through ready and the calls, never unhandled
    entry.worker.addEventListener('message', ({ data }) => this.#onMessage(entry, data));
    entry.worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.#onCrash(entry, event.message || 'an uncaught error in the engine worker');
    });
    entry.worker.addEventListener('messageerror', () => this.#onCrash(entry, 'a message could not be read'));
    entry.lock = deathWatchLock();
    if (entry.lock) entry.worker.postMessage({ lock: entry.lock });
    this.#handoff.init(entry);
    return entry;
  }

  #onMessage(entry, data) {
    if (entry.isRetired) return;
    if ('compiled' in data && !('ready' in data)) {
      this.#handoff.onCompiled(entry, data.compiled);
      return;
    }
    if ('needFigures' in data) {
      this.#figuresHandoff.init(entry);
      return;
    }
    if ('compiledFigures' in data) {
      this.#figuresHandoff.onCompiled(entry, data.compiledFigures);
      return;
    }
    if ('ready' in data) {
      if (data.ready) {
        entry.isReady = true;
        entry.info = { loadMs: data.loadMs, readyMs: performance.now() - entry.startedAt, compiled: Boolean(data.compiled) };
        entry.resolveReady();
        // The worker holds entry.lock until it ends: the lock granted here means it died, whether or not
        // it said so (an 'error' event); a worker the pool retired itself is ignored.
        if (data.locked) {
          navigator.locks.request(entry.lock, () => this.#onCrash(entry, kVanished)).catch(() => {});
        }
        this.#dispatch();
      } else {
        this.#onLoadFailure(entry, engineError(`the engine could not load: ${data.error.message}`, data.error.code));
      }
      return;
    }
    const task = entry.task;
    if (!task || task.id !== data.id) return;
    entry.task = null;
    if (data.fatal) this.#replace(entry);
    this.#settle(task, data.ok ? data : { ok: false, error: engineError(data.error.message, data.error.code, { param: data.error.param ?? '' }) });
    this.#dispatch();
  }

  #onCrash(entry, message) {
    if (entry.isRetired) return;
    if (!entry.isReady) {
      this.#onLoadFailure(entry, engineError(`the engine worker could not start: ${message}`, 'worker_crashed'));
      return;
    }
    const task = entry.task;
    entry.task = null;
    this.#replace(entry);
    if (task) this.#settle(task, { ok: false, error: engineError(`the engine worker crashed: ${message}`, 'worker_crashed') });
    this.#dispatch();
  }

  // A worker that never loaded is not replaced (its replacement would fail alike); when no worker is
  // left that can run anything, queued and later calls reject with the load error.
  #onLoadFailure(entry, error) {
    entry.isRetired = true;
    entry.worker.terminate();
    this.#handoff.onRetired(entry);
    this.#figuresHandoff.onRetired(entry);
    entry.rejectReady(error);
    if (this.#workers.some((other) => !other.isRetired)) return;
    this.#loadError = error;
    for (const task of this.#queue.splice(0)) this.#settle(task, { ok: false, error });
  }

  // Terminates a worker (whatever it is running) and starts a fresh one in its place.
  #replace(entry) {
    entry.isRetired = true;
    entry.worker.terminate();
    this.#handoff.onRetired(entry);
    this.#figuresHandoff.onRetired(entry);
    entry.task = null;
    const index = this.#workers.indexOf(entry);
    if (index >= 0 && !this.#isClosed) {
      this.#workers[index] = this.#spawn();
      this.#replacements += 1;
    }
  }

  #makeTask(method, args, priority, operation, resolve, reject) {
    return { id: this.#nextId++, method, args: withMemoryBudget(method, args, this.#memoryBudgetMiB), priority, operation,
      resolve, reject, worker: null, startedAt: 0, isDone: false, timer: 0 };
  }

  #enqueue(task) {
    if (this.#isClosed) {
      this.#settle(task, { ok: false, error: engineError('the engine pool was terminated', 'cancelled') });
    } else if (this.#loadError) {
      this.#settle(task, { ok: false, error: this.#loadError });
    } else {
      this.#queue.push(task);
      this.#dispatch();
    }
  }

  #dispatch() {
    for (const entry of this.#workers) {
      if (!entry.isReady || entry.isRetired || entry.task) continue;
      const task = takeNext(this.#queue);
      if (!task) return;
      entry.task = task;
      task.worker = entry;
      task.startedAt = performance.now();
      try {
        entry.worker.postMessage({ id: task.id, method: task.method, args: task.args });
      } catch (error) {  // DataCloneError: an argument that cannot be sent (a function, a DOM node)
        entry.task = null;
        this.#settle(task, { ok: false, error: engineError(`${task.method}: ${error.message}`, 'invalid_argument') });
        continue;
      }
      const timeoutMs = this.#timeoutMs[task.priority];
      task.timer = setTimeout(() => this.#onTimeout(entry, task, timeoutMs), timeoutMs);
    }
  }

  // A task ran past its timeout. Its worker is terminated and replaced while it still runs it, even when
  // the task was superseded or dropped meanwhile (its answer was ignored, but the worker was still busy);
  // a task not settled yet rejects with code 'timeout'.
  #onTimeout(entry, task, timeoutMs) {
    if (entry.task !== task || entry.isRetired) return;
    this.#timeouts += 1;
    this.#replace(entry);
    this.#settle(task, { ok: false, error: timeoutError(task, timeoutMs) });
    this.#dispatch();
  }

  #settle(task, { ok, value, error }) {
    clearTimeout(task.timer);
    if (task.isDone) return;
    task.isDone = true;
    if (ok) task.resolve(value);
    else task.reject(error);
  }

  // A new operation on `slot`; the slot's previous one is superseded. Its running tasks are dropped
  // (answer ignored), or their workers replaced when they have run longer than cancelAfterMs.
  #begin(slot, reject) {
    if (typeof slot !== 'string') throw engineError(`slot=${String(slot)} must be a string`, 'invalid_argument');
    const operation = { slot, tasks: [], reject, isSettled: false };
    const previous = this.#slots.get(slot);
    this.#slots.set(slot, operation);
    if (previous) this.#supersede(previous);
    if (this.#isClosed || this.#loadError) {
      this.#end(operation);
      reject(this.#isClosed ? engineError('the engine pool was terminated', 'cancelled') : this.#loadError);
    }
    return operation;
  }

  #supersede(operation) {
    const now = performance.now();
    this.#abort(operation, engineError(`the work on slot "${operation.slot}" was superseded by a newer request`, 'superseded'),
      (task) => now - task.startedAt > this.#cancelAfterMs);
  }

  #end(operation) {
    operation.isSettled = true;
    if (this.#slots.get(operation.slot) === operation) this.#slots.delete(operation.slot);
  }

  // Rejects an operation with `error`: queued tasks leave the queue, running ones are dropped, and
  // their workers replaced where shouldTerminate(task) says so.
  #abort(operation, error, shouldTerminate) {
    if (operation.isSettled) return;
    this.#end(operation);
    const queued = new Set();
    for (const task of operation.tasks) {
      if (task.isDone) continue;
      task.isDone = true;
      if (!task.worker) queued.add(task);
      else if (task.worker.task === task && shouldTerminate(task)) {
        clearTimeout(task.timer);  // its worker goes now; a dropped task keeps its timer (it frees the worker)
        this.#replace(task.worker);
      }
    }
    if (queued.size) this.#queue = this.#queue.filter((task) => !queued.has(task));
    operation.reject(error);
    this.#dispatch();
  }
}
