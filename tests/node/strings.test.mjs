// Tests of web/i18n/strings.mjs, strings-zh.mjs and math.mjs without a browser: en and zh have the same
// keys (or an explicit fallback list) and the same placeholders per key, no string carries markup, zh is
// loaded only by loadLanguage (t() reads English and warns before), t() substitutes, falls back and shows
// what is missing, pickLanguage and applyStrings behave, every words paragraph has a claim, a known tag
// and a known source, and the MathML specs build valid trees.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { buildMath, formulas, kMathNamespace } from '../../web/i18n/math.mjs';
import { zhStrings } from '../../web/i18n/strings-zh.mjs';
import {
  allowedFallbacks, applyStrings, enStrings, isLanguageLoaded, languages, loadLanguage, paragraphs, pickLanguage,
  placeholders, t, translate,
} from '../../web/i18n/strings.mjs';

const strings = { en: enStrings, zh: zhStrings };
const enKeys = Object.keys(strings.en);
const zhKeys = Object.keys(strings.zh);
const kTagIds = ['exact', 'numerical', 'anecdotal', 'conjecture'];

// First in the file: it needs zh not loaded yet (module state is shared by the tests of this file).
test('zh is loaded only by loadLanguage: before, t() reads English and warns once; after, Chinese', async (context) => {
  const warnings = [];
  context.mock.method(console, 'warn', (message) => warnings.push(message));
  assert.equal(isLanguageLoaded('en'), true, 'English is always loaded');
  assert.equal(isLanguageLoaded('zh'), false, 'importing strings.mjs does not load the Chinese table');
  assert.equal(t('zh', 'pattern.forward'), 'forward (causal)', 'not loaded yet: English');
  assert.equal(t('zh', 'pattern.backward'), 'backward');
  assert.equal(warnings.length, 1, `one warning per language: ${JSON.stringify(warnings)}`);
  assert.match(warnings[0], /loadLanguage\('zh'\)/);
  await loadLanguage('en');
  await assert.rejects(loadLanguage('fr'), /unknown language "fr"/);
  const first = loadLanguage('zh');
  assert.equal(loadLanguage('zh'), first, 'one load per language');
  await first;
  assert.equal(isLanguageLoaded('zh'), true);
  assert.equal(t('zh', 'pattern.forward'), '单向（正向）');
  assert.equal(t('zh', 'pattern.forward'), zhStrings['pattern.forward']);
  assert.equal(warnings.length, 1, 'no warning once loaded');
});

test('every en key exists in zh (or is an allowed fallback) and every zh key in en', () => {
  const missingInZh = enKeys.filter((key) => !(key in strings.zh) && !allowedFallbacks.includes(key));
  const extraInZh = zhKeys.filter((key) => !(key in strings.en));
  assert.deepEqual(missingInZh, [], 'keys missing in zh');
  assert.deepEqual(extraInZh, [], 'zh keys unknown in en');
  for (const key of allowedFallbacks) assert.ok(key in strings.en, `allowed fallback ${key} is not an en key`);
  assert.ok(enKeys.length > 150, `only ${enKeys.length} keys`);
});

test('the placeholders of each zh string are those of its en string', () => {
  for (const key of zhKeys) {
    assert.deepEqual(placeholders(strings.zh[key]).sort(), placeholders(strings.en[key]).sort(), key);
  }
});

test('no string contains markup or an unbalanced brace', () => {
  for (const lang of languages) {
    for (const [key, text] of Object.entries(strings[lang])) {
      assert.equal(typeof text, 'string', `${lang} ${key}`);
      assert.ok(text.length > 0, `${lang} ${key} is empty`);
      assert.ok(!text.includes('<'), `${lang} ${key} contains '<': ${text}`);
      assert.equal(text.replace(/\{[A-Za-z0-9_]+\}/g, '').search(/[{}]/), -1, `${lang} ${key} has a stray brace: ${text}`);
    }
  }
});

test('zh strings are translated, not copies of en (apart from symbols, names and sources)', () => {
  const mayBeEqual = /^(lang\.|export\.(png|svg|csv|json|npy)$|readout\.cell$|kind\.softmax|feature\.(elu1|relu|exp)$|stat\.(sigma_max|sigma_min|log_abs_det)$|value\.(lower_bound|det_zero)$|pattern\..*\.rule$|chart\.(logits|softmax)$|math\.logits$|heads\.panel\.product$|colour\.name\.sqrt$|words\..*\.(claim|tag|source)$)/;
  const same = zhKeys.filter((key) => strings.zh[key] === strings.en[key] && !mayBeEqual.test(key));
  assert.deepEqual(same, []);
});

