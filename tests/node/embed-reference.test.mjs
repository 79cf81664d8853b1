// docs/embedding.md's attribute reference (issue 19 item 4) is what scripts/embed-reference.mjs writes from
// the core's parameter registry and web/embed/figure-parameters.mjs (so a new parameter, kind or default
// fails here until the script is run); the ranges it states are the ones the element's attribute parser
// enforces; its iframe size table names every kind once. The element API's tables (section 14) are the ones the
// script writes from web/embed/element-api.mjs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';

import { elementApiMarkdown, kBegin, kElementBegin, kElementEnd, kEnd, referenceMarkdown, withElementApi, withReference } from '../../scripts/embed-reference.mjs';
import { figureKinds, figureOptions } from '../../web/embed/attribute-state.mjs';
import { optionKeys, validateLabField } from '../../web/lab/lab-state.mjs';
import { urlParameters } from '../../web/state/parameter-registry.mjs';
import { installPatterns } from '../../web/state/pattern-registry.mjs';
import { loadAttnrank, root } from './load-wasm.mjs';

const doc = readFileSync(path.join(root, 'docs', 'embedding.md'), 'utf8');
let limits;
before(async () => {
  const attnrank = await loadAttnrank();
  installPatterns(attnrank.patterns());
  limits = { ...attnrank.limits(), messages: attnrank.messages() };
});

test('the reference between the markers is the generated one (node scripts/embed-reference.mjs)', () => {
  assert.ok(doc.includes(kBegin) && doc.includes(kEnd), 'docs/embedding.md lacks the reference\'s markers');
  assert.equal(withReference(doc, referenceMarkdown()), doc,
    'docs/embedding.md\'s attribute reference is out of date: run node scripts/embed-reference.mjs');
});

test('the element API\'s tables between their markers are the generated ones (node scripts/embed-reference.mjs)', () => {
  assert.ok(doc.includes(kElementBegin) && doc.includes(kElementEnd), 'docs/embedding.md lacks the element API\'s markers');
  assert.equal(withElementApi(doc, elementApiMarkdown()), doc,
    'docs/embedding.md\'s element API tables are out of date: run node scripts/embed-reference.mjs');
});

// The rows of the reference's attribute table (or of the train options' table after it): attribute ->
// [attribute, type, values, default, meaning].
function attributeRows({ options = false } = {}) {
  const reference = doc.slice(doc.indexOf(kBegin), doc.indexOf(kEnd));
  const at = reference.indexOf('The options of a `train` figure');
  const text = options ? reference.slice(at) : reference.slice(0, at < 0 ? undefined : at);
  const rows = new Map();
  for (const line of text.split('\n')) {
    const cells = line.split(' | ').map((cell) => cell.replace(/^\| |\|$/g, '').trim());
    if (cells.length === 5 && cells[0].startsWith('`')) rows.set(cells[0].replaceAll('`', ''), cells);
  }
  return rows;
}

test('every attribute of every kind has a row with type, values, default and meaning', () => {
  const rows = attributeRows();
  for (const entry of urlParameters) assert.ok(rows.has(entry.attribute), `no row for ${entry.attribute}`);
  for (const name of ['kind', 'controls', 'theme', 'pattern', 'claim']) assert.ok(rows.has(name), `no row for ${name}`);
  for (const [name, cells] of rows) assert.ok(cells.every((cell) => cell.length > 0), `${name}: an empty cell`);
  // Every kind is listed in the kinds table, with what it shows.
  for (const kind of figureKinds) assert.match(doc, new RegExp(`^\\| \`${kind}\` \\| [^|]+ \\| `, 'm'), `kind ${kind} is not in the table`);
});

// The stated ranges are the parser's: each bound is accepted and the value past it refused.
test('the stated integer ranges are the ones the attributes are checked against', () => {
  const rows = attributeRows();
  const errorsOf = (attributes) => figureOptions((name) => attributes[name] ?? null, Object.keys(attributes), limits).errors;
  let checked = 0;
  for (const entry of urlParameters.filter((parameter) => parameter.type === 'integer')) {
    const stated = rows.get(entry.attribute)[2];
    const fixed = /^(\d+) to (\d+)$/.exec(stated);
    const byN = /^(\d+) to n\b/.exec(stated);
    assert.ok(fixed || byN, `${entry.attribute}: range "${stated}"`);
    const n = 64;
    const [min, max] = fixed ? [Number(fixed[1]), Number(fixed[2])] : [Number(byN[1]), n];
    const attributes = (value) => ({ ...(byN ? { n: String(n) } : {}), [entry.attribute]: String(value) });
    assert.deepEqual(errorsOf(attributes(min)), {}, `${entry.attribute}=${min}`);
    assert.deepEqual(errorsOf(attributes(max)), {}, `${entry.attribute}=${max}`);
    assert.ok(errorsOf(attributes(min - 1))[entry.attribute], `${entry.attribute}=${min - 1} is accepted`);
    assert.ok(errorsOf(attributes(max + 1))[entry.attribute], `${entry.attribute}=${max + 1} is accepted`);
    checked += 1;
  }
  assert.ok(checked >= 8, `only ${checked} integer attributes checked`);
});

test('the stated ranges of a train figure\'s options are the ones the lab checks them against', () => {
  const rows = attributeRows({ options: true });
  const context = { experiments: [], limits };
  let checked = 0;
  for (const key of optionKeys) {
    const cells = rows.get(key.replaceAll('_', '-'));
    assert.ok(cells, `no row for the train option ${key}`);
    const range = /^(\d+) to (\d+)$/.exec(cells[2]);
    if (cells[1] !== 'integer') continue;
    assert.ok(range, `${key}: range "${cells[2]}"`);
    const [min, max] = [Number(range[1]), Number(range[2])];
    assert.equal(validateLabField(key, String(min), context).error, undefined, `${key}=${min}`);
    assert.equal(validateLabField(key, String(max), context).error, undefined, `${key}=${max}`);
    assert.ok(validateLabField(key, String(min - 1), context).error, `${key}=${min - 1} is accepted`);
    assert.ok(validateLabField(key, String(max + 1), context).error, `${key}=${max + 1} is accepted`);
    checked += 1;
  }
  assert.ok(checked >= 8, `only ${checked} train options checked`);
  const seeds = rows.get('seeds')[2];
  const [, most, low, high] = /at most (\d+), each (\d+) to (\d+)/.exec(seeds);
  assert.equal(validateLabField('seeds', Array.from({ length: Number(most) }, (_, index) => index).join(','), context).error, undefined);
  assert.ok(validateLabField('seeds', Array.from({ length: Number(most) + 1 }, (_, index) => index).join(','), context).error);
  assert.equal(validateLabField('seeds', `${low},${high}`, context).error, undefined);
  assert.ok(validateLabField('seeds', `${BigInt(high) + 1n}`, context).error);
});
