// The claims view: each claim of the essay (C1-C17, docs/claims.md) as a card with its statement, tag,
// source, the GoogleTest that backs it, and the live verdict the core computed for the current parameters
// (status, the individual checks, the numbers behind them). Formatting only: the statements, verdicts
// and numbers all come from the core's claims() (docs/result-schema.md); this file picks the language and
// formats numbers. DOM through textContent only. Used by the explorer page and <attn-figure kind="claims">.
// The claims the training lab tests get the lab's verdict below their card (lab-claims.mjs, through
// `decorate`, which figures/claims.mjs sets).
import { typesetPlainMath } from '../i18n/math.mjs';
import { formatCount, formatReal } from './format.mjs';
import { upperBoundText } from './stats-card.mjs';

export const claimStatuses = Object.freeze(['holds', 'fails', 'partly', 'no_verdict']);
const kStatusMarks = { holds: '\u2713', fails: '\u2717', partly: '\u25d0', no_verdict: '\u2014' };

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// One field of a claim in the language: statement_en / statement_zh, label_en / label_zh, ..., its plain-text
// math typeset as the page's prose writes it (math.mjs typesetPlainMath).
function inLanguage(entry, field, lang) {
  return typesetPlainMath(entry[`${field}_${lang}`] || entry[`${field}_en`] || '');
}

// A fact's value as text: integers as they are, reals with 4 significant digits, "≥ x" for a lower bound,
// "≤ x" for an upper bound (sigma_min at the accuracy floor: x is the floor); no value (null) is "n/a".
export function factText(fact, text) {
  let shown;
  if (fact.value === null || fact.value === undefined) return text('value.not_applicable');
  if (fact.format === 'boolean') shown = fact.value ? text('value.yes') : text('value.no');
  else if (fact.format === 'integer') shown = formatCount(fact.value);
  else if (fact.format === 'number') shown = formatReal(fact.value);
  else shown = String(fact.value);
  if (fact.is_upper_bound) return upperBoundText(shown);
  return fact.is_lower_bound ? text('value.lower_bound', { value: shown }) : shown;
}

// The ids of a claim list such as "C4, c17" (order kept, duplicates dropped); unknown ids are reported by
// the caller against the core's catalogue.
export function parseClaimIds(listText) {
  return [...new Set(listText.split(',').map((entry) => entry.trim().toUpperCase()).filter(Boolean))];
}

function cardHeader(claim, lang, text) {
  const header = element('header', 'claim-header');
  const id = element('span', 'claim-id', claim.id);
  const tag = element('span', 'claim-tag', text(`tag.${claim.tag}`));
  tag.dataset.tag = claim.tag;
  const detail = inLanguage(claim, 'tag_detail', lang);
  if (detail) tag.title = detail;
  const status = claim.verdict.status;
  const verdict = element('span', 'claim-status', `${kStatusMarks[status] ?? ''} ${text(`claims.status.${status}`)}`);
  verdict.dataset.status = status;
  header.append(id, tag, verdict);
  return header;
}

function partsList(parts, lang, text) {
  const list = element('ul', 'claim-parts');
  for (const part of parts) {
    const item = element('li', undefined,
      `${part.holds ? kStatusMarks.holds : kStatusMarks.fails} ${inLanguage(part, 'label', lang)}`);
    item.dataset.key = part.key;
    item.dataset.holds = String(part.holds);
    item.title = part.holds ? text('claims.part_holds') : text('claims.part_fails');
    list.append(item);
  }
  return list;
}

// The core reports "x is a lower bound" as its own boolean fact `<key>_is_lower_bound` (shown as "≥ x"),
// and "x is an upper bound" as `<key>_is_upper_bound` (shown as "≤ x"); the flag facts themselves are folded.
export function foldBounds(facts) {
  const flagged = (suffix) => new Set(facts.filter((fact) => fact.key.endsWith(suffix) && fact.value === true)
    .map((fact) => fact.key.slice(0, -suffix.length)));
  const lower = flagged('_is_lower_bound');
  const upper = flagged('_is_upper_bound');
  return facts.filter((fact) => !fact.key.endsWith('_is_lower_bound') && !fact.key.endsWith('_is_upper_bound'))
    .map((fact) => ({ ...fact, is_lower_bound: lower.has(fact.key), is_upper_bound: upper.has(fact.key) }));
}

function factsList(facts, lang, text) {
  const list = element('dl', 'claim-facts');
  for (const fact of foldBounds(facts)) {
    const row = element('div', 'claim-fact');
    const value = element('dd', undefined, factText(fact, text));
    value.dataset.key = fact.key;
    value.dataset.value = JSON.stringify(fact.value ?? null);
    if (fact.is_lower_bound || fact.is_upper_bound) value.classList.add('is-bound');
    row.append(element('dt', undefined, inLanguage(fact, 'label', lang)), value);
    list.append(row);
  }
  return list;
}

// One claim's card. claim: an entry of claims().claims.
export function claimCard(claim, lang, text) {
  const card = element('article', 'claim-card');
  card.dataset.claim = claim.id;
  card.dataset.tag = claim.tag;
  card.dataset.status = claim.verdict.status;
  card.append(cardHeader(claim, lang, text), element('p', 'claim-statement', inLanguage(claim, 'statement', lang)));
  const detail = inLanguage(claim, 'tag_detail', lang);
  if (detail) card.append(element('p', 'claim-tag-detail', detail));
  const { parts, facts } = claim.verdict;
  if (parts.length) card.append(partsList(parts, lang, text));
  if (facts.length) card.append(factsList(facts, lang, text));
  const footer = element('p', 'claim-source');
  footer.append(element('span', undefined, text('claims.source', { source: inLanguage(claim, 'source', lang) })));
  const test = claim.backing_test
    ? element('code', 'claim-test', claim.backing_test)
    : element('span', 'claim-test', text('claims.no_test'));
  test.dataset.test = claim.backing_test ?? '';
  footer.append(element('span', undefined, ` \u00b7 ${text('claims.backed_by')} `), test);
  card.append(footer);
  return card;
}

export class ClaimsView {
  // root: the element the cards go into (its children are replaced on each show).
  constructor(root) {
    this.root = root;
    this.result = null;
    this.ids = null;
    this.decorate = null;  // (root, text) after each render: the lab's verdicts (figures/claims.mjs)
  }

  // result: claims() of the core; ids: the claim ids to show (null = all); lang 'en' | 'zh'.
  show(result, ids, text) {
    this.result = result;
    this.ids = ids;
    this.render(text);
  }

  render(text) {
    if (!this.result) return;
    const lang = text('lang.code');
    const wanted = this.ids ? new Set(this.ids) : null;
    const cards = this.result.claims.filter((claim) => !wanted || wanted.has(claim.id))
      .map((claim) => claimCard(claim, lang, text));
    this.root.replaceChildren(...cards);
    this.root.dataset.claims = String(cards.length);
    this.decorate?.(this.root, text);
  }
}
