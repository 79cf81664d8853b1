// Exports of what the page shows: a canvas as PNG, the statistics of analyze() results as CSV or JSON,
// the spectra as CSV, a result's matrix as .npy (written by the core's write_npy in a worker), and the
// download of any Blob. Values are written as computed, never re-derived, in JS's shortest round-trip
// decimals (String(x): the fewest digits that read back as the same double, like the CLI's CSV and JSON);
// the CSV/JSON helpers are pure and node-testable. The statistics CSV's columns are the core's (see
// statsColumns). A null value (the f64 rank of an f32 analysis) is an empty cell; the spectra CSV labels every singular value at or below
// the core's accuracy floor (column below_accuracy_floor): rounding noise, kept only there.

import { resultFields } from './state/result-fields.mjs';

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

// Saves a Blob under `filename` through a temporary <a download> (no navigation, no innerHTML).
export function downloadBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);  // late enough for the download to have read it
}
