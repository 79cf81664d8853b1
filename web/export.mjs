// Exports of what the page shows: a canvas as PNG, the statistics of analyze() results as CSV or JSON,
// the spectra as CSV, a result's matrix as .npy (written by the core's write_npy in a worker), and the
// download of any Blob. Values are written as computed, never re-derived, in JS's shortest round-trip
// decimals (String(x): the fewest digits that read back as the same double, like the CLI's CSV and JSON);
// the CSV/JSON helpers are pure and node-testable. The statistics CSV's columns are the core's (see
// statsColumns). A null value (the f64 rank of an f32 analysis) is an empty cell; the spectra CSV labels every singular value at or below
// the core's accuracy floor (column below_accuracy_floor): rounding noise, kept only there. Figures export
// as PNG at 2x (title, parameters, legend, colour bars) and line charts also as SVG, from the same scene.

import { cssVariable } from './render/canvas-util.mjs';
import { redrawnCopy } from './render/heatmap.mjs';
import { legendScene, lineChartScene, textMeasurer } from './render/line-chart.mjs';
import { kExportPixelRatio, scenePngBlob, sceneToSvg, translateItems } from './render/scene.mjs';
import { resultFields } from './state/result-fields.mjs';

// The names of exported files are said once, in views/image-link.mjs (which the embeddable folder holds).
import { downloadBlob, exportBaseName } from './views/image-link.mjs';

export { exportBaseName, kExportPixelRatio };

// The scalar keys of analyze()'s result in the core's order (its scalar_keys, generated from the core's one
// definition of the result: the columns of `attnrank sweep --csv` too): the columns of statsToCsv.
// singular_values and matrix are not scalars (spectraToCsv, matrixToNpy).
export const statsColumns = Object.freeze([...resultFields.results.find((result) => result.name === 'analysis').scalar_keys]);

// One CSV field (RFC 4180): absent and null are empty; text with a comma, quote or line break is quoted.
function csvField(value) {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLines(rows) {
  return rows.map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

// One row per result, the columns of statsColumns; a key a result does not have (prefix of a forward
// pattern) is an empty cell.
export function statsToCsv(results) {
  return csvLines([statsColumns, ...results.map((result) => statsColumns.map((key) => result[key]))]);
}

// Long format: pattern, index (1-based, as s_1 >= s_2 >= ...), singular_value (the raw computed value),
// below_accuracy_floor (true when the value is at or below the result's accuracy_floor, the core's
// s_1 n eps: rounding noise, the comparison of the core's sigma_min_is_upper_bound; empty for a result
// without a floor). When several results share a pattern (softmax and linear), seriesLabel(result) names
// the rows instead, e.g. 'linear:forward'.
export const spectraColumns = Object.freeze(['pattern', 'index', 'singular_value', 'below_accuracy_floor']);

export function spectraToCsv(results, { seriesLabel = (result) => result.pattern } = {}) {
  const rows = [spectraColumns];
  for (const result of results) {
    const label = seriesLabel(result);
    const floor = typeof result.accuracy_floor === 'number' ? result.accuracy_floor : null;
    result.singular_values.forEach((value, index) => rows.push([label, index + 1, value, floor === null ? null : value <= floor]));
  }
  return csvLines(rows);
}

// JSON.stringify replacer: typed arrays (the core's spectra and per-layer curves) as plain arrays.
export function typedArraysAsLists(key, value) {
  return ArrayBuffer.isView(value) ? Array.from(value) : value;
}

// Every key of each result except the matrix (export it as .npy) and its mask, typed arrays as plain arrays; one
// result per line.
export function statsToJson(results) {
  const plain = results.map((result) => {
    const out = {};
    for (const [key, value] of Object.entries(result)) {
      if (key === 'matrix' || key === 'mask') continue;
      out[key] = typedArraysAsLists(key, value);
    }
    return out;
  });
  return plain.length ? `[\n${plain.map((entry) => `  ${JSON.stringify(entry)}`).join(',\n')}\n]\n` : '[]\n';
}

// The result's n x n matrix as a .npy Blob, written by the core in a worker, in the precision it was
// computed in. The result must come from analyze() with want_matrix: true.
export async function matrixToNpy(pool, result) {
  if (!(result?.matrix instanceof Float64Array)) {
    throw Object.assign(new Error('the result has no matrix (request it with want_matrix: true)'),
      { code: 'invalid_argument' });
  }
  const bytes = await pool.call('write_npy', result.matrix, result.n, result.n, result.precision ?? 'f64');
  return new Blob([bytes], { type: 'application/octet-stream' });
}

// A canvas's pixels as a PNG Blob (HTMLCanvasElement or OffscreenCanvas).
export function canvasToPngBlob(canvas) {
  if (typeof canvas.convertToBlob === 'function') return canvas.convertToBlob({ type: 'image/png' });
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas could not be encoded as PNG'))),
      'image/png');
  });
}

// downloadBlob(blob, filename): views/image-link.mjs's (the embeddable folder holds it, not this file).
export { downloadBlob };

// ---- Figures as images: PNG at kExportPixelRatio on any screen, SVG for line charts ----
// An exported figure carries its title, its parameters, its legend and its colour bars. A line chart is
// one scene (render/scene.mjs) painted on a canvas for PNG and written as SVG text: the same drawing.

const kExportChartWidth = 720;
const kExportChartHeight = 400;
const kExportMargin = 16;
const kTitleSize = 16;
const kParametersSize = 12;

// The file name of a result's matrix A: the base name of its own configuration and its pattern.
export function matrixFileName(result) {
  return `${exportBaseName(result)}-${result.pattern}.npy`;
}