test('t() substitutes params, keeps a missing one visible, falls back to en, returns unknown keys', async () => {
  await loadLanguage('zh');
  assert.equal(t('en', 'progress.count', { done: 3, total: 5 }), '3 of 5');
  assert.equal(t('zh', 'progress.count', { done: 3, total: 5 }), '3 / 5');
  assert.equal(t('en', 'load.loaded', { label: 'Q', rows: 0, cols: 8 }), 'Q: 0 × 8', 'zero is a value, not a missing param');
  assert.equal(t('en', 'progress.count', { done: 3 }), '3 of {total}', 'a missing param stays visible');
  assert.equal(t('en', 'progress.count', { done: 3, total: null }), '3 of {total}');
  assert.equal(t('en', 'no.such.key'), 'no.such.key');
  assert.equal(t('zh', 'no.such.key'), 'no.such.key');
  assert.equal(t('fr', 'control.seed'), 'seed', 'an unknown language reads English');
  const tables = { en: { greeting: 'hello {name}', only_en: 'English only' }, zh: { greeting: '你好 {name}' } };
  assert.equal(translate(tables, 'zh', 'greeting', { name: 'A' }), '你好 A');
  assert.equal(translate(tables, 'zh', 'only_en'), 'English only', 'a key missing in zh falls back to en');
  assert.equal(t('en', 'value.lower_bound', { value: '1.2e17' }), '≥ 1.2e17');
  // A param that itself looks like a placeholder is inserted literally, not expanded again.
  assert.equal(t('en', 'load.loaded', { label: '{rows}', rows: 2, cols: 3 }), '{rows}: 2 × 3');
});

test('pickLanguage: the state wins, else zh* browsers get zh, everything else en', () => {
  assert.equal(pickLanguage('en', 'zh-CN'), 'en');
  assert.equal(pickLanguage('zh', 'en-US'), 'zh');
  assert.equal(pickLanguage(null, 'zh-CN'), 'zh');
  assert.equal(pickLanguage(null, 'zh-Hant-TW'), 'zh');
  assert.equal(pickLanguage(undefined, 'ZH'), 'zh');
  assert.equal(pickLanguage(null, 'zh'), 'zh');
  assert.equal(pickLanguage(null, 'en-GB'), 'en');
  assert.equal(pickLanguage(null, 'ja-JP'), 'en');
  assert.equal(pickLanguage(null, ''), 'en');
  assert.equal(pickLanguage(null, undefined), 'en');
  assert.equal(pickLanguage('fr', 'zh-TW'), 'zh', 'an unsupported state language falls back to the browser');
  assert.equal(pickLanguage(null, ['zh-CN', 'en']), 'zh', 'navigator.languages');
});

test('every words paragraph has its claim id, a known tag and a known source in both languages', () => {
  assert.ok(paragraphs.length >= 9);
  for (const key of paragraphs) {
    for (const lang of languages) {
      const table = strings[lang];
      assert.ok(key in table, `${lang} ${key}`);
      assert.match(table[`${key}.claim`], /^C\d+(, C\d+)*$/, `${lang} ${key}.claim`);
      assert.ok(kTagIds.includes(table[`${key}.tag`]), `${lang} ${key}.tag = ${table[`${key}.tag`]}`);
      assert.ok(table[`${key}.source`] in table, `${lang} ${key}.source = ${table[`${key}.source`]}`);
      assert.ok(table[key].length > 80, `${lang} ${key} is too short to be a paragraph`);
    }
    assert.equal(strings.zh[`${key}.claim`], strings.en[`${key}.claim`], `${key}: same claim in both languages`);
    assert.equal(strings.zh[`${key}.tag`], strings.en[`${key}.tag`], `${key}: same tag in both languages`);
  }
  for (const tag of kTagIds) assert.ok(`tag.${tag}` in strings.en && `tag.${tag}` in strings.zh, tag);
  assert.equal(strings.en['words.full_rank_conjecture.tag'], 'conjecture', 'C5 is a conjecture');
  assert.equal(t('en', 'words.causal_full_rank', { logdet: '-310.2', lost64: 9, n: 64, rank64: 55, lost32: 30 }),
    'The forward matrix is lower triangular with a positive diagonal, so det A = Π Aᵢᵢ > 0: it is full rank. '
    + 'Here log |det A| = -310.2. Yet 9 of its 64 singular values lie below double precision\'s resolution '
    + '(numerical rank 55) and 30 below single precision\'s.');
});

