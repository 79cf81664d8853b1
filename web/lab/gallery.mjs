// The lab's gallery (docs/lab-gallery.md): reference runs of every experiment made by the native trainer,
// shipped as web/lab/gallery/<experiment>.json, so the page opens with results before anything trains.
// loadGallery() fetches one experiment's file (null when there is none); galleryRuns() turns it into the
// run objects the figures draw (run-pool.mjs's shape: key, configuration, seed, config, state, records,
// attention), the 8-bit probe attention decoded (a_ij = q_ij * scale, to within scale / 2). No drawing.

export const kGalleryFormat = 'attnrank-lab-gallery/1';
const indexUrl = new URL('./gallery/index.json', import.meta.url);
const loads = new Map();
let index = null;

// url's JSON; null for a file that is not there (HTTP 404: a build without a gallery).
async function fetchJson(url) {
  const response = await fetch(url);
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  return response.json();
}

function loadIndex() {
  if (!index) {
    index = fetchJson(indexUrl);
    index.catch(() => { index = null; });
  }
  return index;
}

// The settings index.json lists for experiment `id` ('default' first when it has it; [] without an index).
export async function gallerySettings(id) {
  return ((await loadIndex())?.experiments ?? []).filter((entry) => entry.id === id).map((entry) => entry.settings ?? 'default');
}

// The gallery of experiment `id` (null: the first index.json lists, the experiments' first) at `settings` (index.json
// may list other settings of an experiment than its default: docs/lab-gallery.md), or null when it has none; a
// failed fetch rejects and is tried again next time. Each file is fetched once.
export async function loadGallery(id, settings = 'default') {
  const listed = ((await loadIndex())?.experiments ?? []).filter((entry) => (entry.settings ?? 'default') === settings);  // no index: no gallery
  const entry = id === null ? listed[0] : listed.find((experiment) => experiment.id === id);
  if (!entry) return null;
  if (!loads.has(entry.file)) {
    const url = new URL(`./gallery/${entry.file}`, import.meta.url);
    const load = fetchJson(url).then((gallery) => {
      if (gallery === null) return null;
      if (gallery.format !== kGalleryFormat) throw new Error(`${url.pathname}: format ${gallery.format}, this page reads ${kGalleryFormat}`);
      return gallery;
    });
    load.catch(() => loads.delete(entry.file));
    loads.set(entry.file, load);
  }
  return loads.get(entry.file);
}

// One head's 8-bit matrix -> Float32Array (a_ij = q_ij * scale): a loop over atob's characters (a
// per-character callback took ~0.1 s for a gallery's whole attention on the page's first load).
function decodeMatrix(data, scale) {
  const bytes = atob(data);
  const matrix = new Float32Array(bytes.length);
  for (let k = 0; k < bytes.length; ++k) matrix[k] = bytes.charCodeAt(k) * scale;
  return matrix;
}

// One `attention[]` entry -> lab_attention's shape with Float32Array matrices (isQuantized: 8-bit, so a weight
// below max / 510 reads 0). The heads decode when first read (the page shows one checkpoint of one run at a
// time), once.
export function decodeAttention(entry) {
  let heads = null;
  return {
    step: entry.step, n: entry.n, tokens: entry.tokens, isQuantized: true,
    get heads() {
      heads ??= entry.heads.map(({ layer, head, pattern, attention, scale, data }) => ({ layer, head, pattern, attention,
        matrix: decodeMatrix(data, scale) }));
      return heads;
    },
  };
}

// A run's checkpoint records for the figures, from its series (docs/lab-gallery.md): per checkpoint the
// curve's values exactly and each head's statistics as the gallery keeps them (4 significant digits), the
// run's constant values beside them. The first records the gallery keeps whole are the CLI's own.
export function seriesRecords(gallery, run) {
  const { curve } = run;
  return curve.step.map((step, k) => {
    if (run.records[k]?.step === step) return run.records[k];
    const record = { task: gallery.experiment, config: run.config, objective: run.objective, seed: run.seed, run: run.run,
      steps: run.steps, batch: run.batch, step };
    for (const key of Object.keys(curve)) if (key !== 'step') record[key] = curve[key][k];
    record.baseline = run.baseline;
    record.heads = run.heads.map(({ layer, head, pattern, attention, stats }) => ({ layer, head, pattern, attention,
      ...Object.fromEntries(Object.entries(stats).map(([key, values]) => [key, values[k]])) }));
    return record;
  });
}

// The gallery's runs as finished runs; a run's attention is that of the checkpoints the gallery keeps
// (attention_steps, for attention_seed only; the other seeds have none).
export function galleryRuns(gallery) {
  return gallery.runs.map((run) => {
    const at = run.config.indexOf(':');
    const variant = at < 0 ? { masks: run.config } : { masks: run.config.slice(0, at), attention: run.config.slice(at + 1) };
    const records = seriesRecords(gallery, run);
    const last = records.at(-1);
    return {
      key: `${run.config}/${run.seed}`, configuration: run.config, seed: run.seed,
      config: { task: gallery.options.task ?? gallery.experiment, ...variant, seed: run.seed },
      state: 'done', step: last?.step ?? 0, steps: run.steps, records, exactRecords: run.records,
      attention: gallery.attention.filter((entry) => entry.config === run.config && entry.seed === run.seed)
        .sort((a, b) => a.step - b.step).map(decodeAttention),
      notices: [], error: null, stepsPerSecond: 0, isGallery: true,
    };
  });
}
