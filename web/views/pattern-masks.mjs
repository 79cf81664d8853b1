// The allowed region of each attention pattern as a 0/1 Uint8Array (n x n, row-major), used ONLY to draw
// the mask outline on a heatmap. The core applies the masks; this is the table of design.md section 2,
// (i = query row, j = key column), kept here because the core does not return its mask. Nothing on the
// page is computed from it.
const allowedRules = {
  bidirectional: () => true,
  prefix: (i, j, { prefix }) => j < prefix || j <= i,
  forward: (i, j) => j <= i,
  backward: (i, j) => j >= i,
  window: (i, j, { window }) => Math.abs(i - j) < window,
  forward_window: (i, j, { window }) => i - j >= 0 && i - j < window,
};

// result: an analyze() result (pattern, n, prefix, window as the core used them) -> Uint8Array or null.
export function maskOf(result) {
  const rule = allowedRules[result.pattern];
  if (!rule) return null;
  const { n } = result;
  const mask = new Uint8Array(n * n);
  for (let i = 0; i < n; ++i) {
    for (let j = 0; j < n; ++j) mask[i * n + j] = rule(i, j, result) ? 1 : 0;
  }
  return mask;
}
