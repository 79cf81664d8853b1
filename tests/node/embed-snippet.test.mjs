// The explorer's "Embed" snippet (web/embed/snippet.mjs) read back by the element's attribute parser
// (web/embed/attribute-state.mjs) gives the page's state again, for defaults and for every kind of key;
// values are escaped; bad attributes name the attribute and value as the URL parser does.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { attributeOfParam, attributeWords, figureKinds, figureOptions } from '../../web/embed/attribute-state.mjs';
import { embedSnippet } from '../../web/embed/snippet.mjs';
import { defaultState, sweepDefaults } from '../../web/state/url-state.mjs';
import { installPatterns } from '../../web/state/pattern-registry.mjs';
import { loadAttnrank } from './load-wasm.mjs';

let limits;
before(async () => {
  const attnrank = await loadAttnrank();
  installPatterns(attnrank.patterns());  // as <attn-figure> does before reading attributes
  limits = { ...attnrank.limits(), messages: attnrank.messages() };
});

// The attributes of one <attn-figure ...></attn-figure> string, unescaped.
function attributesOf(snippet) {
  const match = /^<attn-figure((?: [a-z_-]+="[^"]*")*)><\/attn-figure>$/.exec(snippet);
  assert.ok(match, `not one element: ${snippet}`);
  const unescape = (text) => text.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  return new Map([...match[1].matchAll(/ ([a-z_-]+)="([^"]*)"/g)].map(([, name, value]) => [name, unescape(value)]));
}

function readBack(snippet) {
  const attributes = attributesOf(snippet);
  return figureOptions((name) => attributes.get(name) ?? null, [...attributes.keys()], limits);
}

const states = [
  {},
  { n: 512, d: 64 },
  { n: 32, d: 4, scale: 0.25, seed: 123, prefix: 5, window: 3, precision: 'f32', rope: true, repeat: 4 },
  { kind: 'linear', feature: 'favor', features: 16, colour: 'log' },
  { sweep_over: 'n', sweep_values: '8,16,32', sweep_stat: 'condition_number' },
];

test('snippet -> attributes -> the same state, for every figure kind', () => {
  for (const overrides of states) {
    const state = { ...defaultState, ...overrides };
    for (const kind of figureKinds) {
      const snippet = embedSnippet(kind, state);
      const options = readBack(snippet);
      assert.deepEqual(options.errors, {}, snippet);
      assert.equal(options.figure, kind);
      for (const key of Object.keys(defaultState)) {
        if (key === 'lang' || key === 'windows') continue;
        assert.deepEqual(options.state[key], state[key], `${key} in ${snippet}`);
      }
    }
  }
});

test('only non-default values are written; attention for the kind, hyphens for sweep keys', () => {
  assert.equal(embedSnippet('patterns', defaultState), '<attn-figure kind="patterns"></attn-figure>');
  // Each sweep axis has its own default values (url-state.mjs sweepDefaults): d's are left out, the scale
  // axis's list on the d axis is written.
  assert.equal(embedSnippet('linear', { ...defaultState, kind: 'linear', sweep_over: 'd', sweep_values: sweepDefaults.d, lang: 'zh' }),
    '<attn-figure kind="linear" attention="linear" sweep-over="d"></attn-figure>');
  assert.equal(embedSnippet('sweep', { ...defaultState, sweep_over: 'd' }),
    `<attn-figure kind="sweep" sweep-over="d" sweep-values="${defaultState.sweep_values}"></attn-figure>`);
});

test('values are escaped', () => {
  const snippet = embedSnippet('sweep', { ...defaultState, sweep_values: '1,"2"<3>&' });
  assert.match(snippet, /sweep-values="1,&quot;2&quot;&lt;3&gt;&amp;"/);
});

test('bad attributes are named as the URL names them', () => {
  const read = (attributes) => figureOptions((name) => attributes[name] ?? null, Object.keys(attributes), limits);
  assert.deepEqual(read({ n: '-1' }).errors, { n: 'n=-1 must be in [1, 4096]' });
  assert.deepEqual(read({ kind: 'pie' }).errors, { kind: 'kind=pie is unknown (expected one of: patterns, spectra, linear, raises-rank, sweep, stats, collapse, heads, architectures, claims)' });
  // Keyed by the attribute; the message is the core's, naming the core's parameter (issue 14 item 4: no rewriting).
  assert.deepEqual(read({ attention: 'quadratic' }).errors, { attention: 'kind=quadratic is unknown (expected one of: softmax, linear)' });
  // The core's words and choices (custom included, as analyze() says); custom itself needs a drawn mask.
  assert.deepEqual(read({ pattern: 'forward,diagonal' }).errors, { pattern: 'pattern=diagonal is unknown (expected one of: bidirectional, prefix, forward, backward, window, forward_window, custom)' });
  assert.deepEqual(read({ pattern: ' , ' }).errors, { pattern: 'pattern= is unknown (expected one of: bidirectional, prefix, forward, backward, window, forward_window, custom)' });
  assert.deepEqual(read({ pattern: 'forward,custom' }).errors, { pattern: 'pattern=custom is not available in <attn-figure> (it needs a drawn mask)' });
  assert.deepEqual(read({ controls: 'all' }).errors, { controls: 'controls=all is unknown (expected one of: none, compact, full)' });
  assert.deepEqual(read({ 'sweep-over': 'x' }).errors, { 'sweep-over': 'sweep_over=x is unknown (expected one of: scale, n, d)' });
});

test('every figure kind is one the element can draw', async () => {
  const { figureClasses } = await import('../../web/embed/figure-kinds.mjs').catch(() => ({ figureClasses: null }));
  // figure-kinds.mjs needs a DOM only when a figure is built; importing it in node must work.
  assert.ok(figureClasses, 'web/embed/figure-kinds.mjs does not import in node');
  assert.deepEqual(Object.keys(figureClasses).sort(), [...figureKinds].sort());
});

test('claim attribute: ids parsed (trimmed, upper-cased, deduplicated); malformed ids name the attribute', () => {
  const options = (claim) => figureOptions((name) => ({ kind: 'claims', claim })[name] ?? null, ['kind', 'claim'], limits);
  assert.deepEqual(options(' c4, C17 ,C4').claims, ['C4', 'C17']);
  assert.deepEqual(options(' c4, C17 ,C4').errors, {});
  assert.equal(options('C4,<script>').errors.claim, 'claim=<SCRIPT> is not a claim id (expected a list such as C4,C17)');
  assert.equal(options('').errors.claim, 'claim= is not a claim id (expected a list such as C4,C17)');
  assert.equal(figureOptions(() => null, [], limits).claims, null);
});

test('a sweep value error is keyed by the attribute as written (sweep-values), its message the core\'s words', () => {
  const attributes = { kind: 'sweep', 'sweep-over': 'n', 'sweep-values': '8,99999' };
  const options = figureOptions((name) => attributes[name] ?? null, Object.keys(attributes), limits);
  assert.deepEqual(options.errors, { 'sweep-values': 'sweep_values: n=99999 must be in [1, 4096]' });
});

test('a core error names its attribute: attributeOfParam maps the core\'s param to the attribute', () => {
  assert.equal(attributeOfParam('n'), 'n');
  assert.equal(attributeOfParam('kind'), 'attention');
  assert.equal(attributeOfParam('variant'), 'depth-variant');
  assert.equal(attributeOfParam('d_model'), 'd');
  assert.equal(attributeOfParam('sweep_values'), 'sweep-values');
  assert.equal(attributeOfParam('pattern'), 'pattern');
  assert.equal(attributeOfParam(''), '');
  assert.equal(attributeOfParam('custom_mask'), '');
});

// Issue 17 review, item 5: a figure's error names the attribute the author wrote, never an internal key; an
// error about the element's own attributes (kind: the figure kind) stays as written.
test('attributeWords: the core\'s parameter names become the attributes that set them', () => {
  assert.equal(attributeWords('sweep_values: scale="x" must be a number (got string)'), 'sweep-values: scale="x" must be a number (got string)');
  assert.equal(attributeWords('kind=quadratic is unknown (expected one of: softmax, linear)', 'attention'),
    'attention=quadratic is unknown (expected one of: softmax, linear)');
  assert.equal(attributeWords('depth_metric=x is unknown'), 'depth-metric=x is unknown');
  assert.equal(attributeWords('kind=bar is unknown (expected one of: patterns, spectra)', 'kind'), 'kind=bar is unknown (expected one of: patterns, spectra)');
  for (const same of ['n=0 must be in [1, 4096]', 'prefix=9 exceeds n=8', 'variant=skip+foo is unknown', 'd_model=8 must be a multiple of heads=6']) {
    assert.equal(attributeWords(same), same);
  }
});
