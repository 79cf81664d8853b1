// Writes the npm package's custom-elements.json (the Custom Elements Manifest, schema 2.0.0: what editors and
// documentation tools read to know an element's attributes, properties, events, custom properties, parts and
// slots), from the attribute reference of docs/embedding.md (scripts/embed-reference.mjs attributeReference(): the
// core's parameter registry, the figure kinds, the URL state's rules, the English words) and the element's API
// tables (web/embed/element-api.mjs, figure-style.mjs customProperties), so the manifest, the reference and the
// element never disagree; and the generated parts of package/attnrank.d.ts (the typed properties, the error
// codes) from the same tables. tests/sites/package.test.mjs checks the manifest's attributes against the element's
// observedAttributes; tests/node/element-api.test.mjs checks the manifest and the .d.ts against the tables, and
// tests/e2e/embed-element.test.mjs the element against them.
//   node scripts/custom-elements.mjs OUT.json          (needs web/wasm/: bash build-wasm.sh)
//   node scripts/custom-elements.mjs --types [--check]  rewrite (or check) package/attnrank.d.ts's generated parts
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { attributeReference, installFromModule } from './embed-reference.mjs';
import { domPropertyNames, elementProperties, figureErrorCodes, figureEvents, figureParts, figureResults, figureSlots, propertyTypeText } from '../web/embed/element-api.mjs';
import { customProperties } from '../web/embed/figure-style.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const typesPath = path.join(root, 'package', 'attnrank.d.ts');

const plain = (markdown) => markdown.replaceAll('`', '');

// An attribute's value type as TypeScript text: a choice of listed names is their union, a number a number;
// the rest (lists, choices the core lists at run time) a string. Attributes are strings in HTML: this is what
// the text must read as.
function typeText({ type, values }) {
  if (type === 'integer' || type === 'number') return 'number';
  if (type === 'boolean') return 'boolean';
  if (type === 'choice' && /^`[^`]+`(, `[^`]+`)*$/.test(values)) return values.split(', ').map((name) => `'${name.slice(1, -1)}'`).join(' | ');
  return 'string';
}

// The typed property of every attribute (element-api.mjs; lang is HTMLElement's own), described as its attribute.
function propertyFields(manifestAttributes) {
  return elementProperties.filter((spec) => !spec.isNative).map((spec) => ({
    kind: 'field',
    name: spec.property,
    attribute: spec.attribute,
    reflects: true,
    type: { text: propertyTypeText(spec) },
    description: `The ${spec.attribute} attribute as ${readsAs(spec)}. ` +
      `${manifestAttributes.find((attribute) => attribute.name === spec.attribute)?.description ?? ''}`.trimEnd(),
  }));
}

// How a property reads its attribute, in words.
function readsAs(spec) {
  if (spec.presence) return 'a boolean (true when present; set false to remove it)';
  const absent = 'null when absent (set null to remove it)';
  if (spec.type === 'integer' || spec.type === 'number') return `a number (NaN for text that is not one), ${absent}`;
  if (spec.type === 'boolean') return `a boolean (written 1 or 0), ${absent}`;
  if (spec.type === 'list') return `an array of ${spec.items === 'string' ? 'strings' : 'numbers'} (written comma-separated), ${absent}`;
  return `its text, ${absent}`;
}

