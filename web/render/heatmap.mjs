// Draws an n x n matrix (an attention matrix A, row i = query i, column j = key j, row-major) on a canvas:
// one n x n ImageData coloured from a 256-entry table, upscaled with nearest-neighbour sampling to the
// canvas' CSS size x devicePixelRatio; linear or logarithmic colour; masked (not allowed) entries in a
// neutral colour of their own, and a thin outline along the boundary of the allowed region. Also a small
// colour bar (heatmapLegend). Computes no statistic: the numbers come from the core.

import { colourBytes, cssVariable, formatTickValue, powerOfTenLabel, prepareCanvas } from './canvas-util.mjs';
import { kTableSize, tableColour, viridis } from './colormap.mjs';

const kDefaultLogFloor = 1e-8;
const kFallbackMaskedCell = '#c9c9c9';
const kFallbackMaskOutline = '#e8412c';

const isLittleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

// RGBA bytes -> one 32-bit pixel as ImageData stores it on this machine.
function packPixel(r, g, b, a) {
  return isLittleEndian ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

const packedTables = new WeakMap();
function packedTable(table) {
  let packed = packedTables.get(table);
  if (!packed) {
    packed = new Uint32Array(kTableSize);
    for (let k = 0; k < kTableSize; ++k) {
      packed[k] = packPixel(table[4 * k], table[4 * k + 1], table[4 * k + 2], table[4 * k + 3]);
    }
    packedTables.set(table, packed);
  }
  return packed;
}

// The colour range of a matrix: the largest allowed entry (attention weights are >= 0, so linear colour
// runs from 0; a matrix with negative entries runs from its minimum).
export function heatmapRange(data, mask) {
  let min = Infinity;
  let max = -Infinity;
  for (let index = 0; index < data.length; ++index) {
    if (mask && !mask[index]) continue;
    const value = data[index];
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (!Number.isFinite(max)) return { min: 0, max: 0 };
  return { min: Math.min(0, min), max };
}

// Table index (0..255) of every entry, written into pixels (Uint32Array of n*n packed colours).
// Linear: (a - min) / (max - min). Log: (log10 max(a, floor) - log10 floor) / (log10 max - log10 floor), so
// weights down to the floor get distinct colours. NaN (never produced by the core) takes the bottom colour.
function colourPixels(pixels, data, mask, colour, logFloor, range, table, maskedPixel) {
  const top = kTableSize - 1;
  const packed = packedTable(table);
  const count = data.length;
  if (colour === 'log') {
    const logLow = Math.log10(logFloor);
    const logHigh = Math.log10(Math.max(range.max, logFloor));
    const factor = logHigh > logLow ? top / (logHigh - logLow) : 0;
    for (let index = 0; index < count; ++index) {
      if (mask && !mask[index]) {
        pixels[index] = maskedPixel;
        continue;
      }
      const value = data[index];
      // ln(x) log10(e) rather than Math.log10: twice as fast in V8, same table entry.
      const step = value > logFloor ? (Math.log(value) * Math.LOG10E - logLow) * factor : 0;
      pixels[index] = packed[step >= top ? top : step > 0 ? (step + 0.5) | 0 : 0];
    }
    return;
  }
  const span = range.max - range.min;
  const factor = span > 0 ? top / span : 0;
  const constant = span > 0 ? -1 : range.max > 0 ? top : 0;  // a constant matrix: top colour unless all zero
  for (let index = 0; index < count; ++index) {
    if (mask && !mask[index]) {
      pixels[index] = maskedPixel;
      continue;
    }
    const step = constant >= 0 ? constant : (data[index] - range.min) * factor;
    pixels[index] = packed[step >= top ? top : step > 0 ? (step + 0.5) | 0 : 0];  // NaN -> bottom
  }
}

// The boundary between allowed and masked cells, as merged straight segments in cell units:
// [x0, y0, x1, y1, ...]. Only interior edges (the matrix' own border is not outlined).
export function maskBoundary(mask, n) {
  const segments = [];
  // Vertical edges at column boundary c (between columns c - 1 and c), merged over consecutive rows.
  for (let c = 1; c < n; ++c) {
    let start = -1;
    for (let i = 0; i <= n; ++i) {
      const differs = i < n && !mask[i * n + c - 1] !== !mask[i * n + c];
      if (differs && start < 0) start = i;
      if (!differs && start >= 0) {
        segments.push(c, start, c, i);
        start = -1;
      }
    }
  }
  // Horizontal edges at row boundary r (between rows r - 1 and r), merged over consecutive columns.
  for (let r = 1; r < n; ++r) {
    let start = -1;
    for (let j = 0; j <= n; ++j) {
      const differs = j < n && !mask[(r - 1) * n + j] !== !mask[r * n + j];
      if (differs && start < 0) start = j;
      if (!differs && start >= 0) {
        segments.push(start, r, j, r);
        start = -1;
      }
    }
  }
  return segments;
}

// One reusable n x n scratch canvas per target canvas (never attached to the document).
const scratchCanvases = new WeakMap();
function scratchFor(canvas, n) {
  let scratch = scratchCanvases.get(canvas);
  if (!scratch || scratch.width !== n || scratch.height !== n) {
    scratch = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(n, n) : document.createElement('canvas');
    scratch.width = scratch.height = n;
    scratchCanvases.set(canvas, scratch);
  }
  return scratch;
}

// canvas: an HTMLCanvasElement sized by CSS. data: Float64Array (or any array) of n*n, row-major.
// colour: 'linear' | 'log'; logFloor: smallest weight told apart in log colour; mask: optional
// Uint8Array(n*n), non-zero = allowed (i attends to j); masked cells take --masked-cell and the allowed
// region is outlined in --mask-outline. table: a colormap.mjs table (default viridis).
// Returns the colour range used: { colour, min, max, logFloor } (for heatmapLegend and tests).
export function drawHeatmap(canvas, { data, n, colour = 'linear', logFloor = kDefaultLogFloor, mask = null, table = viridis }) {
  if (!Number.isInteger(n) || n < 1 || !data || data.length !== n * n) {
    throw new RangeError(`drawHeatmap: data has ${data?.length} entries, expected n*n with n=${n}`);
  }
  if (mask && mask.length !== n * n) throw new RangeError(`drawHeatmap: mask has ${mask.length} entries, expected ${n * n}`);
  if (!(logFloor > 0)) throw new RangeError(`drawHeatmap: logFloor=${logFloor} must be > 0`);

  const maskedBytes = colourBytes(cssVariable(canvas, '--masked-cell', kFallbackMaskedCell));
  const range = heatmapRange(data, mask);
  const scratch = scratchFor(canvas, n);
  const scratchContext = scratch.getContext('2d');
  const image = scratchContext.createImageData(n, n);
  colourPixels(new Uint32Array(image.data.buffer), data, mask, colour, logFloor, range, table, packPixel(...maskedBytes));
  scratchContext.putImageData(image, 0, 0);

  const { context, width, height } = prepareCanvas(canvas);
  context.imageSmoothingEnabled = false;
  context.clearRect(0, 0, width, height);
  context.drawImage(scratch, 0, 0, width, height);

  if (mask) {
    const segments = maskBoundary(mask, n);
    if (segments.length) {
      const cellWidth = width / n;
      const cellHeight = height / n;
      context.beginPath();
      for (let k = 0; k < segments.length; k += 4) {
        context.moveTo(segments[k] * cellWidth, segments[k + 1] * cellHeight);
        context.lineTo(segments[k + 2] * cellWidth, segments[k + 3] * cellHeight);
      }
      context.strokeStyle = cssVariable(canvas, '--mask-outline', kFallbackMaskOutline);
      context.lineWidth = 1;  // one CSS pixel: thin at any n, crisp enough at any devicePixelRatio
      context.lineCap = 'square';
      context.stroke();
    }
  }
  return { colour, min: range.min, max: range.max, logFloor };
}

// A horizontal colour bar with its end labels: linear from min (default 0) to max, or log from logFloor
// to max (labels as powers of ten when they are). canvas sized by CSS like the heatmap's.
export function heatmapLegend(canvas, { colour = 'linear', logFloor = kDefaultLogFloor, max, min = 0, table = viridis }) {
  const { context, width, height } = prepareCanvas(canvas);
  const style = getComputedStyle(canvas);
  const text = cssVariable(canvas, '--text', '#1d1f23');
  const fontSize = Math.max(9, Math.min(13, height * 0.4));
  const barHeight = Math.max(4, height - fontSize - 6);
  context.clearRect(0, 0, width, height);

  const bar = context.createLinearGradient(0, 0, width, 0);
  for (let k = 0; k < kTableSize; k += 15) bar.addColorStop(k / (kTableSize - 1), tableColour(table, k));
  bar.addColorStop(1, tableColour(table, kTableSize - 1));
  context.fillStyle = bar;
  context.fillRect(0, 0, width, barHeight);

  const low = colour === 'log' ? logFloor : min;
  const high = colour === 'log' ? Math.max(max, logFloor) : max;
  context.fillStyle = text;
  context.font = `${fontSize}px ${style.fontFamily || 'sans-serif'}`;
  context.textBaseline = 'bottom';
  context.textAlign = 'left';
  context.fillText(legendLabel(low, colour), 0, height);
  context.textAlign = 'right';
  context.fillText(legendLabel(high, colour), width, height);
}

function legendLabel(value, colour) {
  if (colour === 'log' && value > 0) {
    const exponent = Math.log10(value);
    if (Math.abs(exponent - Math.round(exponent)) < 1e-9) return powerOfTenLabel(Math.round(exponent));
  }
  return formatTickValue(value);
}
