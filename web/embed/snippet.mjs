// The <attn-figure> element that shows one of the explorer's figures for the page's current state: the
// "Embed" button under each figure copies it. It is "this figure" (issue 19 item 6): it carries the values
// that differ from the defaults (as the URL does) of the keys that apply to the figure's kind
// (figure-parameters.mjs: a patterns figure drops the sweep, depth and heads keys, and keeps windows="1",
// so the embed shows the explorer's six panels), each under its attribute in the core's parameter registry
// (the attention kind is `attention`, since `kind` names the figure; the sweep keys with hyphens). lang is
// left out: the host page decides. Pure module: no DOM, tested in node against attribute-state.mjs.
import { urlParameters } from '../state/parameter-registry.mjs';
import { serializeState } from '../state/url-state.mjs';
import { keyApplies } from './figure-parameters.mjs';

const attributeOf = new Map(urlParameters.map((entry) => [entry.url_key, entry.attribute]));

function escapeAttribute(value) {
  return String(value).replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

// figureKind: a kind of figure-parameters.mjs (patterns, spectra, linear, raises-rank, sweep, ...); state: the
// page's state.
export function embedSnippet(figureKind, state) {
  const attributes = [['kind', figureKind]];
  for (const [key, value] of serializeState(state)) {
    if (key === 'lang' || !keyApplies(figureKind, key, state)) continue;
    attributes.push([attributeOf.get(key), value]);
  }
  const text = attributes.map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`).join('');
  return `<attn-figure${text}></attn-figure>`;
}
