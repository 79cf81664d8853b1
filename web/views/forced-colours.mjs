// Windows high contrast and other forced colours, written once for the explorer, the essay and every
// <attn-figure> shadow root (each adopts forcedColoursStyleSheet(), as table-fit.mjs shares its table sheet):
// the system's colours for text, rules and focus; the chart legends keep their series colours so they still
// match the canvas (which forced colours leave as drawn), and every canvas gets a frame in CanvasText.
// Leaves out: the pages' own colours (style.css, essay.css, embed/figure-style.mjs).

export const forcedColoursCss = `
@media (forced-colors: active) {
  .chart-legend-swatch { forced-color-adjust: none; }
  canvas.heatmap, canvas.chart, canvas.depth-heatmap { outline: 1px solid CanvasText; }
  :focus-visible { outline-color: Highlight; }
  .claim-status { border-color: CanvasText; }
}
`;

let sheet = null;

// One constructed sheet shared by the pages and every figure's shadow root.
export function forcedColoursStyleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(forcedColoursCss);
  }
  return sheet;
}
