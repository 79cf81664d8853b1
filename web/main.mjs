// The explorer page's wiring, and nothing else: URL -> state -> controls; a control change -> validate
// (url-state.mjs) -> URL (history.replaceState) -> the figures' stages, in order. Each figure kind is one
// module of web/views/figures/ (the same modules <attn-figure> uses): it builds its configs from the state,
// asks the engine and draws with its view; views/figures/page-host.mjs is the page as their host (status
// line, where an error goes, the engine of each stage). Stages: the patterns first (and their spectra),
// then the linear contrast, the softmax-raises-rank sweep, depth, heads, claims and the sweep view, so the
// first figures never wait for the rest: the later stages start once the patterns are drawn and no newer
// change came for kLaterStagesDelayMs, run at the
// engine's background priority, are dropped when the state changes, and never ask the engine again for a
// configuration an earlier stage computed. The figures below the first view (explorer-later.mjs) load once the
// first figure is drawn, or when one of their controls is used first.
import { EnginePool } from './engine/engine-client.mjs';
import { installPatterns } from './state/pattern-registry.mjs';
import { automaticLogFloor } from './render/colormap.mjs';
import { formatTickValue } from './render/canvas-util.mjs';
import { seriesCss } from './render/series-palette.mjs';

// The engine's workers start loading the wasm first, and the first one ready answers limits() and
// version() (a call waits for one worker, not all); the page's other modules load meanwhile (explorer-first.mjs,
// then explorer-later.mjs once the first figure is drawn).
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
const {
  parseState, serializeState, switchSweepAxis, validateField, applyStrings, enStrings, loadLanguage, pickLanguage, t,
  Controls, buildControlFields, KnownResults, PageHost, PatternsSection, SpectraSection, claimsStyleSheet, tableStyleSheet,
  forcedColoursStyleSheet, renderWords, attachExports,
} = await import('./explorer-first.mjs');
// Fetch the URL's language while the engine starts (main() awaits it before rendering in it).
loadLanguage(pickLanguage(new URLSearchParams(location.search).get('lang'), navigator.language)).catch(() => {});


// The controls' fields, from the core's parameter registry, into index.html's places (control-fields.mjs).
buildControlFields(document.body, enStrings);
// On a phone the figures come first: the controls' panel starts closed (its summary stays at the top).
if (matchMedia('(max-width: 600px)').matches) document.getElementById('controls-panel').open = false;

const $ = (id) => document.getElementById(id);
const presets = {
  bert: { n: 512, d: 64, prefix: null, window: 4 },
  small: { n: 32, d: 4, prefix: null, window: 4 },
  hot: { scale: 0.25 },
};
// Keys that only change how results are drawn (no new analysis).
const drawingKeys = new Set(['colour', 'colour_range', 'lang', 'sweep_stat', 'depth_metric']);
// Keys that only concern the sweep view.
const sweepKeys = new Set(['sweep_over', 'sweep_values', 'sweep_stat']);
// Keys that only concern the depth view (depth_metric only redraws).
const depthKeys = new Set(['layers', 'depth_variant', 'depth_metric']);
// The heads view runs by itself while its H + 2 SVDs of n x n stay cheap.
const kAutoHeadsMaxN = 256;
// The claims' verdicts (about ten SVDs of n x n and a head mixture) run by themselves up to this n.
const kAutoClaimsMaxN = 256;
// The later stages start this long after the patterns are drawn, when no newer change came meanwhile: while
// a slider moves (an input every 15-50 ms), each new value finds the engine's workers free for its patterns
// instead of busy with the later stages of a value already passed (a running analysis cannot be stopped
// without losing its worker).
const kLaterStagesDelayMs = 200;

let lang = 'en';
const text = (key, params) => t(lang, key, params);
const controls = new Controls(document.body);
const page = new PageHost({ pool, controls, text });  // state, generation, status and errors of the page
const sections = {};  // the figures of the page (web/views/figures/), by stage
let exportBars = null;

