// <attn-figure kind="train">: the training lab's figure (embed/train-figure.mjs). This class only stands in for
// it: the figure's code, with the lab's modules and uPlot, is imported when a train figure first runs, so the
// explorer and a page whose figures are of other kinds load none of it (issue 18: the lab lazy-loaded).
export class TrainFigure {
  #body;
  #figure = null;

  constructor(body) {
    this.#body = body;
  }

  async run(context) {
    if (!this.#figure) {
      const { LabTrainFigure } = await import('../../embed/train-figure.mjs');
      this.#figure ??= new LabTrainFigure(this.#body);
    }
    return this.#figure.run(context);
  }

  // The lab figure's runs and verdicts (embed/element-api.mjs figureResults).
  get result() { return this.#figure?.result ?? null; }

  show() {}  // run() follows a language change and redraws in the new words

  redraw() { this.#figure?.redraw(); }
}
