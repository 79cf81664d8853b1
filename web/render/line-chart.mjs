// A small canvas line chart for spectra and sweeps: linear or log axes (decade ticks labelled 10^k on log
// axes, 1-2-5 "nice" steps on linear ones), several series with colour and optional dash, horizontal
// rule lines with labels (e.g. the f64 and f32 tolerances s_1 n eps of a spectrum; labels haloed in --background), axis labels, and a
// DOM legend built with createElement/textContent. Values <= 0 (on a log axis) or non-finite are skipped
// and break the line; nothing is drawn at -Infinity. Colours come from CSS custom properties (--text,
// --muted, --rule, --series-1..--series-8) so light and dark themes both read. The drawing is a scene
// (scene.mjs) painted on the canvas, and the same scene is what the SVG export writes. The readout's
// cursor is a highlighted point (views/readout.mjs handles the pointer and keys). No zoom.

import { cssVariable, formatTickValue, powerOfTenLabel, prepareCanvas, resolveColour } from './canvas-util.mjs';
import { paintScene } from './scene.mjs';

const kSeriesColours = 8;
const kFallbackSeries = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#000000'];
const kDefaultDash = [6, 4];
const kMarkerMaxPoints = 24;  // series this short get a dot at each point (sweeps over a few values)
const kFontSize = 12;
const kPadding = 6;
const kSmallestExponent = -323;  // 1e-324 is 0 in double

// Decade ticks for a log axis covering [min, max] (both > 0): the axis runs over whole decades
// [10^logMin, 10^logMax]; when that is more than maxCount decades the labelled ticks are every 2, 3, 5,
// 10, 20, 25, 50 or 100 decades (multiples of the step, inside the axis). Returns
// { logMin, logMax, step, ticks: [{ exponent, value, label }], minor: [exponent...] }: the axis maps
// log10 of a value linearly from logMin to logMax (exponents, so 1e-320 still has a place); minor ticks
// at 2..9 x 10^k when every decade is labelled and the axis spans at most 6 decades.
export function logTicks(min, max, maxCount = 8) {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) {
    throw new RangeError(`logTicks: min=${min}, max=${max} must be finite and > 0`);
  }
  if (min > max) [min, max] = [max, min];
  const low = Math.max(kSmallestExponent, Math.floor(Math.log10(min) + 1e-12)) + 0;
  let high = Math.ceil(Math.log10(max) - 1e-12) + 0;  // + 0 turns -0 into 0
  if (high <= low) high = low + 1;
  const countFor = (step) => Math.floor(high / step) - Math.ceil(low / step) + 1;
  const step = [1, 2, 3, 5, 10, 20, 25, 50, 100].find((candidate) => countFor(candidate) <= Math.max(2, maxCount)) ?? 100;
  const ticks = [];
  for (let exponent = Math.ceil(low / step) * step; exponent <= high; exponent += step) {
    ticks.push({ exponent, value: Number(`1e${exponent}`), label: powerOfTenLabel(exponent) });
  }
  const minor = [];
  if (step === 1 && high - low <= 6) {
    for (let exponent = low; exponent < high; ++exponent) {
      for (let m = 2; m <= 9; ++m) minor.push(exponent + Math.log10(m));
    }
  }
  return { logMin: low, logMax: high, step, ticks, minor };
}

// A "nice" step near raw: 1, 2, 5 or 10 times a power of ten.
function niceStep(raw) {
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  return nice * power;
}

// Ticks for a linear axis covering [min, max]: about count ticks at a 1-2-5 step, the axis widened to
// multiples of the step. A zero-width range is widened around its value. Returns
// { min, max, step, ticks: [{ value, label }] }.
export function niceTicks(min, max, count = 5) {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new RangeError(`niceTicks: min=${min}, max=${max} must be finite`);
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const half = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= half;
    max += half;
  }
  const step = niceStep((max - min) / Math.max(1, count - 1));
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const ticks = [];
  for (let k = first; k <= last; ++k) {
    const value = Number((k * step).toPrecision(12));  // 0.1 * 3 -> 0.3, not 0.30000000000000004
    ticks.push({ value, label: formatTickValue(value) });
  }
  return { min: ticks[0].value, max: ticks[ticks.length - 1].value, step, ticks };
}

