// Draws an n x n matrix (an attention matrix A, row i = query i, column j = key j, row-major) on a canvas:
// every device pixel of the canvas' backing store (CSS size x devicePixelRatio) takes the colour of the
// cell under its centre (nearest-neighbour, whether n is smaller or larger than the canvas) from a
// 256-entry table; linear or logarithmic colour; masked (not allowed) entries in a neutral colour of their
// own, and a thin outline along the boundary of the allowed region. Also a small colour bar (heatmapLegend).
// The O(n^2) passes (colour range, mask boundary) can run in row bands across tasks (drawHeatmapInSteps),
// so a large n never holds the main thread; painting costs O(canvas pixels), not O(n^2). Computes no
// statistic: the numbers come from the core.

import { colourBytes, cssVariable, formatTickValue, powerOfTenLabel, prepareCanvas } from './canvas-util.mjs';
import { kTableSize, tableColour, viridis } from './colormap.mjs';

const kDefaultLogFloor = 1e-8;
const kFallbackMaskedCell = '#c9c9c9';
const kFallbackMaskOutline = '#e8412c';
// Cells per band of the O(n^2) passes, and the main-thread time drawHeatmapInSteps spends before it
// yields (well under the 50 ms of a "long task"; a band at n = 4096 is 16 rows, ~0.2 ms).
const kCellsPerBand = 1 << 16;
const kDefaultBudgetMs = 8;

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

// min/max of the allowed entries of rows [rowStart, rowEnd), folded into range.
function foldRange(range, data, mask, n, rowStart, rowEnd) {
  let { min, max } = range;
  for (let index = rowStart * n, end = rowEnd * n; index < end; ++index) {
    if (mask && !mask[index]) continue;
    const value = data[index];
    if (value < min) min = value;
    if (value > max) max = value;
  }
  range.min = min;
  range.max = max;
}

// The colour range of the folded min/max: attention weights are >= 0, so linear colour runs from 0 to the
// largest allowed entry; a matrix with negative entries runs from its minimum.
function finishRange({ min, max }) {
  if (!Number.isFinite(max)) return { min: 0, max: 0 };
  return { min: Math.min(0, min), max };
}

// The colour range of a matrix (data: n*n entries, mask: optional, non-zero = allowed).
export function heatmapRange(data, mask) {
  const range = { min: Infinity, max: -Infinity };
  foldRange(range, data, mask, data.length, 0, 1);
  return finishRange(range);
}

// The boundary between allowed and masked cells, built row by row (so it can run in bands): merged straight
// segments in cell units [x0, y0, x1, y1, ...], interior edges only (the matrix' own border is not outlined).
class BoundaryBuilder {
  constructor(mask, n) {
    this.mask = mask;
    this.n = n;
    this.openSince = new Int32Array(n + 1).fill(-1);  // column c: first row of the vertical run still open
    this.segments = [];
  }

  // Rows [rowStart, rowEnd): the vertical edges inside each row i (between columns c - 1 and c, merged
  // down the rows), and the horizontal edges between rows i - 1 and i (merged along the columns).
  addRows(rowStart, rowEnd) {
    const { mask, n, openSince, segments } = this;
    for (let i = rowStart; i < rowEnd; ++i) {
      const row = i * n;
      for (let c = 1; c < n; ++c) {
        const differs = !mask[row + c - 1] !== !mask[row + c];
        if (differs) {
          if (openSince[c] < 0) openSince[c] = i;
        } else if (openSince[c] >= 0) {
          segments.push(c, openSince[c], c, i);
          openSince[c] = -1;
        }
      }
      if (i === 0) continue;
      const above = row - n;
      let start = -1;
      for (let j = 0; j <= n; ++j) {
        const differs = j < n && !mask[above + j] !== !mask[row + j];
        if (differs && start < 0) start = j;
        if (!differs && start >= 0) {
          segments.push(start, i, j, i);
          start = -1;
        }
      }
    }
  }

  finish() {
    for (let c = 1; c < this.n; ++c) {
      if (this.openSince[c] >= 0) this.segments.push(c, this.openSince[c], c, this.n);
    }
    return this.segments;
  }
}

export function maskBoundary(mask, n) {
  const builder = new BoundaryBuilder(mask, n);
  builder.addRows(0, n);
  return builder.finish();
}

// The colour range and mask boundary of a matrix, one band of rows per step: a generator that yields
// between bands and returns { min, max, segments }. Cached per (data, mask): a colour change or a resize
// repaints without the O(n^2) passes.
const layouts = new WeakMap();

function* layoutSteps(data, n, mask) {
  const cached = layouts.get(data);
  if (cached && cached.mask === mask) return cached.layout;
  const range = { min: Infinity, max: -Infinity };
  const boundary = mask ? new BoundaryBuilder(mask, n) : null;
  const rowsPerBand = Math.max(1, Math.floor(kCellsPerBand / n));
  for (let rowStart = 0; rowStart < n; rowStart += rowsPerBand) {
    const rowEnd = Math.min(n, rowStart + rowsPerBand);
    foldRange(range, data, mask, n, rowStart, rowEnd);
    boundary?.addRows(rowStart, rowEnd);
    if (rowEnd < n) yield;
  }
  const layout = { ...finishRange(range), segments: boundary ? boundary.finish() : [] };
  layouts.set(data, { mask, layout });
  return layout;
}

