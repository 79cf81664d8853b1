// The DOM an embedded figure builds for a view (the explorer's page has the same elements in index.html):
// plain elements with class names and shadow `part` names, nothing drawn here.

export function element(tag, className, part) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (part) node.setAttribute('part', part);
  return node;
}

// A chart canvas and its legend, appended to body.
export function chartElements(body) {
  const canvas = element('canvas', 'chart', 'chart');
  canvas.setAttribute('role', 'img');
  const legend = element('div', 'chart-legend', 'legend');
  body.append(canvas, legend);
  return { canvas, legend };
}

// A compact statistics table in its scrolling box (not appended). The box is a named region keyboard users
// can focus and scroll (WCAG 2.1.1; a group, not a region: two figures may show the same table); labelKey: the string key of its name, set in the figure's language
// by <attn-figure> (the explorer's index.html has the same attributes).
export function tableElements(labelKey) {
  const scroll = element('div', 'table-scroll');
  scroll.tabIndex = 0;
  scroll.setAttribute('role', 'group');
  scroll.dataset.i18nAria = labelKey;
  const table = element('table', 'compact', 'stats');
  scroll.append(table);
  return { scroll, table };
}

// An element of the explorer's page by id.
export const byId = (id) => document.getElementById(id);
