// node --test: the lab's verdicts the claims view shows (web/views/lab-claims.mjs, issue 18 item 4).
// - For every settings group of the gallery's index (the default settings; the long runs when their files
//   exist), the browser's input to the core (finalsJsonl: each run's last record) gives, in the wasm core, the
//   verdicts the native CLI gives on the same records (`attnrank train --verdicts FILE --json`), and each
//   comparison is the one the gallery file of its experiment stores (made by the packer natively).
// - Every claim the lab tests (C9, C11, C12, C16) has a verdict at the default settings, naming its
//   experiments; its sentence is the core's.
// - docs/claims.md's lab verdicts are the core's sentences on the gallery as it is (the packer writes them).
// - The rerun link's URL state: an experiment at its default settings writes the experiment alone; other
//   settings write the options that differ (steps, learning rate, checkpoints), and the lab page's parser
//   reads them back.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';

import { claimsDocSection, kClaimsDocEnd, kClaimsDocStart, settingsGroups } from '../../scripts/gallery-pack.mjs';
import { labDefaults, parseLabState } from '../../web/lab/lab-state.mjs';
import { finalsJsonl, labLink, labLinkState } from '../../web/views/lab-claims.mjs';
import { loadAttnrank, root } from './load-wasm.mjs';

const galleryDir = path.join(root, 'web', 'lab', 'gallery');
const cliPath = process.env.ATTNRANK_CLI ? path.resolve(process.env.ATTNRANK_CLI) : path.join(root, 'build', 'native', 'attnrank');
const index = JSON.parse(readFileSync(path.join(galleryDir, 'index.json'), 'utf8'));
const kLabClaims = ['C9', 'C11', 'C12', 'C16'];

let attnrank;
let experiments;
let context;
before(async () => {
  attnrank = await loadAttnrank();
  const table = attnrank.lab_experiments().experiments;
  experiments = new Map(table.map((e) => [e.id, e]));
  context = { experiments: table, limits: { ...attnrank.limits(), messages: attnrank.messages() } };
});

const plain = (value) => JSON.parse(JSON.stringify(value, (key, item) => (ArrayBuffer.isView(item) ? [...item] : item)));

function groups() {
  const bySettings = new Map();
  for (const entry of index.experiments) {
    if (!bySettings.has(entry.settings)) bySettings.set(entry.settings, []);
    bySettings.get(entry.settings).push(entry);
  }
  return bySettings;
}

test('each settings group: the browser\'s verdicts (wasm, from the index) are the native CLI\'s and the gallery files\'', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'lab-claims-'));
  try {
    for (const [settings, entries] of groups()) {
      const jsonl = finalsJsonl(entries, experiments);
      const browser = plain(attnrank.lab_verdicts(jsonl, null));
      const file = path.join(scratch, `${settings}.jsonl`);
      writeFileSync(file, `${jsonl}\n`);
      const native = spawnSync(cliPath, ['train', '--verdicts', file, '--json'], { encoding: 'utf8' });
      assert.equal(native.status, 0, native.stderr);
      assert.deepEqual(browser, JSON.parse(native.stdout), `${settings}: wasm and native verdicts`);
      for (const entry of entries) {
        const stored = JSON.parse(readFileSync(path.join(galleryDir, entry.file), 'utf8')).verdicts;
        assert.deepEqual(browser.comparisons.filter((c) => c.experiment === entry.id), stored.comparisons,
          `${entry.file}: its comparisons as the packer stored them`);
      }
      console.log(`${settings}: ${browser.claims.filter((c) => c.experiments.length).map((c) => `${c.claim} ${c.verdict}`).join(', ')}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('every claim the lab tests has a verdict at the default settings, naming its experiments', () => {
  const tested = [...new Set([...experiments.values()].flatMap((e) => [...e.claims]))].filter((claim) => /^C\d+$/.test(claim));
  assert.deepEqual(tested.sort(), [...kLabClaims].sort());
  const verdicts = plain(attnrank.lab_verdicts(finalsJsonl(groups().get('default'), experiments), null));
  for (const id of kLabClaims) {
    const claim = verdicts.claims.find((c) => c.claim === id);
    const expected = [...experiments.values()].filter((e) => e.claims.includes(id)).map((e) => e.id);
    assert.deepEqual(claim.experiments, expected, `${id}'s experiments`);
    assert.ok(['supported', 'contradicted', 'inconclusive'].includes(claim.verdict));
    assert.ok(claim.text_en.startsWith(`${id}: ${claim.verdict} (`), claim.text_en);
    assert.match(claim.text_zh, /[\u4e00-\u9fff]/);
  }
});

test('the rerun link: the experiment alone at its default settings, the options that differ otherwise', () => {
  for (const entry of groups().get('default')) {
    const state = labLinkState(entry, experiments.get(entry.id), 'en');
    assert.deepEqual(state, { ...labDefaults, experiment: entry.id }, entry.file);
    assert.equal(labLinkState(entry, experiments.get(entry.id), 'zh').lang, 'zh');
  }
  // Long runs (the index's, or one made up of the default's when there are none yet).
  const base = groups().get('default').find((entry) => entry.id === 'mlm');
  const long = groups().get('long')?.find((entry) => entry.id === 'mlm')
    ?? { ...base, settings: 'long', options: { ...base.options, steps: 20000, learning_rate: 0.003, checkpoint_every: 1000 } };
  const state = labLinkState(long, experiments.get('mlm'), 'en');
  assert.deepEqual(state, { ...labDefaults, experiment: 'mlm', steps: long.options.steps, learning_rate: long.options.learning_rate,
    checkpoint_every: long.options.checkpoint_every });
  // The link itself: web/lab.html with that state, which the lab page's parser reads back.
  for (const lang of ['en', 'zh']) {
    const url = new URL(labLink(long, experiments.get('mlm'), lang));
    assert.ok(url.pathname.endsWith('/web/lab.html'), url.href);
    const { state: back, errors } = parseLabState(url.search, context);
    assert.deepEqual(errors, {});
    assert.deepEqual(back, labLinkState(long, experiments.get('mlm'), lang));
  }
});

test('docs/claims.md states the lab\'s verdicts as the core words them on the gallery now', () => {
  const doc = readFileSync(path.join(root, 'docs', 'claims.md'), 'utf8');
  const start = doc.indexOf(kClaimsDocStart);
  const end = doc.indexOf(kClaimsDocEnd);
  assert.ok(start >= 0 && end > start, 'docs/claims.md has the lab-verdicts markers');
  const groups = settingsGroups(index).map(({ settings, entries }) => ({ settings, entries,
    verdicts: plain(attnrank.lab_verdicts(finalsJsonl(entries, experiments), null)) }));
  assert.equal(doc.slice(start, end + kClaimsDocEnd.length), claimsDocSection(groups),
    'run: node scripts/gallery-pack.mjs --cli build/native/attnrank --out web/lab/gallery --index-only');
});
