// One figure layer (issue 14 item 5): every <attn-figure> kind is drawn by a module of web/views/figures/,
// and neither the explorer's wiring (web/main.mjs) nor the embed's registry (figure-kinds.mjs) builds a
// config or asks the engine for an analysis itself, so the two cannot drift apart. (That both ask the
// same analyses for one state is checked in the browser: tests/e2e/figure-layer.test.mjs.)
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { figureKinds } from '../../web/embed/attribute-state.mjs';
import { figureClasses } from '../../web/embed/figure-kinds.mjs';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
const figures = path.join(web, 'views', 'figures');

test('every embed kind is a class exported by a figure module', async () => {
  const exported = new Set();
  for (const file of (await readdir(figures)).filter((name) => name.endsWith('.mjs'))) {
    for (const value of Object.values(await import(path.join(figures, file)))) exported.add(value);
  }
  assert.deepEqual(Object.keys(figureClasses).sort(), [...figureKinds].sort());
  for (const kind of figureKinds) assert.ok(exported.has(figureClasses[kind]), `${kind}: not from web/views/figures/`);
});

test('the explorer and the embed registry build no configs and ask the engine for no analysis', async () => {
  // Config builders of url-state.mjs and the engine's computing methods.
  const forbidden = [/\b\w*[cC]onfigFor\(/, /\bpool\.(request|background|sweep)\(/,
    /\bpool\.call\('(analyze|collapse|mixture|claims|architectures)'/, /\bcollapseAll\b/];
  for (const file of ['main.mjs', path.join('embed', 'figure-kinds.mjs'), path.join('embed', 'attn-figure.mjs')]) {
    const source = await readFile(path.join(web, file), 'utf8');
    for (const pattern of forbidden) assert.doesNotMatch(source, pattern, `web/${file}`);
  }
});

test('error text and staleness are defined once', async () => {
  for (const file of ['main.mjs', path.join('embed', 'attn-figure.mjs')]) {
    const source = await readFile(path.join(web, file), 'utf8');
    assert.doesNotMatch(source, /function (isStale|errorText|isEngineFailure)|#errorText/, `web/${file}`);
  }
});
