// The wasm claims(config) and claim_catalogue() (src/core/include/attnrank/claims/claims.h, docs/claims.md): the same verdicts as
// the native CLI's `attnrank claims --json` for two configurations (statuses, parts, integer, boolean and
// text facts equal; numbers to 1e-9 relative, rounding-noise quantities as noted below), the same error
// messages, the catalogue against docs/claims.md, and every backing_test naming a TEST in
// tests/native/test_claims.cpp. Needs build/native/attnrank (or ATTNRANK_CLI) for the comparisons.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import { loadAttnrank, root } from './load-wasm.mjs';

const cliPath = process.env.ATTNRANK_CLI ? path.resolve(process.env.ATTNRANK_CLI) : path.join(root, 'build', 'native', 'attnrank');
let attnrank;

before(async () => {
  attnrank = await loadAttnrank();
  assert.equal(typeof attnrank.claims, 'function', 'the wasm module predates claims(): run ./build-wasm.sh');
});

function cliArguments(config) {
  const args = ['claims'];
  for (const [key, value] of Object.entries(config)) {
    if (key === 'rope') {
      if (value) args.push('--rope');
    } else {
      args.push(`--${key}`, String(value));
    }
  }
  return args;
}

function runCli(args) {
  assert.ok(existsSync(cliPath), `${cliPath} is missing: build natively (cmake -S . -B build/native)`);
  return spawnSync(cliPath, args, { encoding: 'utf8' });
}

const kRelative = 1e-9;
// Rounding noise, not a computed quantity: the smallest singular value of a numerically singular
// matrix, a permutation deviation at rounding level, and a float product (one float ulp per factor).
const kAbsoluteNoise = { sigma_min: 1e-13, bidirectional_relative_deviation: 1e-12 };
const kLooseRelative = { naive_det_f32: 1e-4 };

function closeRelative(a, b, tolerance) {
  return a === b || Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
}

function assertSameVerdicts(wasm, cli, label) {
  assert.deepEqual(wasm.claims.map((c) => c.id), cli.claims.map((c) => c.id), `${label}: ids`);
  wasm.claims.forEach((w, index) => {
    const c = cli.claims[index];
    const where = `${label} ${c.id}`;
    const { verdict: wv, ...wEntry } = w;
    const { verdict: cv, ...cEntry } = c;
    assert.deepEqual(wEntry, cEntry, `${where}: catalogue entry`);
    assert.equal(wv.status, cv.status, `${where}: status`);
    assert.deepEqual(wv.parts, cv.parts, `${where}: parts`);
    assert.deepEqual(wv.facts.map((f) => f.key), cv.facts.map((f) => f.key), `${where}: fact keys`);
    wv.facts.forEach((wf, j) => {
      const cf = cv.facts[j];
      const message = `${where}: ${cf.key} wasm ${wf.value} vs native ${cf.value}`;
      assert.equal(wf.format, cf.format, message);
      assert.equal(wf.label_en, cf.label_en);
      assert.equal(wf.label_zh, cf.label_zh);
      if (cf.format !== 'number') {
        assert.equal(wf.value, cf.value, message);
        return;
      }
      assert.ok(Number.isFinite(wf.value), message);
      const condition = cv.facts.find((f) => f.key === 'condition_number_is_lower_bound');
      if (cf.key in kAbsoluteNoise) {
        assert.ok(Math.abs(wf.value - cf.value) <= kAbsoluteNoise[cf.key], message);
      } else if (cf.key === 'condition_number' && !condition.value) {
        assert.ok(Math.abs(1 / wf.value - 1 / cf.value) <= 1e-13, message);  // through sigma_min / sigma_max
      } else {
        assert.ok(closeRelative(wf.value, cf.value, kLooseRelative[cf.key] ?? kRelative), message);
      }
    });
  });
}

