// Readouts: the value under the pointer or under a keyboard cursor, on every heatmap and line chart. The
// canvas becomes focusable; hovering (or a tap) picks the nearest cell or point, the arrow keys move the
// cursor (with Shift or PageUp/PageDown in bigger steps; Home/End: first/last column or point), and a live
// <p class="readout"> below the figure says the value in words (the
// figure's own numbers, as the core returned them; nothing computed here). What a cell or a point says
// comes from the view (a heatmap's describe(i, j), a series' readout(k)); the cursor is drawn by the
// renderers (drawHeatmapCursor, the line chart's highlight).
import { drawHeatmapCursor, heatmapCellAt, heatmapShape } from '../render/heatmap.mjs';
import { drawLineChart } from '../render/line-chart.mjs';
import { formatReal } from './format.mjs';

const readouts = new WeakMap();  // canvas -> its CanvasReadout
const kArrowKeys = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);
const kPointerReach = 40;  // CSS pixels: a chart point farther than this from the pointer is not picked

// The readout element of a canvas: a <p class="readout" aria-live="polite"> placed after `after` (the
// legend, or the canvas), created once.
function readoutElement(canvas, after) {
  const output = canvas.ownerDocument.createElement('p');
  output.className = 'readout';
  output.setAttribute('part', 'readout');
  output.setAttribute('aria-live', 'polite');
  after.after(output);
  return output;
}

// The pointer and key handling shared by both kinds. adapter: { at(x, y) -> cursor | null, first() ->
// cursor | null, move(cursor, key) -> cursor, text(cursor) -> string, data(cursor) -> dataset entries,
// show(cursor | null) draws it }.
class CanvasReadout {
  constructor(canvas, output, adapter) {
    Object.assign(this, { canvas, output, adapter });
    this.cursor = null;
    canvas.tabIndex = 0;
    canvas.classList.add('has-readout');
    const pick = (event) => {
      const box = canvas.getBoundingClientRect();
      const cursor = this.adapter.at(event.clientX - box.left, event.clientY - box.top);
      if (cursor) this.set(cursor);
    };
    canvas.addEventListener('pointermove', pick);
    canvas.addEventListener('pointerdown', pick);  // a tap on a touch screen
    canvas.addEventListener('pointerleave', () => {
      if (canvas.ownerDocument.activeElement !== canvas && canvas.getRootNode().activeElement !== canvas) this.set(null);
    });
    canvas.addEventListener('focus', () => this.set(this.cursor ?? this.adapter.first()));
    canvas.addEventListener('blur', () => this.set(null));
    canvas.addEventListener('keydown', (event) => {
      if (!kArrowKeys.has(event.key)) return;
      event.preventDefault();  // the arrows move the cursor, not the page
      const from = this.cursor ?? this.adapter.first();
      if (from) this.set(this.adapter.move(from, event.key, event.shiftKey));
    });
  }

  set(cursor) {
    this.cursor = cursor;
    this.adapter.show(cursor);
    this.render();
  }

  // The readout's text for the current cursor (again after a redraw or a language change).
  render() {
    const { cursor, output } = this;
    for (const key of Object.keys(output.dataset)) delete output.dataset[key];
    if (!cursor) {
      output.textContent = '';
      return;
    }
    output.textContent = this.adapter.text(cursor);
    Object.assign(output.dataset, this.adapter.data(cursor));
  }

  // After the figure was drawn again: the cursor stays where it was if it still exists.
  refresh() {
    if (this.cursor && !this.adapter.isValid(this.cursor)) this.cursor = null;
    if (this.cursor) this.adapter.show(this.cursor);
    this.render();
  }
}

function clampIndex(value, count) {
  return Math.max(0, Math.min(count - 1, value));
}

// Heatmap readout. source() returns { data, n, columns?, mask?, describe(i, j, value, isMasked) -> text }
// for the matrix last drawn on canvas; after: the element the readout goes after.
export function heatmapReadout(canvas, after, source) {
  let readout = readouts.get(canvas);
  if (readout) {
    readout.source = source;
    readout.refresh();
    return readout;
  }
  const shape = () => heatmapShape(canvas);
  const adapter = {
    at: (x, y) => heatmapCellAt(canvas, x, y),
    first: () => (shape() ? { i: 0, j: 0 } : null),
    isValid: (cell) => Boolean(shape() && cell.i < shape().n && cell.j < shape().columns),
    move(cell, key, isBigStep) {
      const { n, columns } = shape();
      const page = Math.max(1, Math.round(n / 8));
      const rowStep = isBigStep ? page : 1;
      const columnStep = isBigStep ? Math.max(1, Math.round(columns / 8)) : 1;
      const moves = { ArrowLeft: [0, -columnStep], ArrowRight: [0, columnStep], ArrowUp: [-rowStep, 0], ArrowDown: [rowStep, 0],
        PageUp: [-page, 0], PageDown: [page, 0] };
      if (key === 'Home') return { i: cell.i, j: 0 };
      if (key === 'End') return { i: cell.i, j: columns - 1 };
      const [di, dj] = moves[key];
      return { i: clampIndex(cell.i + di, n), j: clampIndex(cell.j + dj, columns) };
    },
    value(cell) {
      const { data, columns = readout.source().n, mask } = readout.source();
      const index = cell.i * columns + cell.j;
      return { value: data[index], isMasked: Boolean(mask && !mask[index]) };
    },
    text(cell) {
      const { value, isMasked } = adapter.value(cell);
      return readout.source().describe(cell.i, cell.j, value, isMasked);
    },
    data(cell) {
      const { value, isMasked } = adapter.value(cell);
      return { i: String(cell.i), j: String(cell.j), value: isMasked ? 'masked' : JSON.stringify(value) };
    },
    show: (cell) => drawHeatmapCursor(canvas, cell),
  };
  readout = new CanvasReadout(canvas, readoutElement(canvas, after), adapter);
  readout.source = source;
  readouts.set(canvas, readout);
  return readout;
}

