// A compiled wasm module handed between the pool's workers (engine-client.mjs): the first worker fetches and
// compiles it and posts the WebAssembly.Module back; the others, and every replacement, start from that
// module. A worker entry is the pool's { worker, isRetired, ... }. The pool keeps one per module: the one its
// workers start on (post: their { init } message) and the figures' module a worker started on the first module
// asks for on its first request that needs it (post: the { figures } answer to its { needFigures };
// engine-worker.mjs). No DOM.

export class WasmHandoff {
  #post;               // (entry, module or null) -> posts the module, or null: compile it yourself
  #wasmModule = null;  // the compiled WebAssembly.Module, once a worker posted it
  #compiler = null;    // the worker entry compiling it, while one is
  #waiting = [];       // worker entries waiting for the compiled module

  constructor(post) {
    this.#post = post;
  }

  // A worker's request for the module: the compiled module when there is one; else this worker compiles it
  // (null) unless another already does, then it waits for that one's module.
  init(entry, { mayWait = true } = {}) {
    if (this.#wasmModule) {
      try {
        this.#post(entry, this.#wasmModule);
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
    this.#post(entry, null);
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
