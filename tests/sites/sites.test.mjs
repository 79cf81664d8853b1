// The embeddable folder in five real static sites and a plain page: copies dist/attnrank/ into a scratch
// copy of the minimal Jekyll, Hugo, MkDocs, pandoc, Eleventy and HTML sources here, builds the first five with
// Debian's jekyll, hugo, mkdocs and pandoc and npm's Eleventy (without network when `unshare --net` is allowed), serves all six on
// 127.0.0.1 under the strict CSP of scripts/static-server.mjs, and opens each post in Chromium: every
// <attn-figure> must reach data-state="done" and draw, with no console error or warning (page or worker), no
// CSP violation and no request outside the site's own folder (/jekyll/, /hugo/, ...: sites under a base path,
// as project pages are). docs/embedding.md must quote the snippets verbatim. What the figures show is tests/e2e's job.
// Env: ATTNRANK_DIST, another embeddable folder (default dist/attnrank, made by scripts/build-dist.sh).
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';

import { openBrowser, openPage, root } from '../e2e/browser.mjs';
import { expectFiguresDrawn } from './site-checks.mjs';

const dist = path.resolve(process.env.ATTNRANK_DIST ?? path.join(root, 'dist', 'attnrank'));
const sourcesDir = path.join(root, 'tests', 'sites');
const kBuildTimeoutMs = 60_000;

// One entry per site: where the embeddable folder goes in its sources, how to build it with a base path
// (none for plain HTML: copied as is), what to copy beside the built pages (a tool that writes one page only),
// the post to open, its script tag and the kinds it embeds (in order), and the snippet files that
// docs/embedding.md quotes.
const sites = [
  {
    name: 'jekyll',
    staticDir: '.',  // Jekyll copies any folder not starting with "_" as is
    // --safe: plugins off, as on GitHub Pages.
    build: (source, destination) => ['jekyll', ['build', '--safe', '--source', source, '--destination', destination, '--baseurl', '/jekyll']],
    post: 'posts/attention-figures/index.html',
    scriptTag: '<script type="module" src="/jekyll/attnrank/attnrank.mjs">',
    kinds: ['patterns', 'spectra'],
    snippets: ['_includes/attn-figure.html', '_posts/2026-11-28-attention-figures.md'],
  },
  {
    name: 'hugo',
    staticDir: 'static',
    build: (source, destination) => ['hugo', ['--source', source, '--destination', destination, '--baseURL', '/hugo/']],
    post: 'posts/attention-figures/index.html',
    scriptTag: '<script type="module" src="/hugo/attnrank/attnrank.mjs">',
    kinds: ['patterns', 'spectra'],
    snippets: ['layouts/shortcodes/attn-figure.html', 'content/posts/attention-figures.md'],
  },
  {
    name: 'mkdocs',
    staticDir: 'docs',  // MkDocs copies every file of docs/ that is not Markdown as is
    // test.yml: mkdocs.yml with a theme that writes no inline script (tests/sites/mkdocs/test.yml says why).
    // MkDocs writes relative links only, so the site works under any base path. --strict: warnings fail.
    build: (source, destination) => ['mkdocs', ['build', '--strict', '--quiet', '--config-file', path.join(source, 'test.yml'),
      '--site-dir', destination]],
    post: 'posts/attention-figures/index.html',
    scriptTag: '<script src="../../attnrank/attnrank-classic.js" defer>',
    kinds: ['patterns', 'spectra'],
    snippets: ['mkdocs.yml', 'docs/posts/attention-figures.md'],
  },
  {
    name: 'pandoc',
    staticDir: '.',
    build: (source, destination) => ['pandoc', [path.join(source, 'post.md'), '--standalone', '--template', path.join(source, 'template.html'),
      '--output', path.join(destination, 'post.html')]],
    copy: ['attnrank', 'favicon.svg'],
    post: 'post.html',
    scriptTag: '<script type="module" src="attnrank/attnrank.mjs">',
    kinds: ['patterns', 'spectra'],
    snippets: ['post.md', 'template.html'],
  },
  {
    name: 'eleventy',
    staticDir: '.',  // eleventy.config.mjs: a passthrough copy of attnrank/, ignored as templates
    // Eleventy 3 from npm (a dev dependency), run from the site's folder as `npx @11ty/eleventy` would be;
    // --pathprefix gives the site's base path to the layout's `url` filter.
    build: (source, destination) => [process.execPath, [path.join(root, 'node_modules', '@11ty', 'eleventy', 'cmd.cjs'),
      '--quiet', '--output', destination, '--pathprefix', '/eleventy/'], { cwd: source }],
    post: 'posts/attention-figures/index.html',
    scriptTag: '<script type="module" src="/eleventy/attnrank/attnrank.mjs">',
    kinds: ['patterns', 'spectra'],
    snippets: ['eleventy.config.mjs', '_includes/post.njk', 'posts/attention-figures.md'],
  },
  {
    name: 'html',
    staticDir: '.',
    build: null,
    post: 'post.html',
    scriptTag: '<script type="module" src="attnrank/attnrank.mjs">',
    kinds: ['patterns', 'spectra'],
    snippets: ['post.html'],
  },
];