test('the UI labels the page needs exist: controls, presets, six sections, patterns, statistics', () => {
  const needed = ['control.n', 'control.d', 'control.scale', 'control.seed', 'control.prefix', 'control.window',
    'control.precision', 'control.rope', 'control.repeat', 'control.kind', 'control.feature', 'control.features',
    'control.colour', 'control.windows', 'control.lang', 'control.copy_link', 'preset.bert', 'preset.small', 'preset.hot',
    'export.png', 'export.svg', 'export.csv', 'export.json', 'export.npy', 'action.cancel', 'progress.label', 'load.files',
    'section.patterns', 'section.spectra', 'section.linear', 'section.raises_rank', 'section.sweeps', 'section.load',
    'convention.backward', 'value.not_resolved', 'value.lower_bound'];
  for (const pattern of ['bidirectional', 'prefix', 'forward', 'backward', 'window', 'forward_window']) needed.push(`pattern.${pattern}`);
  for (const stat of ['numerical_rank_f64', 'numerical_rank_f32', 'effective_rank', 'stable_rank', 'energy_rank_99',
    'sigma_max', 'sigma_min', 'condition_number', 'log_abs_det', 'structurally_full_rank', 'logits_rank']) {
    needed.push(`stat.${stat}`, `stat.${stat}.explain`);
  }
  for (const code of ['invalid_argument', 'invalid_file', 'too_large', 'numerical_failure', 'internal', 'worker_crashed']) {
    needed.push(`error.${code}`);
  }
  for (const key of needed) assert.ok(key in strings.en && key in strings.zh, key);
  assert.equal(strings.zh['pattern.bidirectional'], '双向');
  assert.equal(strings.zh['pattern.prefix'], '混合');
  assert.equal(strings.zh['pattern.forward'], '单向（正向）');
  assert.equal(strings.zh['pattern.backward'], '单向（反向）');
  assert.equal(strings.zh['pattern.window'], '局部');
  assert.equal(strings.zh['pattern.forward_window'], '因果局部');
  assert.equal(strings.en['preset.bert'], 'BERT-base head (n = 512, d = 64)');
});

// A minimal stand-in for the DOM parts applyStrings touches.
function fakeElement(tagName, dataset = {}) {
  return {
    tagName, dataset, attributes: {}, textContent: '',
    setAttribute(name, value) { this.attributes[name] = value; },
    matches() { return false; },
  };
}

test('applyStrings fills data-i18n text, aria-label, title and placeholder, and sets <html lang>', async () => {
  await loadLanguage('zh');
  const title = fakeElement('H2', { i18n: 'section.spectra' });
  const button = fakeElement('BUTTON', { i18nAria: 'export.what.chart_png' });
  const input = fakeElement('INPUT', { i18nPlaceholder: 'sweep.values', i18nTitle: 'hint.n' });
  const unknown = fakeElement('P', { i18n: 'no.such.key' });
  const html = fakeElement('HTML');
  const byAttribute = {
    '[data-i18n]': [title, unknown], '[data-i18n-aria]': [button], '[data-i18n-title]': [input], '[data-i18n-placeholder]': [input],
  };
  const root = { documentElement: html, querySelectorAll: (selector) => byAttribute[selector] ?? [] };
  applyStrings(root, 'zh');
  assert.equal(title.textContent, '奇异值');
  assert.equal(unknown.textContent, 'no.such.key');
  assert.equal(button.attributes['aria-label'], '将此图导出为 PNG 图像');
  assert.equal(input.attributes.placeholder, '取值（逗号分隔）');
  assert.equal(input.attributes.title, 'A 的行数和列数');
  assert.equal(html.attributes.lang, 'zh-CN');
  applyStrings(root, 'en');
  assert.equal(title.textContent, 'Singular values');
  assert.equal(html.attributes.lang, 'en');
});

