// Writes the package.json of the npm package attnrank (scripts/build-package.sh) into its staged folder: the
// project's version (CMakeLists.txt's project() line, the version the core reports), "type": "module", an
// exports map (the element, the engine worker, the wasm file, the manifest; every other file by its path, for
// tools that copy the folder), files (the folder's top-level entries, as build-dist.sh made them), types (the
// hand-written attnrank.d.ts) and customElements (custom-elements.json). The repository's own package.json is
// the development package (private: never published); this one is published by no script here either.
//   node scripts/package-json.mjs FOLDER
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function projectVersion() {
  const cmake = readFileSync(path.join(root, 'CMakeLists.txt'), 'utf8');
  const match = cmake.match(/^project\(attnrank VERSION ([0-9]+\.[0-9]+\.[0-9]+)\b/m);
  if (!match) throw new Error('CMakeLists.txt: no "project(attnrank VERSION x.y.z" line');
  return match[1];
}

export function packageJson(folder) {
  const types = './attnrank.d.ts';
  const files = readdirSync(folder).filter((name) => name !== 'package.json').sort()
    .map((name) => (readdirSync(folder, { withFileTypes: true }).find((entry) => entry.name === name).isDirectory() ? `${name}/` : name));
  return {
    name: 'attnrank',
    version: projectVersion(),
    description: 'The <attn-figure> element: attention matrices and their rank statistics, computed in the page by a C++ core compiled to WebAssembly',
    keywords: ['attention', 'transformer', 'rank', 'webassembly', 'web-component', 'custom-element'],
    type: 'module',
    browser: './attnrank.mjs',
    module: './attnrank.mjs',
    types,
    customElements: './custom-elements.json',
    exports: {
      '.': { types, default: './attnrank.mjs' },
      './element': { types, default: './embed/attn-figure.mjs' },
      './engine-worker': './engine/engine-worker.mjs',
      './attnrank.wasm': './wasm/attnrank.wasm',
      './custom-elements.json': './custom-elements.json',
      './package.json': './package.json',
      './*': './*',
    },
    files,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const folder = process.argv[2];
  if (!folder) {
    console.error('usage: node scripts/package-json.mjs FOLDER');
    process.exit(2);
  }
  writeFileSync(path.join(folder, 'package.json'), `${JSON.stringify(packageJson(folder), null, 2)}\n`);
}
