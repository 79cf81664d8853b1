// The embeddable folder's bundled modules (scripts/bundle.mjs, issue 19 item 7): a one-figure post fetches at
// most kMaxRequests files of the folder (the bundled element, the bundled worker, the first wasm module's glue and
// module), at most kTransferCeiling bytes of them gzipped (issue 20), and nothing of the lab (nor its module) or
// of the figures' module; a post whose first figure needs the figures' module (collapse) fetches that module
// alone, and a post with a patterns figure and then a collapse figure fetches the first module, then the figures'
// module (engine-worker.mjs), and draws both; a Chinese figure adds the Chinese words' chunk only; a train figure loads its own chunk
// and draws its gallery; controls="full" loads the Image + link chunk, whose link is the folder's embed.html;
// embed/attn-figure.mjs?name= defines the element under that name only; every figure
// under the strict CSP with no console problem. Every bundled module's source map resolves to web/ files that
// exist, holds their current text, and maps a known line of the output back to its line in web/; no bundled
// module calls eval or new Function. Env: ATTNRANK_DIST, another embeddable folder (default dist/attnrank).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';

import { openBrowser, openPage, root } from '../e2e/browser.mjs';
import { expectFiguresDrawn } from './site-checks.mjs';

const dist = path.resolve(process.env.ATTNRANK_DIST ?? path.join(root, 'dist', 'attnrank'));
const web = path.join(root, 'web');
// attnrank.mjs, engine/engine-worker.mjs, wasm/attnrank.mjs, wasm/attnrank.wasm (unbundled: ~30 modules).
const kMaxRequests = 4;

