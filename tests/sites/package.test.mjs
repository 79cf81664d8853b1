// The npm package and the dist archive (scripts/build-package.sh), as an author gets them: the tarball's
// package.json (the project's version, an exports map whose targets exist, files, types, customElements), its
// custom-elements.json against the element's real attributes (attribute-state.mjs observedAttributes) and its
// attnrank.d.ts against the element's kinds; then `npm install` of the tarball into a scratch site, offline (in
// an empty network namespace where the system allows it, and with --offline), and a plain page of that site
// that loads node_modules/attnrank/attnrank.mjs: its figures render in Chromium under the strict CSP, with no
// console error and no request outside the site. Then a Vite site (tests/sites/vite/, the recipe of
// docs/embedding.md section 1, with the repository's own vite devDependency) installs the same tarball and builds
// with `npm run build`, which copies the package into public/: its page renders the same way. The dist archive
// holds the same embeddable folder. And the folder served from another origin fails as docs/embedding.md says.
// Env: ATTNRANK_PACKAGE, another build-package.sh output folder (default build/package).
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';

import { figureKinds, observedAttributes, trainAttributes } from '../../web/embed/attribute-state.mjs';
import { optionKeys } from '../../web/lab/lab-state.mjs';
import { openBrowser, openPage, root } from '../e2e/browser.mjs';
import { projectVersion } from '../../scripts/package-json.mjs';
import { expectFiguresDrawn } from './site-checks.mjs';

const built = path.resolve(process.env.ATTNRANK_PACKAGE ?? path.join(root, 'build', 'package'));
const version = projectVersion();
const tarball = path.join(built, `attnrank-${version}.tgz`);
const archive = path.join(built, `attnrank-dist-${version}.tar.gz`);
const offline = spawnSync('unshare', ['--net', 'true']).status === 0 ? ['unshare', '--net'] : [];
const run = promisify(execFile);

// The plain page of the scratch site: the package served from node_modules as npm installed it.
const kPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="node_modules/attnrank/favicon.svg">
<title>attnrank from npm</title>
<script type="module" src="node_modules/attnrank/attnrank.mjs"></script>
</head>
<body>
<h1>attnrank from npm</h1>
<h2>Figures</h2>
<attn-figure kind="patterns" n="16" d="4" seed="7"></attn-figure>
<attn-figure kind="spectra" n="16" d="4" seed="7"></attn-figure>
</body>
</html>
`;

let scratch;
let installed;
let browser;

// Runs an npm command in folder, offline (the scratch's cache, its HOME; the repository's node_modules/.bin, where
// vite is, on the PATH after the folder's own).
async function npm(folder, args) {
  const argv = [...offline, 'npm', ...args, '--offline', '--no-audit', '--no-fund', '--loglevel=error', '--cache', path.join(scratch, 'npm-cache')];
  const env = { ...process.env, HOME: scratch, PATH: `${path.join(root, 'node_modules', '.bin')}:${process.env.PATH}` };
  try {
    await run(argv[0], argv.slice(1), { cwd: folder, timeout: 60_000, env });
  } catch (error) {
    assert.fail(`npm failed in ${folder}: ${argv.join(' ')}\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
  }
}

before(async () => {
  assert.ok(existsSync(tarball), `${tarball} is missing: run bash scripts/build-package.sh`);
  scratch = await mkdtemp(path.join(tmpdir(), 'attnrank-package-'));
  const site = path.join(scratch, 'site');
  await mkdir(site);
  await writeFile(path.join(site, 'package.json'), `${JSON.stringify({ name: 'scratch-site', private: true }, null, 2)}\n`);
  await npm(site, ['install', tarball]);
  installed = path.join(site, 'node_modules', 'attnrank');
  await writeFile(path.join(site, 'index.html'), kPage);
  browser = await openBrowser({ webRoot: site, requireWasm: false });
});

