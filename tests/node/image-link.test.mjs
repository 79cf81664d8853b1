// The "Image + link" export's pure half (web/views/image-link.mjs): the HTML and Markdown snippets (escaped,
// the image's size, the link around the image), the link to the explorer (absolute, on the author's base, the
// explorer's own URL state of the keys that apply, read back by the explorer's URL parser into a figure that
// asks the core the same), the link to embed.html from an embed, the base check, the parameters in words (from
// the registry's labels, the keys that matter to the figure) and the alt text (the figure's accessible names
// and descriptions, joined, in en and zh).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, test } from 'node:test';

import { figureParameters } from '../../web/embed/figure-parameters.mjs';
import { loadLanguage, t } from '../../web/i18n/strings.mjs';
import { installPatterns, shownPatterns } from '../../web/state/pattern-registry.mjs';
import { defaultState, parseState, serializeState } from '../../web/state/url-state.mjs';
import { altText, embedPageLink, explorerLink, explorerQuery, explorerSection, exportBaseName, imageAddress, imageFileName, imageKinds,
  imageLinkSnippets, pageBase, parameterWords, parseBase } from '../../web/views/image-link.mjs';
import { loadAttnrank } from './load-wasm.mjs';

let limits;
before(async () => {
  const attnrank = await loadAttnrank();
  installPatterns(attnrank.patterns());
  limits = { ...attnrank.limits(), messages: attnrank.messages() };
  await loadLanguage('zh');
});

const en = (key, params) => t('en', key, params);
const zh = (key, params) => t('zh', key, params);

test('the HTML snippet is one link around one image with its file, alt text and size; the Markdown says the same', () => {
  const { html, markdown } = imageLinkSnippets({ link: 'https://example.org/attnrank/?n=32&d=4&lang=en#spectra',
    file: 'attnrank-n32-d4-s1-seed7-spectra.png', alt: 'Singular values. 4 series.', width: 720, height: 525 });
  assert.equal(html, '<a href="https://example.org/attnrank/?n=32&amp;d=4&amp;lang=en#spectra">'
    + '<img src="attnrank-n32-d4-s1-seed7-spectra.png" alt="Singular values. 4 series." width="720" height="525"></a>');
  assert.equal(markdown, '[![Singular values. 4 series.](attnrank-n32-d4-s1-seed7-spectra.png)](https://example.org/attnrank/?n=32&d=4&lang=en#spectra)');
});

test('docs/embedding.md section 13 quotes the snippets as imageLinkSnippets writes them', async () => {
  const docs = await readFile(new URL('../../docs/embedding.md', import.meta.url), 'utf8');
  const example = /<!-- image-link example:[^\n]*-->\n```html\n(.*)\n```\n\n```markdown\n(.*)\n```\n<!-- end of the image-link example -->/.exec(docs);
  assert.ok(example, 'the example block of section 13');
  const { html, markdown } = imageLinkSnippets({ link: explorerLink('https://example.org/attnrank/', 'spectra',
    { ...defaultState, n: 32, d: 4 }, 'en'), file: imageFileName(exportBaseName({ ...defaultState, n: 32, d: 4 }), 'spectra'),
  alt: 'Singular values. 4 series.', width: 720, height: 525 });
  assert.deepEqual([example[1], example[2]], [html, markdown]);
});

test('snippets escape what would break out: quotes and angle brackets in HTML, brackets and parentheses in Markdown', () => {
  const alt = 'A "quoted" <b>bold</b> & [bracketed] \\ text\nover two lines';
  const link = 'https://example.org/a (b)/?x=<1>';
  const { html, markdown } = imageLinkSnippets({ link, file: 'my figure (1).png', alt, width: 10, height: 20 });
  const match = /^<a href="([^"]*)"><img src="([^"]*)" alt="([^"]*)" width="10" height="20"><\/a>$/.exec(html);
  assert.ok(match, html);
  const unescape = (text) => text.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  assert.deepEqual(match.slice(1).map(unescape), [link, 'my figure (1).png', alt]);
  assert.ok(!/[<>"]/.test(match[3]), 'no raw quote or angle bracket inside the alt attribute');
  // Markdown: one line, alt brackets and backslashes escaped, destinations without spaces, parentheses or angle brackets.
  assert.equal(markdown, '[![A "quoted" <b>bold</b> & \\[bracketed\\] \\\\ text over two lines](my%20figure%20%281%29.png)]'
    + '(https://example.org/a%20%28b%29/?x=%3C1%3E)');
});

