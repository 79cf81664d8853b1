// How many timed runs a benchmark cell (one n, one pattern, one engine) gets. Two rules, shared by every
// column of bench/compare.mjs so they are comparable:
// - repeatsFor: the rule attnrank_bench and bench-wasm.mjs already apply (half the repeats from n = 1024
//   on, at least one), so a full run stays near ten minutes; the median is sorted[floor(runs / 2)].
// - planCell: the slow columns (numpy with reference LAPACK, pure-JS SVD) are O(n^3) with a big constant,
//   so a cell predicted from the previous size (time * (n / n_prev)^3) to exceed its budget is skipped and
//   reported as such, and the untimed warm-up is dropped when it alone would not fit.

export const largeN = 1024;

export function repeatsFor(n, repeats) {
  return n >= largeN ? Math.max(1, Math.floor(repeats / 2)) : repeats;
}

// previous: { n, ms } measured for the same engine and pattern at a smaller n, or undefined.
// Returns { runs, warmUp, predictedMs, note }; runs = 0 means skipped.
export function planCell(n, previous, repeats, budgetMs) {
  const wanted = repeatsFor(n, repeats);
  if (!previous) return { runs: wanted, warmUp: true, predictedMs: null, note: '' };
  const predictedMs = previous.ms * (n / previous.n) ** 3;
  if (predictedMs > budgetMs) {
    return { runs: 0, warmUp: false, predictedMs, note: `skipped (> ${budgetMs / 1e3} s budget)` };
  }
  const runs = Math.max(1, Math.min(wanted, Math.floor(budgetMs / predictedMs)));
  const warmUp = predictedMs * (runs + 1) <= budgetMs;
  const notes = [];
  if (runs < wanted) notes.push(`${runs} run${runs > 1 ? 's' : ''} (budget)`);
  if (!warmUp) notes.push('no warm-up at this n');
  return { runs, warmUp, predictedMs, note: notes.join(', ') };
}