function isPlottable(value, isLog) {
  return Number.isFinite(value) && (!isLog || value > 0);
}

// The data range of one axis over all series (and extra values such as rule lines).
function dataExtent(arrays, extra, isLog) {
  let min = Infinity;
  let max = -Infinity;
  const visit = (value) => {
    if (!isPlottable(value, isLog)) return;
    if (value < min) min = value;
    if (value > max) max = value;
  };
  for (const values of arrays) for (const value of values) visit(value);
  for (const value of extra) visit(value);
  if (min > max) return isLog ? [1, 10] : [0, 1];
  return [min, max];
}

// An axis: ticks plus a map from data value to a position in [0, 1] (NaN for unplottable values).
// A tight axis ends at the data's extent (the x axis: index 1..n, sweep values); otherwise it widens to
// whole decades (log) or multiples of the tick step (linear), as the y axis does.
function makeAxis(extent, isLog, fixedTicks, maxCount, isTight) {
  const inside = (at) => at >= -1e-9 && at <= 1 + 1e-9;
  if (isLog) {
    const decades = logTicks(extent[0], extent[1], maxCount);
    let { logMin, logMax } = decades;
    if (isTight) {
      logMin = Math.log10(extent[0]);
      logMax = Math.log10(extent[1]);
      if (!(logMax > logMin)) [logMin, logMax] = [logMin - 0.5, logMax + 0.5];
    }
    const at = (exponent) => (exponent - logMin) / (logMax - logMin);
    const ticks = fixedTicks
      ? fixedTicks.filter((value) => value > 0).map((value) => ({ value, label: formatTickValue(value), at: at(Math.log10(value)) }))
      : decades.ticks.map(({ exponent, value, label }) => ({ value, label, at: at(exponent) }));
    return {
      log: true, min: 10 ** logMin, max: 10 ** logMax,
      ticks: ticks.filter((tick) => inside(tick.at)),
      minor: fixedTicks ? [] : decades.minor.map(at).filter(inside),
      position: (value) => (value > 0 ? at(Math.log10(value)) : NaN),
    };
  }
  const nice = niceTicks(extent[0], extent[1], maxCount);
  let { min, max } = nice;
  if (isTight && extent[1] > extent[0]) [min, max] = extent;
  const at = (value) => (value - min) / (max - min);
  const ticks = fixedTicks ? fixedTicks.map((value) => ({ value, label: formatTickValue(value) })) : nice.ticks;
  return {
    log: false, min, max,
    ticks: ticks.map(({ value, label }) => ({ value, label, at: at(value) })).filter((tick) => inside(tick.at)),
    minor: [],
    position: (value) => (Number.isFinite(value) ? at(value) : NaN),
  };
}

// The colour of series number index: its own colour (a CSS colour or a custom property name such as
// '--series-3'), else --series-(index mod 8 + 1).
export function seriesColour(element, series, index) {
  const fallbackIndex = index % kSeriesColours;
  const colour = series.colour ?? `--series-${fallbackIndex + 1}`;
  return resolveColour(element, colour, kFallbackSeries[fallbackIndex]);
}

// Markers: every point of a short series (or of one asked with marker: true); a series with a shape
// (series-palette.mjs: one per pattern, so overlapping lines can be told apart without colour) keeps about
// kShapeMarkers markers however long, staggered by series so they do not sit on each other. 0: none.
const kShapeMarkers = 10;
function markerStride(line, count) {
  if (line.marker === false) return 0;
  if (line.marker || count <= kMarkerMaxPoints) return 1;
  return line.shape ? Math.max(1, Math.ceil(count / kShapeMarkers)) : 0;
}

