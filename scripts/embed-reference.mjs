// Writes the attribute reference of docs/embedding.md (issue 19 item 4) between its two marker comments:
// every kind of <attn-figure> with the attributes that apply to it, and every attribute with its type,
// values, default and meaning. From the core's parameter registry (web/state/parameters.mjs, which
// tests/node/parameter-registry.test.mjs checks against the wasm module), the figure kinds
// (web/embed/figure-parameters.mjs: which parameters apply to which kind), the URL state's rules
// (web/state/url-state.mjs) and the page's English words (web/i18n). tests/node/embed-reference.test.mjs
// fails while the committed text differs, and checks the ranges against the URL state's validation. Also the
// tables of the element's API (section 14: properties, events, error codes, result, custom properties, parts,
// slot) between their own markers, from web/embed/element-api.mjs and figure-style.mjs.
//   node scripts/embed-reference.mjs           rewrite docs/embedding.md (needs web/wasm/: bash build-wasm.sh)
//   node scripts/embed-reference.mjs --check   exit 1 when docs/embedding.md differs
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { figureKinds, trainAttributeOf } from '../web/embed/attribute-state.mjs';
import { domPropertyNames, elementProperties, figureErrorCodes, figureEvents, figureParts, figureResults, figureSlots,
  propertyTypeText } from '../web/embed/element-api.mjs';
import { customProperties } from '../web/embed/figure-style.mjs';
import { elementAttributes, figureParameters, kindStateKeys } from '../web/embed/figure-parameters.mjs';
import { enStrings } from '../web/i18n/strings.mjs';
import { labStringsEn as labEnStrings } from '../web/i18n/lab-strings-en.mjs';
import { kMaxSeeds, trainRange } from '../web/lab/lab-state.mjs';
import { pageDefault, parameterInfo, urlParameters } from '../web/state/parameter-registry.mjs';
import { installPatterns } from '../web/state/pattern-registry.mjs';
import { kMaxSweepValues, sweepDefaults } from '../web/state/url-state.mjs';

export const kBegin = '<!-- attribute reference: written by scripts/embed-reference.mjs from the core\'s parameter registry and ' +
  'web/embed/figure-parameters.mjs; do not edit between this line and the end marker, run the script -->';
export const kEnd = '<!-- end of the attribute reference -->';
export const kElementBegin = '<!-- element API: written by scripts/embed-reference.mjs from web/embed/element-api.mjs and ' +
  'figure-style.mjs; do not edit between this line and the end marker, run the script -->';
export const kElementEnd = '<!-- end of the element API -->';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const docPath = path.join(root, 'docs', 'embedding.md');
const code = (text) => `\`${text}\``;
const entryOfKey = new Map(urlParameters.map((entry) => [entry.url_key, entry]));

// The ranges the URL state checks beyond the registry's min and max (url-state.mjs validateField; the test
// checks each against it): the patterns' own parameters are bounded by n.
const kBoundedByN = { prefix: '0 to n; empty: n / 2', window: '1 to n' };

function valuesOf(entry) {
  const key = entry.url_key;
  if (Object.hasOwn(kBoundedByN, key)) return kBoundedByN[key];
  if (entry.type === 'choice') return entry.choices.map(code).join(', ');
  if (entry.type === 'boolean') return `${code('1')} or ${code('0')} (${code('true')}, ${code('false')})`;
  if (entry.type === 'integer') return `${entry.min} to ${entry.max}`;
  if (entry.type === 'number') return 'a finite number';
  if (key === 'sweep_values') {
    return `comma-separated, at most ${kMaxSweepValues}: numbers for ${code('scale')}, integers in the range of ${code('n')} or ${code('d')}`;
  }
  throw new TypeError(`embed-reference.mjs: no values for ${key} (type ${entry.type})`);
}

function defaultOf(entry) {
  const key = entry.url_key;
  if (key === 'sweep_values') return Object.entries(sweepDefaults).map(([over, values]) => `${over}: ${code(values)}`).join('; ');
  if (key === 'lang') return 'the host page\'s language (the nearest `lang`), else the browser\'s';
  const value = pageDefault(entry);
  if (value === null) return entry.note.replace(/ \(train: [^)]*\)$/, '').replaceAll('/', ' / ');
  if (typeof value === 'boolean') return code(value ? '1' : '0');
  return code(String(value));
}

function meaningOf(entry) {
  const label = enStrings[entry.words_key];
  if (!label) throw new TypeError(`embed-reference.mjs: ${entry.url_key} has no English label (${entry.words_key})`);
  const hint = enStrings[`hint.${entry.url_key}`];
  return hint ? `${label} — ${hint}` : label;
}

