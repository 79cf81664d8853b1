// Colour tables for the heatmaps: viridis, a perceptually uniform sequential map that stays readable
// for the common colour-vision deficiencies and in greyscale (lightness rises monotonically).
// Each table is a Uint8ClampedArray of 256 RGBA entries (entry k at [4k, 4k + 4)), built once by
// Catmull-Rom interpolation in sRGB between 18 control points. Leaves out: diverging maps (attention
// weights are non-negative) and any colour-space maths beyond this interpolation.

// Control points: entries 0, 15, 30, ..., 255 of matplotlib's viridis table (lib/matplotlib/_cm_listed.py,
// `_viridis_data`; Stéfan van der Walt & Nathaniel Smith, 2015, CC0). Catmull-Rom between entries 15
// apart reproduces the full table to within 0.3 of 255 per channel, except the blue of the last yellows
// (entries 240..255, where blue dips and turns up again), off by up to 3 of 255.
const kViridisControlPoints = [
  [0.267004, 0.004874, 0.329415],
  [0.281924, 0.089666, 0.412415],
  [0.280255, 0.165693, 0.476498],
  [0.263663, 0.237631, 0.518762],
  [0.237441, 0.305202, 0.541921],
  [0.208623, 0.367752, 0.552675],
  [0.182256, 0.426184, 0.557120],
  [0.159194, 0.482237, 0.558073],
  [0.137770, 0.537492, 0.554906],
  [0.121148, 0.592739, 0.544641],
  [0.128087, 0.647749, 0.523491],
  [0.180653, 0.701402, 0.488189],
  [0.274149, 0.751988, 0.436601],
  [0.395174, 0.797475, 0.367757],
  [0.535621, 0.835785, 0.281908],
  [0.688944, 0.865448, 0.182725],
  [0.845561, 0.887322, 0.099702],
  [0.993248, 0.906157, 0.143936],
];

export const kTableSize = 256;

// points: [[r, g, b] in 0..1], evenly spaced over [0, 1] -> Uint8ClampedArray(size * 4), alpha 255.
// Uniform Catmull-Rom spline through the points (passes through each; the end tangents use mirrored
// neighbours), so a smooth map needs fewer points than linear interpolation would.
export function buildTable(points, size = kTableSize) {
  const table = new Uint8ClampedArray(size * 4);
  const segments = points.length - 1;
  for (let k = 0; k < size; ++k) {
    const position = (k / (size - 1)) * segments;
    const i = Math.min(Math.floor(position), segments - 1);
    const t = position - i;
    const p1 = points[i];
    const p2 = points[i + 1];
    for (let channel = 0; channel < 3; ++channel) {
      const p0 = i > 0 ? points[i - 1][channel] : 2 * p1[channel] - p2[channel];
      const p3 = i + 2 <= segments ? points[i + 2][channel] : 2 * p2[channel] - p1[channel];
      const a = p1[channel];
      const b = p2[channel];
      const value = 0.5 * (2 * a + (b - p0) * t + (2 * p0 - 5 * a + 4 * b - p3) * t * t + (3 * a - p0 - 3 * b + p3) * t * t * t);
      table[4 * k + channel] = Math.round(255 * value);  // Uint8ClampedArray clamps to [0, 255]
    }
    table[4 * k + 3] = 255;
  }
  return table;
}

// A copy of table with its entries in reverse order (dark end on top; for dark backgrounds where the
// largest weights should recede rather than glow).
export function reverseTable(table) {
  const size = table.length / 4;
  const reversed = new Uint8ClampedArray(table.length);
  for (let k = 0; k < size; ++k) reversed.set(table.subarray(4 * (size - 1 - k), 4 * (size - k)), 4 * k);
  return reversed;
}

export const viridis = buildTable(kViridisControlPoints);
export const viridisReversed = reverseTable(viridis);

// 'rgb(r, g, b)' of entry k: for legends and tests.
export function tableColour(table, k) {
  return `rgb(${table[4 * k]}, ${table[4 * k + 1]}, ${table[4 * k + 2]})`;
}

// The colour scale of an attention heatmap. Attention weights lie in [0, 1] (rows of a row-stochastic
// matrix), so by default every panel colours by the one range [0, 1] (colour_range=shared): equal weights get
// equal colours across the patterns (each panel normalised to its own maximum made 0.59 in one look like 1 in
// another); colour_range=panel gives each panel its own range again, and its colour bar says so. Linear
// colour over [0, 1] turns dark as n grows (softmax rows of n entries average 1/n: at n = 64 most cells sit in
// the bottom tenth of the table, at n = 512 in the bottom 2%), so the default colour (auto) is log colour
// from 1/n^2 to 1 at every n: the weight of a uniform row, 1/n, sits in the middle of the table, and weights
// at or below 1/n^2 take the bottom colour (the colour bar's left end says where). Measured on the
// bidirectional matrix of the page's defaults (standard deviation of the cells' luma): n = 64: 20.3 against
// 5.2 for linear and 12.6 for the square root; n = 512: 13.4 against 11.6 for log from 1e-8. linear, sqrt
// (colour = sqrt(A), gamma 1/2) and log from kLogColourFloor stay available; the control and the colour bar
// say which is drawn.
export const kAttentionRange = Object.freeze({ min: 0, max: 1 });
export const kLogColourFloor = 1e-8;
// The automatic log floor's n: 1/n^2, and 1/100 below n = 10 (a 1 x 1 matrix would have no range).
const kAutomaticFloorFromN = 10;

// The floor of automatic log colour at size n: 1/max(n, 10)^2.
export function automaticLogFloor(n) {
  const size = Math.max(kAutomaticFloorFromN, n);
  return 1 / (size * size);
}

// requested: the page's colour choice ('auto' | 'linear' | 'sqrt' | 'log'); n: the matrix' size; rangeMode:
// 'shared' ([0, 1] for every panel) or 'panel' (the matrix' own range). Returns { colour ('linear' | 'sqrt' |
// 'log'), logFloor, range ([0, 1], or null: the matrix' own), isAutomatic (auto chose it) }.
export function attentionColourScale(requested, n, rangeMode = 'shared') {
  const isAutomatic = !['linear', 'sqrt', 'log'].includes(requested);
  const colour = isAutomatic ? 'log' : requested;
  const logFloor = isAutomatic ? automaticLogFloor(n) : kLogColourFloor;
  return { colour, logFloor, range: rangeMode === 'panel' ? null : kAttentionRange, isAutomatic };
}
