// The lab page's wiring, and nothing else: URL -> state -> controls; Run -> the core checks every
// configuration (lab_start in the page's first worker: its errors go beside the control they name; a corpus
// task's missing corpus loads it) and times two steps -> a warning on a small device when the training is
// long -> a RunPool (run-pool.mjs) trains every configuration x seed, as many at once as device.mjs allows;
// Stop / Resume pause and continue them; the figures redraw as checkpoints arrive (at most once a second
// under prefers-reduced-motion). Everything the page lists (experiments, configurations, seeds, defaults)
// is the module's lab_experiments().
import { seriesCss } from '../render/series-palette.mjs';
import { formatTickValue } from '../render/canvas-util.mjs';
import { galleryRuns, loadGallery } from './gallery.mjs';
import { earlyGallery } from './lab-boot.mjs';
import { curvesSpec, rankSpecs } from './figure-specs.mjs';
import { LabControls } from './lab-controls.mjs';
import { curvesCsv, curvesJson, labFileName, runsJson, stackedAttention } from './lab-exports.mjs';
import { experimentOf, givenOptionsOf, labDefaults, parseLabState, runSpecsOf, seedsOf, serializeLabState, validateLabField } from './lab-state.mjs';
import { applyLabStrings, labWords, loadLabLanguage } from './lab-words.mjs';
import { LabChart } from './uplot-chart.mjs';
import { VerdictsView, verdictRecordsJsonl } from './verdicts-view.mjs';

const $ = (id) => document.getElementById(id);
const device = { hardwareConcurrency: navigator.hardwareConcurrency, deviceMemory: navigator.deviceMemory };
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
const kReducedMotionMs = 1000;

const sheet = new CSSStyleSheet();
sheet.replaceSync(seriesCss());
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

// The first figures need no module: the words and, when the URL asks for an experiment's default settings,
// its gallery (fetched since lab-boot.mjs ran) are drawn first; the page's own worker (the module's tables,
// the core's checks before a run, write_npy) starts after them, since compiling the module competes with them
// for the CPU. The runs train in the pool's workers, which instantiate the module that worker compiled.
const search = new URLSearchParams(location.search);
let lang = ['en', 'zh'].includes(search.get('lang')) ? search.get('lang') : (navigator.language?.toLowerCase().startsWith('zh') ? 'zh' : 'en');
// The worker waits for the gallery's figures at most this long (a slow network must not hold Run back).
const kHelperWaitMs = 2000;
let helper = null;
// What comes after the first screen (the attention panel's heatmaps, the page's worker, Run) loads once the
// first figures are drawn, off their path (lab.html preloads the static graph only): every module of it at
// once, the heatmaps' whole graph listed, so that it is no chain of round trips (a module missing from the
// list loads all the same, one import depth later).
let laterModules = null;
let lab = null;  // loadLater()'s exports, once here
function loadLater() {
  laterModules ??= Promise.all([import('../engine/lab-client.mjs'), import('./attention-panel.mjs'), import('./corpus.mjs'),
    import('./device.mjs'), import('./run-pool.mjs'), import('../render/heatmap.mjs'), import('../views/heatmap-figure.mjs'),
    import('../render/colormap.mjs'), import('../views/format.mjs'), import('../views/readout.mjs'), import('../render/line-chart.mjs'),
    import('../render/scene.mjs')])
    .then(([client, panel, corpus, deviceRules, runPool, heatmap]) => {
      lab = { ...client, ...panel, ...corpus, ...deviceRules, ...runPool, nextTask: heatmap.nextTask };
      return lab;
    });
  return laterModules;
}
await loadLabLanguage(lang);
let text = labWords(lang);
let experiments = [];
let context = null;
let state = { ...labDefaults };

let pool = null;
let shownRuns = [];  // the runs the figures show: the pool's, or the gallery's before anything ran
let shownGeneration = 0;  // counts the times shownRuns was replaced
let experimentShown = null;  // the experiment of shownRuns
let galleryShown = null;  // the gallery (gallery.mjs) shownRuns come from, or null
let startedAt = 0;
let finishedIn = null;

