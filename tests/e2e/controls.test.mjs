// The explorer's controls are built from the core's parameter registry (web/views/control-fields.mjs):
// every page parameter has a labelled control of its type with its choices, and one that index.html does
// not place (a parameter new in the registry) still gets a working control, at the end of the first
// fieldset: it reaches the URL and the engine's configs like the others.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { contentSecurityPolicy } from '../../scripts/static-server.mjs';
import { urlParameters } from '../../web/state/parameter-registry.mjs';
import { defaultWebRoot, openPage, useBrowser } from './browser.mjs';

const kTimeoutMs = 120_000;
const webRoot = defaultWebRoot;
const browser = useBrowser({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });

test('every page parameter of the registry has its control: label, kind, choices', { timeout: 180_000 }, async () => {
  const { page, problems } = await openPage(browser.context, browser.serverUrl);
  await page.waitForSelector('body[data-state="done"]', { timeout: kTimeoutMs });
  const controls = await page.evaluate(() => [...document.querySelectorAll('[id^="control-"]')].map((element) => ({
    key: element.id.slice('control-'.length), tag: element.tagName, type: element.type,
    label: document.querySelector(`label[for="${element.id}"]`)?.dataset.i18n ?? null,
    options: element.tagName === 'SELECT' ? [...element.options].map((option) => option.value) : null,
  })));
  const byKey = new Map(controls.map((control) => [control.key, control]));
  for (const entry of urlParameters) {
    const control = byKey.get(entry.url_key);
    assert.ok(control, `no control for ${entry.url_key}`);
    assert.equal(control.label, entry.words_key, `label of ${entry.url_key}`);
    if (entry.type === 'boolean') assert.equal(control.type, 'checkbox', entry.url_key);
    if (control.options) assert.deepEqual(control.options, [...entry.choices], entry.url_key);
  }
  assert.equal(controls.length, urlParameters.length, 'no control the registry does not have');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a page parameter index.html does not place gets a working control in the first fieldset', { timeout: 180_000 }, async () => {
  const html = await readFile(path.join(webRoot, 'index.html'), 'utf8');
  const unplaced = html.replace(/\s*<div class="field" data-field="repeat"><\/div>/, '');
  assert.notEqual(unplaced, html, 'index.html places repeat');
  const { page, problems } = await openPage(browser.context, 'about:blank');
  await page.route((url) => /^\/(index\.html)?$/.test(new URL(url).pathname), (route) => route.fulfill({ status: 200,
    body: unplaced, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': contentSecurityPolicy } }));
  // Every request a worker receives, as [method, config].
  await page.addInitScript(() => {
    window.askedOfEngine = [];
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function record(message, ...rest) {
      if (typeof message?.method === 'string') window.askedOfEngine.push([message.method, message.args[0]]);
      return post.call(this, message, ...rest);
    };
  });
  await page.goto(browser.serverUrl);
  await page.waitForSelector('body[data-state="done"]', { timeout: kTimeoutMs });
  assert.equal(await page.evaluate(() => [...document.querySelectorAll('form fieldset')][0].lastElementChild?.dataset.field), 'repeat');
  const updates = await page.evaluate(() => Number(document.body.dataset.updates));
  await page.fill('#control-repeat', '5');
  await page.press('#control-repeat', 'Enter');
  await page.waitForFunction((before) => Number(document.body.dataset.updates) > before && document.body.dataset.state === 'done',
    updates, { timeout: kTimeoutMs });
  assert.equal(new URL(page.url()).searchParams.get('repeat'), '5');
  const analyses = await page.evaluate(() => window.askedOfEngine.filter(([method]) => method === 'analyze').map(([, config]) => config));
  assert.ok(analyses.some((config) => config.repeat === 5), 'the engine was asked with repeat = 5');
  assert.deepEqual(problems, []);
  await page.close();
});
