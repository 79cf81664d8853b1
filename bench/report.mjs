// The comparison's outputs from one set of measured rows: an aligned plain-text table (with the header
// that says when, where and with what), CSV (one row per n and pattern) and JSON (header + rows).
// Formatting only: nothing is measured or computed here except the three ratios.
// A row: { n, pattern, native, wasmNode, wasmChromium, numpy, numpyLib, js, notes: { ... } } with times in
// ms or null (not measured; then notes says why). numpyLib (numpy on the BLAS/LAPACK of --numpy-lib-dir)
// and its ratio are shown only when that column was run.

const allColumns = [
  { key: 'native', title: 'native' },
  { key: 'wasmNode', title: 'wasm node' },
  { key: 'wasmChromium', title: 'wasm Chromium' },
  { key: 'numpy', title: 'numpy' },
  { key: 'numpyLib', title: 'numpy lib', isOptional: true },
  { key: 'js', title: 'JS ml-matrix' },
];

const allRatios = [
  { key: 'chromiumOverNative', title: 'Chromium/native', top: 'wasmChromium', bottom: 'native' },
  { key: 'chromiumOverNumpy', title: 'Chromium/numpy', top: 'wasmChromium', bottom: 'numpy' },
  { key: 'chromiumOverNumpyLib', title: 'Chromium/numpy lib', top: 'wasmChromium', bottom: 'numpyLib', isOptional: true },
  { key: 'jsOverChromium', title: 'JS/Chromium', top: 'js', bottom: 'wasmChromium' },
];

export function withRatios(row) {
  const ratios = {};
  for (const { key, top, bottom } of allRatios) {
    ratios[key] = row[top] > 0 && row[bottom] > 0 ? row[top] / row[bottom] : null;
  }
  return { ...row, ratios };
}

// The columns and ratios to print: an optional one only when some row has a value or a note for it.
function shown(definitions, rows) {
  return definitions.filter((d) => !d.isOptional
    || rows.some((row) => typeof row[d.bottom ?? d.key] === 'number' || row.notes?.[d.bottom ?? d.key]));
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

// numpyLibName: what --numpy-lib-dir holds (e.g. 'OpenBLAS'), for the titles of its column and ratio.
export function formatTable(rows, headerLines, { numpyLibName = 'lib' } = {}) {
  const rename = (title) => title.replace('numpy lib', `numpy ${numpyLibName}`);
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
    'numpy_note', ...(columns.some((c) => c.key === 'numpyLib') ? ['numpy_lib_note'] : []), 'js_note'];
  const lines = rows.map((row) => [
    row.n, row.pattern,
    ...columns.map((c) => (typeof row[c.key] === 'number' ? row[c.key].toFixed(3) : '')),
    ...ratioDefinitions.map((r) => (row.ratios[r.key] === null ? '' : row.ratios[r.key].toFixed(4))),
    quote(row.notes?.numpy ?? ''), ...(columns.some((c) => c.key === 'numpyLib') ? [quote(row.notes?.numpyLib ?? '')] : []),
    quote(row.notes?.js ?? ''),
  ].join(','));
  return [header.join(','), ...lines].join('\n') + '\n';
}
