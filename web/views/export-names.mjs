// The accessible names of export buttons (issue 17 item 10): the visible text first (WCAG 2.5.3, so a
// speech user can say what they see), then what the button exports and from which figure. Used by the
// explorer's export bars and the patterns view's .npy buttons (which the embeds load too). No DOM.

// What an export button gives (the string key under export.what.): by its file, else by its kind.
const kWhatOfFile = { 'heatmaps.png': 'heatmaps_png', 'heads.png': 'heatmaps_png', 'statistics.csv': 'statistics_csv',
  'spectra.csv': 'spectra_csv', 'statistics.json': 'statistics_json', 'spectra.json': 'statistics_json', 'depth.json': 'depth_json',
  'heads.json': 'heads_json', 'claims.json': 'claims_json' };
const kWhatOfKind = { png: 'chart_png', svg: 'chart_svg', embed: 'embed', npy: 'npy', 'image-link': 'image_link' };
export function exportWhat(kind, suffix) {
  return `export.what.${kWhatOfFile[suffix] ?? kWhatOfKind[kind]}`;
}

// An export button's accessible name: its visible text first (WCAG 2.5.3), what it exports, the figure.
export function exportName(text, visible, whatKey, figure) {
  return figure ? text('export.button_name', { button: visible, what: text(whatKey), figure }) : text('export.button_name_plain', { button: visible, what: text(whatKey) });
}

// A downloaded file's name: the figure's base name (which ends with its section, e.g. "...-spectra") and
// the button's suffix ("spectra.svg", "statistics.csv"). A suffix that starts with the section's own
// name replaces it rather than repeating it: "...-spectra.svg", not "...-spectra-spectra.svg" (the same
// name the "Image + link" panel gives the figure).
export function exportFileName(base, suffix) {
  const section = base.slice(base.lastIndexOf('-') + 1);
  const stem = suffix.slice(0, suffix.indexOf('.') < 0 ? suffix.length : suffix.indexOf('.'));
  const repeats = section !== '' && (stem === section || stem.startsWith(`${section}-`));
  return repeats ? `${base.slice(0, base.length - section.length)}${suffix}` : `${base}-${suffix}`;
}
