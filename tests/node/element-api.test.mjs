// <attn-figure>'s API tables (web/embed/element-api.mjs, figure-style.mjs customProperties) against what is written
// from them and what they describe: the package's custom-elements.json (scripts/custom-elements.mjs) and
// attnrank.d.ts's generated parts, the stylesheet the element adopts (it reads every public custom property and no
// other), the core's error codes (src/core/base/errors.cpp, the binding's 'internal', the engine's), the attribute
// reference's own attributes (figure-parameters.mjs). tests/e2e/embed-element.test.mjs checks the element itself
// against the same tables in Chromium; docs/embedding.md's tables: tests/node/embed-reference.test.mjs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';

import { customElementsManifest, generatedTypes, typesPath, withGeneratedTypes } from '../../scripts/custom-elements.mjs';
import { observedAttributes, ownAttributes, trainOwnAttributes } from '../../web/embed/attribute-state.mjs';
import { attributeText, domPropertyNames, elementProperties, errorDetail, figureErrorCodes, figureEvents, figureParts, figureSlots,
  propertyTypeText, propertyValue } from '../../web/embed/element-api.mjs';
import { elementAttributes } from '../../web/embed/figure-parameters.mjs';
import { customProperties, figureCss } from '../../web/embed/figure-style.mjs';
import { optionKeys } from '../../web/lab/lab-state.mjs';
import { trainOptionKeys } from '../../web/state/parameter-registry.mjs';
import { installPatterns } from '../../web/state/pattern-registry.mjs';
import { loadAttnrank, root } from './load-wasm.mjs';

let element;
before(async () => {
  const attnrank = await loadAttnrank();
  installPatterns(attnrank.patterns());
  element = customElementsManifest().modules.flatMap((module) => module.declarations).find((entry) => entry.tagName === 'attn-figure');
});

test('every observed attribute has one property, but for the URL spellings with _', () => {
  const attributes = elementProperties.map((spec) => spec.attribute);
  assert.equal(new Set(attributes).size, attributes.length);
  assert.deepEqual(observedAttributes.filter((name) => !name.includes('_')).sort(), [...attributes].sort());
  const properties = elementProperties.map((spec) => spec.property);
  assert.equal(new Set(properties).size, properties.length);
  for (const spec of elementProperties) assert.match(spec.property, /^[a-z][a-zA-Z0-9]*$/, spec.attribute);
  // The train options a train figure reads are the lab's (one list: parameter-registry.mjs trainOptionKeys).
  assert.equal(optionKeys, trainOptionKeys);
});

test('a property reads its attribute as its type and writes it back', () => {
  const spec = (attribute) => elementProperties.find((entry) => entry.attribute === attribute);
  assert.equal(propertyValue(spec('n'), '64'), 64);
  assert.equal(propertyValue(spec('n'), null), null);
  assert.ok(Number.isNaN(propertyValue(spec('n'), '6x')));
  assert.equal(propertyValue(spec('scale'), '1e-2'), 0.01);
  assert.equal(propertyValue(spec('prefix'), ''), null);
  assert.equal(propertyValue(spec('windows'), 'true'), true);
  assert.equal(propertyValue(spec('windows'), 'maybe'), null);
  assert.equal(propertyValue(spec('autorun'), ''), true);
  assert.equal(propertyValue(spec('autorun'), null), false);
  assert.deepEqual(propertyValue(spec('sweep-values'), '0.25, 0.5'), [0.25, 0.5]);
  assert.deepEqual(propertyValue(spec('seeds'), '1,2'), [1, 2]);
  assert.deepEqual(propertyValue(spec('pattern'), 'forward, window'), ['forward', 'window']);
  assert.equal(attributeText(spec('windows'), false), '0');
  assert.equal(attributeText(spec('autorun'), false), null);
  assert.equal(attributeText(spec('autorun'), true), '');
  assert.equal(attributeText(spec('pattern'), ['forward', 'window']), 'forward,window');
  assert.equal(attributeText(spec('n'), undefined), null);
  assert.equal(attributeText(spec('n'), 16), '16');
});

test('the element\'s own attributes are typed as the attribute reference says', () => {
  const own = { ...ownAttributes, ...trainOwnAttributes };
  assert.deepEqual(Object.keys(elementAttributes).sort(), Object.keys(own).filter((name) => name !== 'seeds').sort());
  for (const [name, entry] of Object.entries(elementAttributes)) assert.equal(entry.type, own[name].type, name);
});

