// A drawing description ("scene") and its two painters: a list of plain items (lines, polylines, rects,
// circles, text, raster images, clipped groups) in CSS pixels with resolved colours, painted on a 2D
// canvas context (the page and PNG exports) or written as SVG text (SVG exports). The line chart builds
// one scene and both painters draw it, so an exported SVG is the drawing on the page, not a second one.
// Leaves out: layout (the chart and export modules place the items), transforms beyond a text's rotation.
//
// Items: { type: 'line', x1, y1, x2, y2, stroke, width, dash? }
//        { type: 'polyline', points: [x, y, ...], stroke, width, dash?, fill? (closed and filled: a marker) }
//        { type: 'rect', x, y, width, height, fill?, stroke? }
//        { type: 'circle', cx, cy, r, fill?, stroke?, width? }
//        { type: 'text', x, y, text, fill, size, align ('left'|'center'|'right'), baseline ('top'|'middle'|
//          'bottom'|'alphabetic'), rotate? (radians), halo? (a colour), weight? ('bold') }
//        { type: 'image', x, y, width, height, source (a canvas; PNG only) }
//        { type: 'group', clip?: { x, y, width, height }, items: [...] }

// Paints scene.items on context (whose unit is one CSS pixel). fontFamily: the CSS font family of text.
export function paintScene(context, items, fontFamily = 'sans-serif') {
  for (const item of items) {
    switch (item.type) {
      case 'line':
      case 'polyline': {
        const points = item.type === 'line' ? [item.x1, item.y1, item.x2, item.y2] : item.points;
        if (points.length < 4) break;
        context.strokeStyle = item.stroke;
        context.lineWidth = item.width ?? 1;
        context.setLineDash(item.dash ?? []);
        context.lineJoin = 'round';
        context.beginPath();
        context.moveTo(points[0], points[1]);
        for (let k = 2; k < points.length; k += 2) context.lineTo(points[k], points[k + 1]);
        if (item.fill) {
          context.closePath();
          context.fillStyle = item.fill;
          context.fill();
        }
        context.stroke();
        context.setLineDash([]);
        break;
      }
      case 'rect':
        if (item.fill) {
          context.fillStyle = item.fill;
          context.fillRect(item.x, item.y, item.width, item.height);
        }
        if (item.stroke) {
          context.strokeStyle = item.stroke;
          context.lineWidth = item.lineWidth ?? 1;
          context.setLineDash([]);
          context.strokeRect(item.x, item.y, item.width, item.height);
        }
        break;
      case 'circle':
        context.beginPath();
        context.arc(item.cx, item.cy, item.r, 0, 2 * Math.PI);
        if (item.fill) {
          context.fillStyle = item.fill;
          context.fill();
        }
        if (item.stroke) {
          context.strokeStyle = item.stroke;
          context.lineWidth = item.width ?? 1;
          context.setLineDash([]);
          context.stroke();
        }
        break;
      case 'text': {
        context.save();
        context.font = `${item.weight === 'bold' ? 'bold ' : ''}${item.size}px ${fontFamily}`;
        context.textAlign = item.align ?? 'left';
        context.textBaseline = item.baseline ?? 'alphabetic';
        context.translate(item.x, item.y);
        if (item.rotate) context.rotate(item.rotate);
        if (item.halo) {
          context.lineJoin = 'round';
          context.lineWidth = 3;
          context.strokeStyle = item.halo;
          context.strokeText(item.text, 0, 0);
        }
        context.fillStyle = item.fill;
        context.fillText(item.text, 0, 0);
        context.restore();
        break;
      }
      case 'image':
        context.save();
        context.imageSmoothingEnabled = false;
        context.drawImage(item.source, item.x, item.y, item.width, item.height);
        context.restore();
        break;
      case 'group':
        context.save();
        if (item.clip) {
          context.beginPath();
          context.rect(item.clip.x, item.clip.y, item.clip.width, item.clip.height);
          context.clip();
        }
        paintScene(context, item.items, fontFamily);
        context.restore();
        break;
      default:
        throw new TypeError(`paintScene: unknown item type ${item.type}`);
    }
  }
}

// A copy of items moved by (dx, dy) (a chart placed below an export's title).
export function translateItems(items, dx, dy) {
  return items.map((item) => {
    switch (item.type) {
      case 'line': return { ...item, x1: item.x1 + dx, y1: item.y1 + dy, x2: item.x2 + dx, y2: item.y2 + dy };
      case 'polyline': return { ...item, points: item.points.map((value, k) => value + (k % 2 ? dy : dx)) };
      case 'circle': return { ...item, cx: item.cx + dx, cy: item.cy + dy };
      case 'group': return { ...item, clip: item.clip && { ...item.clip, x: item.clip.x + dx, y: item.clip.y + dy },
        items: translateItems(item.items, dx, dy) };
      default: return { ...item, x: item.x + dx, y: item.y + dy };
    }
  });
}

