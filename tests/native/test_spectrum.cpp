// Tests of singular_values / precision_epsilon / accuracy_floor: exact spectra (diagonal, permutation),
// known spectra U diag(sigma) V^T built from fixed Householder reflections (n = 8 and n = 40, graded
// down to 1e-9.75), agreement with Eigen's BDCSVD on attention matrices, invariants (sum s_i^2 = ||A||_F^2), the float path, and the
// documented floor: a value far below s_1 n eps is not resolved, only bounded by the floor.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "attnrank/base/errors.h"
#include "linalg/spectrum.h"
#include "reference_svd.h"
#include "test_support.h"

namespace attnrank {
namespace {

constexpr double kEps64 = 0x1p-52;
constexpr double kEps32 = 0x1p-23;

using test::Lcg;

// A = U diag(sigma) V^T (n, n) with the given singular values: U, V products of three reflections.
MatrixXd with_spectrum(const std::vector<double>& sigma, std::uint64_t seed) { return test::with_spectrum(sigma, seed, 3); }

void expect_descending(const VectorXd& s) {
  for (Eigen::Index i = 1; i < s.size(); ++i) EXPECT_GE(s(i - 1), s(i)) << "at i=" << i;
  if (s.size() > 0) {
    EXPECT_GE(s(s.size() - 1), 0.0);
  }
}

TEST(SingularValues, DiagonalMatrixGivesAbsoluteValuesDescending) {
  MatrixXd a = MatrixXd::Zero(4, 4);
  a.diagonal() << 3.0, -1.0, 2.0, 0.5;
  const VectorXd s = singular_values(a);
  ASSERT_EQ(s.size(), 4);
  const double expected[] = {3.0, 2.0, 1.0, 0.5};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(s(i), expected[i], 4 * kEps64 * 3.0) << "i=" << i;
}

TEST(SingularValues, PermutationMatrixHasAllOnes) {
  const int n = 20;
  MatrixXd p = MatrixXd::Zero(n, n);
  for (int i = 0; i < n; ++i) p(i, (7 * i + 3) % n) = 1.0;  // gcd(7, 20) = 1: a permutation
  const VectorXd s = singular_values(p);
  ASSERT_EQ(s.size(), n);
  for (int i = 0; i < n; ++i) EXPECT_NEAR(s(i), 1.0, 8 * n * kEps64) << "i=" << i;
}

TEST(SingularValues, ZeroMatrixHasZeroSpectrum) {
  const VectorXd s = singular_values(MatrixXd(MatrixXd::Zero(30, 30)));
  ASSERT_EQ(s.size(), 30);
  EXPECT_EQ(s.maxCoeff(), 0.0);
}

// Backward stability: |computed s_i - sigma_i| <= c n eps s_1 (c = 4, a generous constant).
void check_known_spectrum(const std::vector<double>& sigma, std::uint64_t seed) {
  const int n = static_cast<int>(sigma.size());
  const VectorXd s = singular_values(with_spectrum(sigma, seed));
  ASSERT_EQ(s.size(), n);
  expect_descending(s);
  std::vector<double> sorted = sigma;
  std::sort(sorted.rbegin(), sorted.rend());
  const double tolerance = 4.0 * n * kEps64 * sorted[0];
  for (int i = 0; i < n; ++i) EXPECT_NEAR(s(i), sorted[i], tolerance) << "n=" << n << " i=" << i;
}

TEST(SingularValues, KnownSpectrumSmall) {
  check_known_spectrum({1.0, 5.0, 0.25, 2.0, 1e-3, 7.0, 3.0, 1e-6}, 11);
}

TEST(SingularValues, KnownSpectrumGraded) {
  std::vector<double> sigma;
  for (int i = 0; i < 40; ++i) sigma.push_back(std::pow(10.0, -0.25 * ((i * 17) % 40)));  // 1 .. 1e-9.75
  check_known_spectrum(sigma, 23);
}

TEST(SingularValues, RepeatedSingularValues) {
  std::vector<double> sigma(36, 2.0);
  for (int i = 0; i < 12; ++i) sigma[i] = 0.5;
  check_known_spectrum(sigma, 5);
}

TEST(SingularValues, SumOfSquaresEqualsFrobeniusNorm) {
  Lcg lcg(99);
  MatrixXd a(50, 50);
  for (int i = 0; i < 50; ++i)
    for (int j = 0; j < 50; ++j) a(i, j) = lcg.next();
  const VectorXd s = singular_values(a);
  expect_descending(s);
  EXPECT_NEAR(s.squaredNorm(), a.squaredNorm(), 1e-12 * a.squaredNorm());
}

TEST(SingularValues, TallAndWideMatricesHaveMinDimensionValues) {
  Lcg lcg(5);
  MatrixXd a(7, 3);
  for (int i = 0; i < 7; ++i)
    for (int j = 0; j < 3; ++j) a(i, j) = lcg.next();
  const VectorXd tall = singular_values(a);
  const VectorXd wide = singular_values(MatrixXd(a.transpose()));
  ASSERT_EQ(tall.size(), 3);
  ASSERT_EQ(wide.size(), 3);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(tall(i), wide(i), 16 * kEps64 * tall(0)) << "i=" << i;
}

// Row-stochastic softmax-like matrices (causal and full), compared with Eigen's BDCSVD (divide and
// conquer, an independent algorithm after the same kind of reduction): within 8 n eps s_1 and the same
// numerical rank at s_1 n eps.
TEST(SingularValues, AgreesWithEigenBdcsvdOnAttentionLikeMatrices) {
  for (const bool causal : {false, true}) {
    const int n = 96;
    Lcg lcg(causal ? 17 : 18);
    MatrixXd a = MatrixXd::Zero(n, n);
    for (int i = 0; i < n; ++i) {
      double sum = 0;
      for (int j = 0; j < (causal ? i + 1 : n); ++j) sum += a(i, j) = std::exp(4.0 * lcg.next());
      a.row(i) /= sum;
    }
    const VectorXd s = singular_values(a);
    const VectorXd reference = test::bdcsvd_singular_values(a);
    const double floor = accuracy_floor(s(0), n, Precision::F64);
    int rank = 0;
    int reference_rank = 0;
    for (int i = 0; i < n; ++i) {
      EXPECT_NEAR(s(i), reference(i), 8.0 * n * kEps64 * s(0)) << "causal=" << causal << " i=" << i;
      rank += s(i) > floor;
      reference_rank += reference(i) > floor;
    }
    EXPECT_EQ(rank, reference_rank) << "causal=" << causal;
  }
}

TEST(SingularValues, HugeAndTinyMatricesDoNotOverflow) {
  // Householder vectors square entries: without scaling first, entries of 1e300 would overflow.
  for (const double magnitude : {1e300, 1e-300}) {
    MatrixXd a(2, 2);
    a << 3.0, 0.0, 4.0, 5.0;  // singular values sqrt(45), sqrt(5)
    const VectorXd s = singular_values(MatrixXd(magnitude * a));
    EXPECT_NEAR(s(0) / magnitude, std::sqrt(45.0), 1e-14) << magnitude;
    EXPECT_NEAR(s(1) / magnitude, std::sqrt(5.0), 1e-14) << magnitude;
  }
}

TEST(SingularValues, FloatVersionMatchesKnownSpectrumToSinglePrecision) {
  std::vector<double> sigma;
  for (int i = 0; i < 24; ++i) sigma.push_back(1.0 + i * 0.125);
  const MatrixXf a = with_spectrum(sigma, 41).cast<float>();
  const VectorXd s = singular_values(a);
  ASSERT_EQ(s.size(), 24);
  expect_descending(s);
  const double tolerance = 4.0 * 24 * kEps32 * 3.875;
  for (int i = 0; i < 24; ++i) EXPECT_NEAR(s(i), sigma[23 - i], tolerance) << "i=" << i;
  // Computed in float, then widened: every value is exactly a float (a double SVD would not be).
  for (int i = 0; i < 24; ++i) EXPECT_EQ(s(i), static_cast<double>(static_cast<float>(s(i)))) << "i=" << i;
}

TEST(SingularValues, ValueBelowTheFloorIsOnlyBoundedByTheFloor) {
  // sigma_n = 1e-30 is far below s_1 n eps; the method may return noise or 0 there, but never more than
  // a small multiple of the floor (this is what "unresolved below the floor" means downstream).
  std::vector<double> sigma(32, 1.0);
  sigma[31] = 1e-30;
  const VectorXd s = singular_values(with_spectrum(sigma, 3));
  const double floor = accuracy_floor(s(0), 32, Precision::F64);
  EXPECT_LE(s(31), floor);
  EXPECT_NEAR(s(30), 1.0, floor);
}

TEST(SingularValues, RejectsNonFiniteEntryNamingIt) {
  MatrixXd a = MatrixXd::Identity(3, 3);
  a(1, 2) = std::nan("");
  try {
    singular_values(a);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(std::string(e.what()), "a: entry (1, 2) = nan must be finite");
  }
}

TEST(Precision, EpsilonAndFloorAreExact) {
  EXPECT_EQ(precision_epsilon(Precision::F64), std::ldexp(1.0, -52));
  EXPECT_EQ(precision_epsilon(Precision::F32), std::ldexp(1.0, -23));
  EXPECT_EQ(accuracy_floor(2.0, 10, Precision::F64), 20.0 * std::ldexp(1.0, -52));
  EXPECT_EQ(accuracy_floor(0.5, 64, Precision::F32), 32.0 * std::ldexp(1.0, -23));
  EXPECT_EQ(accuracy_floor(0.0, 64, Precision::F32), 0.0);
}

}  // namespace
}  // namespace attnrank
