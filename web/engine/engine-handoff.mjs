// The compiled wasm handed between the pool's workers (engine-client.mjs): the first worker fetches and
// compiles it and posts the WebAssembly.Module back; the others, and every replacement, start from that
// module. A worker entry is the pool's { worker, isRetired, ... }. figures: the workers start on the figures'
// module (engine-worker.mjs) instead of the first module; every worker of a pool starts on the same one. No DOM.

export class WasmHandoff {
  #figures;
  #wasmModule = null;  // the compiled WebAssembly.Module, once a worker posted it
  #compiler = null;    // the worker entry compiling it, while one is
  #waiting = [];       // worker entries waiting for the compiled module

  constructor({ figures = false } = {}) {
    this.#figures = Boolean(figures);
  }

  // The worker's first message: the compiled module when there is one; else this worker compiles it
  // (module: null) unless another already does, then it waits for that one's module.
  init(entry, { mayWait = true } = {}) {
    if (this.#wasmModule) {
      try {
        entry.worker.postMessage({ init: { module: this.#wasmModule, figures: this.#figures } });
        return;
      } catch {
        this.#wasmModule = null;  // a Module that cannot be posted here: every worker compiles its own
      }
    }
    if (this.#compiler && mayWait) {
      this.#waiting.push(entry);
      return;
    }
    this.#compiler ??= entry;
    entry.worker.postMessage({ init: { module: null, figures: this.#figures } });
  }

  // The compiling worker posted its module (or null: it cannot be posted): the waiting workers start.
  onCompiled(entry, wasmModule) {
    if (entry !== this.#compiler) return;
    this.#compiler = null;
    this.#wasmModule = wasmModule ?? null;
    for (const waiting of this.#waiting.splice(0)) {
      if (!waiting.isRetired) this.init(waiting, { mayWait: false });
    }
  }

  // A worker left before posting the module it was compiling: the next waiting worker compiles instead.
  onRetired(entry) {
    this.#waiting = this.#waiting.filter((other) => other !== entry);
    if (entry !== this.#compiler) return;
    this.#compiler = null;
    const next = this.#waiting.shift();
    if (next) this.init(next);
  }
}