function escapeXml(text) {
  return String(text).replace(/[<>&"']/g, (character) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[character]);
}

const round = (value) => Number(value.toFixed(2));
const kAnchors = { left: 'start', center: 'middle', right: 'end' };
const kBaselines = { top: 'hanging', middle: 'central', bottom: 'text-after-edge', alphabetic: 'alphabetic' };

function svgItems(items, out, clips) {
  for (const item of items) {
    switch (item.type) {
      case 'line':
      case 'polyline': {
        const points = item.type === 'line' ? [item.x1, item.y1, item.x2, item.y2] : item.points;
        if (points.length < 4) break;
        const pairs = [];
        for (let k = 0; k < points.length; k += 2) pairs.push(`${round(points[k])},${round(points[k + 1])}`);
        const dash = item.dash?.length ? ` stroke-dasharray="${item.dash.join(' ')}"` : '';
        const fill = item.fill ? escapeXml(item.fill) : 'none';
        out.push(`<${item.fill ? 'polygon' : 'polyline'} points="${pairs.join(' ')}" fill="${fill}" stroke="${escapeXml(item.stroke)}" stroke-width="${item.width ?? 1}" stroke-linejoin="round"${dash}/>`);
        break;
      }
      case 'rect': {
        const fill = item.fill ? escapeXml(item.fill) : 'none';
        const stroke = item.stroke ? ` stroke="${escapeXml(item.stroke)}" stroke-width="${item.lineWidth ?? 1}"` : '';
        out.push(`<rect x="${round(item.x)}" y="${round(item.y)}" width="${round(item.width)}" height="${round(item.height)}" fill="${fill}"${stroke}/>`);
        break;
      }
      case 'circle': {
        const fill = item.fill ? escapeXml(item.fill) : 'none';
        const stroke = item.stroke ? ` stroke="${escapeXml(item.stroke)}" stroke-width="${item.width ?? 1}"` : '';
        out.push(`<circle cx="${round(item.cx)}" cy="${round(item.cy)}" r="${item.r}" fill="${fill}"${stroke}/>`);
        break;
      }
      case 'text': {
        const rotate = item.rotate ? ` transform="rotate(${round((item.rotate * 180) / Math.PI)} ${round(item.x)} ${round(item.y)})"` : '';
        const weight = item.weight === 'bold' ? ' font-weight="bold"' : '';
        const halo = item.halo ? ` stroke="${escapeXml(item.halo)}" stroke-width="3" stroke-linejoin="round" paint-order="stroke"` : '';
        out.push(`<text x="${round(item.x)}" y="${round(item.y)}" font-size="${item.size}" text-anchor="${kAnchors[item.align ?? 'left']}" dominant-baseline="${kBaselines[item.baseline ?? 'alphabetic']}" fill="${escapeXml(item.fill)}"${weight}${halo}${rotate}>${escapeXml(item.text)}</text>`);
        break;
      }
      case 'image':
        throw new TypeError('sceneToSvg: raster images are not part of SVG exports');
      case 'group': {
        if (item.clip) {
          const id = `clip${clips.count++}`;
          out.push(`<clipPath id="${id}"><rect x="${round(item.clip.x)}" y="${round(item.clip.y)}" width="${round(item.clip.width)}" height="${round(item.clip.height)}"/></clipPath>`);
          out.push(`<g clip-path="url(#${id})">`);
        } else {
          out.push('<g>');
        }
        svgItems(item.items, out, clips);
        out.push('</g>');
        break;
      }
      default:
        throw new TypeError(`sceneToSvg: unknown item type ${item.type}`);
    }
  }
}

// The scene as a standalone SVG document (text). title: the document's <title>.
export function sceneToSvg({ width, height, items, title = '', fontFamily = 'sans-serif' }) {
  const out = [];
  svgItems(items, out, { count: 0 });
  const titleElement = title ? `<title>${escapeXml(title)}</title>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${round(width)}" height="${round(height)}" viewBox="0 0 ${round(width)} ${round(height)}" font-family="${escapeXml(fontFamily)}">${titleElement}\n${out.join('\n')}\n</svg>\n`;
}

// Exports paint scenes at this many device pixels per CSS pixel on any screen (sharp on high-density ones).
export const kExportPixelRatio = 2;

// The scene painted on a new canvas at pixelRatio -> a PNG Blob.
export function scenePngBlob(scene, pixelRatio = kExportPixelRatio) {
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(scene.width * pixelRatio);
  canvas.height = Math.ceil(scene.height * pixelRatio);
  const context = canvas.getContext('2d');
  context.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  paintScene(context, scene.items, scene.fontFamily);
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas could not be encoded as PNG'))), 'image/png');
  });
}
