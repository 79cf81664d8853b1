// The lab's string tables (web/i18n/lab-strings-en.mjs, -zh.mjs): the same keys in both, the same
// placeholders per key, no key that shadows a shared table's, and every data-i18n key of web/lab.html found.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { enStrings, placeholders } from '../../web/i18n/strings.mjs';
import { labStringsEn } from '../../web/i18n/lab-strings-en.mjs';
import { labStringsZh } from '../../web/i18n/lab-strings-zh.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

test('en and zh hold the same keys with the same placeholders', () => {
  assert.deepEqual(Object.keys(labStringsZh).sort(), Object.keys(labStringsEn).sort());
  for (const [key, text] of Object.entries(labStringsEn)) {
    assert.deepEqual(placeholders(labStringsZh[key]).sort(), placeholders(text).sort(), key);
  }
});

test('the lab\'s keys are its own (lab.*), none shadows a shared string', () => {
  for (const key of Object.keys(labStringsEn)) {
    assert.match(key, /^lab\./);
    assert.ok(!Object.hasOwn(enStrings, key), key);
  }
});

test('every data-i18n key of lab.html has words', async () => {
  const html = await readFile(path.join(root, 'web', 'lab.html'), 'utf8');
  const keys = [...html.matchAll(/data-i18n(?:-aria)?="([^"]+)"/g)].map((match) => match[1]);
  assert.ok(keys.length > 10);
  for (const key of keys) assert.ok(Object.hasOwn(labStringsEn, key) || Object.hasOwn(enStrings, key), key);
});
