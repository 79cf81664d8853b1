// Colour tables for the heatmaps: viridis, a perceptually uniform sequential map that stays readable
// for the common colour-vision deficiencies and in greyscale (lightness rises monotonically).
// Each table is a Uint8ClampedArray of 256 RGBA entries (entry k at [4k, 4k + 4)), built once by linear
// interpolation in sRGB between 16 control points. Leaves out: diverging maps (attention weights are
// non-negative) and any colour-space maths beyond this interpolation.

// Control points: entries 0, 17, 34, ..., 255 of matplotlib's viridis table (lib/matplotlib/_cm_listed.py,
// `_viridis_data`; Stéfan van der Walt & Nathaniel Smith, 2015, CC0). Interpolating between entries 17
// apart reproduces the full table to within about one 8-bit step.
const kViridisControlPoints = [
  [0.267004, 0.004874, 0.329415],
  [0.282656, 0.100196, 0.422160],
  [0.277134, 0.185228, 0.489898],
  [0.253935, 0.265254, 0.529983],
  [0.221989, 0.339161, 0.548752],
  [0.190631, 0.407061, 0.556089],
  [0.163625, 0.471133, 0.558148],
  [0.139147, 0.533812, 0.555298],
  [0.120565, 0.596422, 0.543611],
  [0.134692, 0.658636, 0.517649],
  [0.208030, 0.718701, 0.472873],
  [0.327796, 0.773980, 0.406640],
  [0.477504, 0.821444, 0.318195],
  [0.647257, 0.858400, 0.209861],
  [0.824940, 0.884720, 0.106217],
  [0.993248, 0.906157, 0.143936],
];

export const kTableSize = 256;

// points: [[r, g, b] in 0..1], evenly spaced over [0, 1] -> Uint8ClampedArray(size * 4), alpha 255.
export function buildTable(points, size = kTableSize) {
  const table = new Uint8ClampedArray(size * 4);
  const segments = points.length - 1;
  for (let k = 0; k < size; ++k) {
    const position = (k / (size - 1)) * segments;
    const lower = Math.min(Math.floor(position), segments - 1);
    const fraction = position - lower;
    for (let channel = 0; channel < 3; ++channel) {
      const a = points[lower][channel];
      const b = points[lower + 1][channel];
      table[4 * k + channel] = Math.round(255 * (a + (b - a) * fraction));
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
