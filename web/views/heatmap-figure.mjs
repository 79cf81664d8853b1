// An attention heatmap as the views show it: the matrix with row and column ticks, coloured on the scale
// every panel shares (colormap.mjs attentionColourScale: [0, 1], log colour from a large n on), its colour
// bar naming that scale, and a readout of A_ij under the pointer or the keyboard cursor. Used by the
// patterns, load and heads views (the explorer and every <attn-figure>). Drawing only: the numbers are the
// core's matrix.
import { attentionColourScale, kLogColourFromN } from '../render/colormap.mjs';
import { drawHeatmapInSteps, heatmapLegend } from '../render/heatmap.mjs';
import { formatReal } from './format.mjs';
import { heatmapReadout } from './readout.mjs';

// The colour bar's name of the scale drawn (range: drawHeatmap's result).
export function colourScaleLabel(scale, range, text) {
  if (!range.isRangeShared) return text(scale.colour === 'log' ? 'colour.log_own' : 'colour.linear_own');
  if (scale.isAutomatic) return text('colour.log_auto', { n: kLogColourFromN });
  return text(scale.colour === 'log' ? 'colour.log' : 'colour.linear');
}

// A_ij in words: the value, or that the cell is masked.
export function cellWords(text, i, j, value, isMasked) {
  return isMasked ? text('readout.masked', { i, j }) : text('readout.cell', { i, j, value: formatReal(value) });
}

// Draws matrix { data, n, mask } on canvas with its colour bar on legend (a canvas) in the requested colour
// ('linear' | 'log'); text() returns the view's current words function (read at each readout, so a
// language change applies). Resolves to drawHeatmap's range, or null when signal aborted the drawing.
export async function drawAttentionHeatmap(canvas, legend, { data, n, mask = null, colour }, text, { signal = null } = {}) {
  const scale = attentionColourScale(colour, n);
  const range = await drawHeatmapInSteps(canvas, { data, n, mask, colour: scale.colour, logFloor: scale.logFloor,
    range: scale.range, axes: { rows: text()('heatmap.rows'), columns: text()('heatmap.columns') } }, { signal });
  if (!range) return null;
  canvas.dataset.colour = scale.colour;
  heatmapLegend(legend, { ...range, label: colourScaleLabel(scale, range, text()), under: canvas });
  heatmapReadout(canvas, legend, () => ({ data, n, mask, describe: (i, j, value, isMasked) => cellWords(text(), i, j, value, isMasked) }));
  return range;
}
