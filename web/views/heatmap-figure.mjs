// An attention heatmap as the views show it: the matrix with row and column ticks and axis titles, coloured on
// the scale the page chose (colormap.mjs attentionColourScale: by default [0, 1] for every panel in log colour
// from 1/n^2), its colour bar naming that scale (which colour, whether
// automatic, shared or the panel's own range), and a readout of A_ij under the pointer or the keyboard cursor. Used by the
// patterns, load and heads views (the explorer and every <attn-figure>). Drawing only: the numbers are the
// core's matrix.
import { attentionColourScale } from '../render/colormap.mjs';
import { drawHeatmapInSteps, heatmapLegend } from '../render/heatmap.mjs';
import { formatReal } from './format.mjs';
import { heatmapReadout } from './readout.mjs';

// The colour bar's name of the scale drawn (scale: attentionColourScale's; range: drawHeatmap's result, whose
// isRangeShared says whether [0, 1] held): 'colour.<linear|sqrt|log>[_auto][_own]'.
export function colourScaleLabel(scale, range, text) {
  const key = `colour.${scale.colour}${scale.isAutomatic ? '_auto' : ''}${range.isRangeShared ? '' : '_own'}`;
  return text(key);
}

// A_ij in words: the value, or that the cell is masked.
export function cellWords(text, i, j, value, isMasked) {
  return isMasked ? text('readout.masked', { i, j }) : text('readout.cell', { i, j, value: formatReal(value) });
}

// Draws matrix { data, n, mask } on canvas with its colour bar on legend (a canvas) in the requested colour
// ('auto' | 'linear' | 'sqrt' | 'log') and colour range ('shared' | 'panel'); text() returns the view's current words function (read at each readout, so a
// language change applies). Resolves to drawHeatmap's range, or null when signal aborted the drawing.
export async function drawAttentionHeatmap(canvas, legend, { data, n, mask = null, colour, colourRange = 'shared' }, text,
  { signal = null } = {}) {
  const scale = attentionColourScale(colour, n, colourRange);
  const range = await drawHeatmapInSteps(canvas, { data, n, mask, colour: scale.colour, logFloor: scale.logFloor,
    range: scale.range, axes: { rows: text()('heatmap.rows'), columns: text()('heatmap.columns') } }, { signal });
  if (!range) return null;
  canvas.dataset.colour = scale.colour;
  canvas.dataset.colourRange = range.isRangeShared ? 'shared' : 'panel';
  heatmapLegend(legend, { ...range, label: colourScaleLabel(scale, range, text()), shortLabel: text()(`colour.name.${scale.colour}`),
    under: canvas });
  heatmapReadout(canvas, legend, () => ({ data, n, mask, describe: (i, j, value, isMasked) => cellWords(text(), i, j, value, isMasked) }));
  return range;
}
