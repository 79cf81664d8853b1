// Tests of bidiagonal_singular_values (dqds, with the QR as its fallback) and of that QR alone
// (bidiagonal_singular_values_by_qr): analytic spectra (the all-ones bidiagonal, diagonal matrices), zero
// entries on the diagonal (the chasing paths), graded matrices both ways, exact power-of-two scaling down
// to 1e-300 and up to 1e300, float, agreement with Eigen's independent SVDs (long double Jacobi on small
// matrices, BDCSVD on larger random ones) to a small multiple of eps ||B||, and dqds's high relative
// accuracy on graded and tiny-entry bidiagonals against long double bisection on the Golub-Kahan
// tridiagonal (relatively accurate: Demmel & Kahan 1990), which the QR does not have.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "linalg/bidiagonal_svd.h"
#include "reference_svd.h"
#include "test_support.h"

namespace attnrank {
namespace {

constexpr double kEps64 = 0x1p-52;
constexpr double kPi = 3.14159265358979323846;

struct Bidiagonal {
  std::vector<double> d;
  std::vector<double> e;
};

Eigen::MatrixXd dense(const Bidiagonal& b) {
  const int n = static_cast<int>(b.d.size());
  Eigen::MatrixXd m = Eigen::MatrixXd::Zero(n, n);
  for (int i = 0; i < n; ++i) m(i, i) = b.d[i];
  for (int i = 0; i + 1 < n; ++i) m(i, i + 1) = b.e[i];
  return m;
}

std::vector<double> solve(Bidiagonal b) {
  EXPECT_TRUE(bidiagonal_singular_values(b.d, b.e));
  return b.d;
}

std::vector<double> solve_by_qr(Bidiagonal b) {
  EXPECT_TRUE(bidiagonal_singular_values_by_qr(b.d, b.e));
  return b.d;
}

// Singular values of B, descending, by bisection in long double on the Golub-Kahan tridiagonal
// T = [0 d1; d1 0 e1; e1 0 d2; ...] (2n x 2n, zero diagonal, eigenvalues +-s_i): the number of s_i below
// x is the number of negative pivots of T - x I minus n. Bisection on this form determines every s_i
// to high relative accuracy (Demmel & Kahan 1990), independently of any QR or qd iteration. Entries
// must be nonzero (an unreduced B) and well inside long double's range.
std::vector<double> bisection_reference(const Bidiagonal& b) {
  const std::size_t n = b.d.size();
  std::vector<long double> off2;  // squared off-diagonals of T: d1^2, e1^2, d2^2, ...
  long double upper = 0;
  for (std::size_t i = 0; i < n; ++i) {
    off2.push_back(static_cast<long double>(b.d[i]) * b.d[i]);
    upper = std::max(upper, std::abs(static_cast<long double>(b.d[i])));
    if (i + 1 < n) {
      off2.push_back(static_cast<long double>(b.e[i]) * b.e[i]);
      upper = std::max(upper, std::abs(static_cast<long double>(b.e[i])));
    }
  }
  upper *= 2;  // ||B||_2 <= 2 max |entry|
  const auto below = [&](long double x) {  // number of singular values < x (x > 0)
    std::size_t negative = 0;
    long double pivot = -x;
    if (pivot < 0) ++negative;
    for (const long double b2 : off2) {
      if (pivot == 0) pivot = -1e-4900L;  // a zero pivot is taken as a tiny negative one (standard)
      pivot = -x - b2 / pivot;
      if (pivot < 0) ++negative;
    }
    return negative - n;
  };
  std::vector<double> values(n);
  for (std::size_t k = 0; k < n; ++k) {  // values[k]: the (k + 1)-th largest
    long double lo = 0;
    long double hi = upper;
    for (int step = 0; step < 20000 && lo < hi; ++step) {
      const long double mid = lo > 0 ? std::sqrt(lo) * std::sqrt(hi) : hi / 1e30L;  // bisect on a log scale
      const long double next = mid > lo && mid < hi ? mid : lo + (hi - lo) / 2;
      if (next <= lo || next >= hi) break;
      if (below(next) >= n - k) {
        hi = next;
      } else {
        lo = next;
      }
    }
    values[k] = static_cast<double>(lo + (hi - lo) / 2);
  }
  return values;
}

// Singular values of B by long double one-sided Jacobi (Eigen), descending: an independent reference.
std::vector<double> jacobi_reference(const Bidiagonal& b) {
  const Eigen::VectorXd values = test::long_double_jacobi_singular_values(dense(b));
  return std::vector<double>(values.data(), values.data() + values.size());
}

double max_abs_entry(const Bidiagonal& b) {
  double largest = 0;
  for (const double value : b.d) largest = std::max(largest, std::abs(value));
  for (const double value : b.e) largest = std::max(largest, std::abs(value));
  return largest;
}

void expect_close(const std::vector<double>& got, const std::vector<double>& want, double tolerance) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_NEAR(got[i], want[i], tolerance) << "i=" << i;
    if (i > 0) {
      EXPECT_GE(got[i - 1], got[i]) << "not descending at i=" << i;
    }
    EXPECT_GE(got[i], 0.0);
  }
}

