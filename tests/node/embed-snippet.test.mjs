// The explorer's "Embed" snippet (web/embed/snippet.mjs) read back by the element's attribute parser
// (web/embed/attribute-state.mjs) gives a figure that asks the core what the explorer's figure asks and draws
// with the same drawing keys, for every kind; it carries only the keys that apply to its kind
// (web/embed/figure-parameters.mjs); values are escaped; bad attributes name the attribute and value as the
// URL parser does.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { attributeOfParam, attributeWords, figureKinds, figureOptions } from '../../web/embed/attribute-state.mjs';
import { figureParameters, keyApplies, kindStateKeys } from '../../web/embed/figure-parameters.mjs';
import { embedSnippet } from '../../web/embed/snippet.mjs';
import { defaultState, sweepDefaults } from '../../web/state/url-state.mjs';
import { installPatterns, shownPatterns } from '../../web/state/pattern-registry.mjs';
import { urlParameters } from '../../web/state/parameter-registry.mjs';
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

const keyOfAttribute = new Map(urlParameters.map((entry) => [entry.attribute, entry.url_key]));

const states = [
  {},
  { n: 512, d: 64 },
  { n: 32, d: 4, scale: 0.25, seed: 123, prefix: 5, window: 3, precision: 'f32', rope: true, repeat: 4 },
  { kind: 'linear', feature: 'favor', features: 16, colour: 'log' },
  { sweep_over: 'n', sweep_values: '8,16,32', sweep_stat: 'condition_number' },
  { windows: true, window: 3, colour_range: 'panel', layers: 16, depth_variant: 'skip', depth_metric: 'path_residual', heads: 2 },
  { n: 16, d: 1, heads: 8, kind: 'linear', feature: 'relu', sweep_over: 'd', sweep_values: '1,2', windows: true },
];

// What a figure of `kind` asks the core and reads to draw: its configs (for its patterns) and its drawing keys.
function figureInputs(kind, state, patterns) {
  const entry = figureParameters[kind];
  return { configs: entry.configs(state, entry.usesPatterns ? patterns : null),
    reads: Object.fromEntries(entry.reads.map((key) => [key, state[key]])) };
}

test('snippet -> attributes -> a figure that asks and draws what the explorer\'s does, for every kind', () => {
  for (const overrides of states) {
    const state = { ...defaultState, ...overrides };
    for (const kind of figureKinds) {
      const snippet = embedSnippet(kind, state);
      const options = readBack(snippet);
      assert.deepEqual(options.errors, {}, snippet);
      assert.equal(options.figure, kind);
      assert.deepEqual(figureInputs(kind, options.state, options.patterns), figureInputs(kind, state, shownPatterns(state)),
        `${kind}: ${snippet} from ${JSON.stringify(overrides)}`);
      // Only keys that apply: each attribute written changes the figure (or is read by its drawing).
      for (const name of attributesOf(snippet).keys()) {
        if (name === 'kind') continue;
        assert.ok(keyApplies(kind, keyOfAttribute.get(name), state), `${kind}: ${name} does not apply, in ${snippet}`);
      }
    }
  }
});

