// The explorer's "Embed" buttons: each copies (or, where the clipboard is refused, shows) the
// <attn-figure> element of its figure for the current state, and the note wraps at phone width.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openPage, useBrowser } from './browser.mjs';

const browser = useBrowser({ viewport: { width: 390, height: 900 }, locale: 'en-US' });

test('Embed buttons give the figure for the current state; no overflow at 390 px', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(browser.context, `${browser.serverUrl}?n=32&d=4&scale=2&kind=linear`);
  await page.waitForSelector('body[data-updates]', { timeout: 60_000 });
  const expected = {
    'patterns-exports': '<attn-figure kind="patterns" n="32" d="4" scale="2" attention="linear"></attn-figure>',
    'raises-exports': '<attn-figure kind="raises-rank" n="32" d="4" scale="2" attention="linear"></attn-figure>',
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
