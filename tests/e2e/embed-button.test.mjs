// The explorer's "Embed" buttons: each copies (or, where the clipboard is refused, shows) the
// <attn-figure> element of its figure for the current state, with the keys that apply to that figure only,
// and the note wraps at phone width and goes when the state changes. The element made from a snippet shows
// the panels the explorer shows (issue 19 item 6: windows=1 gave 4 panels in the embed, 6 in the explorer).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { contentSecurityPolicy } from '../../scripts/static-server.mjs';
import { openPage, useBrowser } from './browser.mjs';

const browser = useBrowser({ viewport: { width: 390, height: 900 }, locale: 'en-US' });

test('Embed buttons give the figure for the current state; no overflow at 390 px', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(browser.context, `${browser.serverUrl}?n=32&d=4&scale=2&kind=linear`);
  await page.waitForSelector('body[data-updates]', { timeout: 60_000 });
  const expected = {
    'patterns-exports': '<attn-figure kind="patterns" n="32" d="4" scale="2" attention="linear"></attn-figure>',
    // The raises-rank figure is softmax attention whatever the page's kind: attention does not apply to it.
    'raises-exports': '<attn-figure kind="raises-rank" n="32" d="4" scale="2"></attn-figure>',
  };
  for (const [bar, snippet] of Object.entries(expected)) {
    await page.click(`#${bar} button[data-export="embed"]`);
    await page.waitForFunction((bar) => document.querySelector(`#${bar} .exports-note`).textContent.length > 0, bar);
    const note = await page.evaluate((bar) => {
      const element = document.querySelector(`#${bar} .exports-note`);
      return { snippet: element.dataset.snippet, text: element.textContent };
    }, bar);
    assert.equal(note.snippet, snippet);
    assert.ok(note.text.includes(snippet), note.text);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0, 'horizontal overflow at 390 px');
  assert.deepEqual(problems, []);
});

// A host page holding `snippet` (the Embed button's text, as an author pastes it) under the strict CSP.
async function serveHost(context, url, snippet) {
  await context.route(url, (route) => route.fulfill({ status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': contentSecurityPolicy },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title><link rel="icon" href="favicon.svg">
<script type="module" src="attnrank.mjs"></script></head><body><h2>Embedded</h2>${snippet}</body></html>` }));
}

test('the embed made from a snippet shows the explorer\'s panels (windows=1: six); the note goes when the state changes',
  { timeout: 180_000 }, async () => {
    // Keys of other figures (sweep, depth, heads) in the state: none of them may reach the patterns snippet.
    const query = 'n=16&d=4&windows=1&sweep_over=n&layers=8&heads=2&depth_metric=path_residual';
    const { page, problems } = await openPage(browser.context, `${browser.serverUrl}?${query}`);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.waitForSelector('body[data-updates]', { timeout: 60_000 });
    const shown = await page.$$eval('#patterns-grid .pattern-panel', (panels) => panels.map((panel) => panel.dataset.pattern));
    assert.equal(shown.length, 6, `explorer panels: ${shown}`);
    await page.click('#patterns-exports button[data-export="embed"]');
    await page.waitForFunction(() => document.querySelector('#patterns-exports .exports-note').dataset.snippet);
    const snippet = await page.$eval('#patterns-exports .exports-note', (note) => note.dataset.snippet);
    assert.equal(snippet, '<attn-figure kind="patterns" n="16" d="4" windows="1"></attn-figure>');

    // The state changes: the note of the old state goes. The page was loaded at the browser's phone width,
    // where the controls' panel starts closed (main.mjs), so it is opened first.
    await page.$eval('#controls-panel', (panel) => { panel.open = true; });
    await page.fill('#control-n', '32');
    await page.press('#control-n', 'Enter');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('n') === '32');
    assert.deepEqual(await page.$eval('#patterns-exports .exports-note', (note) => [note.textContent, note.dataset.snippet ?? null]), ['', null]);
    assert.deepEqual(problems, []);
    await page.close();

    const hostUrl = `${browser.serverUrl}embed-button-host.html`;
    await serveHost(browser.context, hostUrl, snippet);
    const host = await openPage(browser.context, hostUrl, { collectCspViolations: true });
    await host.page.waitForSelector('attn-figure[data-state="done"]', { timeout: 60_000 });
    const embedded = await host.page.$eval('attn-figure', (figure) => [...figure.shadowRoot.querySelectorAll('.pattern-panel')]
      .map((panel) => panel.dataset.pattern));
    assert.deepEqual(embedded, shown);
    assert.deepEqual(await host.page.evaluate(() => window.cspViolations), []);
    assert.deepEqual(host.problems, []);
    await host.page.close();
  });