// A fake document that records the MathML tree buildMath creates.
const fakeDocument = {
  createElementNS(namespace, tag) {
    return { namespace, tag, attributes: {}, children: [], setAttribute(name, value) { this.attributes[name] = value; },
      append(...nodes) { this.children.push(...nodes); } };
  },
  createTextNode(text) { return { text }; },
};

function serialize(node) {
  if ('text' in node) return node.text;
  return `(${node.tag} ${node.children.map(serialize).join(' ')})`;
}

function allNodes(node, out = []) {
  out.push(node);
  for (const child of node.children ?? []) allNodes(child, out);
  return out;
}

test('buildMath turns every formula spec into a MathML tree of known elements', async () => {
  await loadLanguage('zh');
  const known = new Set(['math', 'mrow', 'mi', 'mo', 'mn', 'mtext', 'msub', 'msup', 'msubsup', 'mfrac', 'msqrt', 'munder', 'munderover', 'mspace']);
  const arity = { msub: 2, msup: 2, mfrac: 2, munder: 2, msubsup: 3, munderover: 3 };
  assert.deepEqual(Object.keys(formulas).sort(), ['determinant', 'effectiveRank', 'logits', 'softmax', 'tolerance']);
  for (const [name, spec] of Object.entries(formulas)) {
    const root = buildMath(fakeDocument, spec);
    assert.equal(root.tag, 'math', name);
    assert.equal(root.attributes.display, 'block', name);
    for (const node of allNodes(root)) {
      if ('text' in node) continue;
      assert.equal(node.namespace, kMathNamespace, `${name}: ${node.tag}`);
      assert.ok(known.has(node.tag), `${name}: ${node.tag}`);
      if (arity[node.tag]) assert.equal(node.children.length, arity[node.tag], `${name}: ${node.tag} takes ${arity[node.tag]} children`);
      for (const child of node.children) assert.ok(!('text' in child) || !child.text.includes('<'), `${name}: markup in text`);
    }
  }
  assert.equal(serialize(buildMath(fakeDocument, formulas.logits)),
    '(math (mrow (mi S) (mo =) (mfrac (mrow (mi s) (mi Q) (msup (mi K) (mi T))) (msqrt (mi d)))))');
  assert.equal(serialize(buildMath(fakeDocument, formulas.determinant)),
    '(math (mrow (mi det) (mo \u2061) (mi A) (mo =) (munder (mo \u220f) (mi i)) (msub (mi A) (mrow (mi i) (mi i)))))');
  assert.match(serialize(buildMath(fakeDocument, formulas.softmax, { lang: 'zh' })), /\(mtext \u00a0 允许\)/);
  assert.match(serialize(buildMath(fakeDocument, formulas.softmax, { lang: 'en' })), /\(mtext \u00a0 allowed\)/);
  assert.throws(() => buildMath(fakeDocument, ['div', 'x']), /not a MathML spec/);
});

