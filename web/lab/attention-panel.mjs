// The learned attention of each layer and head of one run on the probe sequence, as heatmaps
// (views/heatmap-figure.mjs: the explorer's heatmaps in its default colour, automatic log from 1/n^2 on the
// shared [0, 1] range, with colour bar and readout), at one checkpoint, optionally beside the same head at
// step 0 (the random weights). The matrices are the run's lab_attention at each checkpoint (run-pool.mjs
// keeps them); drawing only.
import { drawAttentionHeatmap } from '../views/heatmap-figure.mjs';

function make(document, tag, className) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  return element;
}

export class AttentionPanel {
  #root;
  #panels = [];  // per head: { figure, title, cells: [{ box, canvas, legend, caption }] }
  #shape = '';
  #drawing = null;

  constructor(root) {
    this.#root = root;
  }

  // attention: a lab_attention result ({ step, n, heads: [{ layer, head, pattern, attention, matrix }] });
  // initial: the step-0 one to show beside it, or null; text: the words function.
  show(attention, initial, text) {
    this.#drawing?.abort();
    if (!attention) {
      this.#root.replaceChildren();
      this.#panels = [];
      this.#shape = '';
      return Promise.resolve();
    }
    const shape = `${attention.heads.length}/${attention.n}/${Boolean(initial)}`;
    if (shape !== this.#shape) this.#build(attention, Boolean(initial));
    this.#shape = shape;
    const controller = new AbortController();
    this.#drawing = controller;
    const draws = [];
    attention.heads.forEach((head, index) => {
      const panel = this.#panels[index];
      panel.title.textContent = text('lab.head', { layer: head.layer, head: head.head, pattern: text(`pattern.${head.pattern}`), attention: text(`kind.${head.attention}`) });
      panel.figure.dataset.layer = String(head.layer);
      panel.figure.dataset.head = String(head.head);
      const shown = initial ? [[initial, initial.heads[index]], [attention, head]] : [[attention, head]];
      shown.forEach(([source, entry], k) => {
        const cell = panel.cells[k];
        const when = source.step === 0 ? text('lab.head.step0') : text('lab.step.value', { step: source.step });
        cell.caption.textContent = source.isQuantized ? text('lab.head.quantized', { when }) : when;
        cell.canvas.dataset.step = String(source.step);
        cell.canvas.setAttribute('aria-label', `${panel.title.textContent} · ${cell.caption.textContent}`);
        // The gallery's 8-bit matrices in square-root colour: log colour would paint their rounded-off small
        // weights (exact zeros now) as dark specks the trained matrix does not have; linear is too dark at n = 64.
        draws.push(drawAttentionHeatmap(cell.canvas, cell.legend, { data: entry.matrix, n: source.n, colour: source.isQuantized ? 'sqrt' : 'auto' },
          () => text, { signal: controller.signal }));
      });
    });
    return Promise.all(draws);
  }

  #build(attention, isCompared) {
    const document = this.#root.ownerDocument;
    this.#panels = attention.heads.map(() => {
      const figure = make(document, 'figure', 'lab-head');
      const title = make(document, 'h3', 'lab-head-title');
      const pair = make(document, 'div', isCompared ? 'lab-head-pair is-compared' : 'lab-head-pair');
      const cells = (isCompared ? [0, 1] : [0]).map(() => {
        const box = make(document, 'div', 'lab-head-cell');
        const caption = make(document, 'p', 'lab-head-caption');
        const canvas = make(document, 'canvas', 'heatmap');
        const legend = make(document, 'canvas', 'heatmap-legend');
        legend.setAttribute('aria-hidden', 'true');
        box.append(caption, canvas, legend);
        pair.append(box);
        return { box, canvas, legend, caption };
      });
      figure.append(title, pair);
      return { figure, title, cells };
    });
    this.#root.replaceChildren(...this.#panels.map((panel) => panel.figure));
  }
}
