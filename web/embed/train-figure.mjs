// <attn-figure kind="train" experiment="..."> (issue 18 item 5): the training lab's figure for a post. With the
// experiment's default settings it shows at once the gallery's reference runs (web/lab/gallery/, the native
// trainer's); it trains only when the reader presses Run (or the autorun attribute is set): every
// configuration x seed in lab workers (lab/run-pool.mjs, as the lab page), the figure refreshed as checkpoints
// arrive (at most once a second under prefers-reduced-motion). One view (attribute `view`): the held-out
// curves with the core's verdicts, the learned attention of one run at step 0 and its last checkpoint, or
// that run's rank statistics against step. Loaded by figure-kinds.mjs when a train figure first runs. The
// drawing is the lab page's (uplot-chart.mjs, attention-panel.mjs, verdicts-view.mjs), the numbers
// gallery.mjs's and curves-data.mjs's, the checks lab-state.mjs's in the core's words; nothing is drawn here.
import { LabWorker } from '../engine/lab-client.mjs';
import { formatTickValue } from '../render/canvas-util.mjs';
import { AttentionPanel } from '../lab/attention-panel.mjs';
import { loadCorpus } from '../lab/corpus.mjs';
import { metricBands } from '../lab/curves-data.mjs';
import { estimatedSeconds, needsWarning, poolSize } from '../lab/device.mjs';
import { curvesSpec, rankSpecs } from '../lab/figure-specs.mjs';
import { galleryRuns, gallerySettings, loadGallery } from '../lab/gallery.mjs';
import { experimentOf, givenOptionsOf, labDefaults, optionKeys, runSpecsOf, seedsOf, validateLabField } from '../lab/lab-state.mjs';
import { labWords, loadLabLanguage } from '../lab/lab-words.mjs';
import { RunPool, preflightRuns, secondsLeft } from '../lab/run-pool.mjs';
import { LabChart } from '../lab/uplot-chart.mjs';
import { VerdictsView, verdictRecordsJsonl } from '../lab/verdicts-view.mjs';
import { coreWords, readerMessage } from '../state/url-state.mjs';
import { echoed, trainAttributeOf, trainViews } from './attribute-state.mjs';

const kReducedMotionMs = 1000;
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
const device = { hardwareConcurrency: navigator.hardwareConcurrency, deviceMemory: navigator.deviceMemory };

// The lab's stylesheets (uPlot's own and the lab page's classes), adopted into each train figure's shadow root:
// fetched once per page, as the figure's other sheets are constructed (CSSOM: the strict CSP holds).
const kSheetUrls = [new URL('../vendor/uplot/uPlot.min.css', import.meta.url), new URL('../lab/lab.css', import.meta.url)];
let sheets = null;
function labSheets() {
  if (!sheets) {
    sheets = Promise.all(kSheetUrls.map(async (url) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(await response.text());
      return sheet;
    }));
    sheets.catch(() => { sheets = null; });
  }
  return sheets;
}

// The figure's own layout (beside the lab's classes).
const trainCss = `
.train-actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.5rem 0 0; }
.train-actions button { font: inherit; font-size: 0.85rem; color: inherit; background: transparent; cursor: pointer;
  border: 1px solid var(--rule); border-radius: 4px; padding: 0.25rem 0.6rem; }
.train-actions button.primary { background: var(--accent); color: var(--accent-text); border-color: var(--accent); }
.train-actions button:disabled { opacity: 0.5; cursor: default; }
.train-view h3 { margin: 0.4rem 0; font-size: 0.95rem; }
.train-view h4 { margin: 0 0 0.3rem; font-size: 0.85rem; font-weight: 600; }
.train-status { margin: 0.4rem 0 0; font-size: 0.8rem; color: var(--muted); }
.train-verdicts { font-size: 0.85rem; }
.train-verdicts p { margin: 0.5rem 0 0; }
.train-view .lab-rank-grid { grid-template-columns: minmax(0, 1fr); }
@container (min-width: 760px) { .train-view .lab-rank-grid { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
@container (max-width: 560px) { .train-view .lab-heads:has(.is-compared) { grid-template-columns: minmax(0, 1fr); } }
`;
let trainSheet = null;
function trainStyleSheet() {
  if (!trainSheet) {
    trainSheet = new CSSStyleSheet();
    trainSheet.replaceSync(trainCss);
  }
  return trainSheet;
}

