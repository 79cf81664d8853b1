// <attn-figure>'s API beside its attributes (issue 19 item 2) in Debian's Chromium, on host pages of web/'s origin
// under the strict CSP: a typed property per attribute of web/embed/element-api.mjs, both ways, and kept when set
// before the element is defined; attn-figure-error with { code, message, param } for a bad attribute (the core's
// message, the attribute's name), of a train figure too; the read-only `result` (the core's numbers the figure
// shows); the default slot's content before the first drawing and on a failure, hidden once drawn; a public
// --attn-* custom property changing a computed colour; the ::part()s the element shows over every kind equal
// element-api.mjs's list (which docs/embedding.md and custom-elements.json are written from); no console error,
// failed request or CSP violation.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';

import { contentSecurityPolicy } from '../../scripts/static-server.mjs';
import { figureParts } from '../../web/embed/element-api.mjs';
import { openPage, useBrowser } from './browser.mjs';

const kTimeout = 120_000;
const hosts = new Map();  // name -> the body of a host page

// A host page: the embed's one script (unless withScript is false), the theme stylesheet, then `figures`.
function hostPage(name, figures, { withScript = true } = {}) {
  hosts.set(`${name}.html`, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title>
<link rel="icon" href="/favicon.svg"><link rel="stylesheet" href="/element-host/theme.css">
${withScript ? '<script type="module" src="/attnrank.mjs"></script>' : ''}</head>
<body><h1>A post</h1><h2>Figures</h2>${figures}</body></html>\n`);
  return `${browser.serverUrl}element-host/${name}.html`;
}
// A page's own theme: public custom properties on a class of figures.
hosts.set('theme.css', `attn-figure.themed { --attn-error: rgb(1, 2, 3); --attn-series-1: rgb(4, 5, 6); --attn-text: rgb(7, 8, 9); }
.spacer { height: 5000px; }
`);

const browser = useBrowser({ viewport: { width: 1000, height: 900 } }, {
  setUp: async ({ context }) => {
    await context.route((url) => url.pathname.startsWith('/element-host/'), (route) => {
      const name = path.basename(new URL(route.request().url()).pathname);
      return route.fulfill({ status: 200, body: hosts.get(name) ?? '',
        headers: { 'Content-Type': name.endsWith('.css') ? 'text/css' : 'text/html; charset=utf-8', 'Content-Security-Policy': contentSecurityPolicy } });
    });
  },
});

// Opens a host page, recording attn-figure-done and attn-figure-error events (window.figureEvents).
async function open(url) {
  const { page, problems } = await openPage(browser.context, 'about:blank', { collectCspViolations: true });
  await page.addInitScript(() => {
    window.figureEvents = [];
    for (const name of ['attn-figure-done', 'attn-figure-error']) {
      document.addEventListener(name, (event) => window.figureEvents.push({ type: name, id: event.target.id, detail: event.detail }));
    }
  });
  await page.goto(url);
  return { page, problems };
}

async function assertClean({ page, problems }) {
  assert.deepEqual(problems, [], 'no console error, page error or failed request');
  assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'no CSP violation');
}

const waitForState = (page, id, states) => page.waitForFunction(({ id, states }) =>
  states.includes(document.getElementById(id)?.dataset.state), { id, states }, { timeout: kTimeout });

async function computeAll(page, ids) {
  return page.evaluate((ids) => Promise.all(ids.map((id) => document.getElementById(id).computeNow())), ids);
}

describe('<attn-figure>\'s element API', () => {
  test('every attribute has a typed property on the element, reflecting both ways', async () => {
    const opened = await open(hostPage('properties', '<attn-figure id="figure" kind="patterns" n="16" d="4" pattern="forward"></attn-figure>'));
    const { page } = opened;
    await page.waitForFunction(() => customElements.get('attn-figure'));
    const checked = await page.evaluate(async () => {
      const { domPropertyNames, elementProperties } = await import('/embed/element-api.mjs');
      const AttnFigure = customElements.get('attn-figure');
      const accessors = Object.entries(Object.getOwnPropertyDescriptors(AttnFigure.prototype))
        .filter(([, descriptor]) => descriptor.get && descriptor.set).map(([name]) => name).sort();
      const failures = [];
      // A detached element: nothing computes; each property is written, read back and its attribute read.
      const element = document.createElement('attn-figure');
      const sample = (spec) => {
        if (spec.presence) return [true, '', true];
        if (spec.type === 'integer') return [3, '3', 3];
        if (spec.type === 'number') return [0.5, '0.5', 0.5];
        if (spec.type === 'boolean') return [true, '1', true];
        if (spec.type === 'list') return spec.items === 'string' ? [['forward', 'backward'], 'forward,backward', ['forward', 'backward']] : [[1, 2.5], '1,2.5', [1, 2.5]];
        const choice = spec.choices?.at(-1) ?? 'some-choice';
        return [choice, choice, choice];
      };
      for (const spec of elementProperties) {
        if (spec.isNative) {  // lang: HTMLElement's own reflection of the attribute
          element[spec.property] = 'zh';
          if (element.getAttribute(spec.attribute) !== 'zh') failures.push(`${spec.property} does not reflect`);
          element.removeAttribute(spec.attribute);
          continue;
        }
        const [value, text, read] = sample(spec);
        element[spec.property] = value;
        if (element.getAttribute(spec.attribute) !== text) failures.push(`${spec.property} = ${JSON.stringify(value)} wrote ${element.getAttribute(spec.attribute)}`);
        if (JSON.stringify(element[spec.property]) !== JSON.stringify(read)) failures.push(`${spec.property} read ${JSON.stringify(element[spec.property])}`);
        element.setAttribute(spec.attribute, text);
        if (JSON.stringify(element[spec.property]) !== JSON.stringify(read)) failures.push(`${spec.attribute}="${text}" read ${JSON.stringify(element[spec.property])}`);
        element[spec.property] = null;
        if (element.hasAttribute(spec.attribute)) failures.push(`${spec.property} = null kept the attribute`);
        if (element[spec.property] !== (spec.presence ? false : null)) failures.push(`${spec.property} absent read ${element[spec.property]}`);
      }
      // Types as they read: numbers, booleans, arrays; text that is not of the type reads NaN or null.
      element.setAttribute('n', ' 64 ');
      element.setAttribute('scale', 'abc');
      element.setAttribute('windows', 'false');
      element.setAttribute('autorun', 'false');
      element.setAttribute('prefix', '');
      element.setAttribute('seeds', '1, 2,3');
      element.setAttribute('sweep-values', '0.25,x');
      const typed = { n: element.n, scale: element.scale, windows: element.windows, autorun: element.autorun, prefix: element.prefix,
        seeds: element.seeds, sweepValues: element.sweepValues };
      // The properties whose names the DOM already has (and HTMLElement's lang, which the element leaves alone).
      const inDom = elementProperties.filter((spec) => spec.property in HTMLElement.prototype).map((spec) => spec.property).sort();
      return { accessors, expected: elementProperties.filter((spec) => !spec.isNative).map((spec) => spec.property).sort(), failures, typed,
        count: elementProperties.length, inDom, domPropertyNames, native: elementProperties.filter((spec) => spec.isNative).map((spec) => spec.property) };
    });
    assert.deepEqual(checked.accessors, checked.expected, 'the element\'s accessors are element-api.mjs\'s properties');
    assert.ok(checked.count >= 40, `only ${checked.count} properties`);
    assert.deepEqual(checked.failures, []);
    assert.deepEqual(checked.inDom, [...checked.native, ...checked.domPropertyNames].sort(), 'element-api.mjs domPropertyNames are the DOM\'s names');
    assert.deepEqual(checked.typed, { n: 64, scale: Number.NaN, windows: false, autorun: false, prefix: null, seeds: [1, 2, 3], sweepValues: [0.25, Number.NaN] });
    // A property set on a figure in the page recomputes it, as its attribute does.
    await computeAll(page, ['figure']);
    await page.evaluate(() => {
      const figure = document.getElementById('figure');
      figure.n = 8;
      figure.pattern = ['backward', 'forward'];
    });
    await page.waitForFunction(() => {
      const figure = document.getElementById('figure');
      const panels = [...figure.shadowRoot.querySelectorAll('.pattern-panel')];
      return figure.dataset.state === 'done' && panels.map((panel) => `${panel.dataset.pattern}:${panel.dataset.n}`).join() === 'backward:8,forward:8';
    }, null, { timeout: kTimeout });
    assert.deepEqual(await page.evaluate(() => {
      const figure = document.getElementById('figure');
      return [figure.getAttribute('n'), figure.getAttribute('pattern'), figure.n, figure.pattern];
    }), ['8', 'backward,forward', 8, ['backward', 'forward']]);
    await assertClean(opened);
    await opened.page.close();
  });

  test('properties set before the element is defined are kept', async () => {
    const opened = await open(hostPage('early', '<attn-figure id="early" kind="stats" d="4"></attn-figure>', { withScript: false }));
    const { page } = opened;
    const state = await page.evaluate(async () => {
      const inPage = document.getElementById('early');
      inPage.n = 8;
      inPage.pattern = ['forward'];
      inPage.windows = true;
      const made = document.createElement('attn-figure');  // made before, put in the page after the definition
      made.id = 'made';
      made.kind = 'stats';
      made.n = 4;
      made.d = 2;
      made.result = 'kept?';
      const before = Object.hasOwn(inPage, 'n') && !inPage.hasAttribute('n');
      await import('/attnrank.mjs');
      await customElements.whenDefined('attn-figure');
      document.body.append(made);
      const figures = [inPage, made];
      const states = await Promise.all(figures.map((figure) => figure.computeNow()));
      return { before, states, own: figures.map((figure) => ['n', 'kind', 'pattern', 'windows', 'result'].filter((name) => Object.hasOwn(figure, name))),
        early: [inPage.getAttribute('n'), inPage.getAttribute('pattern'), inPage.getAttribute('windows'), inPage.n, inPage.pattern, inPage.windows],
        made: [made.getAttribute('kind'), made.getAttribute('n'), made.getAttribute('d'), made.n],
        cards: figures.map((figure) => [...figure.shadowRoot.querySelectorAll('.stats-panel')].map((card) => card.dataset.pattern).join()),
        result: made.result === 'kept?' };
    });
    assert.ok(state.before, 'before the definition a property is only an own property of the element');
    assert.deepEqual(state.states, ['done', 'done']);
    assert.deepEqual(state.own, [[], []], 'the own properties were taken over by the accessors');
    assert.deepEqual(state.early, ['8', 'forward', '1', 8, ['forward'], true]);
    assert.deepEqual(state.made, ['stats', '4', '2', 4]);
    assert.deepEqual(state.cards, ['forward', 'bidirectional,prefix,forward,backward']);
    assert.equal(state.result, false, 'result is read-only: a value set before the definition is dropped');
    await assertClean(opened);
    await page.close();
  });

  test('a bad attribute fires attn-figure-error with the core\'s message and the attribute\'s name', async () => {
    const opened = await open(hostPage('errors', `<attn-figure id="n" kind="stats" n="-1"></attn-figure>
<attn-figure id="sweep" kind="sweep" n="8" sweep-values="1,,2"></attn-figure>
<attn-figure id="attention" kind="spectra" n="8" attention="quadratic"></attn-figure>
<attn-figure id="train" kind="train" experiment="nope"></attn-figure>`));
    const { page } = opened;
    await page.waitForFunction(() => customElements.get('attn-figure'));
    assert.deepEqual(await computeAll(page, ['n', 'sweep', 'attention', 'train']), ['error', 'error', 'error', 'error']);
    const events = await page.evaluate(() => window.figureEvents.filter((event) => event.type === 'attn-figure-error'));
    const byId = Object.fromEntries(events.map((event) => [event.id, event.detail]));
    assert.equal(events.length, 4, JSON.stringify(events));
    assert.deepEqual(byId.n, { code: 'invalid_attribute', message: 'n=-1 must be in [1, 4096]', param: 'n' });
    assert.deepEqual(byId.sweep, { code: 'invalid_attribute', message: 'sweep-values=1,,2 has an empty item', param: 'sweep-values' });
    assert.equal(byId.attention.code, 'invalid_attribute');
    assert.equal(byId.attention.param, 'attention');
    assert.match(byId.attention.message, /^attention=quadratic is unknown/);
    assert.equal(byId.train.code, 'invalid_attribute');
    assert.equal(byId.train.param, 'experiment');
    assert.match(byId.train.message, /experiment=nope/);
    // The detail is what the figure shows and says in its data-* attributes.
    for (const [id, detail] of Object.entries(byId)) {
      assert.deepEqual(await page.evaluate((id) => {
        const figure = document.getElementById(id);
        return { message: figure.shadowRoot.querySelector('.figure > [part="error"]').textContent, param: figure.dataset.errorParam };
      }, id), { message: detail.message, param: detail.param }, id);
    }
    // Fixed, the figure draws and fires attn-figure-done, whose detail keeps kind and ms.
    await page.evaluate(() => { document.getElementById('n').n = 8; });
    await waitForState(page, 'n', ['done']);
    const done = await page.evaluate(() => window.figureEvents.find((event) => event.type === 'attn-figure-done' && event.id === 'n').detail);
    assert.equal(done.kind, 'stats');
    assert.ok(done.ms > 0);
    await assertClean(opened);
    await page.close();
  });

  test('result: the core\'s results the figure drew, read-only, null before the first drawing', async () => {
    const opened = await open(hostPage('result', `<attn-figure id="stats" kind="stats" n="16" d="4"></attn-figure>
<attn-figure id="sweep" kind="sweep" n="8" d="2" pattern="forward,backward" sweep-values="0.5,2"></attn-figure>
<attn-figure id="train" kind="train" experiment="prefix"></attn-figure>
<div class="spacer"></div><attn-figure id="far" kind="stats"></attn-figure>`));
    const { page } = opened;
    await page.waitForFunction(() => customElements.get('attn-figure'));
    assert.deepEqual(await computeAll(page, ['stats', 'sweep', 'train']), ['done', 'done', 'done']);
    const facts = await page.evaluate(() => {
      const stats = document.getElementById('stats');
      const card = stats.shadowRoot.querySelector('[data-pattern="forward"]');
      const shown = Object.fromEntries([...card.querySelectorAll('dd')].map((dd) => [dd.dataset.key, JSON.parse(dd.dataset.value)]));
      const sweep = document.getElementById('sweep').result;
      const train = document.getElementById('train').result;
      const descriptor = Object.getOwnPropertyDescriptor(customElements.get('attn-figure').prototype, 'result');
      let threw = false;
      try {
        (function strict() { 'use strict'; stats.result = null; })();
      } catch (error) {
        threw = error instanceof TypeError;
      }
      return {
        patterns: Object.keys(stats.result), forward: stats.result.forward, shown,
        sweep: { over: sweep.over, values: sweep.values, patterns: Object.keys(sweep.results), counts: Object.values(sweep.results).map((list) => list.length) },
        train: { experiment: train.experiment, source: train.source, runs: train.runs.length, records: train.runs.every((run) => run.records.length > 0),
          last: JSON.parse(document.getElementById('train').shadowRoot.querySelector('.train').dataset.last) },
        trainLast: train.runs.map((run) => [run.configuration, run.records.at(-1)]),
        far: document.getElementById('far').result, hasSetter: Boolean(descriptor.set), threw, kept: stats.result !== null,
      };
    });
    assert.deepEqual(facts.patterns, ['bidirectional', 'prefix', 'forward', 'backward']);
    for (const key of ['numerical_rank_f64', 'effective_rank', 'sigma_min']) {
      assert.equal(facts.forward[key], facts.shown[key], `result.forward.${key} is the number the card shows`);
    }
    assert.deepEqual(facts.sweep.over, 'scale');
    assert.deepEqual(facts.sweep.values, [0.5, 2]);
    assert.deepEqual(facts.sweep.patterns, ['forward', 'backward']);
    assert.deepEqual(facts.sweep.counts, [2, 2]);
    assert.equal(facts.train.experiment, 'prefix');
    assert.equal(facts.train.source, 'gallery');
    assert.equal(facts.train.runs, 6);
    assert.ok(facts.train.records);
    // The runs' last records average to the means the figure draws.
    for (const [config, { mean, step }] of Object.entries(facts.train.last)) {
      const values = facts.trainLast.filter(([configuration]) => configuration === config).map(([, record]) => record);
      assert.ok(values.every((record) => record.step === step));
      const average = values.reduce((sum, record) => sum + record.heldout_loss, 0) / values.length;
      assert.ok(Math.abs(average - mean) <= 1e-12 * mean, `${config}: ${average} against ${mean}`);
    }
    assert.equal(facts.far, null, 'a figure that has not drawn has no result');
    // Another kind: its own result.
    await page.evaluate(() => { document.getElementById('stats').kind = 'linear'; });
    await page.waitForFunction(() => document.getElementById('stats').dataset.kind === 'linear'
      && document.getElementById('stats').dataset.state === 'done', null, { timeout: kTimeout });
    assert.deepEqual(await page.evaluate(() => Object.keys(document.getElementById('stats').result)),
      ['softmax-bidirectional', 'softmax-forward', 'linear-bidirectional', 'linear-forward']);
    assert.equal(facts.hasSetter, false);
    assert.ok(facts.threw, 'assigning result throws in strict code');
    assert.ok(facts.kept);
    await assertClean(opened);
    await page.close();
  });

  test('the slot\'s content shows until the first drawing and on a failure, and is hidden once drawn', async () => {
    const fallback = '<img src="/favicon.svg" alt="The four patterns" width="64" height="64"><p class="caption">Figure 1: the patterns.</p>';
    const opened = await open(hostPage('slot', `<attn-figure id="good" kind="stats" n="8" d="2">${fallback}</attn-figure>
<attn-figure id="bad" kind="stats" n="-1">${fallback}</attn-figure>
<div class="spacer"></div><attn-figure id="far" kind="stats" n="8">${fallback}</attn-figure>`));
    const { page } = opened;
    // Rendered: the image takes its box (getClientRects is empty for content a shadow root does not show).
    const shown = () => page.evaluate(() => Object.fromEntries(['good', 'bad', 'far'].map((id) => [id,
      document.getElementById(id).querySelector('img').getClientRects().length > 0])));
    await page.waitForFunction(() => customElements.get('attn-figure'));
    const first = await shown();
    assert.equal(first.far, true, 'a figure far from the viewport (not drawn yet) shows its slot');
    await waitForState(page, 'good', ['done']);
    await waitForState(page, 'bad', ['error']);
    assert.deepEqual(await shown(), { good: false, bad: true, far: true });
    // A figure that has drawn and then fails keeps its drawing, not the slot.
    await page.evaluate(() => { document.getElementById('good').n = -2; });
    await waitForState(page, 'good', ['error']);
    assert.equal((await shown()).good, false);
    // The slot is part "fallback".
    assert.equal(await page.evaluate(() => document.getElementById('bad').shadowRoot.querySelector('[part="fallback"] slot').assignedElements().length), 2);
    await assertClean(opened);
    await page.close();
    // Without the script (a feed, a reader without scripts), the content is all there is.
    const bare = await open(hostPage('bare', `<attn-figure kind="stats">${fallback}</attn-figure>`, { withScript: false }));
    assert.equal(await bare.page.evaluate(() => document.querySelector('attn-figure img').getClientRects().length > 0), true);
    await bare.page.close();
  });

  test('a public custom property changes a computed colour; the short internal names are not needed', async () => {
    const opened = await open(hostPage('theme', `<attn-figure id="themed" class="themed" kind="spectra" n="8" d="2"></attn-figure>
<attn-figure id="plain" kind="spectra" n="8" d="2"></attn-figure>
<attn-figure id="bad" class="themed" kind="spectra" n="0"></attn-figure>`));
    const { page } = opened;
    await page.waitForFunction(() => customElements.get('attn-figure'));
    await computeAll(page, ['themed', 'plain', 'bad']);
    const colours = await page.evaluate(() => {
      const of = (id, selector, property) => {
        const figure = document.getElementById(id);
        const node = selector ? figure.shadowRoot.querySelector(selector) : figure;
        const style = getComputedStyle(node);
        return property.startsWith('--') ? style.getPropertyValue(property).trim() : style[property];
      };
      return { error: of('bad', '.figure > [part="error"]', 'color'), text: of('themed', null, 'color'),
        series: of('themed', 'canvas.chart', '--series-1'), plainSeries: of('plain', 'canvas.chart', '--series-1') };
    });
    assert.equal(colours.error, 'rgb(1, 2, 3)');
    assert.equal(colours.text, 'rgb(7, 8, 9)');
    assert.equal(colours.series, 'rgb(4, 5, 6)');
    assert.match(colours.plainSeries, /^light-dark\(/, 'a figure without the property keeps its palette');
    await assertClean(opened);
    await page.close();
  });

  test('the parts the element shows over every kind are the documented ones (element-api.mjs figureParts)', async () => {
    const kinds = ['patterns', 'spectra', 'linear', 'raises-rank', 'sweep', 'stats', 'collapse', 'heads', 'architectures', 'claims'];
    // controls="full" on spectra: its Image + link bar (part exports) too.
    const figures = kinds.map((kind) => `<attn-figure id="${kind}" kind="${kind}" n="8" d="2" controls="${kind === 'spectra' ? 'full' : 'compact'}"></attn-figure>`).join('\n');
    const opened = await open(hostPage('parts', `${figures}
<attn-figure id="train" kind="train" experiment="prefix"></attn-figure><attn-figure id="bad" kind="stats" n="0"></attn-figure>`));
    const { page } = opened;
    await page.waitForFunction(() => customElements.get('attn-figure'));
    const states = await computeAll(page, [...kinds, 'train', 'bad']);
    assert.deepEqual(states, [...kinds.map(() => 'done'), 'done', 'error']);
    await page.waitForFunction(() => document.getElementById('spectra').shadowRoot.querySelector('[part~="exports"]'), null, { timeout: kTimeout });
    const parts = await page.evaluate(() => {
      const names = new Set();
      for (const figure of document.querySelectorAll('attn-figure')) {
        for (const node of figure.shadowRoot.querySelectorAll('[part]')) for (const name of node.part) names.add(name);
      }
      return [...names].sort();
    });
    assert.deepEqual(parts, Object.keys(figureParts).sort());
    await assertClean(opened);
    await page.close();
  });
});
