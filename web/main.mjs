// The page (minimal for now): asks the engine worker for one analysis, the forward pattern at
// n = 64, d = 8, seed = 7, and shows its rank statistics as a table. Every number comes from the
// C++ core; this file only formats. Data reaches the DOM through textContent only.
const forwardConfig = Object.freeze({ pattern: 'forward', n: 64, d: 8, seed: 7 });

// Rows of the table: [result key, label].
const statisticRows = [
  ['pattern', 'pattern'],
  ['kind', 'attention'],
  ['n', 'n (tokens)'],
  ['d', 'd (head dimension)'],
  ['seed', 'seed'],
  ['scale', 'logit scale s'],
  ['precision', 'precision'],
  ['structurally_full_rank', 'structurally full rank (triangular, positive diagonal)'],
  ['numerical_rank_f64', 'numerical rank (f64 tolerance)'],
  ['numerical_rank_f32', 'numerical rank (f32 tolerance)'],
  ['effective_rank', 'effective rank (Roy & Vetterli)'],
  ['stable_rank', 'stable rank'],
  ['energy_rank_99', 'rank holding 99% of the energy'],
  ['sigma_max', 'σ_max'],
  ['sigma_min', 'σ_min'],
  ['condition_number', 'condition number'],
  ['log_abs_det', 'log |det A|'],
  ['det_sign', 'sign of det A'],
  ['logits_rank', 'rank of the logits S (≤ d)'],
];

// A small request/response bridge to the worker.
class EngineClient {
  constructor(workerUrl) {
    this.worker = new Worker(workerUrl, { type: 'module' });
    this.nextId = 1;
    this.calls = new Map();
    this.ready = new Promise((resolve, reject) => {
      this.worker.addEventListener('message', ({ data }) => {
        if ('ready' in data) {
          if (data.ready) resolve();
          else reject(Object.assign(new Error(data.error.message), { code: data.error.code }));
          return;
        }
        const call = this.calls.get(data.id);
        if (!call) return;
        this.calls.delete(data.id);
        if (data.ok) call.resolve(data.value);
        else call.reject(Object.assign(new Error(data.error.message), { code: data.error.code }));
      });
      this.worker.addEventListener('error', (event) => {
        event.preventDefault();
        reject(new Error(`the engine worker failed to start: ${event.message || 'unknown error'}`));
      });
    });
  }

  call(method, ...args) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.worker.postMessage({ id, method, args });
    });
  }
}

// Keys whose values are counts or indices (docs/result-schema.md); every other number is real-valued.
const integerKeys = new Set(['n', 'd', 'seed', 'prefix', 'window', 'repeat', 'features', 'feature_dimension',
  'numerical_rank_f64', 'numerical_rank_f32', 'energy_rank_99', 'det_sign', 'logits_rank']);

function formatValue(key, value) {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value !== 'number' || integerKeys.has(key) || value === 0) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e6) return value.toExponential(4);
  return String(Number(value.toPrecision(6)));
}

function renderTable(table, result) {
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const [key, label] of statisticRows) {
    if (!(key in result)) continue;
    const row = body.insertRow();
    row.dataset.key = key;
    row.dataset.value = JSON.stringify(result[key]);
    const header = document.createElement('th');
    header.scope = 'row';
    header.textContent = label;
    row.append(header);
    const cell = row.insertCell();
    if ((key === 'log_abs_det' || key === 'det_sign') && !result.log_abs_det_is_reliable) {
      cell.textContent = 'not resolved (numerically singular)';
      continue;
    }
    const prefix = key === 'condition_number' && result.condition_number_is_lower_bound ? '≥ ' : '';
    cell.textContent = prefix + formatValue(key, result[key]);
  }
  table.hidden = false;
}

function showError(error) {
  const box = document.getElementById('error');
  box.textContent = error.code ? `${error.message} (${error.code})` : error.message;
  box.hidden = false;
}

async function main() {
  const status = document.getElementById('status');
  document.getElementById('forward-config').textContent =
    Object.entries(forwardConfig).map(([key, value]) => `${key}=${value}`).join('  ');
  const engine = new EngineClient(new URL('./engine-worker.mjs', import.meta.url));
  try {
    await engine.ready;
    document.getElementById('version').textContent = `attnrank ${await engine.call('version')}`;
    status.textContent = 'Computing…';
    const started = performance.now();
    const result = await engine.call('analyze', forwardConfig);
    renderTable(document.getElementById('result'), result);
    status.textContent = `Computed in ${(performance.now() - started).toFixed(1)} ms (in a Web Worker).`;
    document.body.dataset.state = 'done';
  } catch (error) {
    status.textContent = 'Failed.';
    showError(error);
    document.body.dataset.state = 'error';
  }
}

main();
