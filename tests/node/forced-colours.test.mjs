// node --test: the forced-colours (high contrast) rules are written once, in web/views/forced-colours.mjs, and
// adopted by the explorer (main.mjs), the essay (essay/essay-language.mjs) and every <attn-figure> shadow root
// (embed/attn-figure.mjs), as views/table-fit.mjs shares its table sheet. Fails on the copies in style.css and
// embed/figure-style.mjs (issue 17 review, item 7). tests/e2e/accessibility.test.mjs checks them in Chromium.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { root } from './load-wasm.mjs';

async function filesUnder(folder) {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && /\.(css|mjs|html)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .filter((file) => !file.includes(`${path.sep}wasm${path.sep}`));
}

test('forced-colours rules are written once and adopted by the explorer, the essay and the figures', async () => {
  const web = path.join(root, 'web');
  const writers = [];
  for (const file of await filesUnder(web)) {
    if ((await readFile(file, 'utf8')).includes('forced-colors:')) writers.push(path.relative(web, file));
  }
  assert.deepEqual(writers, [path.join('views', 'forced-colours.mjs')]);
  for (const adopter of ['main.mjs', 'essay/essay-language.mjs', 'embed/attn-figure.mjs']) {
    const source = await readFile(path.join(web, adopter), 'utf8');
    assert.match(source, /forcedColoursStyleSheet\(\)/, `${adopter} adopts the shared sheet`);
  }
});
