// The explorer page's wiring, and nothing else: URL -> state -> controls; a control change -> validate
// (url-state.mjs) -> URL (history.replaceState) -> engine requests (one superseding slot per pattern) ->
// views. A rejected value or a core error is shown beside the control that caused it while the last good
// result stays on screen. Stages: the patterns first (and their spectra), then the linear contrast, the
// softmax-raises-rank sweep, and the sweep view, so the first figures never wait for the rest: the later
// stages start once the patterns are drawn, run at the engine's background priority, are dropped when
// the state changes, and never ask the engine again for a configuration an earlier stage computed.
import { EnginePool } from './engine/engine-client.mjs';
import { installPatterns } from './state/pattern-registry.mjs';

// The engine's workers start loading the wasm first, and the first one ready answers limits() and
// version() (a call waits for one worker, not all); the page's other modules load meanwhile.
// Each worker's wasm heap may hold this much: the core refuses a request whose estimated peak exceeds it
// (code too_large, the message beside the n control) instead of running out of memory. A pool of up to 4
// workers stays within 2 GiB; n = 4096 with the matrix at d = 8 (~300-440 MiB by the core's estimate) fits,
// the favor features at m = 4096 (~840 MiB) do not.
const kWorkerMemoryBudgetMiB = 512;
const pool = new EnginePool({ workerUrl: new URL('./engine/engine-worker.mjs', import.meta.url),
  memoryBudgetMiB: kWorkerMemoryBudgetMiB });
const engineFacts = Promise.all([pool.call('limits'), pool.call('messages'), pool.call('version')]);
engineFacts.catch(() => {});  // handled in main()
const patternRegistry = pool.patterns().then(installPatterns);  // the core's pattern lists and colours
patternRegistry.catch(() => {});  // handled in main()
const [
  { claimsConfigFor, configFor, keyOfParam, mixtureConfigFor, parseState, serializeState, sweepValuesOf, validateField },
  { applyStrings, loadLanguage, pickLanguage, t },
  { Controls },
  { PatternsView, mainPatterns, windowPatterns },
  { SpectraView },
  { LinearView, linearCases },
  { RaisesRankView, raisesScales },
  { SweepView, sweepStatistics },
  { DepthView, collapseAll, depthMetrics, depthPatterns, depthVariants },
  { HeadsView, buildHeadPanels },
  { ClaimsView },
  { claimsStyleSheet },
  { LoadView },
  { renderWords },
  { attachExports },
  { downloadBlob, matrixToNpy },
] = await Promise.all([
  import('./state/url-state.mjs'),
  import('./i18n/strings.mjs'),
  import('./views/controls.mjs'),
  import('./views/patterns-view.mjs'),
  import('./views/spectra-view.mjs'),
  import('./views/linear-view.mjs'),
  import('./views/raises-rank-view.mjs'),
  import('./views/sweep-view.mjs'),
  import('./views/depth-view.mjs'),
  import('./views/heads-view.mjs'),
  import('./views/claims-view.mjs'),
  import('./views/claims-style.mjs'),
  import('./views/load-view.mjs'),
  import('./views/words.mjs'),
  import('./views/exports-bar.mjs'),
  import('./export.mjs'),
]);
// Fetch the URL's language while the engine starts (main() awaits it before rendering in it).
loadLanguage(pickLanguage(new URLSearchParams(location.search).get('lang'), navigator.language)).catch(() => {});

const $ = (id) => document.getElementById(id);
const presets = {
  bert: { n: 512, d: 64, prefix: null, window: 4 },
  small: { n: 32, d: 4, prefix: null, window: 4 },
  hot: { scale: 0.25 },
};
// Keys that only change how results are drawn (no new analysis).
const drawingKeys = new Set(['colour', 'lang', 'sweep_stat', 'depth_metric']);
// Keys that only concern the sweep view.
const sweepKeys = new Set(['sweep_over', 'sweep_values', 'sweep_stat']);
// Keys that only concern the depth view (depth_metric only redraws).
const depthKeys = new Set(['layers', 'depth_variant', 'depth_metric']);
// The heads view runs by itself while its H + 2 SVDs of n x n stay cheap.
const kAutoHeadsMaxN = 256;
// The claims' verdicts (about ten SVDs of n x n and a head mixture) run by themselves up to this n.
const kAutoClaimsMaxN = 256;
// The depth view runs by itself while its O(n^3 L) path products stay cheap (n = 128, L = 24: ~1 s).
const kAutoDepthCost = 128 ** 3 * 24;
// The sweep runs by itself when it is cheap (n^3 work below ~ 20 analyses at n = 256); else on demand.
const kAutoSweepMaxN = 256;