// States of the explorer's URL, as in tests/node/embed-snippet.test.mjs.
const states = [
  {},
  { n: 32, d: 4, scale: 0.25, seed: 123, prefix: 5, window: 3, precision: 'f32', rope: true, repeat: 4 },
  { kind: 'linear', feature: 'favor', features: 16, colour: 'log' },
  { sweep_over: 'n', sweep_values: '8,16,32', sweep_stat: 'condition_number' },
  { windows: true, window: 3, colour_range: 'panel', layers: 16, depth_variant: 'skip', depth_metric: 'path_residual', heads: 2 },
];

function figureInputs(kind, state) {
  const entry = figureParameters[kind];
  return { configs: entry.configs(state, entry.usesPatterns ? shownPatterns(state) : null),
    reads: Object.fromEntries(entry.reads.map((key) => [key, state[key]])) };
}

test('the link is absolute, on the base, at the figure\'s section; the explorer reads it back as this figure', () => {
  for (const overrides of states) {
    const state = { ...defaultState, ...overrides };
    for (const kind of imageKinds) {
      for (const lang of ['en', 'zh']) {
        const link = new URL(explorerLink('https://example.org/tools/attnrank/index.html', kind, state, lang));
        assert.equal(`${link.origin}${link.pathname}`, 'https://example.org/tools/attnrank/index.html');
        assert.equal(link.hash, `#${explorerSection[kind]}`);
        assert.equal(link.searchParams.get('lang'), lang);
        const parsed = parseState(link.searchParams, limits);
        assert.deepEqual(parsed.errors ?? {}, {}, link.href);
        const readBack = { ...defaultState, ...parsed.state };
        assert.deepEqual(figureInputs(kind, readBack), figureInputs(kind, state), `${kind}: ${link.href} from ${JSON.stringify(overrides)}`);
      }
    }
  }
});

test('the link carries the explorer\'s own spelling of the keys that apply to the figure, and no others', () => {
  const state = { ...defaultState, n: 32, d: 4, scale: 2, kind: 'linear', sweep_over: 'n', layers: 8, heads: 2 };
  assert.equal(explorerQuery('patterns', state, 'en').toString(), 'n=32&d=4&scale=2&kind=linear&lang=en');
  // raises-rank draws softmax whatever the page's kind; the sweep over n sets n itself.
  assert.equal(explorerQuery('raises-rank', state, 'zh').toString(), 'n=32&d=4&scale=2&lang=zh');
  // (sweep_values are the scale's defaults here, not the n axis's: the explorer's URL keeps them, so does the link.)
  assert.equal(explorerQuery('sweep', state, 'en').toString(), 'd=4&scale=2&kind=linear&sweep_over=n&sweep_values=0.25%2C0.5%2C1%2C2%2C4&lang=en');
  assert.equal(explorerQuery('collapse', state, 'en').toString(), 'n=32&d=4&scale=2&layers=8&lang=en');
  // Every pair the link carries is one the explorer's own URL would carry for that state.
  const own = new Map(serializeState(state));
  for (const kind of imageKinds) {
    for (const [key, value] of explorerQuery(kind, state, 'en')) if (key !== 'lang') assert.equal(own.get(key), value, `${kind} ${key}`);
  }
});

test('a base is an http(s) address (relative ones resolved), without its query and fragment; anything else is refused', () => {
  assert.equal(parseBase('https://example.org/attnrank/?n=3#x', 'http://localhost/'), 'https://example.org/attnrank/');
  assert.equal(parseBase('  /tools/explorer.html ', 'http://localhost:8000/a/b.html'), 'http://localhost:8000/tools/explorer.html');
  for (const bad of ['', '   ', 'javascript:alert(1)', 'data:text/html,x', 'ftp://example.org/', 'http://[bad']) {
    assert.equal(parseBase(bad, 'http://localhost/'), null, bad);
  }
  assert.equal(pageBase({ origin: 'https://example.org', pathname: '/attnrank/', search: '?n=8', hash: '#spectra' }),
    'https://example.org/attnrank/');
});

