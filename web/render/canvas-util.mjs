// Small helpers shared by the renderers: size a canvas' backing store to its CSS size times the device
// pixel ratio, read theme colours from CSS custom properties, turn any CSS colour into RGBA bytes, and
// format numbers for axis labels (10^k with Unicode superscripts). No DOM creation (but a transient probe
// to resolve light-dark() colours), no layout writes beyond the canvas' own width/height attributes.

// Sizes the canvas' backing store to its laid-out CSS size x devicePixelRatio and returns a 2D context
// whose unit is one CSS pixel. The page's stylesheet must give the canvas its CSS size (for instance
// `width: 100%; height: auto`, keeping the attribute aspect ratio); a canvas with no layout (hidden,
// detached) keeps its current attributes and is drawn at dpr 1. pixelRatio: a ratio to use instead of the
// device's (exports draw at 2x on any screen).
export function prepareCanvas(canvas, pixelRatio = null) {
  const dpr = pixelRatio ?? (globalThis.devicePixelRatio || 1);
  let cssWidth = canvas.clientWidth;
  let cssHeight = canvas.clientHeight;
  let scale = dpr;
  if (!(cssWidth > 0 && cssHeight > 0)) {
    cssWidth = canvas.width;
    cssHeight = canvas.height;
    scale = 1;
  }
  const width = Math.max(1, Math.round(cssWidth * scale));
  const height = Math.max(1, Math.round(cssHeight * scale));
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const context = canvas.getContext('2d');
  context.setTransform(scale, 0, 0, scale, 0, 0);
  return { context, width: cssWidth, height: cssHeight, scale };
}

// The value of a CSS custom property on element (e.g. '--text'), or fallback when unset. A value the canvas
// cannot take as it is (light-dark(a, b), whose choice depends on the colour-scheme element inherits, or a
// var() reference) is resolved to the colour the browser computes for it at element.
export function cssVariable(element, name, fallback) {
  const style = getComputedStyle(element);
  const value = style.getPropertyValue(name).trim();
  if (!value) return fallback;
  return /\b(light-dark|var)\(/.test(value) ? computedColour(element, style, value, fallback) : value;
}

// The colour value computes to at element: a probe child (canvas fallback content, never shown) whose
// color is set through the CSSOM (allowed under style-src 'self'), read back and removed. Each probe forces
// a style update, so the answers are kept per value and per what decides a light-dark() choice (the
// element's color-scheme, the OS preference, the page's color-scheme meta tag).
const resolvedColours = new Map();
function computedColour(element, style, value, fallback) {
  const document = element.ownerDocument;
  const key = [value, style.colorScheme, matchMedia('(prefers-color-scheme: dark)').matches,
    document.querySelector('meta[name="color-scheme"]')?.content ?? ''].join('|');
  if (resolvedColours.has(key)) return resolvedColours.get(key);
  const probe = document.createElement('span');
  probe.setAttribute('aria-hidden', 'true');
  probe.style.color = value;
  element.append(probe);
  const colour = getComputedStyle(probe).color;
  probe.remove();
  if (colour) resolvedColours.set(key, colour);
  return colour || fallback;
}

// A colour given as a CSS custom property name ('--series-2') or any CSS colour -> a CSS colour.
export function resolveColour(element, colour, fallback) {
  if (typeof colour === 'string' && colour.startsWith('--')) return cssVariable(element, colour, fallback);
  return colour || fallback;
}

let probeContext = null;
// colour string -> its bytes: a string always paints the same pixel on the probe, and reading a pixel back
// (getImageData), once per heatmap drawn (its masked-cell colour), took 0.015 ms in a quiet page and up to
// 0.3 ms in a slider step (Chromium's sampling profiler, bench/page-profile.mjs).
const colourBytesCache = new Map();
const kColourBytesCacheSize = 64;

// Any CSS colour string -> [r, g, b, a] bytes, by painting one pixel (handles named, hex, rgb(), hsl(),
// and the newer colour spaces exactly as the browser does).
export function colourBytes(colour) {
  const known = colourBytesCache.get(colour);
  if (known) return [...known];
  if (colourBytesCache.size >= kColourBytesCacheSize) colourBytesCache.clear();
  const bytes = paintedColourBytes(colour);
  colourBytesCache.set(colour, bytes);
  return [...bytes];
}

function paintedColourBytes(colour) {
  if (!probeContext) {
    const probe = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(1, 1) : document.createElement('canvas');
    probe.width = probe.height = 1;
    probeContext = probe.getContext('2d', { willReadFrequently: true });
  }
  probeContext.clearRect(0, 0, 1, 1);
  probeContext.fillStyle = '#000';
  probeContext.fillStyle = colour;
  probeContext.fillRect(0, 0, 1, 1);
  return Array.from(probeContext.getImageData(0, 0, 1, 1).data);
}

const kSuperscripts = { '-': '\u207b', 0: '\u2070', 1: '\u00b9', 2: '\u00b2', 3: '\u00b3', 4: '\u2074', 5: '\u2075',
  6: '\u2076', 7: '\u2077', 8: '\u2078', 9: '\u2079' };

// 10^k as '10⁻⁸' (k an integer).
export function powerOfTenLabel(exponent) {
  if (exponent === 0) return '1';
  if (exponent === 1) return '10';
  return '10' + String(exponent).split('').map((c) => kSuperscripts[c]).join('');
}

// A short label for an axis value: integers and moderate values plainly (at most 4 significant digits,
// trailing zeros dropped), very small or large ones as m×10^k.
export function formatTickValue(value) {
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e5) {
    return String(Number(value.toPrecision(4)));
  }
  let exponent = Math.floor(Math.log10(magnitude));
  let mantissa = Number((value / 10 ** exponent).toPrecision(3));
  if (Math.abs(mantissa) >= 10) {  // 9.999e-8 rounds up to 10.0e-8
    mantissa /= 10;
    exponent += 1;
  }
  if (Math.abs(mantissa) === 1) return (mantissa < 0 ? '\u2212' : '') + powerOfTenLabel(exponent);
  return `${mantissa}\u00d7${powerOfTenLabel(exponent)}`;
}