// The outline of a marker shape around (0, 0) in units of its size, or null for the shapes drawn otherwise.
const kMarkerOutlines = {
  triangle: [0, -1.3, 1.15, 0.75, -1.15, 0.75, 0, -1.3],
  'triangle-down': [0, 1.3, 1.15, -0.75, -1.15, -0.75, 0, 1.3],
  diamond: [0, -1.35, 1.2, 0, 0, 1.35, -1.2, 0, 0, -1.35],
};

// The scene items of one marker centred on (x, y): a filled dot (circle, the default), square, triangle,
// upside-down triangle or diamond, or a cross or a plus of two strokes.
export function markerItems(shape = 'circle', x, y, colour, size = 2.8) {
  if (shape === 'square') return [{ type: 'rect', x: x - 0.9 * size, y: y - 0.9 * size, width: 1.8 * size, height: 1.8 * size, fill: colour }];
  if (kMarkerOutlines[shape]) {
    return [{ type: 'polyline', points: kMarkerOutlines[shape].map((value, k) => (k % 2 ? y : x) + value * size), stroke: colour, width: 1, fill: colour }];
  }
  if (shape === 'cross' || shape === 'plus') {
    const arm = 1.2 * size;
    const strokes = shape === 'plus' ? [[-arm, 0, arm, 0], [0, -arm, 0, arm]] : [[-arm, -arm, arm, arm], [-arm, arm, arm, -arm]];
    return strokes.map(([x1, y1, x2, y2]) => ({ type: 'line', x1: x + x1, y1: y + y1, x2: x + x2, y2: y + y2, stroke: colour, width: 1.75 }));
  }
  return [{ type: 'circle', cx: x, cy: y, r: 0.9 * size, fill: colour }];
}

// The x ticks whose labels are drawn: every k-th tick (k = 1, 2, 3, ...: the smallest k at which no two drawn
// labels touch, kLabelGap apart), so a narrow chart of many fixed ticks (a sweep's values) labels a regular
// subset instead of overprinting. ticks: [{ label, at }] in axis order; position(at): the label's centre.
const kLabelGap = 6;
export function spacedTickLabels(ticks, position, measure) {
  const extents = ticks.map((tick) => {
    const half = measure(tick.label, kFontSize) / 2;
    return [position(tick.at) - half, position(tick.at) + half];
  });
  for (let every = 1; every <= Math.max(1, ticks.length); ++every) {
    const chosen = ticks.map((tick, index) => index).filter((index) => index % every === 0);
    const fits = chosen.every((index, k) => k === 0 || extents[chosen[k - 1]][1] + kLabelGap <= extents[index][0]);
    if (fits) return chosen.map((index) => ticks[index]);
  }
  return ticks.slice(0, 1);
}

function dashOf(series) {
  if (!series.dash) return [];
  return Array.isArray(series.dash) ? series.dash : kDefaultDash;
}