const controls = new LabControls($('lab-controls'), (key, raw) => setField(key, raw));
const curves = new LabChart($('lab-curves-chart'), text);
let attention = null;  // an AttentionPanel of #lab-heads, once loadLater() is done
const rankCharts = new Map();  // id -> { figure, title, chart }
const verdicts = new VerdictsView($('lab-verdicts'));
let verdictsFor = '';  // the done runs the verdicts shown are of
let verdictResult = null;

function experiment() { return experimentOf(state, experiments); }
const isModuleReady = () => experiments.length > 0;

function writeUrl() {
  const query = serializeLabState(state).toString();
  history.replaceState(null, '', query ? `?${query}` : location.pathname);
}

function formatSeconds(seconds) {
  return seconds < 90 ? text('lab.time.seconds', { value: Math.round(seconds) })
    : text('lab.time.minutes', { value: formatTickValue(Number((seconds / 60).toFixed(1))) });
}

// ---- settings ----

function setField(key, raw) {
  const checked = validateLabField(key, raw, context);
  controls.showError(key, checked.error ?? null, text);
  if (checked.error) return;
  state = { ...state, [key]: checked.value };
  if (key === 'experiment') {
    state = { ...state, seeds: null, view: null, view_seed: null, step: null };
    if (pool?.isDone) {  // finished runs of another experiment give way to this one's gallery
      pool.dispose();
      pool = null;
    }
  }
  writeUrl();
  showSettings();
}

function showSettings() {
  const chosen = experiment();
  controls.show(state, experiments, chosen, text, lang);
  $('lab-experiment-note').textContent = text('lab.claims', { title: lang === 'zh' ? chosen.title_zh : chosen.title_en, claims: chosen.claims.join(', '), configs: chosen.configs.join(', '),
    metric: text(`lab.metric.${chosen.metric}`), better: text(`lab.better.${chosen.better}`) });
  if (!pool) showGallery().catch(reportFailure);
}

// Before anything trains, the figures show the gallery's reference runs of the chosen experiment (its
// default settings: a state that sets options or seeds shows none), and Run reads "Rerun in your browser".
async function showGallery() {
  const chosen = experiment();
  const isDefault = state.seeds === null && Object.values(givenOptionsOf(state)).length === 0;
  const gallery = isDefault ? await loadGallery(chosen.id) : null;
  if (pool || experiment() !== chosen) return;
  showGalleryRuns(gallery, chosen);
}

// Before the module's table is here: the gallery's own account of its experiment (its id; the metric and
// claims its verdicts read), enough for the figures.
function provisionalExperiment(gallery) {
  const comparisons = gallery.verdicts?.comparisons?.filter((entry) => entry.experiment === gallery.experiment) ?? [];
  return { id: gallery.experiment, task: gallery.options?.task ?? gallery.experiment, title_en: gallery.experiment, title_zh: gallery.experiment,
    metric: comparisons[0]?.metric ?? 'heldout_loss', configs: gallery.configs, seeds: gallery.seeds,
    claims: [...new Set(comparisons.map((entry) => entry.claim))], options: gallery.options };
}

// Shows gallery's runs (null: none) as those of experiment `chosen`.
// The same gallery again (the module's table replacing the gallery's own account of its experiment) keeps
// its runs, so that only what its words changed is drawn again.
function showGalleryRuns(gallery, chosen) {
  if (!gallery || gallery !== galleryShown) {
    shownRuns = gallery ? galleryRuns(gallery) : [];
    shownGeneration += 1;
    lastAttentionKey = '';
  }
  galleryShown = gallery;
  experimentShown = gallery ? chosen : null;
  verdictResult = gallery?.verdicts ? { result: gallery.verdicts, experiment: chosen } : null;
  verdictsFor = '';
  $('lab-run').textContent = text(gallery ? 'lab.rerun' : 'lab.run');
  $('lab-run').dataset.i18n = gallery ? 'lab.rerun' : 'lab.run';
  showVerdicts();
  render();
  // What the page shows, for readers of the DOM (tests; bench/lab-speed.mjs: the first figures' times, the
  // first screen's (verdicts, curves) and every figure's, the heatmaps included).
  if (gallery) {
    document.body.dataset.gallery = chosen.id;
    document.body.dataset.galleryCurvesMs ??= String(Math.round(performance.now()));
    if (!document.body.dataset.galleryDrawnMs) {
      runViewsDrawn().then(() => { document.body.dataset.galleryDrawnMs ??= String(Math.round(performance.now())); });
    }
  } else {
    delete document.body.dataset.gallery;
  }
}

