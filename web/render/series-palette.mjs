// The colour of every chart series, defined once (issue 17 item 4): the CSS custom properties that the core's
// pattern registry names (pattern_registry.cpp: one property per pattern and named depth schedule, the same in
// spectra, sweeps, depth and legends), each with its light and dark value and a marker shape, so a series
// can be told apart by shape where lines overlap. The pages and <attn-figure> adopt seriesCss() (light-dark()
// picks the value from the colour-scheme the element inherits); tests/node/series-palette.test.mjs checks
// the choice: CIEDE2000 differences under normal vision and simulated deuteranopia and protanopia, and
// 3:1 contrast against the pages' backgrounds in each theme. Pure module: no DOM.

// Found by a local search from hand-picked hues (one hue family per pattern in both themes), maximising the
// smallest pairwise CIEDE2000 difference over the three visions; the test's thresholds are the result's.
export const seriesPalette = Object.freeze([
  Object.freeze({ property: '--series-1', light: '#007e97', dark: '#009cfa', shape: 'circle' }),
  Object.freeze({ property: '--series-2', light: '#db5900', dark: '#ff9809', shape: 'square' }),
  Object.freeze({ property: '--series-3', light: '#034e41', dark: '#65c293', shape: 'triangle' }),
  Object.freeze({ property: '--series-4', light: '#8b1904', dark: '#db4f3a', shape: 'diamond' }),
  Object.freeze({ property: '--series-5', light: '#c40074', dark: '#d3679e', shape: 'triangle-down' }),
  Object.freeze({ property: '--series-6', light: '#7e74ff', dark: '#cdceff', shape: 'cross' }),
  Object.freeze({ property: '--series-7', light: '#8c8867', dark: '#fffaa1', shape: 'plus' }),
  // No pattern's: the line chart's fallback for an eighth series.
  Object.freeze({ property: '--series-8', light: '#5d6470', dark: '#9aa2ae', shape: 'circle' }),
]);

// Quantities that are not patterns (the ranks of one matrix in the "softmax raises rank" chart) get colours of
// their own, so no reader takes a rank for a pattern: one hue family per quantity in both themes, each told
// apart from the others under normal vision, deuteranopia and protanopia and from every pattern's colour, at
// 3:1 against the pages' backgrounds (tests/node/series-palette.test.mjs). Found by a local search over hue,
// chroma and a lightness per theme; the test's thresholds are the result's.
export const quantityPalette = Object.freeze([
  Object.freeze({ property: '--quantity-logits', light: '#4d3332', dark: '#fcdbd8', shape: 'cross' }),
  Object.freeze({ property: '--quantity-rank-f64', light: '#544ca0', dark: '#a192ef', shape: 'circle' }),
  Object.freeze({ property: '--quantity-rank-f32', light: '#a17e1e', dark: '#b38f2f', shape: 'square' }),
  Object.freeze({ property: '--quantity-effective', light: '#607970', dark: '#7f9990', shape: 'triangle' }),
]);

// The declarations to put in a rule: '--series-1: light-dark(#007e97, #009cfa); ...', the quantities' too.
export function seriesDeclarations() {
  return [...seriesPalette, ...quantityPalette].map(({ property, light, dark }) => `${property}: light-dark(${light}, ${dark});`)
    .join('\n  ');
}

// A stylesheet's text that defines the series colours on the page's root (or a shadow root's host).
export function seriesCss(selector = ':root') {
  return `${selector} {\n  ${seriesDeclarations()}\n}\n`;
}

// The marker shape of a series colour (a custom property name), or 'circle'.
export function seriesShape(colour) {
  return [...seriesPalette, ...quantityPalette].find((entry) => entry.property === colour)?.shape ?? 'circle';
}
