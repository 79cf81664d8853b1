// Trains a list of lab runs (one lab_start config each: one configuration and seed) across a pool of lab
// workers (engine/lab-client.mjs), one run per worker at a time, the rest queued in order (design-lab.md
// section 6). The page drives each run from here, a chunk of steps per lab_advance call, every chunk ending
// at or before the next checkpoint so that each checkpoint's probe attention is read (lab_attention keeps
// only the last). pause() lets every run finish its chunk and wait: the runs stay in their workers, and
// resume() continues them, so a paused run gives the same records as one never paused (a run's records depend
// only on its config). After every checkpoint the run is saved (lab_save); a worker that crashes, or whose
// module runs out of memory mid-run (too_large after lab_start: the wasm heap could not grow, js_boundary.cpp),
// is replaced and its run restarted from that save (lab_load), keeping every record it had; a run that fails
// so more than kMaxRestarts times is given up with its records and its last save kept. No DOM, no numerics.

// The chunk of steps per lab_advance call is sized to take about this long (a pause waits for it).
const kTargetChunkMs = 200;
// A run whose worker crashes (or runs out of memory) more often than this is given up (its records and last
// save kept, its state 'failed').
const kMaxRestarts = 2;

// The next step at which the run records a checkpoint after `step` (every `every` steps and the last).
export function nextCheckpointStep(step, every, steps) {
  return Math.min(steps, (Math.floor(step / every) + 1) * every);
}

// Seconds until every run is done, when the pool's `size` workers take the queued runs in order: each
// running run's remaining steps at its own measured rate, each queued run's at the mean rate, given to the
// worker that frees first. null until some rate is measured. runs: [{ state, step, steps, stepsPerSecond }].
export function secondsLeft(runs, size) {
  const rates = runs.map((run) => run.stepsPerSecond).filter((rate) => rate > 0);
  if (rates.length === 0) return null;
  const meanRate = rates.reduce((sum, rate) => sum + rate, 0) / rates.length;
  const free = [];  // seconds until each worker is free
  for (const run of runs) {
    if (run.state === 'running') free.push(Math.max(0, run.steps - run.step) / (run.stepsPerSecond > 0 ? run.stepsPerSecond : meanRate));
  }
  while (free.length < size) free.push(0);
  for (const run of runs) {
    if (run.state !== 'queued') continue;
    free.sort((a, b) => a - b);
    free[0] += Math.max(0, run.steps - run.step) / meanRate;
  }
  return Math.max(0, ...free);
}

// A probe attention of lab_attention with each matrix as a Float32Array (the trainer's matrices are float
// promoted to double, so this is exact and half the memory).
function compactAttention(attention) {
  return { ...attention, heads: attention.heads.map((head) => ({ ...head, matrix: Float32Array.from(head.matrix) })) };
}

// The core's checks of a training before its pool starts, for the lab page and <attn-figure kind="train">
// alike: lab_start of every configuration once (one seed each) in `helper`, so a bad setting is named before
// any worker trains; the corpus loaded into the helper when a configuration needs it; the largest run's bytes;
// and, with timeStep, the seconds per step of the first configuration (two steps timed after one of warm-up:
// the first pays for compilation tiers). Throws the core's errors, or corpusError(error) when loadCorpus()
// fails. guard(promise): the caller's way to stop waiting (a figure's Stop); isStopped(): check no more.
// Returns { needsCorpus, secondsPerStep, runBytes }.
export async function preflightRuns(helper, specs, {
  loadCorpus, corpusError, onCorpusLoading = () => {}, timeStep = true, guard = (promise) => promise, isStopped = () => false,
}) {
  let needsCorpus = false;
  let secondsPerStep = 0;
  let runBytes = 0;
  const checked = new Set();
  for (const spec of specs) {
    if (isStopped()) break;
    if (checked.has(spec.configuration)) continue;
    checked.add(spec.configuration);
    let started;
    try {
      started = await guard(helper.call('lab_start', spec.config));
    } catch (error) {
      if (error.param !== 'corpus' || needsCorpus) throw error;
      needsCorpus = true;
      onCorpusLoading();
      let corpus;
      try {
        corpus = await guard(loadCorpus());
      } catch (loadError) {
        throw corpusError(loadError);
      }
      await guard(helper.call('lab_set_corpus', corpus));
      started = await guard(helper.call('lab_start', spec.config));
    }
    runBytes = Math.max(runBytes, started.memory_bytes);
    if (timeStep && secondsPerStep === 0 && started.steps > 2) {
      await guard(helper.call('lab_advance', started.id, 1));
      const before = performance.now();
      await guard(helper.call('lab_advance', started.id, 2));
      secondsPerStep = (performance.now() - before) / 2e3;
    }
    await guard(helper.call('lab_destroy', started.id));
  }
  return { needsCorpus, secondsPerStep, runBytes };
}

export class RunPool {
  #size;
  #makeWorker;
  #loadCorpus;
  #onChange;
  #slots = [];
  #queue = [];
  #isPaused = false;
  #isDisposed = false;
  #wake = [];  // resolvers of the runs waiting while paused
  #module = null;

  // size: workers at most; makeWorker(module) -> a LabWorker (module: a compiled WebAssembly.Module or null);
  // loadCorpus() -> Promise<Uint8Array> (the corpus tasks' text, asked once per worker that needs it);
  // onChange(run) after every change of a run (state, step, records).
  constructor({ size, makeWorker, loadCorpus = null, onChange = () => {} }) {
    this.#size = Math.max(1, size);
    this.#makeWorker = makeWorker;
    this.#loadCorpus = loadCorpus;
    this.#onChange = onChange;
    this.runs = [];
  }

