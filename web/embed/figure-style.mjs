// The shadow-root stylesheet of <attn-figure>, adopted as a constructed CSSStyleSheet (no <style>
// element, no inline style attribute: the embed runs under style-src 'self'). Themeable from the host
// page through the custom properties below (set them on attn-figure) and ::part(figure | heatmap |
// chart | stats | controls | error | legend). Light and dark (issue 17 item 1): every colour is
// light-dark(light, dark), resolved against the color-scheme the figure inherits from the host page, so a
// page that declares no dark scheme gets the light figure whatever the reader's OS prefers; theme="light" or
// "dark" fixes the scheme and gives the figure its own background and text colour. Text inherits the
// host's font. Layout by container queries, so a figure in a narrow blog column stacks its panels.
import { seriesDeclarations } from '../render/series-palette.mjs';

export const figureCss = `
:host {
  display: block;
  container-type: inline-size;
  margin: 1.25rem 0;
  color: var(--attn-text, inherit);
  font-size: 0.95em;
  --surface: transparent;
  --background: light-dark(#ffffff, #1b1e23);
  --text: light-dark(#1d1f23, #e4e6ea);
  --muted: light-dark(#5d6470, #9aa2ae);
  --accent: light-dark(#2c5d94, #8ab4e8);
  --accent-text: light-dark(#ffffff, #0f1a27);
  --rule: light-dark(#dcdad3, #30343c);
  --focus: light-dark(#2c7be5, #8ab4e8);
  --error: light-dark(#a4161a, #ffb0ab);
  --error-background: light-dark(#fcebea, #3a1b1c);
  --good: light-dark(#1f7a4d, #7fd3a6);
  --masked-cell: light-dark(#ebe9e3, #262930);
  --mask-outline: light-dark(#c2410c, #ff9466);
  ${seriesDeclarations()}
  --font-mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace;
}
/* A fixed theme: its own scheme, background and text, whatever the host page's. */
:host([theme="light" i]) { color-scheme: light; }
:host([theme="dark" i]) { color-scheme: dark; }
:host([theme="light" i]), :host([theme="dark" i]) {
  --surface: var(--background);
  color: var(--attn-text, var(--text));
  background: var(--background);
  padding: 0.75rem;
  border-radius: 6px;
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }

.figure { background: var(--surface); min-width: 0; }
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