// Issue 13, items 5-7, 12-13: the explorer's words say what the sources and the project's numbers say, in
// both languages. Skip connections slow the collapse (Dong et al.'s statement, not Wu et al.'s) and do not
// stop it; Wu et al.'s exponential bound covers every connected mask; the depth view exists; Viswanath &
// Trefethen is an analogy; and the numbers quoted are the ones computed here.
test('the words on depth and conditioning are the corrected ones, in en and zh', async () => {
  await loadLanguage('zh');
  const en = (key) => strings.en[key];
  const zh = (key) => strings.zh[key];
  // Depth intro: no "skip connections stop it", and the skip statement is not credited to Wu et al.
  assert.doesNotMatch(en('section.depth.intro'), /skip connections stop/i);
  assert.doesNotMatch(en('section.depth.intro'), /skip[^.]*\(Wu et al/i);
  assert.match(en('section.depth.intro'), /Dong et al\.'s bound no longer forces the collapse/);
  assert.match(en('section.depth.intro'), /still reaches rounding level/);
  assert.match(en('section.depth.intro'), /not a theorem of either paper/);
  assert.doesNotMatch(zh('section.depth.intro'), /残差连接能阻止/);
  assert.match(zh('section.depth.intro'), /Dong 等人的界不再迫使坍缩发生/);
  assert.match(zh('section.depth.intro'), /仍会降到舍入误差量级/);
  assert.match(zh('section.depth.intro'), /并不是两篇论文中任何一篇的定理/);
  // The control the intro names is the control's own label.
  assert.ok(en('section.depth.intro').includes(en('depth.variant.skip')));
  assert.ok(zh('section.depth.intro').includes(zh('depth.variant.skip')));
  // The paragraph on depth: no view "will follow"; Wu et al.'s bound for every connected mask.
  assert.doesNotMatch(en('words.depth_collapse'), /will follow/);
  assert.doesNotMatch(zh('words.depth_collapse'), /之后加入/);
  assert.match(en('words.depth_collapse'), /every connected mask, causal and bidirectional alike/);
  assert.match(zh('words.depth_collapse'), /每一种连通的掩码/);
  // Viswanath & Trefethen: random Gaussian triangular matrices, an analogy for attention matrices.
  assert.doesNotMatch(en('words.causal_ill_conditioned'), /Triangular matrices are typically/);
  assert.match(en('words.causal_ill_conditioned'), /only an analogy/);
  assert.match(zh('words.causal_ill_conditioned'), /只是类比/);
  for (const lang of languages) {
    assert.ok(strings[lang]['words.causal_ill_conditioned.singular'] && strings[lang]['words.causal_ill_conditioned.resolved'], lang);
  }
  // The numbers of words.det_misleading, computed: n! overflows double at n = 171; the running product of the
  // 1/i reaches 0 at n = 178 in double and at n = 39 in single precision (Math.fround rounds each step).
  const firstN = (step, stop) => { let value = 1; let n = 0; while (!stop(value)) value = step(value, ++n); return n; };
  const overflow = firstN((value, n) => value * n, (value) => !Number.isFinite(value));
  const underflow64 = firstN((value, n) => value / n, (value) => value === 0);
  const underflow32 = firstN((value, n) => Math.fround(value / n), (value) => value === 0);
  assert.deepEqual([overflow, underflow64, underflow32], [171, 178, 39]);
  for (const lang of languages) {
    const text = strings[lang]['words.det_misleading'];
    for (const n of [overflow, underflow64, underflow32]) assert.match(text, new RegExp(`n = ${n}\\b`), `${lang}: ${n}`);
  }
});

// Issue 13, item 13: a number typed into the words is either a placeholder (filled from the core's result)
// or one of these, each checked above or a quotation of the source (BERT-base's 768 / 12 = 64 heads and
// n = 512; Viswanath & Trefethen's limit 2; the 99 % energy rank; the uniform matrix's κ∞ = 2n − 1) or a year
// of a citation. A new number in a paragraph fails here until it is checked too.
test('every number typed into a words paragraph or a section intro is a checked or quoted one', async () => {
  await loadLanguage('zh');
  const allowed = new Set(['0', '1', '2', '12', '39', '64', '171', '178', '512', '768']);
  for (const lang of languages) {
    for (const [key, text] of Object.entries(strings[lang])) {
      if (!/^words\.[a-z_0-9]+$|^section\.[a-z_]+\.intro$/.test(key)) continue;
      const bare = text.replace(/\{[A-Za-z0-9_]+\}/g, '').replace(/[A-Za-z_]+[₀-₉]+|[A-Za-z]_[0-9A-Za-z]+|[A-Za-z]+\d+/g, '');  // σ₁, X_0, T5, f64: names
      for (const [number] of bare.matchAll(/\d+(\.\d+)?/g)) {
        if (/^(19|20)\d\d$/.test(number)) continue;
        assert.ok(allowed.has(number), `${lang} ${key}: the number ${number} is neither computed live nor checked`);
      }
    }
  }
});

// Issue 17 (review of item 12): the answer line computes one configuration, so it says "not here" / "here",
// never a general "often not" (常常不是) it did not compute; what other scales may do is said as a possibility.
test('the numerical answer says what was computed here, not how often', () => {
  for (const [lang, table] of Object.entries(strings)) {
    for (const key of ['answer.numerical.lost', 'answer.numerical.kept']) {
      const text = table[key];
      assert.doesNotMatch(text, /\b(often|usually|always|mostly|typically)\b|常常|通常|往往|总是|一般/i, `${lang} ${key}: ${text}`);
      assert.match(text, lang === 'en' ? /^(Not here|Here, yes):/ : /^此处(不是|是)：/, `${lang} ${key} starts with what holds here`);
    }
    assert.doesNotMatch(table['answer.numerical.kept'], /and some sink below it|就会有一些落到其下/, `${lang}: a larger s may, not must, lose rank`);
  }
});