const page = {
  pool: null,
  limits: null,
  state: null,
  lang: 'en',
  generation: 0,
  lastChanged: null,
  changeStarted: 0,
  patternResults: new Map(),
  known: new Map(),  // config key -> result (no matrix) of the current state's analyses, for reuse
  coreErrorKeys: new Set(),  // controls showing an error the core returned (cleared by the next success)
  stageErrorKeys: new Map(),  // stage -> the control showing the error that stage returned (showStageError)
  depthRuns: 0,  // computeDepth calls so far: only the latest one disables the depth Cancel button
};
const controls = new Controls(document.body);
const text = (key, params) => t(page.lang, key, params);
const views = {};

function isStale(error) {
  return error?.code === 'superseded' || error?.code === 'cancelled';
}

// A failure of the engine rather than of a value: the worker crashed or ran past its timeout (the pool
// has replaced it by then, so a retry runs on a fresh one).
function isEngineFailure(error) {
  return error?.code === 'worker_crashed' || error?.code === 'timeout';
}

// What the reader sees for an error: engine failures in the page's language, the core's messages as they are.
function errorText(error) {
  if (error?.code === 'worker_crashed') return text('engine.crashed');
  if (error?.code === 'timeout') {
    return text('engine.timeout', { seconds: Math.round(error.elapsedMs / 1000), limit: Math.round(error.timeoutMs / 1000) });
  }
  return error?.message ?? String(error);
}

function setStatus(key, params) {
  $('engine-status').textContent = text(key, params);
}

// The control a core error belongs to: the parameter the core names (error.param), else the control
// changed last.
function errorKey(error) {
  const key = keyOfParam(error?.param);
  if (key && controls.field(key)) return key;
  return page.lastChanged;
}

// Returns whether the message went beside a control (else it is in the status line).
function showCoreError(error) {
  const key = errorKey(error);
  if (key) page.coreErrorKeys.add(key);
  const isBesideControl = Boolean(key) && controls.showError(key, errorText(error));
  if (!isBesideControl) $('engine-status').textContent = errorText(error);
  document.body.dataset.lastError = errorText(error);
  return isBesideControl;
}

// A later stage's own error (layers, heads, sweep values) goes beside the control its param names (a
// mixture's "d_model=8 must be a multiple of heads=6" beside d), else beside the stage's control; it is
// cleared when the stage runs again. A validation error there (a bad URL value) stays until the control changes.
// A memory-budget refusal (too_large) names n as the size to lower, but it refuses the stage's whole request
// (heads' "lower n, or leave out the matrices" on Run): it goes beside the stage's control that ran it.
function showStageError(stage, error) {
  const named = error?.code === 'too_large' ? null : keyOfParam(error?.param);
  const key = named && controls.field(named) ? named : stage;
  page.stageErrorKeys.set(stage, key);
  controls.showError(key, errorText(error));
}

function clearStageError(stage) {
  const key = page.stageErrorKeys.get(stage);
  if (key === undefined) return;
  page.stageErrorKeys.delete(stage);
  controls.clearError(key);
}

// m matters only for the favor feature map.
function syncDependentControls() {
  controls.field('features').disabled = page.state.feature !== 'favor';
}

function showExportError(error) {
  $('engine-status').textContent = error.message;
}

function writeUrl() {
  const query = serializeState(page.state).toString();
  history.replaceState(null, '', query ? `?${query}` : location.pathname);
}

function shownPatterns() {
  return page.state.windows ? [...mainPatterns, ...windowPatterns] : mainPatterns;
}

// The key of an analyze() config (want_matrix left out: it only adds the matrix and mask).
function configKey(config) {
  return JSON.stringify(Object.keys(config).filter((key) => key !== 'want_matrix').sort()
    .map((key) => [key, config[key]]));
}