// The core's lab_experiments() in the page's shared engine (one call per page).
let experimentsLoad = null;
function experimentsOf(engine) {
  if (!experimentsLoad) {
    experimentsLoad = engine.call('lab_experiments').then((table) =>
      table.experiments.map((entry) => ({ ...entry, seeds: Array.from(entry.seeds) })));
    experimentsLoad.catch(() => { experimentsLoad = null; });
  }
  return experimentsLoad;
}

function attributeError(message, attribute) {
  return Object.assign(new Error(message), { attribute });
}

// A message of lab-state.mjs's checks (the core's words, naming the train parameter) naming the attribute.
function inAttributeWords(message) {
  return readerMessage(message, (key) => trainAttributeOf(key), (name) => (optionKeys.includes(name) ? name : ''));
}

// The figure's attributes -> { experiment, state (lab-state.mjs's), view, configuration, autorun }; a bad one
// throws its message with error.attribute.
export function trainSettings(attribute, experiments, limits) {
  const context = { experiments, limits };
  const check = (key, name, raw) => {
    const checked = validateLabField(key, raw, context);
    if (!checked.error) return checked.value;
    // A long value is echoed cut, as the core echoes values (its message of the cut text, when that is wrong too).
    const message = echoed(raw) === raw ? checked.error : validateLabField(key, echoed(raw), context).error ?? checked.error;
    throw attributeError(inAttributeWords(message), name);
  };
  const state = { ...labDefaults };
  const experimentText = attribute('experiment');
  if (experimentText !== null) state.experiment = check('experiment', 'experiment', experimentText);
  const seedsText = attribute('seeds');
  if (seedsText !== null) state.seeds = check('seeds', 'seeds', seedsText);
  for (const key of optionKeys) {
    const name = trainAttributeOf(key);
    const raw = attribute(name);
    if (raw !== null) state[key] = check(key, name, raw);
  }
  const experiment = experimentOf(state, experiments);
  const choice = (name, choices, fallback) => {
    const raw = attribute(name);
    if (raw === null) return fallback;
    const value = raw.trim();
    if (!choices.includes(value)) {
      throw attributeError(coreWords(limits, 'unknown_choice', { param: name, value: echoed(value), choices: choices.join(', ') }), name);
    }
    return value;
  };
  const view = choice('view', trainViews, trainViews[0]);
  const configuration = choice('configuration', experiment.configs, experiment.configs[0]);
  // autorun is a boolean attribute: present (autorun, autorun="", "true", "1") or "false", "0".
  const autorunText = attribute('autorun');
  let autorun = false;
  if (autorunText !== null) {
    const value = autorunText.trim().toLowerCase();
    if (['', 'autorun', 'true', '1'].includes(value)) autorun = true;
    else if (!['false', '0'].includes(value)) {
      throw attributeError(coreWords(limits, 'not_boolean_type', { param: 'autorun', value: `"${echoed(autorunText)}"`, type: 'string' }), 'autorun');
    }
  }
  return { experiment, state, view, configuration, autorun };
}

// The gallery settings an attribute names (index.json lists them per experiment: 'default', and e.g. 'long'),
// checked against the index: 'default' when absent. Other settings set the runs' options and seeds themselves.
async function settingsOf(attribute, settings, limits) {
  const raw = attribute('settings');
  if (raw === null) return 'default';
  const name = raw.trim();
  const listed = await gallerySettings(settings.experiment.id);
  if (!listed.includes(name)) {
    throw attributeError(coreWords(limits, 'unknown_choice', { param: 'settings', value: echoed(name), choices: listed.join(', ') || 'default' }), 'settings');
  }
  const { state } = settings;
  if (name !== 'default' && (state.seeds !== null || Object.keys(givenOptionsOf(state)).length > 0)) {
    throw attributeError(`settings=${echoed(name)} sets the runs' seeds and options itself: leave out seeds and the train options`, 'settings');
  }
  return name;
}

// A state that trains the runs of gallery file `gallery` (its options where they differ from the experiment's, its seeds).
function withGalleryOptions(state, gallery, experiment) {
  const options = Object.fromEntries(optionKeys.filter((key) => gallery.options?.[key] !== undefined && gallery.options[key] !== experiment.options?.[key])
    .map((key) => [key, gallery.options[key]]));
  const isSameSeeds = JSON.stringify(gallery.seeds) === JSON.stringify(experiment.seeds);
  return { ...state, ...options, seeds: isSameSeeds ? null : [...gallery.seeds] };
}