after(async () => {
  await browser?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const readJson = async (file) => JSON.parse(await readFile(file, 'utf8'));

test('package.json: the project\'s version, a module, exports that exist, files, types, customElements', async () => {
  const manifest = await readJson(path.join(installed, 'package.json'));
  assert.equal(manifest.name, 'attnrank');
  assert.equal(manifest.version, version);
  assert.equal(manifest.type, 'module');
  assert.equal(manifest.private, undefined);
  assert.equal(manifest.types, './attnrank.d.ts');
  assert.equal(manifest.customElements, './custom-elements.json');
  assert.deepEqual(manifest.exports['.'], { types: './attnrank.d.ts', default: './attnrank.mjs' });
  assert.equal(manifest.exports['./element'].default, './embed/attn-figure.mjs');
  assert.equal(manifest.exports['./engine-worker'], './engine/engine-worker.mjs');
  assert.equal(manifest.exports['./attnrank.wasm'], './wasm/attnrank.wasm');
  const targets = Object.values(manifest.exports).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target)));
  for (const target of targets.filter((entry) => !entry.includes('*'))) {
    assert.ok(existsSync(path.join(installed, target)), `exports names ${target}, which the installed package lacks`);
  }
  for (const entry of manifest.files) assert.ok(existsSync(path.join(installed, entry)), `files names ${entry}, not installed`);
  // The element resolves its worker relative to its own unbundled place (embed/shared-engine.mjs, bundled into
  // attnrank.mjs by scripts/bundle.mjs): the worker is where it looks.
  const element = await readFile(path.join(installed, 'attnrank.mjs'), 'utf8');
  assert.match(element, /new URL\("\.\.\/engine\/engine-worker\.mjs",\s*new URL\("embed\/shared-engine\.mjs",\s*import\.meta\.url\)/);
});

test('custom-elements.json: <attn-figure> with exactly the attributes the element observes', async () => {
  const manifest = await readJson(path.join(installed, 'custom-elements.json'));
  assert.equal(manifest.schemaVersion, '2.0.0');
  const declarations = manifest.modules.flatMap((module) => module.declarations);
  const element = declarations.find((declaration) => declaration.tagName === 'attn-figure');
  assert.ok(element, 'no declaration of attn-figure');
  assert.ok(existsSync(path.join(installed, manifest.modules.find((module) => module.declarations.includes(element)).path)));
  const documented = element.attributes.map((attribute) => attribute.name);
  assert.equal(new Set(documented).size, documented.length, 'an attribute named twice');
  for (const name of documented) assert.ok(observedAttributes.includes(name), `the manifest names ${name}, which the element does not observe`);
  // Every observed attribute is documented, but for the URL spellings with '_' of documented ones (sweep_over)
  // and the train parameters the element observes but a train figure does not read (lab-state.mjs optionKeys).
  const read = new Set(['seeds', ...optionKeys.map((key) => key.replaceAll('_', '-'))]);
  const undocumented = observedAttributes.filter((name) => !documented.includes(name)
    && !(name.includes('_') && documented.includes(name.replaceAll('_', '-')))
    && !(trainAttributes.includes(name) && !read.has(name) && !['experiment', 'view', 'configuration', 'autorun'].includes(name)));
  assert.deepEqual(undocumented, [], 'attributes the element observes that the manifest does not document');
  const kind = element.attributes.find((attribute) => attribute.name === 'kind');
  assert.equal(kind.type.text, figureKinds.map((name) => `'${name}'`).join(' | '));
  for (const attribute of element.attributes) assert.ok(attribute.description.length > 20, `${attribute.name} has no description`);
  assert.deepEqual(element.events.map((event) => event.name), ['attn-figure-done', 'attn-figure-error']);
});

test('attnrank.d.ts: HTMLElementTagNameMap maps attn-figure, FigureKind is the element\'s kinds', async () => {
  const types = await readFile(path.join(installed, 'attnrank.d.ts'), 'utf8');
  assert.match(types, /interface HTMLElementTagNameMap \{\s*'attn-figure': AttnFigure;\s*\}/);
  assert.match(types, /export declare class AttnFigure extends HTMLElement/);
  const union = types.match(/export type FigureKind =([^;]*);/)[1];
  assert.deepEqual([...union.matchAll(/'([a-z-]+)'/g)].map((match) => match[1]), [...figureKinds]);
});