function remember(config, result) {
  const { matrix, mask, ...statistics } = result;
  page.known.set(configKey(config), statistics);
}

// analyze() for every config, as a background sweep on `slot` of only the configs not computed yet for
// this state; results in the order of configs; onProgress(done, total) counts the known ones as done.
async function analyzeAll(slot, configs, onProgress = () => {}) {
  const results = configs.map((config) => page.known.get(configKey(config)));
  const missing = [];
  results.forEach((result, index) => { if (!result) missing.push(index); });
  const known = configs.length - missing.length;
  const fresh = await page.pool.sweep(slot, missing.map((index) => configs[index]),
    (done) => onProgress(known + done, configs.length));
  fresh.forEach((result, position) => {
    results[missing[position]] = result;
    remember(configs[missing[position]], result);
  });
  return results;
}

// Stage 1: the patterns, one superseding slot each, drawn as each arrives; then their spectra.
async function computePatterns(generation) {
  const patterns = shownPatterns();
  views.patterns.setPatterns(patterns);
  const progress = $('patterns-progress');
  progress.max = patterns.length;
  progress.value = 0;
  const progressTimer = setTimeout(() => { $('patterns-progress-row').hidden = false; }, 150);
  setStatus('status.computing', { done: 0, total: patterns.length });
  $('engine-retry').hidden = true;
  let done = 0;
  let failure = null;
  let isCancelled = false;
  const results = new Map();
  await Promise.all(patterns.map(async (pattern) => {
    views.patterns.setBusy(pattern, true);
    try {
      const config = configFor(page.state, pattern, { want_matrix: true });
      const result = await page.pool.request(`pattern:${pattern}`, 'analyze', config);
      if (generation !== page.generation) return;
      results.set(pattern, result);
      remember(config, result);
      views.patterns.showResult(pattern, result);
      progress.value = ++done;
      setStatus('status.computing', { done, total: patterns.length });
    } catch (error) {
      if (error?.code === 'cancelled' && generation === page.generation) isCancelled = true;
      if (isStale(error) || generation !== page.generation) return;
      views.patterns.setBusy(pattern, false);
      // An engine failure belongs to the figure it stopped, not to a control; a core error (a refusal over
      // the memory budget) shows beside its control at once, while the other patterns may still run.
      if (isEngineFailure(error)) views.patterns.showError(pattern, { message: errorText(error) });
      else if (!failure) showCoreError(error);
      failure ??= error;
    }
  }));
  clearTimeout(progressTimer);
  if (generation !== page.generation) return false;
  $('patterns-progress-row').hidden = true;
  if (isCancelled || (failure && isEngineFailure(failure))) {
    // The patterns not computed keep their last good result; Retry runs this state again.
    for (const pattern of patterns) views.patterns.setBusy(pattern, false);
    const kept = page.patternResults.size ? ` ${text('status.kept_last_good')}` : '';  // none on a first load
    $('engine-status').textContent = `${isCancelled ? text('status.cancelled') : errorText(failure)}${kept}`;
    $('engine-retry').hidden = false;
    document.body.dataset.lastError = isCancelled ? 'cancelled' : errorText(failure);
    document.body.dataset.state = isCancelled ? 'cancelled' : 'error';
    return false;
  }
  if (failure) {
    // An error no control caused (relu features giving a zero row) stays in the status line.
    const isBesideControl = showCoreError(failure);
    $('engine-status').textContent = isBesideControl ? text('status.kept_last_good')
      : `${errorText(failure)} ${text('status.kept_last_good')}`;
    document.body.dataset.state = 'error';
    return false;
  }
  for (const key of page.coreErrorKeys) controls.clearError(key);
  page.coreErrorKeys.clear();
  page.patternResults = results;
  views.spectra.show(results, text);
  renderAllWords();
  // The heatmaps are drawn in steps of their own tasks: wait for them and a frame.
  await views.patterns.whenDrawn();
  if (generation !== page.generation) return false;
  await new Promise((resolve) => requestAnimationFrame(resolve));
  const elapsed = performance.now() - page.changeStarted;
  document.body.dataset.patternsMs = elapsed.toFixed(1);
  document.body.dataset.firstFigureMs ??= performance.now().toFixed(1);  // since navigation start
  setStatus('status.done', { ms: Math.round(elapsed) });
  return true;
}

