// What a line chart shows, in words and numbers, for readers who cannot see the canvas (issue 17 item 10):
// its accessible name ("{y} against {x}"), a one-sentence summary generated from the drawn values (how many
// series, the x range, the highest and lowest value and where), tied to the canvas by aria-describedby,
// and the values as a table behind a disclosure (built when it is first opened). The views call
// describeChart() with the chart description they draw (views/chart.mjs: { series, xLabel, yLabel, yLog }).
// No drawing here.
import { formatTickValue } from '../render/canvas-util.mjs';

let nextId = 0;
const parts = new WeakMap();  // canvas -> { summary, details, label, scroll, table, chart, text, isFilled }

// The series a reader is told about: those with at least one value the chart can draw, guides left out (a
// series with isGuide: a vertical line marking a bound or the current value, not data). A series may say
// that some of its points are bounds, not values (boundAt(k): { relation: 'upper' | 'lower', value } or
// null): a singular value below the accuracy floor is rounding noise, told as "<= floor", never as a number.
function readableSeries(chart) {
  const isShown = (value) => Number.isFinite(value) && (!chart.yLog || value > 0);
  return chart.series.filter((line) => !line.isGuide).map((line) => ({
    label: line.label ?? '',
    points: line.x.map((x, k) => ({ x, y: line.y[k], bound: line.boundAt?.(k) ?? null }))
      .filter(({ x, y }) => Number.isFinite(x) && isShown(y)),
  })).filter((line) => line.points.length > 0);
}

// A point in words: its value, or its bound with the relation (the bound, not the drawn noise).
export function pointValueText(point) {
  if (!point.bound) return formatTickValue(point.y);
  return `${point.bound.relation === 'upper' ? '≤' : '≥'} ${formatTickValue(point.bound.value)}`;
}

// The summary sentence of chart in the language of text.
export function chartSummary(chart, text) {
  const series = readableSeries(chart);
  if (series.length === 0) return text('chart.a11y.empty');
  let high = null;
  let low = null;
  let xMin = Infinity;
  let xMax = -Infinity;
  // The extremes are taken over values; bounds count only when a chart holds nothing else.
  const hasValues = series.some((line) => line.points.some((point) => !point.bound));
  for (const line of series) {
    for (const point of line.points) {
      xMin = Math.min(xMin, point.x);
      xMax = Math.max(xMax, point.x);
      if (hasValues && point.bound) continue;
      if (!high || point.y > high.point.y) high = { point, label: line.label };
      if (!low || point.y < low.point.y) low = { point, label: line.label };
    }
  }
  const legendCount = new Set(chart.series.filter((line) => line.legend !== false && !line.isGuide && line.x.length > 0).map((line) => line.label)).size;
  return text('chart.a11y.summary', {
    count: legendCount || series.length, x: chart.xLabel, xMin: formatTickValue(xMin), xMax: formatTickValue(xMax),
    high: pointValueText(high.point), highSeries: high.label, highAt: formatTickValue(high.point.x),
    low: pointValueText(low.point), lowSeries: low.label, lowAt: formatTickValue(low.point.x),
  });
}

// The chart's accessible name.
export function chartName(chart, text) {
  return text('chart.a11y.name', { y: chart.yLabel, x: chart.xLabel });
}

// A data table cell: the value to 6 significant digits, or the point's bound.
export function tableCellText(point) {
  return point.bound ? pointValueText(point) : String(Number(point.y.toPrecision(6)));
}

// Fills table with one row per x value and one column per series (a value the series lacks: '–').
function fillTable(table, chart, text) {
  const series = readableSeries(chart);
  const document = table.ownerDocument;
  const xs = [...new Set(series.flatMap((line) => line.points.map((point) => point.x)))].sort((a, b) => a - b);
  const head = document.createElement('thead');
  const headRow = document.createElement('tr');
  for (const label of [chart.xLabel, ...series.map((line) => line.label)]) {
    const cell = document.createElement('th');
    cell.scope = 'col';
    cell.textContent = label;
    headRow.append(cell);
  }
  head.append(headRow);
  const body = document.createElement('tbody');
  const byX = series.map((line) => new Map(line.points.map((point) => [point.x, point])));
  for (const x of xs) {
    const row = document.createElement('tr');
    const header = document.createElement('th');
    header.scope = 'row';
    header.textContent = formatTickValue(x);
    row.append(header);
    for (const values of byX) {
      const cell = document.createElement('td');
      const point = values.get(x);
      if (point === undefined) {
        cell.textContent = '–';
        cell.setAttribute('aria-label', text('chart.a11y.no_value'));
      } else {
        cell.textContent = tableCellText(point);
      }
      row.append(cell);
    }
    body.append(row);
  }
  table.replaceChildren(head, body);
}

// Names canvas (role img) after chart, puts the summary and the data table's disclosure after `after` (the
// legend, or the canvas) the first time, and refreshes both. text: the figure's t().
export function describeChart(canvas, after, chart, text) {
  let entry = parts.get(canvas);
  if (!entry) {
    const document = canvas.ownerDocument;
    const summary = document.createElement('p');
    summary.className = 'chart-summary';
    summary.id = `chart-summary-${++nextId}`;
    const details = document.createElement('details');
    details.className = 'chart-data';
    const label = document.createElement('summary');
    const scroll = document.createElement('div');
    scroll.className = 'table-scroll';
    scroll.tabIndex = 0;  // a scroll region keyboard users can reach (WCAG 2.1.1)
    scroll.setAttribute('role', 'group');
    details.append(label, scroll);
    (after ?? canvas).after(summary, details);
    entry = { summary, details, label, scroll, table: null, isFilled: false };
    details.addEventListener('toggle', () => {
      if (details.open && !entry.isFilled) fill(entry);
    });
    parts.set(canvas, entry);
  }
  entry.chart = chart;
  entry.text = text;
  const name = chartName(chart, text);
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', name);
  canvas.setAttribute('aria-describedby', entry.summary.id);
  canvas.removeAttribute('data-i18n-aria');  // named here, in the figure's language
  entry.summary.textContent = chartSummary(chart, text);
  entry.label.textContent = text('chart.a11y.table');
  entry.scroll.setAttribute('aria-label', text('chart.a11y.table_label', { name }));
  entry.isFilled = false;
  if (entry.details.open) fill(entry);
}

// The table is made when the disclosure is first opened (a closed one holds none: n = 4096 would be 4096 rows).
function fill(entry) {
  if (!entry.table) {
    entry.table = entry.scroll.ownerDocument.createElement('table');
    entry.table.className = 'compact';
    entry.scroll.append(entry.table);
  }
  fillTable(entry.table, entry.chart, entry.text);
  entry.isFilled = true;
}
