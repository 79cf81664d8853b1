// The vendored third-party files under web/vendor/ (web/vendor/README.md) are the pinned packages' own:
// each byte-equal to the file of the package node_modules holds, at the exact version package.json pins
// (so an upgrade is deliberate: install the new version, copy the files again). Fails when a vendored file
// was edited, when package.json pins a range instead of a version, or when the installed package is not the
// pinned one (run npm ci).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// package -> [vendored path under web/vendor, path inside the package]
const vendored = {
  uplot: [['uplot/uPlot.esm.js', 'dist/uPlot.esm.js'], ['uplot/uPlot.min.css', 'dist/uPlot.min.css'], ['uplot/LICENSE', 'LICENSE']],
};

const readJson = async (file) => JSON.parse(await readFile(file, 'utf8'));

for (const [name, files] of Object.entries(vendored)) {
  test(`web/vendor holds ${name} exactly as the pinned package ships it`, async () => {
    const pinned = (await readJson(path.join(root, 'package.json'))).devDependencies?.[name];
    assert.match(pinned ?? '', /^\d+\.\d+\.\d+$/, `package.json pins ${name} to an exact version (got ${pinned})`);
    const installed = (await readJson(path.join(root, 'node_modules', name, 'package.json'))).version;
    assert.equal(installed, pinned, `node_modules/${name} is ${installed}, package.json pins ${pinned}: run npm ci`);
    const lock = await readJson(path.join(root, 'package-lock.json'));
    assert.equal(lock.packages[`node_modules/${name}`]?.version, pinned, 'package-lock.json agrees with package.json');
    for (const [ours, theirs] of files) {
      const [a, b] = await Promise.all([readFile(path.join(root, 'web', 'vendor', ours)), readFile(path.join(root, 'node_modules', name, theirs))]);
      assert.ok(a.equals(b), `web/vendor/${ours} differs from ${name}@${pinned}'s ${theirs}`);
    }
    const header = (await readFile(path.join(root, 'web', 'vendor', files[0][0]), 'utf8')).slice(0, 400);
    assert.ok(header.includes(`v${pinned}`), `the vendored file names version ${pinned} in its header`);
  });
}