// Stage 2: softmax vs linear, bidirectional vs causal (the patterns' results reused where they match).
async function computeLinear(generation) {
  const results = new Map();
  try {
    const list = await analyzeAll('linear', linearCases.map(([, kind, pattern]) => configFor(page.state, pattern, { kind })));
    linearCases.forEach(([id], index) => results.set(id, list[index]));
  } catch (error) {
    if (!isStale(error) && generation === page.generation) views.linear.showError({ message: errorText(error) });
    return;
  }
  if (generation !== page.generation) return;
  views.linear.show(results, text);
  renderAllWords();
}

// Stage 3: rank of the logits vs rank of softmax(s Q K^T) over a sweep of s (bidirectional).
async function computeRaises(generation) {
  const configs = raisesScales(page.state.n).map((scale) =>
    configFor(page.state, 'bidirectional', { kind: 'softmax', scale }));
  views.raises.setProgress(0, configs.length);
  try {
    const results = await analyzeAll('raises', configs, (done, total) => views.raises.setProgress(done, total));
    if (generation !== page.generation) return;
    views.raises.setProgress(configs.length, configs.length);
    views.raises.show(results, page.state.scale, text);
    page.raisesResults = results;
    renderAllWords();
  } catch (error) {
    views.raises.setProgress(1, 1);
    if (!isStale(error) && generation === page.generation) $('raises-words').dataset.error = errorText(error);
  }
}

function depthIsCheap() {
  return page.state.n ** 3 * page.state.layers <= kAutoDepthCost;
}

// Stage 4: rank collapse across depth, one collapse() per pattern (each superseding its own slot).
async function computeDepth(generation) {
  const status = $('depth-status');
  const started = performance.now();
  const run = ++page.depthRuns;
  clearStageError('layers');
  $('depth-cancel').disabled = false;
  try {
    const results = await collapseAll((pattern, config) => page.pool.background(`depth:${pattern}`, 'collapse', config),
      page.state, (done, total) => {
        if (generation === page.generation) status.textContent = text('depth.computing', { done, total });
      });
    if (generation !== page.generation) return;
    page.depthResults = results;
    views.depth.show(page.depthResults, page.state.depth_metric, text);
    document.body.dataset.depthMs = (performance.now() - started).toFixed(1);  // request to drawn, for tests
    status.textContent = '';
  } catch (error) {
    if (error?.code === 'cancelled' && run === page.depthRuns) status.textContent = text('status.cancelled');
    if (isStale(error) || generation !== page.generation) return;
    status.textContent = '';
    showStageError('layers', error);
  } finally {
    if (run === page.depthRuns) $('depth-cancel').disabled = true;
  }
}

// Stage 5: the forward/backward head mixture and the architecture counts.
async function computeHeads(generation) {
  const status = $('heads-status');
  status.textContent = text('heads.computing');
  clearStageError('heads');
  try {
    const [mixture, architectures] = await Promise.all([
      page.pool.background('heads', 'mixture', mixtureConfigFor(page.state)),
      page.pool.call('architectures', {}),
    ]);
    if (generation !== page.generation) return;
    page.headsResults = { mixture, architectures };
    views.heads.colour = page.state.colour;
    views.heads.show(mixture, architectures, text);
    status.textContent = '';
  } catch (error) {
    if (isStale(error) || generation !== page.generation) return;
    status.textContent = '';
    showStageError('heads', error);
  }
}

// Stage 6: the live verdicts of the essay's claims.
async function computeClaims(generation) {
  const status = $('claims-status');
  status.textContent = text('claims.computing');
  $('error-claims').hidden = true;
  try {
    const result = await page.pool.background('claims', 'claims', claimsConfigFor(page.state));
    if (generation !== page.generation) return;
    page.claimsResult = result;
    views.claims.show(result, null, text);
    status.textContent = '';
  } catch (error) {
    if (isStale(error) || generation !== page.generation) return;
    status.textContent = '';
    $('error-claims').textContent = error.message;
    $('error-claims').hidden = false;
  }
}

