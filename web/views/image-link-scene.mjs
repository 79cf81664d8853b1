// "Image + link" (issue 19 item 3), the drawing: a figure as one scene (render/scene.mjs) laid out for a blog
// column, kImageWidth CSS pixels wide (painted at export.mjs's 2x for the PNG): its title and its parameters
// in words (wrapped, never cut), then the chart and its legend, or the heatmap panels in rows of at most three
// with their captions and colour bars, redrawn at the size they take in the image (so their axes keep their
// size and stay sharp). Always in the light colours (inLightColours): a picture goes where its host's scheme is
// unknown (e-mail and feed readers are mostly light; print is), so it carries its own light background. The
// same scene gives the SVG of a chart; a scene with heatmaps (raster cells) has no SVG (hasRaster).
import { colourBytes, cssVariable } from '../render/canvas-util.mjs';
import { redrawnCopy } from '../render/heatmap.mjs';
import { legendScene, lineChartScene, textMeasurer } from '../render/line-chart.mjs';
import { kExportPixelRatio, translateItems } from '../render/scene.mjs';

export const kImageWidth = 720;  // CSS pixels: a common blog column; the PNG is kExportPixelRatio times that
const kMargin = 20;
const kTitleSize = 20;
const kParametersSize = 14;
const kCaptionSize = 14;
const kRuleSize = 12;
const kChartHeight = 380;
const kGap = 16;
const kLineGap = 5;
const kLightClass = 'attnrank-export-light';

// The class that draws an element and what it holds in the light colours (the explorer's style.css gives it
// the light theme's custom properties; every sheet gives it color-scheme: light, which picks the light half
// of the light-dark() colours of the figures and the series). For the stylesheet of image-link-panel.mjs.
export const lightColoursRule = `.${kLightClass} { color-scheme: light; }`;

// build() run while scope (an element holding the figure's canvases) is drawn in the light colours; the scene
// is made synchronously, so the page is never painted in between.
export function inLightColours(scope, build) {
  const hadClass = scope.classList.contains(kLightClass);
  scope.classList.add(kLightClass);
  try {
    return build();
  } finally {
    if (!hadClass) scope.classList.remove(kLightClass);
  }
}

function measurerFor(fontFamily) {
  return textMeasurer(document.createElement('canvas').getContext('2d'), fontFamily);
}

// text in lines no wider than width at `size`: broken at spaces, and inside a word (or a run of CJK text,
// which has no spaces) where one alone is wider.
export function wrapText(measure, text, size, width) {
  const lines = [];
  let line = '';
  const push = (word) => {
    const candidate = line ? `${line} ${word}` : word;
    if (measure(candidate, size) <= width) {
      line = candidate;
      return;
    }
    if (line) lines.push(line);
    line = '';
    let rest = word;
    while (measure(rest, size) > width && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && measure(rest.slice(0, cut), size) > width) cut -= 1;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  };
  for (const word of String(text).split(' ')) if (word) push(word);
  if (line) lines.push(line);
  return lines;
}

// The light background: the page's --background in light colours, opaque (white when it is transparent, as a
// theme="auto" figure's may be).
function backgroundOf(style) {
  const colour = cssVariable(style, '--background', '#ffffff');
  return colourBytes(colour)[3] === 255 ? colour : '#ffffff';
}

// Title and parameters from the top margin, wrapped to width: { items, height }. phrases are joined with
// separator, a line breaking only between phrases unless one alone is too wide.
function headerScene(style, measure, { title, phrases, separator }, width) {
  const text = cssVariable(style, '--text', '#1d1f23');
  const muted = cssVariable(style, '--muted', '#5b6270');
  const items = [];
  let y = kMargin;
  for (const line of wrapText(measure, title, kTitleSize, width)) {
    items.push({ type: 'text', text: line, x: kMargin, y, fill: text, size: kTitleSize, weight: 'bold', align: 'left', baseline: 'top' });
    y += kTitleSize + kLineGap;
  }
  y += 3;
  const lines = [];
  for (const phrase of phrases) {
    const last = lines.at(-1);
    if (last !== undefined && measure(`${last}${separator}${phrase}`, kParametersSize) <= width) lines[lines.length - 1] = `${last}${separator}${phrase}`;
    else lines.push(...wrapText(measure, phrase, kParametersSize, width));
  }
  for (const line of lines) {
    items.push({ type: 'text', text: line, x: kMargin, y, fill: muted, size: kParametersSize, align: 'left', baseline: 'top' });
    y += kParametersSize + kLineGap;
  }
  return { items, height: y + kGap - kLineGap };
}