// ---- running ----

function showError(error) {
  const key = error.param === 'seed' ? 'seeds' : ['masks', 'attention', 'task', 'corpus'].includes(error.param) ? 'experiment'
    : error.param;
  if (!controls.showError(key, error.message, text)) controls.showError('experiment', error.message, text);
  controls.focus(controls.hasField(key) ? key : 'experiment');
}

// The core's checks of every configuration and the seconds per step of the first, in the helper worker
// (run-pool.mjs preflightRuns). Returns { needsCorpus, secondsPerStep, runBytes } or null after showing an error.
async function preflight(specs) {
  try {
    return await lab.preflightRuns(helper, specs, {
      loadCorpus: () => lab.loadCorpus(),
      corpusError: (error) => Object.assign(new Error(text('lab.corpus.missing', { message: error.message })), { param: 'experiment' }),
      onCorpusLoading: () => { $('lab-status').textContent = text('lab.corpus.loading', { size: '4 MB' }); },
    });
  } catch (error) {
    showError(error);
    return null;
  }
}

function confirmLong(message) {
  const box = $('lab-warning');
  $('lab-warning-text').textContent = message;
  box.hidden = false;
  $('lab-warning-start').focus();
  return new Promise((resolve) => {
    const answer = (value) => () => {
      box.hidden = true;
      $('lab-warning-start').onclick = null;
      $('lab-warning-cancel').onclick = null;
      resolve(value);
    };
    $('lab-warning-start').onclick = answer(true);
    $('lab-warning-cancel').onclick = answer(false);
  });
}

async function run() {
  controls.clearErrors();
  const chosen = experiment();
  const specs = runSpecsOf(state, chosen);
  $('lab-run').disabled = true;
  $('lab-status').textContent = text('lab.status.checking');
  const facts = await preflight(specs);
  if (!facts) {
    $('lab-run').disabled = false;
    showStatus();
    return;
  }
  const size = lab.poolSize(device, specs.length, facts.runBytes);
  const seconds = lab.estimatedSeconds(specs.map((spec) => spec.steps), facts.secondsPerStep, size);
  if (lab.needsWarning(device, seconds)) {
    const steps = specs[0].steps;
    const isConfirmed = await confirmLong(text('lab.warn.long', { runs: specs.length, steps, time: formatSeconds(seconds), workers: size,
      cores: device.hardwareConcurrency ?? '?' }));
    if (!isConfirmed) {
      $('lab-run').disabled = false;
      showStatus();
      return;
    }
  }
  pool?.dispose();
  const module = helper.compiled ?? null;
  pool = new lab.RunPool({ size, makeWorker: () => new lab.LabWorker({ module }), loadCorpus: lab.loadCorpus, onChange: () => scheduleRender() });
  experimentShown = chosen;
  galleryShown = null;
  delete document.body.dataset.gallery;
  $('lab-run').textContent = text('lab.run');
  $('lab-run').dataset.i18n = 'lab.run';
  verdictResult = null;
  verdictsFor = '';
  showVerdicts();
  startedAt = performance.now();
  finishedIn = null;
  const finished = pool.start(specs.map((spec) => ({ ...spec, needsCorpus: facts.needsCorpus })));
  shownRuns = pool.runs;  // filled at once, each with its configuration and seed
  shownGeneration += 1;
  const mine = pool;
  $('lab-stop').disabled = false;
  $('lab-resume').disabled = true;
  $('lab-run').disabled = false;
  document.body.dataset.labState = 'running';
  scheduleRender();
  setTimeout(() => prepareCurves(mine, chosen), 0);
  await finished;
  if (pool !== mine) return;
  finishedIn = (performance.now() - startedAt) / 1e3;
  $('lab-stop').disabled = true;
  $('lab-resume').disabled = true;
  document.body.dataset.labState = 'done';
  scheduleRender();
}

function stop() {
  pool?.pause();
  $('lab-stop').disabled = true;
  $('lab-resume').disabled = false;
  document.body.dataset.labState = 'paused';
  scheduleRender();
}

