// Bundles the ES modules of the embeddable folder (issue 19 item 7: fewer round trips), for
// scripts/build-dist.sh: a post that loaded ~30 modules one import level at a time loads a few files; and
// (bundleExplorer, below) the explorer page's, for scripts/build-site.mjs.
//   node scripts/bundle.mjs OUT_DIR [--no-minify]
// Writes into OUT_DIR (the folder's layout is web/'s, so every file the code finds relative to its own URL,
// the worker, the wasm module and its glue, the lab's gallery and stylesheets, stays where it was):
//   attnrank.mjs             the element and everything a figure needs before its first draw, one module
//   embed/frame.mjs          the iframe fallback's own code (embed.html); imports ../attnrank.mjs
//   embed/attn-figure.mjs    the element under another name (attn-figure.mjs?name=my-figure, docs/embedding.md
//                            section 5): sets that name, then imports ../attnrank.mjs
//   chunks/*.mjs             what only some figures load, when they load it (import() in the sources): the
//                            train figure and the lab code it uses, the claims view's lab verdicts, the
//                            Chinese words; a patterns-only post fetches none of them
//   engine/engine-worker.mjs the engine worker and its modules, one module (its wasm glue stays wasm/attnrank.mjs)
//   engine/lab-worker.mjs    the lab worker (train figures), likewise
// and a source map beside each (*.mjs.map), whose sources are web/'s files by their paths in this layout
// (attnrank/embed/attn-figure.mjs maps to web/embed/attn-figure.mjs) with their text included, so a reader's
// devtools shows the sources anywhere the folder is copied. Rollup bundles (the repository's devDependency),
// esbuild minifies each chunk (its maps chained by rollup). Nothing of the strict CSP changes: the output has
// no eval and no inline script or style; the workers stay module workers of the folder's own origin.
// Every import.meta.url of a source module is replaced by the URL that module had unbundled (its path in this
// layout, resolved against the chunk's own URL), so new URL('../engine/engine-worker.mjs', import.meta.url)
// and the like need no change.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { transform } from 'esbuild';
import { rollup } from 'rollup';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const webDir = path.join(root, 'web');

// The global through which embed/attn-figure.mjs?name=... passes its own URL (and so the name it asks for) to
// the element's module inside attnrank.mjs, before that module runs.
const kElementUrlKey = 'attnrank.element-url';
const elementModule = path.join(webDir, 'embed', 'attn-figure.mjs');

// web/-relative path of a module, with forward slashes.
const webPath = (file) => path.relative(webDir, file).split(path.sep).join('/');

// Rollup plugin: each source module's import.meta.url is the URL it had unbundled; the element's is the URL it
// was asked for by (embed/attn-figure.mjs?name=...) when the page loaded it that way.
function unbundledUrls() {
  return {
    name: 'attnrank-unbundled-urls',
    resolveImportMeta(property, { chunkId, moduleId }) {
      if (property !== 'url' || !moduleId?.startsWith(webDir + path.sep)) return null;
      const relative = path.posix.relative(path.posix.dirname(chunkId), webPath(moduleId)) || webPath(moduleId);
      const unbundled = `new URL(${JSON.stringify(relative)}, import.meta.url).href`;
      if (moduleId === elementModule) return `(globalThis[Symbol.for(${JSON.stringify(kElementUrlKey)})] ?? ${unbundled})`;
      return unbundled;
    },
  };
}

// Rollup plugin: esbuild minifies every chunk (identifiers, whitespace, syntax), ES2022 as the sources are.
function minify(enabled) {
  return {
    name: 'attnrank-minify',
    async renderChunk(code) {
      if (!enabled) return null;
      const result = await transform(code, { minify: true, format: 'esm', target: 'es2022', sourcemap: 'external', legalComments: 'eof', charset: 'utf8' });
      return { code: result.code, map: result.map };
    },
  };
}

