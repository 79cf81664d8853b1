// node --test on the series colours (issue 17 item 4): web/render/series-palette.mjs holds every one, and the
// core's pattern registry (the wasm module's patterns()) gives each pattern and depth schedule one of its
// own; the colours the patterns use are told apart by readers with normal vision and with simulated
// deuteranopia or protanopia (smallest pairwise CIEDE2000 difference, tests/node/colour-vision.mjs) in the
// light and the dark theme, and each stands out from the pages' backgrounds by the 3:1 WCAG 2.1 asks of
// graphics (1.4.11). Fails on the palette before issue 17 (prefix #e69f00 vs backward #d55e00: 1.5 under
// deuteranopia; window and forward_backward one colour in the depth view).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { before, test } from 'node:test';

import { quantityPalette, seriesCss, seriesPalette, seriesShape } from '../../web/render/series-palette.mjs';
import { contrastRatio, difference, hexToRgb } from './colour-vision.mjs';
import { loadAttnrank, root } from './load-wasm.mjs';

// The smallest pairwise CIEDE2000 difference allowed: 20 is a difference seen at a glance; 15 under a
// simulated full dichromacy (where 7 colours of 3:1 contrast leave little room), with marker shapes
// besides (seriesShape). The chosen palette reaches 23.5 / 15.7 (light) and 25.6 / 16.2 (dark).
const kMinimumNormal = 20;
const kMinimumDichromat = 15;
const kGraphicsContrast = 3;

let registry;
before(async () => {
  registry = (await loadAttnrank()).patterns();
});

// Every colour a pattern or a depth schedule is drawn in: [[id, custom property], ...].
function usedColours() {
  const fixed = registry.patterns.filter((pattern) => pattern.group !== 'custom').map((pattern) => [pattern.id, pattern.colour]);
  const schedules = registry.depth_schedules.map((schedule) => [schedule.id, schedule.colour]);
  return [...fixed, ...schedules];
}