function resume() {
  pool?.resume();
  $('lab-stop').disabled = false;
  $('lab-resume').disabled = true;
  document.body.dataset.labState = 'running';
  scheduleRender();
}

// ---- drawing ----

function showStatus() {
  const runs = shownRuns;
  const progress = $('lab-progress');
  if (!pool && galleryShown) {
    const { engine } = galleryShown;
    $('lab-status').textContent = text('lab.status.gallery', { runs: shownRuns.length, commit: String(engine.commit).slice(0, 10),
      made: String(engine.made).slice(0, 10) });
    progress.hidden = true;
    return;
  }
  if (!isModuleReady()) return;
  const chosen = experiment();
  if (!pool) {
    const seeds = seedsOf(state, chosen).length;
    $('lab-status').textContent = text('lab.status.ready', { runs: chosen.configs.length * seeds, configs: chosen.configs.length,
      seeds, workers: lab.poolSize(device, chosen.configs.length * seeds) });
    progress.hidden = true;
    return;
  }
  const count = (wanted) => runs.filter((entry) => entry.state === wanted).length;
  const total = runs.reduce((sum, entry) => sum + (entry.steps ?? 0), 0);
  const taken = runs.reduce((sum, entry) => sum + entry.step, 0);
  progress.hidden = false;
  progress.value = total > 0 ? taken / total : 0;
  const done = count('done');
  const failed = count('failed');
  let words;
  if (pool.isPaused && !pool.isDone) words = text('lab.status.paused', { done, runs: runs.length });
  else if (pool.isDone && failed > 0) words = text('lab.status.failed', { failed, runs: runs.length, done });
  else if (pool.isDone) words = text('lab.status.done', { runs: runs.length, time: formatSeconds(finishedIn ?? (performance.now() - startedAt) / 1e3) });
  else {
    const left = lab.secondsLeft(runs, pool.size);
    words = text('lab.status.running', { done, runs: runs.length, running: count('running'), workers: pool.size,
      left: left === null ? text('lab.left.unknown') : text('lab.left', { time: formatSeconds(left) }) });
  }
  $('lab-status').textContent = words;
  const notices = runs.flatMap((entry) => [
    ...entry.notices.map((notice) => text(notice.kind === 'memory' ? 'lab.run.out_of_memory' : 'lab.run.crashed',
      { run: entry.key, step: notice.step, from: notice.from, message: notice.message })),
    ...(entry.state === 'failed' && entry.error ? [entry.records.length > 0
      ? text('lab.run.failed_kept', { run: entry.key, message: entry.error.message, step: entry.records.at(-1).step })
      : text('lab.run.failed', { run: entry.key, message: entry.error.message })] : []),
  ]);
  $('lab-notices').replaceChildren(...notices.map((words) => {
    const item = document.createElement('li');
    item.textContent = words;
    return item;
  }));
}

// The run the attention panel and the rank charts show: the state's configuration and seed, else the first.
function viewedRun() {
  const withRecords = shownRuns.filter((entry) => entry.attention.length > 0);
  return withRecords.find((entry) => entry.configuration === state.view && entry.seed === state.view_seed)
    ?? withRecords.find((entry) => entry.configuration === state.view) ?? withRecords[0] ?? null;
}

function fillSelect(select, values, current) {
  const wanted = values.map(String);
  if ([...select.options].map((option) => option.value).join('\n') !== wanted.join('\n')) {
    select.replaceChildren(...wanted.map((value) => {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = value;
      return option;
    }));
  }
  select.value = String(current);
}

let lastAttentionKey = '';
const drawnKeys = { curves: '', rank: '' };  // what the curves and the rank charts last drew