// The chart as a scene (scene.mjs): the drawing of drawLineChart, also written as SVG by the exports.
// style: the element whose CSS custom properties give the colours (the chart's canvas on the page);
// width, height: CSS pixels; measure(text, size): a text's width at font size `size`. options as
// drawLineChart's, plus highlight: { series, k } (a ring at point k of that series: the readout's cursor).
// Returns { width, height, items, area, x, y, points, plotted, skipped }: points[s] lists the drawn points
// of series s as { k, x, y, px, py } (data index, data values, CSS pixel position), for readouts.
export function lineChartScene(style, options, { width, height, measure }) {
  const { series = [], xLabel = '', yLabel = '', xLog = false, yLog = false, rules = [], xTicks = null, xRange = null,
    yRange = null, highlight = null } = options;
  const textColour = cssVariable(style, '--text', '#1d1f23');
  const mutedColour = cssVariable(style, '--muted', '#5b6270');
  const ruleColour = cssVariable(style, '--rule', '#d9dce1');
  const backgroundColour = cssVariable(style, '--background', '#ffffff');

  const ruleValues = rules.map((rule) => rule.y);
  const xExtent = xRange ?? dataExtent(series.map((s) => s.x), xTicks ?? [], xLog);
  const yExtent = yRange ?? dataExtent(series.map((s) => s.y), ruleValues, yLog);
  const yAxis = makeAxis(yExtent, yLog, null, Math.max(3, Math.min(8, Math.floor(height / 40))), false);
  const xAxis = makeAxis(xExtent, xLog, xTicks, Math.max(3, Math.min(8, Math.floor(width / 70))), true);

  const yTickWidth = Math.max(0, ...yAxis.ticks.map((tick) => measure(tick.label, kFontSize)));
  const left = Math.ceil(kPadding + (yLabel ? kFontSize + kPadding : 0) + yTickWidth + kPadding);
  const top = kPadding + kFontSize / 2;
  const right = kPadding + 2 * kFontSize;
  const bottom = kPadding + kFontSize + (xLabel ? kFontSize + kPadding : 0) + kPadding;
  const area = { left, top, width: Math.max(10, width - left - right), height: Math.max(10, height - top - bottom) };
  const px = (at) => area.left + at * area.width;
  const py = (at) => area.top + (1 - at) * area.height;
  const items = [];
  const text = (value, x, y, fill, align, baseline, extra = {}) => items.push({ type: 'text', text: value, x, y, fill,
    size: kFontSize, align, baseline, ...extra });

  // Grid and ticks.
  for (const at of yAxis.minor) items.push({ type: 'line', x1: area.left, y1: py(at), x2: area.left + 4, y2: py(at), stroke: ruleColour });
  for (const tick of yAxis.ticks) {
    items.push({ type: 'line', x1: area.left, y1: py(tick.at), x2: area.left + area.width, y2: py(tick.at), stroke: ruleColour });
  }
  for (const tick of xAxis.ticks) {
    items.push({ type: 'line', x1: px(tick.at), y1: area.top, x2: px(tick.at), y2: area.top + area.height, stroke: ruleColour });
  }
  items.push({ type: 'rect', x: area.left, y: area.top, width: area.width, height: area.height, stroke: mutedColour });
  for (const tick of yAxis.ticks) text(tick.label, area.left - kPadding, py(tick.at), mutedColour, 'right', 'middle');
  const xLabels = spacedTickLabels(xAxis.ticks, px, measure);
  // A full padding below the frame, so the first x label clears the lowest y label (centred on the frame's corner).
  for (const tick of xLabels) text(tick.label, px(tick.at), area.top + area.height + kPadding, mutedColour, 'center', 'top');

  // Axis titles.
  if (xLabel) text(xLabel, area.left + area.width / 2, height - kPadding / 2, textColour, 'center', 'bottom');
  if (yLabel) text(yLabel, kPadding, area.top + area.height / 2, textColour, 'center', 'top', { rotate: -Math.PI / 2 });

  // Rules, then series, clipped to the plot area; rule labels last, over the curves, haloed.
  const plot = [];
  const ruleLabels = [];
  for (const rule of rules) {
    const at = yAxis.position(rule.y);
    if (!(at >= 0 && at <= 1)) continue;
    const colour = resolveColour(style, rule.colour, mutedColour);
    plot.push({ type: 'line', x1: area.left, y1: py(at), x2: area.left + area.width, y2: py(at), stroke: colour, dash: [2, 3] });
    if (rule.label) ruleLabels.push({ type: 'text', text: rule.label, x: area.left + area.width - kPadding / 2, y: py(at) - 2,
      fill: colour, size: kFontSize, align: 'right', baseline: 'bottom', halo: backgroundColour });
  }

  const plotted = [];
  const skipped = [];
  const points = [];
  series.forEach((line, index) => {
    const colour = seriesColour(style, line, index);
    const count = Math.min(line.x.length, line.y.length);
    const drawnPoints = [];
    let run = [];
    const flush = () => {
      if (run.length >= 4) plot.push({ type: 'polyline', points: run, stroke: colour, width: 1.75, dash: dashOf(line) });
      run = [];
    };
    for (let k = 0; k < count; ++k) {
      const ax = xAxis.position(line.x[k]);
      const ay = yAxis.position(line.y[k]);
      if (!isPlottable(line.x[k], xLog) || !isPlottable(line.y[k], yLog) || !Number.isFinite(ax) || !Number.isFinite(ay)) {
        flush();  // a gap: the line breaks here
        continue;
      }
      const x = px(ax);
      const y = py(ay);
      run.push(x, y);
      drawnPoints.push({ k, x: line.x[k], y: line.y[k], px: x, py: y });
    }
    flush();
    const every = markerStride(line, count);
    if (every > 0) {
      for (let k = index % every; k < drawnPoints.length; k += every) plot.push(...markerItems(line.shape, drawnPoints[k].px, drawnPoints[k].py, colour));
    }
    plotted.push(drawnPoints.length);
    skipped.push(count - drawnPoints.length);
    points.push(drawnPoints);
  });
  items.push({ type: 'group', clip: { x: area.left, y: area.top, width: area.width, height: area.height }, items: [...plot, ...ruleLabels] });

  const cursor = highlight ? points[highlight.series]?.find((point) => point.k === highlight.k) : null;
  if (cursor) {
    const colour = seriesColour(style, series[highlight.series], highlight.series);
    items.push({ type: 'line', x1: cursor.px, y1: area.top, x2: cursor.px, y2: area.top + area.height, stroke: mutedColour, dash: [1, 2] });
    items.push({ type: 'circle', cx: cursor.px, cy: cursor.py, r: 5.5, stroke: backgroundColour, width: 3 });
    items.push({ type: 'circle', cx: cursor.px, cy: cursor.py, r: 5.5, stroke: colour, width: 2 });
  }

  const describe = (axis, labels = axis.ticks) => ({ min: axis.min, max: axis.max, log: axis.log, ticks: axis.ticks.map((tick) => tick.value),
    labels: labels.map((tick) => tick.label) });
  return { width, height, items, area, x: describe(xAxis, xLabels), y: describe(yAxis), points, plotted, skipped };
}

