// The claims view's stylesheet, written once and used twice: the explorer page adopts it into the
// document, <attn-figure kind="claims"> appends it to its shadow root's sheet (figure-style.mjs). It uses
// only the theme's custom properties (--text, --muted, --rule, --good, --error, ...), which both the page
// and the embed define for light and dark. No layout outside the cards.
export const claimsCss = `
.claims-list { display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr)); }
.claim-card {
  border: 1px solid var(--rule);
  border-radius: 8px;
  padding: 0.7rem 0.85rem;
  background: var(--surface, transparent);
  min-width: 0;
  overflow-wrap: anywhere;
  break-inside: avoid;
}
.claim-header { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: baseline; }
.claim-id { font-weight: 700; font-family: var(--font-mono, monospace); }
.claim-tag, .claim-status {
  font-size: 0.8em;
  border: 1px solid var(--rule);
  border-radius: 999px;
  padding: 0 0.5em;
  color: var(--muted);
}
.claim-status { margin-left: auto; font-weight: 600; }
.claim-status[data-status="holds"] { color: var(--good, #1f7a4d); border-color: currentColor; }
.claim-status[data-status="fails"] { color: var(--error); border-color: currentColor; }
.claim-status[data-status="partly"] { color: var(--mask-outline, #c2410c); border-color: currentColor; }
.claim-statement { margin: 0.45rem 0 0.35rem; }
.claim-tag-detail { margin: 0 0 0.35rem; font-size: 0.85em; color: var(--muted); }
.claim-parts { list-style: none; margin: 0.3rem 0; padding: 0; font-size: 0.9em; }
.claim-parts li[data-holds="true"]::first-letter { color: var(--good, #1f7a4d); }
.claim-parts li[data-holds="false"]::first-letter { color: var(--error); }
.claim-facts { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 0.1rem 0.75rem; margin: 0.3rem 0; font-size: 0.9em; }
.claim-fact { display: contents; }
.claim-fact dt { color: var(--muted); }
.claim-fact dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
.claim-source { margin: 0.4rem 0 0; font-size: 0.8em; color: var(--muted); }
.claim-test { font-size: 0.95em; }
.claim-lab { margin: 0.55rem 0 0; padding-top: 0.45rem; border-top: 1px solid var(--rule); font-size: 0.9em; }
.claim-lab-heading { margin: 0 0 0.3rem; font-size: 1em; font-weight: 600; }
.claim-lab-group + .claim-lab-group { margin-top: 0.5rem; }
.claim-lab-title { margin: 0; display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: baseline; }
.claim-lab-settings { font-weight: 600; }
.claim-lab-verdict {
  font-size: 0.9em;
  border: 1px solid currentColor;
  border-radius: 999px;
  padding: 0 0.5em;
  font-weight: 600;
  color: var(--muted);
}
.claim-lab-verdict[data-verdict="supported"] { color: var(--good, #1f7a4d); }
.claim-lab-verdict[data-verdict="contradicted"] { color: var(--error); }
.claim-lab-verdict[data-verdict="inconclusive"] { color: var(--mask-outline, #c2410c); }
.claim-lab-text { margin: 0.25rem 0; }
.claim-lab-experiments { margin: 0.2rem 0; padding-left: 1.1rem; }
.claim-lab-experiment-settings { color: var(--muted); }
.claim-lab-rerun { white-space: nowrap; color: var(--accent, currentColor); text-underline-offset: 0.15em; }
.claim-lab-comparisons { margin: 0.2rem 0 0; }
.claim-lab-comparisons summary { cursor: pointer; color: var(--muted); }
.claim-lab-comparisons ul { margin: 0.2rem 0; padding-left: 1.1rem; }
.claim-lab-comparisons li + li { margin-top: 0.2rem; }
.claim-lab-error { color: var(--error); }
`;

let sheet = null;

// One CSSStyleSheet for every document and shadow root that asks (sheets can be shared).
export function claimsStyleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(claimsCss);
  }
  return sheet;
}