// The manifest as an object. The pattern registry must be installed (embed-reference.mjs installFromModule).
export function customElementsManifest() {
  const { kinds, attributes, options } = attributeReference();
  const kindsOf = (name) => kinds.filter((entry) => entry.attributes.includes(name)).map((entry) => entry.kind);
  const every = new Set(['kind', 'controls', 'theme', 'lang']);
  const describe = (entry, where) => `${plain(entry.meaning)}. Values: ${plain(entry.values)}. Default: ${plain(entry.default)}. ${where}`;
  const manifestAttributes = [];
  for (const entry of attributes) {
    const where = every.has(entry.name) ? 'Every kind.' : `Kinds: ${kindsOf(entry.name).join(', ') || 'none'}.`;
    manifestAttributes.push({ name: entry.name, type: { text: typeText(entry) }, description: describe(entry, where) });
  }
  for (const [kind, rows] of Object.entries(options)) {
    for (const entry of rows) {
      const known = manifestAttributes.find((attribute) => attribute.name === entry.name);
      // n, heads, layers are both the explorer's and a train figure's: one attribute, both meanings.
      if (known) known.description += ` For kind="${kind}": ${describe(entry, '').trimEnd()}`;
      else manifestAttributes.push({ name: entry.name, type: { text: typeText(entry) }, description: describe(entry, `Kinds: ${kind}.`) });
    }
  }
  const declaration = {
    kind: 'class',
    name: 'AttnFigure',
    tagName: 'attn-figure',
    customElement: true,
    superclass: { name: 'HTMLElement' },
    description: 'One figure of attnrank\'s explorer, computed in the page by the C++ core compiled to WebAssembly ' +
      '(docs/embedding.md). Its host element carries data-state: loading, computing, done, error or held.',
    attributes: manifestAttributes,
    members: [{
      kind: 'method',
      name: 'computeNow',
      description: 'Computes now, even away from the viewport; resolves with done, error, held (a sweep waiting for Run) ' +
        'or removed (the figure left the page); never rejects.',
      return: { type: { text: 'Promise<\'done\' | \'error\' | \'held\' | \'removed\'>' } },
    }, {
      kind: 'field',
      name: 'result',
      readonly: true,
      type: { text: 'FigureResult | null' },
      description: 'What the core returned for the figure\'s last drawing, or null before the first: per kind, ' +
        `${Object.entries(figureResults).map(([kind, words]) => `${kind}: ${plain(words)}`).join('; ')}.`,
    }, ...propertyFields(manifestAttributes)],
    events: figureEvents.map((event) => ({
      name: event.name,
      type: { text: `CustomEvent<${event.detailType}>` },
      description: `${plain(event.description)}; detail: ${event.detail.map(([name, , words]) => `${name.replace('?', '')} (${plain(words)})`).join(', ')}. ` +
        'Bubbles and crosses shadow roots.' + (event.name === 'attn-figure-error'
        ? ` Codes: ${Object.entries(figureErrorCodes).map(([code, words]) => `${code} (${plain(words)})`).join('; ')}.` : ''),
    })),
    cssProperties: customProperties.map((entry) => ({
      name: entry.name,
      syntax: entry.light === null ? '*' : '<color>',
      default: entry.light === null ? entry.default : `light-dark(${entry.light}, ${entry.dark})`,
      description: entry.meaning,
    })),
    cssParts: Object.entries(figureParts).map(([name, words]) => ({ name, description: plain(words) })),
    slots: Object.entries(figureSlots).map(([name, words]) => ({ name, description: plain(words) })),
  };
  const module = (path) => ({ kind: 'javascript-module', path });
  return {
    schemaVersion: '2.0.0',
    readme: 'README.md',
    modules: [
      { ...module('embed/attn-figure.mjs'), declarations: [declaration], exports: [
        { kind: 'js', name: 'AttnFigure', declaration: { name: 'AttnFigure', module: 'embed/attn-figure.mjs' } },
        { kind: 'custom-element-definition', name: 'attn-figure', declaration: { name: 'AttnFigure', module: 'embed/attn-figure.mjs' } },
      ] },
      { ...module('attnrank.mjs'), declarations: [], exports: [
        { kind: 'js', name: 'AttnFigure', declaration: { name: 'AttnFigure', module: 'embed/attn-figure.mjs' } },
      ] },
    ],
  };
}

// package/attnrank.d.ts's generated parts, each between a begin and an end comment line: the error codes (a type)
// and the typed properties (members of the class). TypeScript's Element already has a read-only `prefix` (the
// namespace prefix, always null for HTML elements): element-api.mjs domPropertyNames, typed any.
const kTypesBegin = (part) => `// generated: ${part} (node scripts/custom-elements.mjs --types, from web/embed/element-api.mjs); do not edit`;
const kTypesEnd = (part) => `// end of the generated ${part}`;
export function generatedTypes() {
  const codes = ['export type FigureErrorCode =', ...Object.entries(figureErrorCodes).map(([code, words], index, all) =>
    `  /** ${plain(words)} */\n  | '${code}'${index === all.length - 1 ? ';' : ''}`)].join('\n');
  const properties = elementProperties.filter((spec) => !spec.isNative).map((spec) => {
    // Element declares prefix (string | null), which a subclass may not narrow to another type.
    const isDom = domPropertyNames.includes(spec.property);
    const words = `The \`${spec.attribute}\` attribute as ${readsAs(spec)}.${isDom ? ` Typed any: the DOM's Element declares ${spec.property} (${propertyTypeText(spec)} at run time).` : ''}`;
    return `  /** ${words} */\n  ${spec.property}: ${isDom ? 'any' : propertyTypeText(spec)};`;
  }).join('\n');
  return { 'error codes': codes, properties };
}

// The .d.ts text with its generated parts replaced.
export function withGeneratedTypes(text) {
  let out = text;
  for (const [part, body] of Object.entries(generatedTypes())) {
    const begin = out.indexOf(kTypesBegin(part));
    const end = out.indexOf(kTypesEnd(part));
    if (begin < 0 || end < begin) throw new Error(`package/attnrank.d.ts has no markers for the generated ${part}`);
    const lineStart = out.lastIndexOf('\n', end) + 1;
    const indent = out.slice(lineStart, end);
    out = `${out.slice(0, begin + kTypesBegin(part).length)}\n${body}\n${indent}${out.slice(end)}`;
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--types')) {
    const text = readFileSync(typesPath, 'utf8');
    const next = withGeneratedTypes(text);
    if (process.argv.includes('--check')) {
      if (next !== text) {
        console.error('package/attnrank.d.ts: the generated parts differ: run node scripts/custom-elements.mjs --types');
        process.exit(1);
      }
    } else if (next !== text) {
      writeFileSync(typesPath, next);
      console.log('package/attnrank.d.ts: generated parts written');
    }
    process.exit(0);
  }
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node scripts/custom-elements.mjs OUT.json | --types [--check]');
    process.exit(2);
  }
  await installFromModule();
  writeFileSync(out, `${JSON.stringify(customElementsManifest(), null, 2)}\n`);
}
