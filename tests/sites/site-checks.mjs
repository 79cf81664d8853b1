// Checks shared by the site tests (sites.test.mjs, package.test.mjs): every <attn-figure> of an open page
// brought into view, settled at data-state="done" and drawn. Not a test itself.
import assert from 'node:assert/strict';

const kFigureTimeoutMs = 30_000;  // load + compile wasm + compute one small figure, on a busy 2-core machine

// The most distinct colours on any canvas in the figure's shadow root (a drawn chart has many, a blank one
// at most one); every pixel of a small chart, every 7th of a large one.
export function distinctColours(figure) {
  return figure.evaluate((element) => Math.max(0, ...[...element.shadowRoot.querySelectorAll('canvas')].map((canvas) => {
    const context = canvas.width && canvas.height ? canvas.getContext('2d') : null;
    if (!context) return 0;
    const pixels = new Uint32Array(context.getImageData(0, 0, canvas.width, canvas.height).data.buffer);
    const step = pixels.length > 1e6 ? 7 : 1;
    const seen = new Set();
    for (let index = 0; index < pixels.length; index += step) seen.add(pixels[index]);
    return seen.size;
  })));
}

// Every figure of page, in order, is one of kinds, reaches data-state="done" and has a drawn canvas. A figure
// computes only near the viewport: each is brought into view, then waited for.
export async function expectFiguresDrawn(page, kinds) {
  const figures = await page.$$('attn-figure');
  assert.equal(figures.length, kinds.length);
  for (const [index, figure] of figures.entries()) {
    await figure.scrollIntoViewIfNeeded();
    await page.waitForFunction((element) => ['done', 'error'].includes(element.dataset.state), figure,
      { timeout: kFigureTimeoutMs }).catch(async () => {
      assert.fail(`figure ${index} (${kinds[index]}) stuck in data-state=${await figure.getAttribute('data-state')}`);
    });
    const state = await figure.getAttribute('data-state');
    const message = state === 'done' ? '' : await figure.evaluate((element) => element.shadowRoot?.textContent.trim());
    assert.equal(state, 'done', `figure ${index} (${kinds[index]}): ${message}`);
    assert.ok(await distinctColours(figure) > 1, `figure ${index} (${kinds[index]}) is done but its canvases are blank`);
  }
}