// A text measurer on a 2D context: measure(text, size) in CSS pixels, in fontFamily.
export function textMeasurer(context, fontFamily) {
  return (text, size) => {
    context.font = `${size}px ${fontFamily}`;
    return context.measureText(text).width;
  };
}

// canvas: an HTMLCanvasElement sized by CSS. options:
//   series: [{ label, colour?, x: number[], y: number[], dash?: true | number[], marker?: boolean,
//   shape?: 'circle' | 'square' | 'triangle' | 'triangle-down' | 'diamond' | 'cross' | 'plus' (markerItems) }]
//   xLabel, yLabel: axis titles; xLog, yLog: log axes; rules: [{ y, label, colour? }] horizontal lines
//   across the plot (default colour --muted); xTicks: tick values to use instead of the automatic ones;
//   xRange, yRange: [min, max] to use instead of the data's extent; highlight: { series, k } (a cursor).
// Returns { x: { min, max, log, ticks, labels (the tick labels drawn) }, y: { ... }, plotted: [points drawn per series],
//   skipped: [points skipped per series], area: { left, top, width, height }, points } (CSS pixels).
export function drawLineChart(canvas, options = {}) {
  const { context, width, height } = prepareCanvas(canvas);
  const fontFamily = getComputedStyle(canvas).fontFamily || 'sans-serif';
  const scene = lineChartScene(canvas, options, { width, height, measure: textMeasurer(context, fontFamily) });
  context.clearRect(0, 0, width, height);
  paintScene(context, scene.items, fontFamily);
  const { items: _items, width: _width, height: _height, ...drawn } = scene;
  return drawn;
}