test('an embed links to embed.html beside it with its attributes (not its controls) and its language', () => {
  const link = embedPageLink('https://blog.example/static/attnrank/', [['kind', 'spectra'], ['n', '32'], ['pattern', 'forward,backward'],
    ['controls', 'full'], ['lang', 'en']], 'zh');
  assert.equal(link, 'https://blog.example/static/attnrank/embed.html?kind=spectra&n=32&pattern=forward%2Cbackward&lang=zh');
});

test('the parameters in words: the patterns shown, then the keys that matter to the figure, with the registry\'s labels', () => {
  const words = parameterWords('spectra', { ...defaultState }, shownPatterns(defaultState), en);
  assert.deepEqual(words, ['patterns: bidirectional, prefix (mixed), forward (causal), backward', 'n (tokens) = 64',
    'd (head dimension) = 8', 'logit scale s = 1', 'seed = 7', 'precision = f64']);
  // A sweep over n sets n itself: no n; the sweep's own keys when they are not the defaults.
  const sweep = { ...defaultState, sweep_over: 'n', sweep_values: '8,16', rope: true };
  const sweepWords = parameterWords('sweep', sweep, shownPatterns(sweep), en);
  assert.ok(!sweepWords.some((phrase) => phrase.startsWith('n (tokens)')), sweepWords.join(' | '));
  assert.ok(sweepWords.includes('sweep over = n') && sweepWords.includes('values (comma-separated) = 8,16'), sweepWords.join(' | '));
  assert.ok(sweepWords.includes('RoPE on Q and K'), 'a boolean that is on reads as its label');
  // Depth: its layers; a heatmap colour named only when it is not the default; in Chinese, the Chinese labels.
  assert.ok(parameterWords('collapse', { ...defaultState }, null, en).includes('layers L = 128'));
  assert.ok(!parameterWords('patterns', { ...defaultState }, shownPatterns(defaultState), en).some((phrase) => phrase.includes('colour')));
  assert.ok(parameterWords('patterns', { ...defaultState, colour: 'sqrt' }, shownPatterns(defaultState), en).includes('heatmap colour = sqrt'));
  const chinese = parameterWords('spectra', { ...defaultState }, shownPatterns(defaultState), zh);
  assert.equal(chinese[0], `模式：${['bidirectional', 'prefix', 'forward', 'backward'].map((pattern) => zh(`pattern.${pattern}`)).join('、')}`);
  assert.equal(chinese[1], `${zh('control.n')}：64`);
});

test('the alt text is the title and the figure\'s own accessible names and descriptions, as sentences', () => {
  const parts = [{ name: 'singular value σᵢ against index i', description: '4 series over index i from 1 to 32; highest 1.7.' },
    { name: 'attention matrix A, forward', description: '' }];
  assert.equal(altText('Singular values', parts, en),
    'Singular values. singular value σᵢ against index i. 4 series over index i from 1 to 32; highest 1.7. attention matrix A, forward.');
  assert.equal(altText('奇异值', [{ name: '奇异值 随 序号 的变化', description: '4 条曲线。' }], zh), '奇异值。奇异值 随 序号 的变化。4 条曲线。');
  assert.equal(altText('  Two\n lines ', [], en), 'Two lines.');
});

test('the image\'s address: the file name alone, or the file in the folder the author uploads to (absolute)', () => {
  assert.equal(imageAddress('', 'attnrank-n8-spectra.png'), 'attnrank-n8-spectra.png');
  assert.equal(imageAddress('https://blog.example/images', 'attnrank-n8-spectra.png'), 'https://blog.example/images/attnrank-n8-spectra.png');
  assert.equal(imageAddress('https://blog.example/images/?x=1', 'a b.png'), 'https://blog.example/images/a%20b.png');
  assert.equal(imageAddress('javascript:alert(1)//', 'a.png'), 'a.png', 'not an http(s) folder: the file name alone');
});

test('file names follow the data and the figure', () => {
  assert.equal(imageFileName(exportBaseName({ n: 32, d: 4, scale: 1, seed: 7 }), 'raises-rank'), 'attnrank-n32-d4-s1-seed7-raises-rank.png');
  assert.equal(imageFileName('attnrank-n8', 'spectra', 'svg'), 'attnrank-n8-spectra.svg');
});
