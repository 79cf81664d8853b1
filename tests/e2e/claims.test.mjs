// The claims view (issue 7) in real Chromium, on the explorer page and as <attn-figure kind="claims">:
// every claim of docs/claims.md is shown with a tag, a source and a verdict status; C4's numerical verdict
// follows the parameters across its documented threshold (n = 64, d = 8: full numerical rank at scale
// 0.25, rank deficient at scale 4, so "holds" -> "partly"); the language switch changes the statements;
// an unknown claim id is an error naming the attribute. No console error, no CSP violation.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { openBrowser, openPage, root, useBrowser } from './browser.mjs';

const tags = ['exact', 'numerical', 'anecdotal', 'conjecture'];
const statuses = ['holds', 'fails', 'partly', 'no_verdict'];

// The claim ids of the project's claims table (docs/claims.md rows "| C<k> |").
async function documentedIds() {
  const markdown = await readFile(path.join(root, 'docs', 'claims.md'), 'utf8');
  return [...new Set([...markdown.matchAll(/^\|\s*(C[0-9]+)\s*\|/gm)].map((match) => match[1]))];
}

function cardsOf(page, selector) {
  return page.evaluate((selector) => {
    const host = document.querySelector(selector);
    const scope = host.shadowRoot ?? host;
    return [...scope.querySelectorAll('.claim-card')].map((card) => ({
      id: card.dataset.claim, tag: card.dataset.tag, status: card.dataset.status,
      statement: card.querySelector('.claim-statement').textContent,
      source: card.querySelector('.claim-source').textContent,
      test: card.querySelector('.claim-test').dataset.test,
      facts: [...card.querySelectorAll('.claim-fact dd')].map((dd) => [dd.dataset.key, dd.textContent]),
    }));
  }, selector);
}

const browser = useBrowser({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });

test('explorer: every documented claim with tag, source, status; C4 flips with the scale; zh statements', { timeout: 240_000 }, async () => {
  const ids = await documentedIds();
  assert.equal(ids.length, 17, `docs/claims.md lists ${ids.join(', ')}`);
  const { page, problems } = await openPage(browser.context, `${browser.serverUrl}?n=64&d=8&scale=0.25`);
  await page.waitForFunction(() => Number(document.getElementById('claims-list').dataset.claims) > 0, null, { timeout: 120_000 });
  const cards = await cardsOf(page, '#claims-list');
  assert.deepEqual(cards.map((card) => card.id), ids);
  for (const card of cards) {
    assert.ok(tags.includes(card.tag), `${card.id} tag ${card.tag}`);
    assert.ok(statuses.includes(card.status), `${card.id} status ${card.status}`);
    assert.match(card.source, /^Source: \S/, `${card.id} has no source`);
    assert.ok(card.statement.length > 20, `${card.id} statement "${card.statement}"`);
    if (card.tag === 'exact') assert.match(card.test, /^[A-Za-z]+\.[A-Za-z0-9_]+$/, `${card.id} names no GoogleTest`);
    for (const [key, value] of card.facts) assert.doesNotMatch(value, /NaN|Infinity|undefined|null/, `${card.id} ${key}`);
  }
  const c4 = () => cardsOf(page, '#claims-list').then((list) => list.find((card) => card.id === 'C4'));
  assert.equal((await c4()).status, 'holds', 'n = 64, d = 8, scale 0.25: a causal matrix is numerically full rank');

  await page.fill('#control-scale', '4');
  await page.press('#control-scale', 'Enter');
  await page.waitForFunction(() => document.querySelector('#claims-list [data-claim="C4"]')?.dataset.status === 'partly',
    null, { timeout: 120_000 });
  const facts = Object.fromEntries((await c4()).facts);
  assert.ok(Object.keys(facts).length >= 3, `C4 shows its numbers: ${JSON.stringify(facts)}`);

  await page.selectOption('#control-lang', 'zh');
  await page.waitForFunction(() => /[\u4e00-\u9fff]/.test(document.querySelector('#claims-list [data-claim="C1"] .claim-statement').textContent));
  const zh = await cardsOf(page, '#claims-list');
  assert.match(zh[0].source, /^出处：/);
  assert.deepEqual(problems, []);
});