  get size() { return this.#size; }
  get isPaused() { return this.#isPaused; }
  get isDone() { return this.runs.every((run) => run.state === 'done' || run.state === 'failed'); }

  // specs: [{ key, config, steps, every, needsCorpus, ... }] (steps, every: the run's steps and checkpoint
  // interval, when config leaves them to the core's defaults; other keys are
  // kept on the run, such as its configuration and seed). `runs` holds them at once, in this order. Resolves
  // when every run is done or failed (or the pool is disposed).
  async start(specs) {
    this.runs = specs.map((spec) => ({
      ...spec, needsCorpus: Boolean(spec.needsCorpus),
      state: 'queued', step: 0, steps: spec.steps ?? spec.config.steps, records: [], attention: [], saved: null,
      error: null, restarts: 0, stepsPerSecond: 0, notices: [], savedStep: -1,
    }));
    this.#queue = [...this.runs];
    const count = Math.min(this.#size, this.runs.length);
    if (count === 0) return;
    // The first worker compiles the wasm; the others instantiate its compiled module.
    const first = this.#newSlot();
    await first.worker.ready.catch(() => {});
    this.#module = first.worker.compiled ?? null;
    const drivers = [this.#drive(first)];
    for (let k = 1; k < count; ++k) drivers.push(this.#drive(this.#newSlot()));
    await Promise.all(drivers);
  }

  pause() {
    this.#isPaused = true;
  }

  resume() {
    this.#isPaused = false;
    for (const wake of this.#wake.splice(0)) wake();
  }

  // Ends every run and worker (the records stay in `runs`).
  dispose() {
    this.#isDisposed = true;
    for (const slot of this.#slots) slot.worker.terminate();
    this.resume();
  }

  #newSlot() {
    const slot = { worker: this.#makeWorker(this.#module), hasCorpus: false };
    this.#slots.push(slot);
    return slot;
  }

  #replaceWorker(slot) {
    slot.worker.terminate();
    slot.worker = this.#makeWorker(this.#module);
    slot.hasCorpus = false;
  }

  async #drive(slot) {
    while (!this.#isDisposed && this.#queue.length > 0) await this.#train(slot, this.#queue.shift());
  }

  #changed(run) {
    if (!this.#isDisposed) this.#onChange(run);
  }

  async #whilePaused() {
    while (this.#isPaused && !this.#isDisposed) await new Promise((resolve) => { this.#wake.push(resolve); });
  }

  async #train(slot, run) {
    const { worker } = slot;
    run.state = 'running';
    this.#changed(run);
    let isStarted = false;  // lab_start took the config: a too_large after it is the heap running out, not the settings
    try {
      await worker.ready;
      if (run.needsCorpus && !slot.hasCorpus) {
        await worker.call('lab_set_corpus', await this.#loadCorpus());
        slot.hasCorpus = true;
      }
      const started = await worker.call('lab_start', run.config);
      isStarted = true;
      const id = started.id;
      run.steps = started.steps;
      let read = 0;
      let skip = 0;
      // After a crash: what came after the last save is made again (a crash between a checkpoint's records
      // and its save would otherwise repeat them), and the saved state's own record (step K, no train loss)
      // is one the run has.
      const savedStep = run.saved ? run.savedStep : -1;
      run.records = run.records.filter((record) => record.step <= savedStep);
      run.attention = run.attention.filter((attention) => attention.step <= savedStep);
      run.step = 0;
      if (run.saved) {
        run.step = (await worker.call('lab_load', id, run.saved)).step;
        skip = 1;
      }
      const pull = async () => {
        const records = await worker.call('lab_checkpoints', id, read);
        read += records.length;
        const fresh = records.slice(skip);
        skip = 0;
        if (fresh.length === 0) return;
        run.records.push(...fresh);
        run.attention.push(compactAttention(await worker.call('lab_attention', id)));
        run.saved = await worker.call('lab_save', id);
        run.savedStep = fresh.at(-1).step;
      };
      await pull();
      this.#changed(run);
      let chunk = 1;
      while (run.step < run.steps) {
        await this.#whilePaused();
        if (this.#isDisposed) return;
        const steps = Math.min(chunk, nextCheckpointStep(run.step, run.every, run.steps) - run.step);
        const started = performance.now();
        const progress = await worker.call('lab_advance', id, steps);
        const seconds = Math.max(1e-3, (performance.now() - started) / 1e3);
        const rate = (progress.step - run.step) / seconds;
        run.stepsPerSecond = run.stepsPerSecond > 0 ? 0.7 * run.stepsPerSecond + 0.3 * rate : rate;
        chunk = Math.max(1, Math.round(run.stepsPerSecond * kTargetChunkMs / 1e3));
        run.step = progress.step;
        await pull();
        this.#changed(run);
      }
      await worker.call('lab_destroy', id);
      run.saved = null;  // nothing to restart from any more
      run.state = 'done';
      this.#changed(run);
    } catch (error) {
      if (this.#isDisposed) return;
      const isOutOfMemory = isStarted && error.code === 'too_large';
      if (error.code === 'worker_crashed' || worker.isCrashed || isOutOfMemory) {
        // The worker goes either way: a crashed one takes no calls, and one whose heap ran out keeps it at its
        // largest (wasm memory never shrinks).
        this.#replaceWorker(slot);
        run.restarts += 1;
        run.notices.push({ kind: isOutOfMemory ? 'memory' : 'crashed', step: run.step, from: run.records.at(-1)?.step ?? 0, message: error.message });
        if (run.restarts <= kMaxRestarts) {
          run.state = 'queued';
          this.#queue.unshift(run);  // this worker's next run: from its last checkpoint
        } else {
          run.state = 'failed';
          run.error = error;
        }
      } else {
        run.state = 'failed';
        run.error = error;
      }
      this.#changed(run);
    }
  }
}
