// Numbers in the essay's prose that a figure of the page computes: <span data-live-figure="ID"
// data-live-key="KEY">fallback</span>. When the <attn-figure id="ID"> has drawn (its attn-figure-done event),
// the span shows that figure's own value, as the figure shows it; until then (no script, a figure not yet
// scrolled to) the fallback written in the HTML stands, and tests/e2e/essay.test.mjs checks that it equals
// the live value at the figure's parameters. Keys: "stat:<pattern>:<result key>" (the text of a stats card's
// entry), "last:<pattern>" (the last layer's value of a collapse figure's chart) and, of a kind="train" figure
// (embed/train-figure.mjs, the runs it shows), "train:<configuration>" (the mean over seeds of the experiment's
// metric at the last step), "train:baseline" (the metric's baseline) and "train:steps" (the runs' steps).
// Reads only; no number is computed here.
import { formatReal } from '../views/format.mjs';

function valueOf(figure, key) {
  const root = figure.shadowRoot;
  if (!root) return null;
  const [kind, pattern, name] = key.split(':');
  if (kind === 'train') {
    const data = root.querySelector('.train')?.dataset;
    const what = key.slice('train:'.length);
    if (!data) return null;
    if (what === 'baseline' || what === 'steps') return data[what] ? formatReal(Number(data[what])) : null;
    const last = data.last ? JSON.parse(data.last)[what] : undefined;
    return last ? formatReal(last.mean) : null;
  }
  if (kind === 'stat') {
    const entry = root.querySelector(`[data-pattern="${CSS.escape(pattern)}"] dd[data-key="${CSS.escape(name)}"]`);
    return entry ? entry.textContent : null;
  }
  if (kind === 'last') {
    const last = root.querySelector('canvas.chart')?.dataset.last;
    const value = last ? JSON.parse(last)[pattern] : undefined;
    return typeof value === 'number' ? formatReal(value) : null;
  }
  return null;
}

// Fills the spans that read `figure` (all of them under root when figure is null).
export function fillLiveNumbers(root = document, figure = null) {
  const selector = figure ? `[data-live-figure="${CSS.escape(figure.id)}"]` : '[data-live-figure]';
  for (const span of root.querySelectorAll(selector)) {
    const source = figure ?? document.getElementById(span.dataset.liveFigure);
    if (!source || source.dataset.state !== 'done') continue;
    const value = valueOf(source, span.dataset.liveKey);
    if (value === null) continue;
    if (span.textContent !== value) span.textContent = value;
    span.dataset.liveState = 'done';
  }
}

document.addEventListener('attn-figure-done', (event) => {
  const figure = event.target;
  if (figure?.id) fillLiveNumbers(document, figure);
});
