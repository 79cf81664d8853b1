// <attn-figure kind="train"> (issue 18 item 5) in Debian's Chromium, on host pages served from web/'s origin
// under the strict CSP: the gallery's runs are drawn at once with no lab worker started (data-state done,
// attn-figure-done with source 'gallery', the curves' last values the gallery's own); the attention and rank
// views and the Chinese words; with `autorun` a tiny training runs to its end in lab workers, fires
// attn-figure-done (kind, ms, source 'run') and shows the native CLI's numbers for the same options; without
// it, settings that have no gallery wait for Run (data-state held), and Run trains; a bad attribute shows the
// core's message naming the attribute; under prefers-reduced-motion a training redraws at most about once a
// second, and Stop ends it; a page with one figure of another kind loads none of the lab's code;
// no console error, failed request or CSP violation anywhere. ATTNRANK_CLI: another build's attnrank.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import { contentSecurityPolicy } from '../../scripts/static-server.mjs';
import { openPage, root, useBrowser } from './browser.mjs';

const cliPath = process.env.ATTNRANK_CLI ? path.resolve(process.env.ATTNRANK_CLI) : path.join(root, 'build', 'native', 'attnrank');
const kTimeout = 120_000;
const hosts = new Map();  // name -> the body of a host page

// A host page: the embed's one script, then `figures` (HTML text of the body).
function hostPage(name, figures, lang = 'en') {
  hosts.set(name, `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${name}</title>
<link rel="icon" href="/favicon.svg"><script type="module" src="/attnrank.mjs"></script></head>
<body><h1>A post</h1><h2>Training</h2>${figures}</body></html>\n`);
  return `${browser.serverUrl}train-host/${name}.html`;
}

