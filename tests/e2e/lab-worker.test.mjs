// Browser test of the training lab's worker (web/engine/lab-client.mjs + lab-worker.mjs) in Debian's
// Chromium, on an empty page of web/'s origin (fixtures/engine-harness.html through a route):
// determinism across workers (design-lab.md section 3: two configurations give the same records and the
// same saved run whether they train in two workers at once, with a forced finishing order either way, or
// one after the other in one worker), cancel between chunks (the run stops at a chunk boundary within the chunk in flight
// and one more, its checkpoints kept and equal to the uncancelled run's), and the core's errors with code
// and param through the worker. Uses the copy task (no corpus). ATTNRANK_WEB_ROOT serves another build.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openPage, serveHarness, useBrowser } from './browser.mjs';

const kHarnessPath = '__lab-test__/';
let page;
let problems;
const browser = useBrowser({}, { setUp: openHarness });

async function openHarness(opened) {
  await serveHarness(opened, kHarnessPath);
  ({ page, problems } = await openPage(opened.context, `${opened.serverUrl}${kHarnessPath}harness.html`));
  await page.evaluate(async () => {
    const { LabWorker } = await import('/engine/lab-client.mjs');
    window.LabWorker = LabWorker;
    // One training in `worker`: its records (from the progress messages), its saved bytes, its result.
    window.trainIn = async (worker, config, options = {}) => {
      const records = [];
      const { promise } = worker.train(config, { ...options, onProgress: (p) => records.push(...p.records) });
      const result = await promise;
      const saved = Array.from(await worker.call('lab_save', result.run));
      return { records, saved, result };
    };
  });
}

const kCopy = { task: 'copy', n: 13, width: 16, heads: 2, layers: 2, symbols: 6, min_length: 2, max_length: 6, batch: 4,
  checkpoint_every: 10, heldout_batches: 1 };
const configs = {
  a: { ...kCopy, masks: 'prefix', steps: 40, seed: 3 },
  b: { ...kCopy, masks: 'forward', attention: 'linear', steps: 60, seed: 5 },
};

test('the same seed gives the same run whatever the number of workers or the order they finish', async () => {
  const runs = await page.evaluate(async ({ a, b }) => {
    const one = new LabWorker();
    const two = new LabWorker();
    await Promise.all([one.ready, two.ready]);
    // Two workers at once, a with small chunks so that b finishes first...
    const [a1, b1] = await Promise.all([trainIn(one, a, { chunk: 1 }), trainIn(two, b, { chunk: 30 })]);
    // ...then swapped: b with small chunks, a first; then both in one worker, b before a.
    const [a2, b2] = await Promise.all([trainIn(two, a, { chunk: 40 }), trainIn(one, b, { chunk: 1 })]);
    const solo = new LabWorker();
    const b3 = await trainIn(solo, b, { chunk: 7 });
    const a3 = await trainIn(solo, a, { chunk: 3 });
    // Finishing order forced: both runs advance in turns in their own worker, then `first` runs to its end
    // before `second` takes another step.
    const forced = async (first, second) => {
      const runs = await Promise.all([one.call('lab_start', first), two.call('lab_start', second)]);
      await Promise.all([one.call('lab_advance', runs[0].id, 5), two.call('lab_advance', runs[1].id, 5)]);
      await one.call('lab_advance', runs[0].id, 1000);
      await two.call('lab_advance', runs[1].id, 1000);
      const out = [];
      for (const [worker, run] of [[one, runs[0]], [two, runs[1]]]) {
        out.push({ records: await worker.call('lab_checkpoints', run.id, 0), saved: Array.from(await worker.call('lab_save', run.id)) });
      }
      return out;
    };
    const [a4, b4] = await forced(a, b);
    const [b5, a5] = await forced(b, a);
    for (const worker of [one, two, solo]) worker.terminate();
    return { a: [a1, a2, a3, a4, a5], b: [b1, b2, b3, b4, b5] };
  }, configs);
  assert.equal(runs.a.length, 5);
  for (const [name, [first, ...others]] of Object.entries(runs)) {
    assert.deepEqual(first.records.map((r) => r.step), name === 'a' ? [0, 10, 20, 30, 40] : [0, 10, 20, 30, 40, 50, 60]);
    assert.equal(first.result.cancelled, false);
    for (const other of others) {
      assert.deepEqual(other.records, first.records, `${name}: records differ between workers`);
      assert.deepEqual(other.saved, first.saved, `${name}: saved runs differ between workers`);
    }
  }
  assert.notDeepEqual(runs.a[0].saved, runs.b[0].saved);
  assert.deepEqual(problems, []);
});

