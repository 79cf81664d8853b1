// Draws an n x n matrix (an attention matrix A, row i = query i, column j = key j, row-major) on a canvas:
// every device pixel of the canvas' backing store (CSS size x devicePixelRatio) takes the colour of the
// cell under its centre (nearest-neighbour, whether n is smaller or larger than the canvas) from a
// 256-entry table; linear or logarithmic colour; masked (not allowed) entries in a neutral colour of their
// own, and a thin outline along the boundary of the allowed region. Also a small colour bar (heatmapLegend)
// that names its scale. Options beyond that: a rectangular matrix (rows x columns: the depth view), a fixed
// colour range (colormap.mjs's shared attention range, so equal weights get equal colours in every panel),
// axes with row and column ticks around the matrix, and a cursor outlining one cell (the readout's;
// heatmapCellAt maps a pointer position to its cell).
// The O(n^2) passes (colour range, mask boundary) can run in row bands across tasks (drawHeatmapInSteps),
// so a large n never holds the main thread; painting costs O(canvas pixels), not O(n^2). Computes no
// statistic: the numbers come from the core.

import { colourBytes, cssVariable, formatTickValue, powerOfTenLabel, prepareCanvas } from './canvas-util.mjs';
import { kLogColourFloor, kTableSize, tableColour, viridis } from './colormap.mjs';

