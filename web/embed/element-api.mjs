// <attn-figure>'s API beside its attributes (issue 19 item 2), said once: the JS property of every attribute
// (generated from the core's parameter registry and the element's own attributes, attribute-state.mjs), the
// events and their error codes, what `result` holds per kind, the shadow parts and the slot. The element
// (attn-figure.mjs) defines its properties, fires its events and builds its parts from these tables; the
// package's custom-elements.json and attnrank.d.ts (scripts/custom-elements.mjs) and docs/embedding.md's
// element API section (scripts/embed-reference.mjs) are written from them, and tests check the element against
// them in Chromium (tests/e2e/embed-element.test.mjs). The public CSS custom properties are figure-style.mjs's
// (the stylesheet they theme). Pure module: no DOM.
import { attributeOfParam, figureKinds, ownAttributes, trainAttributeOf, trainOwnAttributes } from './attribute-state.mjs';
import { parameterInfo, trainOptionKeys, urlParameters } from '../state/parameter-registry.mjs';
import { numberOf } from '../state/url-state.mjs';
import { linearCases } from '../views/linear-view.mjs';

// 'colour-range' -> 'colourRange'.
export const propertyOf = (attribute) => attribute.replace(/-([a-z0-9])/g, (_, letter) => letter.toUpperCase());

// A registry list's items: a list of values of the parameters its `_over` sibling chooses (sweep_values: scale,
// n, d) reads as numbers when all of those are numbers; any other as text.
function listItems(entry) {
  const over = parameterInfo(entry.name.replace(/_values$/, '_over'));
  const isNumeric = over?.type === 'choice' && over.choices.every((name) => ['integer', 'number'].includes(parameterInfo(name)?.type));
  return isNumeric ? 'number' : 'string';
}

// A registry parameter's property type.
function registryType(entry) {
  if (entry.type === 'choice') return { type: 'choice', choices: entry.choices };
  if (entry.type === 'list') return { type: 'list', items: listItems(entry) };
  if (['integer', 'number', 'boolean'].includes(entry.type)) return { type: entry.type };
  throw new TypeError(`element-api.mjs: the attribute of ${entry.name} has the type ${entry.type}, which no property reads`);
}

// Every attribute's property, in the reference's order: the page's state (the registry's attributes), the
// element's own, a train figure's own and its train options (n, heads and layers are the state's already).
// { attribute, property, type: choice | integer | number | boolean | list, choices (a fixed choice's), items
//   (a list's: string | integer | number), presence (a boolean attribute: true when present), isNative (HTMLElement
//   already reflects it: lang) }.
export const elementProperties = (() => {
  const rows = [];
  const add = (attribute, spec) => {
    if (rows.some((row) => row.attribute === attribute)) return;
    rows.push(Object.freeze({ attribute, property: propertyOf(attribute), type: spec.type, choices: spec.choices ?? null,
      items: spec.items ?? null, presence: spec.presence ?? false, isNative: attribute === 'lang' }));
  };
  for (const entry of urlParameters) add(entry.attribute, registryType(entry));
  for (const [name, spec] of Object.entries(ownAttributes)) add(name, spec);
  for (const [name, spec] of Object.entries(trainOwnAttributes)) add(name, spec);
  for (const key of trainOptionKeys) add(trainAttributeOf(key), registryType(parameterInfo(key)));
  return Object.freeze(rows);
})();

const readNumber = (text) => {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  return numberOf(trimmed) ?? Number.NaN;
};

// The property's value for the attribute's text (null: absent). Absent reads null (the figure takes its default),
// except a boolean attribute (false); an empty number reads null (prefix="": n / 2). Text that is not of the type
// reads NaN (a number, a list's number) or null (a boolean): the figure shows that attribute's error.
export function propertyValue(spec, text) {
  if (spec.presence) return text !== null && !['false', '0'].includes(text.trim().toLowerCase());
  if (text === null) return null;
  if (spec.type === 'integer' || spec.type === 'number') return readNumber(text);
  if (spec.type === 'boolean') {
    const value = text.trim().toLowerCase();
    return value === '1' || value === 'true' ? true : value === '0' || value === 'false' ? false : null;
  }
  if (spec.type === 'list') {
    const items = text.split(',').map((item) => item.trim()).filter((item) => item !== '');
    return spec.items === 'string' ? items : items.map(readNumber);
  }
  return text;
}

