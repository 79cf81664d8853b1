// One live line chart of the lab, drawn by uPlot (web/vendor/uplot, pinned; it writes styles only through the
// CSSOM, so the page's strict CSP holds): series with optional min-max bands, a log or linear y axis, the
// page's series colours (render/series-palette.mjs custom properties, resolved for the theme), a DOM legend,
// a cursor readout line (pointer, or the arrow keys on the focused plot) and, through
// views/chart-description.mjs, an accessible name, a summary sentence and a data table of the same numbers.
// spec: { xLabel, yLabel, yLog, yInteger, lines: [{ label, colour, x, y, dash?, boundAt?, band?: { low, high } }],
// readout(lineIndex, k) -> words of a point }. Drawing only: the numbers come from curves-data.mjs.
import uPlot from '../vendor/uplot/uPlot.esm.js';
import { colourBytes, cssVariable, formatTickValue, resolveColour } from '../render/canvas-util.mjs';
import { describeChart } from '../views/chart-description.mjs';
import { alignSeries } from './curves-data.mjs';
import { logRange, logSplits } from './log-axis.mjs';

const kHeight = { wide: 260, narrow: 200 };
const kBandAlpha = 0.12;
// The tick steps of an axis of counts (numerical ranks): whole numbers only.
const kIntegerSteps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
function withAlpha(colour, alpha) {
  const [r, g, b] = colourBytes(colour);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

export class LabChart {
  #container;
  #host;
  #legend;
  #readout;
  #plot = null;
  #shape = '';
  #spec = null;
  #text;
  #observer;

  // container: an empty element; text: the words function (chart.a11y.*).
  constructor(container, text) {
    this.#container = container;
    this.#text = text;
    const document = container.ownerDocument;
    this.#host = document.createElement('div');
    this.#host.className = 'lab-plot';
    this.#legend = document.createElement('div');
    this.#legend.className = 'chart-legend';
    this.#readout = document.createElement('p');
    this.#readout.className = 'readout';
    this.#readout.setAttribute('aria-live', 'polite');
    container.append(this.#host, this.#legend, this.#readout);
    this.#observer = new ResizeObserver(() => this.#resize());
    this.#observer.observe(container);
  }

  setText(text) { this.#text = text; }

  get canvas() { return this.#host.querySelector('canvas'); }

  // Draws spec (a new uPlot when the series, axes or theme changed, else new data into the same one).
  update(spec) {
    this.#spec = spec;
    const dark = matchMedia('(prefers-color-scheme: dark)').matches;
    const shape = JSON.stringify([spec.lines.map((line) => [line.label, line.colour, Boolean(line.band), line.dash ?? null]),
      spec.yLog, spec.xLabel, spec.yLabel, dark]);
    const data = this.#data(spec);
    if (shape !== this.#shape || !this.#plot) {
      this.#plot?.destroy();
      this.#shape = shape;
      this.#plot = new uPlot(this.#options(spec), data, this.#host);
      // The plot's pointer layer takes the keyboard too: the arrow keys move the readout.
      this.#plot.over.tabIndex = 0;
      this.#plot.over.setAttribute('role', 'group');
      this.#plot.over.addEventListener('keydown', (event) => this.#key(event));
      this.#legendItems(spec);
    } else {
      this.#plot.setData(data);
    }
    const description = this.#description(spec);
    describeChart(this.canvas, this.#readout, description, this.#text);
    this.#plot.over.setAttribute('aria-label', this.#text('lab.readout', { name: this.canvas.getAttribute('aria-label') }));
  }

  destroy() {
    this.#observer.disconnect();
    this.#plot?.destroy();
    this.#plot = null;
  }

  // [xs, per line: y (and its band's high, low)] on the union of the lines' steps.
  #data(spec) {
    const series = [];
    for (const line of spec.lines) {
      series.push({ x: line.x, y: line.y });
      if (line.band) series.push({ x: line.x, y: line.band.high }, { x: line.x, y: line.band.low });
    }
    const aligned = alignSeries(series);
    // A log axis cannot draw values <= 0: left out, never at -Infinity.
    return spec.yLog ? aligned.map((ys, k) => (k === 0 ? ys : ys.map((y) => (y !== null && y > 0 ? y : null)))) : aligned;
  }

  #width() {
    return Math.max(200, Math.floor(this.#container.clientWidth));
  }

  #height() {
    return this.#container.clientWidth < 560 ? kHeight.narrow : kHeight.wide;
  }

  #resize() {
    if (this.#plot) this.#plot.setSize({ width: this.#width(), height: this.#height() });
  }

  #options(spec) {
    const element = this.#container;
    const text = cssVariable(element, '--text', '#1d1f23');
    const muted = cssVariable(element, '--muted', '#5d6470');
    const rule = cssVariable(element, '--rule', '#dcdad3');
    const font = `12px ${getComputedStyle(element).fontFamily}`;
    const axis = (label) => ({ label, stroke: muted, labelFont: font, font, grid: { stroke: rule, width: 1 },
      ticks: { stroke: rule, width: 1 }, values: (plot, splits) => splits.map((value) => (value === null ? '' : formatTickValue(value))) });
    const series = [{ label: spec.xLabel }];
    const bands = [];
    for (const line of spec.lines) {
      const colour = resolveColour(element, line.colour, text);
      series.push({ label: line.label, stroke: colour, width: 2, dash: line.dash, spanGaps: true,
        points: { show: line.x.length <= 40, size: 5, fill: colour } });
      if (line.band) {
        const at = series.length;
        series.push({ label: `${line.label} max`, stroke: 'transparent', width: 0, spanGaps: true, points: { show: false } },
          { label: `${line.label} min`, stroke: 'transparent', width: 0, spanGaps: true, points: { show: false } });
        bands.push({ series: [at, at + 1], fill: withAlpha(colour, kBandAlpha) });
      }
    }
    return {
      width: this.#width(), height: this.#height(),
      legend: { show: false },
      scales: { x: { time: false }, y: spec.yLog ? { distr: 3, log: 10, range: logRange } : { auto: true } },
      axes: [axis(spec.xLabel), { ...axis(spec.yLabel), size: 60,
        // Every tick of logSplits labelled (uPlot's own filter labels only some of a log axis's ticks).
        ...(spec.yLog ? { splits: (plot, index, min, max) => logSplits(min, max), filter: (plot, splits) => splits } : {}),
        ...(spec.yInteger ? { incrs: kIntegerSteps } : {}) }],
      series, bands,
      cursor: { drag: { x: false, y: false }, points: { size: 7 } },
      hooks: { setCursor: [(plot) => this.#showReadout(plot.cursor.idx)] },
    };
  }

  #legendItems(spec) {
    const document = this.#legend.ownerDocument;
    this.#legend.replaceChildren(...spec.lines.map((line) => {
      const item = document.createElement('span');
      item.className = 'chart-legend-item';
      const swatch = document.createElement('span');
      swatch.className = `lab-swatch${line.dash ? ' is-dashed' : ''}`;
      swatch.style.borderColor = resolveColour(this.#container, line.colour, 'currentColor');
      swatch.setAttribute('aria-hidden', 'true');
      item.append(swatch, document.createTextNode(line.label));
      return item;
    }));
  }

  // The readout of step index idx (of the aligned x), every line's value there.
  #showReadout(idx) {
    const spec = this.#spec;
    if (!spec || idx === null || idx === undefined) return;
    const step = this.#plot.data[0][idx];
    this.#readout.textContent = spec.readout(step);
  }

  #key(event) {
    const xs = this.#plot?.data[0];
    if (!xs || xs.length === 0) return;
    const moves = { ArrowLeft: -1, ArrowRight: 1, Home: -Infinity, End: Infinity };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const current = this.#plot.cursor.idx ?? (moves[event.key] > 0 ? -1 : xs.length);
    const idx = Math.max(0, Math.min(xs.length - 1, current + moves[event.key]));
    this.#plot.setCursor({ left: this.#plot.valToPos(xs[idx], 'x'), top: this.#plot.over.clientHeight / 2 });
  }

  // The chart as views/chart-description.mjs words it: each line, and its band's min and max as lines.
  #description(spec) {
    const series = [];
    for (const line of spec.lines) {
      series.push({ label: line.label, x: line.x, y: line.y, boundAt: line.boundAt });
      if (line.band) {
        series.push({ label: `${line.label} min`, x: line.x, y: line.band.low, legend: false },
          { label: `${line.label} max`, x: line.x, y: line.band.high, legend: false });
      }
    }
    return { series, xLabel: spec.xLabel, yLabel: spec.yLabel, yLog: spec.yLog };
  }
}