// The feature map matters only for linear attention, and m only for its favor map: disabled otherwise
// (style.css shows a disabled field as such).
function syncDependentControls() {
  const isLinear = page.state.kind === 'linear';
  controls.field('feature').disabled = !isLinear;
  controls.field('features').disabled = !isLinear || page.state.feature !== 'favor';
  showAutomaticColour();
}

// The colour control's "automatic" option says the scale it draws at this n (log from 1/n^2 to 1), so the
// control shows the scale the heatmaps use (a "log colour" box once stayed unchecked while log was drawn).
function showAutomaticColour() {
  const option = controls.field('colour')?.querySelector('option[value="auto"]');
  if (option) option.textContent = text('control.colour.auto_is', { floor: formatTickValue(automaticLogFloor(page.state.n)) });
}

// The sweep values the reader last used on each axis this visit (switchSweepAxis).
let sweepValuesByAxis = {};

// Every change of the state goes through here: the URL, and the export bars' Embed notes of the old state go.
function writeUrl() {
  const query = serializeState(page.state).toString();
  history.replaceState(null, '', query ? `?${query}` : location.pathname);
  exportBars?.stateChanged();
}

async function update() {
  const generation = ++page.generation;
  // The previous state's later stages are no longer wanted: their queued configs never run, so the
  // patterns wait at most for the analyses already running.
  for (const slot of ['linear', 'raises', 'sweep', 'heads', 'claims', ...(sections.depth?.slots() ?? [])]) pool.drop(slot);
  if (sections.depth) sections.depth.results = null;
  if (sections.heads) sections.heads.results = null;
  if (sections.claims) sections.claims.result = null;
  page.known = new KnownResults();
  document.body.dataset.state = 'computing';
  const isOk = await sections.patterns.run(generation);
  const later = laterSections();  // the figures below load from the first figure (or its error) on, beside the delay
  if (!isOk || generation !== page.generation) return;
  document.body.dataset.state = 'done';
  document.body.dataset.updates = String(Number(document.body.dataset.updates ?? 0) + 1);
  await new Promise((resolve) => setTimeout(resolve, kLaterStagesDelayMs));
  if (generation !== page.generation) return;
  await later;
  if (generation !== page.generation) return;
  await sections.linear.run(generation);
  if (generation !== page.generation) return;
  await sections.raises.run(generation);
  if (generation !== page.generation) return;
  if (sections.depth.isCheap()) await sections.depth.run(generation);
  else $('depth-status').textContent = text('depth.on_demand');
  if (generation !== page.generation) return;
  if (page.state.n <= kAutoHeadsMaxN) await sections.heads.run(generation);
  else $('heads-status').textContent = text('heads.on_demand');
  if (generation !== page.generation) return;
  if (page.state.n <= kAutoClaimsMaxN) await sections.claims.run(generation);
  else $('claims-status').textContent = text('claims.on_demand');
  if (generation !== page.generation) return;
  if (sections.sweep.isCheap()) await sections.sweep.run();
  else sections.sweep.view.setStatus(text('sweep.on_demand'));
  if (generation === page.generation) document.body.dataset.stages = String(generation);
}

// The link to the essay keeps the page's language (essay.html reads ?lang).
function linkEssay() {
  const link = $('essay-link');
  if (link) link.href = `essay.html?lang=${lang}`;
  const labLink = $('lab-link');
  if (labLink) labLink.href = `lab.html?lang=${lang}`;
}

function redrawText() {
  applyStrings(document, lang);
  showAutomaticColour();
  linkEssay();
  for (const section of Object.values(sections)) section.setText(text);
  exportBars?.setText();
  renderAllWords();
}

function renderAllWords() {
  renderWords(document, lang, {
    state: page.state,
    patterns: sections.patterns.results,
    linear: sections.linear?.results ?? new Map(),  // none yet before the later figures are made
    raises: sections.raises?.results ?? [],
  });
}

