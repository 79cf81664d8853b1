// What the node tests of result keys share: a tree checked against its table of the core's result_fields()
// (tests/node/module-results, lab-binding-schema).
import assert from 'node:assert/strict';

// A value of a row's declared type (the types of docs/result-schema.md that these tests meet).
export function isOfType(type, value) {
  if (type.endsWith(' or null')) return value === null || isOfType(type.slice(0, -' or null'.length), value);
  switch (type) {
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'string[]': return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'int': return Number.isInteger(value);
    case 'bool': return typeof value === 'boolean';
    case 'string': return typeof value === 'string';
    case 'object': return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'int[]': return value instanceof Int32Array;
    case 'number[]': return value instanceof Float64Array;
    case 'object[]': return Array.isArray(value);
    default: return false;
  }
}

// tree's keys are exactly fields' keys, in order, each value of its type; members and a list's objects alike.
export function checkExactly(tree, fields, where) {
  assert.ok(tree !== null && typeof tree === 'object' && !Array.isArray(tree), `${where}: an object`);
  assert.deepEqual(Object.keys(tree), fields.map((field) => field.key), `${where}: the keys are the table's rows`);
  for (const field of fields) {
    assert.ok(isOfType(field.type, tree[field.key]), `${where}${field.key} is of type ${field.type}`);
    if (field.fields.length === 0) continue;
    if (tree[field.key] === null) continue;  // a nullable object's null (its type was checked)
    for (const item of Array.isArray(tree[field.key]) ? tree[field.key] : [tree[field.key]]) {
      checkExactly(item, field.fields, `${where}${field.key}.`);
    }
  }
}
