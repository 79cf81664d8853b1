// "Image + link" (issue 19 item 3), the pure half: for hosts that strip scripts (Substack, Medium, feeds,
// e-mail) a figure travels as a picture that links to the live figure. Here: the link (the explorer's own URL
// state for the keys that apply to the figure, absolute, on a base the author sets; or, from an embedded
// figure, the embeddable folder's embed.html with the figure's attributes), the figure's parameters in words
// (from the core's parameter registry's labels), the alt text (the figure's accessible names and
// descriptions, joined: never a second description) and the HTML and Markdown to paste; also the names of
// exported files and their download, which the explorer's other exports share. No DOM but downloadBlob's when
// it is called: tested in node (tests/node/image-link.test.mjs). The drawing is image-link-scene.mjs, the panel
// image-link-panel.mjs (both loaded when a panel first opens).
import { keyApplies } from '../embed/figure-parameters.mjs';
import { urlParameters } from '../state/parameter-registry.mjs';
import { defaultState, serializeState } from '../state/url-state.mjs';

// The explorer's section (index.html's id) that shows each kind of figure: the link's fragment.
export const explorerSection = Object.freeze({ patterns: 'patterns', spectra: 'spectra', linear: 'linear',
  'raises-rank': 'raises', sweep: 'sweep', stats: 'patterns', collapse: 'depth', heads: 'heads', architectures: 'heads',
  claims: 'claims' });

// The kinds drawn on a canvas, which the export can draw as an image (stats, architectures and claims are
// text and tables; train figures export from the training lab).
export const imageKinds = Object.freeze(['patterns', 'spectra', 'linear', 'raises-rank', 'sweep', 'collapse', 'heads']);

// The keys shown for every figure they change, at their default too (a reader of the image needs them to
// know what it shows); every other key is shown when it applies to the figure (figure-parameters.mjs
// keyApplies, as for the Embed snippet) and differs from its default (a default colour scale is named on the
// colour bars, a default sweep on the chart's axes).
const kAlwaysShown = Object.freeze(['n', 'd', 'scale', 'seed', 'precision', 'layers', 'heads']);

// A value of the key for which the figure would differ if the key matters to it at all (an integer one
// more, a number twice, another choice).
function otherValue(entry, value) {
  if (entry.type === 'choice') return entry.choices.find((choice) => choice !== value);
  if (entry.type === 'integer') return (value ?? 1) + 1;
  if (entry.type === 'number') return value === 0 ? 1 : value * 2;
  return undefined;
}

// Whether state key `key` changes figure `kind` in `state` (its configs or its drawing): the sweep's own
// axis and the seed of a figure that draws none do not.
function matters(kind, key, state) {
  const entry = urlParameters.find((parameter) => parameter.url_key === key);
  const other = otherValue(entry, state[key]);
  if (other === undefined) return keyApplies(kind, key, state);
  return keyApplies(kind, key, { ...state, [key]: other });
}

