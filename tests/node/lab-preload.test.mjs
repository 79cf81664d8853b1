// web/lab.html preloads (link rel=modulepreload) exactly the modules lab/lab-main.mjs imports statically,
// at any depth, so the browser fetches the whole graph at once instead of one import depth per round trip
// (the lab's first figures from the gallery, issue 18: under 1 s). Fails when a module is added to or
// dropped from the graph without its line in lab.html.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');

// The static imports of file and theirs (paths relative to web/), dynamic import() left out.
function staticGraph(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(path.join(web, file), 'utf8');
  for (const match of source.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gms)) {
    staticGraph(path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1])), seen);
  }
  return seen;
}

test('lab.html preloads the static module graph of lab-main.mjs, no more, no less', () => {
  const html = readFileSync(path.join(web, 'lab.html'), 'utf8');
  const preloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((match) => match[1]).sort();
  const graph = [...staticGraph('lab/lab-main.mjs')].filter((file) => file !== 'lab/lab-main.mjs').sort();
  assert.ok(graph.length > 20);
  assert.deepEqual(preloaded, graph);
});
