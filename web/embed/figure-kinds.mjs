// What each kind of <attn-figure> draws: the figure modules of web/views/figures/, the ones the explorer page
// uses for the same figures, so an embedded figure asks the same analyses and draws with the same views.
// A kind is a class: constructor(body, text) builds its DOM; run(context) computes and draws; show(text)
// redraws the kept results (language change); redraw() after a resize.
// context: { pool, slot, state, patterns, claims (ids or null), text, lang, limits (the core's, with its messages),
// attribute(name) (the element's attribute text or null), rerun(), progress(done, total) }; run resolves with
// { held: true } when the figure waits for its Run button, or { detail } for the attn-figure-done event.
// kind="train" is the training lab's figure: views/figures/train.mjs imports its code (embed/train-figure.mjs, the
// lab's modules and uPlot) when such a figure first runs, so a page without one loads none of it.
import { ClaimsFigure } from '../views/figures/claims.mjs';
import { CollapseFigure } from '../views/figures/depth.mjs';
import { ArchitecturesFigure, HeadsFigure } from '../views/figures/heads.mjs';
import { LinearFigure } from '../views/figures/linear.mjs';
import { PatternsFigure } from '../views/figures/patterns.mjs';
import { RaisesRankFigure } from '../views/figures/raises-rank.mjs';
import { SpectraFigure } from '../views/figures/spectra.mjs';
import { StatsFigure } from '../views/figures/stats.mjs';
import { SweepFigure } from '../views/figures/sweep.mjs';
import { TrainFigure } from '../views/figures/train.mjs';

export const figureClasses = Object.freeze({
  patterns: PatternsFigure,
  spectra: SpectraFigure,
  linear: LinearFigure,
  'raises-rank': RaisesRankFigure,
  sweep: SweepFigure,
  stats: StatsFigure,
  collapse: CollapseFigure,
  heads: HeadsFigure,
  architectures: ArchitecturesFigure,
  claims: ClaimsFigure,
  train: TrainFigure,
});