// A point's default words: "<series>: <x label> = x, <y label> = y".
export function pointText(text, chart, line, k) {
  return text('readout.point', { series: line.label ?? '', x_label: chart.xLabel ?? 'x', x: formatReal(line.x[k]),
    y_label: chart.yLabel ?? 'y', y: formatReal(line.y[k]) });
}

// Line chart readout: draws chart (a renderChart description) on canvas and follows the pointer and keys
// over its drawn points; text(key, params) words them (a series' own readout(k) first, e.g. a bound; such
// a series has bound: 'upper' | 'lower'). The readout goes right after the canvas (a <figcaption> legend
// stays the last child of its <figure>). Returns drawLineChart's result.
export function drawChartWithReadout(canvas, chart, text) {
  const after = canvas;
  let readout = readouts.get(canvas);
  const draw = (highlight) => {
    const drawn = drawLineChart(canvas, { ...chart, highlight });
    state.drawn = drawn;
    return drawn;
  };
  const state = readout?.state ?? { chart, text, drawn: null };
  state.chart = chart;
  state.text = text;
  const drawn = drawLineChart(canvas, { ...chart, highlight: readout?.cursor ?? null });
  state.drawn = drawn;
  if (readout) {
    readout.refresh();
    return drawn;
  }
  // The points one can visit: every drawn point of every series, series in drawing order.
  const pointsOf = (s) => state.drawn?.points[s] ?? [];
  const seriesWithPoints = () => (state.drawn?.points ?? []).map((points, s) => (points.length ? s : -1)).filter((s) => s >= 0);
  const adapter = {
    at(x, y) {
      // Inside the plot area the nearest point wins however far; outside, only one within reach.
      const area = state.drawn?.area;
      const isInside = area && x >= area.left && x <= area.left + area.width && y >= area.top && y <= area.top + area.height;
      let best = null;
      let bestDistance = isInside ? Infinity : kPointerReach;
      (state.drawn?.points ?? []).forEach((points, s) => {
        for (const point of points) {
          const distance = Math.hypot(point.px - x, point.py - y);
          if (distance < bestDistance) {
            bestDistance = distance;
            best = { series: s, k: point.k };
          }
        }
      });
      return best;
    },
    first() {
      const [s] = seriesWithPoints();
      return s === undefined ? null : { series: s, k: pointsOf(s)[0].k };
    },
    isValid: (cursor) => pointsOf(cursor.series).some((point) => point.k === cursor.k),
    move(cursor, key, isBigStep) {
      const points = pointsOf(cursor.series);
      const at = Math.max(0, points.findIndex((point) => point.k === cursor.k));
      if (key === 'Home') return { series: cursor.series, k: points[0].k };
      if (key === 'End') return { series: cursor.series, k: points.at(-1).k };
      if (key === 'ArrowLeft' || key === 'ArrowRight' || key === 'PageUp' || key === 'PageDown') {
        const big = Math.max(2, Math.round(points.length / 10));
        const sign = key === 'ArrowLeft' || key === 'PageUp' ? -1 : 1;
        const step = sign * (isBigStep || key === 'PageUp' || key === 'PageDown' ? big : 1);
        return { series: cursor.series, k: points[clampIndex(at + step, points.length)].k };
      }
      // Up and down: the next series (in drawing order) with points, at the point nearest in x.
      const order = seriesWithPoints();
      const next = order[(order.indexOf(cursor.series) + (key === 'ArrowDown' ? 1 : order.length - 1)) % order.length];
      const x = points[at].px;
      const nearest = pointsOf(next).reduce((a, b) => (Math.abs(b.px - x) < Math.abs(a.px - x) ? b : a));
      return { series: next, k: nearest.k };
    },
    text(cursor) {
      const line = state.chart.series[cursor.series];
      return line.readout ? line.readout(cursor.k) : pointText(state.text, state.chart, line, cursor.k);
    },
    data(cursor) {
      const line = state.chart.series[cursor.series];
      // A bound's computed value is rounding noise: not even the dataset carries it.
      const entries = { series: String(cursor.series), k: String(cursor.k), x: JSON.stringify(line.x[cursor.k]) };
      if (line.bound) entries.bound = line.bound;
      else if (!line.readout) entries.y = JSON.stringify(line.y[cursor.k]);  // a worded point's y may be no value
      return entries;
    },
    show: (cursor) => draw(cursor),
  };
  readout = new CanvasReadout(canvas, readoutElement(canvas, after), adapter);
  readout.state = state;
  readouts.set(canvas, readout);
  return drawn;
}