using test::Lcg;

Bidiagonal random_bidiagonal(int n, std::uint64_t seed) {
  Lcg lcg(seed);
  Bidiagonal b{std::vector<double>(n), std::vector<double>(n > 0 ? n - 1 : 0)};
  for (double& value : b.d) value = lcg.next();
  for (double& value : b.e) value = lcg.next();
  return b;
}

TEST(BidiagonalSvd, AllOnesHasCosineSpectrum) {
  // B^T B is tridiagonal (1, 2, ..., 2 on the diagonal, 1 beside it): s_j = 2 cos(j pi / (2n + 1)).
  for (const int n : {1, 2, 3, 7, 50, 300}) {
    const std::vector<double> got = solve({std::vector<double>(n, 1.0), std::vector<double>(n - 1, 1.0)});
    std::vector<double> want;
    for (int j = 1; j <= n; ++j) want.push_back(2.0 * std::cos(j * kPi / (2.0 * n + 1.0)));
    expect_close(got, want, 8.0 * n * kEps64 * 2.0);
  }
}

TEST(BidiagonalSvd, DiagonalMatrixGivesSortedAbsoluteValuesExactly) {
  const std::vector<double> got = solve({{0.5, -3.0, 0.0, 2.0, -1e-200}, {0.0, 0.0, 0.0, 0.0}});
  const std::vector<double> want = {3.0, 2.0, 0.5, 1e-200, 0.0};
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], want[i]) << "i=" << i;
}

TEST(BidiagonalSvd, EmptyAndSingleEntry) {
  EXPECT_TRUE(solve({{}, {}}).empty());
  EXPECT_EQ(solve({{-2.5}, {}}), std::vector<double>{2.5});
  EXPECT_EQ(solve({{0.0}, {}}), std::vector<double>{0.0});
}

TEST(BidiagonalSvd, ZeroDiagonalEntriesInsideAndAtTheEnd) {
  // A zero d_i inside the block (row chased right) and a zero last d (column chased up) make the
  // matrix singular: the reference has exact zeros there.
  const Bidiagonal cases[] = {
      {{1.0, 0.0, 2.0, 0.5, 3.0}, {0.7, 1.1, -0.4, 0.9}},
      {{1.0, 2.0, -0.5, 3.0, 0.0}, {0.7, 1.1, -0.4, 0.9}},
      {{0.0, 2.0, 0.0, 3.0, 0.0}, {0.7, 1.1, -0.4, 0.9}},
      {{0.0, 0.0, 0.0}, {1.0, 2.0}},
  };
  for (const Bidiagonal& b : cases) {
    expect_close(solve(b), jacobi_reference(b), 16 * kEps64 * max_abs_entry(b));
  }
}

TEST(BidiagonalSvd, GradedBothWaysMatchesLongDoubleJacobi) {
  const int n = 40;
  Bidiagonal down{std::vector<double>(n), std::vector<double>(n - 1)};
  for (int i = 0; i < n; ++i) down.d[i] = std::pow(10.0, -0.4 * i);
  for (int i = 0; i + 1 < n; ++i) down.e[i] = 0.5 * std::pow(10.0, -0.4 * i);
  Bidiagonal up{std::vector<double>(down.d.rbegin(), down.d.rend()), std::vector<double>(down.e.rbegin(), down.e.rend())};
  for (const Bidiagonal& b : {down, up}) {
    expect_close(solve(b), jacobi_reference(b), 8.0 * n * kEps64 * max_abs_entry(b));
  }
}

TEST(BidiagonalSvd, RandomSmallMatchLongDoubleJacobi) {
  SCOPED_TRACE(test::seed_trace());
  for (const std::uint64_t seed : test::property_seeds(20, 1)) {
    SCOPED_TRACE(::testing::Message() << "seed=" << seed);
    const int n = 2 + static_cast<int>(seed % 30);
    const Bidiagonal b = random_bidiagonal(n, seed);
    expect_close(solve(b), jacobi_reference(b), 8.0 * n * kEps64 * max_abs_entry(b));
  }
}

TEST(BidiagonalSvd, RandomLargeMatchBdcsvdAndKeepTheFrobeniusNorm) {
  for (const int n : {200, 513}) {
    const Bidiagonal b = random_bidiagonal(n, 1000 + n);
    const std::vector<double> got = solve(b);
    const Eigen::VectorXd reference = test::bdcsvd_singular_values(dense(b));
    const std::vector<double> want(reference.data(), reference.data() + n);
    expect_close(got, want, 8.0 * n * kEps64 * got[0]);
    double sum_of_squares = 0;
    for (const double value : got) sum_of_squares += value * value;
    EXPECT_NEAR(sum_of_squares, dense(b).squaredNorm(), 1e-12 * sum_of_squares);
  }
}

