// web/lab/run-pool.mjs against fake lab workers (the lab_* calls simulated in JS, with the real calls'
// shapes): no more runs at once than workers, every run's records whatever the pool size, pause and resume,
// a crashed worker replaced and its run continued from its last save with no record lost or repeated, a
// core error failing only its run; nextCheckpointStep and secondsLeft.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { RunPool, nextCheckpointStep, secondsLeft } from '../../web/lab/run-pool.mjs';

const tick = () => new Promise((resolve) => { setTimeout(resolve, 0); });

// One fake worker: runs keyed by id; a record per checkpoint (every `every` steps and the last) whose
// loss depends only on the seed and step; crashAt(step): the worker crashes when a run reaches that step.
// crashOn: { method, step }: the worker crashes on that call once a run has reached that step.
// outOfMemory: seed -> { step, times }: lab_advance answers the module's out-of-memory error (too_large, the
// worker alive) when that seed's run reaches that step, in `times` workers (Infinity: every one).
function fakeWorkerFactory({ crashes = new Map(), crashOn = null, outOfMemory = new Map(), live = { now: 0, max: 0 }, made = [] } = {}) {
  return () => {
    const runs = new Map();
    let nextId = 1;
    const worker = {
      isCrashed: false,
      ready: Promise.resolve({ ready: true }),
      compiled: null,
      calls: [],
      terminate() { worker.isCrashed = true; },
      async call(method, ...args) {
        await tick();
        worker.calls.push(method);
        if (worker.isCrashed) throw Object.assign(new Error('the lab worker crashed earlier'), { code: 'worker_crashed' });
        if (crashOn && method === crashOn.method && runs.get(args[0])?.step >= crashOn.step) {
          crashOn = null;
          worker.isCrashed = true;
          throw Object.assign(new Error('the lab worker crashed'), { code: 'worker_crashed' });
        }
        const record = (run) => ({ step: run.step, heldout_loss: run.config.seed * 1000 + run.step, train_loss: run.loaded === run.step ? null : 1 });
        switch (method) {
          case 'lab_start': {
            const config = args[0];
            if (config.steps <= 0) throw Object.assign(new Error(`steps=${config.steps} is outside [1, 10000000]`), { code: 'invalid_argument', param: 'steps' });
            const run = { config, step: 0, checkpoints: [], loaded: -1 };
            run.checkpoints.push(record(run));
            runs.set(nextId, run);
            live.now += 1;
            live.max = Math.max(live.max, live.now);
            return { id: nextId++, step: 0, steps: config.steps };
          }
          case 'lab_advance': {
            const run = runs.get(args[0]);
            for (let k = 0; k < args[1] && run.step < run.config.steps; ++k) {
              run.step += 1;
              const memory = outOfMemory.get(run.config.seed);
              if (memory?.step === run.step && memory.times > 0) {
                memory.times -= 1;
                throw Object.assign(new Error('out of memory: the request needs more memory than the wasm heap allows'), { code: 'too_large', param: '' });
              }
              if (crashes.get(run.config.seed) === run.step) {
                crashes.delete(run.config.seed);
                worker.isCrashed = true;
                live.now -= 1;
                throw Object.assign(new Error('the engine crashed: unreachable'), { code: 'worker_crashed', fatal: true });
              }
              if (run.step % run.config.checkpoint_every === 0 || run.step === run.config.steps) run.checkpoints.push(record(run));
            }
            return { step: run.step, steps: run.config.steps, is_done: run.step === run.config.steps, checkpoints: run.checkpoints.length };
          }
          case 'lab_checkpoints': return runs.get(args[0]).checkpoints.slice(args[1]);
          case 'lab_attention': return { step: runs.get(args[0]).step, n: 2, heads: [{ layer: 0, head: 0, matrix: new Float64Array([1, 0, 0.5, 0.5]) }] };
          case 'lab_save': return new Uint8Array([runs.get(args[0]).step]);
          case 'lab_load': {
            const run = runs.get(args[0]);
            run.step = args[1][0];
            run.loaded = run.step;
            run.checkpoints = [record(run)];
            return { step: run.step };
          }
          case 'lab_destroy': live.now -= 1; runs.delete(args[0]); return true;
          case 'lab_set_corpus': return { tokens: args[0].length, symbols: 3 };
          default: throw new Error(`unknown ${method}`);
        }
      },
    };
    made.push(worker);
    return worker;
  };
}

const specs = (seeds, steps = 25, every = 10) => seeds.map((seed) => ({ key: `a/${seed}`, every,
  config: { task: 'copy', steps, checkpoint_every: every, seed } }));

