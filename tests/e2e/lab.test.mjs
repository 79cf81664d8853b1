// Browser tests of the training lab page (web/lab.html, issue 18) in Debian's Chromium: a preset at tiny
// size trains every configuration to its end and its records (exported as the runs' JSON) are the native
// CLI's for the same options and seed (`attnrank train --configs task`, run from the test: the training's
// numbers bit for bit, each head's rank statistics of the probe attention within the native-vs-wasm SVD
// tolerances of tests/node/wasm-cli-parity.test.mjs, since the two builds' SIMD paths round the double SVD
// differently: seen up to 1.4e-15 relative, sigma_min of a linear prefix head 2e-9 relative, i.e. within
// 1e-12 sigma_max); Stop pauses
// every run (no step taken while stopped) and Resume finishes them with the same records; a lab worker
// crashed mid-run, or whose module runs out of memory mid-run, is replaced and its run continues from its last
// checkpoint, records unchanged; settings over the memory budget show the core's too_large beside the control
// it names; closing the tab while a run is unfinished asks first (beforeunload); a corpus
// task loads the shipped corpus (wasm/austen.txt) and equals the CLI with the build's corpus; the URL holds
// every setting and a bad one shows the core's message beside its control; no console error or CSP
// violation anywhere. ATTNRANK_CLI: another build's attnrank (default build/native).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { before, test } from 'node:test';

import { openPage, root, useBrowser } from './browser.mjs';

const cliPath = process.env.ATTNRANK_CLI ? path.resolve(process.env.ATTNRANK_CLI) : path.join(root, 'build', 'native', 'attnrank');
const kSimulated = 'simulated lab worker crash (tests/e2e/lab.test.mjs)';

const browser = useBrowser({ viewport: { width: 1280, height: 1000 } });
before(() => {
  assert.ok(existsSync(cliPath), `${cliPath} is missing: build natively (cmake -S . -B build/native)`);
});

// The page at lab.html?settings, collecting problems and CSP violations.
async function openLab(settings) {
  const query = new URLSearchParams(Object.entries(settings).map(([key, value]) => [key, String(value)]));
  const opened = await openPage(browser.context, `${browser.serverUrl}lab.html?${query}`, { collectCspViolations: true });
  await opened.page.waitForSelector('body[data-lab-state="ready"]', { timeout: 60_000 });
  return opened;
}

// Without a gallery in this tree (web/lab/gallery/, docs/lab-gallery.md) a page at the default settings
// asks for its index and gets a 404; that, and only that, is expected then.
const hasGallery = existsSync(path.join(root, 'web', 'lab', 'gallery', 'index.json'));
const kNoGallery = hasGallery ? [] : ['lab/gallery/index.json', 'status of 404'];

async function assertClean(page, problems, expected = []) {
  const unexpected = problems.filter((problem) => ![...expected, ...kNoGallery].some((words) => problem.includes(words)));
  assert.deepEqual(unexpected, [], 'no console error, page error or failed request');
  assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'no CSP violation');
}

