// The allowed region of each attention pattern as a 0/1 Uint8Array (n x n, row-major), used ONLY to draw
// the mask outline on a heatmap. The core applies the masks; this restates the table of design.md
// section 2 (i = query row, j = key column) because the core does not return its mask. Every pattern's
// row i allows one interval of keys [first, last], so rows are filled, not tested cell by cell (n = 1024:
// a million cells). Nothing on the page is computed from it.
const allowedKeys = {
  bidirectional: (i, n) => [0, n - 1],
  prefix: (i, n, { prefix }) => [0, Math.max(prefix - 1, i)],  // j < p or j <= i
  forward: (i) => [0, i],                                      // j <= i
  backward: (i, n) => [i, n - 1],                              // j >= i
  window: (i, n, { window }) => [Math.max(0, i - window + 1), Math.min(n - 1, i + window - 1)],  // |i - j| < w
  forward_window: (i, n, { window }) => [Math.max(0, i - window + 1), i],  // 0 <= i - j < w
};

const cache = new Map();  // 'pattern n prefix window' -> mask (a few entries: the shown patterns)

// result: an analyze() result (pattern, n, prefix, window as the core used them) -> Uint8Array or null.
export function maskOf(result) {
  const rule = allowedKeys[result.pattern];
  if (!rule) return null;
  const { n } = result;
  const key = `${result.pattern} ${n} ${result.prefix} ${result.window}`;
  let mask = cache.get(key);
  if (!mask) {
    mask = new Uint8Array(n * n);
    for (let i = 0; i < n; ++i) {
      const [first, last] = rule(i, n, result);
      mask.fill(1, i * n + first, i * n + last + 1);
    }
    if (cache.size > 16) cache.clear();
    cache.set(key, mask);
  }
  return mask;
}