test('the dist archive holds the embeddable folder the package holds', async () => {
  const { stdout } = await run('tar', ['-tzf', archive]);
  const listed = stdout.split('\n').filter((line) => line && !line.endsWith('/')).map((line) => line.replace(/^attnrank\//, '')).sort();
  const { stdout: packed } = await run('tar', ['-tzf', tarball]);
  const extras = new Set(['package.json', 'README.md', 'attnrank.d.ts', 'custom-elements.json']);
  const inPackage = packed.split('\n').filter(Boolean).map((line) => line.replace(/^package\//, '')).filter((name) => !extras.has(name)).sort();
  assert.deepEqual(listed, inPackage);
  for (const file of ['attnrank.mjs', 'attnrank-classic.js', 'embed/attn-figure.mjs', 'engine/engine-worker.mjs', 'wasm/attnrank.wasm', 'embed.html']) {
    assert.ok(listed.includes(file), `the archive lacks attnrank/${file}`);
  }
});

// Opens url: its figures (kinds, in order) draw under the strict CSP, with no console problem and no request
// outside prefix; the wasm module comes from wasmPath.
async function expectPageRenders(url, prefix, kinds, wasmPath) {
  const requests = [];
  const record = (request) => requests.push(request.url());
  const watch = (page) => page.on('request', record);
  browser.context.on('page', watch);
  const { page, problems } = await openPage(browser.context, url, { collectCspViolations: true });
  try {
    await expectFiguresDrawn(page, kinds);
    assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
    assert.deepEqual(requests.filter((request) => !request.startsWith(prefix)), [], 'requests outside the site');
    assert.ok(requests.includes(`${prefix}${wasmPath}`), `the wasm module is not ${prefix}${wasmPath}`);
    assert.deepEqual(problems, []);
  } finally {
    browser.context.off('page', watch);
    await page.close();
  }
}

test('docs/embedding.md quotes the tested Vite recipe verbatim', async () => {
  const docs = await readFile(path.join(root, 'docs', 'embedding.md'), 'utf8');
  for (const file of ['package.json', 'index.html', 'vite.config.js']) {
    const text = (await readFile(path.join(root, 'tests', 'sites', 'vite', file), 'utf8')).trimEnd();
    assert.ok(docs.includes(text), `docs/embedding.md does not contain tests/sites/vite/${file} as is`);
  }
});

test('a plain page of the site that installed the tarball renders its figures under the strict CSP', { timeout: 90_000 }, async () => {
  await expectPageRenders(browser.serverUrl, browser.serverUrl, ['patterns', 'spectra'], 'node_modules/attnrank/wasm/attnrank.wasm');
});

// docs/embedding.md section 1 says a CDN's script tag cannot work: the folder on another origin (with CORS, as a
// CDN serves it) loads and defines the element, and the figure then fails to start its module worker.
test('the folder served from another origin (a CDN\'s script tag) fails: no cross-origin module worker', { timeout: 60_000 }, async () => {
  const types = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
  const context = browser.context;
  const cdn = async (route) => {
    const file = path.join(installed, new URL(route.request().url()).pathname);
    const body = await readFile(file).catch(() => null);
    await route.fulfill(body === null ? { status: 404, body: '' }
      : { status: 200, body, headers: { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream', 'Access-Control-Allow-Origin': '*' } });
  };
  const blog = (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><html lang="en"><head>' +
    '<title>A post</title><script type="module" src="http://cdn.test/attnrank.mjs"></script></head>' +
    '<body><attn-figure kind="patterns" n="16" d="4"></attn-figure></body></html>' });
  await context.route('http://cdn.test/**', cdn);
  await context.route('http://blog.test/**', blog);
  const page = await context.newPage();
  try {
    await page.goto('http://blog.test/');
    await page.waitForFunction(() => ['done', 'error'].includes(document.querySelector('attn-figure').dataset.state), null, { timeout: 30_000 });
    assert.equal(await page.$eval('attn-figure', (element) => element.dataset.state), 'error');
    const message = await page.$eval('attn-figure', (element) => element.shadowRoot.textContent);
    assert.match(message, /Failed to construct 'Worker': Script at 'http:\/\/cdn\.test\/engine\/engine-worker\.mjs' cannot be accessed from origin 'http:\/\/blog\.test'/);
  } finally {
    await page.close();
    await context.unroute('http://cdn.test/**', cdn);
    await context.unroute('http://blog.test/**', blog);
  }
});

test('a Vite site that installed the tarball builds and renders its figures under the strict CSP', { timeout: 120_000 }, async () => {
  const vite = path.join(root, 'node_modules', '.bin', 'vite');
  assert.ok(existsSync(vite), `${vite} is missing: run npm ci (vite is a devDependency)`);
  // Inside the served site, so the built pages are served under /vite/dist/ (a base path, as project pages are).
  const site = path.join(scratch, 'site', 'vite');
  await cp(path.join(root, 'tests', 'sites', 'vite'), site, { recursive: true });
  await npm(site, ['install', tarball]);
  await npm(site, ['run', 'build']);
  const html = await readFile(path.join(site, 'dist', 'index.html'), 'utf8');
  assert.ok(html.includes('<script type="module" src="./attnrank/attnrank.mjs"></script>'), `vite's page:\n${html}`);
  await expectPageRenders(`${browser.serverUrl}vite/dist/`, `${browser.serverUrl}vite/dist/`, ['patterns', 'spectra'], 'attnrank/wasm/attnrank.wasm');
});