// Stage 7: the sweep view (on demand, or by itself when cheap).
async function runSweep() {
  const over = page.state.sweep_over;
  const values = sweepValues();
  const patterns = shownPatterns();
  const configs = [];
  for (const pattern of patterns) {
    for (const value of values) configs.push(configFor(page.state, pattern, { [over]: value }));
  }
  views.sweep.setRunning(true);
  views.sweep.setProgress(0, configs.length, text);
  clearStageError('sweep_values');
  try {
    const flat = await analyzeAll('sweep', configs, (done, total) => views.sweep.setProgress(done, total, text));
    const results = new Map(patterns.map((pattern, p) => [pattern, flat.slice(p * values.length, (p + 1) * values.length)]));
    views.sweep.show({ over, values, patterns, results }, page.state.sweep_stat, text);
    views.sweep.setStatus(text('progress.count', { done: configs.length, total: configs.length }));
  } catch (error) {
    if (error?.code === 'cancelled') views.sweep.setStatus(text('status.cancelled'));
    else if (!isStale(error)) showStageError('sweep_values', error);
  } finally {
    views.sweep.setRunning(false);
  }
}

function sweepValues() {
  return sweepValuesOf(page.state);
}

function sweepIsCheap() {
  return page.state.n <= kAutoSweepMaxN && (page.state.sweep_over !== 'n' ||
    sweepValues().every((value) => value <= kAutoSweepMaxN));
}

async function update() {
  const generation = ++page.generation;
  // The previous state's later stages are no longer wanted: their queued configs never run, so the
  // patterns wait at most for the analyses already running.
  for (const slot of ['linear', 'raises', 'sweep', 'heads', 'claims', ...depthPatterns.map(([pattern]) => `depth:${pattern}`)]) {
    page.pool.drop(slot);
  }
  page.depthResults = null;
  page.headsResults = null;
  page.claimsResult = null;
  page.known = new Map();
  document.body.dataset.state = 'computing';
  const isOk = await computePatterns(generation);
  if (!isOk || generation !== page.generation) return;
  document.body.dataset.state = 'done';
  document.body.dataset.updates = String(Number(document.body.dataset.updates ?? 0) + 1);
  await computeLinear(generation);
  if (generation !== page.generation) return;
  await computeRaises(generation);
  if (generation !== page.generation) return;
  if (depthIsCheap()) await computeDepth(generation);
  else $('depth-status').textContent = text('depth.on_demand');
  if (generation !== page.generation) return;
  if (page.state.n <= kAutoHeadsMaxN) await computeHeads(generation);
  else $('heads-status').textContent = text('heads.on_demand');
  if (generation !== page.generation) return;
  if (page.state.n <= kAutoClaimsMaxN) await computeClaims(generation);
  else $('claims-status').textContent = text('claims.on_demand');
  if (generation !== page.generation) return;
  if (sweepIsCheap()) await runSweep();
  else views.sweep.setStatus(text('sweep.on_demand'));
  if (generation === page.generation) document.body.dataset.stages = String(generation);
}

function redrawText() {
  applyStrings(document, page.lang);
  fillStatisticOptions();
  views.patterns.setText(text);
  views.load.setText(text);
  views.loadPatterns.setText(text);
  if (page.patternResults.size) views.spectra.show(page.patternResults, text);
  if (views.linear.results.size) views.linear.show(views.linear.results, text);
  if (page.raisesResults) views.raises.show(page.raisesResults, page.state.scale, text);
  if (page.depthResults) views.depth.show(page.depthResults, page.state.depth_metric, text);
  if (page.headsResults) views.heads.show(page.headsResults.mixture, page.headsResults.architectures, text);
  views.claims.render(text);
  views.sweep.plot(page.state.sweep_stat, text);
  views.exports?.setText();
  renderAllWords();
}

function renderAllWords() {
  renderWords(document, page.lang, {
    state: page.state,
    patterns: page.patternResults,
    linear: views.linear.results,
    raises: page.raisesResults ?? [],
  });
}

function fillStatisticOptions() {
  const fill = (key, values, label) => {
    const select = controls.field(key);
    select.replaceChildren(...values.map((value) => {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = text(label(value));
      return option;
    }));
    select.value = page.state[key];
  };
  fill('sweep_stat', sweepStatistics, (key) => `stat.${key}`);
  fill('depth_variant', depthVariants, (variant) => `depth.variant.${variant}`);
  fill('depth_metric', depthMetrics, (metric) => `depth.metric.${metric}`);
}

