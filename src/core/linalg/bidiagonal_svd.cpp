// Singular values of an upper bidiagonal B, values only. Notation: d_i = B(i, i), e_i = B(i, i + 1).
//
// Splitting (both paths): the bottom unreduced block [lo, hi] (every e_i inside nonzero) is found from the
// bottom. Negligibility: e_i is set to 0 when |e_i| <= eps (|d_i| + |d_{i+1}|) (relative, as in LAPACK
// xBDSQR) or |e_i| <= eps ||B|| (absolute); d_i is set to 0 when |d_i| <= eps ||B|| and its row or column
// is then chased out of the block by Givens rotations. Each such change perturbs B by at most eps ||B||
// in one entry, within the normwise backward error the Householder bidiagonalisation already made.
//
// Each unreduced block with a nonzero diagonal is then solved by dqds (below: Fernando & Parlett 1994,
// Parlett & Marques 2000, the method of LAPACK's xLASQ1-6), which computes every singular value of the
// block to high relative accuracy (a few n eps of itself, not only of ||B||) with one division and no
// square root per entry and step; docs/svd-choice.md has the choice and its measurements. If dqds does
// not finish (not observed), the block, untouched, goes to the QR: implicitly shifted Golub-Kahan sweeps
// (a Wilkinson shift from the trailing 2 x 2 of B^T B, a bulge chased down by alternating right and left
// Givens rotations; Golub & Van Loan 4th ed., Alg. 8.6.1-8.6.2), normwise backward stable. Singular
// vectors are never formed: O(n^2) work either way. bidiagonal_singular_values_by_qr runs the QR alone.
#include "linalg/bidiagonal_svd.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