// The attribute a core error of lab_start is about: its train parameter's (seed: seeds; the experiment's own
// keys: experiment).
function attributeOfTrainParam(param) {
  if (param === 'seed') return 'seeds';
  if (['task', 'masks', 'attention', 'corpus', 'positions'].includes(param)) return 'experiment';
  return optionKeys.includes(param) ? trainAttributeOf(param) : '';
}

function make(document, tag, className) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  return element;
}

export class LabTrainFigure {
  #body;
  #root;
  #caption;
  #view;
  #verdictsBox;
  #status;
  #runButton;
  #stopButton;
  #confirm;            // the warning's answer buttons: { box, start, cancel }
  #text = labWords('en');
  #lang = 'en';
  #settings = null;
  #shown = null;       // { key, source: 'gallery' | 'run' | null, runs, experiment, gallery, verdicts, ms }
  #training = null;    // { key, pool, startedAt, promise, stopped }
  #finished = null;    // the last finished training's #shown
  #approved = null;    // the runs' key the reader pressed Run for
  #autoStarted = new Set();  // keys autorun has trained
  #latest = 0;
  #rerun = () => {};
  #engine = null;
  #charts = [];        // LabCharts of the view
  #attention = null;   // AttentionPanel
  #verdicts = null;
  #drawnKey = '';
  #themeKey = '';
  #renderTimer = null;  // cancels the scheduled render
  #lastRender = 0;

  constructor(body) {
    this.#body = body;
    const document = body.ownerDocument;
    this.#root = make(document, 'div', 'train');
    this.#caption = make(document, 'p', 'caption');
    this.#view = make(document, 'div', 'train-view');
    this.#verdictsBox = make(document, 'div', 'train-verdicts');
    this.#verdictsBox.hidden = true;
    this.#verdicts = new VerdictsView(this.#verdictsBox);
    this.#status = make(document, 'p', 'train-status');
    this.#status.setAttribute('aria-live', 'polite');
    const actions = make(document, 'p', 'train-actions');
    this.#runButton = make(document, 'button', 'primary');
    this.#runButton.type = 'button';
    this.#runButton.dataset.action = 'run';
    this.#stopButton = make(document, 'button');
    this.#stopButton.type = 'button';
    this.#stopButton.dataset.action = 'stop';
    this.#stopButton.hidden = true;
    // Before a long training on a small device (device.mjs, as the lab page): Start anyway or Cancel.
    const confirmBox = make(document, 'span', 'train-confirm');
    confirmBox.hidden = true;
    const start = make(document, 'button', 'primary');
    start.type = 'button';
    start.dataset.action = 'start';
    const cancel = make(document, 'button');
    cancel.type = 'button';
    cancel.dataset.action = 'cancel';
    confirmBox.append(start, ' ', cancel);
    this.#confirm = { box: confirmBox, start, cancel };
    actions.append(this.#runButton, this.#stopButton, confirmBox);
    this.#root.append(this.#caption, this.#view, this.#verdictsBox, this.#status, actions);
    body.append(this.#root);
    this.#runButton.addEventListener('click', () => {
      this.#approved = this.#shown?.key ?? null;
      this.#finished = null;
      this.#rerun();
    });
    this.#stopButton.addEventListener('click', () => this.#stop());
  }

