// The explorer and <attn-figure> draw each figure through the same module of web/views/figures/ (issue 14
// item 5), so for one state they ask the engine for the same analyses. Checked on the wire: every request
// a worker receives is recorded (method and config, want_matrix left out: it only adds the matrix); for
// each figure kind, the embed of that figure for the explorer's state (the Embed button's element, shown
// through embed.html) asks nothing the explorer did not ask for the same figures (the explorer asks some of
// them once for several figures: subset, not equality).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { openPage, useBrowser } from './browser.mjs';
import { figureKinds } from '../../web/embed/attribute-state.mjs';
import { embedSnippet } from '../../web/embed/snippet.mjs';
import { installPatterns } from '../../web/state/pattern-registry.mjs';
import { parseState } from '../../web/state/url-state.mjs';
import { loadAttnrank } from '../node/load-wasm.mjs';

// Non-default values of every parameter the figures' configs read.
const kQuery = 'n=24&d=4&scale=2&seed=3&prefix=8&layers=16&heads=2&sweep_over=d&sweep_values=2,4&sweep_stat=stable_rank';
const kAsked = new Set(['analyze', 'collapse', 'mixture', 'architectures', 'claims']);
const kTimeoutMs = 120_000;

const browser = useBrowser({ viewport: { width: 1280, height: 900 } });
let state;

before(async () => {
  const attnrank = await loadAttnrank();
  installPatterns(attnrank.patterns());
  const parsed = parseState(new URLSearchParams(kQuery), { ...attnrank.limits(), messages: attnrank.messages() });
  assert.deepEqual(parsed.errors, {});
  state = parsed.state;
});

// A page whose workers' requests are recorded in window.askedOfEngine as [method, ...args].
async function openRecorded(url) {
  const { page, problems } = await openPage(browser.context, 'about:blank');
  await page.addInitScript(() => {
    window.askedOfEngine = [];
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function record(message, ...rest) {
      if (typeof message?.method === 'string') window.askedOfEngine.push([message.method, ...message.args]);
      return post.call(this, message, ...rest);
    };
  });
  await page.goto(url);
  return { page, problems };
}

// The requests of a page as comparable keys: computations only, keys sorted, without want_matrix and
// memory_budget_mib (the pool's budget, which the page and the embeds' shared engine set differently).
async function askedKeys(page) {
  const asked = await page.evaluate(() => window.askedOfEngine);
  return asked.filter(([method]) => kAsked.has(method)).map(([method, config]) => {
    const { want_matrix: _matrix, memory_budget_mib: _budget, ...rest } = config ?? {};
    return JSON.stringify([method, Object.keys(rest).sort().map((key) => [key, rest[key]])]);
  });
}

// The Embed button's element for a figure under the explorer's state, as embed.html's query.
function embedQuery(state, figureKind) {
  const snippet = embedSnippet(figureKind, state);
  const attributes = [...snippet.matchAll(/ ([a-z_-]+)="([^"]*)"/g)].map(([, name, value]) => [name, value]);
  assert.ok(attributes.every(([, value]) => !/[&<>"]/.test(value)), `no escaped values in this test: ${snippet}`);
  return new URLSearchParams(attributes).toString();
}

test('for one state, every embedded figure asks the engine only what the explorer asked for the same figures', { timeout: 600_000 }, async () => {
  const explorer = await openRecorded(`${browser.serverUrl}?${kQuery}`);
  await explorer.page.waitForSelector('body[data-stages]', { timeout: kTimeoutMs });
  const explorerKeys = new Set(await askedKeys(explorer.page));
  const methods = new Set([...explorerKeys].map((key) => JSON.parse(key)[0]));
  assert.deepEqual([...methods].sort(), [...kAsked].sort(), 'the explorer ran every stage');
  const diverged = {};
  // (kind="train" is the training lab's figure, not one of the explorer's: tests/e2e/embed-train.test.mjs.)
  for (const figureKind of figureKinds.filter((kind) => kind !== 'train')) {
    const query = embedQuery(state, figureKind);
    const embed = await openRecorded(`${browser.serverUrl}embed.html?${query}`);
    await embed.page.waitForSelector('attn-figure[data-state="done"]', { timeout: kTimeoutMs });
    const keys = await askedKeys(embed.page);
    assert.ok(keys.length > 0, `${figureKind}: the embed asked the engine nothing`);
    const extra = keys.filter((key) => !explorerKeys.has(key));
    if (extra.length) diverged[figureKind] = extra;
    assert.deepEqual(embed.problems, [], figureKind);
    await embed.page.close();
  }
  assert.deepEqual(diverged, {});
  assert.deepEqual(explorer.problems, []);
  await explorer.page.close();
});
