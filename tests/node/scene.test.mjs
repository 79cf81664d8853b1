// node --test on web/render/scene.mjs's SVG writer and item translation (pure: no DOM): text is escaped,
// never markup; each clipped group gets its own clipPath; dashes, rotation and haloes are written; a raster
// image is refused (SVG exports are of line charts only); translateItems moves every kind of item.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { sceneToSvg, translateItems } from '../../web/render/scene.mjs';

const items = [
  { type: 'rect', x: 0, y: 0, width: 100, height: 50, fill: '#fff' },
  { type: 'text', text: 'forward <b>&</b> "x"', x: 10, y: 20, fill: 'rgb(0, 0, 0)', size: 12, align: 'right', baseline: 'middle', halo: '#fff' },
  { type: 'text', text: 'σᵢ', x: 5, y: 25, fill: '#000', size: 12, align: 'center', baseline: 'top', rotate: -Math.PI / 2 },
  { type: 'group', clip: { x: 1, y: 2, width: 3, height: 4 }, items: [
    { type: 'polyline', points: [0, 0, 10, 5, 20, 1], stroke: '#0072b2', width: 1.75, dash: [6, 4] },
    { type: 'circle', cx: 3, cy: 4, r: 2.5, fill: '#0072b2' },
  ] },
  { type: 'group', clip: { x: 0, y: 0, width: 9, height: 9 }, items: [{ type: 'line', x1: 0, y1: 1, x2: 2, y2: 3, stroke: '#ccc' }] },
];

test('sceneToSvg: escaped text, one clipPath per clipped group, dashes, rotation, haloes', () => {
  const svg = sceneToSvg({ width: 100, height: 50, items, title: 'Singular <values>' });
  assert.match(svg, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="100" height="50"/);
  assert.ok(svg.includes('<title>Singular &lt;values&gt;</title>'));
  assert.ok(svg.includes('>forward &lt;b&gt;&amp;&lt;/b&gt; &quot;x&quot;</text>'), 'text is escaped, not markup');
  assert.ok(!svg.includes('<b>'));
  assert.ok(svg.includes('text-anchor="end" dominant-baseline="central"'));
  assert.ok(svg.includes('paint-order="stroke"'), 'the halo');
  assert.ok(svg.includes('transform="rotate(-90 5 25)"'));
  assert.deepEqual([...svg.matchAll(/<clipPath id="(clip\d+)">/g)].map((match) => match[1]), ['clip0', 'clip1']);
  assert.ok(svg.includes('<g clip-path="url(#clip1)">'));
  assert.ok(svg.includes('<polyline points="0,0 10,5 20,1" fill="none" stroke="#0072b2" stroke-width="1.75" stroke-linejoin="round" stroke-dasharray="6 4"/>'));
  assert.ok(svg.includes('<circle cx="3" cy="4" r="2.5" fill="#0072b2"/>'));
  assert.equal(svg.match(/<g/g).length, svg.match(/<\/g>/g).length, 'groups closed');
  assert.throws(() => sceneToSvg({ width: 1, height: 1, items: [{ type: 'image', x: 0, y: 0, width: 1, height: 1 }] }), TypeError);
  assert.throws(() => sceneToSvg({ width: 1, height: 1, items: [{ type: 'blob' }] }), TypeError);
});

test('translateItems moves every kind of item and leaves the original alone', () => {
  const moved = translateItems(items, 10, 100);
  assert.deepEqual([moved[0].x, moved[0].y], [10, 100]);
  assert.deepEqual([moved[1].x, moved[1].y], [20, 120]);
  assert.deepEqual(moved[3].clip, { x: 11, y: 102, width: 3, height: 4 });
  assert.deepEqual(moved[3].items[0].points, [10, 100, 20, 105, 30, 101]);
  assert.deepEqual([moved[3].items[1].cx, moved[3].items[1].cy], [13, 104]);
  assert.deepEqual([moved[4].items[0].x1, moved[4].items[0].y1, moved[4].items[0].x2, moved[4].items[0].y2], [10, 101, 12, 103]);
  assert.deepEqual(items[3].items[0].points, [0, 0, 10, 5, 20, 1], 'the original is unchanged');
});