// The builds must not need the network: run them in an empty network namespace where the system allows
// it (root, or unprivileged user namespaces); elsewhere they run as is (CI here is root).
const offline = spawnSync('unshare', ['--net', 'true']).status === 0 ? ['unshare', '--net'] : [];

let scratch;
let browser;
const requestsByPage = new Map();  // page -> every URL it or its workers asked for

before(async () => {
  assert.ok(existsSync(path.join(dist, 'attnrank.mjs')), `${dist}/attnrank.mjs is missing: run bash scripts/build-dist.sh`);
  scratch = await mkdtemp(path.join(tmpdir(), 'attnrank-sites-'));
  const served = path.join(scratch, 'www');
  await mkdir(served);
  // Sequential builds: jekyll (ruby start-up) takes ~0.5 s, mkdocs and eleventy ~1 s, hugo and pandoc ~0.1 s.
  for (const site of sites) {
    const source = path.join(scratch, 'src', site.name);
    await cp(path.join(sourcesDir, site.name), source, { recursive: true });
    await cp(dist, path.join(source, site.staticDir, 'attnrank'), { recursive: true });
    if (!site.build) {
      await cp(source, path.join(served, site.name), { recursive: true });
      continue;
    }
    const destination = path.join(served, site.name);
    await mkdir(destination);
    const [command, args, options = {}] = site.build(source, destination);
    const argv = [...offline, command, ...args];
    try {  // HOME in the scratch folder: hugo's and jekyll's caches land there, not in the user's home
      await promisify(execFile)(argv[0], argv.slice(1), { ...options, timeout: kBuildTimeoutMs, env: { ...process.env, HOME: scratch } });
    } catch (error) {
      assert.fail(`${site.name} build failed: ${argv.join(' ')}\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
    }
    for (const name of site.copy ?? []) await cp(path.join(source, name), path.join(destination, name), { recursive: true });
  }
  browser = await openBrowser({ webRoot: served, requireWasm: false });
  // Attached when a page is created, i.e. before openPage navigates: every request of the page and of its
  // workers (the page's console, collected by openPage, already includes its workers' messages).
  browser.context.on('page', (page) => {
    const requests = [];
    requestsByPage.set(page, requests);
    page.on('request', (request) => requests.push(request.url()));
  });
});

after(async () => {
  await browser?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

for (const site of sites) {
  test(`${site.name}: the built post loads the script once and shows ${site.kinds.join(', ')}`, async () => {
    const html = await readFile(path.join(scratch, 'www', site.name, site.post), 'utf8');
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.deepEqual(scripts, [site.scriptTag]);
    const kinds = [...html.matchAll(/<attn-figure\b[^>]*\bkind="([^"]*)"/g)].map((match) => match[1]);
    assert.deepEqual(kinds, site.kinds);
  });

  // A tool that reads the folder's files as templates (Eleventy without its ignore renders embed.html into
  // attnrank/embed/index.html too) changes the folder while every figure of the post still renders.
  test(`${site.name}: the built site holds the folder's files, unchanged and no others`, async () => {
    const builtFolder = path.join(scratch, 'www', site.name, 'attnrank');
    const list = async (folder) => (await readdir(folder, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile()).map((entry) => path.relative(folder, path.join(entry.parentPath ?? entry.path, entry.name))).sort();
    assert.deepEqual(await list(builtFolder), await list(dist));
    for (const file of ['attnrank.mjs', 'embed.html']) {
      const built = await readFile(path.join(builtFolder, file));
      assert.ok(built.equals(await readFile(path.join(dist, file))), `${site.name}: attnrank/${file} differs from the folder's`);
    }
  });

  test(`${site.name}: docs/embedding.md quotes the tested snippets verbatim`, async () => {
    const docs = await readFile(path.join(root, 'docs', 'embedding.md'), 'utf8');
    for (const file of site.snippets) {
      const text = (await readFile(path.join(sourcesDir, site.name, file), 'utf8')).trimEnd();
      assert.ok(docs.includes(text), `docs/embedding.md does not contain tests/sites/${site.name}/${file} as is`);
    }
  });

  test(`${site.name}: every figure renders under the strict CSP, nothing outside /${site.name}/ requested`, { timeout: 90_000 }, async () => {
    const url = `${browser.serverUrl}${site.name}/${site.post.replace(/index\.html$/, '')}`;
    const { page, problems } = await openPage(browser.context, url, { collectCspViolations: true });
    try {
      await expectFiguresDrawn(page, site.kinds);
      const requests = requestsByPage.get(page);
      assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
      const outside = requests.filter((request) => !request.startsWith(`${browser.serverUrl}${site.name}/`));
      assert.deepEqual(outside, [], 'requests outside the site');
      assert.deepEqual(problems, []);
      assert.ok(requests.some((request) => request.endsWith('/attnrank/attnrank.mjs')));
    } finally {
      await page.close();
    }
  });
}
