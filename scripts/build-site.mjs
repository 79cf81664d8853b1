// Builds the site README's command 1 serves (scripts/serve.sh) and the browser tests load: web/ copied into
// build/site/, then the explorer's modules and the workers bundled and minified over their copies
// (scripts/bundle.mjs bundleExplorer: rollup and esbuild from node_modules, source maps beside each), so the
// explorer's first view loads a few small files instead of ~60 unbundled modules (issue 20's transfer). Every
// other file keeps its place and text (the layout is web/'s): the essay, the lab page and the embeddable
// element load their unbundled modules from the copy, the pages' HTML, stylesheets and the strict CSP are
// web/'s own, but for index.html's <link rel="modulepreload"> of the start and first chunks after its script tag,
// so the browser fetches them beside main.mjs instead of one after the other. Needs web/wasm/ built
// (build-wasm.sh --module), like the pages.
//   node scripts/build-site.mjs [OUT_DIR=build/site]
// Import: buildSite(outDir) -> written files; staleSource(outDir) -> the newest file of web/ (or of this script and
// bundle.mjs) changed after the build (or the reason there is no build), or null when the build is current.
import { cp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webDir = path.join(root, 'web');
export const defaultSiteDir = path.join(root, 'build', 'site');
// Written last by a build: its time is the build's (the freshness check compares web/'s files with it).
const kBuiltMarker = 'main.mjs';
const kEntryTag = '<script type="module" src="main.mjs"></script>';

export async function buildSite(outDir = defaultSiteDir) {
  outDir = path.resolve(outDir);
  await stat(path.join(webDir, 'wasm', 'attnrank.wasm')).catch(() => {
    throw new Error(`build-site.mjs: ${path.join(webDir, 'wasm', 'attnrank.wasm')} is missing (run: bash build-wasm.sh --module)`);
  });
  await rm(outDir, { recursive: true, force: true });
  await mkdir(path.dirname(outDir), { recursive: true });
  await cp(webDir, outDir, { recursive: true });
  // Loaded here, not at the top: the browser tests import staleSource() without rollup and esbuild.
  const { bundleExplorer } = await import('./bundle.mjs');
  const written = await bundleExplorer(outDir);
  const preloaded = written.filter((name) => /^chunks\/explorer-(start|first)-[\w-]+\.mjs$/.test(name));
  if (preloaded.length !== 2) throw new Error(`build-site.mjs: expected the start and first chunks, got ${preloaded.join(', ')}`);
  const page = path.join(outDir, 'index.html');
  const html = await readFile(page, 'utf8');
  if (!html.includes(kEntryTag)) throw new Error(`build-site.mjs: index.html has no ${kEntryTag}`);
  const links = preloaded.map((name) => `\n  <link rel="modulepreload" href="${name}">`).join('');
  await writeFile(page, html.replace(kEntryTag, `${kEntryTag}${links}`));
  return written;
}

// Every file under dir (recursive), with its mtime.
async function newestFile(dir) {
  let newest = { file: null, mtimeMs: 0 };
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    const candidate = entry.isDirectory() ? await newestFile(file) : { file, mtimeMs: (await stat(file)).mtimeMs };
    if (candidate.mtimeMs > newest.mtimeMs) newest = candidate;
  }
  return newest;
}

export async function staleSource(outDir = defaultSiteDir) {
  let built;
  try {
    built = (await stat(path.join(outDir, kBuiltMarker))).mtimeMs;
  } catch {
    return `${outDir} is not built`;
  }
  let newest = await newestFile(webDir);
  for (const script of ['build-site.mjs', 'bundle.mjs']) {  // the build's own code
    const file = path.join(root, 'scripts', script);
    const { mtimeMs } = await stat(file);
    if (mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  }
  return newest.mtimeMs > built ? `${path.relative(root, newest.file)} changed after ${path.relative(root, outDir)} was built` : null;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = path.resolve(process.argv[2] ?? defaultSiteDir);
  const started = performance.now();
  const written = await buildSite(outDir);
  console.log(`build-site.mjs: ${path.relative(process.cwd(), outDir) || '.'} (web/ copied; bundled: ` +
    `${written.filter((name) => !name.endsWith('.map')).join(', ')}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
