// The engine harness of the browser tests: an empty page of web/'s origin (tests/e2e/fixtures/engine-harness.html,
// served through a route under the strict CSP) that has imported web/engine/engine-client.mjs, in Debian's
// Chromium. Stand-in workers (fixtures/fake-worker.mjs) are served from the same route.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { contentSecurityPolicy } from '../../scripts/static-server.mjs';
import { openPage, root, useBrowser } from './browser.mjs';

const fixtureDir = path.join(root, 'tests', 'e2e', 'fixtures');
export const kHarnessPath = '__engine-test__/';

// The harness page of the current test file and its console errors and failed requests (each test file
// checks them last): live bindings, set by the hook useEngineHarness() registers.
export let page;
export let problems;
let closeHarness;

// Registers the hooks that open the browser and the harness page before the file's tests and close them after.
export function useEngineHarness() {
  useBrowser({}, {
    async setUp(browser) {
      ({ page, problems, close: closeHarness } = await openEngineHarness(browser));
    },
    beforeClose: () => closeHarness?.(),  // the page's pool ends before the browser closes
  });
}

async function openEngineHarness(browser) {
  const fixtures = {
    'engine-harness.html': 'text/html; charset=utf-8',
    'fake-worker.mjs': 'text/javascript; charset=utf-8',
  };
  await browser.context.route(`${browser.serverUrl}${kHarnessPath}*`, async (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop();
    if (!(name in fixtures)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, body: await readFile(path.join(fixtureDir, name)),
      headers: { 'Content-Type': fixtures[name], 'Content-Security-Policy': contentSecurityPolicy } });
  });
  const opened = await openPage(browser.context, `${browser.serverUrl}${kHarnessPath}engine-harness.html`);
  await opened.page.evaluate(async () => {
    window.engineClient = await import('/engine/engine-client.mjs');
    // Settles a promise into a plain record (an Error's message and code survive page.evaluate).
    window.settle = (promise) => promise.then((value) => ({ ok: true, value }),
      (error) => ({ ok: false, message: error.message, code: error.code, index: error.index }));
  });
  async function close() {
    await opened.page.evaluate(() => window.pool?.terminate()).catch(() => {});
  }
  return { ...opened, close };
}
