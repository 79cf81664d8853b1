// Shared set-up of the browser tests: Debian's Chromium through playwright-core with the flags verified on
// these machines (design.md section 4), a fresh profile and HOME in a temp dir, and the site README's command 1
// serves (build/site: web/ with the explorer's modules bundled, scripts/build-site.mjs; it must be built after
// web/'s last change, else the tests stop and say so) served on a free loopback port by scripts/static-server.mjs. openBrowser() -> { context, serverUrl, close() };
// useBrowser() registers the hooks that open one for a test file (or describe block) and close it after;
// openPage(context, url) -> { page, problems }; serveHarness() serves the blank harness page of web/'s origin.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';

import { chromium } from 'playwright-core';

import { defaultSiteDir, staleSource } from '../../scripts/build-site.mjs';
import { contentSecurityPolicy, startServer } from '../../scripts/static-server.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const chromiumPath = '/usr/bin/chromium';

// playwright adds --headless itself.
export const chromiumFlags = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

// The folder the tests serve: build/site (what `bash scripts/serve.sh` serves), or $ATTNRANK_WEB_ROOT (another
// copy of web/ or of a site, e.g. with another build's wasm in its wasm/, served as it is).
export const defaultWebRoot = process.env.ATTNRANK_WEB_ROOT ? path.resolve(process.env.ATTNRANK_WEB_ROOT) : defaultSiteDir;

// webRoot: the folder served (default defaultWebRoot); requireWasm: assert that its wasm module is built (tests that
// load only the renderers do not need it); locale and deviceScaleFactor go to the browser context as given.
export async function openBrowser({
  viewport = { width: 900, height: 1100 }, locale, deviceScaleFactor, webRoot = defaultWebRoot, requireWasm = true,
  extraArgs = [],
} = {}) {
  if (path.resolve(webRoot) === defaultSiteDir) {
    const stale = await staleSource(defaultSiteDir);
    assert.equal(stale, null, `${stale}: run node scripts/build-site.mjs (after bash build-wasm.sh --module)`);
  }
  if (requireWasm) assert.ok(existsSync(path.join(webRoot, 'wasm', 'attnrank.wasm')), `${webRoot}/wasm/ is missing: run ./build-wasm.sh`);
  assert.ok(existsSync(chromiumPath), `${chromiumPath} is missing: run scripts/install-deps.sh`);
  const { server, url: serverUrl } = await startServer({ root: webRoot, port: 0 });
  const scratch = await mkdtemp(path.join(tmpdir(), 'attnrank-e2e-'));
  await mkdir(path.join(scratch, 'home'));
  let context;
  try {
    context = await chromium.launchPersistentContext(path.join(scratch, 'profile'), {
      executablePath: chromiumPath,
      headless: true,
      args: [...chromiumFlags, ...extraArgs],  // extraArgs: a test's own flags (the soak's --expose-gc)
      env: { ...process.env, HOME: path.join(scratch, 'home') },
      viewport,
      ...(locale === undefined ? {} : { locale }),
      ...(deviceScaleFactor === undefined ? {} : { deviceScaleFactor }),
    });
  } catch (error) {
    server.close();
    await rm(scratch, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    serverUrl,
    async close() {
      await context.close();
      await new Promise((resolve) => server.close(resolve));
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

// Registers, in the current test file or describe block, a before hook that opens a browser and an after
// hook that closes it; returns that browser (context, serverUrl and close() are set once the hook has run).
// options: openBrowser's, or an async function that returns them (run in the hook). setUp(browser): what the
// file needs of the open browser (routes, a first page), run in the same hook: node 20 does not wait for one
// file-level before hook to finish before it starts the next (checked: a second hook ran while the first one
// awaited), so a separate hook could find the browser not open yet. beforeClose(browser): run before closing.
export function useBrowser(options = {}, { setUp, beforeClose } = {}) {
  const browser = {};
  before(async () => {
    Object.assign(browser, await openBrowser(typeof options === 'function' ? await options() : options));
    await setUp?.(browser);
  });
  after(async () => {
    try {
      await beforeClose?.(browser);
    } finally {
      await browser.close?.();
    }
  });
  return browser;
}

// Serves tests/e2e/fixtures/engine-harness.html, a blank page of web/'s origin under the strict CSP, at every
// path of browser's server that starts with /<harnessPath> (the reliability, soak, lab worker and hostile tests).
export async function serveHarness(browser, harnessPath) {
  await browser.context.route((url) => url.pathname.startsWith(`/${harnessPath}`), async (route) => route.fulfill({
    status: 200, body: await readFile(path.join(root, 'tests', 'e2e', 'fixtures', 'engine-harness.html')),
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': contentSecurityPolicy },
  }));
}

// A new page with console errors, page errors, failed requests and HTTP errors collected in `problems`.
// collectCspViolations: an init script, run before the page's own, records every CSP violation in
// window.cspViolations ('<directive> blocked <URI>').
export async function openPage(context, url, { collectCspViolations = false } = {}) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  if (collectCspViolations) {
    await page.addInitScript(() => {
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
      });
    });
  }
  await page.goto(url);
  return { page, problems };
}