function valueWords(entry, value) {
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

// The figure's state in words, one phrase per parameter in the registry's order, after the patterns it shows:
// ['patterns: bidirectional, prefix (mixed), ...', 'n (tokens) = 64', 'd (head dimension) = 8', ...].
// patterns: the patterns the figure shows (null for a figure without them); text: the figure's t().
export function parameterWords(kind, state, patterns, text) {
  const phrases = [];
  if (patterns?.length) {
    phrases.push(text('image_link.patterns', { list: patterns.map((pattern) => text(`pattern.${pattern}`)).join(text('image_link.list_separator')) }));
  }
  for (const entry of urlParameters) {
    const key = entry.url_key;
    if (key === 'lang' || key === 'windows') continue;  // the language is the image's; the patterns are listed
    const isShown = kAlwaysShown.includes(key) ? matters(kind, key, state)
      : keyApplies(kind, key, state) && state[key] !== defaultState[key];
    if (!isShown) continue;
    const value = state[key];
    if (value === null || value === undefined) continue;
    phrases.push(entry.type === 'boolean' ? text(entry.words_key)
      : text('image_link.parameter', { name: text(entry.words_key), value: valueWords(entry, value) }));
  }
  return phrases;
}

// The URL query of the explorer's state for this figure: the explorer's own serialisation (serializeState,
// the keys that differ from the defaults) of the keys that apply to the figure, and the figure's language.
export function explorerQuery(kind, state, lang) {
  const query = new URLSearchParams();
  for (const [key, value] of serializeState(state)) {
    if (key === 'lang' || !keyApplies(kind, key, state)) continue;
    query.set(key, value);
  }
  query.set('lang', lang);
  return query;
}

// The base an author gave (absolute http(s) URL, or relative to `relativeTo`), or null when it is not one.
export function parseBase(text, relativeTo) {
  const trimmed = String(text ?? '').trim();
  if (!trimmed) return null;
  let url;
  try {
    url = new URL(trimmed, relativeTo);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.search = '';
  url.hash = '';
  return url.href;
}

// The default base: the current page's origin and path (its query and fragment dropped).
export function pageBase(location) {
  return `${location.origin}${location.pathname}`;
}

// The absolute link to the explorer at `base` showing this figure's state, at the figure's section.
export function explorerLink(base, kind, state, lang) {
  const url = new URL(base);
  url.search = explorerQuery(kind, state, lang).toString();
  url.hash = explorerSection[kind] ?? '';
  return url.href;
}

// The absolute link to embed.html in the embeddable folder (folderUrl ends with '/') showing the figure with
// its attributes ([name, value] pairs, as the element has them) and its language.
export function embedPageLink(folderUrl, attributes, lang) {
  const url = new URL('embed.html', folderUrl);
  const query = new URLSearchParams();
  for (const [name, value] of attributes) {
    if (name !== 'lang' && name !== 'controls') query.set(name, value);
  }
  query.set('lang', lang);
  url.search = query.toString();
  return url.href;
}

// The alt text: the figure's title, then each part's accessible name and description (what the figure
// already gives screen readers: a chart's aria-label and its summary sentence, a heatmap's aria-label),
// as sentences, whitespace collapsed.
export function altText(title, parts, text) {
  const sentence = (value) => {
    const trimmed = String(value ?? '').replace(/\s+/g, ' ').trim();
    return trimmed && !/[.!?。！？]$/.test(trimmed) ? `${trimmed}${text('image_link.full_stop')}` : trimmed;
  };
  const pieces = [sentence(title)];
  for (const { name, description } of parts) {
    pieces.push(sentence(name));
    if (description) pieces.push(sentence(description));
  }
  return pieces.filter(Boolean).reduce((first, next) => text('image_link.sentences', { first, next }));
}

// The base of every exported file's name, from the configuration the data were computed with (the core's
// echo of it in a result, or the page state): attnrank-n64-d8-s1-seed7; a part the data do not have (no
// seed beside loaded Q, K) is left out. The one place that names exports (export.mjs re-exports it).
export function exportBaseName({ n, d, scale, seed }) {
  const parts = [['n', n], ['d', d], ['s', scale], ['seed', seed]].filter(([, value]) => value !== undefined && value !== null);
  return ['attnrank', ...parts.map(([key, value]) => `${key}${value}`)].join('-');
}

// The file the author uploads: the export's base name (exportBaseName) and the figure's kind.
export function imageFileName(baseName, kind, extension = 'png') {
  return `${baseName}-${kind}.${extension}`;
}

// Where the snippet finds the image: the file name alone (the author uploads it beside the post), or its
// absolute address in the folder the author uploads to (folder: an http(s) address; feeds and e-mail need
// absolute ones). A folder without a final '/' is still a folder.
export function imageAddress(folder, file) {
  const base = parseBase(folder, undefined);
  if (!base) return file;
  return new URL(encodeURIComponent(file), base.endsWith('/') ? base : `${base}/`).href;
}

function escapeAttribute(value) {
  return String(value).replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

// Markdown: an image's alt text with its brackets and backslashes escaped, on one line; a destination with its
// parentheses, spaces and angle brackets percent-encoded (the same URL to a browser).
function markdownText(value) {
  return String(value).replace(/\s+/g, ' ').replace(/[\\[\]]/g, (character) => `\\${character}`);
}
function markdownUrl(value) {
  return String(value).replace(/[()<> ]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

// What the author pastes: { html, markdown }. link: the live figure; file: the image's file name (or URL, once
// uploaded); width, height: the image's CSS pixels (the PNG is drawn at twice that).
export function imageLinkSnippets({ link, file, alt, width, height }) {
  const html = `<a href="${escapeAttribute(link)}"><img src="${escapeAttribute(file)}" alt="${escapeAttribute(alt)}" width="${width}" height="${height}"></a>`;
  const markdown = `[![${markdownText(alt)}](${markdownUrl(file)})](${markdownUrl(link)})`;
  return { html, markdown };
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
