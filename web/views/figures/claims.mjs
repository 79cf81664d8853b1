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

// <attn-figure kind="claims">.
export class ClaimsFigure {
  constructor(body) {
    const list = element('div', 'claims-list', 'claims');
    body.append(list);
    this.view = new ClaimsView(list);
  }

  async run(context) {
    const result = await claimsOnce(figureEngine(context), context.state);
    const known = result.claims.map((claim) => claim.id);
    const unknown = (context.claims ?? []).find((id) => !known.includes(id));
    if (unknown !== undefined) throw new Error(`claim=${unknown} is unknown (expected one of: ${known.join(', ')})`);
    this.view.show(result, context.claims, context.text);
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
      const result = await computeClaims(host.engine('claims'), host.state);
      if (!host.isCurrent(generation)) return;
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