// The figures of the first screen (the curves; the status and verdicts are render's), then, in a later task,
// those of the viewed run below them (drawRunViews), so that neither makes one long task with the other.
function drawViews() {
  const chosen = experimentShown ?? experiment();
  if (!chosen) return;
  $('lab-curves-title').textContent = text(`lab.figure.${chosen.metric}`);
  const hasRecords = shownRuns.some((entry) => entry.records.length > 0);
  $('lab-curves-empty').hidden = hasRecords;
  $('lab-loss-log').checked = state.loss_log;
  $('lab-loss-log').disabled = chosen.metric !== 'heldout_loss';
  curves.setText(text);
  // A chart is drawn again only when what it shows changed (a render comes with every run's every change).
  const curvesKey = [shownGeneration, chosen.id, state.loss_log, lang, ...shownRuns.map((entry) => `${entry.key}:${entry.records.length}`)].join('|');
  if (hasRecords && curvesKey !== drawnKeys.curves) curves.update(curvesSpec(shownRuns, chosen, { yLog: state.loss_log }, text));
  drawnKeys.curves = curvesKey;
  for (const button of $('lab-exports').querySelectorAll('button')) button.disabled = !hasRecords;
  runViewsTimer ??= setTimeout(drawRunViews, 0);
}

// The curves chart of a Run, drawn empty (every configuration's line and band, no points) in a task of its
// own before the first records come: creating the uPlot is the costly part, and done on the first records it
// shared their task with the other figures (the longest main-thread task while 4 runs trained,
// bench/lab-profile.mjs train-cpu). The records then only set its data (same series: no new plot).
function prepareCurves(mine, chosen) {
  if (pool !== mine || shownRuns.some((entry) => entry.records.length > 0)) return;
  curves.setText(text);
  curves.update(curvesSpec(shownRuns, chosen, { yLog: state.loss_log }, text));
}

let runViewsTimer = null;
let runViewsWaiters = [];  // resolved once the next drawRunViews has drawn (its heatmaps included)

// Resolves once the viewed run's figures of the next drawRunViews are drawn.
const runViewsDrawn = () => new Promise((resolve) => { runViewsWaiters.push(resolve); });

// The attention panel (its heatmaps are drawn in steps, heatmap.mjs) and the rank charts of the viewed run.
async function drawRunViews() {
  runViewsTimer = null;
  const waiters = runViewsWaiters;
  runViewsWaiters = [];
  await loadLater();
  attention ??= new lab.AttentionPanel($('lab-heads'));
  await drawRunViewsNow();
  for (const resolve of waiters) resolve();
}

function drawRunViewsNow() {
  const viewed = viewedRun();
  $('lab-view-controls').hidden = !viewed;
  if (!viewed) return null;
  fillSelect($('lab-view'), [...new Set(shownRuns.map((entry) => entry.configuration))], viewed.configuration);
  fillSelect($('lab-view-seed'), shownRuns.filter((entry) => entry.configuration === viewed.configuration).map((entry) => entry.seed), viewed.seed);
  const steps = viewed.attention.map((entry) => entry.step);
  const slider = $('lab-step');
  slider.max = String(Math.max(0, steps.length - 1));
  const index = state.step === null ? steps.length - 1 : Math.max(0, steps.indexOf(steps.includes(state.step) ? state.step : steps.at(-1)));
  slider.value = String(index);
  $('lab-step-value').textContent = text('lab.step.value', { step: steps[index] });
  $('lab-compare').checked = state.compare;
  const shown = viewed.attention[index];
  const initial = state.compare ? viewed.attention[0] : null;
  const key = `${viewed.key}/${shown.step}/${Boolean(initial)}/${lang}`;
  let heatmaps = null;
  if (key !== lastAttentionKey) {
    lastAttentionKey = key;
    heatmaps = attention.show(shown, initial, text);
  }
  const rankKey = [shownGeneration, viewed.key, viewed.records.length, lang].join('|');
  if (rankKey === drawnKeys.rank || rankKey === rankDrawing.key) return heatmaps;
  return Promise.all([heatmaps, drawRankCharts(viewed, rankKey)]);
}

// The rank charts' drawing in progress: a newer one stops an older one between charts.
const rankDrawing = { key: '', count: 0 };

// The viewed run's rank charts, one chart per task (four in one task made the longest main-thread tasks
// while runs trained: bench/lab-profile.mjs train).
async function drawRankCharts(viewed, rankKey) {
  const drawing = ++rankDrawing.count;
  rankDrawing.key = rankKey;
  for (const { id, title, spec } of rankSpecs(viewed.records, text)) {
    await lab.nextTask();
    if (drawing !== rankDrawing.count) return;
    if (!rankCharts.has(id)) {
      const figure = document.createElement('figure');
      figure.className = 'lab-rank-chart';
      figure.dataset.statistic = id;
      const heading = document.createElement('h3');
      const box = document.createElement('div');
      figure.append(heading, box);
      $('lab-rank-charts').append(figure);
      rankCharts.set(id, { heading, chart: new LabChart(box, text) });
    }
    const entry = rankCharts.get(id);
    entry.heading.textContent = title;
    entry.chart.setText(text);
    entry.chart.update(spec);
  }
  drawnKeys.rank = rankKey;
  rankDrawing.key = '';
}