// A control changed: validate, then update the URL and recompute what depends on it. event: the DOM event
// of the change; the page's "done in ... ms" counts from its time stamp (when the browser received the
// input, so a busy main thread's delay in handling it is counted too).
function onControlChange(key, event = null) {
  page.lastChanged = key;
  page.changeStarted = event?.timeStamp > 0 ? event.timeStamp : performance.now();
  const checked = validateField(key, controls.raw(key), page.limits, page.state);
  if ('error' in checked) {
    controls.showError(key, checked.error);
    return;
  }
  controls.clearError(key);
  controls.syncSlider(key, checked.value);
  if (key === 'sweep_over') {
    // Each axis keeps its own values: those last used on it, else its default (url-state.mjs sweepDefaults).
    const switched = switchSweepAxis(page.state, checked.value, sweepValuesByAxis);
    sweepValuesByAxis = switched.remembered;
    page.state = switched.state;
    controls.writeOne('sweep_values', page.state.sweep_values);
    controls.clearError('sweep_values');
    writeUrl();
    laterSections().then(() => sections.sweep.run());
    return;
  }
  page.state = { ...page.state, [key]: checked.value };
  writeUrl();
  syncDependentControls();
  if (key === 'lang') {
    const wanted = pickLanguage(page.state.lang, navigator.language);
    loadedLanguage(wanted).then((loaded) => {
      if (pickLanguage(page.state.lang, navigator.language) !== wanted) return;  // a later switch wins
      lang = loaded;
      redrawText();
    });
  } else if (key === 'colour' || key === 'colour_range') {
    const { colour, colour_range: colourRange } = page.state;
    sections.patterns.view.setColour(colour, colourRange);
    sections.heads?.view.setColour(colour, colourRange);  // else set when they are made (laterSections)
    sections.load?.patterns.setColour(colour, colourRange);
  } else if (key === 'sweep_stat') {
    laterSections().then(() => sections.sweep.view.plot(page.state.sweep_stat, text));
  } else if (key === 'depth_metric') {
    laterSections().then(() => {
      if (sections.depth.results) sections.depth.view.show(sections.depth.results, page.state.depth_metric, text);
    });
  } else if (depthKeys.has(key)) {
    const generation = page.generation;
    laterSections().then(() => sections.depth.run(generation));
  } else if (key === 'heads') {
    const generation = page.generation;
    laterSections().then(() => sections.heads.run(generation));
  } else if (sweepKeys.has(key)) {
    laterSections().then(() => sections.sweep.run());
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

function wireControls() {
  for (const key of controls.keys()) {
    const element = controls.field(key);
    const isText = element.tagName === 'INPUT' && element.type === 'text';
    // Text fields commit on Enter or leaving the field (change); the rest on every input.
    element.addEventListener(isText ? 'change' : 'input', (event) => onControlChange(key, event));
  }
  for (const slider of document.querySelectorAll('[data-slider-for]')) {
    slider.addEventListener('input', (event) => {
      const key = slider.dataset.sliderFor;
      controls.field(key).value = controls.sliderText(slider);
      onControlChange(key, event);
    });
  }
  for (const button of document.querySelectorAll('[data-preset]')) {
    button.addEventListener('click', () => applyPreset(button.dataset.preset));
  }
  $('copy-link').addEventListener('click', copyLink);
  $('controls').addEventListener('submit', (event) => event.preventDefault());
  $('engine-retry').addEventListener('click', () => update());
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      for (const view of [...Object.values(sections).map((section) => section.view), sections.load?.patterns]) view?.redraw?.();
    }, 120);
  });
}

// A panel's .npy button: the matrix written by the core in a worker (export.mjs, loaded when first used).
async function onNpy(result) {
  const { downloadBlob, matrixFileName, matrixToNpy } = await import('./export.mjs');
  downloadBlob(await matrixToNpy(pool, result), matrixFileName(result));
}

