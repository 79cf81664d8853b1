// The <attn-figure> element that shows one of the explorer's figures for the page's current state: the
// "Embed" button under each figure copies it. Only values that differ from the defaults are written (as
// in the URL); the attention kind is the attribute `attention` (`kind` names the figure), and the sweep
// keys are written with hyphens. Pure module: no DOM, tested in node against attribute-state.mjs.
import { serializeState } from '../state/url-state.mjs';

function escapeAttribute(value) {
  return String(value).replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

// figureKind: patterns | spectra | linear | raises-rank | sweep | stats; state: the page's state.
// Drawing-only page keys that a figure does not use (lang: the host page decides) are left out.
export function embedSnippet(figureKind, state) {
  const attributes = [['kind', figureKind]];
  for (const [key, value] of serializeState(state)) {
    if (key === 'lang' || key === 'windows') continue;
    attributes.push([key === 'kind' ? 'attention' : key.replaceAll('_', '-'), value]);
  }
  const text = attributes.map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`).join('');
  return `<attn-figure${text}></attn-figure>`;
}
