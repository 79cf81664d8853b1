// Writes the npm package's custom-elements.json (the Custom Elements Manifest, schema 2.0.0: what editors and
// documentation tools read to know an element's attributes), from the attribute reference of docs/embedding.md
// (scripts/embed-reference.mjs attributeReference(): the core's parameter registry, the figure kinds, the URL
// state's rules, the English words), so the manifest, the reference and the element never disagree;
// tests/sites/package.test.mjs checks its attributes against the element's observedAttributes. It leaves out
// the shadow parts and custom properties (not yet a documented API: issue 19 item 2).
//   node scripts/custom-elements.mjs OUT.json    (needs web/wasm/: bash build-wasm.sh)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { attributeReference, installFromModule } from './embed-reference.mjs';

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
    }],
    events: [{
      name: 'attn-figure-done',
      type: { text: 'CustomEvent<{ kind: string; ms: number; source?: \'gallery\' | \'run\' }>' },
      description: 'The figure has drawn: its kind and the milliseconds from the start of its computation (a train figure ' +
        'adds source). Bubbles and crosses shadow roots.',
    }],
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node scripts/custom-elements.mjs OUT.json');
    process.exit(2);
  }
  await installFromModule();
  writeFileSync(out, `${JSON.stringify(customElementsManifest(), null, 2)}\n`);
}