test('embed: kind="claims" shows the chosen claims, follows its attributes, names a bad claim id', { timeout: 240_000 }, async () => {
  const site = await mkdtemp(path.join(tmpdir(), 'attnrank-claims-site-'));
  let embedBrowser;
  try {
    await cp(path.join(root, 'tests', 'e2e', 'fixtures', 'embed-site'), site, { recursive: true });
    execFileSync('bash', [path.join(root, 'scripts', 'build-dist.sh'), path.join(site, 'attnrank')], { stdio: 'pipe' });
    await writeFile(path.join(site, 'claims.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>claims</title><link rel="icon" href="favicon.ico">
<script type="module" src="attnrank/attnrank.mjs"></script></head><body>
<attn-figure id="c4" kind="claims" claim="C4, C17" n="64" d="8" scale="0.25"></attn-figure>
<attn-figure id="bad" kind="claims" claim="C4,C99" n="64" d="8"></attn-figure>
<attn-figure id="c9" kind="claims" claim="C9" n="64" d="8"></attn-figure>
</body></html>
`);
    embedBrowser = await openBrowser({ webRoot: site, viewport: { width: 900, height: 1200 }, requireWasm: false });
    const { page, problems } = await openPage(embedBrowser.context, `${embedBrowser.serverUrl}claims.html`, { collectCspViolations: true });
    await page.waitForFunction(() => ['c4', 'bad'].every((id) => ['done', 'error'].includes(document.getElementById(id).dataset.state)),
      null, { timeout: 120_000 });
    const shown = await cardsOf(page, '#c4');
    assert.deepEqual(shown.map((card) => [card.id, card.status]), [['C4', 'holds'], ['C17', shown[1].status]]);
    assert.equal(await page.evaluate(() => document.getElementById('bad').dataset.error),
      'claim=C99 is unknown (expected one of: C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, C13, C14, C15, C16, C17)');

    // The lab's verdict in an embeddable copy: from its copy of the gallery's index, without a rerun link
    // (the copy has no lab page).
    await page.waitForFunction(() => {
      const figure = document.getElementById('c9');
      if (figure.shadowRoot?.querySelector('.claims-list')?.dataset.lab === 'shown') return true;
      figure.scrollIntoView({ block: 'center' });
      return false;
    }, null, { timeout: 120_000, polling: 500 });
    const c9 = await page.evaluate(() => {
      const scope = document.getElementById('c9').shadowRoot;
      return { text: scope.querySelector('.claim-lab-text')?.textContent ?? '', experiments: scope.querySelectorAll('.claim-lab-experiment').length,
        links: scope.querySelectorAll('a.claim-lab-rerun').length };
    });
    assert.match(c9.text, /^C9: (supported|contradicted|inconclusive) \(/);
    assert.deepEqual([c9.experiments > 0, c9.links], [true, 0]);

    await page.evaluate(() => document.getElementById('c4').setAttribute('scale', '4'));
    await page.waitForFunction(() => document.getElementById('c4').shadowRoot.querySelector('[data-claim="C4"]')?.dataset.status === 'partly',
      null, { timeout: 120_000 });
    assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
    assert.deepEqual(problems, []);
  } finally {
    await embedBrowser?.close();
    await rm(site, { recursive: true, force: true });
  }
});

// The lab's verdicts (issue 18 item 4): C9, C11, C12 and C16 each show the training lab's verdict below their
// card, computed in the browser by the core from the gallery's index (each reference run's last record):
// its sentence is the one the gallery files store (made natively by scripts/gallery-pack.mjs), it names
// its experiments with their settings, and its link opens the lab on that experiment. The same in the
// essay's verdict boxes, and in Chinese.
const galleryDir = path.join(root, 'web', 'lab', 'gallery');
const kLabClaims = ['C9', 'C11', 'C12', 'C16'];

async function storedVerdicts() {
  const index = JSON.parse(await readFile(path.join(galleryDir, 'index.json'), 'utf8'));
  const bySettings = {};
  for (const entry of index.experiments) {
    const gallery = JSON.parse(await readFile(path.join(galleryDir, entry.file), 'utf8'));
    (bySettings[entry.settings] ??= []).push({ entry, verdicts: gallery.verdicts });
  }
  return bySettings;
}

function labBlocksOf(page, selector) {
  return page.evaluate((selector) => {
    const host = document.querySelector(selector);
    const scope = host.shadowRoot ?? host;
    return Object.fromEntries([...scope.querySelectorAll('.claim-card')].filter((card) => card.querySelector('.claim-lab'))
      .map((card) => [card.dataset.claim, [...card.querySelectorAll('.claim-lab-group')].map((group) => ({
        settings: group.dataset.settings, verdict: group.dataset.verdict,
        chip: group.querySelector('.claim-lab-verdict').textContent,
        text: group.querySelector('.claim-lab-text').textContent,
        experiments: [...group.querySelectorAll('.claim-lab-experiment')].map((item) => ({ id: item.dataset.experiment,
          text: item.textContent, href: item.querySelector('a.claim-lab-rerun')?.href ?? null })),
        comparisons: [...group.querySelectorAll('.claim-lab-comparisons li')].map((item) => item.textContent),
      }))]));
  }, selector);
}

// Every shown lab verdict against the gallery files' own (one experiment: the claim's sentence itself;
// several: each comparison).
function checkAgainstStored(blocks, stored, lang) {
  const words = (entry) => (lang === 'zh' ? entry.text_zh : entry.text_en);
  assert.deepEqual(Object.keys(blocks).sort(), [...kLabClaims].sort());
  for (const id of kLabClaims) {
    const groups = blocks[id];
    assert.deepEqual(groups.map((group) => group.settings),
      Object.keys(stored).filter((settings) => stored[settings].some(({ verdicts }) => verdicts.claims.some((c) => c.claim === id && c.experiments.length))),
      `${id}: a verdict per settings that tested it`);
    for (const group of groups) {
      const files = stored[group.settings].filter(({ verdicts }) => verdicts.claims.some((c) => c.claim === id && c.experiments.length));
      assert.deepEqual(group.experiments.map((e) => e.id), files.map(({ entry }) => entry.id));
      const comparisons = files.flatMap(({ verdicts }) => verdicts.comparisons.filter((c) => c.claim === id));
      assert.deepEqual(group.comparisons, comparisons.map(words), `${id} ${group.settings}: the core's comparisons`);
      if (files.length === 1) {
        const claim = files[0].verdicts.claims.find((c) => c.claim === id);
        assert.equal(group.text, words(claim), `${id} ${group.settings}: the core's sentence`);
        assert.equal(group.verdict, claim.verdict);
      }
      for (const [k, experiment] of group.experiments.entries()) {
        const { options, seeds } = files[k].entry;
        assert.ok(experiment.text.includes(String(options.steps)) && experiment.text.includes(seeds.join(', ')),
          `${id}: ${experiment.text} names the steps and seeds`);
        assert.ok(experiment.href, `${id} ${experiment.id}: a rerun link`);
        const url = new URL(experiment.href);
        assert.ok(url.pathname.endsWith('/lab.html'));
        assert.equal(url.searchParams.get('experiment'), experiment.id);
        if (group.settings === 'default') assert.equal(url.searchParams.get('steps'), null);
        else assert.equal(Number(url.searchParams.get('steps')), options.steps);
        assert.equal(url.searchParams.get('lang'), lang === 'zh' ? 'zh' : null);
      }
    }
  }
}

test('lab verdicts: C9, C11, C12, C16 on the explorer with experiment, settings and rerun link; zh; the link opens the lab', { timeout: 300_000 }, async () => {
  const stored = await storedVerdicts();
  const { page, problems } = await openPage(browser.context, `${browser.serverUrl}?n=64&d=8`, { collectCspViolations: true });
  // The lab's module (views/lab-claims.mjs; the site's chunks/lab-claims-<hash>.mjs) and the gallery's index are
  // fetched only once a lab-tested card is near the viewport.
  const lazy = [];
  page.on('request', (request) => { if (/lab-claims(-[\w-]+)?\.mjs|gallery\/index\.json/.test(request.url())) lazy.push(request.url()); });
  await page.waitForFunction(() => document.getElementById('claims-list').dataset.lab === 'waiting', null, { timeout: 180_000 });
  await page.waitForTimeout(500);
  assert.deepEqual(lazy, [], 'nothing of the lab is fetched before a lab-tested claim is shown');
  await page.locator('#claims-list .claim-card[data-claim="C9"]').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.getElementById('claims-list').dataset.lab === 'shown', null, { timeout: 180_000 });
  assert.equal(lazy.length, 2, lazy.join(', '));
  checkAgainstStored(await labBlocksOf(page, '#claims-list'), stored, 'en');
  // The claims that are not the lab's keep their cards as they were.
  assert.equal(await page.locator('#claims-list .claim-card[data-claim="C4"] .claim-lab').count(), 0);
  assert.equal(await page.locator('#claims-list .claim-card[data-claim="C9"]').getAttribute('data-tag'), 'anecdotal');

  await page.selectOption('#control-lang', 'zh');
  await page.waitForFunction(() => /[\u4e00-\u9fff]/.test(document.querySelector('#claims-list .claim-lab-text')?.textContent ?? '')
    && document.getElementById('claims-list').dataset.lab === 'shown', null, { timeout: 60_000 });
  checkAgainstStored(await labBlocksOf(page, '#claims-list'), stored, 'zh');
  await page.selectOption('#control-lang', 'en');
  await page.waitForFunction(() => document.getElementById('claims-list').dataset.lab === 'shown'
    && !/[\u4e00-\u9fff]/.test(document.querySelector('#claims-list .claim-lab-text')?.textContent ?? 'x'), null, { timeout: 60_000 });

  await page.click('#claims-list .claim-card[data-claim="C11"] .claim-lab-group[data-settings="default"] a.claim-lab-rerun');
  await page.waitForURL(/lab\.html\?experiment=mlm$/);
  await page.waitForFunction(() => document.getElementById('lab-control-experiment')?.value === 'mlm', null, { timeout: 60_000 });
  await page.waitForFunction(() => !document.getElementById('lab-run').disabled, null, { timeout: 120_000 });
  assert.deepEqual(await page.evaluate(() => window.cspViolations ?? []), []);
  assert.deepEqual(problems, []);
});

test('lab verdicts in the essay\'s verdict boxes (C9, C11, C16, C12)', { timeout: 300_000 }, async () => {
  const stored = await storedVerdicts();
  const { page, problems } = await openPage(browser.context, `${browser.serverUrl}essay.html`, { collectCspViolations: true });
  for (const id of kLabClaims) {
    const selector = `attn-figure[kind="claims"][claim="${id}"]`;
    // Brought into view until its lab verdict shows (the figures above it change height as they draw).
    await page.waitForFunction((selector) => {
      const figure = document.querySelector(selector);
      if (figure?.shadowRoot?.querySelector('.claims-list')?.dataset.lab === 'shown') return true;
      figure?.scrollIntoView({ block: 'center' });
      return false;
    }, selector, { timeout: 180_000, polling: 500 });
    const blocks = await labBlocksOf(page, selector);
    const files = stored.default.filter(({ verdicts }) => verdicts.claims.some((c) => c.claim === id && c.experiments.length));
    assert.equal(blocks[id][0].settings, 'default');
    assert.deepEqual(blocks[id][0].experiments.map((e) => e.id), files.map(({ entry }) => entry.id));
    if (files.length === 1) assert.equal(blocks[id][0].text, files[0].verdicts.claims.find((c) => c.claim === id).text_en);
  }
  assert.deepEqual(await page.evaluate(() => window.cspViolations ?? []), []);
  assert.deepEqual(problems, []);
});