namespace attnrank {
namespace {

template <class Real>
struct Rotation {
  Real c;
  Real s;
  Real r;  // c f + s g = r, -s f + c g = 0
};

// B is scaled so that its largest entry is in [0.5, 1); every entry stays below ~2 during the sweeps,
// so f^2 + g^2 cannot overflow, and only when both are below sqrt(min normal) could it underflow.
template <class Real>
Rotation<Real> givens(Real f, Real g) {
  if (g == Real(0)) return {Real(1), Real(0), f};
  if (f == Real(0)) return {Real(0), Real(1), g};
  static const Real kSafeMin = std::sqrt(std::numeric_limits<Real>::min());
  const Real big = std::max(std::abs(f), std::abs(g));
  const Real r = big > kSafeMin ? std::sqrt(f * f + g * g) : std::hypot(f, g);
  return {f / r, g / r, r};
}

// Zeroes e_i when d_i == 0 (i < hi): rotations from the left on rows (j, i), j = i + 1 .. hi, push the
// entry B(i, j) to the right until it falls off the block.
template <class Real>
void chase_row_of_zero_diagonal(std::vector<Real>& d, std::vector<Real>& e, std::size_t i, std::size_t hi) {
  Real bulge = e[i];
  e[i] = Real(0);
  for (std::size_t j = i + 1; j <= hi && bulge != Real(0); ++j) {
    const Rotation<Real> rot = givens(d[j], bulge);
    d[j] = rot.r;
    if (j < hi) {
      bulge = -rot.s * e[j];
      e[j] = rot.c * e[j];
    }
  }
}

// Zeroes e_{hi-1} when d_hi == 0: rotations from the right on columns (j, hi), j = hi - 1 .. lo, push the
// entry B(j, hi) upwards until it falls off the block.
template <class Real>
void chase_column_of_zero_diagonal(std::vector<Real>& d, std::vector<Real>& e, std::size_t lo,
                                   std::size_t hi) {
  Real bulge = e[hi - 1];
  e[hi - 1] = Real(0);
  for (std::size_t j = hi - 1;; --j) {
    const Rotation<Real> rot = givens(d[j], bulge);
    d[j] = rot.r;
    if (j == lo) break;
    bulge = -rot.s * e[j - 1];
    e[j - 1] = rot.c * e[j - 1];
    if (bulge == Real(0)) break;
  }
}

// The eigenvalue of the trailing 2 x 2 of T = B^T B (block [lo, hi]) nearer to T(hi, hi).
template <class Real>
Real wilkinson_shift(const std::vector<Real>& d, const std::vector<Real>& e, std::size_t lo, std::size_t hi) {
  const Real above = hi - 1 > lo ? e[hi - 2] : Real(0);
  const Real a = d[hi - 1] * d[hi - 1] + above * above;
  const Real b = d[hi - 1] * e[hi - 1];
  const Real c = d[hi] * d[hi] + e[hi - 1] * e[hi - 1];
  const Real delta = (a - c) / Real(2);
  if (delta == Real(0)) return c - std::abs(b);
  const Real root = std::sqrt(delta * delta + b * b);
  return c - b * b / (delta + std::copysign(root, delta));
}

// One implicit-shift QR sweep on the unreduced block [lo, hi].
template <class Real>
void golub_kahan_sweep(std::vector<Real>& d, std::vector<Real>& e, std::size_t lo, std::size_t hi) {
  const Real shift = wilkinson_shift(d, e, lo, hi);
  Real y = d[lo] * d[lo] - shift;
  Real z = d[lo] * e[lo];
  for (std::size_t k = lo; k < hi; ++k) {
    // Right rotation on columns (k, k + 1): zeroes the bulge B(k - 1, k + 1) (or starts the sweep).
    Rotation<Real> rot = givens(y, z);
    if (k > lo) e[k - 1] = rot.r;
    const Real dk = rot.c * d[k] + rot.s * e[k];
    e[k] = -rot.s * d[k] + rot.c * e[k];
    Real bulge = rot.s * d[k + 1];
    d[k + 1] = rot.c * d[k + 1];
    d[k] = dk;
    // Left rotation on rows (k, k + 1): zeroes the bulge B(k + 1, k), creates B(k, k + 2).
    rot = givens(d[k], bulge);
    d[k] = rot.r;
    const Real ek = rot.c * e[k] + rot.s * d[k + 1];
    d[k + 1] = -rot.s * e[k] + rot.c * d[k + 1];
    e[k] = ek;
    if (k + 1 < hi) {
      bulge = rot.s * e[k + 1];
      e[k + 1] = rot.c * e[k + 1];
    }
    y = e[k];
    z = bulge;
  }
}


// ---- dqds (values only): the differential qd algorithm with shifts (Fernando & Parlett 1994; Parlett &
// Marques, LAPACK Working Note 155), the method LAPACK's xBDSQR uses when no vectors are wanted (xLASQ1-6).
// It works on the squares q_i = d_i^2, f_i = e_i^2 of an unreduced block (every entry nonzero), which
// represent B^T B; one transform costs one division and no square root per entry. A transform with a
// shift tau below the smallest eigenvalue keeps every entry positive, and then every eigenvalue is
// determined to high relative accuracy by the entries, so each is computed to a few ulps of itself
// (not only of ||B||). A shift that was too large shows as a negative d: the transform is discarded and
// retried with a smaller one (tau = 0 cannot fail). Eigenvalues are sigma + (what is left), sigma the
// sum of the accepted shifts, all positive: no cancellation.

// Outcome of one pass: the transform with shift tau (its success, and its last pivot when that alone
// failed), then the zero-shift transform's pivots d at the end of the block (dn = last, dn1, dn2 the two
// before) and their minima over all pivots (dmin), all but the last (dmin1) and all but the last two
// (dmin2): what the next shift is chosen from.
template <class Real>
struct Transform {
  bool ok;           // every pivot >= 0 (no NaN): the new array is accepted
  bool last_only;    // failed, but only the last pivot of the shifted transform is negative
  Real failed_dn;    // that last pivot
  Real dmin, dmin1, dmin2, dn, dn1, dn2;
};

// One pass: dqds with shift tau from (q, f), then at once dqd with zero shift from its output into
// (qq, ff), length m >= 3. The second runs one row behind the first in the same loop, so the two
// recurrences (each a chain of add, divide, multiply) overlap: the pass costs little more than one
// transform, and the zero-shift step, which cannot fail on a positive array, speeds the bottom's
// convergence (its off-diagonal shrinks by about q_n / q_n-1 per zero-shift step). No test inside the
// loop: a negative pivot stays in the minimum, and what follows it (an infinity or NaN after a zero
// sum) ends in a last pivot that fails d >= 0.
template <class Real>
Transform<Real> dqds_pass(const Real* q, const Real* f, Real* qq, Real* ff, std::size_t m, Real tau) {
  Transform<Real> out{};
  // Shifted transform: pivot a; its row i is (qa, fa). Zero-shift transform: pivot b.
  Real a = q[0] - tau;
  Real amin = a;
  Real qa = a + f[0];
  Real ratio = q[1] / qa;
  Real fa = f[0] * ratio;
  a = a * ratio - tau;
  amin = std::min(amin, a);
  Real b = qa;
  Real bmin = b;
  // Iteration i: row i + 1 of the shifted transform, row i of the zero-shift one.
  const auto step = [&](std::size_t i) {
    const Real qa_next = a + f[i + 1];
    const Real ra = q[i + 2] / qa_next;
    const Real fa_next = f[i + 1] * ra;
    a = a * ra - tau;
    const Real sum = b + fa;
    qq[i] = sum;
    const Real rb = qa_next / sum;
    ff[i] = fa * rb;
    b = b * rb;
    qa = qa_next;
    fa = fa_next;
  };
  for (std::size_t i = 0; i + 3 < m; ++i) {
    step(i);
    amin = std::min(amin, a);
    bmin = std::min(bmin, b);
  }
  out.dmin2 = bmin;
  out.dn2 = b;
  const Real amin1 = amin;
  const Real an1 = a;
  step(m - 3);  // a: the shifted transform's last pivot, its row m - 1
  amin = std::min(amin, a);
  bmin = std::min(bmin, b);
  out.dmin1 = bmin;
  out.dn1 = b;
  const Real sum = b + fa;
  qq[m - 2] = sum;
  ratio = a / sum;
  ff[m - 2] = fa * ratio;
  b = b * ratio;
  qq[m - 1] = b;
  out.dn = b;
  out.dmin = std::min(bmin, b);
  out.ok = amin >= Real(0) && a >= Real(0) && out.dmin >= Real(0) && b >= Real(0);
  out.last_only = !out.ok && amin1 >= Real(0) && an1 >= Real(0) && a < Real(0);
  out.failed_dn = a;
  return out;
}

// The next shift, after the last accepted transform `t` and `deflated` eigenvalues taken off the bottom
// since. When the smallest pivot is the bottom one (the usual case once the bottom converges), the
// bottom eigenvector is concentrated near the end and its smallest eigenvalue is close below that pivot
// gamma: a2 estimates the weight of the eigenvector above the last entry (products of the ratios
// f_k / q_k going up), and gamma (1 - sqrt(a2)) / (1 + a2) is a Rayleigh-quotient residual bound below
// it (the idea of LAPACK's xLASQ4 "case 4"). Otherwise a quarter of the smallest pivot.
template <class Real>
Real dqds_shift(const Real* q, const Real* f, std::size_t m, const Transform<Real>& t, std::size_t deflated) {
  // dmin: the smallest pivot of what is still active; dn: its bottom pivot; next: the smallest pivot
  // above the bottom one (an upper bound of the eigenvalues that are not the bottom one, or 0 if unknown).
  Real dmin;
  Real dn;
  Real next;
  if (deflated == 0) {
    dmin = t.dmin;
    dn = t.dn;
    next = t.dmin1;
  } else if (deflated == 1) {
    dmin = t.dmin1;
    dn = t.dn1;
    next = t.dmin2;
  } else if (deflated == 2) {
    dmin = t.dmin2;
    dn = t.dn2;
    next = Real(0);
  } else {
    return Real(0);
  }
  const Real quarter = Real(0.25) * dmin;
  if (dmin != dn || m < 3) return quarter;
  if (deflated == 0 && t.dmin1 == t.dn1) {
    // The two smallest pivots are the bottom two: a bound from the trailing 3 x 3 of the tridiagonal
    // T = B B^T of the array (T_kk = q_k + f_k, T_k,k+1 = sqrt(f_k q_k+1)). With b1, b2 the trailing two
    // off-diagonals, a2 = T_n-1,n-1 and gap1 a lower bound on a2 - (smallest eigenvalue) after the
    // coupling above, the smallest eigenvalue lies above dn - b1^2 / gap1 (xLASQ4's cases 2 and 3).
    const Real b1 = std::sqrt(q[m - 1]) * std::sqrt(f[m - 2]);
    const Real b2 = std::sqrt(q[m - 2]) * std::sqrt(f[m - 3]);
    const Real a2 = q[m - 2] + f[m - 2];
    const Real gap2 = t.dmin2 - a2 - Real(0.25) * t.dmin2;
    const Real gap1 = gap2 > Real(0) && gap2 > b2 ? a2 - dn - (b2 / gap2) * b2 : a2 - dn - (b1 + b2);
    if (gap1 > Real(0) && gap1 > b1) return std::max(dn - (b1 / gap1) * b1, Real(0.5) * dmin);
    Real shift = dn > b1 ? dn - b1 : Real(0);
    if (a2 > b1 + b2) shift = std::min(shift, a2 - (b1 + b2));
    return std::max(shift, Real(0.333) * dmin);
  }
  // The bottom pivot is the smallest: the bottom eigenvector is concentrated near the end. weight
  // estimates the squared weight of its entries above the last (products of the ratios f_k / q_k going
  // up); dn / (1 + weight) is then a Rayleigh-quotient estimate of the smallest eigenvalue, corrected
  // below by weight / gap when the other pivots are well above it (an eigenvalue error bound of order
  // residual^2 / gap), else by the residual sqrt(weight) itself (xLASQ4's cases 4 and 7-8).
  Real weight = Real(0);
  Real term = Real(1);
  for (std::size_t k = m - 1; k-- > 0;) {
    if (f[k] > q[k]) return quarter;
    const Real previous = term;
    term *= f[k] / q[k];
    weight += term;
    if (term == Real(0) || Real(100) * std::max(term, previous) < weight || weight > Real(0.563)) break;
  }
  weight *= Real(1.05);
  if (weight >= Real(0.563)) return quarter;
  const Real estimate = dn / (Real(1) + weight);
  const Real gap = next - estimate;
  if (gap > Real(0) && gap * gap > weight * estimate * estimate) {
    return std::max(quarter, estimate * (Real(1) - Real(1.01) * estimate * (weight / gap)));
  }
  return std::max(quarter, dn * (Real(1) - std::sqrt(weight)) / (Real(1) + weight));
}

// Squared singular values of the unreduced block (d, e) of length m >= 2 (every entry nonzero), in any
// order, into `values`. `work` holds 4 m entries. Returns false if the iteration did not finish within
// 30 m transforms (the caller then runs the QR on the block).
template <class Real>
bool dqds_block(const Real* d, const Real* e, std::size_t m, Real* values, Real* work) {
  Real* q = work;
  Real* f = work + m;
  Real* qq = work + 2 * m;
  Real* ff = work + 3 * m;
  for (std::size_t i = 0; i < m; ++i) q[i] = d[i] * d[i];
  for (std::size_t i = 0; i + 1 < m; ++i) f[i] = e[i] * e[i];
  // Convergence runs to the bottom; reversing B (the same singular values) puts the smaller end there.
  if (Real(1.5) * q[0] < q[m - 1]) {
    std::reverse(q, q + m);
    std::reverse(f, f + m - 1);
  }
  const Real eps = std::numeric_limits<Real>::epsilon();
  Real sigma = Real(0);
  std::size_t top = m;   // the active block is [0, top)
  std::size_t found = 0;
  std::size_t deflated = 0;
  Transform<Real> last{};
  bool have_last = false;
  std::size_t budget = 30 * m;
  while (top > 0) {
    if (top == 1) {
      values[found++] = sigma + q[0];
      break;
    }
    // Every eigenvalue still to come is sigma + (an eigenvalue of the array) >= sigma, and each deflation
    // below moves them (Weyl) by at most eps sigma: eps of themselves. Dropping f_k (setting B's
    // off-diagonal entry to zero) changes T = B B^T by f_k on the diagonal and sqrt(f_k q_k+1) beside
    // it: within eps sigma when f_k <= eps sigma / 2 and f_k q_k+1 <= (eps sigma / 2)^2.
    const Real half_bound = Real(0.5) * eps * sigma;
    const auto droppable = [&](std::size_t k) {
      return f[k] <= half_bound && f[k] * q[k + 1] <= half_bound * half_bound;
    };
    // The bottom entry is decoupled: q_n is an eigenvalue.
    if (droppable(top - 2)) {
      values[found++] = sigma + q[top - 1];
      --top;
      ++deflated;
      continue;
    }
    // The bottom 2 x 2 of T = B B^T (T_kk = q_k + f_k, T_k,k+1^2 = f_k q_k+1), a = n-1 and b = n, is
    // rotated to diagonal form: its eigenvalues are q_a + f_a + delta and q_b - delta, the smaller equal to
    // q_a q_b / (the larger) (the determinant: relatively accurate). The rotation (sin theta <=
    // delta / T_ab) moves the coupling T_a-1,a partly to T_a-1,b; dropping that, eps_drop = sin theta
    // T_a-1,a, moves every eigenvalue by at most about eps_drop (Weyl), eps of itself when eps_drop <=
    // eps sigma. This deflates a pass earlier than the test above once q_b is small, where that needs
    // f_a itself below eps sigma / 2 (and xLASQ3's test below tol^2 (sigma + q_b)). The rest keeps
    // T's leading n - 1 rows with T_aa = q_a + t, t = f_a + delta, as a qd array: t moves up
    // (q'_k = q_k + t, f'_k-1 = f_k-1 q_k / q'_k keeps T_k-1,k; t shrinks by f_k-1 / q'_k per row),
    // stopped once t <= eps^2 sigma (a diagonal change of T of that size). Sums of positive terms only.
    if (top >= 3) {
      const std::size_t b = top - 1;
      const std::size_t a = top - 2;
      const Real big_diagonal = q[a] + f[a];
      const Real coupling2 = f[a] * q[b];
      const Real split = big_diagonal - q[b];
      if (split > Real(0)) {
        const Real delta = Real(2) * coupling2 / (split + std::sqrt(split * split + Real(4) * coupling2));
        const Real bound = eps * sigma;
        if (delta * delta * (f[a - 1] * q[a]) <= bound * bound * coupling2) {
          const Real larger = big_diagonal + delta;
          values[found++] = sigma + q[a] * q[b] / larger;
          Real t = f[a] + delta;
          const Real negligible = eps * eps * sigma;
          for (std::size_t k = a;; --k) {
            const Real moved = q[k] + t;
            if (k == 0) {
              q[0] = moved;
              break;
            }
            const Real ratio = f[k - 1] / moved;
            t *= ratio;
            f[k - 1] = ratio * q[k];
            q[k] = moved;
            if (t <= negligible) break;
          }
          --top;
          ++deflated;
          continue;
        }
      }
    }
    // The bottom 2 x 2 is decoupled (or all that is left): its two eigenvalues in closed form, the
    // smaller from the product (relatively accurate).
    if (top == 2 || droppable(top - 3)) {
      const Real qa = q[top - 2];
      const Real fa = f[top - 2];
      const Real qb = q[top - 1];
      const Real gap = qa + fa - qb;
      const Real larger = Real(0.5) * ((qa + fa + qb) + std::sqrt(gap * gap + Real(4) * qb * fa));
      values[found++] = sigma + larger;
      values[found++] = sigma + qa * qb / larger;
      top -= 2;
      deflated += 2;
      continue;
    }
    if (budget-- == 0) return false;
    Real tau = have_last ? dqds_shift(q, f, top, last, deflated) : Real(0);
    int failures = 0;
    Transform<Real> t = dqds_pass(q, f, qq, ff, top, tau);
    while (!t.ok) {
      if (++failures > 4) return false;  // even tau = 0 failed: only rounding or underflow can do that
      if (t.last_only && failures == 1) {
        tau = std::max(Real(0), (tau + t.failed_dn) * (Real(1) - Real(2) * eps));  // d_n falls at least as fast as tau rises
      } else {
        tau = failures >= 3 ? Real(0) : Real(0.25) * tau;
      }
      t = dqds_pass(q, f, qq, ff, top, tau);
    }
    std::swap(q, qq);
    std::swap(f, ff);
    sigma += tau;
    last = t;
    have_last = true;
    deflated = 0;
  }
  return true;
}

// The Golub-Kahan QR on the whole of (d, e), scaled; also the fallback of the dqds path, block by block.
// `use_dqds`: solve each unreduced block with nonzero diagonal by dqds instead (d, e scaled as below).
template <class Real>
bool solve_scaled(std::vector<Real>& d, std::vector<Real>& e, bool use_dqds) {
  const std::size_t n = d.size();
  const Real eps = std::numeric_limits<Real>::epsilon();
  Real norm_bound = Real(0);  // max row sum >= ||B||_inf; ||B||_2 <= 2 * this
  for (std::size_t i = 0; i < n; ++i) norm_bound = std::max(norm_bound, std::abs(d[i]) + (i + 1 < n ? std::abs(e[i]) : Real(0)));
  const Real threshold = eps * norm_bound;
  const auto negligible_e = [&](std::size_t i) {
    const Real size = std::abs(e[i]);
    return size <= threshold || size <= eps * (std::abs(d[i]) + std::abs(d[i + 1]));
  };

  std::vector<Real> work;
  std::vector<Real> squares;
  const double max_steps = 6.0 * static_cast<double>(n) * static_cast<double>(n);
  double steps = 0.0;
  std::size_t hi = n - 1;
  while (hi > 0) {
    if (negligible_e(hi - 1)) {
      e[hi - 1] = Real(0);
      --hi;  // d_hi has converged
      continue;
    }
    std::size_t lo = hi - 1;
    while (lo > 0 && !negligible_e(lo - 1)) --lo;
    if (lo > 0) e[lo - 1] = Real(0);

    // A (numerically) zero diagonal entry splits the block once its row or column is chased out.
    std::size_t zero = hi + 1;
    for (std::size_t i = lo; i <= hi; ++i) {
      if (std::abs(d[i]) <= threshold) {
        d[i] = Real(0);
        zero = i;
      }
    }
    if (zero < hi) {
      chase_row_of_zero_diagonal(d, e, zero, hi);
      continue;
    }
    if (zero == hi) {
      chase_column_of_zero_diagonal(d, e, lo, hi);
      continue;
    }

    if (use_dqds) {
      const std::size_t m = hi - lo + 1;
      work.resize(4 * m);
      squares.resize(m);
      if (dqds_block(d.data() + lo, e.data() + lo, m, squares.data(), work.data())) {
        for (std::size_t i = 0; i < m; ++i) d[lo + i] = std::sqrt(squares[i]);
        for (std::size_t i = lo; i < hi; ++i) e[i] = Real(0);
        if (lo == 0) break;
        hi = lo - 1;
        continue;
      }
      // Not converged (not observed): this block, untouched, goes to the QR below, and so does the rest of
      // B. Otherwise the next pass of this loop would find the same block and run the failing dqds again
      // before each QR sweep (up to 30 m passes each time).
      use_dqds = false;
    }
    steps += static_cast<double>(hi - lo);
    if (steps > max_steps) return false;
    golub_kahan_sweep(d, e, lo, hi);
  }
  return true;
}

template <class Real>
bool solve(std::vector<Real>& d, std::vector<Real>& e, bool use_dqds) {
  const std::size_t n = d.size();
  if (n == 0) return true;
  Real largest = Real(0);
  for (const Real value : d) largest = std::max(largest, std::abs(value));
  for (std::size_t i = 0; i + 1 < n; ++i) largest = std::max(largest, std::abs(e[i]));
  if (largest == Real(0)) return true;

  // Scale by a power of two (exact) so the largest entry is in [0.5, 1).
  int exponent = 0;
  std::frexp(largest, &exponent);
  for (Real& value : d) value = std::ldexp(value, -exponent);
  for (std::size_t i = 0; i + 1 < n; ++i) e[i] = std::ldexp(e[i], -exponent);

  if (!solve_scaled(d, e, use_dqds)) return false;

  for (Real& value : d) value = std::ldexp(std::abs(value), exponent);
  std::sort(d.begin(), d.end(), [](Real a, Real b) { return a > b; });
  return true;
}

}  // namespace

template <class Real>
bool bidiagonal_singular_values(std::vector<Real>& d, std::vector<Real>& e) {
  return solve(d, e, true);
}

template <class Real>
bool bidiagonal_singular_values_by_qr(std::vector<Real>& d, std::vector<Real>& e) {
  return solve(d, e, false);
}

template bool bidiagonal_singular_values<double>(std::vector<double>&, std::vector<double>&);
template bool bidiagonal_singular_values<float>(std::vector<float>&, std::vector<float>&);
template bool bidiagonal_singular_values_by_qr<double>(std::vector<double>&, std::vector<double>&);
template bool bidiagonal_singular_values_by_qr<float>(std::vector<float>&, std::vector<float>&);

}  // namespace attnrank
