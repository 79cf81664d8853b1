// The <attn-figure> element that shows one of the explorer's figures for the page's current state: the
// "Embed" button under each figure copies it. Only values that differ from the defaults are written (as
// in the URL), each under its attribute in the core's parameter registry (the attention kind is
// `attention`, since `kind` names the figure; the sweep keys with hyphens). Pure module: no DOM, tested in
// node against attribute-state.mjs.
import { urlParameters } from '../state/parameter-registry.mjs';
import { serializeState } from '../state/url-state.mjs';

const attributeOf = new Map(urlParameters.map((entry) => [entry.url_key, entry.attribute]));

function escapeAttribute(value) {
  return String(value).replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

// figureKind: patterns | spectra | linear | raises-rank | sweep | stats; state: the page's state.
// Drawing-only page keys that a figure does not use (lang: the host page decides) are left out.
export function embedSnippet(figureKind, state) {
  const attributes = [['kind', figureKind]];
  for (const [key, value] of serializeState(state)) {
    if (key === 'lang' || key === 'windows') continue;
    attributes.push([attributeOf.get(key), value]);
  }
  const text = attributes.map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`).join('');
  return `<attn-figure${text}></attn-figure>`;
}