// A train option's row (kind="train": seeds and the registry's train parameters the lab offers; default: the
// experiment's, from lab_experiments()).
function optionRow(name) {
  const words = (key) => {
    const text = labEnStrings[key];
    if (!text) throw new TypeError(`embed-reference.mjs: no English words ${key} for the train option ${name}`);
    return text;
  };
  if (name === 'seeds') {
    // The registry's train seed range ends at 2^53, which the page's integer check (a safe integer) refuses:
    // the page's range ends one below.
    const { min, max } = trainRange('seed');
    const highest = Math.min(max, Number.MAX_SAFE_INTEGER);
    return [code('seeds'), 'list', `comma-separated, at most ${kMaxSeeds}, each ${min} to ${highest}, none twice`, 'the experiment\'s',
      words('lab.seeds')];
  }
  const entry = parameterInfo(name);
  const { min, max } = trainRange(name);
  const values = entry.type === 'integer' ? `${min} to ${max}`
    : entry.type === 'number' ? 'a finite number (the core checks its range when training starts)' : entry.type;
  return [code(trainAttributeOf(name)), entry.type, values, 'the experiment\'s', words(`lab.option.${name}`)];
}

const row = (cells) => `| ${cells.map((cell) => String(cell).replaceAll('|', '\\|')).join(' | ')} |`;

// The reference as data (Markdown cells), for the doc below and the package's custom-elements.json
// (scripts/custom-elements.mjs): kinds, [{ kind, shows, attributes: [name] }]; attributes, [{ name, type, values,
// default, meaning }] (every attribute of every kind); options, { kind: [the same, for the kind's own options] }.
// The pattern registry must be installed (installPatterns).
export function attributeReference() {
  const kinds = figureKinds.map((kind) => {
    const entry = figureParameters[kind];
    if (!entry) throw new TypeError(`embed-reference.mjs: the kind ${kind} has no entry in web/embed/figure-parameters.mjs`);
    const attributes = [...kindStateKeys(kind).map((key) => entryOfKey.get(key).attribute),
      ...(entry.usesPatterns ? ['pattern'] : []), ...entry.own,
      ...(entry.options ?? []).map((name) => (name === 'seeds' ? name : trainAttributeOf(name)))];
    return { kind, shows: enStrings[entry.title] ?? entry.title, attributes };
  });
  const own = (name) => {
    const attribute = elementAttributes[name];
    return { name, type: attribute.type, values: attribute.values(), default: attribute.default, meaning: attribute.meaning };
  };
  const attributes = [...['kind', 'controls', 'theme'].map(own),
    ...urlParameters.map((entry) => ({ name: entry.attribute, type: entry.type, values: valuesOf(entry), default: defaultOf(entry),
      meaning: meaningOf(entry) })),
    ...Object.keys(elementAttributes).filter((name) => !['kind', 'controls', 'theme'].includes(name)).map(own)];
  const options = {};
  for (const kind of figureKinds.filter((name) => figureParameters[name].options)) {
    options[kind] = figureParameters[kind].options.map((name) => {
      const [attribute, type, values, fallback, meaning] = optionRow(name);
      return { name: attribute.slice(1, -1), type, values, default: fallback, meaning };
    });
  }
  return { kinds, attributes, options };
}

// The reference's Markdown (without the markers). The pattern registry must be installed (installPatterns).
export function referenceMarkdown() {
  const { kinds, attributes, options } = attributeReference();
  const lines = [];
  const everyKind = ['kind', 'controls', 'theme', 'lang'];
  lines.push(`Every kind takes ${everyKind.map(code).join(', ')}; the table says which other attributes apply to each ` +
    '(an attribute that does not apply is accepted and ignored; the explorer\'s Embed button writes only those that ' +
    'apply and differ from the defaults). A `sweep` sets the parameter it sweeps over itself (with `sweep-over="n"`, ' +
    '`n` does not apply).', '');
  lines.push(row(['kind', 'shows', 'attributes']), row(['---', '---', '---']));
  for (const { kind, shows, attributes: names } of kinds) {
    lines.push(row([code(kind), shows, names.length ? names.map(code).join(', ') : 'none']));
  }
  const attributeRow = (entry) => row([code(entry.name), entry.type, entry.values, entry.default, entry.meaning]);
  lines.push('', row(['attribute', 'type', 'values', 'default', 'meaning']), row(['---', '---', '---', '---', '---']));
  lines.push(...attributes.map(attributeRow));
  for (const [kind, rows] of Object.entries(options)) {
    lines.push('', `The options of a ${code(kind)} figure (the training lab's, \`web/lab/lab-state.mjs\`; the core checks them ` +
      'all before anything trains):', '', row(['attribute', 'type', 'values', 'default', 'meaning']),
    row(['---', '---', '---', '---', '---']));
    lines.push(...rows.map(attributeRow));
  }
  return `${lines.join('\n')}\n`;
}