const kDefaultLogFloor = kLogColourFloor;
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
function foldRange(range, data, mask, columns, rowStart, rowEnd) {
  let { min, max } = range;
  for (let index = rowStart * columns, end = rowEnd * columns; index < end; ++index) {
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

// Whether two masks hold the same entries (compared four bytes at a time where they align).
export function isSameMask(a, b) {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  const isAligned = a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0;
  const words = isAligned ? a.length >> 2 : 0;
  if (words) {
    const a32 = new Uint32Array(a.buffer, a.byteOffset, words);
    const b32 = new Uint32Array(b.buffer, b.byteOffset, words);
    for (let index = 0; index < words; ++index) if (a32[index] !== b32[index]) return false;
  }
  for (let index = words * 4; index < a.length; ++index) if (a[index] !== b[index]) return false;
  return true;
}

// The colour range and mask boundary of a matrix, one band of rows per step: a generator that yields
// between bands and returns { min, max, segments }. Cached per (data, mask): a colour change or a resize
// repaints without the O(n^2) passes. previous: the canvas' last drawing ({ options: { mask, n }, segments }),
// whose boundary is taken over when its mask holds the same entries (a new seed or scale keeps the mask: only
// the colour range is computed again).
const layouts = new WeakMap();

function* layoutSteps(data, n, mask, columns = n, previous = null) {
  const cached = layouts.get(data);
  if (cached && cached.mask === mask) return cached.layout;
  const range = { min: Infinity, max: -Infinity };
  const rowsPerBand = Math.max(1, Math.floor(kCellsPerBand / columns));
  // The last drawing's outline holds when its mask has the same entries: compared band by band too.
  const previousMask = previous?.n === n ? previous.options.mask : null;
  let knownSegments = mask && previousMask?.length === mask.length ? previous.segments : null;
  for (let rowStart = 0; knownSegments && rowStart < n; rowStart += rowsPerBand) {
    const from = rowStart * n;
    const to = Math.min(n, rowStart + rowsPerBand) * n;
    if (!isSameMask(previousMask.subarray(from, to), mask.subarray(from, to))) knownSegments = null;
    else if (to < mask.length) yield;
  }
  const boundary = mask && !knownSegments ? new BoundaryBuilder(mask, n) : null;  // a mask is square (n x n)
  for (let rowStart = 0; rowStart < n; rowStart += rowsPerBand) {
    const rowEnd = Math.min(n, rowStart + rowsPerBand);
    foldRange(range, data, mask, columns, rowStart, rowEnd);
    boundary?.addRows(rowStart, rowEnd);
    if (rowEnd < n) yield;
  }
  const layout = { ...finishRange(range), segments: knownSegments ?? (boundary ? boundary.finish() : []) };
  layouts.set(data, { mask, layout });
  return layout;
}

// Table index (0..255) of one entry. Linear: (a - min) / (max - min). Square root (gamma 1/2): the square
// root of that, so small weights get more of the table. Log: (log10 max(a, floor) - log10 floor) /
// (log10 max - log10 floor), so weights down to the floor get distinct colours. NaN (never produced by the
// core) takes the bottom colour.
// Returns { step, fillRow }: step(value) -> the index of one entry; fillRow(indices, data, base, columns, width)
// -> indices[x] = step(data[base + columns[x]]) for x < width, the same expressions written out for each scale,
// so painting calls no function per pixel (a call per pixel, through a closure V8 cannot inline where the page
// draws in more than one scale, was most of a heatmap's painting: ~1-2 ms for a 210 x 210 canvas).
// Exported for tests (tests/node/heatmap-colour.test.mjs: fillRow == step, entry by entry).
export function colourScale(colour, logFloor, range) {
  const top = kTableSize - 1;
  const clampStep = (step) => (step >= top ? top : step > 0 ? (step + 0.5) | 0 : 0);  // NaN -> 0
  if (colour === 'log') {
    const logLow = Math.log10(logFloor);
    const logHigh = Math.log10(Math.max(range.max, logFloor));
    const factor = logHigh > logLow ? top / (logHigh - logLow) : 0;
    // ln(x) log10(e) rather than Math.log10: twice as fast in V8, same table entry.
    return {
      step: (value) => clampStep(value > logFloor ? (Math.log(value) * Math.LOG10E - logLow) * factor : 0),
      fillRow(indices, data, base, columns, width) {
        for (let x = 0; x < width; ++x) {
          const value = data[base + columns[x]];
          const step = value > logFloor ? (Math.log(value) * Math.LOG10E - logLow) * factor : 0;
          indices[x] = step >= top ? top : step > 0 ? (step + 0.5) | 0 : 0;
        }
      },
    };
  }
  const span = range.max - range.min;
  const factor = span > 0 ? top / span : 0;
  if (!(span > 0)) {
    const constant = range.max > 0 ? top : 0;  // a constant matrix: top colour unless all zero
    return { step: () => constant, fillRow: (indices, data, base, columns, width) => indices.fill(constant, 0, width) };
  }
  const { min } = range;
  if (colour === 'sqrt') {
    const inverse = 1 / span;
    return {
      step: (value) => clampStep(top * Math.sqrt(Math.max(0, (value - min) * inverse))),
      fillRow(indices, data, base, columns, width) {
        for (let x = 0; x < width; ++x) {
          const step = top * Math.sqrt(Math.max(0, (data[base + columns[x]] - min) * inverse));
          indices[x] = step >= top ? top : step > 0 ? (step + 0.5) | 0 : 0;
        }
      },
    };
  }
  return {
    step: (value) => clampStep((value - min) * factor),
    fillRow(indices, data, base, columns, width) {
      for (let x = 0; x < width; ++x) {
        const step = (data[base + columns[x]] - min) * factor;
        indices[x] = step >= top ? top : step > 0 ? (step + 0.5) | 0 : 0;
      }
    },
  };
}

// Fills pixels (Uint32Array of width x height packed colours) with the cell under each pixel's centre.
// Pixel rows that sample the same matrix row are copies of the first. scale: colourScale's.
function paintPixels(pixels, width, height, data, n, mask, scale, packed, maskedPixel, columnCount = n) {
  const columns = new Int32Array(width);
  for (let x = 0; x < width; ++x) columns[x] = Math.min(columnCount - 1, Math.floor(((x + 0.5) * columnCount) / width));
  const indices = new Uint8Array(width);
  let previousRow = -1;
  for (let y = 0; y < height; ++y) {
    const row = Math.min(n - 1, Math.floor(((y + 0.5) * n) / height));
    const out = y * width;
    if (row === previousRow) {
      pixels.copyWithin(out, out - width, out);
      continue;
    }
    previousRow = row;
    const base = row * columnCount;
    scale.fillRow(indices, data, base, columns, width);
    if (mask) {
      for (let x = 0; x < width; ++x) pixels[out + x] = mask[base + columns[x]] ? packed[indices[x]] : maskedPixel;
    } else {
      for (let x = 0; x < width; ++x) pixels[out + x] = packed[indices[x]];
    }
  }
}

function checkArguments({ data, n, columns = n, logFloor = kDefaultLogFloor, mask = null }) {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(columns) || columns < 1 || !data || data.length !== n * columns) {
    throw new RangeError(`drawHeatmap: data has ${data?.length} entries, expected n*columns with n=${n}, columns=${columns}`);
  }
  if (mask && columns !== n) throw new RangeError(`drawHeatmap: a mask needs a square matrix (n=${n}, columns=${columns})`);
  if (mask && mask.length !== n * n) throw new RangeError(`drawHeatmap: mask has ${mask.length} entries, expected ${n * n}`);
  if (!(logFloor > 0)) throw new RangeError(`drawHeatmap: logFloor=${logFloor} must be > 0`);
}

// Row or column ticks of a matrix with `count` rows (or columns): 0 and multiples of a 1-2-5 step, at
// most about maxTicks of them, each below count.
export function matrixTicks(count, maxTicks = 5) {
  let step = 1;
  for (let power = 1; ; power *= 10) {
    const found = [1, 2, 5].map((m) => m * power).find((candidate) => Math.ceil(count / candidate) <= maxTicks);
    if (found) {
      step = found;
      break;
    }
  }
  const ticks = [];
  for (let index = 0; index < count; index += step) ticks.push(index);
  return ticks;
}

const kAxisFontSize = 10;
const kAxisGap = 3;

// The axis titles of `axes` (true: ticks only; { rows, columns }: ticks and these titles).
function axisTitles(axes) {
  return axes && typeof axes === 'object' ? { rows: axes.rows ?? '', columns: axes.columns ?? '' } : { rows: '', columns: '' };
}

// Where the matrix goes on a canvas of width x height CSS pixels: the whole canvas, or with axes, the
// largest rectangle of the matrix' aspect (square cells when it fits) right of the row ticks (and the row
// title, turned upright) and above the column ticks (and the column title). Returns { left, top, width,
// height, rowTicks, columnTicks, titles }.
function matrixArea(context, width, height, n, columns, axes) {
  if (!axes) return { left: 0, top: 0, width, height, rowTicks: [], columnTicks: [], titles: axisTitles(null) };
  const titles = axisTitles(axes);
  const rowTicks = matrixTicks(n, height < 160 ? 4 : 6);
  context.font = `${kAxisFontSize}px sans-serif`;
  const labelWidth = Math.max(...rowTicks.map((index) => context.measureText(String(index)).width));
  const rowTitleWidth = titles.rows ? kAxisFontSize + kAxisGap : 0;
  const left = Math.ceil(rowTitleWidth + labelWidth + 2 * kAxisGap + 2);
  const top = kAxisFontSize / 2;  // room for half the first row's label
  const bottom = kAxisFontSize + 2 * kAxisGap + (titles.columns ? kAxisFontSize + kAxisGap : 0);
  const right = kAxisGap * 2;
  let areaWidth = Math.max(4, width - left - right);
  let areaHeight = Math.max(4, height - top - bottom);
  if (columns === n) areaWidth = areaHeight = Math.min(areaWidth, areaHeight);  // square matrix, square cells
  const columnTicks = matrixTicks(columns, areaWidth < 160 ? 4 : 6);
  return { left, top, width: areaWidth, height: areaHeight, rowTicks, columnTicks, titles };
}

// The last drawing of each canvas (area, shape, the painted pixels): for the cursor and heatmapCellAt. Kept on the
// canvas itself under a registered symbol, not in this module, so every copy of this module reads it: the site's
// bundled explorer draws with its own copy (scripts/build-site.mjs), and a test or a tool that imports
// render/heatmap.mjs for heatmapShape() of the page's canvases gets another.
const kDrawingKey = Symbol.for('attnrank.heatmap.drawing');
const drawings = Object.freeze({
  get: (canvas) => canvas?.[kDrawingKey],
  set: (canvas, drawing) => { canvas[kDrawingKey] = drawing; },
});

// Paints a matrix whose layout (range, boundary) is known: O(canvas pixels).
function paint(canvas, options, layout) {
  const { data, n, columns = n, colour = 'linear', logFloor = kDefaultLogFloor, mask = null, table = viridis, range = null,
    axes = false, pixelRatio = null } = options;
  const maskedPixel = packPixel(...colourBytes(cssVariable(canvas, '--masked-cell', kFallbackMaskedCell)));
  const { context, width, height, scale } = prepareCanvas(canvas, pixelRatio);
  const area = matrixArea(context, width, height, n, columns, axes);
  // The matrix in device pixels (the context's CSS-pixel transform does not apply to putImageData).
  const deviceLeft = Math.round(area.left * scale);
  const deviceTop = Math.round(area.top * scale);
  const deviceWidth = Math.max(1, Math.min(canvas.width - deviceLeft, Math.round(area.width * scale)));
  const deviceHeight = Math.max(1, Math.min(canvas.height - deviceTop, Math.round(area.height * scale)));
  const image = context.createImageData(deviceWidth, deviceHeight);
  // A fixed range (the shared scale) holds when every entry lies inside it; else the matrix' own range.
  const slack = range ? 1e-9 * (range.max - range.min) : 0;  // rounding: a row sum of 1 + 2e-16
  const isRangeShared = Boolean(range && layout.min >= range.min - slack && layout.max <= range.max + slack);
  const colourRange = isRangeShared ? range : layout;
  paintPixels(new Uint32Array(image.data.buffer), deviceWidth, deviceHeight, data, n, mask,
    colourScale(colour, logFloor, colourRange), packedTable(table), maskedPixel, columns);
  const drawing = { area, n, columns, scale, image, deviceLeft, deviceTop, segments: mask ? layout.segments : [], axes,
    cursor: null, options };
  drawings.set(canvas, drawing);
  repaint(canvas, context, drawing);
  return { colour, min: colourRange.min, max: colourRange.max, logFloor, isRangeShared };
}

// Paints a drawing from its kept pixels: the matrix, the mask outline, the axes and the cursor. O(canvas
// pixels); the cursor moves without recolouring any cell.
function repaint(canvas, context, drawing) {
  const { area, n, columns, scale, image, deviceLeft, deviceTop, segments, axes, cursor } = drawing;
  context.setTransform(scale, 0, 0, scale, 0, 0);
  context.clearRect(0, 0, canvas.width / scale, canvas.height / scale);
  context.putImageData(image, deviceLeft, deviceTop);  // device pixels: the CSS-pixel transform does not apply
  const cellWidth = area.width / columns;
  const cellHeight = area.height / n;
  if (segments.length) {
    context.beginPath();
    for (let k = 0; k < segments.length; k += 4) {
      context.moveTo(area.left + segments[k] * cellWidth, area.top + segments[k + 1] * cellHeight);
      context.lineTo(area.left + segments[k + 2] * cellWidth, area.top + segments[k + 3] * cellHeight);
    }
    context.strokeStyle = cssVariable(canvas, '--mask-outline', kFallbackMaskOutline);
    context.lineWidth = 1;  // one CSS pixel: thin at any n, crisp enough at any devicePixelRatio
    context.lineCap = 'square';
    context.stroke();
  }
  if (axes) drawMatrixAxes(context, canvas, area, n, columns);
  if (cursor) {
    // A ring in --text inside one in --background, so it shows on every colour; at least 5 CSS pixels wide.
    const width = Math.max(5, cellWidth);
    const height = Math.max(5, cellHeight);
    const box = [area.left + (cursor.j + 0.5) * cellWidth - width / 2, area.top + (cursor.i + 0.5) * cellHeight - height / 2,
      width, height];
    context.lineWidth = 3;
    context.strokeStyle = cssVariable(canvas, '--background', '#ffffff');
    context.strokeRect(...box);
    context.lineWidth = 1.5;
    context.strokeStyle = cssVariable(canvas, '--text', '#1d1f23');
    context.strokeRect(...box);
  }
}

// Row ticks left of the matrix, column ticks under it, at the cells' centres, in --muted; the axis titles
// (row: upright along the left edge, column: under the column ticks), in --text, each shortened with an
// ellipsis to the matrix' side.
function drawMatrixAxes(context, canvas, area, n, columns) {
  const muted = cssVariable(canvas, '--muted', '#5b6270');
  const fontFamily = getComputedStyle(canvas).fontFamily || 'sans-serif';
  context.font = `${kAxisFontSize}px ${fontFamily}`;
  context.fillStyle = muted;
  context.strokeStyle = muted;
  context.lineWidth = 1;
  context.beginPath();
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  for (const index of area.rowTicks) {
    const y = area.top + (index + 0.5) * (area.height / n);
    context.moveTo(area.left - kAxisGap, y);
    context.lineTo(area.left, y);
    context.fillText(String(index), area.left - kAxisGap - 1, y);
  }
  context.textAlign = 'center';
  context.textBaseline = 'top';
  const bottom = area.top + area.height;
  for (const index of area.columnTicks) {
    const x = area.left + (index + 0.5) * (area.width / columns);
    context.moveTo(x, bottom);
    context.lineTo(x, bottom + kAxisGap);
    context.fillText(String(index), x, bottom + kAxisGap);
  }
  context.stroke();
  const { rows, columns: columnTitle } = area.titles;
  if (!rows && !columnTitle) return;
  context.fillStyle = cssVariable(canvas, '--text', '#1d1f23');
  const fit = (title, room) => {
    let shown = title;
    while (shown.length > 1 && context.measureText(shown).width > room) shown = `${shown.slice(0, -2)}…`;
    return shown;
  };
  if (columnTitle) {
    context.textAlign = 'center';
    context.textBaseline = 'top';
    context.fillText(fit(columnTitle, area.width), area.left + area.width / 2, bottom + 2 * kAxisGap + kAxisFontSize);
  }
  if (rows) {
    context.save();
    context.translate(0, area.top + area.height / 2);
    context.rotate(-Math.PI / 2);
    context.textAlign = 'center';
    context.textBaseline = 'top';
    context.fillText(fit(rows, area.height), 0, 0);
    context.restore();
  }
}

// The cell under a point (x, y in CSS pixels from the canvas' top-left) of the canvas' last drawing:
// { i (row), j (column) }, or null outside the matrix or before any drawing.
export function heatmapCellAt(canvas, x, y) {
  const drawing = drawings.get(canvas);
  if (!drawing) return null;
  const { area, n, columns } = drawing;
  const i = Math.floor(((y - area.top) / area.height) * n);
  const j = Math.floor(((x - area.left) / area.width) * columns);
  if (!(i >= 0 && i < n && j >= 0 && j < columns)) return null;
  return { i, j };
}

// The shape of the canvas' last drawing: { n (rows), columns, area, titles: { rows, columns } } or null.
export function heatmapShape(canvas) {
  const drawing = drawings.get(canvas);
  return drawing ? { n: drawing.n, columns: drawing.columns, area: drawing.area, titles: drawing.area.titles } : null;
}

// Outlines cell { i, j } of the canvas' last drawing (null: no cursor), repainting from its kept pixels.
export function drawHeatmapCursor(canvas, cell) {
  const drawing = drawings.get(canvas);
  if (!drawing) return;
  drawing.cursor = cell && cell.i < drawing.n && cell.j < drawing.columns ? cell : null;
  repaint(canvas, canvas.getContext('2d'), drawing);
}

// canvas: an HTMLCanvasElement sized by CSS. data: Float64Array (or any array) of n*n, row-major (n x
// columns with columns given). colour: 'linear' | 'sqrt' | 'log'; logFloor: smallest weight told apart in log
// colour; mask: optional Uint8Array(n*n), non-zero = allowed (i attends to j); masked cells take
// --masked-cell and the allowed region is outlined in --mask-outline. table: a colormap.mjs table (default
// viridis). range: { min, max } to colour by instead of the matrix' own (used when every entry lies in it);
// axes: row and column ticks around the matrix (true), with axis titles ({ rows, columns }: the words); pixelRatio: instead of the device's (exports).
// Returns the colour range used: { colour, min, max, logFloor, isRangeShared } (for heatmapLegend, tests).
// Synchronous: O(n^2) in one task (about 1 ms per 100k cells); large matrices use drawHeatmapInSteps.
export function drawHeatmap(canvas, options) {
  checkArguments(options);
  const steps = layoutSteps(options.data, options.n, options.mask ?? null, options.columns ?? options.n);
  let next = steps.next();
  while (!next.done) next = steps.next();
  return paint(canvas, options, next.value);
}

// Resolves after a task boundary (input, rendering and other tasks run in between); not clamped like a
// nested setTimeout(0).
export function nextTask() {
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
  const steps = layoutSteps(options.data, options.n, options.mask ?? null, options.columns ?? options.n, drawings.get(canvas));
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

// A horizontal colour bar with its end labels and, between them, the name of its scale (label, e.g. "log
// colour, shared by the panels"): linear or square root from min (default 0) to max (the label names the
// square root: the bar's middle is a quarter of max), or log from logFloor to max (labels as powers of ten
// when they are). canvas sized by CSS like the heatmap's; under: a drawn heatmap canvas to
// line the bar up with its matrix.
export function heatmapLegend(canvas, { colour = 'linear', logFloor = kDefaultLogFloor, max, min = 0, table = viridis, label = '',
  shortLabel = '', pixelRatio = null, under = null }) {
  const { context, width: canvasWidth, height } = prepareCanvas(canvas, pixelRatio);
  // under: the heatmap canvas whose matrix the bar lines up with (its left edge and width), else the whole width.
  const area = under ? drawings.get(under)?.area : null;
  const left = area ? Math.min(area.left, canvasWidth - 20) : 0;
  const width = area ? Math.min(area.width, canvasWidth - left) : canvasWidth;
  const style = getComputedStyle(canvas);
  const text = cssVariable(canvas, '--text', '#1d1f23');
  const muted = cssVariable(canvas, '--muted', '#5b6270');
  const fontSize = Math.max(9, Math.min(12, height * 0.4));
  const barHeight = Math.max(4, height - fontSize - 6);
  context.clearRect(0, 0, canvasWidth, height);
  context.translate(left, 0);

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
  const lowText = legendLabel(low, colour);
  const highText = legendLabel(high, colour);
  context.fillText(lowText, 0, height);
  context.textAlign = 'right';
  context.fillText(highText, width, height);
  if (label) {
    // The scale's name between the end labels; where it does not fit (a phone's narrow panels), its short form
    // (shortLabel: the scale alone, e.g. "log"), else shortened with an ellipsis.
    const room = width - context.measureText(lowText).width - context.measureText(highText).width - 16;
    let shown = shortLabel && context.measureText(label).width > room ? shortLabel : label;
    while (shown.length > 1 && context.measureText(shown).width > room) shown = `${shown.slice(0, -2)}…`;
    if (room > 20) {
      context.fillStyle = muted;
      context.textAlign = 'center';
      context.fillText(shown, context.measureText(lowText).width + 8 + room / 2, height);
    }
  }
  canvas.dataset.scale = colour;
  canvas.dataset.range = `${low},${high}`;
  canvas.dataset.label = label;
  legends.set(canvas, { colour, logFloor, max, min, table, label, shortLabel, under });
}

const legends = new WeakMap();  // colour bar canvas -> its last options

// A copy of a drawn heatmap (or colour bar) canvas, drawn again at pixelRatio (exports: 2x on any screen)
// from its last options, without the cursor; null if it was never drawn. The copy is laid out beside the
// original for a moment so it reads the same CSS custom properties (and size, unless `size` gives another
// { width, height } in CSS pixels). under: for a colour bar, the drawn heatmap (a copy) it lines up with.
export function redrawnCopy(canvas, pixelRatio, { size = null, under = undefined } = {}) {
  const drawing = drawings.get(canvas);
  const legend = legends.get(canvas);
  if (!drawing && !legend) return null;
  const copy = canvas.ownerDocument.createElement('canvas');
  const box = canvas.getBoundingClientRect();
  const width = Math.max(1, Math.round(size?.width ?? (box.width || canvas.width)));
  const height = Math.max(1, Math.round(size?.height ?? (box.height || canvas.height)));
  copy.width = width;
  copy.height = height;
  copy.className = canvas.className;  // the same font and colours
  Object.assign(copy.style, { position: 'absolute', visibility: 'hidden', width: `${width}px`, height: `${height}px`,
    aspectRatio: 'auto' });
  canvas.after(copy);
  try {
    if (drawing) drawHeatmap(copy, { ...drawing.options, pixelRatio });
    else heatmapLegend(copy, { ...legend, pixelRatio, ...(under === undefined ? {} : { under }) });
  } finally {
    copy.remove();
  }
  return { canvas: copy, width, height };  // width, height: CSS pixels
}

function legendLabel(value, colour) {
  if (colour === 'log' && value > 0) {
    const exponent = Math.log10(value);
    if (Math.abs(exponent - Math.round(exponent)) < 1e-9) return powerOfTenLabel(Math.round(exponent));
  }
  return formatTickValue(value);
}
