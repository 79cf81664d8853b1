// Tables that show every value at every width (issue 17 item 2): a compact table that does not fit its
// box is drawn as stacked cards instead, one per row, each value beside its column's name, so no value
// hides behind a horizontal scroll. fitTable(table) labels the cells with their column headers and, each
// time the table or its box changes size, stacks it when its natural width exceeds the box. The stylesheet
// is written once here and adopted by the explorer page and by every <attn-figure> shadow root.
// Leaves out: what the table holds (the views fill it) and scrolling (none is needed).

export const tableCss = `
.table-scroll { margin-top: 1rem; max-width: 100%; }
table.compact { border-collapse: collapse; font-size: 0.82rem; min-width: 100%; }
table.compact th, table.compact td { padding: 0.3rem 0.6rem; border-bottom: 1px solid var(--rule); text-align: right; }
table.compact td { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.compact thead th { color: var(--muted); font-weight: 600; vertical-align: bottom; min-width: 4.5rem; }
table.compact th[scope="row"], table.compact thead th:first-child { text-align: left; }
table.compact th[scope="row"] { font-weight: 600; }
/* Stacked: one card per row, each cell "column name ... value"; the header row stays for screen readers only. */
table.compact.is-stacked, table.compact.is-stacked tbody, table.compact.is-stacked tr { display: block; min-width: 0; }
table.compact.is-stacked thead {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap;
}
table.compact.is-stacked tr { border: 1px solid var(--rule); border-radius: 6px; padding: 0.3rem 0.6rem; margin-bottom: 0.5rem; }
table.compact.is-stacked th[scope="row"] { display: block; padding: 0.15rem 0 0.3rem; border-bottom: 1px solid var(--rule); }
table.compact.is-stacked td {
  display: flex; justify-content: space-between; align-items: baseline; gap: 0.75rem;
  padding: 0.2rem 0; white-space: normal; overflow-wrap: anywhere; text-align: right;
}
table.compact.is-stacked td:last-child { border-bottom: 0; }
table.compact.is-stacked td::before {
  content: attr(data-label); color: var(--muted); font-weight: 400; text-align: left; flex: 1 1 auto; min-width: 0;
}
`;

let sheet = null;

// One constructed sheet shared by the page and every figure's shadow root.
export function tableStyleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(tableCss);
  }
  return sheet;
}

// Each body cell's data-label: the text of its column's header (what a stacked card shows beside it).
export function labelCells(table) {
  const headers = [...(table.tHead?.rows[0]?.cells ?? [])].map((cell) => cell.textContent);
  for (const body of table.tBodies) {
    for (const row of body.rows) {
      [...row.cells].forEach((cell, index) => {
        if (cell.tagName === 'TD' && headers[index] !== undefined) cell.dataset.label = headers[index];
      });
    }
  }
}

// Stacks the table when its natural (unstacked) width exceeds its box's.
function refit(table) {
  const box = table.parentElement;
  if (!box || !table.isConnected) return;
  table.classList.remove('is-stacked');
  const isTooWide = Math.max(table.scrollWidth, table.offsetWidth) > box.clientWidth + 0.5;
  table.classList.toggle('is-stacked', isTooWide);
  table.dataset.layout = isTooWide ? 'stacked' : 'table';
}

const observed = new WeakMap();  // table -> its ResizeObserver

// Call after every fill: labels the cells and fits the table in the next frame, then again whenever its box
// is resized (measured in a frame of its own, so fitting never forces a layout inside the task that filled
// the table, and a layout change it causes never loops inside the observer's callback).
export function fitTable(table) {
  labelCells(table);
  let frame = 0;
  const schedule = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => refit(table));
  };
  if (typeof ResizeObserver === 'undefined') {
    schedule();
    return;
  }
  const known = observed.get(table);
  if (known) {
    known.schedule();
    return;
  }
  const observer = new ResizeObserver(schedule);  // its first call comes once observed
  observer.observe(table.parentElement);
  observed.set(table, { observer, schedule });
}