// The element API's tables (section 14), Markdown without the markers.
export function elementApiMarkdown() {
  const lines = [];
  const table = (head, rows) => {
    lines.push(row(head), row(head.map(() => '---')), ...rows.map(row), '');
  };
  lines.push('**Properties.** Each reads its attribute as the type shown (`null`: the attribute is absent and the figure ' +
    'takes its default) and writes it (`null` removes it). `lang` is HTMLElement\'s own.', '');
  table(['property', 'attribute', 'type'], elementProperties.map((spec) => [code(spec.property), code(spec.attribute),
    spec.isNative ? 'string (HTMLElement\'s)' : `${code(propertyTypeText(spec))}${domPropertyNames.includes(spec.property) ? ' (hides the DOM\'s read-only namespace `prefix`; typed `any` in attnrank.d.ts)' : ''}`]));
  lines.push('**Events.** Both bubble and cross shadow roots.', '');
  table(['event', 'when', 'detail'], figureEvents.map((event) => [code(event.name), event.description,
    event.detail.map(([name, type, words]) => `${code(name.replace('?', ''))} (${code(type)}${name.endsWith('?') ? ', optional' : ''}): ${words}`).join('; ')]));
  lines.push('**Error codes** (`detail.code` of `attn-figure-error`):', '');
  table(['code', 'meaning'], Object.entries(figureErrorCodes).map(([name, words]) => [code(name), words]));
  lines.push('**`result`** per kind (read-only; `null` before the first drawing, and again when `kind` changes; a later failure keeps it):', '');
  table(['kind', 'result'], Object.entries(figureResults).map(([kind, words]) => [code(kind), words]));
  lines.push('**Custom properties** (set on `attn-figure` or an ancestor; a colour may be `light-dark(light, dark)`):', '');
  table(['property', 'default (light, dark)', 'used for'], customProperties.map((entry) => [code(entry.name),
    entry.light === null ? code(entry.default) : `${code(entry.light)}, ${code(entry.dark)}`, entry.meaning]));
  lines.push('**Parts** (`attn-figure::part(name)`):', '');
  table(['part', 'what'], Object.entries(figureParts).map(([name, words]) => [code(name), words]));
  lines.push('**Slots:**', '');
  table(['slot', 'what'], Object.entries(figureSlots).map(([name, words]) => [name === '' ? 'the default slot' : code(name), words]));
  return `${lines.join('\n')}`;
}

// docs/embedding.md's text with the part between markers `begin` and `end` replaced by `text`.
function between(doc, begin, end, text) {
  const at = doc.indexOf(begin);
  const to = doc.indexOf(end);
  if (at < 0 || to < at) throw new Error(`docs/embedding.md lacks the markers ${begin.slice(0, 40)}... and ${end}`);
  return `${doc.slice(0, at + begin.length)}\n${text}${doc.slice(to)}`;
}

// docs/embedding.md's text with the reference between the markers replaced by `reference`.
export function withReference(doc, reference) {
  return between(doc, kBegin, kEnd, reference);
}

// docs/embedding.md's text with the element API's tables replaced by `tables`.
export function withElementApi(doc, tables) {
  return between(doc, kElementBegin, kElementEnd, tables);
}

// Installs the pattern registry from the shipped module (web/wasm/).
export async function installFromModule(wasmDir = path.join(root, 'web', 'wasm')) {
  const { default: createAttnrank } = await import(pathToFileURL(path.join(wasmDir, 'attnrank.mjs')).href);
  const attnrank = await createAttnrank({ wasmBinary: readFileSync(path.join(wasmDir, 'attnrank.wasm')) });
  installPatterns(attnrank.patterns());
  return attnrank;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await installFromModule();
  const doc = readFileSync(docPath, 'utf8');
  const next = withElementApi(withReference(doc, referenceMarkdown()), elementApiMarkdown());
  if (process.argv.includes('--check')) {
    if (next !== doc) {
      console.error('docs/embedding.md: the attribute reference or the element API differs: run node scripts/embed-reference.mjs');
      process.exit(1);
    }
  } else if (next !== doc) {
    writeFileSync(docPath, next);
    console.log('docs/embedding.md: attribute reference and element API written');
  }
}
