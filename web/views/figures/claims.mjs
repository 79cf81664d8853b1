// The claims figure: the essay's claims C1-C17 with the core's live verdicts for the state. Its
// analysis: claims() under the state (claimsConfigFor). An embedded figure may show some claims only
// (attribute `claim`: "C4,C17"); an id the core does not know is an error naming the attribute.
import { claimsConfigFor } from '../../state/url-state.mjs';
import { ClaimsView } from '../claims-view.mjs';
import { byId, element } from './elements.mjs';
import { figureEngine } from './engine.mjs';
import { isStale } from './errors.mjs';

export function computeClaims(engine, state) {
  return engine.request(null, 'claims', claimsConfigFor(state));
}

// A post (the essay) puts one claims figure beside each paragraph, mostly with the same parameters: their
// figures share one claims() per configuration (the last kClaimsCacheSize configurations are kept).
const kClaimsCacheSize = 8;
const claimsCache = new Map();  // JSON of the config -> Promise of claims()

function claimsOnce(engine, state) {
  const config = claimsConfigFor(state);
  const key = JSON.stringify(config);
  let pending = claimsCache.get(key);
  if (!pending) {
    pending = engine.call('claims', config);
    pending.catch(() => claimsCache.delete(key));
    claimsCache.set(key, pending);
    if (claimsCache.size > kClaimsCacheSize) claimsCache.delete(claimsCache.keys().next().value);
  }
  return pending;
}

// The lab's table (lab_experiments(): which claims the lab tests), asked once per page.
let labTable = null;
function labTableOf(engine) {
  if (!labTable) {
    labTable = engine.call('lab_experiments');
    labTable.catch(() => { labTable = null; });
  }
  return labTable;
}

// After each render of a claims view: below each card of a claim the lab tests, the lab's verdicts
// (views/lab-claims.mjs, imported and its gallery index fetched only when such a card first comes near the
// viewport, so a page that never shows one loads neither). root.dataset.lab says where it is: waiting (for
// a card to be seen), loading, shown, none (no such claim shown, or no gallery in this copy), failed (said
// in the cards).
const kLabMargin = '300px';  // how near the viewport a card starts the load
let labLoaded = null;  // { lab: the module, data } once loaded: later renders append at once

export function labDecorator(engine) {
  let renders = 0;
  let observer = null;
  return (root, text) => {
    const render = ++renders;
    const lang = text('lang.code');
    const isCurrent = () => render === renders;
    observer?.disconnect();
    const append = (lab, data, cards) => {
      if (!data) {
        root.dataset.lab = 'none';
        return;
      }
      for (const card of cards) {
        const block = lab.labBlock(card.dataset.claim, data, lang, text);
        if (block) card.append(block);
      }
      root.dataset.lab = 'shown';
    };
    const load = async (table, cards) => {
      root.dataset.lab = 'loading';
      const lab = await import('../lab-claims.mjs');
      try {
        const data = await lab.labClaimVerdicts(engine, table);
        labLoaded = { lab, data };
        if (isCurrent()) append(lab, data, cards);
      } catch (failure) {
        if (!isCurrent()) return;
        for (const card of cards) card.append(lab.labFailure(failure, text));
        root.dataset.lab = 'failed';
      }
    };
    labTableOf(engine).then((table) => {
      if (!isCurrent()) return;
      const tested = new Set(table.experiments.flatMap((experiment) => [...experiment.claims]));
      const cards = [...root.querySelectorAll('.claim-card')].filter((card) => tested.has(card.dataset.claim));
      if (cards.length === 0) {
        root.dataset.lab = 'none';
      } else if (labLoaded) {
        append(labLoaded.lab, labLoaded.data, cards);
      } else {
        root.dataset.lab = 'waiting';
        observer = new IntersectionObserver((entries) => {
          if (!entries.some((entry) => entry.isIntersecting)) return;
          observer.disconnect();
          load(table, cards);
        }, { rootMargin: kLabMargin });
        for (const card of cards) observer.observe(card);
      }
    }).catch(() => {
      if (isCurrent()) root.dataset.lab = 'none';  // an engine without the lab's functions: the cards stand as they are
    });
  };
}

// <attn-figure kind="claims">.
export class ClaimsFigure {
  constructor(body) {
    const list = element('div', 'claims-list', 'claims');
    body.append(list);
    this.view = new ClaimsView(list);
    this.results = null;
  }

  // The claims() result (embed/element-api.mjs figureResults).
  get result() { return this.results; }

  async run(context) {
    const engine = figureEngine(context);
    this.view.decorate ??= labDecorator(engine);
    const result = await claimsOnce(engine, context.state);
    const known = result.claims.map((claim) => claim.id);
    const unknown = (context.claims ?? []).find((id) => !known.includes(id));
    if (unknown !== undefined) throw new Error(`claim=${unknown} is unknown (expected one of: ${known.join(', ')})`);
    this.view.show(result, context.claims, context.text);
    this.results = result;
  }

  show(text) { this.view.render(text); }

  redraw() {}
}

// The explorer's stage 6 (slot `claims`): every claim.
export class ClaimsSection {
  constructor(host) {
    this.host = host;
    this.view = new ClaimsView(byId('claims-list'));
    this.result = null;
    byId('claims-run').addEventListener('click', () => this.run(host.generation));
  }

  async run(generation) {
    const { host } = this;
    const status = byId('claims-status');
    const error = byId('error-claims');
    status.textContent = host.text('claims.computing');
    error.hidden = true;
    try {
      const engine = host.engine('claims');
      const result = await computeClaims(engine, host.state);
      if (!host.isCurrent(generation)) return;
      this.view.decorate ??= labDecorator(engine);
      this.result = result;
      this.view.show(result, null, host.text);
      status.textContent = '';
    } catch (failure) {
      if (isStale(failure) || !host.isCurrent(generation)) return;
      status.textContent = '';
      error.textContent = failure.message;
      error.hidden = false;
    }
  }

  setText(text) { this.view.render(text); }
}
