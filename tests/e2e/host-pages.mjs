// Host pages for the browser tests of the embed (theme, accessibility): the files of
// tests/e2e/fixtures/host-pages/ served at /host-pages/<file> on the web root's origin (so their module
// script loads web/attnrank.mjs), with the static server's CSP. ?lang=zh serves a page as a Chinese
// one (<html lang="zh-CN">). Not a test itself.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { contentSecurityPolicy } from '../../scripts/static-server.mjs';
import { root } from './browser.mjs';

const folder = path.join(root, 'tests', 'e2e', 'fixtures', 'host-pages');
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8' };

// Serves the host pages to every page of context (a browser context of openBrowser).
export async function serveHostPages(context, serverUrl) {
  await context.route(`${serverUrl}host-pages/**`, async (route) => {
    const url = new URL(route.request().url());
    const name = path.basename(url.pathname);
    let body = await readFile(path.join(folder, name), 'utf8');
    if (url.searchParams.get('lang') === 'zh') body = body.replace('<html lang="en">', '<html lang="zh-CN">');
    await route.fulfill({ status: 200, body, headers: { 'Content-Type': types[path.extname(name)], 'Content-Security-Policy': contentSecurityPolicy } });
  });
}