const browser = useBrowser({ viewport: { width: 1000, height: 1000 } }, {
  setUp: async ({ context }) => {
    await context.route((url) => url.pathname.startsWith('/train-host/'), (route) => {
      const name = path.basename(new URL(route.request().url()).pathname, '.html');
      return route.fulfill({ status: 200, body: hosts.get(name) ?? '',
        headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': contentSecurityPolicy } });
    });
  },
});

before(() => {
  assert.ok(existsSync(cliPath), `${cliPath} is missing: build natively (cmake -S . -B build/native)`);
});

// Opens a host page, recording its workers, requests and attn-figure-done events (window.doneEvents).
async function open(url, { reducedMotion = null } = {}) {
  const { page, problems } = await openPage(browser.context, 'about:blank', { collectCspViolations: true });
  if (reducedMotion) await page.emulateMedia({ reducedMotion });
  const workers = [];
  const requests = [];
  page.on('worker', (worker) => workers.push(new URL(worker.url()).pathname));
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await page.addInitScript(() => {
    window.doneEvents = [];
    document.addEventListener('attn-figure-done', (event) => window.doneEvents.push({ id: event.target.id, ...event.detail }));
  });
  await page.goto(url);
  return { page, problems, workers, requests };
}

async function assertClean({ page, problems }) {
  assert.deepEqual(problems, [], 'no console error, page error or failed request');
  assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'no CSP violation');
}

const waitForState = (page, id, states) => page.waitForFunction(({ id, states }) =>
  states.includes(document.getElementById(id)?.dataset.state), { id, states }, { timeout: kTimeout });

// What a train figure shows: its data-* (train-figure.mjs #dataForReaders), status, buttons, charts.
function figureFacts(page, id) {
  return page.evaluate((id) => {
    const figure = document.getElementById(id);
    const root = figure.shadowRoot;
    const train = root.querySelector('.train');
    return {
      state: figure.dataset.state, error: figure.dataset.error ?? null, errorParam: figure.dataset.errorParam ?? null,
      source: train?.dataset.source ?? null, last: train?.dataset.last ? JSON.parse(train.dataset.last) : null,
      caption: root.querySelector('.caption')?.textContent ?? '', status: root.querySelector('.train-status')?.textContent ?? '',
      run: root.querySelector('[data-action="run"]')?.textContent ?? null,
      headings: [...root.querySelectorAll('h3, h4')].map((heading) => heading.textContent),
      charts: [...root.querySelectorAll('.lab-plot canvas')].map((canvas) => canvas.getAttribute('aria-label')),
      summaries: [...root.querySelectorAll('.chart-summary')].map((summary) => summary.textContent),
      tables: root.querySelectorAll('details.chart-data').length,
      heatmaps: root.querySelectorAll('canvas.heatmap').length,
      verdicts: [...root.querySelectorAll('.lab-verdict')].map((item) => item.dataset.verdict),
    };
  }, id);
}

// The gallery's mean over seeds of the metric's last value, per configuration.
async function galleryLast(experiment, metric) {
  const gallery = JSON.parse(await readFile(path.join(root, 'web', 'lab', 'gallery', `${experiment}.json`), 'utf8'));
  const byConfig = {};
  for (const run of gallery.runs) (byConfig[run.config] ??= []).push(run.curve[metric].at(-1));
  return Object.fromEntries(Object.entries(byConfig).map(([config, values]) => [config, values.reduce((sum, value) => sum + value, 0) / values.length]));
}

// `attnrank train` for the task's configurations with these options: configuration -> its last record.
function cliLast(task, options) {
  const args = ['train', '--task', task, '--configs', 'task', '--quiet'];
  for (const [key, value] of Object.entries(options)) args.push(`--${key.replaceAll('_', '-')}`, String(value));
  const run = spawnSync(cliPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(run.status, 0, `attnrank ${args.join(' ')}: ${run.stderr}`);
  const last = {};
  for (const line of run.stdout.trim().split('\n')) {
    const record = JSON.parse(line);
    last[record.config] = record;
  }
  return last;
}

describe('<attn-figure kind="train">', () => {
  test('shows the gallery at once: no lab worker, data-state done, the gallery\'s numbers, views and words', async () => {
    const url = hostPage('gallery', `<attn-figure id="curves" kind="train" experiment="prefix"></attn-figure>
<attn-figure id="attention" kind="train" experiment="order" view="attention" configuration="mix-heads:softmax" theme="dark"></attn-figure>
<attn-figure id="rank" kind="train" experiment="order" view="rank" lang="zh"></attn-figure>`);
    const opened = await open(url);
    const { page, workers } = opened;
    for (const id of ['curves', 'attention', 'rank']) {
      await page.evaluate((id) => document.getElementById(id).scrollIntoView(), id);
      await waitForState(page, id, ['done', 'error']);
    }
    const curves = await figureFacts(page, 'curves');
    assert.equal(curves.state, 'done', curves.error);
    assert.equal(curves.source, 'gallery');
    assert.match(curves.caption, /^C12: /);
    assert.match(curves.status, /Reference runs of the native trainer: 6 runs \(2 configurations × 3 seeds, 1500 steps each/);
    assert.equal(curves.run, 'Rerun in your browser');
    assert.deepEqual(curves.charts, ['held-out loss (nats) against step']);
    assert.equal(curves.summaries.length, 1);
    assert.equal(curves.tables, 1);
    assert.ok(curves.verdicts.length >= 1, 'the gallery\'s verdicts are shown');
    // The drawn means are the gallery's own last values.
    const expected = await galleryLast('prefix', 'heldout_loss');
    assert.deepEqual(Object.keys(curves.last), Object.keys(expected));
    for (const [config, value] of Object.entries(expected)) {
      assert.equal(curves.last[config].step, 1500);
      assert.ok(Math.abs(curves.last[config].mean - value) <= 1e-12 * value, `${config}: ${curves.last[config].mean} against ${value}`);
    }

    const attention = await figureFacts(page, 'attention');
    assert.equal(attention.state, 'done', attention.error);
    assert.ok(attention.headings.some((heading) => heading.includes('mix-heads:softmax, seed 1')), attention.headings.join(' | '));
    // order keeps the attention of step 0 and the last step: every head of the 2 layers x 4 heads, twice.
    assert.equal(attention.heatmaps, 16);
    assert.equal(attention.tables, 1);

    const rank = await figureFacts(page, 'rank');
    assert.equal(rank.state, 'done', rank.error);
    assert.equal(rank.charts.length, 4);
    assert.match(rank.caption, /^C16：/);
    assert.match(rank.status, /原生训练器的参考训练/);
    assert.equal(rank.run, '在浏览器中重跑');

    assert.deepEqual(workers.filter((worker) => worker.includes('lab-worker')), [], 'no lab worker started');
    assert.equal(workers.length, 1, `one worker (the shared engine's): ${workers.join(', ')}`);
    const events = await page.evaluate(() => window.doneEvents);
    assert.deepEqual(events.map(({ id, kind, source }) => ({ id, kind, source })).sort((a, b) => a.id.localeCompare(b.id)),
      [{ id: 'attention', kind: 'train', source: 'gallery' }, { id: 'curves', kind: 'train', source: 'gallery' },
        { id: 'rank', kind: 'train', source: 'gallery' }]);
    assert.ok(events.every(({ ms }) => Number.isFinite(ms) && ms > 0));
    await assertClean(opened);
    await page.close();
  });

  test('autorun trains at tiny size to the end in lab workers, fires attn-figure-done, and shows the CLI\'s numbers', async () => {
    const options = { seeds: '1', steps: 4, checkpoint_every: 2 };
    const url = hostPage('autorun', '<attn-figure id="tiny" kind="train" experiment="mqar" seeds="1" steps="4" checkpoint-every="2" autorun></attn-figure>');
    const opened = await open(url);
    const { page, workers } = opened;
    await page.waitForFunction(() => window.doneEvents.some((event) => event.id === 'tiny'), null, { timeout: kTimeout });
    const [event] = await page.evaluate(() => window.doneEvents);
    assert.equal(event.kind, 'train');
    assert.equal(event.source, 'run');
    assert.ok(event.ms > 0);
    const facts = await figureFacts(page, 'tiny');
    assert.equal(facts.state, 'done');
    assert.equal(facts.source, 'run');
    assert.match(facts.status, /^All 2 runs done in /);
    assert.ok(workers.some((worker) => worker.endsWith('/engine/lab-worker.mjs')), `workers: ${workers.join(', ')}`);
    const native = cliLast('mqar', options);
    assert.deepEqual(Object.keys(facts.last).sort(), Object.keys(native).sort());
    for (const [config, record] of Object.entries(native)) {
      assert.equal(facts.last[config].step, 4);
      assert.equal(facts.last[config].mean, record.heldout_accuracy, `${config}: the browser's held-out accuracy is the CLI's`);
    }
    await assertClean(opened);
    await page.close();
  });

  test('without autorun, settings with no gallery wait for Run; Run trains to the end', async () => {
    const url = hostPage('held', '<attn-figure id="held" kind="train" experiment="mqar" seeds="2" steps="2" checkpoint-every="1"></attn-figure>');
    const opened = await open(url);
    const { page, workers } = opened;
    await waitForState(page, 'held', ['held', 'error']);
    const held = await figureFacts(page, 'held');
    assert.equal(held.state, 'held', held.error);
    assert.match(held.status, /^No reference runs for these settings: Run trains 2 runs \(2 configurations × 1 seeds, 2 steps each\)/);
    assert.equal(held.run, 'Run');
    assert.deepEqual(workers.filter((worker) => worker.includes('lab-worker')), []);
    await page.evaluate(() => document.getElementById('held').shadowRoot.querySelector('[data-action="run"]').click());
    await page.waitForFunction(() => window.doneEvents.some((event) => event.id === 'held' && event.source === 'run'), null, { timeout: kTimeout });
    const done = await figureFacts(page, 'held');
    assert.equal(done.state, 'done');
    assert.deepEqual(Object.values(done.last).map((entry) => entry.step), [2, 2]);
    assert.ok(workers.some((worker) => worker.endsWith('/engine/lab-worker.mjs')));
    await assertClean(opened);
    await page.close();
  });

  // Each render writes the figure's data-last (its runs' last values): its changes are the redraws.
  async function redrawTimes(reducedMotion) {
    const url = hostPage(`motion-${reducedMotion}`, '<attn-figure id="slow" kind="train" experiment="copy" seeds="1" steps="3000" checkpoint-every="1" n="16" width="16" heads="2" layers="1" batch="2" heldout-batches="1" autorun></attn-figure>');
    const opened = await open(url, { reducedMotion });
    const { page } = opened;
    await page.waitForFunction(() => document.getElementById('slow')?.shadowRoot?.querySelector('.train'), null, { timeout: kTimeout });
    await page.evaluate(() => {
      window.redraws = [];
      const train = document.getElementById('slow').shadowRoot.querySelector('.train');
      new MutationObserver(() => window.redraws.push(performance.now())).observe(train, { attributes: true, attributeFilter: ['data-last'] });
    });
    await page.waitForFunction(() => window.redraws.length >= 5, null, { timeout: kTimeout }).catch(async (error) => {
      throw new Error(`${error.message}: ${await page.evaluate(() => window.redraws.length)} redraws; ${JSON.stringify(await figureFacts(page, 'slow'))}`);
    });
    // (Stop redraws at once: the reader's own action, not the training's.)
    const times = await page.evaluate(() => [...window.redraws]);
    await page.evaluate(() => document.getElementById('slow').shadowRoot.querySelector('[data-action="stop"]').click());
    await waitForState(page, 'slow', ['held', 'done', 'error']).catch(async (error) => {
      throw new Error(`${error.message} after Stop: ${JSON.stringify(await figureFacts(page, 'slow'))}`);
    });
    const facts = await figureFacts(page, 'slow');
    await assertClean(opened);
    await page.close();
    return { gaps: times.slice(1).map((time, k) => time - times[k]), facts };
  }

  test('under prefers-reduced-motion a training figure redraws at most about once a second; Stop ends the training', async () => {
    const reduced = await redrawTimes('reduce');
    assert.ok(Math.min(...reduced.gaps) >= 900, `gaps between redraws: ${reduced.gaps.map(Math.round).join(', ')} ms`);
    for (const { facts } of [reduced]) {
      assert.equal(facts.state, 'held');
      assert.match(facts.status, /^Stopped: 0 of 4 runs done\. Run trains them again from the start\.$/);
      assert.equal(facts.run, 'Run');
    }
    // Without the preference the figure follows the checkpoints (animation frames): the check above can fail.
    const free = await redrawTimes('no-preference');
    assert.ok(Math.min(...free.gaps) < 900, `gaps without the preference: ${free.gaps.map(Math.round).join(', ')} ms`);
  });

  test('a bad attribute shows the core\'s message naming the attribute, in that figure only', async () => {
    const cases = [
      ['experiment', 'experiment="nope"', /^experiment=nope is unknown \(expected one of: order, mlm, prefix, mqar, lm-vs-mlm, copy, reverse\)$/],
      ['steps', 'experiment="mqar" steps="0"', /^steps=0 /],
      ['checkpoint-every', 'experiment="mqar" checkpoint-every="often"', /^checkpoint-every=/],
      ['view', 'experiment="mqar" view="table"', /^view=table .*curves, attention, rank/],
      ['configuration', 'experiment="mqar" configuration="forward:relu"', /^configuration=forward:relu .*forward:softmax, forward:linear/],
      ['autorun', 'experiment="mqar" autorun="soon"', /^autorun=/],
      ['seeds', 'experiment="mqar" seeds="1,1"', /^seeds: seed=1 /],
    ];
    const url = hostPage('bad', [...cases.map(([name, attributes]) => `<attn-figure id="bad-${name}" kind="train" ${attributes}></attn-figure>`),
      '<attn-figure id="good" kind="train" experiment="mqar"></attn-figure>'].join('\n'));
    const opened = await open(url);
    const { page } = opened;
    for (const [name, , message] of cases) {
      await page.evaluate((id) => document.getElementById(id).scrollIntoView(), `bad-${name}`);
      await waitForState(page, `bad-${name}`, ['error', 'done', 'held']);
      const facts = await figureFacts(page, `bad-${name}`);
      assert.equal(facts.state, 'error', name);
      assert.equal(facts.errorParam, name);
      assert.match(facts.error, message);
    }
    await page.evaluate(() => document.getElementById('good').scrollIntoView());
    await waitForState(page, 'good', ['done', 'error']);
    assert.equal((await figureFacts(page, 'good')).state, 'done');
    await assertClean(opened);
    await page.close();
  });

  test('other attributes while it trains: the training ends and the figure shows the new experiment\'s gallery', async () => {
    const attributes = 'seeds="1" steps="3000" checkpoint-every="1" n="16" width="16" heads="2" layers="1" batch="2" heldout-batches="1"';
    const url = hostPage('switch', `<attn-figure id="switch" kind="train" experiment="copy" ${attributes} autorun></attn-figure>`);
    const opened = await open(url);
    const { page, workers } = opened;
    await page.waitForFunction(() => Object.keys(JSON.parse(document.getElementById('switch').shadowRoot.querySelector('.train')?.dataset.last ?? '{}')).length > 0,
      null, { timeout: kTimeout });
    assert.equal((await figureFacts(page, 'switch')).state, 'computing');
    const labWorkers = () => workers.filter((worker) => worker.includes('lab-worker')).length;
    assert.ok(labWorkers() >= 1);
    await page.evaluate((names) => {
      const figure = document.getElementById('switch');
      for (const name of names) figure.removeAttribute(name);
      figure.setAttribute('experiment', 'prefix');
    }, ['seeds', 'steps', 'checkpoint-every', 'n', 'width', 'heads', 'layers', 'batch', 'heldout-batches', 'autorun']);
    await waitForState(page, 'switch', ['done', 'error']);
    const facts = await figureFacts(page, 'switch');
    assert.equal(facts.state, 'done', facts.error);
    assert.equal(facts.source, 'gallery');
    assert.match(facts.caption, /^C12: /);
    assert.match(facts.status, /^Reference runs of the native trainer: 6 runs/);
    assert.equal(facts.run, 'Rerun in your browser');
    // The lab workers ended (page.workers() lists the live ones only).
    await page.waitForTimeout(500);
    assert.deepEqual(page.workers().map((worker) => new URL(worker.url()).pathname).filter((path) => path.includes('lab-worker')), []);
    await assertClean(opened);
    await page.close();
  });

  test('the core\'s refusals when Run checks the settings (heads that do not divide the width, a run over its memory budget) name their attribute; nothing trains', async () => {
    const url = hostPage('core-error', `<attn-figure id="heads" kind="train" experiment="mqar" heads="3" seeds="1" steps="2" autorun></attn-figure>
<attn-figure id="memory" kind="train" experiment="mqar" seeds="1" steps="5000" checkpoint-every="1" autorun></attn-figure>`);
    const opened = await open(url);
    const { page, workers } = opened;
    await waitForState(page, 'heads', ['error', 'done']);
    const facts = await figureFacts(page, 'heads');
    assert.equal(facts.state, 'error');
    assert.equal(facts.errorParam, 'heads');
    assert.match(facts.error, /heads/);
    await page.evaluate(() => document.getElementById('memory').scrollIntoView());
    await waitForState(page, 'memory', ['error', 'done']);
    const memory = await figureFacts(page, 'memory');
    assert.equal(memory.state, 'error');
    assert.equal(memory.errorParam, 'checkpoint-every');
    assert.match(memory.error, /^train needs ~\d+ MiB, over the memory budget of \d+ MiB .*checkpoint less often/);
    assert.equal(memory.status, '');
    assert.deepEqual(memory.last, {}, 'nothing trained');
    // One lab worker per figure checked the settings; none trained (a pool would add a second one).
    assert.equal(workers.filter((worker) => worker.includes('lab-worker')).length, 2);
    await assertClean(opened);
    await page.close();
  });

  test('settings picks another reference file of the experiment from the gallery\'s index, whose options and seeds Rerun trains', async () => {
    // This tree's index with a second settings entry for prefix, as the long runs of C9 and C11 will be listed
    // (docs/lab-gallery.md): prefix.json with 4 steps and seed 1 as its options (its curves left as they are),
    // served to this test's pages only.
    const gallery = path.join(root, 'web', 'lab', 'gallery');
    const index = JSON.parse(await readFile(path.join(gallery, 'index.json'), 'utf8'));
    const prefix = index.experiments.find((entry) => entry.id === 'prefix' && (entry.settings ?? 'default') === 'default');
    index.experiments.push({ ...prefix, settings: 'again', file: 'prefix-again.json' });
    const again = JSON.parse(await readFile(path.join(gallery, 'prefix.json'), 'utf8'));
    again.options = { ...again.options, steps: 4, checkpoint_every: 2 };
    again.seeds = [1];
    const files = { 'index.json': index, 'prefix-again.json': again };
    const route = (url) => ['/lab/gallery/index.json', '/lab/gallery/prefix-again.json'].includes(url.pathname);
    await browser.context.route(route, (request) => request.fulfill({ status: 200,
      body: JSON.stringify(files[path.basename(new URL(request.request().url()).pathname)]), headers: { 'Content-Type': 'application/json' } }));
    try {
      const url = hostPage('settings', `<attn-figure id="again" kind="train" experiment="prefix" settings="again"></attn-figure>
<attn-figure id="unknown" kind="train" experiment="prefix" settings="long"></attn-figure>
<attn-figure id="both" kind="train" experiment="prefix" settings="again" steps="10"></attn-figure>`);
      const opened = await open(url);
      const { page } = opened;
      for (const id of ['again', 'unknown', 'both']) {
        await page.evaluate((id) => document.getElementById(id).scrollIntoView(), id);
        await waitForState(page, id, ['done', 'error', 'held']);
      }
      const shown = await figureFacts(page, 'again');
      assert.equal(shown.state, 'done', shown.error);
      assert.equal(shown.source, 'gallery');
      assert.equal(shown.run, 'Rerun in your browser');
      const unknown = await figureFacts(page, 'unknown');
      assert.equal(unknown.errorParam, 'settings');
      assert.equal(unknown.error, 'settings=long is unknown (expected one of: default, again)');
      const both = await figureFacts(page, 'both');
      assert.equal(both.errorParam, 'settings');
      assert.match(both.error, /^settings=again sets the runs' seeds and options itself/);
      // Rerun trains that file's options and seeds: 2 configurations x seed 1, 4 steps (the corpus loads first).
      await page.evaluate(() => document.getElementById('again').shadowRoot.querySelector('[data-action="run"]').click());
      await page.waitForFunction(() => window.doneEvents.some((event) => event.id === 'again' && event.source === 'run'), null, { timeout: kTimeout });
      const trained = await figureFacts(page, 'again');
      assert.deepEqual(Object.entries(trained.last).map(([config, entry]) => [config, entry.step]),
        [['forward:softmax', 4], ['prefix:softmax', 4]]);
      assert.match(trained.status, /^All 2 runs done in /);
      await assertClean(opened);
      await page.close();
    } finally {
      await browser.context.unroute(route);
    }
  });

  test('Rerun of a long training on a small device asks first (the lab page\'s warning); Cancel trains nothing', async (t) => {
    const url = hostPage('warning', '<attn-figure id="long" kind="train" experiment="mqar"></attn-figure>');
    const opened = await open(url);
    const { page, workers } = opened;
    const isSmall = await page.evaluate(() => navigator.hardwareConcurrency <= 4 || (navigator.deviceMemory ?? 8) <= 4);
    if (!isSmall) {
      t.skip('not a small device (web/lab/device.mjs): no warning to see');
      await page.close();
      return;
    }
    await waitForState(page, 'long', ['done', 'error']);
    await page.evaluate(() => document.getElementById('long').shadowRoot.querySelector('[data-action="run"]').click());
    await page.waitForFunction(() => !document.getElementById('long').shadowRoot.querySelector('.train-confirm').hidden, null, { timeout: kTimeout });
    const asked = await figureFacts(page, 'long');
    assert.match(asked.status, /^This trains 6 runs of 1500 steps: about [0-9.]+ (s|min) on this device \(\d+ workers, \d+ cores\)\. Start anyway\?$/);
    assert.equal(asked.state, 'computing');
    await page.evaluate(() => document.getElementById('long').shadowRoot.querySelector('[data-action="cancel"]').click());
    await waitForState(page, 'long', ['done', 'error', 'held']);
    const after = await figureFacts(page, 'long');
    assert.equal(after.state, 'done');
    assert.equal(after.source, 'gallery');
    assert.equal(after.run, 'Rerun in your browser');
    // One lab worker checked and timed the settings; none trained, and it is gone.
    assert.equal(workers.filter((worker) => worker.includes('lab-worker')).length, 1);
    assert.deepEqual(page.workers().map((worker) => worker.url()).filter((worker) => worker.includes('lab-worker')), []);
    await assertClean(opened);
    await page.close();
  });

  test('a page with one figure of another kind loads none of the lab\'s code or gallery', async () => {
    const url = hostPage('patterns', '<attn-figure id="patterns" kind="patterns" n="16" d="4"></attn-figure>');
    const opened = await open(url);
    const { page, requests } = opened;
    await waitForState(page, 'patterns', ['done']);
    const lab = requests.filter((request) => /\/(lab|vendor)\/|train-figure|lab-strings/.test(request));
    assert.deepEqual(lab, []);
    await assertClean(opened);
    await page.close();
  });
});