// Issue 19 item 6, as filed: a patterns snippet carried sweep, depth and heads keys, and dropped windows=1.
test('a patterns snippet carries no sweep, depth or heads keys, and keeps windows (six panels)', () => {
  const state = { ...defaultState, n: 32, windows: true, sweep_over: 'n', sweep_values: '8,16', sweep_stat: 'sigma_min',
    layers: 8, depth_variant: 'mlp', depth_metric: 'composite_residual', heads: 2, colour: 'sqrt', lang: 'zh' };
  const snippet = embedSnippet('patterns', state);
  assert.equal(snippet, '<attn-figure kind="patterns" n="32" colour="sqrt" windows="1"></attn-figure>');
  assert.equal(readBack(snippet).patterns.length, 6);
  assert.deepEqual(readBack(snippet).patterns, shownPatterns(state));
  assert.equal(embedSnippet('spectra', state), '<attn-figure kind="spectra" n="32" windows="1"></attn-figure>');
  assert.equal(embedSnippet('collapse', state),
    '<attn-figure kind="collapse" n="32" layers="8" depth-variant="mlp" depth-metric="composite_residual"></attn-figure>');
  assert.equal(embedSnippet('heads', state), '<attn-figure kind="heads" n="32" colour="sqrt" heads="2"></attn-figure>');
  // A sweep over n sets n itself: the page's n does not apply to it.
  assert.equal(embedSnippet('sweep', state),
    '<attn-figure kind="sweep" windows="1" sweep-over="n" sweep-values="8,16" sweep-stat="sigma_min"></attn-figure>');
  assert.equal(embedSnippet('sweep', { ...state, sweep_over: 'd', sweep_values: '1,2' }),
    '<attn-figure kind="sweep" n="32" windows="1" sweep-over="d" sweep-values="1,2" sweep-stat="sigma_min"></attn-figure>');
  assert.equal(embedSnippet('architectures', state), '<attn-figure kind="architectures"></attn-figure>');
  // The raises-rank figure is softmax attention on the bidirectional pattern whatever the state says.
  assert.equal(embedSnippet('raises-rank', { ...state, kind: 'linear', prefix: 3, window: 2 }),
    '<attn-figure kind="raises-rank" n="32"></attn-figure>');
  // The feature map matters only to linear attention: dropped under softmax, kept by the linear figure.
  assert.equal(embedSnippet('patterns', { ...defaultState, feature: 'relu' }), '<attn-figure kind="patterns"></attn-figure>');
  assert.equal(embedSnippet('linear', { ...defaultState, feature: 'relu' }), '<attn-figure kind="linear" feature="relu"></attn-figure>');
  // Without windows, the window patterns are not drawn: their w does not apply.
  assert.equal(embedSnippet('patterns', { ...defaultState, window: 3 }), '<attn-figure kind="patterns"></attn-figure>');
});

test('every figure kind says which parameters apply to it (figure-parameters.mjs)', () => {
  assert.deepEqual(Object.keys(figureParameters).sort(), [...figureKinds].sort(),
    'every figure kind needs an entry in web/embed/figure-parameters.mjs (then run node scripts/embed-reference.mjs)');
  assert.deepEqual(kindStateKeys('raises-rank'), ['n', 'd', 'scale', 'seed', 'precision', 'rope', 'repeat']);
  assert.deepEqual(kindStateKeys('heads'), ['n', 'd', 'scale', 'seed', 'colour', 'colour_range', 'heads']);
  assert.deepEqual(kindStateKeys('collapse'), ['n', 'd', 'scale', 'seed', 'prefix', 'window', 'layers', 'depth_variant', 'depth_metric']);
  assert.deepEqual(kindStateKeys('architectures'), []);
  assert.ok(kindStateKeys('patterns').includes('windows') && kindStateKeys('patterns').includes('feature'));
  assert.ok(!kindStateKeys('patterns').includes('sweep_over') && !kindStateKeys('linear').includes('kind'));
});

test('only non-default values are written; attention for the kind, hyphens for sweep keys', () => {
  assert.equal(embedSnippet('patterns', defaultState), '<attn-figure kind="patterns"></attn-figure>');
  // Each sweep axis has its own default values (url-state.mjs sweepDefaults): d's are left out, the scale
  // axis's list on the d axis is written.
  assert.equal(embedSnippet('patterns', { ...defaultState, kind: 'linear', sweep_over: 'd', sweep_values: sweepDefaults.d, lang: 'zh' }),
    '<attn-figure kind="patterns" attention="linear"></attn-figure>');
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
  assert.deepEqual(read({ kind: 'pie' }).errors, { kind: 'kind=pie is unknown (expected one of: patterns, spectra, linear, raises-rank, sweep, stats, collapse, heads, architectures, claims, train)' });
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