test('custom-elements.json: properties, events, custom properties, parts and slot are the element\'s', () => {
  const fields = element.members.filter((member) => member.kind === 'field');
  const properties = fields.filter((field) => field.attribute);
  assert.deepEqual(properties.map((field) => field.name), elementProperties.filter((spec) => !spec.isNative).map((spec) => spec.property));
  for (const field of properties) {
    const spec = elementProperties.find((entry) => entry.property === field.name);
    assert.equal(field.attribute, spec.attribute);
    assert.equal(field.type.text, propertyTypeText(spec));
    assert.ok(element.attributes.some((attribute) => attribute.name === field.attribute), `${field.attribute} is a documented attribute`);
  }
  const result = fields.find((field) => field.name === 'result');
  assert.equal(result.readonly, true);
  assert.deepEqual(element.events.map((event) => event.name), figureEvents.map((event) => event.name));
  assert.match(element.events[1].description, /invalid_attribute/);
  assert.deepEqual(element.cssProperties.map((entry) => entry.name), customProperties.map((entry) => entry.name));
  assert.deepEqual(element.cssParts.map((entry) => entry.name), Object.keys(figureParts));
  assert.deepEqual(element.slots.map((entry) => entry.name), Object.keys(figureSlots));
});

test('attnrank.d.ts: its generated parts are current; event maps name both events with their details', () => {
  const text = readFileSync(typesPath, 'utf8');
  assert.equal(withGeneratedTypes(text), text, 'package/attnrank.d.ts is out of date: run node scripts/custom-elements.mjs --types');
  const { properties } = generatedTypes();
  for (const spec of elementProperties.filter((entry) => !entry.isNative)) {
    const type = domPropertyNames.includes(spec.property) ? 'any' : propertyTypeText(spec);
    assert.ok(properties.includes(`  ${spec.property}: ${type};`), spec.property);
  }
  for (const map of ['HTMLElementEventMap', 'DocumentEventMap']) {
    const body = text.match(new RegExp(`interface ${map} \\{([^}]*)\\}`))[1];
    for (const event of figureEvents) assert.match(body, new RegExp(`'${event.name}': CustomEvent<${event.detailType}>;`), `${map}: ${event.name}`);
  }
  assert.match(text, /readonly result: FigureResult \| null;/);
});

test('the stylesheet reads every public custom property and no other, each for its internal name', () => {
  const read = new Set([...figureCss.matchAll(/var\((--attn-[a-z0-9-]+)/g)].map((match) => match[1]));
  assert.deepEqual([...read].sort(), customProperties.map((entry) => entry.name).sort());
  for (const entry of customProperties) {
    assert.ok(figureCss.includes(`${entry.internal}: var(${entry.name}, `), `${entry.internal} is not set from ${entry.name}`);
  }
});

test('attn-figure-error\'s codes hold the core\'s, the binding\'s and the engine\'s', () => {
  const errors = readFileSync(path.join(root, 'src', 'core', 'base', 'errors.cpp'), 'utf8');
  const core = [...errors.matchAll(/case ErrorCode::k\w+: return "([a-z_]+)";/g)].map((match) => match[1]);
  assert.ok(core.length >= 4, `only ${core.length} core codes found in errors.cpp`);
  for (const code of [...core, 'internal', 'worker_crashed', 'timeout', 'invalid_attribute', 'figure_failure']) {
    assert.ok(Object.hasOwn(figureErrorCodes, code), code);
  }
});

test('attn-figure-error\'s detail: an attribute\'s refusal names the attribute as written; other codes pass through', () => {
  const error = (message, extra) => Object.assign(new Error(message), extra);
  const cases = [
    [error('n=-1 must be in [1, 4096]', { attribute: 'n' }), { code: 'invalid_attribute', param: 'n' }],
    [error('prefix=9 exceeds n=8', { code: 'invalid_argument', param: 'prefix' }), { code: 'invalid_attribute', param: 'prefix' }],
    [error('sweep_values: ...', { code: 'invalid_argument', param: 'sweep_values' }), { code: 'invalid_attribute', param: 'sweep-values' }],
    [error('d_model=0 ...', { code: 'invalid_argument', param: 'd_model' }), { code: 'invalid_attribute', param: 'd' }],  // d stands in for d_model
    [error('vocab=0 ...', { code: 'invalid_argument', param: 'vocab' }), { code: 'invalid_argument', param: '' }],
    [error('the request needs 5000 MiB', { code: 'too_large', param: 'n' }), { code: 'too_large', param: 'n' }],
    [error('out of memory', { code: 'too_large', param: '' }), { code: 'too_large', param: '' }],
    [error('the engine worker crashed', { code: 'worker_crashed' }), { code: 'worker_crashed', param: '' }],
    [error('took too long', { code: 'timeout' }), { code: 'timeout', param: '' }],
    [error('corpus missing', { code: 'corpus_missing', attribute: 'experiment' }), { code: 'invalid_attribute', param: 'experiment' }],
    [error('lab/gallery/x.json: HTTP 404'), { code: 'figure_failure', param: '' }],
    [error('odd', { code: 'something_new' }), { code: 'figure_failure', param: '' }],
  ];
  for (const [thrown, expected] of cases) {
    assert.deepEqual(errorDetail(thrown, 'shown words'), { ...expected, message: 'shown words' }, thrown.message);
  }
});
