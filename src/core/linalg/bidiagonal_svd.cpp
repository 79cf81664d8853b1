// Implicitly shifted bidiagonal QR, values only. Notation: B upper bidiagonal with d_i = B(i, i) and
// e_i = B(i, i + 1). Each sweep works on the bottom unreduced block [lo, hi] (every e_i inside nonzero):
// a Wilkinson shift from the trailing 2 x 2 of B^T B, then a bulge chased down by alternating right and
// left Givens rotations (Golub & Van Loan 4th ed., Alg. 8.6.1-8.6.2). Singular vectors are never formed,
// so a sweep costs O(hi - lo) and the whole solve O(n^2).
//
// Negligibility (what lets the iteration deflate): e_i is set to 0 when |e_i| <= eps (|d_i| + |d_{i+1}|)
// (relative, as in LAPACK xBDSQR) or |e_i| <= eps ||B|| (absolute); d_i is set to 0 when |d_i| <= eps ||B||.
// Each such change perturbs B by at most eps ||B|| in one entry, within the normwise backward error the
// Householder bidiagonalisation already made, so the result stays normwise backward stable. This is the
// accuracy the statistics need: they treat everything at or below s_1 n eps as unresolved.
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

}  // namespace

template <class Real>
bool bidiagonal_singular_values(std::vector<Real>& d, std::vector<Real>& e) {
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

  const Real eps = std::numeric_limits<Real>::epsilon();
  Real norm_bound = Real(0);  // max row sum >= ||B||_inf; ||B||_2 <= 2 * this
  for (std::size_t i = 0; i < n; ++i) norm_bound = std::max(norm_bound, std::abs(d[i]) + (i + 1 < n ? std::abs(e[i]) : Real(0)));
  const Real threshold = eps * norm_bound;
  const auto negligible_e = [&](std::size_t i) {
    const Real size = std::abs(e[i]);
    return size <= threshold || size <= eps * (std::abs(d[i]) + std::abs(d[i + 1]));
  };

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

    steps += static_cast<double>(hi - lo);
    if (steps > max_steps) return false;
    golub_kahan_sweep(d, e, lo, hi);
  }

  for (Real& value : d) value = std::ldexp(std::abs(value), exponent);
  std::sort(d.begin(), d.end(), [](Real a, Real b) { return a > b; });
  return true;
}

template bool bidiagonal_singular_values<double>(std::vector<double>&, std::vector<double>&);
template bool bidiagonal_singular_values<float>(std::vector<float>&, std::vector<float>&);

}  // namespace attnrank