test('nextCheckpointStep: the next multiple of every, or the last step', () => {
  assert.equal(nextCheckpointStep(0, 10, 25), 10);
  assert.equal(nextCheckpointStep(10, 10, 25), 20);
  assert.equal(nextCheckpointStep(20, 10, 25), 25);
  assert.equal(nextCheckpointStep(7, 10, 8), 8);
});

test('secondsLeft: running runs at their rate, queued ones at the mean, on the worker that frees first', () => {
  assert.equal(secondsLeft([{ state: 'queued', step: 0, steps: 10, stepsPerSecond: 0 }], 2), null);
  const runs = [
    { state: 'running', step: 50, steps: 100, stepsPerSecond: 10 },  // 5 s
    { state: 'running', step: 0, steps: 100, stepsPerSecond: 20 },   // 5 s
    { state: 'queued', step: 0, steps: 150, stepsPerSecond: 0 },     // at 15 steps/s: 10 s after 5
    { state: 'done', step: 100, steps: 100, stepsPerSecond: 15 },  // the mean rate: 15 steps/s
  ];
  assert.equal(secondsLeft(runs, 2), 15);
  assert.equal(secondsLeft(runs, 3), 10);  // a free third worker takes the queued run at once
});

test('runs train at most size at once, each to its end, with the same records whatever the size', async () => {
  const results = [];
  for (const size of [1, 2, 5]) {
    const live = { now: 0, max: 0 };
    const pool = new RunPool({ size, makeWorker: fakeWorkerFactory({ live }) });
    await pool.start(specs([1, 2, 3, 4]));
    assert.ok(live.max <= size, `size ${size}: ${live.max} runs at once`);
    assert.equal(live.max, Math.min(size, 4));
    assert.ok(pool.isDone);
    assert.deepEqual(pool.runs.map((run) => run.state), ['done', 'done', 'done', 'done']);
    for (const run of pool.runs) {
      assert.deepEqual(run.records.map((record) => record.step), [0, 10, 20, 25]);
      assert.deepEqual(run.attention.map((attention) => attention.step), [0, 10, 20, 25], 'the attention of every checkpoint');
      assert.ok(run.attention[0].heads[0].matrix instanceof Float32Array);
    }
    results.push(pool.runs.map((run) => run.records));
  }
  assert.deepEqual(results[1], results[0]);
  assert.deepEqual(results[2], results[0]);
});

test('pause stops every run after its chunk; resume finishes them with the records of an unpaused pool', async () => {
  const pool = new RunPool({ size: 2, makeWorker: fakeWorkerFactory() });
  let paused = false;
  const done = pool.start(specs([1, 2, 3], 200, 10));
  while (pool.runs.length === 0 || pool.runs[0].step < 20) await tick();
  pool.pause();
  paused = true;
  for (let k = 0; k < 20; ++k) await tick();
  const frozen = pool.runs.map((run) => run.step);
  for (let k = 0; k < 50; ++k) await tick();
  assert.deepEqual(pool.runs.map((run) => run.step), frozen, 'no run advances while paused');
  assert.ok(pool.runs.some((run) => run.state === 'queued'), 'the third run waits');
  assert.ok(paused && pool.isPaused);
  pool.resume();
  await done;
  const unpaused = new RunPool({ size: 1, makeWorker: fakeWorkerFactory() });
  await unpaused.start(specs([1, 2, 3], 200, 10));
  assert.deepEqual(pool.runs.map((run) => run.records), unpaused.runs.map((run) => run.records));
});

test('a crashed worker is replaced and its run continues from its last checkpoint, no record lost or repeated', async () => {
  const made = [];
  const changes = [];
  const pool = new RunPool({ size: 2, makeWorker: fakeWorkerFactory({ crashes: new Map([[2, 17]]), made }),
    onChange: (run) => changes.push([run.key, run.state]) });
  await pool.start(specs([1, 2, 3]));
  const reference = new RunPool({ size: 1, makeWorker: fakeWorkerFactory() });
  await reference.start(specs([1, 2, 3]));
  assert.deepEqual(pool.runs.map((run) => run.state), ['done', 'done', 'done']);
  assert.deepEqual(pool.runs.map((run) => run.records), reference.runs.map((run) => run.records));
  const crashed = pool.runs[1];
  assert.equal(crashed.restarts, 1);
  assert.deepEqual(crashed.notices.map(({ kind, from }) => [kind, from]), [['crashed', 10]], 'restarted from step 10\'s save');
  assert.equal(made.length, 3, 'two workers and one replacement');
  assert.ok(made.some((worker) => worker.isCrashed));
  assert.ok(changes.some(([key, state]) => key === 'a/2' && state === 'queued'), 'the crashed run is queued again');
});