// The core's verdicts, asked again whenever another run has finished (lab_verdicts reads each run's last
// record; the unfinished runs' are left out by the core: their last step is not the run's last).
function updateVerdicts() {
  if (!pool) return;  // the gallery brings its own
  const experimentRan = experimentShown;
  const done = shownRuns.filter((entry) => entry.state === 'done');
  const key = `${shownRuns.length}:${done.map((entry) => entry.key).join(',')}`;
  if (!experimentRan || done.length === 0 || key === verdictsFor) return;
  verdictsFor = key;
  helper.call('lab_verdicts', verdictRecordsJsonl(done), null).then((result) => {
    if (verdictsFor !== key) return;
    verdictResult = { result, experiment: experimentRan };
    showVerdicts();
  }, (error) => {  // the verdicts' own place says why there are none; the runs' status stays
    verdictResult = null;
    $('lab-verdicts-section').hidden = false;
    $('lab-verdicts').textContent = error.message;
  });
}

function showVerdicts() {
  $('lab-verdicts-section').hidden = !verdictResult;
  if (verdictResult) verdicts.show(verdictResult.result, verdictResult.experiment, text, lang);
}

let renderTimer = null;
let lastRender = 0;

function render() {
  renderTimer = null;
  document.body.dataset.labRecords = shownRuns.map((entry) => entry.records.length).join(',');  // for readers of the DOM (tests)
  showStatus();
  drawViews();
  updateVerdicts();
  // From the end of this render, which is when it shows (a render's length varies: timed from its start, two
  // refreshes could show less than a second apart).
  lastRender = performance.now();
}

// Coalesces redraws into one animation frame, or, under prefers-reduced-motion, one a second at most.
function scheduleRender() {
  if (renderTimer !== null) return;
  if (reducedMotion.matches) {
    renderTimer = setTimeout(render, Math.max(0, kReducedMotionMs - (performance.now() - lastRender)));
  } else {
    renderTimer = requestAnimationFrame(() => render());
  }
}

// ---- view controls, exports, language ----

function setView(changes) {
  state = { ...state, ...changes };
  writeUrl();
  scheduleRender();
}

$('lab-view').addEventListener('change', (event) => setView({ view: event.target.value, view_seed: null, step: null }));
$('lab-view-seed').addEventListener('change', (event) => setView({ view_seed: Number(event.target.value), step: null }));
$('lab-step').addEventListener('input', (event) => {
  const viewed = viewedRun();
  if (!viewed) return;
  const index = Number(event.target.value);
  setView({ step: index === viewed.attention.length - 1 ? null : viewed.attention[index].step });
});
$('lab-compare').addEventListener('change', (event) => setView({ compare: event.target.checked }));
$('lab-loss-log').addEventListener('change', (event) => setView({ loss_log: event.target.checked }));
$('lab-run').addEventListener('click', () => { run().catch(reportFailure); });
// Closing or reloading the tab ends the runs: while one is unfinished the browser asks first (lab.tab_note).
addEventListener('beforeunload', (event) => {
  if (pool && !pool.isDone) event.preventDefault();
});
$('lab-stop').addEventListener('click', stop);
$('lab-resume').addEventListener('click', resume);

function reportFailure(error) {
  $('lab-status').textContent = error.message;
  $('lab-run').disabled = false;
}

// export.mjs (and the scene and chart code it brings) loads when an export is first asked for.
const downloadBlob = async (...args) => (await import('../export.mjs')).downloadBlob(...args);
const canvasToPngBlob = async (canvas) => (await import('../export.mjs')).canvasToPngBlob(canvas);