async function output(bundle, outDir, options) {
  const { output: files } = await bundle.generate({
    format: 'es', dir: outDir, sourcemap: true, sourcemapExcludeSources: false, ...options,
    // Source maps: each source by its web/ path made relative to the map's folder in the folder's layout (which is
    // web/'s), so attnrank/chunks/x.mjs.map names ../embed/train-figure.mjs; rollup includes the text.
    sourcemapPathTransform: (relativeSourcePath, sourcemapPath) => {
      const source = path.resolve(path.dirname(sourcemapPath), relativeSourcePath);
      const mapInLayout = path.relative(outDir, sourcemapPath).split(path.sep).join('/');
      return path.posix.relative(path.posix.dirname(mapInLayout), webPath(source));
    },
  });
  const written = [];
  for (const file of files) {
    const target = path.join(outDir, file.fileName);
    await mkdir(path.dirname(target), { recursive: true });
    if (file.type === 'chunk') {
      const mapName = `${path.basename(file.fileName)}.map`;
      await writeFile(target, `${file.code}\n//# sourceMappingURL=${mapName}\n`);
      await writeFile(`${target}.map`, file.map.toString());
      written.push(file.fileName);
    } else {
      await writeFile(target, file.source);
      written.push(file.fileName);
    }
  }
  return written;
}

function warningHandler(warning, warn) {
  // import(glueUrl): the wasm glue is loaded at run time from wasm/, as unbundled.
  if (warning.code === 'DYNAMIC_IMPORT_VARIABLE' || (warning.message ?? '').includes('cannot be analyzed')) return;
  warn(warning);
  throw new Error(`bundle.mjs: ${warning.message}`);
}

// Rollup plugin: after the build, graph holds the modules entry imports statically, transitively (itself included):
// what attnrank.mjs must hold (manualChunks runs after the build).
function staticGraph(entry, graph) {
  return {
    name: 'attnrank-static-graph',
    buildEnd() {
      const visit = (id) => {
        if (graph.has(id)) return;
        graph.add(id);
        for (const imported of this.getModuleInfo(id).importedIds) visit(imported);
      };
      visit(entry);
    },
  };
}

// The workers: each one module (nothing shared with the page: a worker is its own module graph).
async function bundleWorkers(outDir, plugins) {
  const written = [];
  for (const worker of ['engine-worker', 'lab-worker']) {
    const built = await rollup({ input: path.join(webDir, 'engine', `${worker}.mjs`), plugins, onwarn: warningHandler });
    written.push(...await output(built, outDir, { entryFileNames: `engine/${worker}.mjs`, inlineDynamicImports: true }));
    await built.close();
  }
  return written;
}

export async function bundle(outDir, { minifyChunks = true } = {}) {
  outDir = path.resolve(outDir);
  const written = [];
  const plugins = [unbundledUrls(), minify(minifyChunks)];

  // The page's modules: attnrank.mjs holds the element's static graph (one request); embed/frame.mjs the iframe
  // page's own module; each import() of the sources its own chunk.
  const entry = path.join(webDir, 'attnrank.mjs');
  const first = new Set();
  const page = await rollup({
    input: { attnrank: entry, 'embed/frame': path.join(webDir, 'embed', 'frame.mjs') },
    preserveEntrySignatures: 'allow-extension',
    plugins: [...plugins, staticGraph(entry, first)],
    onwarn: warningHandler,
  });
  written.push(...await output(page, outDir, {
    entryFileNames: '[name].mjs',
    chunkFileNames: 'chunks/[name]-[hash].mjs',
    manualChunks: (id) => (first.has(id) ? 'attnrank' : undefined),
  }));
  await page.close();

  written.push(...await bundleWorkers(outDir, plugins));

  // embed/attn-figure.mjs?name=...: hands its URL to the element, then loads it. The element is defined once per
  // page: after attnrank.mjs ran (under attn-figure), this defines nothing more (docs/embedding.md section 15).
  const facade = `// attnrank's element under the name this script's URL asks for (attn-figure.mjs?name=my-figure, docs/embedding.md
// section 5): the element's module, bundled into ../attnrank.mjs by scripts/bundle.mjs, reads the name from this URL.
globalThis[Symbol.for(${JSON.stringify(kElementUrlKey)})] ??= import.meta.url;
export const { AttnFigure } = await import('../attnrank.mjs');
`;
  await writeFile(path.join(outDir, 'embed', 'attn-figure.mjs'), facade);
  written.push('embed/attn-figure.mjs');
  return written;
}