// The page's figures of the first view (each section builds its view on the page's elements and wires its Run
// and Cancel buttons) and the export bars under every figure (each reads its figure's view and results when
// used: the later figures' may not be made yet).
function createSections() {
  sections.patterns = new PatternsSection(page, { onNpy, onResults: (results) => {
    sections.spectra.show(results);
    renderAllWords();
  } });
  sections.spectra = new SpectraSection(page);
  page.renderWords = renderAllWords;
  const views = {};
  for (const name of ['sweep', 'spectra', 'linear', 'raises', 'depth']) {
    Object.defineProperty(views, name, { get: () => sections[name]?.view, enumerable: true });
  }
  exportBars = attachExports({ pool, views, text, state: () => page.state,
    patternResults: () => sections.patterns.results, linearResults: () => sections.linear?.results,
    raisesResults: () => sections.raises?.results, loadResults: () => sections.load?.patterns.results,
    depthResults: () => sections.depth?.results, headsResults: () => sections.heads?.results,
    claimsResult: () => sections.claims?.result, lang: () => lang, onError: (error) => page.showExportError(error) });
}

// The figures below the first view (explorer-later.mjs), made once their module is loaded, in the page's state,
// colours and language; the promise is made once (at the first figure, or a control of theirs used first).
let laterSectionsMade = null;
let laterSectionsReady = false;
function laterSections() {
  laterSectionsMade ??= import('./explorer-later.mjs').then((later) => {
    sections.linear = new later.LinearSection(page);
    sections.raises = new later.RaisesRankSection(page);
    sections.sweep = new later.SweepSection(page);
    sections.depth = new later.DepthSection(page);
    sections.heads = new later.HeadsSection(page);
    sections.claims = new later.ClaimsSection(page);
    sections.load = new later.LoadSection(page, { onNpy, onResults: () => exportBars?.refresh() });
    sections.heads.view.setColour(page.state.colour, page.state.colour_range);
    sections.load.patterns.setColour(page.state.colour, page.state.colour_range);
    for (const key of ['linear', 'raises', 'sweep', 'depth', 'heads', 'claims', 'load']) sections[key].setText(text);
    exportBars?.refresh();
    laterSectionsReady = true;
  });
  return laterSectionsMade;
}

// A Run button of a figure below, pressed before that figure's chunk has arrived (its listener comes with the
// chunk), is held and pressed again once the chunk is in, so no press is lost.
for (const id of ['sweep-run', 'depth-run', 'heads-run', 'claims-run']) {
  const button = document.getElementById(id);
  button?.addEventListener('click', () => {
    if (!laterSectionsReady) laterSections().then(() => button.click());
  });
}

// lang once its strings are loaded (t() reads only loaded tables); English, always loaded, if they cannot
// be, with the failure on the console.
async function loadedLanguage(wanted) {
  try {
    await loadLanguage(wanted);
    return wanted;
  } catch (error) {
    console.error(error);
    return 'en';
  }
}

async function main() {
  const seriesSheet = new CSSStyleSheet();
  seriesSheet.replaceSync(seriesCss(':root'));
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, seriesSheet, claimsStyleSheet(), tableStyleSheet(),
    forcedColoursStyleSheet()];
  lang = await loadedLanguage(pickLanguage(null, navigator.language));
  applyStrings(document, lang);
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
  lang = await loadedLanguage(pickLanguage(state.lang, navigator.language));
  createSections();
  controls.write(state);
  syncDependentControls();
  if (!state.lang) controls.writeOne('lang', lang);
  redrawText();
  for (const [key, message] of Object.entries(errors)) controls.showError(key, message);
  sections.patterns.view.setColour(state.colour, state.colour_range);
  wireControls();
  page.changeStarted = performance.now();
  await update();
}

main();
