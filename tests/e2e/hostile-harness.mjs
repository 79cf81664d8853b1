// The shared set-up of the hostile-input browser tests (hostile-urls, hostile-figure, hostile.test.mjs): the
// browser with a blank page of web/'s origin for <attn-figure> cases and web/'s documents served directly for
// queries longer than the test server's header limit, pages watched for dialogs, and the checks every case
// makes (no dangerous element, the page stays usable).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { contentSecurityPolicy } from '../../scripts/static-server.mjs';
import { openPage, root, serveHarness, useBrowser } from './browser.mjs';

export const kTimeoutMs = 60_000;
export const table = JSON.parse(readFileSync(path.join(root, 'tests', 'fixtures', 'bad-inputs.json'), 'utf8'));
export const kHarnessPath = '__hostile-test__/';
// Elements a value must never create, and links a value must never make.
export const kDangerous = 'script, img, iframe, object, embed, a[href^="javascript:" i], [onerror], [onload]';

// The browser of the current test file: a live binding, set by the hook useHostileBrowser() registers.
export let browser;

// Registers the hooks that open the browser before the file's tests and close it after.
export function useHostileBrowser() {
  browser = useBrowser({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' }, { setUp: serveHostileRoutes });
}

async function serveHostileRoutes(browser) {
  // A blank page of web/'s origin for the <attn-figure> cases (the engine test's harness), and the page's
  // documents served directly when their query is longer than the test server's 16 KB header limit (a
  // site's server may take longer URLs; the page must cope with them).
  await serveHarness(browser, kHarnessPath);
  await browser.context.route((url) => url.search.length > 8000 && /^\/(index\.html|embed\.html)?$/.test(url.pathname),
    async (route) => {
      const file = new URL(route.request().url()).pathname === '/embed.html' ? 'embed.html' : 'index.html';
      return route.fulfill({ status: 200, body: await readFile(path.join(root, 'web', file)),
        headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': contentSecurityPolicy } });
    });
}

// A page with dialogs recorded (and dismissed) beside browser.mjs's problems.
export async function openWatched(url) {
  const dialogs = [];
  const opened = await openPage(browser.context, 'about:blank');
  opened.page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  await opened.page.goto(url);
  return { ...opened, dialogs };
}

export function dangerousCount(page) {
  return page.evaluate((selector) => document.querySelectorAll(selector).length, kDangerous);
}

export async function setText(page, key, value) {
  await page.fill(`#control-${key}`, String(value));
  await page.press(`#control-${key}`, 'Enter');
}

// Visible text of the page (hidden error boxes are left out) contains `message`.
export async function waitForText(page, message) {
  await page.waitForFunction((expected) => document.body.innerText.includes(expected), message,
    { timeout: 30_000, polling: 100 });
}

// A normal change draws: the patterns update at the new n.
export async function assertUsable(page, n = 24) {
  await page.waitForSelector('body[data-state]:not([data-state="computing"])', { timeout: kTimeoutMs });
  const before = Number(await page.getAttribute('body', 'data-updates') ?? 0);
  await setText(page, 'n', n);
  await page.waitForFunction((count) => Number(document.body.dataset.updates ?? 0) > count && document.body.dataset.state === 'done',
    before, { timeout: kTimeoutMs });
  const shown = await page.$$eval('#patterns-grid .pattern-panel', (panels) => panels.map((panel) => panel.dataset.n));
  assert.deepEqual(shown, [String(n), String(n), String(n), String(n)]);
}