test('a worker out of memory mid-run is replaced and its run continues from its last checkpoint; given up after 2 restarts, its records kept', async () => {
  const reference = new RunPool({ size: 1, makeWorker: fakeWorkerFactory() });
  await reference.start(specs([1, 2, 3]));
  const made = [];
  const pool = new RunPool({ size: 2, makeWorker: fakeWorkerFactory({ outOfMemory: new Map([[2, { step: 17, times: 1 }]]), made }) });
  await pool.start(specs([1, 2, 3]));
  assert.deepEqual(pool.runs.map((run) => run.state), ['done', 'done', 'done']);
  assert.deepEqual(pool.runs.map((run) => run.records), reference.runs.map((run) => run.records));
  assert.deepEqual(pool.runs[1].notices.map(({ kind, step, from, message }) => [kind, step, from, message]),
    [['memory', 10, 10, 'out of memory: the request needs more memory than the wasm heap allows']]);
  assert.equal(made.length, 3, 'the worker whose heap ran out is replaced');
  // Out of memory in every worker: given up after kMaxRestarts restarts, the records to its last checkpoint kept.
  const always = new RunPool({ size: 2, makeWorker: fakeWorkerFactory({ outOfMemory: new Map([[2, { step: 17, times: Infinity }]]) }) });
  await always.start(specs([1, 2, 3]));
  const failed = always.runs[1];
  assert.deepEqual(always.runs.map((run) => run.state), ['done', 'failed', 'done']);
  assert.equal(failed.error.code, 'too_large');
  assert.equal(failed.notices.length, 3);
  assert.deepEqual(failed.records, reference.runs[1].records.filter((record) => record.step <= 10));
  assert.deepEqual(Array.from(failed.saved), [10], 'its last save');
  // A too_large of lab_start is the settings' (over the memory budget): that run fails at once, no restart.
  const tooLarge = new RunPool({ size: 1, makeWorker: () => ({ ready: Promise.resolve(), isCrashed: false, terminate() {},
    async call(method) {
      if (method === 'lab_start') throw Object.assign(new Error('train needs ~2254 MiB, over the memory budget of 1024 MiB'), { code: 'too_large', param: 'width' });
      throw new Error(`unexpected ${method}`);
    } }) });
  await tooLarge.start(specs([1]));
  assert.equal(tooLarge.runs[0].state, 'failed');
  assert.equal(tooLarge.runs[0].error.param, 'width');
  assert.deepEqual(tooLarge.runs[0].notices, []);
});

test('a crash between a checkpoint\'s records and its save repeats no record', async () => {
  for (const method of ['lab_attention', 'lab_save', 'lab_checkpoints']) {
    const pool = new RunPool({ size: 1, makeWorker: fakeWorkerFactory({ crashOn: { method, step: 20 } }) });
    await pool.start(specs([1]));
    const reference = new RunPool({ size: 1, makeWorker: fakeWorkerFactory() });
    await reference.start(specs([1]));
    assert.equal(pool.runs[0].restarts, 1, method);
    assert.deepEqual(pool.runs[0].records, reference.runs[0].records, method);
    assert.deepEqual(pool.runs[0].attention.map((entry) => entry.step), [0, 10, 20, 25], method);
  }
});

test('a core error fails its run only, with the core\'s message and param', async () => {
  const pool = new RunPool({ size: 2, makeWorker: fakeWorkerFactory() });
  const bad = specs([1, 2]);
  bad[0].config = { ...bad[0].config, steps: 0 };
  await pool.start(bad);
  assert.equal(pool.runs[0].state, 'failed');
  assert.equal(pool.runs[0].error.param, 'steps');
  assert.match(pool.runs[0].error.message, /^steps=0 /);
  assert.equal(pool.runs[1].state, 'done');
});

test('the corpus is loaded once per worker, only for runs that need it', async () => {
  let loads = 0;
  const made = [];
  const pool = new RunPool({ size: 2, makeWorker: fakeWorkerFactory({ made }), loadCorpus: async () => { loads += 1; return new Uint8Array(5); } });
  await pool.start(specs([1, 2, 3, 4]).map((spec, k) => ({ ...spec, needsCorpus: k > 0 })));
  assert.ok(loads >= 1 && loads <= 2, `loads: ${loads}`);
  const setCalls = made.map((worker) => worker.calls.filter((method) => method === 'lab_set_corpus').length);
  assert.ok(setCalls.every((count) => count <= 1), `lab_set_corpus per worker: ${setCalls}`);
});
