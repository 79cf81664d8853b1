// Tests of bidiagonal_singular_values: analytic spectra (the all-ones bidiagonal, diagonal matrices),
// zero entries on the diagonal (the chasing paths), graded matrices both ways, exact power-of-two scaling
// down to 1e-300 and up to 1e300, float, and agreement with Eigen's independent SVDs (long double Jacobi
// on small matrices, BDCSVD on larger random ones) to a small multiple of eps ||B||.
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
