// node --test on the explorer's words at every logit scale (issue 17, words at extreme scales): each
// paragraph's sentence is picked from the core's result (web/views/words.mjs paragraphText), so at a huge
// scale (the issue's ?scale=1e307, and 1e300) the C4 paragraph says det A = 0 and not structurally full rank,
// as the cards beside it do, and C3 never calls the rows "close to uniform" when softmax is a hard maximum.
// Fed with real analyze() results of the wasm module (seed 7, n 64, d 8: the page's defaults), en and zh.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { loadLanguage } from '../../web/i18n/strings.mjs';
import { installPatterns } from '../../web/state/pattern-registry.mjs';
import { paragraphText, rowRegime } from '../../web/views/words.mjs';
import { loadAttnrank } from './load-wasm.mjs';

let attnrank;

// The words' data for the page state at `scale` (the patterns grid's bidirectional and forward results).
function dataAt(scale, extra = {}) {
  const config = { n: 64, d: 8, seed: 7, scale, ...extra };
  const patterns = new Map(['bidirectional', 'forward'].map((pattern) => [pattern, attnrank.analyze({ ...config, pattern })]));
  return { state: { n: 64, d: 8, scale }, patterns, linear: new Map() };
}

before(async () => {
  attnrank = await loadAttnrank();
  installPatterns(attnrank.patterns());
  await loadLanguage('zh');
});

test('at s = 1e307 and 1e300 the forward paragraphs say what the cards show: det A = 0, not full rank', () => {
  for (const [scale, seed] of [[1e307, 7], [1e300, 7]]) {
    const data = dataAt(scale, { seed });
    const forward = data.patterns.get('forward');
    assert.equal(forward.structurally_full_rank, false, `s = ${scale}: the core's card reads "no"`);
    assert.equal(forward.det_sign, 0, `s = ${scale}: the card reads det A = 0`);
    const c4 = paragraphText('words.causal_full_rank', 'en', data);
    assert.doesNotMatch(c4, /it is full rank\. Here log/, `s = ${scale}: ${c4}`);
    assert.match(c4, /underflow to exactly 0/);
    assert.match(c4, /det A = 0 and is not structurally full rank/);
    assert.match(c4, new RegExp(`numerical rank is ${forward.numerical_rank_f64} of 64`));
    const zh = paragraphText('words.causal_full_rank', 'zh', data);
    assert.match(zh, /下溢为 0/);
    assert.match(zh, /不再结构满秩/);
    const ill = paragraphText('words.causal_ill_conditioned', 'en', data);
    assert.doesNotMatch(ill, /Both statements can hold/, 'no "positive determinant" lead when det A = 0');
    assert.match(ill, /the computed forward matrix is singular \(det A = 0\)/);
    const conjecture = paragraphText('words.full_rank_conjecture', 'en', data);
    assert.match(conjecture, /algebraic rank below n \(a diagonal entry of the computed A is 0\)/);
    assert.doesNotMatch(conjecture, /algebraic rank 64/);
  }
});

test('at s = 1e307 C3 calls softmax a hard maximum, never rows "close to uniform"', () => {
  const data = dataAt(1e307);
  assert.equal(rowRegime(data.patterns.get('bidirectional')), 'one_hot');
  for (const lang of ['en', 'zh']) {
    const c3 = paragraphText('words.bidirectional_low_effective_rank', lang, data);
    if (lang === 'en') {
      assert.doesNotMatch(c3, /every row is close to uniform/, c3);
      assert.doesNotMatch(c3, /Raise s and/);
      assert.match(c3, /close to a hard maximum/);
    } else {
      assert.doesNotMatch(c3, /每一行都接近均匀分布/);
      assert.match(c3, /硬最大值/);
    }
  }
});

test('at ordinary and small scales the sentences are the essay\'s argument, each true of its result', () => {
  const ordinary = dataAt(1);
  const forward = ordinary.patterns.get('forward');
  assert.equal(forward.structurally_full_rank, true);
  const c4 = paragraphText('words.causal_full_rank', 'en', ordinary);
  assert.match(c4, /det A = Π Aᵢᵢ > 0: it is full rank\. Here log \|det A\| = /);
  assert.match(c4, new RegExp(`Yet ${64 - forward.numerical_rank_f64} of its 64 singular values`));
  assert.match(paragraphText('words.causal_ill_conditioned', 'en', ordinary), /^Both statements can hold at once/);
  assert.match(paragraphText('words.full_rank_conjecture', 'en', ordinary), /algebraic rank 64,/);
  // s = 1: rows neither uniform nor one-hot (the effective rank then falls again with s for this input).
  assert.equal(rowRegime(ordinary.patterns.get('bidirectional')), 'between');
  const small = dataAt(0.25);
  assert.equal(rowRegime(small.patterns.get('bidirectional')), 'uniform');
  assert.match(paragraphText('words.bidirectional_low_effective_rank', 'en', small), /every row is close to uniform.*Raise s and it grows/);
  // The "raise s and it grows" of the uniform sentence holds here: the effective rank at 0.5 is above 0.25's.
  assert.ok(dataAt(0.5).patterns.get('bidirectional').effective_rank > small.patterns.get('bidirectional').effective_rank);
});

test('at f32 the underflow comes sooner, and the sentence follows the f32 result', () => {
  const data = dataAt(1000, { precision: 'f32' });
  const forward = data.patterns.get('forward');
  const c4 = paragraphText('words.causal_full_rank', 'en', data);
  if (forward.structurally_full_rank) assert.match(c4, /this analysis ran in f32/);
  else assert.match(c4, /underflow to exactly 0/);
  assert.doesNotMatch(c4, /undefined|NaN|\{/);
});

test('linear attention with relu features: a zero diagonal is worded as the feature map\'s, softmax paragraphs left out', () => {
  // Find a seed whose relu forward matrix has a zero diagonal entry (the core reports it not structurally full rank).
  let data = null;
  for (let seed = 1; seed < 200 && !data; ++seed) {
    const config = { n: 16, d: 2, seed, kind: 'linear', feature: 'relu' };
    try {
      const forward = attnrank.analyze({ ...config, pattern: 'forward' });
      if (forward.structurally_full_rank) continue;
      const bidirectional = attnrank.analyze({ ...config, pattern: 'bidirectional' });
      data = { state: { n: 16, d: 2, scale: 1 }, patterns: new Map([['forward', forward], ['bidirectional', bidirectional]]) };
    } catch {
      // a relu row with zero sum: the core refuses that configuration
    }
  }
  assert.ok(data, 'a seed with a zero relu diagonal entry');
  const c4 = paragraphText('words.causal_full_rank', 'en', data);
  assert.match(c4, /relu features can make it exactly 0/);
  assert.doesNotMatch(c4, /underflow/);
  assert.equal(paragraphText('words.bidirectional_low_effective_rank', 'en', data), null, 'C3 is about softmax');
  assert.equal(paragraphText('words.softmax_raises_rank', 'en', data), null, 'C8 is about softmax');
});