// A control changed: validate, then update the URL and recompute what depends on it.
function onControlChange(key) {
  page.lastChanged = key;
  page.changeStarted = performance.now();
  const checked = validateField(key, controls.raw(key), page.limits, page.state);
  if ('error' in checked) {
    controls.showError(key, checked.error);
    return;
  }
  controls.clearError(key);
  if (key === 'sweep_over') {
    // The values must suit the new axis (integers in range for n and d).
    const values = validateField('sweep_values', controls.raw('sweep_values'), page.limits, { ...page.state, sweep_over: checked.value });
    if ('error' in values) {
      page.state = { ...page.state, sweep_over: checked.value };
      writeUrl();
      controls.showError('sweep_values', values.error);
      return;
    }
  }
  page.state = { ...page.state, [key]: checked.value };
  writeUrl();
  syncDependentControls();
  if (key === 'lang') {
    const lang = pickLanguage(page.state.lang, navigator.language);
    loadedLanguage(lang).then((loaded) => {
      if (pickLanguage(page.state.lang, navigator.language) !== lang) return;  // a later switch wins
      page.lang = loaded;
      redrawText();
    });
  } else if (key === 'colour') {
    views.patterns.setColour(page.state.colour);
    views.heads.setColour(page.state.colour);
    views.loadPatterns.setColour(page.state.colour);
  } else if (key === 'sweep_stat') {
    views.sweep.plot(page.state.sweep_stat, text);
  } else if (key === 'depth_metric') {
    if (page.depthResults) views.depth.show(page.depthResults, page.state.depth_metric, text);
  } else if (depthKeys.has(key)) {
    computeDepth(page.generation);
  } else if (key === 'heads') {
    computeHeads(page.generation);
  } else if (sweepKeys.has(key)) {
    runSweep();
  } else if (!drawingKeys.has(key)) {
    update();
  }
}

function applyPreset(name) {
  page.lastChanged = null;
  page.changeStarted = performance.now();
  page.state = { ...page.state, ...presets[name] };
  controls.clearErrors();
  controls.write(page.state);
  writeUrl();
  syncDependentControls();
  update();
}

async function copyLink() {
  const status = $('copy-status');
  try {
    await navigator.clipboard.writeText(location.href);
    status.textContent = text('status.link_copied');
  } catch {
    status.textContent = text('status.copy_failed');
  }
}

function analyzeUserInputs({ q, k, n, d }) {
  const grid = views.loadPatterns;
  grid.setPatterns(mainPatterns);
  $('error-load').hidden = true;
  for (const pattern of mainPatterns) {
    grid.setBusy(pattern, true);
    const config = configFor(page.state, pattern, { want_matrix: true, n, d });
    for (const key of ['seed', 'rope', 'repeat']) delete config[key];
    if (page.state.prefix === null) delete config.prefix;
    page.pool.request(`load:${pattern}`, 'analyze', { ...config, q, k })
      .then((result) => grid.showResult(pattern, result))
      .catch((error) => {
        if (isStale(error)) return;
        grid.setBusy(pattern, false);
        views.load.showError(error.message);
      });
  }
}

function wireControls() {
  for (const key of controls.keys()) {
    const element = controls.field(key);
    const isText = element.tagName === 'INPUT' && element.type === 'text';
    // Text fields commit on Enter or leaving the field (change); the rest on every input.
    element.addEventListener(isText ? 'change' : 'input', () => onControlChange(key));
  }
  for (const slider of document.querySelectorAll('[data-slider-for]')) {
    slider.addEventListener('input', () => {
      const key = slider.dataset.sliderFor;
      controls.field(key).value = controls.sliderText(slider);
      onControlChange(key);
    });
  }
  for (const button of document.querySelectorAll('[data-preset]')) {
    button.addEventListener('click', () => applyPreset(button.dataset.preset));
  }
  $('copy-link').addEventListener('click', copyLink);
  $('controls').addEventListener('submit', (event) => event.preventDefault());
  $('sweep-run').addEventListener('click', () => runSweep());
  $('depth-run').addEventListener('click', () => computeDepth(page.generation));
  $('heads-run').addEventListener('click', () => computeHeads(page.generation));
  $('claims-run').addEventListener('click', () => computeClaims(page.generation));
  $('sweep-cancel').addEventListener('click', () => page.pool.cancel('sweep'));
  $('depth-cancel').addEventListener('click', () => {
    for (const [pattern] of depthPatterns) page.pool.cancel(`depth:${pattern}`);
  });
  $('patterns-cancel').addEventListener('click', () => {
    for (const pattern of shownPatterns()) page.pool.cancel(`pattern:${pattern}`);
  });
  $('engine-retry').addEventListener('click', () => update());
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      for (const view of Object.values(views)) view.redraw?.();
    }, 120);
  });
}