TEST(BidiagonalSvd, QrFallbackMatchesTheSameReferences) {
  // The QR runs where dqds does not finish (never observed): it must meet the same bounds on its own.
  for (const int n : {2, 7, 300}) {
    const std::vector<double> got = solve_by_qr({std::vector<double>(n, 1.0), std::vector<double>(n - 1, 1.0)});
    std::vector<double> want;
    for (int j = 1; j <= n; ++j) want.push_back(2.0 * std::cos(j * kPi / (2.0 * n + 1.0)));
    expect_close(got, want, 8.0 * n * kEps64 * 2.0);
  }
  const Bidiagonal zeros{{0.0, 2.0, 0.0, 3.0, 0.0}, {0.7, 1.1, -0.4, 0.9}};
  expect_close(solve_by_qr(zeros), jacobi_reference(zeros), 16 * kEps64 * max_abs_entry(zeros));
  for (const std::uint64_t seed : {3u, 11u, 29u}) {
    const Bidiagonal b = random_bidiagonal(2 + static_cast<int>(seed), seed);
    const double n = static_cast<double>(b.d.size());
    expect_close(solve_by_qr(b), jacobi_reference(b), 8.0 * n * kEps64 * max_abs_entry(b));
    expect_close(solve_by_qr(b), solve(b), 16.0 * n * kEps64 * max_abs_entry(b));
  }
}

// Graded both ways (entries 1 down to 10^-11.6, so singular values spanning ~12 decades) and random
// bidiagonals with entries scaled down by 1e-12 (diagonal) and 1e-9 (superdiagonal) here and there: every
// singular value, the smallest included, to a small multiple of n eps of itself. The QR is only
// normwise accurate (its error is a few eps ||B||, ~1e12 eps relative for the smallest of these), so
// this is what dqds adds. Every entry is above eps ||B||, below which both solvers treat an entry as zero.
std::vector<Bidiagonal> relative_accuracy_cases() {
  std::vector<Bidiagonal> cases;
  const int n = 30;
  Bidiagonal down{std::vector<double>(n), std::vector<double>(n - 1)};
  for (int i = 0; i < n; ++i) down.d[i] = std::pow(10.0, -0.4 * i);
  for (int i = 0; i + 1 < n; ++i) down.e[i] = 0.5 * std::pow(10.0, -0.4 * i);
  cases.push_back(down);
  cases.push_back({std::vector<double>(down.d.rbegin(), down.d.rend()), std::vector<double>(down.e.rbegin(), down.e.rend())});
  for (const std::uint64_t seed : {5u, 6u, 7u}) {
    Bidiagonal b = random_bidiagonal(30 + 20 * static_cast<int>(seed - 5), seed);
    for (std::size_t i = 0; i < b.d.size(); i += 7) b.d[i] *= 1e-12;
    for (std::size_t i = 3; i < b.e.size(); i += 5) b.e[i] *= 1e-9;
    cases.push_back(b);
  }
  return cases;
}

TEST(BidiagonalSvd, BisectionReferenceAgreesWithLongDoubleJacobi) {
  for (const Bidiagonal& b : relative_accuracy_cases()) {
    expect_close(bisection_reference(b), jacobi_reference(b), 4.0 * kEps64 * max_abs_entry(b));
  }
}

TEST(BidiagonalSvd, EveryValueToHighRelativeAccuracyOnGradedAndTinyEntryBidiagonals) {
  for (const Bidiagonal& b : relative_accuracy_cases()) {
    const std::vector<double> got = solve(b);
    const std::vector<double> want = bisection_reference(b);
    const double n = static_cast<double>(b.d.size());
    ASSERT_EQ(got.size(), want.size());
    EXPECT_LT(want.back(), 1e-9 * want.front());  // the case is graded: the claim is relative
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_NEAR(got[i], want[i], 4.0 * n * kEps64 * want[i]) << "n=" << n << " i=" << i;
    }
  }
}

TEST(BidiagonalSvd, PowerOfTwoScalingIsExactFromTinyToHuge) {
  const Bidiagonal b = random_bidiagonal(60, 7);
  const std::vector<double> base = solve(b);
  for (const int power : {-1000, -600, 600, 1000}) {
    Bidiagonal scaled = b;
    for (double& value : scaled.d) value = std::ldexp(value, power);
    for (double& value : scaled.e) value = std::ldexp(value, power);
    const std::vector<double> got = solve(scaled);
    for (std::size_t i = 0; i < base.size(); ++i) {
      // Equal to the unscaled run times 2^power (below the subnormal range, where bits are lost).
      if (std::ldexp(base[i], power) >= 0x1p-1022) {
        EXPECT_EQ(got[i], std::ldexp(base[i], power)) << "power=" << power << " i=" << i;
      }
    }
  }
}

TEST(BidiagonalSvd, FloatAllOnesToSinglePrecision) {
  const int n = 64;
  std::vector<float> d(n, 1.0f);
  std::vector<float> e(n - 1, 1.0f);
  ASSERT_TRUE(bidiagonal_singular_values(d, e));
  for (int j = 1; j <= n; ++j) {
    EXPECT_NEAR(d[j - 1], 2.0 * std::cos(j * kPi / (2.0 * n + 1.0)), 8.0 * n * 0x1p-23 * 2.0) << "j=" << j;
  }
}

}  // namespace
}  // namespace attnrank