// One heatmap panel at (x, y), width wide: caption lines (the first bold), the heatmap redrawn at that width
// (its on-screen aspect), its colour bar under it. captionHeight: the height to leave for captions (the row's
// tallest), so the heatmaps of a row line up. Returns { items, height }.
function panelScene(style, measure, panel, x, y, width, captionHeight = null) {
  const text = cssVariable(style, '--text', '#1d1f23');
  const muted = cssVariable(style, '--muted', '#5b6270');
  const items = [];
  let at = y;
  for (const [index, caption] of panel.captions.entries()) {
    const isName = index === 0 && !panel.isPlain;
    const size = isName ? kCaptionSize : kRuleSize;
    for (const line of wrapText(measure, caption, size, width)) {
      items.push({ type: 'text', text: line, x, y: at, fill: isName ? text : muted, size, weight: isName ? 'bold' : undefined,
        align: 'left', baseline: 'top' });
      at += size + 4;
    }
  }
  if (captionHeight !== null) at = y + captionHeight;
  const box = panel.heatmap.getBoundingClientRect();
  const aspect = box.width > 0 && box.height > 0 ? box.height / box.width : 1;
  const height = Math.round(Math.min(width * aspect, panel.maxHeight ?? Infinity));
  const map = redrawnCopy(panel.heatmap, kExportPixelRatio, { size: { width, height } });
  if (map) {
    items.push({ type: 'image', source: map.canvas, x, y: at + 2, width: map.width, height: map.height });
    at += map.height + 6;
  }
  const barBox = panel.legend?.getBoundingClientRect();
  const bar = panel.legend ? redrawnCopy(panel.legend, kExportPixelRatio,
    { size: { width, height: Math.max(26, Math.round(barBox?.height || 26)) }, under: map?.canvas ?? null }) : null;
  if (bar) {
    items.push({ type: 'image', source: bar.canvas, x, y: at, width: bar.width, height: bar.height });
    at += bar.height;
  }
  return { items, height: at - y };
}

function captionsHeight(measure, panel, width) {
  return panel.captions.reduce((sum, caption, index) => {
    const size = index === 0 && !panel.isPlain ? kCaptionSize : kRuleSize;
    return sum + wrapText(measure, caption, size, width).length * (size + 4);
  }, 0);
}

function finish(style, fontFamily, header, items, height, title) {
  const total = Math.ceil(height + kMargin);
  return { width: kImageWidth, height: total, fontFamily, title,
    items: [{ type: 'rect', x: 0, y: 0, width: kImageWidth, height: total, fill: backgroundOf(style) }, ...header.items, ...items] };
}

// A line chart (a renderChart description) with its legend, and below it `panels` (a heatmap each, full width:
// the depth figure's product), under the header. style: the chart's canvas (its font and colours).
export function chartImageScene(style, { title, phrases, separator, chart, panels = [] }) {
  const fontFamily = getComputedStyle(style).fontFamily || 'sans-serif';
  const measure = measurerFor(fontFamily);
  const width = kImageWidth - 2 * kMargin;
  const header = headerScene(style, measure, { title, phrases, separator }, width);
  const plot = lineChartScene(style, chart, { width, height: kChartHeight, measure });
  const items = [...translateItems(plot.items, kMargin, header.height)];
  let y = header.height + kChartHeight + 8;
  const legend = legendScene(style, chart.series.filter((line) => line.legend !== false), { x: kMargin, y, width, measure });
  items.push(...legend.items);
  y += legend.height;
  for (const panel of panels) {
    y += kGap;
    const placed = panelScene(style, measure, { ...panel, maxHeight: panel.maxHeight ?? 320 }, kMargin, y, width);
    items.push(...placed.items);
    y += placed.height;
  }
  return finish(style, fontFamily, header, items, y, title);
}

// Heatmap panels ({ heatmap, legend, captions }) in rows (one or two panels side by side, four as two by two,
// more three to a row) under the header. style: an element of the figure (its font and colours).
export function heatmapsImageScene(style, { title, phrases, separator, panels }) {
  const fontFamily = getComputedStyle(style).fontFamily || 'sans-serif';
  const measure = measurerFor(fontFamily);
  const width = kImageWidth - 2 * kMargin;
  const header = headerScene(style, measure, { title, phrases, separator }, width);
  const columns = panels.length <= 2 ? Math.max(1, panels.length) : panels.length === 4 ? 2 : 3;
  const panelWidth = Math.floor((width - (columns - 1) * kGap) / columns);
  const items = [];
  let y = header.height;
  for (let start = 0; start < panels.length; start += columns) {
    const row = panels.slice(start, start + columns);
    const captionHeight = Math.max(...row.map((panel) => captionsHeight(measure, panel, panelWidth)));
    let rowHeight = 0;
    row.forEach((panel, index) => {
      const placed = panelScene(style, measure, panel, kMargin + index * (panelWidth + kGap), y, panelWidth, captionHeight);
      items.push(...placed.items);
      rowHeight = Math.max(rowHeight, placed.height);
    });
    y += rowHeight + kGap;
  }
  return finish(style, fontFamily, header, items, y - kGap, title);
}

// Whether a scene holds raster images (heatmaps), which SVG exports leave out: such a figure is PNG only.
export function hasRaster(scene) {
  const walk = (items) => items.some((item) => item.type === 'image' || (item.type === 'group' && walk(item.items)));
  return walk(scene.items);
}