function createViews() {
  const saveMatrix = async (result) => downloadBlob(await matrixToNpy(page.pool, result),
    `attnrank-${result.pattern}-n${result.n}.npy`);
  views.patterns = new PatternsView($('patterns-grid'), text, { onNpy: saveMatrix, onError: showExportError });
  views.spectra = new SpectraView($('spectra-chart'), $('spectra-legend'));
  views.linear = new LinearView({ canvas: $('linear-chart'), legend: $('linear-legend'), table: $('linear-table'),
    error: $('linear-error') });
  views.raises = new RaisesRankView({ canvas: $('raises-chart'), legend: $('raises-legend'), progress: $('raises-progress') });
  views.sweep = new SweepView({ canvas: $('sweep-chart'), legend: $('sweep-legend'), progress: $('sweep-progress'),
    status: $('sweep-status'), runButton: $('sweep-run'), cancelButton: $('sweep-cancel') });
  views.depth = new DepthView({ canvas: $('depth-chart'), legend: $('depth-legend'), heatmap: $('depth-heatmap') });
  views.heads = new HeadsView({ panels: buildHeadPanels($('heads-grid')), table: $('heads-table'), archTable: $('arch-table'),
    archNote: $('arch-note') });
  views.claims = new ClaimsView($('claims-list'));
  views.loadPatterns = new PatternsView($('load-grid'), text, { onNpy: saveMatrix, onError: showExportError });
  views.load = new LoadView({ dropZone: $('load-drop'), qInput: $('load-q'), kInput: $('load-k'),
    summary: $('load-summary'), error: $('error-load'), analyzeButton: $('load-analyze') },
  { parseNpy: (bytes, label) => page.pool.call('parse_npy', bytes, label), onAnalyze: analyzeUserInputs, text });
  views.exports = attachExports({ pool: page.pool, views, text, state: () => page.state,
    patternResults: () => page.patternResults, linearResults: () => views.linear.results,
    raisesResults: () => page.raisesResults, loadResults: () => views.loadPatterns.results,
    depthResults: () => page.depthResults, headsResults: () => page.headsResults, claimsResult: () => page.claimsResult,
    onError: showExportError });
}

// lang once its strings are loaded (t() reads only loaded tables); English, always loaded, if they cannot
// be, with the failure on the console.
async function loadedLanguage(lang) {
  try {
    await loadLanguage(lang);
    return lang;
  } catch (error) {
    console.error(error);
    return 'en';
  }
}

async function main() {
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, claimsStyleSheet()];
  page.lang = await loadedLanguage(pickLanguage(null, navigator.language));
  applyStrings(document, page.lang);
  page.pool = pool;
  try {
    await patternRegistry;
    const [limits, messages, version] = await engineFacts;
    page.limits = { ...limits, messages };  // url-state words its checks with the core's messages()
    $('version').textContent = `attnrank ${version}`;
  } catch (error) {
    $('engine-status').textContent = error.message;
    document.body.dataset.state = 'error';
    return;
  }
  const { state, errors } = parseState(new URLSearchParams(location.search), page.limits);
  page.state = state;
  page.lang = await loadedLanguage(pickLanguage(state.lang, navigator.language));
  createViews();
  controls.write(state);
  syncDependentControls();
  if (!state.lang) controls.writeOne('lang', page.lang);
  redrawText();
  for (const [key, message] of Object.entries(errors)) controls.showError(key, message);
  views.patterns.setColour(state.colour);
  views.loadPatterns.setColour(state.colour);
  wireControls();
  page.changeStarted = performance.now();
  await update();
}

main();