describe('claims() against the native CLI', { skip: !existsSync(cliPath) && 'no native CLI' }, () => {
  const configs = [
    { n: 64, d: 8, seed: 7, scale: 4 },
    { n: 48, d: 6, seed: 3, scale: 0.5, feature: 'favor', features: 16, rope: true, repeat: 5 },
  ];
  for (const config of configs) {
    test(cliArguments(config).join(' '), () => {
      const run = runCli([...cliArguments(config), '--json']);
      assert.equal(run.status, 0, run.stderr);
      assertSameVerdicts(attnrank.claims(config), JSON.parse(run.stdout), JSON.stringify(config));
    });
  }

  test('the same error messages', () => {
    const cases = [
      [{ n: 0 }, ['--n', '0']],
      [{ scale: 1e300, precision: 'f32' }, ['--scale', '1e300', '--precision', 'f32']],
      [{ feature: 'favor', features: 0 }, ['--feature', 'favor', '--features', '0']],
      [{ feature: 'tanh' }, ['--feature', 'tanh']],
    ];
    for (const [config, args] of cases) {
      const run = runCli(['claims', ...args]);
      assert.equal(run.status, 2, run.stderr);
      const cliMessage = run.stderr.trim().replace(/^attnrank: /, '');
      assert.throws(() => attnrank.claims(config), (error) => {
        assert.equal(error.message, cliMessage);
        assert.equal(error.code, 'invalid_argument');
        return true;
      });
    }
  });
});

describe('claims() on its own', () => {
  test('C4 holds at s = 0.25 and is partly at s = 4 (n = 64, d = 8, seed 7); every number finite', () => {
    const c4 = (scale) => attnrank.claims({ n: 64, d: 8, seed: 7, scale }).claims.find((c) => c.id === 'C4').verdict;
    assert.equal(c4(0.25).status, 'holds');
    const partly = c4(4);
    assert.equal(partly.status, 'partly');
    assert.deepEqual(partly.parts.map((p) => [p.key, p.holds]),
      [['structurally_full_rank', true], ['numerically_full_rank', false]]);
    for (const scale of [1e-300, 1e300, -2]) {
      for (const claim of attnrank.claims({ n: 16, d: 4, seed: 7, scale }).claims) {
        for (const fact of claim.verdict.facts) {
          if (fact.format === 'number' || fact.format === 'integer') {
            assert.ok(Number.isFinite(fact.value), `${claim.id} ${fact.key} at s = ${scale}: ${fact.value}`);
          }
        }
      }
    }
  });

  test('an unknown key is an error naming it', () => {
    assert.throws(() => attnrank.claims({ layers: 3 }), /config key "layers" is unknown/);
  });
});

describe('claim_catalogue()', () => {
  test('the entries of claims() without verdicts', () => {
    const catalogue = attnrank.claim_catalogue().claims;
    const withVerdicts = attnrank.claims({ n: 8, d: 2 }).claims;
    assert.deepEqual(catalogue, withVerdicts.map(({ verdict, ...entry }) => entry));
  });

  test('C1..C17, each with a tag and a source, listed in docs/claims.md', () => {
    const catalogue = attnrank.claim_catalogue().claims;
    assert.deepEqual(catalogue.map((c) => c.id), Array.from({ length: 17 }, (_, i) => `C${i + 1}`));
    const docs = readFileSync(path.join(root, 'docs', 'claims.md'), 'utf8');
    for (const claim of catalogue) {
      assert.ok(['exact', 'numerical', 'anecdotal', 'conjecture'].includes(claim.tag), claim.id);
      assert.ok(claim.source_en.length > 0 && claim.source_zh.length > 0, claim.id);
      assert.doesNotMatch(claim.source_en, /[\u4e00-\u9fff]{3}/, `${claim.id}: Chinese in source_en is only for titles`);
      assert.match(docs, new RegExp(`^\\| ${claim.id} \\|`, 'm'), `docs/claims.md has no row for ${claim.id}`);
      // The first table's tag column starts with the catalogue's tag (issue 13: C2 was "exact" in both
      // places, while it is a statement about typical configurations).
      const row = docs.split('\n').find((line) => line.startsWith(`| ${claim.id} |`));
      const tagCell = row.split(' | ')[2];
      assert.ok(tagCell.startsWith(claim.tag), `${claim.id}: docs/claims.md tags it "${tagCell}", the catalogue "${claim.tag}"`);
    }
  });

  test('every backing_test is a TEST in tests/native/test_claims.cpp, and every exact claim has one', () => {
    const source = readFileSync(path.join(root, 'tests', 'native', 'test_claims.cpp'), 'utf8');
    for (const claim of attnrank.claim_catalogue().claims) {
      if (claim.tag !== 'exact') {
        assert.equal(claim.backing_test, '', claim.id);
        continue;
      }
      const [suite, name] = claim.backing_test.split('.');
      assert.ok(suite && name, `${claim.id}: backing_test "${claim.backing_test}" is not Suite.Name`);
      assert.ok(source.includes(`TEST(${suite}, ${name})`), `${claim.id}: no TEST(${suite}, ${name}) in test_claims.cpp`);
    }
  });
});