const page = (title, head, body) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="favicon.svg">
<title>${title}</title>
${head}
</head>
<body>
<h1>${title}</h1>
${body}
</body>
</html>
`;
const script = '<script type="module" src="attnrank/attnrank.mjs"></script>';
const pages = {
  'one.html': page('One figure', script, '<attn-figure kind="patterns" n="32" d="4" seed="7"></attn-figure>'),
  'zh.html': page('One figure in Chinese', script, '<attn-figure kind="spectra" n="32" d="4" seed="7" lang="zh"></attn-figure>'),
  'train.html': page('A train figure', script, '<attn-figure kind="train" experiment="order"></attn-figure>'),
  'collapse.html': page('A collapse figure', script, '<attn-figure kind="collapse" n="16" layers="3" seed="7"></attn-figure>'),
  // The collapse figure below the fold (a figure computes when near the viewport): the patterns figure asks first.
  'both.html': page('A patterns figure, then a collapse figure', script,
    `<attn-figure kind="patterns" n="16" d="4" seed="7"></attn-figure>\n${'<br>'.repeat(150)}\n` +
    '<attn-figure kind="collapse" n="16" layers="3" seed="7"></attn-figure>'),
  'full.html': page('Full controls', script, '<attn-figure kind="spectra" n="32" d="4" seed="7" controls="full"></attn-figure>'),
  // The host page's own <attn-figure> (host-element.mjs), defined first; attnrank's under another name.
  'name.html': page('Another name', '<script type="module" src="host-element.mjs"></script>\n' +
    '<script type="module" src="attnrank/embed/attn-figure.mjs?name=attnrank-figure"></script>',
  '<attnrank-figure kind="patterns" n="32" d="4" seed="7"></attnrank-figure>'),
};

let scratch;
let browser;
const requests = [];

before(async () => {
  assert.ok(existsSync(path.join(dist, 'attnrank.mjs')), `${dist}/attnrank.mjs is missing: run bash scripts/build-dist.sh`);
  scratch = await mkdtemp(path.join(tmpdir(), 'attnrank-bundle-'));
  await mkdir(path.join(scratch, 'www'));
  await cp(dist, path.join(scratch, 'www', 'attnrank'), { recursive: true });
  for (const [name, html] of Object.entries(pages)) await writeFile(path.join(scratch, 'www', name), html);
  await cp(path.join(dist, 'favicon.svg'), path.join(scratch, 'www', 'favicon.svg'));  // the site's own, not counted
  await writeFile(path.join(scratch, 'www', 'host-element.mjs'), "customElements.define('attn-figure', class extends HTMLElement {});\n");
  browser = await openBrowser({ webRoot: path.join(scratch, 'www'), requireWasm: false });
  browser.context.on('request', (request) => requests.push(request.url()));  // the pages' and their workers'
});

after(async () => {
  await browser?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

// Opens name; its figures (kinds) draw under the strict CSP with no console problem. Returns the folder's files
// it requested (paths inside attnrank/).
async function folderRequests(name, kinds, tag = 'attn-figure') {
  requests.length = 0;
  const { page: opened, problems } = await openPage(browser.context, `${browser.serverUrl}${name}`, { collectCspViolations: true });
  try {
    if (tag === 'attn-figure') await expectFiguresDrawn(opened, kinds);
    else {
      await opened.waitForFunction((tag) => document.querySelector(tag)?.dataset.state === 'done', tag, { timeout: 30_000 });
      assert.equal(await opened.evaluate(() => customElements.get('attn-figure')?.name), '', 'the host page\'s own attn-figure is replaced');
    }
    assert.deepEqual(await opened.evaluate(() => window.cspViolations), []);
    assert.deepEqual(problems, []);
  } finally {
    await opened.close();
  }
  const prefix = `${browser.serverUrl}attnrank/`;
  return requests.filter((url) => url.startsWith(prefix)).map((url) => url.slice(prefix.length));
}

const lazy = /^(chunks\/|lab\/|vendor\/|engine\/lab-worker|wasm\/attnrank-lab|wasm\/attnrank-figures)/;
const wasmModules = (files) => files.filter((file) => file.endsWith('.wasm'));

// The bytes a one-figure post transfers: the folder's files it fetched, each gzip -9 as a server would send it.
// Issue 20's target is 250 KB; kTransferCeiling is a little over what a post fetches today (docs/embedding.md
// section 15: 219,754 bytes on 2026-12-07, the first wasm module 143,800 of them), so a change that makes every
// post fetch more fails here, with the sum.
const kTransferCeiling = 1024 * 225;
function gzippedBytes(files) {
  return files.reduce((sum, file) => sum + gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length, 0);
}

test(`a one-figure post fetches at most ${kMaxRequests} files of the folder, none of the lab, at most ${kTransferCeiling / 1024} KB gzipped`,
  { timeout: 90_000 }, async () => {
    const files = await folderRequests('one.html', ['patterns']);
    assert.ok(files.length <= kMaxRequests, `${files.length} requests: ${files.join(', ')}`);
    assert.deepEqual(files.filter((file) => lazy.test(file) || file.endsWith('.map')), [], 'lazily loaded parts or source maps fetched');
    assert.ok(files.includes('attnrank.mjs') && files.includes('engine/engine-worker.mjs') && files.includes('wasm/attnrank.wasm'),
      files.join(', '));
    const bytes = gzippedBytes(files);
    assert.ok(bytes <= kTransferCeiling, `${files.join(', ')}: ${bytes} bytes gzip -9, over ${kTransferCeiling}`);
  });

test('a collapse figure\'s post fetches the figures\' module alone; patterns then collapse fetches the first module, then the figures\'',
  { timeout: 90_000 }, async () => {
    assert.deepEqual(wasmModules(await folderRequests('collapse.html', ['collapse'])), ['wasm/attnrank-figures.wasm']);
    const files = await folderRequests('both.html', ['patterns', 'collapse']);
    assert.deepEqual(wasmModules(files), ['wasm/attnrank.wasm', 'wasm/attnrank-figures.wasm'], files.join(', '));
    assert.ok(files.includes('wasm/attnrank-figures.mjs'), files.join(', '));
  });

test('a Chinese figure adds the Chinese words\' chunk and nothing of the lab', { timeout: 90_000 }, async () => {
  const files = await folderRequests('zh.html', ['spectra']);
  const chunks = files.filter((file) => lazy.test(file));
  assert.equal(chunks.length, 1, files.join(', '));
  assert.match(chunks[0], /^chunks\/strings-zh-[\w-]+\.mjs$/);
});

test('a train figure loads its chunk and draws its gallery', { timeout: 90_000 }, async () => {
  const files = await folderRequests('train.html', ['train']);
  assert.ok(files.some((file) => /^chunks\/train-figure-[\w-]+\.mjs$/.test(file)), files.join(', '));
  assert.ok(files.includes('lab/gallery/order.json'), files.join(', '));
  // Its gallery draws without the lab worker or the lab module (they load when it trains), on the figures'
  // module (lab_experiments, lab_verdicts) alone.
  assert.deepEqual(files.filter((file) => /^(engine\/lab-worker|wasm\/attnrank-lab)/.test(file)), [], files.join(', '));
  assert.deepEqual(wasmModules(files), ['wasm/attnrank-figures.wasm'], files.join(', '));
});

test('controls="full" loads the Image + link chunk, whose link is embed.html of the folder', { timeout: 90_000 }, async () => {
  requests.length = 0;
  const { page: opened, problems } = await openPage(browser.context, `${browser.serverUrl}full.html`, { collectCspViolations: true });
  try {
    await expectFiguresDrawn(opened, ['spectra']);
    const figure = opened.locator('attn-figure');
    await figure.locator('.image-link-bar button[data-export="image-link"]').click();
    await opened.waitForFunction(() => document.querySelector('attn-figure').shadowRoot.querySelector('.image-link')?.dataset.link);
    const link = await figure.locator('.image-link').getAttribute('data-link');
    assert.ok(link.startsWith(`${browser.serverUrl}attnrank/embed.html?kind=spectra&`), link);
    assert.deepEqual(await opened.evaluate(() => window.cspViolations), []);
    assert.deepEqual(problems, []);
  } finally {
    await opened.close();
  }
  assert.ok(requests.some((url) => /\/attnrank\/chunks\/image-link-embed-[\w-]+\.mjs$/.test(url)), requests.join(', '));
});

test('embed/attn-figure.mjs?name=attnrank-figure defines the element under that name only', { timeout: 90_000 }, async () => {
  const files = await folderRequests('name.html', [], 'attnrank-figure');
  assert.ok(files.includes('embed/attn-figure.mjs?name=attnrank-figure') && files.includes('attnrank.mjs'), files.join(', '));
});

// Every .mjs of the folder that names a source map, and the map.
async function bundledModules() {
  const entries = await readdir(dist, { recursive: true });
  const modules = [];
  for (const entry of entries.filter((name) => name.endsWith('.mjs') && !name.startsWith('wasm/'))) {
    const code = await readFile(path.join(dist, entry), 'utf8');
    const mapName = code.match(/\n\/\/# sourceMappingURL=(\S+)\n$/)?.[1];
    if (!mapName) continue;
    const map = JSON.parse(await readFile(path.join(dist, path.dirname(entry), mapName), 'utf8'));
    modules.push({ entry, code, map });
  }
  return modules;
}

test('every bundled module has a source map whose sources are web/\'s files, with their current text', async () => {
  const modules = await bundledModules();
  const names = modules.map(({ entry }) => entry);
  for (const expected of ['attnrank.mjs', 'embed/frame.mjs', 'engine/engine-worker.mjs', 'engine/lab-worker.mjs']) {
    assert.ok(names.includes(expected), `${expected} has no source map (${names.join(', ')})`);
  }
  assert.ok(names.some((name) => name.startsWith('chunks/train-figure-')), names.join(', '));
  for (const { entry, map } of modules) {
    assert.ok(map.sources.length > 0 && map.mappings.length > 0, `${entry}.map is empty`);
    for (const [index, source] of map.sources.entries()) {
      // The source's path relative to the map, in the folder's layout, which is web/'s.
      const file = path.join(web, path.posix.join(path.posix.dirname(entry), source));
      assert.ok(file.startsWith(web + path.sep) && existsSync(file), `${entry}.map names ${source}, not a file of web/`);
      assert.equal(map.sourcesContent[index], await readFile(file, 'utf8'), `${entry}.map holds an old text of ${source}`);
    }
  }
});

test('a line of the bundle maps back to its line in web/', async () => {
  const modules = await bundledModules();
  // [bundled module, text in it, web/ file it comes from]
  const probes = [
    ['attnrank.mjs', 'is already defined by another script on this page', 'embed/attn-figure.mjs'],
    ['engine/engine-worker.mjs', '../wasm/attnrank.wasm', 'engine/engine-worker.mjs'],
    ['embed/frame.mjs', 'attnrank:height', 'embed/frame.mjs'],
  ];
  for (const [entry, text, source] of probes) {
    const { code, map } = modules.find((module) => module.entry === entry);
    const offset = code.indexOf(text);
    assert.ok(offset >= 0, `${entry} lacks ${text}`);
    const before = code.slice(0, offset).split('\n');
    const found = new SourceMap(map).findEntry(before.length - 1, before.at(-1).length);
    assert.equal(path.posix.join(path.posix.dirname(entry), found.originalSource), source, `${entry}: ${text}`);
    const line = (await readFile(path.join(web, source), 'utf8')).split('\n')[found.originalLine];
    assert.ok(line.includes(text), `${entry}: ${text} maps to ${source}:${found.originalLine + 1}: ${line}`);
  }
});

test('no bundled module calls eval or new Function (the strict CSP would refuse them)', async () => {
  for (const { entry, code } of await bundledModules()) {
    assert.doesNotMatch(code, /\beval\s*\(|\bnew\s+Function\s*\(/, entry);
  }
});