  async run(context) {
    const runId = ++this.#latest;
    const isLatest = () => runId === this.#latest;
    this.#rerun = context.rerun;
    this.#engine = context.pool;
    const shadow = this.#body.getRootNode();
    const [labSheetList, experiments] = await Promise.all([labSheets(), experimentsOf(context.pool), loadLabLanguage(context.lang)]);
    if (!isLatest()) return {};
    if (shadow.adoptedStyleSheets && !shadow.adoptedStyleSheets.includes(labSheetList[0])) {
      shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, ...labSheetList, trainStyleSheet()];
    }
    const languageChanged = this.#lang !== context.lang;
    this.#lang = context.lang;
    this.#text = labWords(context.lang);
    let settings;
    try {
      settings = trainSettings(context.attribute, experiments, context.limits);
    } catch (error) {
      if (this.#training) this.#endTraining();  // the figure shows the error; what trained is kept, not continued
      throw error;
    }
    let settingsName;
    let settingsGallery = null;
    try {
      settingsName = await settingsOf(context.attribute, settings, context.limits);
      if (settingsName !== 'default') settingsGallery = await loadGallery(settings.experiment.id, settingsName);
    } catch (error) {
      if (this.#training) this.#endTraining();
      throw error;
    }
    if (!isLatest()) return {};
    if (settingsGallery) settings.state = withGalleryOptions(settings.state, settingsGallery, settings.experiment);
    const viewChanged = settings.view !== this.#settings?.view;
    this.#settings = settings;
    if (viewChanged || languageChanged) this.#clearView();
    const { experiment, state } = settings;
    const specs = runSpecsOf(state, experiment);
    const key = JSON.stringify(specs.map((spec) => spec.config));
    // Another experiment or other settings: a training of the old ones stops.
    if (this.#training && this.#training.key !== key) this.#endTraining();
    if (this.#training?.key === key) {  // the same runs, asked again (the language, the view): wait for them
      this.#render();
      return this.#training.promise;
    }
    if (this.#finished?.key === key) {
      this.#show(this.#finished);
      return { detail: { source: 'run', ms: this.#finished.ms } };
    }
    const wantsRun = this.#approved === key || (settings.autorun && !this.#autoStarted.has(key));
    if (wantsRun) {
      this.#autoStarted.add(key);
      this.#approved = null;
      return this.#train(context, key, specs, experiment, { isConfirmed: settings.autorun });
    }
    const isDefault = state.seeds === null && Object.keys(givenOptionsOf(state)).length === 0;
    const gallery = settingsGallery ?? (isDefault ? await loadGallery(experiment.id) : null);
    if (!isLatest()) return {};
    if (gallery) {
      this.#show({ key, source: 'gallery', runs: galleryRuns(gallery), experiment, gallery, verdicts: gallery.verdicts ?? null });
      return { detail: { source: 'gallery' } };
    }
    this.#show({ key, source: null, runs: [], experiment, gallery: null, verdicts: null, specs });
    return { held: true };
  }

  // What the figure shows, for <attn-figure>'s `result` (embed/element-api.mjs figureResults): the experiment, the
  // source, per run its configuration, seed, state, the core's records and attention, and the core's verdicts.
  get result() {
    const shown = this.#shown;
    if (!shown || shown.source === null) return null;
    return {
      experiment: shown.experiment.id,
      source: shown.source,
      runs: shown.runs.map(({ configuration, seed, state, records, attention }) => ({ configuration, seed, state, records, attention })),
      verdicts: shown.verdicts ?? null,
    };
  }

  // After a resize the charts resize themselves; a new theme (their colours are resolved when made) redraws them.
  redraw() {
    if (this.#currentThemeKey() !== this.#themeKey) this.#render();
  }

  #currentThemeKey() {
    const style = getComputedStyle(this.#root);
    return `${style.color}|${style.getPropertyValue('--series-1')}|${matchMedia('(prefers-color-scheme: dark)').matches}`;
  }

  #show(shown) {
    this.#shown = shown;
    this.#drawnKey = '';
    this.#render();
  }

  #clearView() {
    for (const chart of this.#charts) chart.destroy();
    this.#charts = [];
    this.#attention = null;
    this.#view.replaceChildren();
    this.#drawnKey = '';
  }

  #endTraining() {
    this.#training.halt();
    this.#training = null;
  }

  #stop() {
    this.#training?.halt();
  }

  // The core's checks of every configuration (lab_start in the first worker, which then joins the pool; a corpus
  // task loads the corpus), then the pool trains every run. Resolves { detail } when every run is done, or
  // { held: true } when stopped; a core error throws, naming its attribute.
  // isConfirmed: no warning before a long training (autorun: the post's author asked for it).
  #train(context, key, specs, experiment, { isConfirmed = false } = {}) {
    const text = this.#text;
    const training = { key, pool: null, helper: null, startedAt: performance.now(), stopped: false, promise: null };
    // Stopping ends the workers, and any wait of the checks before the pool (a terminated worker answers nothing).
    let rejectHalted;
    const halted = new Promise((resolve, reject) => { rejectHalted = reject; });
    halted.catch(() => {});
    training.halt = () => {
      training.halted?.();  // a warning waiting for its answer goes
      training.stopped = true;
      rejectHalted(new Error('stopped'));
      training.pool?.dispose();
      training.helper?.terminate();
    };
    const unlessHalted = (promise) => Promise.race([promise, halted]);
    this.#training = training;
    training.before = this.#shown;  // what a Cancel of the warning shows again
    training.shown = { key, source: 'run', runs: [], experiment, gallery: null, verdicts: null, specs };
    this.#show(training.shown);
    // The status line is this training's while the figure shows it (other settings may replace it meanwhile).
    const say = (words) => {
      if (this.#shown === training.shown) this.#status.textContent = words;
    };
    say(text('lab.status.checking'));
    training.promise = (async () => {
      try {
        const helper = new LabWorker();
        training.helper = helper;
        await unlessHalted(helper.ready);
        const { needsCorpus, runBytes, secondsPerStep } = await preflightRuns(helper, specs, {
          loadCorpus,
          corpusError: (error) => attributeError(text('lab.corpus.missing', { message: error.message }), 'experiment'),
          onCorpusLoading: () => say(text('lab.corpus.loading', { size: '4 MB' })),
          timeStep: !isConfirmed,
          guard: unlessHalted,
          isStopped: () => training.stopped,
        });
        if (training.stopped) return this.#stopped(training);
        const size = poolSize(device, specs.length, runBytes);
        const seconds = estimatedSeconds(specs.map((spec) => spec.steps), secondsPerStep, size);
        if (!isConfirmed && needsWarning(device, seconds)) {
          const words = text('lab.warn.long', { runs: specs.length, steps: specs[0].steps, time: this.#time(seconds), workers: size,
            cores: device.hardwareConcurrency ?? '?' });
          if (!(await unlessHalted(this.#confirmLong(words, training)))) return this.#cancelled(training);
        }
        let isHelperGiven = false;
        const pool = new RunPool({
          size,
          makeWorker: (module) => {
            if (!isHelperGiven) {
              isHelperGiven = true;
              return helper;
            }
            return new LabWorker({ module: module ?? helper.compiled ?? null });
          },
          loadCorpus,
          onChange: () => this.#scheduleRender(),
        });
        training.pool = pool;
        const finished = pool.start(specs.map((spec) => ({ ...spec, needsCorpus })));
        training.shown.runs = pool.runs;
        this.#stopButton.hidden = false;
        this.#scheduleRender();
        // (Raced with Stop: a pool disposed while a worker still loads never settles start(), since a terminated
        // LabWorker's ready stays pending.)
        await unlessHalted(finished);
        if (training.stopped) return this.#stopped(training);
        const ms = performance.now() - training.startedAt;
        pool.dispose();  // the workers end; the records stay in pool.runs
        const done = pool.runs.filter((run) => run.state === 'done');
        if (done.length === 0) {
          const error = pool.runs.find((run) => run.error)?.error ?? new Error('no run finished');
          throw error;
        }
        let verdicts = null;
        try {
          verdicts = await this.#engine.call('lab_verdicts', verdictRecordsJsonl(done), null);
        } catch (error) {
          training.shown.verdictError = error.message;
        }
        if (this.#training !== training) return {};
        this.#training = null;
        Object.assign(training.shown, { verdicts, ms });
        this.#finished = training.shown;
        this.#stopButton.hidden = true;
        await this.#renderPaced();
        return { detail: { source: 'run', ms } };
      } catch (error) {
        if (this.#training === training) {
          this.#training = null;
          training.pool?.dispose();
          training.helper?.terminate();
          this.#stopButton.hidden = true;
        }
        if (training.stopped) return this.#stopped(training);
        say('');  // the error shows in the figure's error line
        if (error.param !== undefined && error.attribute === undefined) error.attribute = attributeOfTrainParam(error.param) || undefined;
        if (error.attribute) error.message = inAttributeWords(error.message);
        throw error;
      }
    })();
    return training.promise;
  }

  // Shows the warning (words) with Start anyway and Cancel; resolves with the answer.
  #confirmLong(words, training) {
    const { box, start, cancel } = this.#confirm;
    start.textContent = this.#text('lab.warn.start');
    cancel.textContent = this.#text('lab.warn.cancel');
    if (this.#shown === training.shown) this.#status.textContent = words;
    this.#runButton.hidden = true;
    box.hidden = false;
    start.focus();
    return new Promise((resolve) => {
      const answer = (value) => () => {
        box.hidden = true;
        this.#runButton.hidden = false;
        start.onclick = null;
        cancel.onclick = null;
        resolve(value);
      };
      start.onclick = answer(true);
      cancel.onclick = answer(false);
      training.halted = answer(false);
    });
  }

  // The reader declined the warning: nothing trains, and the figure shows again what it showed before Run.
  #cancelled(training) {
    training.helper?.terminate();
    if (this.#training === training) this.#training = null;
    if (this.#shown !== training.shown) return {};
    const before = training.before?.key === training.key ? training.before : null;
    if (before?.source === 'gallery') {
      this.#show(before);
      return { detail: { source: 'gallery' } };
    }
    this.#show({ ...training.shown, source: null });
    return { held: true };
  }

  // A stopped training's runs stay shown, said stopped; one that other settings replaced leaves the display alone.
  #stopped(training) {
    if (this.#training === training) this.#training = null;
    if (this.#shown !== training.shown) return { held: true };
    this.#stopButton.hidden = true;
    const { runs } = training.shown;
    training.shown.source = null;
    training.shown.stopped = { done: runs.filter((run) => run.state === 'done').length, runs: runs.length };
    this.#render();
    return { held: true };
  }

  // Coalesces redraws into one animation frame, or, under prefers-reduced-motion, one a second at most.
  #scheduleRender() {
    if (!this.#root.isConnected) {  // the figure was taken out of the page: its training ends
      this.#stop();
      return;
    }
    if (this.#renderTimer !== null) return;
    const render = () => {
      this.#renderTimer = null;
      this.#render();
    };
    if (reducedMotion.matches) {
      const timer = setTimeout(render, Math.max(0, kReducedMotionMs - (performance.now() - this.#lastRender)));
      this.#renderTimer = () => clearTimeout(timer);
    } else {
      const frame = requestAnimationFrame(render);
      this.#renderTimer = () => cancelAnimationFrame(frame);
    }
  }

  // The last render of a training: at once, or under prefers-reduced-motion a second after the one before.
  async #renderPaced() {
    this.#renderTimer?.();
    this.#renderTimer = null;
    const wait = reducedMotion.matches ? kReducedMotionMs - (performance.now() - this.#lastRender) : 0;
    if (wait > 0) await new Promise((resolve) => { setTimeout(resolve, wait); });
    this.#render();
  }

  // Draws what changed; the pacing counts from the end of a render (a second between the end of one and the
  // start of the next under prefers-reduced-motion).
  #render() {
    try {
      this.#draw();
    } finally {
      this.#lastRender = performance.now();
    }
  }

  #draw() {
    const shown = this.#shown;
    const settings = this.#settings;
    if (!shown || !settings) return;
    const text = this.#text;
    const { experiment } = shown;
    const lang = this.#lang;
    this.#caption.textContent = lang === 'zh' ? experiment.title_zh : experiment.title_en;
    this.#runButton.textContent = text(shown.source === 'gallery' ? 'lab.rerun' : 'lab.run');
    this.#runButton.disabled = Boolean(this.#training);
    this.#stopButton.textContent = text('lab.stop');
    this.#status.textContent = this.#statusWords();
    const themeKey = this.#currentThemeKey();
    if (themeKey !== this.#themeKey) {
      this.#clearView();
      this.#themeKey = themeKey;
    }
    this.#dataForReaders(shown);
    const drawKey = [settings.view, settings.configuration, lang, shown.key, shown.source,
      ...shown.runs.map((run) => `${run.key}:${run.records.length}`)].join('|');
    if (drawKey === this.#drawnKey) return;
    this.#drawnKey = drawKey;
    if (settings.view === 'curves') this.#drawCurves(shown);
    else if (settings.view === 'attention') this.#drawAttention(shown);
    else this.#drawRank(shown);
    this.#showVerdicts(shown);
  }

  #statusWords() {
    const text = this.#text;
    const shown = this.#shown;
    const { experiment } = shown;
    if (shown.source === 'gallery') {
      const { engine, seeds, configs } = shown.gallery;
      return text('lab.embed.gallery', { runs: shown.runs.length, configs: configs.length, seeds: seeds.length,
        steps: shown.runs[0]?.steps ?? '?', commit: String(engine.commit).slice(0, 10), made: String(engine.made).slice(0, 10) });
    }
    if (shown.stopped) return text('lab.embed.stopped', shown.stopped);
    const specs = shown.specs ?? [];
    const seeds = seedsOf(this.#settings.state, experiment).length;
    if (!this.#training && shown.source === null) {
      return text('lab.embed.no_gallery', { runs: specs.length, configs: experiment.configs.length, seeds, steps: specs[0]?.steps ?? '?' });
    }
    const runs = shown.runs;
    if (!this.#training) {
      const failed = runs.filter((run) => run.state === 'failed');
      const done = runs.length - failed.length;
      const words = [text('lab.status.done', { runs: done, time: this.#time((shown.ms ?? 0) / 1e3) })];
      for (const run of failed) words.push(text('lab.run.failed', { run: run.key, message: run.error?.message ?? '' }));
      if (shown.verdictError) words.push(shown.verdictError);
      return words.join(' ');
    }
    if (!this.#training.pool) return this.#status.textContent;  // still checking (or loading the corpus)
    const count = (state) => runs.filter((run) => run.state === state).length;
    const left = secondsLeft(runs, this.#training.pool.size);
    return text('lab.status.running', { done: count('done'), runs: runs.length, running: count('running'), workers: this.#training.pool.size,
      left: left === null ? text('lab.left.unknown') : text('lab.left', { time: this.#time(left) }) });
  }

  #time(seconds) {
    return seconds < 90 ? this.#text('lab.time.seconds', { value: Math.round(seconds) })
      : this.#text('lab.time.minutes', { value: formatTickValue(Number((seconds / 60).toFixed(1))) });
  }

  // What the figure shows, for the page (the essay's live numbers) and tests: per configuration the mean over
  // seeds of the metric at the last step every seed reached, and the metric's baseline.
  #dataForReaders(shown) {
    const { experiment, runs } = shown;
    const bands = metricBands(runs, experiment.metric);
    const last = {};
    for (const band of bands) {
      const seeds = runs.filter((run) => run.configuration === band.configuration).length;
      const k = band.seeds.findLastIndex((count) => count === seeds);
      if (k >= 0) last[band.configuration] = { step: band.x[k], mean: band.mean[k], low: band.low[k], high: band.high[k] };
    }
    this.#root.dataset.experiment = experiment.id;
    this.#root.dataset.source = shown.source ?? 'none';
    this.#root.dataset.last = JSON.stringify(last);
    const first = runs.find((run) => run.records.length > 0);
    const baseline = first?.records[0]?.baseline;
    if (Number.isFinite(baseline)) this.#root.dataset.baseline = String(baseline);
    else delete this.#root.dataset.baseline;
    if (first) this.#root.dataset.steps = String(first.steps);
    else delete this.#root.dataset.steps;
  }

  #heading(tag, words) {
    const heading = make(this.#root.ownerDocument, tag);
    heading.textContent = words;
    return heading;
  }

  #drawCurves(shown) {
    const text = this.#text;
    const { experiment } = shown;
    const hasRecords = shown.runs.some((run) => run.records.length > 0);
    if (this.#charts.length === 0) {
      const box = make(this.#root.ownerDocument, 'div', 'lab-chart');
      this.#view.replaceChildren(this.#heading('h3', text(`lab.figure.${experiment.metric}`)), box);
      this.#charts.push(new LabChart(box, text));
    }
    this.#view.firstChild.textContent = text(`lab.figure.${experiment.metric}`);
    const [chart] = this.#charts;
    chart.setText(text);
    if (hasRecords) chart.update(curvesSpec(shown.runs, experiment, { yLog: experiment.metric === 'heldout_loss' }, text));
  }

  // The run the attention and rank views show: the configuration's first seed with records (and attention).
  #viewedRun(shown, needsAttention) {
    const candidates = shown.runs.filter((run) => (needsAttention ? run.attention.length > 0 : run.records.length > 0));
    return candidates.find((run) => run.configuration === this.#settings.configuration) ?? null;
  }

  #drawAttention(shown) {
    const text = this.#text;
    const document = this.#root.ownerDocument;
    const viewed = this.#viewedRun(shown, true);
    const title = text('lab.figure.attention');
    if (!viewed) {
      this.#view.replaceChildren(this.#heading('h3', title));
      this.#attention = null;
      return;
    }
    const shownAttention = viewed.attention.at(-1);
    const initial = shownAttention.step !== 0 ? viewed.attention[0] : null;
    const heading = this.#heading('h3', `${title}: ${text('lab.embed.run_of', { config: viewed.configuration, seed: viewed.seed })}`);
    const heads = make(document, 'div', 'lab-heads');
    this.#view.replaceChildren(heading, heads, this.#statisticsTable(viewed, [initial, shownAttention].filter(Boolean).map((entry) => entry.step)));
    this.#attention = new AttentionPanel(heads);
    this.#attention.show(shownAttention, initial, text);
  }

  // The heatmaps' numbers for readers who cannot see them: each head's rank statistics at the steps shown.
  #statisticsTable(run, steps) {
    const text = this.#text;
    const document = this.#root.ownerDocument;
    const details = make(document, 'details', 'chart-data');
    const summary = make(document, 'summary');
    summary.textContent = text('chart.a11y.table');
    const scroll = make(document, 'div', 'table-scroll');
    scroll.tabIndex = 0;
    scroll.setAttribute('role', 'group');
    scroll.setAttribute('aria-label', text('chart.a11y.table_label', { name: text('lab.embed.attention_table') }));
    const table = make(document, 'table', 'compact');
    const caption = make(document, 'caption');
    caption.textContent = text('lab.embed.attention_table');
    const columns = ['effective_rank', 'numerical_rank_f64', 'sigma_min', 'condition_number'];
    const headRow = make(document, 'tr');
    for (const words of [text('lab.embed.head'), text('lab.axis.step'), ...columns.map((key) => text(`stat.${key}`))]) {
      const cell = make(document, 'th');
      cell.scope = 'col';
      cell.textContent = words;
      headRow.append(cell);
    }
    const head = make(document, 'thead');
    head.append(headRow);
    const body = make(document, 'tbody');
    for (const step of steps) {
      const record = run.records.find((entry) => entry.step === step);
      for (const entry of record?.heads ?? []) {
        const row = make(document, 'tr');
        const name = make(document, 'th');
        name.scope = 'row';
        name.textContent = text('lab.rank.series', { layer: entry.layer, head: entry.head });
        const stepCell = make(document, 'td');
        stepCell.textContent = String(step);
        row.append(name, stepCell);
        for (const key of columns) {
          const cell = make(document, 'td');
          const value = entry[key];
          const isBound = (key === 'sigma_min' && entry.sigma_min_is_upper_bound) || (key === 'condition_number' && entry.condition_number_is_lower_bound);
          cell.textContent = !Number.isFinite(value) ? text('chart.a11y.no_value')
            : `${isBound ? (key === 'sigma_min' ? '≤ ' : '≥ ') : ''}${formatTickValue(value)}`;
          row.append(cell);
        }
        body.append(row);
      }
    }
    table.append(caption, head, body);
    scroll.append(table);
    details.append(summary, scroll);
    return details;
  }

  #drawRank(shown) {
    const text = this.#text;
    const document = this.#root.ownerDocument;
    const viewed = this.#viewedRun(shown, false);
    const title = text('lab.figure.rank');
    if (!viewed) {
      for (const chart of this.#charts) chart.destroy();
      this.#charts = [];
      this.#view.replaceChildren(this.#heading('h3', title));
      return;
    }
    const specs = rankSpecs(viewed.records, text);
    if (this.#charts.length !== specs.length) {
      const grid = make(document, 'div', 'lab-rank-grid');
      this.#view.replaceChildren(this.#heading('h3', title), grid);
      this.#charts = specs.map(({ id }) => {
        const figure = make(document, 'figure', 'lab-rank-chart');
        figure.dataset.statistic = id;
        const box = make(document, 'div');
        figure.append(this.#heading('h4', ''), box);
        grid.append(figure);
        return new LabChart(box, text);
      });
    }
    this.#view.firstChild.textContent = `${title}: ${text('lab.embed.run_of', { config: viewed.configuration, seed: viewed.seed })}`;
    const figures = this.#view.querySelectorAll('.lab-rank-chart');
    specs.forEach(({ title: chartTitle, spec }, index) => {
      figures[index].querySelector('h4').textContent = chartTitle;
      this.#charts[index].setText(text);
      this.#charts[index].update(spec);
    });
  }

  #showVerdicts(shown) {
    if (this.#settings.view !== 'curves' || !shown.verdicts) {
      this.#verdicts.hide();
      return;
    }
    this.#verdicts.show(shown.verdicts, shown.experiment, this.#text, this.#lang);
  }
}