function exportButton(key, action) {
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.i18n = key;
  button.dataset.export = key.split('.').pop();
  button.textContent = text(key);
  button.addEventListener('click', () => {
    if (shownRuns.every((entry) => entry.records.length === 0)) return;
    Promise.resolve(action()).catch(reportFailure);
  });
  return button;
}

function buildExports() {
  const label = document.createElement('span');
  label.className = 'exports-label';
  label.dataset.i18n = 'lab.exports';
  const blob = (body, type) => new Blob([body], { type });
  $('lab-exports').replaceChildren(label,
    exportButton('lab.export.csv', () => downloadBlob(blob(curvesCsv(shownRuns), 'text/csv'), labFileName(experimentShown, 'curves', 'csv'))),
    exportButton('lab.export.json', () => downloadBlob(blob(curvesJson(shownRuns, experimentShown), 'application/json'), labFileName(experimentShown, 'curves', 'json'))),
    exportButton('lab.export.run', () => downloadBlob(blob(runsJson(shownRuns, experimentShown), 'application/json'), labFileName(experimentShown, 'runs', 'json'))),
    exportButton('lab.export.npy', async () => {
      const viewed = viewedRun();
      const index = Number($('lab-step').value);
      const shown = viewed.attention[index];
      const { data, rows, cols } = stackedAttention(shown);
      const bytes = await helper.call('write_npy', data, rows, cols, 'f64');
      const heads = shown.heads.length;
      downloadBlob(new Blob([bytes], { type: 'application/octet-stream' }),
        labFileName(experimentShown, `${viewed.configuration.replace(/[^A-Za-z0-9+-]/g, '_')}-seed${viewed.seed}-step${shown.step}-attention-${heads}x${shown.n}x${shown.n}`, 'npy'));
    }),
    exportButton('lab.export.png', async () => downloadBlob(await canvasToPngBlob(curves.canvas), labFileName(experimentShown, 'curves', 'png'))));
}

// The links to the explorer and the essay keep the language.
function linkPages() {
  for (const link of document.querySelectorAll('a[href^="index.html"], a[href^="essay.html"]')) {
    const page = link.getAttribute('href').split('?')[0];
    link.setAttribute('href', `${page}?lang=${lang}`);
  }
}

async function setLanguage(next) {
  await loadLabLanguage(next);
  lang = next;
  text = labWords(lang);
  state = { ...state, lang: next };
  writeUrl();
  applyLabStrings(document, lang);
  document.title = text('lab.title');
  lastAttentionKey = '';
  linkPages();
  if (!isModuleReady()) return;
  showSettings();
  showVerdicts();
  render();
}

$('lab-lang').value = lang;
$('lab-lang').addEventListener('change', (event) => { setLanguage(event.target.value).catch(reportFailure); });
buildExports();
applyLabStrings(document, lang);
document.title = text('lab.title');
linkPages();

// The gallery's figures as soon as it is here, if the module is not (its experiment's words follow with it),
// then the page's worker.
const galleryDrawn = earlyGallery.then((gallery) => {
  if (gallery && experiments.length === 0) showGalleryRuns(gallery, provisionalExperiment(gallery));
}, () => {});
await Promise.race([galleryDrawn, new Promise((resolve) => { setTimeout(resolve, kHelperWaitMs); })]);
helper = new (await loadLater()).LabWorker();
const moduleFacts = helper.ready.then(() => Promise.all([
  helper.call('lab_experiments'), helper.call('limits'), helper.call('messages'), helper.call('version')]));

const [experimentTable, limits, messages, version] = await moduleFacts.catch((error) => {
  $('lab-status').textContent = text('lab.engine_failed', { message: error.message });  // the page can do nothing more
  document.body.dataset.labState = 'failed';
  throw error;
});
// (seeds arrive as an Int32Array: a plain list, like the state's)
experiments = experimentTable.experiments.map((entry) => ({ ...entry, seeds: Array.from(entry.seeds) }));
context = { experiments, limits: { ...limits, messages } };
const parsed = parseLabState(location.search, context);
state = parsed.state;
$('lab-version').textContent = `attnrank ${version.version ?? ''}`.trim();
showSettings();
for (const [key, message] of Object.entries(parsed.errors)) controls.showError(key, message, text);
document.body.dataset.labState = 'ready';
$('lab-run').disabled = false;
render();