// Table index (0..255) of one entry. Linear: (a - min) / (max - min). Log: (log10 max(a, floor) -
// log10 floor) / (log10 max - log10 floor), so weights down to the floor get distinct colours. NaN (never
// produced by the core) takes the bottom colour.
function colourScale(colour, logFloor, range) {
  const top = kTableSize - 1;
  const clampStep = (step) => (step >= top ? top : step > 0 ? (step + 0.5) | 0 : 0);  // NaN -> 0
  if (colour === 'log') {
    const logLow = Math.log10(logFloor);
    const logHigh = Math.log10(Math.max(range.max, logFloor));
    const factor = logHigh > logLow ? top / (logHigh - logLow) : 0;
    // ln(x) log10(e) rather than Math.log10: twice as fast in V8, same table entry.
    return (value) => clampStep(value > logFloor ? (Math.log(value) * Math.LOG10E - logLow) * factor : 0);
  }
  const span = range.max - range.min;
  const factor = span > 0 ? top / span : 0;
  if (!(span > 0)) {
    const constant = range.max > 0 ? top : 0;  // a constant matrix: top colour unless all zero
    return () => constant;
  }
  return (value) => clampStep((value - range.min) * factor);
}

// Fills pixels (Uint32Array of width x height packed colours) with the cell under each pixel's centre.
// Pixel rows that sample the same matrix row are copies of the first.
function paintPixels(pixels, width, height, data, n, mask, step, packed, maskedPixel) {
  const columns = new Int32Array(width);
  for (let x = 0; x < width; ++x) columns[x] = Math.min(n - 1, Math.floor(((x + 0.5) * n) / width));
  let previousRow = -1;
  for (let y = 0; y < height; ++y) {
    const row = Math.min(n - 1, Math.floor(((y + 0.5) * n) / height));
    const out = y * width;
    if (row === previousRow) {
      pixels.copyWithin(out, out - width, out);
      continue;
    }
    previousRow = row;
    const base = row * n;
    for (let x = 0; x < width; ++x) {
      const index = base + columns[x];
      pixels[out + x] = mask && !mask[index] ? maskedPixel : packed[step(data[index])];
    }
  }
}

function checkArguments({ data, n, logFloor = kDefaultLogFloor, mask = null }) {
  if (!Number.isInteger(n) || n < 1 || !data || data.length !== n * n) {
    throw new RangeError(`drawHeatmap: data has ${data?.length} entries, expected n*n with n=${n}`);
  }
  if (mask && mask.length !== n * n) throw new RangeError(`drawHeatmap: mask has ${mask.length} entries, expected ${n * n}`);
  if (!(logFloor > 0)) throw new RangeError(`drawHeatmap: logFloor=${logFloor} must be > 0`);
}

// Paints a matrix whose layout (range, boundary) is known: O(canvas pixels).
function paint(canvas, { data, n, colour = 'linear', logFloor = kDefaultLogFloor, mask = null, table = viridis }, layout) {
  const maskedPixel = packPixel(...colourBytes(cssVariable(canvas, '--masked-cell', kFallbackMaskedCell)));
  const { context, width, height } = prepareCanvas(canvas);
  const image = context.createImageData(canvas.width, canvas.height);
  paintPixels(new Uint32Array(image.data.buffer), canvas.width, canvas.height, data, n, mask,
    colourScale(colour, logFloor, layout), packedTable(table), maskedPixel);
  context.putImageData(image, 0, 0);  // device pixels: the context's CSS-pixel transform does not apply

  const { segments } = layout;
  if (mask && segments.length) {
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
  return { colour, min: layout.min, max: layout.max, logFloor };
}

// canvas: an HTMLCanvasElement sized by CSS. data: Float64Array (or any array) of n*n, row-major.
// colour: 'linear' | 'log'; logFloor: smallest weight told apart in log colour; mask: optional
// Uint8Array(n*n), non-zero = allowed (i attends to j); masked cells take --masked-cell and the allowed
// region is outlined in --mask-outline. table: a colormap.mjs table (default viridis).
// Returns the colour range used: { colour, min, max, logFloor } (for heatmapLegend and tests).
// Synchronous: O(n^2) in one task (about 1 ms per 100k cells); large matrices use drawHeatmapInSteps.
export function drawHeatmap(canvas, options) {
  checkArguments(options);
  const steps = layoutSteps(options.data, options.n, options.mask ?? null);
  let next = steps.next();
  while (!next.done) next = steps.next();
  return paint(canvas, options, next.value);
}

// Resolves after a task boundary (input, rendering and other tasks run in between); not clamped like a
// nested setTimeout(0).
function nextTask() {
  if (globalThis.scheduler?.postTask) return globalThis.scheduler.postTask(() => {}, { priority: 'user-visible' });
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

// drawHeatmap in steps: starts in a later task, runs the O(n^2) passes in row bands and yields to the
// event loop whenever budgetMs of main-thread time is spent, then paints (O(canvas pixels)) in one task.
// signal (an AbortSignal): once aborted (a newer result for this canvas), no more steps run and the
// promise resolves with null, leaving the canvas as it was. Otherwise resolves with drawHeatmap's range.
export async function drawHeatmapInSteps(canvas, options, { signal = null, budgetMs = kDefaultBudgetMs } = {}) {
  checkArguments(options);
  const steps = layoutSteps(options.data, options.n, options.mask ?? null);
  for (;;) {
    await nextTask();
    if (signal?.aborted) return null;
    const started = performance.now();
    let next = steps.next();
    while (!next.done && performance.now() - started < budgetMs) next = steps.next();
    if (next.done) {
      // Painting is O(canvas pixels): in the same task when time is left, else in the next one.
      if (performance.now() - started >= budgetMs) {
        await nextTask();
        if (signal?.aborted) return null;
      }
      return paint(canvas, options, next.value);
    }
  }
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