// The bytes and file name of an export button's download.
async function exported(page, which) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-export="${which}"]`)]);
  return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
}

// The runs' records as the page exports them (the "runs (JSON)" button).
async function exportedRuns(page) {
  return JSON.parse((await exported(page, 'run')).bytes.toString('utf8')).runs;
}

// `attnrank train` with the page's settings: the task's configurations (--configs task) and the seeds;
// configuration -> records (JSONL objects).
function cliRuns(task, settings) {
  const args = ['train', '--task', task, '--configs', 'task', '--quiet'];
  for (const [key, value] of Object.entries(settings)) {
    if (key === 'experiment') continue;
    args.push(`--${key.replaceAll('_', '-')}`, String(value));
  }
  const run = spawnSync(cliPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(run.status, 0, `attnrank ${args.join(' ')}: ${run.stderr}`);
  const byRun = new Map();
  for (const line of run.stdout.trim().split('\n')) {
    const record = JSON.parse(line);
    const key = `${record.config}/${record.seed}`;
    if (!byRun.has(key)) byRun.set(key, []);
    byRun.get(key).push(record);
  }
  return byRun;
}

// Where two records first differ, in words (the assertion's message: a deep diff of records is unreadable).
function firstDifference(a, b, at = '') {
  if (Object.is(a, b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference(a[key], b[key], `${at}.${key}`);
      if (found) return found;
    }
    return null;
  }
  return `${at}: page ${JSON.stringify(a)}, CLI ${JSON.stringify(b)}`;
}

// The heads' statistics that come from the double SVD (native and wasm round it differently); the rest of a
// record (the training's losses, accuracy, learning rate, baseline, integers, flags) must be the same bits.
const kSvdKeys = new Set(['effective_rank', 'stable_rank', 'sigma_max', 'sigma_min', 'accuracy_floor', 'condition_number',
  'log_abs_det']);
const kSingularValue = 1e-12;  // x sigma_max: singular values (wasm-cli-parity's f64 tolerance)
const kRelative = 1e-9;

function headClose(key, a, b, head) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'number' || typeof b !== 'number') return false;
  const absolute = kSingularValue * head.sigma_max;
  if (key === 'sigma_min' || key === 'accuracy_floor' || key === 'sigma_max') return Math.abs(a - b) <= absolute;
  if (key === 'condition_number') return Math.abs(1 / a - 1 / b) <= kSingularValue;
  if (key === 'log_abs_det') return !head.log_abs_det_is_reliable || Math.abs(a - b) <= kRelative * Math.max(1, Math.abs(b)) + head.n * kSingularValue * head.condition_number;
  return Math.abs(a - b) <= kRelative * Math.max(Math.abs(a), Math.abs(b));
}

// The records' first difference beyond those tolerances, in words, or null.
function recordsDifference(pageRecords, cliRecords, n) {
  const exact = (a, b) => firstDifference(a, b);
  if (pageRecords.length !== cliRecords.length) return `${pageRecords.length} records, CLI ${cliRecords.length}`;
  for (let r = 0; r < pageRecords.length; ++r) {
    const { heads: pageHeads, ...page } = pageRecords[r];
    const { heads: cliHeads, ...cli } = cliRecords[r];
    const found = exact(page, cli);
    if (found) return `record ${r}${found}`;
    if (pageHeads.length !== cliHeads.length) return `record ${r}: ${pageHeads.length} heads, CLI ${cliHeads.length}`;
    for (let h = 0; h < pageHeads.length; ++h) {
      const keys = new Set([...Object.keys(pageHeads[h]), ...Object.keys(cliHeads[h])]);
      for (const key of keys) {
        const [a, b] = [pageHeads[h][key], cliHeads[h][key]];
        const isSame = kSvdKeys.has(key) ? headClose(key, a, b, { ...cliHeads[h], n }) : Object.is(a, b);
        if (!isSame) return `record ${r} (step ${cli.step}) head ${h} ${key}: page ${a}, CLI ${b}`;
      }
    }
  }
  return null;
}

function assertSameAsCli(pageRuns, cli, what) {
  assert.deepEqual(pageRuns.map((run) => run.key).sort(), [...cli.keys()].sort(), `${what}: the same runs`);
  for (const run of pageRuns) {
    assert.equal(run.state, 'done', `${what}: ${run.key} ran to its end`);
    const difference = recordsDifference(run.records, cli.get(run.key), run.config.n);
    assert.equal(difference, null, `${what}: ${run.key}'s records are the CLI's; first difference at ${difference}`);
  }
}

const kTiny = { experiment: 'copy', seeds: '1,2', steps: 20, n: 13, width: 16, heads: 2, layers: 1, batch: 4, checkpoint_every: 10,
  heldout_batches: 1 };

test('a tiny preset trains every configuration x seed to its end with the CLI\'s records', { timeout: 180_000 }, async () => {
  const { page, problems } = await openLab(kTiny);
  await page.click('#lab-run');
  await page.waitForSelector('body[data-lab-state="done"]', { timeout: 150_000 });
  const runs = await exportedRuns(page);
  assert.ok(runs.length >= 4, `configurations x 2 seeds: ${runs.length} runs`);
  assertSameAsCli(runs, cliRuns('copy', { ...kTiny, seeds: '1,2' }), 'copy');
  // The figures: a curve per configuration, a heatmap per head at the last checkpoint, four rank charts.
  assert.match(await page.getAttribute('#lab-curves-chart canvas', 'aria-label'), /against/);
  assert.equal(await page.locator('#lab-heads canvas.heatmap').count(), 2);
  assert.equal(await page.locator('#lab-rank-charts figure').count(), 4);
  assert.match(await page.textContent('#lab-status'), /All \d+ runs done/);
  // The other exports: the curves as CSV (a row per run and checkpoint), the attention as .npy (the core's
  // write_npy: heads x n rows), the chart as PNG.
  const csv = (await exported(page, 'csv')).bytes.toString('utf8').trim().split('\n');
  assert.equal(csv.length, 1 + runs.reduce((sum, run) => sum + run.records.length, 0));
  const npy = await exported(page, 'npy');
  assert.equal(npy.bytes.subarray(0, 6).toString('latin1'), '\x93NUMPY');
  assert.match(npy.bytes.toString('latin1', 10, 128), /'shape': \(26, 13\)/);
  assert.match(npy.name, /step20-attention-2x13x13\.npy$/);
  assert.deepEqual([...(await exported(page, 'png')).bytes.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  await assertClean(page, problems);
  await page.close();
});

test('Stop pauses every run; Resume finishes them with the CLI\'s records', { timeout: 240_000 }, async () => {
  const settings = { ...kTiny, seeds: '1', steps: 3000, checkpoint_every: 100 };
  const { page, problems } = await openLab(settings);
  await page.click('#lab-run');
  await page.waitForFunction(() => Number(document.getElementById('lab-progress').value) > 0.02, null, { timeout: 120_000 });
  await page.waitForFunction(() => /about .* left/.test(document.getElementById('lab-status').textContent), null, { timeout: 30_000 });
  await page.click('#lab-stop');
  await page.waitForSelector('body[data-lab-state="paused"]');
  await page.waitForTimeout(600);  // the chunks in flight end
  const stopped = await page.evaluate(() => Number(document.getElementById('lab-progress').value));
  await page.waitForTimeout(1500);
  assert.equal(await page.evaluate(() => Number(document.getElementById('lab-progress').value)), stopped, 'no step while stopped');
  assert.ok(stopped < 1, `stopped before the end (${stopped})`);
  assert.match(await page.textContent('#lab-status'), /Stopped/);
  await page.click('#lab-resume');
  await page.waitForSelector('body[data-lab-state="done"]', { timeout: 200_000 });
  assertSameAsCli(await exportedRuns(page), cliRuns('copy', settings), 'stopped and resumed');
  await assertClean(page, problems);
  await page.close();
});

test('a crashed lab worker is replaced and its run continues from its last checkpoint', { timeout: 240_000 }, async () => {
  const settings = { ...kTiny, seeds: '1', steps: 3000, checkpoint_every: 100 };
  const { page, problems } = await openLab(settings);
  await page.click('#lab-run');
  await page.waitForFunction(() => Number(document.getElementById('lab-progress').value) > 0.05, null, { timeout: 120_000 });
  // The page's own (first) lab worker is not a run's; crash the others on their next answer.
  const labWorkers = page.workers().filter((worker) => worker.url().includes('lab-worker'));
  assert.ok(labWorkers.length >= 2, `lab workers: ${labWorkers.length}`);
  await labWorkers[1].evaluate((message) => { self.postMessage = () => { throw new Error(message); }; }, kSimulated);
  await page.waitForSelector('#lab-notices li', { timeout: 60_000 });
  assert.match(await page.textContent('#lab-notices'), /crashed at step \d+ and was replaced; the run continues from its checkpoint at step \d+/);
  await page.waitForSelector('body[data-lab-state="done"]', { timeout: 200_000 });
  assertSameAsCli(await exportedRuns(page), cliRuns('copy', settings), 'crashed and continued');
  await assertClean(page, problems, [kSimulated]);
  await page.close();
});

// js_boundary.cpp's words for a std::bad_alloc (the wasm heap could not grow), code too_large, no param.
const kOutOfMemory = 'out of memory: the request needs more memory than the wasm heap allows';

test('a lab worker out of memory mid-run is reported, replaced, and its run continues from its last checkpoint', { timeout: 240_000 }, async () => {
  const settings = { ...kTiny, seeds: '1', steps: 3000, checkpoint_every: 100 };
  const { page, problems } = await openLab(settings);
  await page.click('#lab-run');
  await page.waitForFunction(() => Number(document.getElementById('lab-progress').value) > 0.05, null, { timeout: 120_000 });
  // A run's worker answers its next lab_advance (or lab_load: { step, steps, is_done, checkpoints }) with the
  // module's out-of-memory error, as a heap that cannot grow makes it (the page's own worker is the first).
  const labWorkers = page.workers().filter((worker) => worker.url().includes('lab-worker'));
  assert.ok(labWorkers.length >= 2, `lab workers: ${labWorkers.length}`);
  await labWorkers[1].evaluate((message) => {
    const post = self.postMessage.bind(self);
    let isArmed = true;
    self.postMessage = (data, transfer) => {
      if (isArmed && data?.ok && data.value && typeof data.value === 'object' && 'is_done' in data.value) {
        isArmed = false;
        return post({ id: data.id, ok: false, error: { message, code: 'too_large', param: '' } });
      }
      return post(data, transfer);
    };
  }, kOutOfMemory);
  await page.waitForSelector('#lab-notices li', { timeout: 60_000 });
  const notice = await page.textContent('#lab-notices');
  assert.match(notice, /ran out of memory at step \d+ \(out of memory: the request needs more memory than the wasm heap allows\) and was replaced; the run continues from its checkpoint at step \d+/);
  const [, step, from] = notice.match(/at step (\d+) .* at step (\d+)/).map(Number);
  assert.ok(from <= step && step - from <= settings.checkpoint_every, `step ${step}, its last checkpoint ${from}`);
  await page.waitForSelector('body[data-lab-state="done"]', { timeout: 200_000 });
  assertSameAsCli(await exportedRuns(page), cliRuns('copy', settings), 'out of memory and continued');
  await assertClean(page, problems);
  await page.close();
});

test('settings over the memory budget: the core\'s message beside the control it names, nothing starts', { timeout: 120_000 }, async () => {
  const { page, problems } = await openLab({ experiment: 'copy', seeds: '1', steps: 10, width: 1024, heads: 4, layers: 8 });
  await page.click('#lab-run');
  await page.waitForFunction(() => !document.getElementById('lab-error-width').hidden, null, { timeout: 60_000 });
  // The core's too_large (lab/run_memory.cpp), refused before anything of the run is allocated.
  assert.match(await page.textContent('#lab-error-width'),
    /^train needs ~\d+ MiB, over the memory budget of 1024 MiB \(weights and AdamW \d+, activations \d+, f64 probe \d+, checkpoints \d+ MiB\): lower width or layers$/);
  assert.equal(await page.getAttribute('#lab-control-width', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('body', 'data-lab-state'), 'ready');
  assert.equal(page.workers().filter((worker) => worker.url().includes('lab-worker')).length, 1, 'only the page\'s own worker');
  await assertClean(page, problems);
  await page.close();
});

test('closing the tab while a run is unfinished asks first, as the page says', { timeout: 120_000 }, async () => {
  const { page, problems } = await openLab({ ...kTiny, seeds: '1', steps: 1000 });
  assert.match(await page.textContent('[data-i18n="lab.tab_note"]'), /closing or reloading it ends them, and while a run is unfinished the browser asks first/);
  await page.click('#lab-run');
  await page.waitForFunction(() => document.body.dataset.labState === 'running' || !document.getElementById('lab-warning').hidden, null, { timeout: 60_000 });
  if (await page.isVisible('#lab-warning')) await page.click('#lab-warning-start');  // a 2-core machine asks first
  await page.waitForSelector('body[data-lab-state="running"]', { timeout: 60_000 });
  const dialog = new Promise((resolve) => { page.once('dialog', (opened) => { resolve(opened.type()); opened.dismiss(); }); });
  await page.close({ runBeforeUnload: true });
  assert.equal(await dialog, 'beforeunload');
  assert.equal(page.isClosed(), false, 'dismissed: the tab stays');
  assert.equal(await page.getAttribute('body', 'data-lab-state'), 'running');
  await assertClean(page, problems);
  await page.close();
});

test('a corpus task loads the shipped corpus and gives the CLI\'s records', { timeout: 180_000 }, async () => {
  assert.ok(existsSync(path.join(root, 'web', 'wasm', 'austen.txt')), 'web/wasm/austen.txt: build-wasm.sh ships the corpus');
  const settings = { experiment: 'prefix', seeds: '1', steps: 10, n: 16, width: 16, heads: 2, layers: 1, batch: 2, checkpoint_every: 5,
    heldout_batches: 1 };
  const { page, problems } = await openLab(settings);
  await page.click('#lab-run');
  await page.waitForSelector('body[data-lab-state="done"]', { timeout: 150_000 });
  assertSameAsCli(await exportedRuns(page), cliRuns('prefix', settings), 'prefix (corpus)');
  await assertClean(page, problems);
  await page.close();
});

test('the URL holds every setting, a reload keeps them, a bad one shows the core\'s message beside its control', { timeout: 120_000 }, async () => {
  const settings = { experiment: 'mqar', seeds: '4,5', steps: 50, width: 32, learning_rate: 0.002, compare: 1, loss_log: 0, lang: 'zh' };
  const { page, problems } = await openLab(settings);
  assert.equal(await page.inputValue('#lab-control-experiment'), 'mqar');
  assert.equal(await page.inputValue('#lab-control-seeds'), '4,5');
  assert.equal(await page.inputValue('#lab-control-steps'), '50');
  assert.equal(await page.inputValue('#lab-control-learning_rate'), '0.002');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  // The links to the explorer and the essay keep the language.
  const links = await page.$$eval('a[href^="index.html"], a[href^="essay.html"]', (elements) => elements.map((element) => element.getAttribute('href')));
  assert.ok(links.length >= 4);
  for (const href of links) assert.match(href, /^(index|essay)\.html\?lang=zh$/);
  assert.equal(new URL(page.url()).search, `?${new URLSearchParams(Object.entries(settings).map(([k, v]) => [k, String(v)]))}`);
  // A change goes into the URL and survives a reload.
  await page.fill('#lab-control-steps', '70');
  await page.press('#lab-control-steps', 'Tab');
  assert.equal(new URL(page.url()).searchParams.get('steps'), '70');
  await page.reload();
  await page.waitForSelector('body[data-lab-state="ready"]');
  assert.equal(await page.inputValue('#lab-control-steps'), '70');
  // Out of range: the core's words beside the control, the URL keeps the last good value.
  await page.fill('#lab-control-steps', '0');
  await page.press('#lab-control-steps', 'Tab');
  assert.match(await page.textContent('#lab-error-steps'), /^steps=0 must be in \[1, 10000000\]$/);
  assert.equal(new URL(page.url()).searchParams.get('steps'), '70');
  // A value only the core can refuse (heads must divide width): its message at Run, beside heads.
  await page.fill('#lab-control-heads', '3');
  await page.press('#lab-control-heads', 'Tab');
  await page.click('#lab-run');
  await page.waitForFunction(() => !document.getElementById('lab-error-heads').hidden);
  // The core's words, its parameter names read as the controls' labels (url-state.mjs readerMessage).
  assert.equal(await page.textContent('#lab-error-heads'), '头数 H=3 must divide 宽度 D=32');
  await assertClean(page, problems);
  await page.close();
});

test('on a small device a long training asks first; Cancel starts nothing', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(browser.context, 'about:blank', { collectCspViolations: true });
  await page.addInitScript(() => { Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 2 }); });
  await page.goto(`${browser.serverUrl}lab.html?experiment=copy`);  // the default sizes: 1,500 steps x 12 runs
  await page.waitForSelector('body[data-lab-state="ready"]', { timeout: 60_000 });
  await page.click('#lab-run');
  await page.waitForSelector('#lab-warning:not([hidden])', { timeout: 60_000 });
  assert.match(await page.textContent('#lab-warning-text'), /^This trains 12 runs of 1500 steps: about [\d.]+ (s|min) on this device \(2 workers, 2 cores\)\. Start anyway\?$/);
  await page.click('#lab-warning-cancel');
  assert.equal(await page.isHidden('#lab-warning'), true);
  assert.equal(await page.getAttribute('body', 'data-lab-state'), 'ready');
  assert.equal(page.workers().filter((worker) => worker.url().includes('lab-worker')).length, 1, 'only the page\'s own worker');
  await assertClean(page, problems);
  await page.close();
});

test('the lab opens with the gallery\'s runs, and "Rerun in your browser" gives the gallery\'s first records', { timeout: 240_000,
  skip: !hasGallery && 'no gallery in this tree yet (web/lab/gallery/)' }, async () => {
  const gallery = JSON.parse(await readFile(path.join(root, 'web', 'lab', 'gallery', 'copy.json'), 'utf8'));
  const { page, problems } = await openLab({ experiment: 'copy' });
  await page.waitForSelector('body[data-gallery="copy"]', { timeout: 30_000 });
  assert.match(await page.textContent('#lab-status'), new RegExp(`^Showing the gallery: ${gallery.runs.length} reference runs`));
  assert.match(await page.getAttribute('#lab-curves-chart canvas', 'aria-label'), /against/);
  assert.ok(await page.locator('#lab-heads canvas.heatmap').count() > 0, 'the gallery\'s attention');
  assert.ok(await page.locator('#lab-verdicts li').count() > 0, 'the gallery\'s verdicts');
  assert.equal(await page.textContent('#lab-run'), 'Rerun in your browser');
  // Rerun (a 2-core device asks first), stop once the first runs have their first trained checkpoint, and
  // compare what they recorded with the gallery's records of the same runs.
  await page.click('#lab-run');
  const warned = await page.waitForSelector('#lab-warning:not([hidden])', { timeout: 60_000 }).then(() => true, () => false);
  if (warned) await page.click('#lab-warning-start');
  await page.waitForFunction(() => document.body.dataset.labState === 'running');
  // body[data-lab-records]: each run's records so far, in run order.
  await page.waitForFunction(() => (document.body.dataset.labRecords ?? '').split(',').filter((count) => Number(count) >= 2).length >= 2,
    null, { timeout: 180_000 });
  await page.click('#lab-stop');
  const runs = (await exportedRuns(page)).filter((run) => run.records.length >= 2);
  assert.ok(runs.length >= 2);
  for (const run of runs) {
    const reference = gallery.runs.find((entry) => `${entry.config}/${entry.seed}` === run.key);
    const difference = recordsDifference(run.records.slice(0, 2), reference.records.slice(0, 2), gallery.options.n);
    assert.equal(difference, null, `${run.key}: the rerun's first records are the gallery's; first difference at ${difference}`);
  }
  await assertClean(page, problems);
  await page.close();
});

test('under prefers-reduced-motion the figures refresh at most about once a second', { timeout: 180_000 }, async () => {
  const settings = { ...kTiny, seeds: '1', steps: 5000, checkpoint_every: 10 };
  const { page, problems } = await openPage(browser.context, 'about:blank', { collectCspViolations: true });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  // Every change of the status line (each render writes it) with its time.
  await page.addInitScript(() => {
    window.statusTimes = [];
    document.addEventListener('DOMContentLoaded', () => {
      new MutationObserver(() => window.statusTimes.push(performance.now()))
        .observe(document.getElementById('lab-status'), { childList: true, characterData: true, subtree: true });
    });
  });
  await page.goto(`${browser.serverUrl}lab.html?${new URLSearchParams(settings)}`);
  await page.waitForSelector('body[data-lab-state="ready"]', { timeout: 60_000 });
  const from = await page.evaluate(() => performance.now());
  await page.click('#lab-run');
  await page.waitForSelector('body[data-lab-state="done"]', { timeout: 150_000 });
  const times = await page.evaluate((start) => window.statusTimes.filter((time) => time > start), from);
  // The first change is Run's own 'Checking the settings…' (the preflight's time follows it); then renders.
  const gaps = times.slice(2).map((time, k) => time - times[k + 1]).filter((gap) => gap > 1);
  assert.ok(gaps.length >= 3, `status changes while training: ${gaps.length + 1}`);
  assert.ok(Math.min(...gaps) >= 900, `the shortest gap between refreshes: ${Math.min(...gaps).toFixed(0)} ms`);
  await assertClean(page, problems);
  await page.close();
});

test('axe-core finds no accessibility violation on the lab after a run, light en and dark zh', { timeout: 180_000 }, async () => {
  const axeSource = await readFile(path.join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  for (const [lang, colorScheme] of [['en', 'light'], ['zh', 'dark']]) {
    const { page, problems } = await openPage(browser.context, 'about:blank', { collectCspViolations: true });
    await page.emulateMedia({ colorScheme });
    await page.goto(`${browser.serverUrl}lab.html?${new URLSearchParams({ ...kTiny, lang, compare: '1' })}`);
    await page.waitForSelector('body[data-lab-state="ready"]', { timeout: 60_000 });
    await page.click('#lab-run');
    await page.waitForSelector('body[data-lab-state="done"]', { timeout: 150_000 });
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const result = await globalThis.axe.run(document, { resultTypes: ['violations'] });
      return result.violations.flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' >> ')}`));
    });
    assert.deepEqual(violations, [], `${lang} ${colorScheme}`);
    await assertClean(page, problems);
    await page.close();
  }
});

test('a bad URL value shows its message beside the control and the default stays', { timeout: 60_000 }, async () => {
  const { page, problems } = await openLab({ steps: 'abc', experiment: 'nope' });
  assert.match(await page.textContent('#lab-error-steps'), /steps="abc" must be an integer number/);
  assert.match(await page.textContent('#lab-error-experiment'), /experiment=nope/);
  await assertClean(page, problems);
  await page.close();
});
