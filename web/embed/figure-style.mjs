// The shadow-root stylesheet of <attn-figure>, adopted as a constructed CSSStyleSheet (no <style>
// element, no inline style attribute: the embed runs under style-src 'self'). Themeable from the host page
// through the public custom properties below (customProperties: --attn-text, --attn-accent, --attn-series-1, ...,
// set on attn-figure or an ancestor), each mapped onto the short internal name the sheet and the views use
// (--text, --accent, --series-1: internal, not an API), and through ::part() (element-api.mjs figureParts).
// Light and dark (issue 17 item 1): every colour is light-dark(light, dark), resolved against the color-scheme
// the figure inherits from the host page, so a page that declares no dark scheme gets the light figure whatever
// the reader's OS prefers; theme="light" or "dark" fixes the scheme and gives the figure its own background and
// text colour. Text inherits the host's font. Layout by container queries, so a figure in a narrow blog column
// stacks its panels. The default slot's box (.fallback) shows the author's content until the first drawing.
import { quantityPalette, seriesPalette } from '../render/series-palette.mjs';

// The public custom properties: { name: --attn-*, internal: the sheet's name, light, dark (its default in each
// scheme; null: no colour), meaning }. Documented in docs/embedding.md (scripts/embed-reference.mjs) and the
// package's custom-elements.json; tests/node/element-api.test.mjs checks the sheet reads each and no other.
const colour = (name, light, dark, meaning) => Object.freeze({ name: `--attn-${name}`, internal: `--${name}`, light, dark, meaning });
export const customProperties = Object.freeze([
  colour('text', '#1d1f23', '#e4e6ea', 'text; with theme="auto" the default is the page\'s own text colour'),
  colour('background', '#ffffff', '#1b1e23', 'the figure\'s background with theme="light" or "dark"; with "auto" the figure is transparent unless this is set'),
  colour('muted', '#5d6470', '#9aa2ae', 'secondary text: captions, status line, axis labels, legends'),
  colour('accent', '#2c5d94', '#8ab4e8', 'buttons and progress bars'),
  colour('accent-text', '#ffffff', '#0f1a27', 'text on the accent colour'),
  colour('rule', '#dcdad3', '#30343c', 'rules, borders and chart grid lines'),
  colour('focus', '#2c7be5', '#8ab4e8', 'the keyboard focus ring'),
  colour('error', '#a4161a', '#ffb0ab', 'the error line\'s text and border'),
  colour('error-background', '#fcebea', '#3a1b1c', 'the error line\'s background'),
  colour('good', '#1f7a4d', '#7fd3a6', 'a claim or verdict that holds'),
  colour('masked-cell', '#ebe9e3', '#262930', 'a heatmap cell the mask removes'),
  colour('mask-outline', '#c2410c', '#ff9466', 'the outline of the mask on heatmaps, and bounds (σ_min upper, κ lower bound)'),
  ...seriesPalette.map(({ property, light, dark }) => colour(property.slice(2), light, dark,
    `a chart series: the pattern or depth schedule the core's pattern registry gives ${property.slice(2)} (the same in every figure)`)),
  ...quantityPalette.map(({ property, light, dark }) => colour(property.slice(2), light, dark,
    `the ${property.slice('--quantity-'.length).replaceAll('-', ' ')} line of the raises-rank figure`)),
  Object.freeze({ name: '--attn-font-mono', internal: '--font-mono', light: null, dark: null,
    default: 'ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace',
    meaning: 'the monospace font of rules and numbers' }),
]);

// '--text: var(--attn-text, light-dark(#1d1f23, #e4e6ea));' per property: the public name wins where it is set.
function internalDeclarations() {
  return customProperties.map((entry) => `${entry.internal}: var(${entry.name}, ${entry.light === null ? entry.default : `light-dark(${entry.light}, ${entry.dark})`});`)
    .join('\n  ');
}