// The attribute's text for a property's value (null: remove the attribute). null and undefined remove it; a
// boolean writes 1 or 0 (a boolean attribute: present or absent); a list's array is written comma-separated;
// anything else as its text (the figure checks it, as it checks an attribute).
export function attributeText(spec, value) {
  if (value === null || value === undefined) return null;
  if (spec.presence && typeof value === 'boolean') return value ? '' : null;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

// The events, with their detail's fields (TypeScript text, for attnrank.d.ts and custom-elements.json).
export const figureEvents = Object.freeze([
  Object.freeze({ name: 'attn-figure-done', detailType: 'AttnFigureDoneDetail',
    detail: Object.freeze([['kind', 'FigureKind', 'the figure\'s kind'],
      ['ms', 'number', 'milliseconds from the start of its computation (a train figure\'s run: from Run to its last record)'],
      ['source?', '\'gallery\' | \'run\'', 'a train figure only: its gallery drawn, or a training in the browser finished']]),
    description: 'the figure has drawn (its `result` is what it drew)' }),
  Object.freeze({ name: 'attn-figure-error', detailType: 'AttnFigureErrorDetail',
    detail: Object.freeze([['code', 'FigureErrorCode', 'what failed (the table below)'],
      ['message', 'string', 'the message the figure shows (the core\'s words, naming the attribute as written)'],
      ['param', 'string', 'the attribute the error is about, as written (`n`, `sweep-values`), or \'\' when none']]),
    description: 'the figure shows an error (it keeps its last drawing, or shows its slot\'s content when it has none)' }),
]);

// The codes of attn-figure-error: the element's own, the engine's and the core's (src/core/base/errors.cpp
// error_code_name and the binding's 'internal'; tests/node/element-api.test.mjs checks the core's are all here).
export const figureErrorCodes = Object.freeze({
  invalid_attribute: 'an attribute\'s value is refused, by the element\'s check or by the core (`param` names the attribute)',
  invalid_argument: 'the core refused the request for a reason no single attribute gives',
  invalid_file: 'a file the figure reads is malformed',
  too_large: 'the computation needs more memory than the figure may use (the core\'s estimate, or out of memory)',
  numerical_failure: 'a computation the core cannot carry out with these values',
  worker_crashed: 'the engine\'s worker crashed or could not start (the next change of an attribute starts a new one)',
  timeout: 'the computation took longer than the engine allows',
  internal: 'an error inside the core that it did not name',
  figure_failure: 'anything else: a file the figure needs did not load, or its drawing failed',
});

// The detail of attn-figure-error for an error the figure shows: { code, message (as shown), param (its attribute
// as written, '' when none) }. error.attribute: the attribute the element's check or a train figure names.
export function errorDetail(error, message) {
  const param = error?.attribute ?? attributeOfParam(error?.param) ?? '';
  let code = Object.hasOwn(figureErrorCodes, error?.code ?? '') ? error.code : 'figure_failure';
  if (error?.attribute || (param && code === 'invalid_argument')) code = 'invalid_attribute';
  return { code, message, param: param || '' };
}

// What `result` holds after each kind has drawn: the core's results as they came (analyze(), collapse(), ...:
// docs/api.md), keyed as the figure shows them. (English: the reference is docs/embedding.md's.)
export const figureResults = Object.freeze({
  patterns: 'an object: pattern name -> its `analyze()` result, with the matrix and mask',
  spectra: 'an object: pattern name -> its `analyze()` result',
  linear: `an object: case (${linearCases.map(([id]) => `\`${id}\``).join(', ')}) -> its \`analyze()\` result`,
  'raises-rank': 'an array of `analyze()` results, logit scale ascending',
  sweep: 'an object: `over`, `values` (the swept values) and `results` (pattern name -> an array of `analyze()` results, one per value)',
  stats: 'an object: pattern name -> its `analyze()` result',
  collapse: 'an object: pattern name -> its `collapse()` result',
  heads: 'the `mixture()` result (null when the state has no head mixture)',
  architectures: 'the `architectures()` result',
  claims: 'the `claims()` result (every claim, with its verdict)',
  train: 'an object: `experiment` (its id), `source` (`gallery` or `run`), `runs` (per configuration and seed: ' +
    '`configuration`, `seed`, `state`, `records`, the core\'s records, and `attention`) and `verdicts` (the core\'s, or null)',
});
if (Object.keys(figureResults).join() !== figureKinds.join()) throw new TypeError('element-api.mjs: figureResults must name every kind, in order');

// The shadow parts every kind may expose (part="..."), for ::part(). tests/e2e/embed-element.test.mjs checks the
// element shows exactly these, over every kind.
export const figureParts = Object.freeze({
  figure: 'the figure\'s box (every kind)',
  controls: 'the inputs of `controls="compact"` or `"full"`',
  error: 'the error line (a `linear` figure has a second one, for a case the core refused)',
  fallback: 'the box of the slot: the author\'s content, before the first drawing and on a failure with none',
  'figure-grid': 'the grid of panels of `patterns` and `heads`',
  heatmap: 'each heatmap canvas (`patterns`, `heads`, `collapse`)',
  readout: 'the value under the pointer, below a heatmap',
  chart: 'each line chart canvas (`spectra`, `linear`, `raises-rank`, `sweep`, `collapse`)',
  legend: 'a chart\'s legend',
  stats: 'the statistics grid of `stats`, and the tables of `linear`, `heads` and `architectures`',
  claims: 'the list of claims of `claims`',
  run: 'a `sweep` figure\'s Run button',
  cancel: 'a `sweep` figure\'s Cancel button',
  exports: 'the Image + link bar under a `controls="full"` figure with a picture (docs/embedding.md section 13)',
});

// The slots: the default one only.
export const figureSlots = Object.freeze({
  '': 'content shown until the figure first draws, and when it fails with no drawing to keep (an image and a caption ' +
    'for feeds, printouts and readers without scripts); hidden once the figure has drawn',
});

// The properties whose name the DOM's Element already has with another meaning, which the element's accessor
// hides: prefix (the namespace prefix, read-only, always null for HTML elements). A property set on the element
// before it is defined goes to the DOM's own accessor there (an error in strict code: read-only), so such a one is
// set as its attribute then. TypeScript's Element declares it `string | null`, which attnrank.d.ts may not narrow
// to another type: it is typed `any` there. tests/e2e/embed-element.test.mjs checks this list against Chromium's.
export const domPropertyNames = Object.freeze(['prefix']);

// A property's type as TypeScript text (attnrank.d.ts, custom-elements.json): what it reads as.
export function propertyTypeText(spec) {
  if (spec.presence) return 'boolean';
  const base = spec.type === 'integer' || spec.type === 'number' ? 'number'
    : spec.type === 'boolean' ? 'boolean'
      : spec.type === 'list' ? (spec.items === 'string' ? 'string[]' : 'number[]')
        : spec.choices ? spec.choices.map((choice) => `'${choice}'`).join(' | ') : 'string';
  return `${base} | null`;
}
