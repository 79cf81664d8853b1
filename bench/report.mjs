// The comparison's outputs from one set of measured rows: an aligned plain-text table (with the header
// that says when, where and with what), CSV (one row per n and pattern) and JSON (header + rows).
// Formatting only: nothing is measured or computed here except the ratios and their ranges per n.
// A row: { n, pattern, native, wasmNode, wasmChromium, numpy, numpyLib, numpyFast, js, jsChromium, notes: { ... } }
// with times in ms or null (not measured; then notes says why). numpy: Debian's numpy as installed; numpyLib: on
// the BLAS/LAPACK of --numpy-lib-dir (OpenBLAS with the kernel its own CPU detection picks); numpyFast: the
// same library with OPENBLAS_CORETYPE set to the CPU's fast kernel (the fair baseline). js: ml-matrix under node;
// jsChromium: the same code in a worker of the Chromium the wasm runs in (the fair pair for the wasm in the page).
// The optional columns and their ratios are shown only when they were run; with numpyFast, the ratio to numpy is
// against it.

const allColumns = [
  { key: 'native', title: 'native' },
  { key: 'wasmNode', title: 'wasm node' },
  { key: 'wasmChromium', title: 'wasm Chromium' },
  { key: 'numpy', title: 'numpy' },
  { key: 'numpyLib', title: 'numpy lib', isOptional: true },
  { key: 'numpyFast', title: 'numpy fast', isOptional: true },
  { key: 'js', title: 'JS ml-matrix' },
  { key: 'jsChromium', title: 'JS ml-matrix Chromium', isOptional: true },
];

const allRatios = [
  { key: 'chromiumOverNative', title: 'Chromium/native', top: 'wasmChromium', bottom: 'native' },
  { key: 'chromiumOverNumpy', title: 'Chromium/numpy', top: 'wasmChromium', bottom: 'numpy', unlessShown: 'numpyFast' },
  { key: 'chromiumOverNumpyFast', title: 'Chromium/numpy fast', top: 'wasmChromium', bottom: 'numpyFast', isOptional: true },
  { key: 'jsOverChromium', title: 'JS/Chromium', top: 'js', bottom: 'wasmChromium' },
  { key: 'jsChromiumOverChromium', title: 'JS Chromium/Chromium', top: 'jsChromium', bottom: 'wasmChromium',
    isOptional: true, optionalColumn: 'jsChromium' },
];

export function withRatios(row) {
  const ratios = {};
  for (const { key, top, bottom } of allRatios) {
    ratios[key] = row[top] > 0 && row[bottom] > 0 ? row[top] / row[bottom] : null;
  }
  return { ...row, ratios };
}

// The columns and ratios to print: an optional one only when some row has a value or a note for its column
// (a ratio's optionalColumn, else its bottom); a ratio with unlessShown not when that column is shown.
function isRun(rows, key) {
  return rows.some((row) => typeof row[key] === 'number' || row.notes?.[key]);
}
function shown(definitions, rows) {
  return definitions.filter((d) => (!d.isOptional || isRun(rows, d.optionalColumn ?? d.bottom ?? d.key))
    && !(d.unlessShown && isRun(rows, d.unlessShown)));
}