function measurer(fontFamily) {
  const context = document.createElement('canvas').getContext('2d');
  return textMeasurer(context, fontFamily);
}

// Title and parameters as scene items from the top-left margin; returns { items, height }.
function headerScene(style, { title, parameters }) {
  const text = cssVariable(style, '--text', '#1d1f23');
  const muted = cssVariable(style, '--muted', '#5b6270');
  const items = [{ type: 'text', text: title, x: kExportMargin, y: kExportMargin, fill: text, size: kTitleSize, weight: 'bold',
    align: 'left', baseline: 'top' }];
  if (parameters) {
    items.push({ type: 'text', text: parameters, x: kExportMargin, y: kExportMargin + kTitleSize + 6, fill: muted,
      size: kParametersSize, align: 'left', baseline: 'top' });
  }
  return { items, height: kExportMargin + kTitleSize + 6 + (parameters ? kParametersSize + 10 : 0) };
}

// A line chart (a renderChart description) as a whole figure: title, parameters, the chart, its legend,
// on the page background. style: the chart's canvas on the page (its colours and font). extra({ x, y,
// width }): more items below the legend (the depth heatmap) in that box, returning { items, height }.
export function chartFigureScene(style, chart, header, { width = kExportChartWidth, chartHeight = kExportChartHeight, extra = null } = {}) {
  const fontFamily = getComputedStyle(style).fontFamily || 'sans-serif';
  const measure = measurer(fontFamily);
  const top = headerScene(style, header);
  const plot = lineChartScene(style, chart, { width: width - 2 * kExportMargin, height: chartHeight, measure });
  const legendTop = top.height + chartHeight + 8;
  const legend = legendScene(style, chart.series.filter((line) => line.legend !== false),
    { x: kExportMargin, y: legendTop, width: width - 2 * kExportMargin, measure });
  let height = legendTop + legend.height + kExportMargin;
  const items = [{ type: 'rect', x: 0, y: 0, width, height: 0, fill: cssVariable(style, '--background', '#ffffff') },
    ...top.items, ...translateItems(plot.items, kExportMargin, top.height), ...legend.items];
  if (extra) {
    const more = extra({ x: kExportMargin, y: height - kExportMargin + 8, width: width - 2 * kExportMargin });
    items.push(...more.items);
    height += more.height + 8;
  }
  items[0].height = height;
  return { width, height, items, fontFamily, title: header.title };
}

// A scene painted at kExportPixelRatio -> PNG Blob.
export function scenePng(scene) {
  return scenePngBlob(scene, kExportPixelRatio);
}

// A scene as an SVG Blob.
export function sceneSvg(scene) {
  return new Blob([sceneToSvg(scene)], { type: 'image/svg+xml' });
}

// text broken into lines at spaces so that each fits width at font size `size`.
function wrapLines(measure, text, size, width) {
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && measure(candidate, size) > width) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

// A drawn heatmap with its colour bar as scene items at (x, y), redrawn at the export's pixel ratio: the
// canvases' CSS size; caption lines above it (the first bold, unless plain), wrapped to wrapWidth (default
// the heatmap's width). Returns { items, width, height }.
export function heatmapScene(style, { heatmap, legend, captions = [], isPlain = false, wrapWidth = null }, x, y) {
  const text = cssVariable(style, '--text', '#1d1f23');
  const muted = cssVariable(style, '--muted', '#5b6270');
  const measure = measurer(getComputedStyle(style).fontFamily || 'sans-serif');
  const map = redrawnCopy(heatmap, kExportPixelRatio);
  const width = wrapWidth ?? map?.width ?? 240;
  const items = [];
  let at = y;
  captions.forEach((caption, index) => {
    const isTitle = index === 0 && !isPlain;
    const size = isTitle ? 13 : 11;
    for (const line of wrapLines(measure, caption, size, width)) {
      items.push({ type: 'text', text: line, x, y: at, fill: isTitle ? text : muted, size, weight: isTitle ? 'bold' : undefined,
        align: 'left', baseline: 'top' });
      at += size + 4;
    }
  });
  let drawnWidth = 0;
  if (map) {
    items.push({ type: 'image', source: map.canvas, x, y: at + 2, width: map.width, height: map.height });
    at += map.height + 6;
    drawnWidth = map.width;
  }
  const bar = legend ? redrawnCopy(legend, kExportPixelRatio) : null;
  if (bar) {
    items.push({ type: 'image', source: bar.canvas, x, y: at, width: bar.width, height: bar.height });
    at += bar.height;
    drawnWidth = Math.max(drawnWidth, bar.width);
  }
  return { items, width: drawnWidth, height: at - y };
}

// Heatmap panels side by side under a title and parameters -> a scene (PNG only: raster cells).
export function heatmapsFigureScene(style, panels, header) {
  const top = headerScene(style, header);
  const gap = 16;
  const items = [];
  let x = kExportMargin;
  let height = 0;
  for (const panel of panels) {
    const placed = heatmapScene(style, panel, x, top.height);
    items.push(...placed.items);
    x += placed.width + gap;
    height = Math.max(height, placed.height);
  }
  const width = Math.max(x - gap + kExportMargin, 360);
  const total = top.height + height + kExportMargin;
  return { width, height: total, fontFamily: getComputedStyle(style).fontFamily || 'sans-serif', title: header.title,
    items: [{ type: 'rect', x: 0, y: 0, width, height: total, fill: cssVariable(style, '--background', '#ffffff') }, ...top.items, ...items] };
}