// A theme's background colours, read from the stylesheets that define them (light: :root, dark: the
// prefers-color-scheme block) and from the embed's light-dark() values.
async function backgrounds() {
  const light = new Set();
  const dark = new Set();
  for (const file of ['web/style.css', 'web/essay.css']) {
    const css = await readFile(path.join(root, file), 'utf8');
    const darkStart = css.indexOf('@media (prefers-color-scheme: dark)');
    const darkEnd = css.indexOf('\n}\n', darkStart);  // the end of the media block (its rule ends in '  }')
    for (const match of css.matchAll(/--(background|surface):\s*(#[0-9a-f]{6})/gi)) {
      if (match.index < darkStart) light.add(match[2]);
      else if (match.index < darkEnd) dark.add(match[2]);
    }
  }
  const { figureCss } = await import('../../web/embed/figure-style.mjs').catch(() => ({ figureCss: '' }));
  for (const match of figureCss.matchAll(/--background:\s*light-dark\((#[0-9a-f]{6}),\s*(#[0-9a-f]{6})\)/gi)) {
    light.add(match[1]);
    dark.add(match[2]);
  }
  return { light: [...light], dark: [...dark] };
}

test('each pattern and depth schedule has a colour of its own, and the palette defines it', () => {
  const used = usedColours();
  const properties = seriesPalette.map((entry) => entry.property);
  for (const [id, colour] of used) assert.ok(properties.includes(colour), `${id}: ${colour} is not in series-palette.mjs`);
  const byColour = new Map();
  for (const [id, colour] of used) {
    const ids = used.filter(([, other]) => other === colour).map(([other]) => other);
    if (ids.length > 1) byColour.set(colour, ids);
  }
  // A fixed pattern appears twice (as a pattern and as its own depth schedule): that is one pattern.
  const shared = [...byColour].filter(([, ids]) => new Set(ids).size > 1);
  assert.deepEqual(shared, [], `colours shared by different patterns: ${JSON.stringify(shared)}`);
  const shapes = new Set([...new Set(used.map(([, colour]) => colour))].map(seriesShape));
  assert.equal(shapes.size, new Set(used.map(([, colour]) => colour)).size, 'each pattern has its own marker shape');
});

for (const theme of ['light', 'dark']) {
  test(`the patterns' colours are distinct in the ${theme} theme, for normal vision, deuteranopia and protanopia`, () => {
    const properties = [...new Set(usedColours().map(([, colour]) => colour))];
    const colours = properties.map((property) => seriesPalette.find((entry) => entry.property === property)[theme]);
    for (const [vision, minimum] of [['normal', kMinimumNormal], ['deuteranopia', kMinimumDichromat], ['protanopia', kMinimumDichromat]]) {
      for (let i = 0; i < colours.length; ++i) {
        for (let j = i + 1; j < colours.length; ++j) {
          const delta = difference(colours[i], colours[j], vision);
          assert.ok(delta >= minimum, `${theme}, ${vision}: ${properties[i]} ${colours[i]} vs ${properties[j]} ${colours[j]}: ` +
            `CIEDE2000 ${delta.toFixed(1)} < ${minimum}`);
        }
      }
    }
  });

  test(`every series colour stands out from the ${theme} backgrounds by at least ${kGraphicsContrast}:1`, async () => {
    const grounds = (await backgrounds())[theme];
    assert.ok(grounds.length >= 2, `found the ${theme} backgrounds: ${grounds}`);
    for (const entry of seriesPalette) {
      for (const ground of grounds) {
        const ratio = contrastRatio(entry[theme], ground);
        assert.ok(ratio >= kGraphicsContrast, `${entry.property} ${entry[theme]} on ${ground}: ${ratio.toFixed(2)}:1`);
      }
    }
  });
}

test('seriesCss() declares every property once as light-dark(light, dark)', () => {
  const css = seriesCss(':root');
  for (const { property, light, dark } of seriesPalette) {
    assert.equal(css.split(`${property}:`).length, 2, property);
    assert.ok(css.includes(`${property}: light-dark(${light}, ${dark});`), property);
    hexToRgb(light);
    hexToRgb(dark);
  }
});

// Issue 17 review, item 1: quantities that are not patterns (the raises-rank chart's ranks) have colours of their
// own: distinct from one another for the three visions, from every pattern's colour in the same theme (so no rank
// reads as a pattern), and at 3:1 against the backgrounds. The palette reaches 26.9 / 19.6 among themselves and
// 14.7 from the patterns.
const kQuantityFromPattern = 12;
for (const theme of ['light', 'dark']) {
  test(`the quantities' colours are distinct from one another and from the patterns' in the ${theme} theme`, async () => {
    const colours = quantityPalette.map((entry) => entry[theme]);
    for (const [vision, minimum] of [['normal', kMinimumNormal], ['deuteranopia', kMinimumDichromat], ['protanopia', kMinimumDichromat]]) {
      for (let i = 0; i < colours.length; ++i) {
        for (let j = i + 1; j < colours.length; ++j) {
          const delta = difference(colours[i], colours[j], vision);
          assert.ok(delta >= minimum, `${theme}, ${vision}: ${colours[i]} vs ${colours[j]}: CIEDE2000 ${delta.toFixed(1)} < ${minimum}`);
        }
      }
    }
    for (const entry of quantityPalette) {
      for (const pattern of seriesPalette) {
        const delta = difference(entry[theme], pattern[theme]);
        assert.ok(delta >= kQuantityFromPattern, `${theme}: ${entry.property} ${entry[theme]} vs ${pattern.property} ${pattern[theme]}: ${delta.toFixed(1)}`);
      }
      for (const ground of (await backgrounds())[theme]) {
        const ratio = contrastRatio(entry[theme], ground);
        assert.ok(ratio >= kGraphicsContrast, `${entry.property} ${entry[theme]} on ${ground}: ${ratio.toFixed(2)}:1`);
      }
    }
    assert.ok(seriesCss().includes(`${quantityPalette[0].property}: light-dark(`), 'declared with the series colours');
  });
}