export const figureCss = `
:host {
  display: block;
  container-type: inline-size;
  margin: 1.25rem 0;
  color: var(--attn-text, inherit);
  font-size: 0.95em;
  ${internalDeclarations()}
  --surface: var(--attn-background, transparent);
}
/* A fixed theme: its own scheme, background and text, whatever the host page's. */
:host([theme="light" i]) { color-scheme: light; }
:host([theme="dark" i]) { color-scheme: dark; }
:host([theme="light" i]), :host([theme="dark" i]) {
  --surface: var(--background);
  color: var(--text);
  background: var(--background);
  padding: 0.75rem;
  border-radius: 6px;
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }

.figure { background: var(--surface); min-width: 0; }
.fallback { margin: 0 0 0.5rem; }
.caption { margin: 0 0 0.5rem; font-weight: 600; }
.status { margin: 0.25rem 0 0; color: var(--muted); font-size: 0.8rem; min-height: 1.2em; }
progress { width: 100%; height: 0.35rem; accent-color: var(--accent); }
.figure-error {
  margin: 0.4rem 0;
  font-size: 0.85rem;
  color: var(--error);
  background: var(--error-background);
  border-left: 3px solid var(--error);
  padding: 0.3rem 0.6rem;
  border-radius: 0 4px 4px 0;
  overflow-wrap: anywhere;
}

.pattern-grid, .stats-grid { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 1rem 0.9rem; }
@container (max-width: 760px) { .pattern-grid, .stats-grid { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
@container (max-width: 260px) { .pattern-grid, .stats-grid { grid-template-columns: minmax(0, 1fr); } }
.pattern-panel { min-width: 0; display: flex; flex-direction: column; }
.pattern-panel h3 { margin: 0 0 0.4rem; font-size: 0.9rem; display: flex; flex-direction: column; min-width: 0; }
.pattern-name, .pattern-rule { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.pattern-rule { font-weight: 400; font-size: 0.75rem; color: var(--muted); font-family: var(--font-mono); }
.pattern-panel.is-busy canvas { opacity: 0.55; }
canvas.heatmap { display: block; width: 100%; aspect-ratio: 1; height: auto; }
canvas.heatmap-legend { display: block; width: 100%; height: 24px; margin-top: 0.3rem; }
canvas.has-readout { cursor: crosshair; }
.readout { margin: 0.2rem 0 0; min-height: 1.35em; font-size: 0.78rem; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.stats-card { margin: 0.5rem 0 0; font-size: 0.78rem; }
.stat-row { display: flex; justify-content: space-between; gap: 0.5rem; padding: 0.15rem 0; border-bottom: 1px solid var(--rule); }
.stat-row:last-child { border-bottom: 0; }
.stats-card dt { color: var(--muted); min-width: 0; }
.stats-card dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; white-space: nowrap; }
.stats-card dd.is-bound, .stats-card dd.is-unresolved { color: var(--mask-outline); }
.stats-card dd.is-unavailable, table.compact td.is-unavailable { color: var(--muted); font-weight: 400; }
table.compact td.is-bound { color: var(--mask-outline); }
.stats-grid h3 { margin: 0; font-size: 0.9rem; }

canvas.chart { display: block; width: 100%; height: 18rem; }
canvas.depth-heatmap { display: block; width: 100%; height: 10rem; margin-top: 0.75rem; }
@container (max-width: 420px) { canvas.chart { height: 14rem; } }
.chart-legend { display: flex; flex-wrap: wrap; gap: 0.2rem 0.9rem; margin-top: 0.4rem; font-size: 0.8rem; color: var(--muted); }
.chart-legend-item { display: inline-flex; align-items: center; gap: 0.35rem; }
.chart-note { margin: 0.4rem 0 0; font-size: 0.82rem; color: var(--muted); }
/* Tables: views/table-fit.mjs's sheet, adopted beside this one. */

.controls { display: flex; flex-wrap: wrap; gap: 0.5rem 0.9rem; align-items: flex-end; margin: 0 0 0.75rem; font-size: 0.82rem; }
.controls label { display: flex; flex-direction: column; gap: 0.15rem; color: var(--muted); }
.controls input, .controls select, .controls button { font: inherit; color: inherit; background: transparent;
  border: 1px solid var(--rule); border-radius: 4px; padding: 0.2rem 0.35rem; }
.controls input { width: 6.5rem; }
.controls button { cursor: pointer; }
.controls .control-error { flex-basis: 100%; margin: 0; }

/* A chart's summary sentence and its data behind a disclosure (views/chart-description.mjs). */
.chart-summary { margin: 0.35rem 0 0; font-size: 0.8rem; color: var(--muted); }
.chart-data { margin: 0.3rem 0 0; font-size: 0.8rem; }
.chart-data > summary { cursor: pointer; color: var(--muted); width: fit-content; }
.chart-data .table-scroll { max-height: 22rem; overflow: auto; margin-top: 0.3rem; }
.chart-data thead th { position: sticky; top: 0; background: var(--background, Canvas); }
/* Forced colours (Windows high contrast): views/forced-colours.mjs, adopted beside this sheet. */

/* Printed, a figure is its drawing and its numbers: no controls, no progress or status line, kept whole. */
@media print {
  :host { break-inside: avoid; }
  .controls, .status, progress { display: none !important; }
  canvas { break-inside: avoid; }
}
`;

let sheet = null;

// One constructed sheet shared by every figure's shadow root.
export function figureStyleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(figureCss);
  }
  return sheet;
}