// Legend entries as scene items, laid out in rows within width from (x, y): a short line in each series'
// colour and dash, then its label. Returns { items, height }. For exports (the page's legend is DOM).
export function legendScene(style, series, { x, y, width, measure }) {
  const textColour = cssVariable(style, '--text', '#1d1f23');
  const swatch = 22;
  const rowHeight = kFontSize + 8;
  const items = [];
  let column = x;
  let row = y;
  series.forEach((line, index) => {
    const label = line.label ?? '';
    const entryWidth = swatch + 4 + measure(label, kFontSize) + 14;
    if (column > x && column + entryWidth > x + width) {
      column = x;
      row += rowHeight;
    }
    const middle = row + rowHeight / 2;
    items.push({ type: 'line', x1: column, y1: middle, x2: column + swatch, y2: middle,
      stroke: seriesColour(style, line, index), width: 2, dash: dashOf(line) });
    items.push({ type: 'text', text: label, x: column + swatch + 4, y: middle, fill: textColour, size: kFontSize,
      align: 'left', baseline: 'middle' });
    column += entryWidth;
  });
  return { items, height: series.length ? row + rowHeight - y : 0 };
}

// The SVG elements of a legend swatch's marker (24 x 10, centred on 12, 5): markerItems as SVG.
function legendMarker(document, shape, colour) {
  const svgNamespace = 'http://www.w3.org/2000/svg';
  return markerItems(shape, 12, 5, colour).map((item) => {
    const attributes = {
      circle: () => ({ cx: item.cx, cy: item.cy, r: item.r, fill: item.fill }),
      rect: () => ({ x: item.x, y: item.y, width: item.width, height: item.height, fill: item.fill }),
      polyline: () => ({ points: item.points.join(' '), fill: item.fill ?? 'none', stroke: item.stroke, 'stroke-width': item.width }),
      line: () => ({ x1: item.x1, y1: item.y1, x2: item.x2, y2: item.y2, stroke: item.stroke, 'stroke-width': item.width }),
    }[item.type]();
    const element = document.createElementNS(svgNamespace, item.type);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
    return element;
  });
}

// Fills container with one legend entry per series: a short SVG line in the series' colour and dash,
// then its label (textContent only). Entries: span.chart-legend-item > svg.chart-legend-swatch +
// span.chart-legend-label. Returns container.
export function lineChartLegend(container, series) {
  const document = container.ownerDocument;
  const svgNamespace = 'http://www.w3.org/2000/svg';
  container.replaceChildren();
  container.classList.add('chart-legend');
  series.forEach((line, index) => {
    const item = document.createElement('span');
    item.className = 'chart-legend-item';
    const swatch = document.createElementNS(svgNamespace, 'svg');
    swatch.setAttribute('class', 'chart-legend-swatch');
    swatch.setAttribute('width', '24');
    swatch.setAttribute('height', '10');
    swatch.setAttribute('viewBox', '0 0 24 10');
    swatch.setAttribute('aria-hidden', 'true');
    const stroke = document.createElementNS(svgNamespace, 'line');
    stroke.setAttribute('x1', '1');
    stroke.setAttribute('y1', '5');
    stroke.setAttribute('x2', '23');
    stroke.setAttribute('y2', '5');
    stroke.setAttribute('stroke', seriesColour(container, line, index));
    stroke.setAttribute('stroke-width', '2');
    const dash = dashOf(line);
    if (dash.length) stroke.setAttribute('stroke-dasharray', dash.join(' '));
    swatch.append(stroke);
    if (line.shape) swatch.append(...legendMarker(document, line.shape, stroke.getAttribute('stroke')));
    const label = document.createElement('span');
    label.className = 'chart-legend-label';
    label.textContent = line.label ?? '';
    item.append(swatch, label);
    container.append(item);
  });
  return container;
}