// The explorer page (web/index.html's main.mjs) for the site that scripts/build-site.mjs builds (README's command 1
// serves it), in web/'s layout like the rest of this file's output:
//   main.mjs                  main.mjs itself
//   chunks/explorer-start-*.mjs  its static imports (what starts the engine's workers), one module: not in
//                             main.mjs, whose top-level await on its import()s would wait for itself when those
//                             chunks import a module from it (a cycle: the page would never start)
//   chunks/explorer-first-*.mjs  what explorer-first.mjs gathers (the first view: the controls, the patterns and
//                             spectra, the strings, the export bars), one module, imported by main.mjs at once
//   chunks/explorer-later-*.mjs  what explorer-later.mjs gathers (the figures below the first view), one module,
//                             imported once the first figure is drawn
//   chunks/*.mjs              every other import() of the sources (the Chinese words, the claims' lab verdicts, ...)
//   engine/engine-worker.mjs, engine/lab-worker.mjs   the workers, one module each (as for the embeddable folder)
// with a source map beside each. The groups come from the module graph, not from a list: a module main.mjs
// imports statically is in the start chunk; one explorer-first.mjs reaches statically (not in that) in the first
// chunk; one only explorer-later.mjs reaches in the later chunk.
export const explorerEntry = path.join(webDir, 'main.mjs');
export const explorerFirstEntry = path.join(webDir, 'explorer-first.mjs');
export const explorerLaterEntry = path.join(webDir, 'explorer-later.mjs');

// Rollup plugin: fills groups.start (main.mjs's static graph), groups.first (explorer-first.mjs's, less that) and
// groups.later (explorer-later.mjs's static graph, less both).
function explorerGroups(groups) {
  return {
    name: 'attnrank-explorer-groups',
    buildEnd() {
      const closure = (ids, into, skip) => {
        const visit = (id) => {
          if (into.has(id) || skip.some((set) => set.has(id))) return;
          into.add(id);
          for (const imported of this.getModuleInfo(id).importedIds) visit(imported);
        };
        for (const id of ids) visit(id);
      };
      closure([explorerEntry], groups.start, []);
      closure([explorerFirstEntry], groups.first, [groups.start]);
      closure([explorerLaterEntry], groups.later, [groups.start, groups.first]);
    },
  };
}

export async function bundleExplorer(outDir, { minifyChunks = true } = {}) {
  outDir = path.resolve(outDir);
  const written = [];
  const plugins = [unbundledUrls(), minify(minifyChunks)];
  const groups = { start: new Set(), first: new Set(), later: new Set() };
  const page = await rollup({ input: { main: explorerEntry }, plugins: [...plugins, explorerGroups(groups)], onwarn: warningHandler });
  written.push(...await output(page, outDir, {
    entryFileNames: '[name].mjs',
    chunkFileNames: 'chunks/[name]-[hash].mjs',
    manualChunks: (id) => {
      if (id === explorerEntry) return undefined;
      if (groups.start.has(id)) return 'explorer-start';
      if (groups.first.has(id)) return 'explorer-first';
      if (groups.later.has(id)) return 'explorer-later';
      return undefined;
    },
  }));
  await page.close();
  written.push(...await bundleWorkers(outDir, plugins));
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [outDir, ...flags] = process.argv.slice(2);
  if (!outDir) {
    console.error('usage: node scripts/bundle.mjs OUT_DIR [--no-minify]');
    process.exit(2);
  }
  const written = await bundle(outDir, { minifyChunks: !flags.includes('--no-minify') });
  console.log(`bundle.mjs: ${written.length} modules in ${outDir}: ${written.filter((name) => !name.endsWith('.map')).join(', ')}`);
}