test('cancel stops the run within a chunk and keeps its checkpoints', async () => {
  const chunk = 20;
  const { cancelledRun, whole, attention } = await page.evaluate(async ({ config, chunk }) => {
    const worker = new LabWorker();
    await worker.ready;
    const records = [];
    let training;
    const cancelledAt = await new Promise((resolve, reject) => {
      training = worker.train(config, { chunk, onProgress: (p) => {
        records.push(...p.records);
        if (p.step >= 20 && !training.cancelledAt) {
          training.cancelledAt = p.step;
          training.cancel();
          resolve(p.step);
        }
      } });
      training.promise.catch(reject);
    });
    const result = await training.promise;
    const attention = await worker.call('lab_attention', result.run);
    const whole = await trainIn(worker, { ...config, steps: config.steps }, { chunk: 500 });
    worker.terminate();
    return { cancelledRun: { records, result, cancelledAt }, whole: whole.records, attention: { step: attention.step, heads: attention.heads.length } };
  }, { config: { ...kCopy, masks: 'prefix', steps: 600, seed: 7 }, chunk });
  const { records, result, cancelledAt } = cancelledRun;
  assert.equal(result.cancelled, true);
  assert.equal(result.step % chunk, 0, 'a run stops between chunks');
  assert.ok(result.step >= cancelledAt && result.step <= cancelledAt + 2 * chunk,
    `cancelled at step ${cancelledAt}, stopped at ${result.step} (chunk ${chunk})`);
  assert.ok(result.step < 600);
  // The checkpoints before the stop are the uncancelled run's; the last one is the last state.
  const last = records.at(-1);
  assert.ok(last.step <= result.step && result.step - last.step < 10);
  assert.deepEqual(records.filter((r) => r.step % 10 === 0), whole.filter((r) => r.step <= last.step && r.step % 10 === 0));
  assert.equal(attention.step, last.step);
  assert.equal(attention.heads, 4);
  assert.deepEqual(problems, []);
});

test('errors come back with the core\'s code, message and param', async () => {
  const errors = await page.evaluate(async (config) => {
    const worker = new LabWorker();
    await worker.ready;
    const settle = (promise) => promise.then(() => null, (e) => ({ message: e.message, code: e.code, param: e.param }));
    const out = [
      await settle(worker.train({ ...config, heads: 3 }).promise),
      await settle(worker.train({ ...config, task: 'sorting' }).promise),
      await settle(worker.call('lab_start', { ...config, steps: 0 })),
      await settle(worker.call('lab_start', { task: 'mlm' })),
      await settle(worker.call('analyze', {})),
    ];
    worker.terminate();
    return out;
  }, kCopy);
  assert.deepEqual(errors[0], { message: 'heads=3 must divide width=16', code: 'invalid_argument', param: 'heads' });
  assert.equal(errors[1].param, 'task');
  assert.match(errors[1].message, /^task=sorting is unknown/);
  assert.deepEqual(errors[2], { message: 'steps=0 must be in [1, 10000000]', code: 'invalid_argument', param: 'steps' });
  assert.equal(errors[3].param, 'corpus');
  assert.match(errors[3].message, /r-cran-janeaustenr/);
  assert.deepEqual(errors[4], { message: 'method=analyze is unknown', code: 'invalid_argument', param: 'method' });
  assert.deepEqual(problems, []);
});

test('a lab worker that crashes fails every call in flight and every later one with worker_crashed', { timeout: 60_000 }, async () => {
  await page.evaluate(() => {
    window.crashing = new LabWorker();
    return window.crashing.ready;
  });
  const [target] = page.workers().filter((worker) => worker.url().includes('lab-worker')).slice(-1);
  const started = await page.evaluate((config) => window.crashing.call('lab_start', config).then((value) => value.id), { ...kCopy, steps: 100000 });
  // Its next answer throws in the worker: an uncaught error, the worker's error event in the page.
  await target.evaluate(() => { self.postMessage = () => { throw new Error('simulated lab worker crash (lab-worker.test.mjs)'); }; });
  const outcome = await page.evaluate(async (id) => {
    const settle = (promise) => promise.then(() => null, (e) => ({ code: e.code, message: e.message }));
    const inFlight = await settle(window.crashing.call('lab_advance', id, 1));
    const later = await settle(window.crashing.call('lab_checkpoints', id, 0));
    const isCrashed = window.crashing.isCrashed;
    window.crashing.terminate();
    return { inFlight, later, isCrashed };
  }, started);
  assert.equal(outcome.inFlight?.code, 'worker_crashed');
  assert.deepEqual(outcome.later, { code: 'worker_crashed', message: 'the lab worker crashed earlier' });
  assert.equal(outcome.isCrashed, true);
  const expected = problems.filter((problem) => !problem.includes('simulated lab worker crash'));
  assert.deepEqual(expected, []);
  problems.length = 0;
});

test('a worker terminated while it loads fails `ready` with cancelled, so a pool disposed then returns', async () => {
  const outcome = await page.evaluate(async (config) => {
    const { RunPool } = await import('/lab/run-pool.mjs');
    // What settles within 10 s: before the fix, a terminated worker's `ready` never did.
    const within = (promise) => Promise.race([promise, new Promise((resolve) => { setTimeout(() => resolve('still waiting'), 10_000); })]);
    const worker = new LabWorker();
    worker.terminate();
    const ready = await within(worker.ready.then(() => 'ready', (error) => error.code));
    const pool = new RunPool({ size: 1, makeWorker: (module) => new LabWorker({ module }) });
    const started = pool.start([{ key: 'a', config, steps: config.steps, every: config.checkpoint_every }]);
    pool.dispose();  // the pool's first worker is still loading
    const pooled = await within(started.then(() => 'returned', (error) => `threw ${error.code}`));
    return { ready, pooled, state: pool.runs[0].state };
  }, configs.a);
  assert.equal(outcome.ready, 'cancelled');
  assert.equal(outcome.pooled, 'returned');
  assert.notEqual(outcome.state, 'done');
  assert.deepEqual(problems, []);
});
