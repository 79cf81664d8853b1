// Tests of the renderers' pure parts (no DOM): the viridis table (size, endpoints and sample entries
// against matplotlib's table, monotone CIELAB lightness, reversal), axis ticks (decades on log axes,
// 1-2-5 steps on linear ones), tick labels, the colour range and the mask boundary of the heatmap, and its
// colour scales' row painting (the same table index as the scale's step function, entry by entry).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { formatTickValue, powerOfTenLabel } from '../../web/render/canvas-util.mjs';
import { buildTable, kTableSize, reverseTable, viridis, viridisReversed } from '../../web/render/colormap.mjs';
import { colourScale, heatmapRange, maskBoundary } from '../../web/render/heatmap.mjs';
import { logTicks, niceTicks } from '../../web/render/line-chart.mjs';

// sRGB bytes -> CIELAB L* (D65), the lightness a viewer sees.
function lightness(r, g, b) {
  const linear = (c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const y = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  return y > 216 / 24389 ? 116 * Math.cbrt(y) - 16 : (24389 / 27) * y;
}

const entry = (table, k) => Array.from(table.subarray(4 * k, 4 * k + 4));

test('the viridis table has 256 opaque RGBA entries with matplotlib\'s endpoints', () => {
  assert.ok(viridis instanceof Uint8ClampedArray);
  assert.equal(kTableSize, 256);
  assert.equal(viridis.length, 256 * 4);
  for (let k = 0; k < 256; ++k) assert.equal(viridis[4 * k + 3], 255, `alpha of entry ${k}`);
  // matplotlib _viridis_data[0] = (0.267004, 0.004874, 0.329415), [255] = (0.993248, 0.906157, 0.143936)
  assert.deepEqual(entry(viridis, 0), [68, 1, 84, 255]);
  assert.deepEqual(entry(viridis, 255), [253, 231, 37, 255]);
});

test('interpolated entries match matplotlib\'s full table (within 1 of 255; 3 for the blue of the last yellows)', () => {
  // Entries that are not control points (matplotlib _cm_listed.py, _viridis_data[k]).
  const reference = {
    8: [0.277018, 0.050344, 0.375715],
    17: [0.282656, 0.100196, 0.422160],
    64: [0.229739, 0.322361, 0.545706],
    92: [0.179019, 0.433756, 0.557430],
    128: [0.127568, 0.566949, 0.550556],
    145: [0.121380, 0.629492, 0.531973],
    178: [0.259857, 0.745492, 0.444467],
    200: [0.440137, 0.811138, 0.340967],
    230: [0.741388, 0.873449, 0.149561],
    243: [0.876168, 0.891125, 0.095250],
    250: [0.945636, 0.899815, 0.112838],
  };
  for (const [k, rgb] of Object.entries(reference)) {
    const got = entry(viridis, Number(k));
    rgb.forEach((value, channel) => {
      const tolerance = Number(k) >= 240 && channel === 2 ? 3.5 : 1;
      assert.ok(Math.abs(got[channel] - 255 * value) <= tolerance, `entry ${k} channel ${channel}: ${got[channel]} vs ${255 * value}`);
    });
  }
});

test('lightness rises monotonically along viridis (readable in greyscale and by colour-blind readers)', () => {
  const l = [];
  for (let k = 0; k < 256; ++k) l.push(lightness(viridis[4 * k], viridis[4 * k + 1], viridis[4 * k + 2]));
  for (let k = 1; k < 256; ++k) {
    // 8-bit rounding of neighbouring entries can cost ~0.1 L*; over 4 entries L* must strictly rise.
    assert.ok(l[k] > l[k - 1] - 0.15, `L* falls at entry ${k}: ${l[k]} after ${l[k - 1]}`);
    if (k >= 4) assert.ok(l[k] > l[k - 4], `L* does not rise from entry ${k - 4} to ${k}`);
  }
  assert.ok(l[255] - l[0] > 70, `lightness span ${l[255] - l[0]}`);
});

test('buildTable interpolates linearly and reverseTable reverses', () => {
  const grey = buildTable([[0, 0, 0], [1, 1, 1]], 3);
  assert.deepEqual(Array.from(grey), [0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
  assert.deepEqual(Array.from(reverseTable(grey)), [255, 255, 255, 255, 128, 128, 128, 255, 0, 0, 0, 255]);
  assert.deepEqual(entry(viridisReversed, 0), entry(viridis, 255));
  assert.deepEqual(entry(viridisReversed, 255), entry(viridis, 0));
});

test('logTicks: whole decades, 10^k labels, coarser steps over many decades', () => {
  const spectrum = logTicks(3.2e-17, 1.04);
  assert.equal(spectrum.logMin, -17);
  assert.equal(spectrum.logMax, 1);
  assert.ok(spectrum.ticks.length <= 8 && spectrum.ticks.length >= 4, `${spectrum.ticks.length} ticks`);
  for (const tick of spectrum.ticks) {
    assert.ok(tick.exponent % spectrum.step === 0, `tick 10^${tick.exponent} is not a multiple of the step`);
    assert.ok(tick.exponent >= -17 && tick.exponent <= 1);
  }
  assert.deepEqual(logTicks(0.01, 1).ticks.map((tick) => tick.label), ['10\u207b\u00b2', '10\u207b\u00b9', '1']);
  assert.deepEqual(logTicks(0.01, 1).ticks.map((tick) => tick.value), [0.01, 0.1, 1]);
  assert.equal(logTicks(0.01, 1).minor.length, 16, '2..9 in each of two decades');
  const deep = logTicks(1e-300, 1);
  assert.equal(deep.step, 50);
  assert.deepEqual(deep.ticks.map((tick) => tick.exponent), [-300, -250, -200, -150, -100, -50, 0]);
  assert.equal(deep.minor.length, 0);
  const subnormal = logTicks(4.9e-324, 1);
  assert.ok(subnormal.logMin >= -324 && Number.isFinite(subnormal.logMin));
  const flat = logTicks(5, 5);
  assert.deepEqual([flat.logMin, flat.logMax], [0, 1], 'a single value gets its decade');
  assert.ok(Object.is(logTicks(0.5, 0.9).logMax, 0), 'no -0 exponent');
  assert.throws(() => logTicks(0, 1), RangeError);
  assert.throws(() => logTicks(-1, 1), RangeError);
  assert.throws(() => logTicks(1, Infinity), RangeError);
});

test('niceTicks: 1-2-5 steps covering the data, clean decimals', () => {
  const unit = niceTicks(0, 1, 5);
  assert.equal(unit.step, 0.2);
  assert.deepEqual(unit.ticks.map((tick) => tick.value), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  const scales = niceTicks(0.25, 4, 5);
  assert.equal(scales.step, 1);
  assert.deepEqual([scales.min, scales.max], [0, 4]);
  const ranks = niceTicks(3, 61, 5);
  assert.ok(ranks.min <= 3 && ranks.max >= 61);
  assert.ok([1, 2, 5].includes(ranks.step / 10 ** Math.floor(Math.log10(ranks.step))), `step ${ranks.step}`);
  assert.deepEqual(niceTicks(-1, 1, 5).ticks.map((tick) => tick.label), ['-1', '-0.5', '0', '0.5', '1']);
  const single = niceTicks(3, 3, 5);
  assert.ok(single.min < 3 && single.max > 3, 'a zero-width range widens');
  for (const tick of niceTicks(0.1, 0.7, 7).ticks) assert.ok(String(tick.value).length <= 4, `clean decimal: ${tick.value}`);
  assert.throws(() => niceTicks(0, NaN), RangeError);
});

test('tick labels: powers of ten with superscripts, plain moderate values', () => {
  assert.equal(powerOfTenLabel(0), '1');
  assert.equal(powerOfTenLabel(1), '10');
  assert.equal(powerOfTenLabel(-16), '10\u207b\u00b9\u2076');
  assert.equal(powerOfTenLabel(308), '10\u00b3\u2070\u2078');
  assert.equal(formatTickValue(0), '0');
  assert.equal(formatTickValue(0.125), '0.125');
  assert.equal(formatTickValue(512), '512');
  assert.equal(formatTickValue(1e-8), '10\u207b\u2078');
  assert.equal(formatTickValue(2.5e-9), '2.5\u00d710\u207b\u2079');
  assert.equal(formatTickValue(9.9999e-8), '10\u207b\u2077', 'rounding up carries into the exponent');
});

test('heatmapRange: colour runs from 0 to the largest allowed entry', () => {
  assert.deepEqual(heatmapRange(new Float64Array([0.5, 0.25, 0, 1]), null), { min: 0, max: 1 });
  assert.deepEqual(heatmapRange(new Float64Array([0.5, 0.25, 0, 1]), new Uint8Array([1, 1, 1, 0])), { min: 0, max: 0.5 });
  assert.deepEqual(heatmapRange(new Float64Array([-2, 3]), null), { min: -2, max: 3 });
  assert.deepEqual(heatmapRange(new Float64Array([1]), new Uint8Array([0])), { min: 0, max: 0 });
});

// allowed(i, j) as a Uint8Array for a rule.
function maskOf(n, allowed) {
  const mask = new Uint8Array(n * n);
  for (let i = 0; i < n; ++i) for (let j = 0; j < n; ++j) mask[i * n + j] = allowed(i, j) ? 1 : 0;
  return mask;
}

// Segments as sorted strings, for order-free comparison.
const segmentSet = (segments) => {
  const out = [];
  for (let k = 0; k < segments.length; k += 4) out.push(segments.slice(k, k + 4).join(','));
  return out.sort();
};

test('maskBoundary: the staircase of a causal mask, nothing for a full one, merged runs', () => {
  const forward = maskBoundary(maskOf(3, (i, j) => j <= i), 3);
  assert.deepEqual(segmentSet(forward), ['1,0,1,1', '1,1,2,1', '2,1,2,2', '2,2,3,2'].sort());
  assert.deepEqual(maskBoundary(maskOf(5, () => true), 5), [], 'bidirectional: no interior boundary');
  // prefix p = 2, n = 4: columns 0..1 always allowed, then causal. Row 0 sees 0, 1; row 1 sees 0, 1.
  const prefix = maskBoundary(maskOf(4, (i, j) => j < 2 || j <= i), 4);
  assert.deepEqual(segmentSet(prefix), ['2,0,2,2', '2,2,3,2', '3,2,3,3', '3,3,4,3'].sort(), 'column 2 boundary merged over rows 0-1');
  // Every boundary segment separates an allowed cell from a masked one; total length = number of such edges.
  const n = 16;
  const window = maskOf(n, (i, j) => Math.abs(i - j) < 3);
  let edges = 0;
  for (let i = 0; i < n; ++i) {
    for (let j = 0; j < n; ++j) {
      if (j + 1 < n && window[i * n + j] !== window[i * n + j + 1]) ++edges;
      if (i + 1 < n && window[i * n + j] !== window[(i + 1) * n + j]) ++edges;
    }
  }
  const segments = maskBoundary(window, n);
  let length = 0;
  for (let k = 0; k < segments.length; k += 4) length += Math.abs(segments[k + 2] - segments[k]) + Math.abs(segments[k + 3] - segments[k + 1]);
  assert.equal(length, edges);
});

test('heatmap colour scales: fillRow gives every sampled entry the table index step gives it (log, sqrt, linear, constant)', () => {
  let seed = 12345;
  const random = () => {  // a small LCG: the same entries every run
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const n = 300;
  const width = 211;  // fewer pixels than columns: not every column sampled, none twice in a row
  const columns = new Int32Array(width).map((_, x) => Math.min(n - 1, Math.floor(((x + 0.5) * n) / width)));
  const logFloor = 1 / (n * n);
  const special = [0, -0, logFloor, logFloor * (1 + 2 ** -52), logFloor * (1 - 2 ** -53), 1, 1 + 2 ** -52, 2, -1, 1e-300,
    Number.MIN_VALUE, NaN, Infinity, -Infinity, 0.5, 1 / 255, 254.5 / 255];
  const rows = [];
  for (let row = 0; row < 6; ++row) {
    const values = new Float64Array(n);
    for (let j = 0; j < n; ++j) {
      // attention-like weights over ~12 decades, some entries uniform in [0, 1], and the special values
      values[j] = j < special.length && row === 0 ? special[j] : row % 2 ? random() : 10 ** (-12 * random());
    }
    rows.push(values);
  }
  const data64 = new Float64Array(rows.length * n);
  rows.forEach((values, row) => data64.set(values, row * n));
  const data32 = Float32Array.from(data64);
  const ranges = [{ min: 0, max: 1 }, { min: 0, max: 0.37 }, { min: -0.5, max: 2 }, { min: 0, max: 1e-12 },
    { min: 0.25, max: 0.25 }, { min: 0, max: 0 }];
  let checked = 0;
  for (const colour of ['log', 'sqrt', 'linear']) {
    for (const range of ranges) {
      for (const floor of [logFloor, 1e-5, 2]) {
        const scale = colourScale(colour, floor, range);
        for (const data of [data64, data32, Array.from(data64)]) {
          for (let row = 0; row < rows.length; ++row) {
            const indices = new Uint8Array(width).fill(77);
            scale.fillRow(indices, data, row * n, columns, width);
            for (let x = 0; x < width; ++x) {
              const expected = scale.step(data[row * n + columns[x]]);
              assert.ok(Number.isInteger(expected) && expected >= 0 && expected <= 255);
              assert.equal(indices[x], expected, `${colour} ${JSON.stringify(range)} floor ${floor} row ${row} x ${x}: ${data[row * n + columns[x]]}`);
              ++checked;
            }
          }
        }
      }
    }
  }
  assert.equal(checked, 3 * ranges.length * 3 * 3 * rows.length * width);
  // The scales do use the table: the log scale of the shared range gives ~120 weights above its floor many indices.
  const spread = new Set(rows[2].map((value) => colourScale('log', logFloor, { min: 0, max: 1 }).step(value)));
  assert.ok(spread.size > 60, `${spread.size} distinct indices`);
});