function formatMs(ms) {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

function cellText(row, key) {
  if (typeof row[key] === 'number') return formatMs(row[key]);
  return row.notes?.[key] || 'n/a';
}

// names: what the numpy columns ran, for their titles and ratios' (e.g. { 'numpy lib': 'numpy OpenBLAS Zen',
// 'numpy fast': 'numpy OpenBLAS Haswell' }).
export function formatTable(rows, headerLines, { names = {} } = {}) {
  const rename = (title) => Object.entries(names).reduce((text, [from, to]) => text.replace(from, to), title);
  const columns = shown(allColumns, rows).map((c) => ({ ...c, title: rename(c.title) }));
  const ratioDefinitions = shown(allRatios, rows).map((r) => ({ ...r, title: rename(r.title) }));
  const titles = ['n', 'pattern', ...columns.map((c) => `${c.title} ms`), ...ratioDefinitions.map((r) => r.title)];
  const body = rows.map((row) => [
    String(row.n), row.pattern,
    ...columns.map((c) => cellText(row, c.key)),
    ...ratioDefinitions.map((r) => (row.ratios[r.key] === null ? '-' : row.ratios[r.key].toFixed(2))),
  ]);
  const widths = titles.map((title, index) => Math.max(title.length, ...body.map((cells) => cells[index].length)));
  // Text columns (n's neighbour 'pattern') left-aligned, numbers right-aligned.
  const line = (cells) => cells.map((cell, index) => (index === 1 ? cell.padEnd(widths[index]) : cell.padStart(widths[index])))
    .join('  ').trimEnd();
  return [...headerLines, '', line(titles), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function formatCsv(rows) {
  const columns = shown(allColumns, rows);
  const ratioDefinitions = shown(allRatios, rows);
  const quote = (text) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const header = ['n', 'pattern', ...columns.map((c) => `${c.key}_ms`), ...ratioDefinitions.map((r) => r.key),
    'numpy_note', ...(columns.some((c) => c.key === 'numpyLib') ? ['numpy_lib_note'] : []),
    ...(columns.some((c) => c.key === 'numpyFast') ? ['numpy_fast_note'] : []), 'js_note',
    ...(columns.some((c) => c.key === 'jsChromium') ? ['js_chromium_note'] : [])];
  const lines = rows.map((row) => [
    row.n, row.pattern,
    ...columns.map((c) => (typeof row[c.key] === 'number' ? row[c.key].toFixed(3) : '')),
    ...ratioDefinitions.map((r) => (row.ratios[r.key] === null ? '' : row.ratios[r.key].toFixed(4))),
    quote(row.notes?.numpy ?? ''), ...(columns.some((c) => c.key === 'numpyLib') ? [quote(row.notes?.numpyLib ?? '')] : []),
    ...(columns.some((c) => c.key === 'numpyFast') ? [quote(row.notes?.numpyFast ?? '')] : []),
    quote(row.notes?.js ?? ''), ...(columns.some((c) => c.key === 'jsChromium') ? [quote(row.notes?.jsChromium ?? '')] : []),
  ].join(','));
  return [header.join(','), ...lines].join('\n') + '\n';
}

// Issue 20's targets, per n, over the four patterns: the range of wasm in Chromium against numpy's fair
// baseline (numpyFast when run, else numpy) and of ml-matrix against the wasm: under node and, when run, in the
// same Chromium (the pair that shares the browser; see js-svd-bench.mjs). Lines of text; sizes with no measured
// pair are left out.
export function formatTargets(rows, { names = {}, sizes = [256, 512, 1024] } = {}) {
  const fair = isRun(rows, 'numpyFast') ? 'numpyFast' : 'numpy';
  const fairName = fair === 'numpyFast' ? names['numpy fast'] ?? 'numpy fast' : 'numpy';
  const range = (values) => (values.length === 0 ? null
    : `${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)}x`);
  const lines = [];
  for (const n of sizes) {
    const atN = rows.filter((row) => row.n === n);
    const overNumpy = range(atN.filter((r) => r.wasmChromium > 0 && r[fair] > 0).map((r) => r.wasmChromium / r[fair]));
    const jsOver = range(atN.filter((r) => r.wasmChromium > 0 && r.js > 0).map((r) => r.js / r.wasmChromium));
    const jsChromiumOver = range(atN.filter((r) => r.wasmChromium > 0 && r.jsChromium > 0)
      .map((r) => r.jsChromium / r.wasmChromium));
    if (!overNumpy && !jsOver && !jsChromiumOver) continue;
    lines.push(`n = ${n}: wasm Chromium / ${fairName} ${overNumpy ?? 'n/a'} (target at most 1.5x); ` +
      `ml-matrix / wasm Chromium ${jsOver ?? 'n/a'} with ml-matrix under node` +
      `${isRun(rows, 'jsChromium') ? `, ${jsChromiumOver ?? 'n/a'} with ml-matrix in the same Chromium` : ''} (target at least 10x)`);
  }
  return lines;
}
