// Which test files of tests/node and tests/e2e scripts/test.sh runs two at a time, and which alone (one file at a
// time, nothing else running). node --test's default concurrency is the number of cores - 1, so on a 2-core
// machine every file ran alone and one core idled through most of both suites. A file may share the machine only
// if none of its tests asserts a duration or races a clock: a second file on the other core can then only make
// it slower within its own generous timeouts, never make it fail. tests/node/test-groups.test.mjs checks the
// lists against the files (a file that reads a clock in the shared group fails it).
//   node scripts/test-groups.mjs node|e2e shared|alone   prints that group's files, one path a line
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// tests/node: every file shares, except these (a test asserts a duration).
export const kNodeAlone = [
  'url-state.test.mjs',  // a 1,000,000-digit value is rejected in under 500 ms (linear time)
];

// tests/e2e: only these share (browser tests time the page often; a new file runs alone until it is listed here).
export const kE2eShared = [
  'accessibility.test.mjs', 'claims.test.mjs', 'controls-words.test.mjs', 'controls.test.mjs',
  'embed-button.test.mjs', 'embed-element.test.mjs', 'embed-frame.test.mjs', 'essay.test.mjs', 'explorer.test.mjs',
  'figure-layer.test.mjs', 'heads.test.mjs', 'honest-numbers.test.mjs', 'hostile.test.mjs', 'image-link.test.mjs',
  'layout.test.mjs', 'presets.test.mjs', 'readouts.test.mjs', 'theme.test.mjs',
];

// What reading a clock or a measured duration looks like in a test file (the page's own timings are read
// through data attributes ending in Ms, e.g. dataset.depthMs).
export const kClockPattern = /Date\.now\(|performance\.now\(|process\.hrtime|PerformanceObserver|longtask|dataset\.\w+Ms\b/;

export function testFiles(suite) {
  return readdirSync(path.join(root, 'tests', suite)).filter((name) => name.endsWith('.test.mjs')).sort();
}

// { shared, alone }: file names of tests/<suite>.
export function groups(suite) {
  const files = testFiles(suite);
  if (suite === 'node') return { shared: files.filter((f) => !kNodeAlone.includes(f)), alone: files.filter((f) => kNodeAlone.includes(f)) };
  if (suite === 'e2e') return { shared: files.filter((f) => kE2eShared.includes(f)), alone: files.filter((f) => !kE2eShared.includes(f)) };
  throw new Error(`unknown suite '${suite}' (expected node or e2e)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [suite, group] = process.argv.slice(2);
  const chosen = groups(suite)[group];
  if (!chosen) {
    console.error('usage: node scripts/test-groups.mjs node|e2e shared|alone');
    process.exit(2);
  }
  for (const name of chosen) console.log(path.join('tests', suite, name));
}
