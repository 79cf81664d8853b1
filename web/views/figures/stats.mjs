// The stats figure (embed only; on the page every pattern panel carries its card): a statistics card per
// pattern, from the same analyses as the spectra figure.
import { renderStatsCard } from '../stats-card.mjs';
import { element } from './elements.mjs';
import { figureEngine } from './engine.mjs';
import { computeSpectra } from './spectra.mjs';

// <attn-figure kind="stats">.
export class StatsFigure {
  constructor(body) {
    this.grid = element('div', 'stats-grid', 'stats');
    body.append(this.grid);
    this.results = null;
  }

  // pattern -> its analyze() result (embed/element-api.mjs figureResults).
  get result() { return this.results && Object.fromEntries(this.results); }

  async run(context) {
    this.results = await computeSpectra(figureEngine(context), context.state, context.patterns, context.progress);
    this.show(context.text);
  }

  show(text) {
    if (!this.results) return;
    const cards = [];
    for (const [pattern, result] of this.results) {
      const card = element('section', 'stats-panel');
      card.dataset.pattern = pattern;
      const heading = element('h3');
      heading.textContent = text(`pattern.${pattern}`);
      const list = element('dl', 'stats-card');
      renderStatsCard(list, result, text);
      card.append(heading, list);
      cards.push(card);
    }
    this.grid.replaceChildren(...cards);
  }

  redraw() {}
}
