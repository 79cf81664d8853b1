// low_rank_singular_values against its reference, the dense SVD (singular_values) of the formed product
// A = L R^T: random signed factors and the factors of bidirectional linear attention for every feature
// map (n > f and the dense fallback f >= n, d > n), in f64 and f32; exact zeros beyond r; adversarial
// factors (dependent and zero columns, a repeated spectrum, huge and tiny scales); validation messages.
// Tolerance: kAgreement * s_1 * n * eps(precision), the accuracy floor times a small constant.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "attnrank/attention/linear_attention.h"
#include "attnrank/attention/masks.h"
#include "attnrank/base/errors.h"
#include "attnrank/stats/rank_stats.h"
#include "linalg/low_rank_spectrum.h"
#include "linalg/spectrum.h"
#include "random/rng.h"
#include "test_support.h"

namespace attnrank {
namespace {

using test::expect_error;
using test::inputs_of;
using test::mask_of;

// Both methods are backward stable to well inside the floor s_1 n eps. Measured worst |difference| on
// these cases (and n = 512, scale 16): 0.09 floor where the core is used (n >= 96), 0.43 floor in the
// fallbacks at n <= 12, where the floor itself is only ~10 eps s_1. One floor leaves room; a wrong core
// (R_L R_R instead of R_L R_R^T) misses by O(s_1).
constexpr double kAgreement = 1.0;

MatrixXd normal_matrix(int rows, int cols, std::uint64_t seed) {
  Rng rng(seed);
  MatrixXd x(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int c = 0; c < cols; ++c) x(i, c) = rng.next_normal();
  return x;
}

VectorXd dense_reference(const MatrixXd& left, const MatrixXd& right, Precision precision) {
  const MatrixXd a = left * right.transpose();
  if (precision == Precision::F32) return singular_values(MatrixXf(a.cast<float>()));
  return singular_values(a);
}

// Same length, descending, |s_i - reference_i| <= kAgreement * floor, equal numerical rank in the
// request's precision, and exact zeros beyond the rank bound r when r < n.
void expect_matches_dense(const MatrixXd& left, const MatrixXd& right, Precision precision, const std::string& label) {
  SCOPED_TRACE(label);
  const int n = static_cast<int>(left.rows());
  const int r = static_cast<int>(left.cols());
  const VectorXd structured = low_rank_singular_values(left, right, precision);
  const VectorXd reference = dense_reference(left, right, precision);
  ASSERT_EQ(structured.size(), n);
  const double floor = accuracy_floor(reference(0), n, precision);
  for (int i = 0; i < n; ++i) {
    ASSERT_LE(std::abs(structured(i) - reference(i)), kAgreement * floor) << "s_" << i + 1;
    if (i > 0) {
      ASSERT_LE(structured(i), structured(i - 1)) << "descending at " << i + 1;
    }
    if (i >= r) {
      ASSERT_EQ(structured(i), 0.0) << "s_" << i + 1 << " beyond r = " << r;
    }
  }
  const double eps = precision_epsilon(precision);
  EXPECT_EQ(numerical_rank(structured, n, eps), numerical_rank(reference, n, eps));
}

TEST(LowRankSpectrum, RandomSignedFactorsMatchTheDenseSvd) {
  struct Shape {
    int n, r;
  };
  for (const Shape shape : {Shape{50, 3}, Shape{64, 17}, Shape{100, 1}, Shape{33, 32}, Shape{20, 20}, Shape{9, 14}}) {
    for (const std::uint64_t seed : {1u, 2u, 3u}) {
      const MatrixXd left = normal_matrix(shape.n, shape.r, seed);
      const MatrixXd right = normal_matrix(shape.n, shape.r, seed + 1000);
      const std::string label = "n=" + std::to_string(shape.n) + " r=" + std::to_string(shape.r) +
                                " seed=" + std::to_string(seed);
      expect_matches_dense(left, right, Precision::F64, label + " f64");
      expect_matches_dense(left, right, Precision::F32, label + " f32");
    }
  }
}

LinearSpec linear_spec(FeatureMap feature, int features, std::uint64_t seed) {
  LinearSpec spec;
  spec.feature = feature;
  spec.features = features;
  spec.seed = seed;
  return spec;
}

TEST(LowRankSpectrum, LinearAttentionFactorsMatchTheDenseSvdOfA) {
  struct Case {
    int n, d, features;
  };
  // n > f (structured), n < m (favor falls back), d > n (elementwise maps fall back).
  for (const Case c : {Case{96, 8, 16}, Case{130, 24, 40}, Case{12, 4, 40}, Case{10, 24, 6}}) {
    for (const FeatureMap feature : {FeatureMap::kElu1, FeatureMap::kRelu, FeatureMap::kExp, FeatureMap::kFavor}) {
      for (const std::uint64_t seed : {1u, 5u, 17u}) {
        for (const double scale : {1.0, 4.0}) {
          const InputMatrices x = inputs_of(c.n, c.d, seed);
          // relu: shift the inputs up so that no row of phi(Q') is all zero (that error is tested apart).
          const double shift = feature == FeatureMap::kRelu ? 2.0 : 0.0;
          const MatrixXd q = x.q.array() + shift;
          const MatrixXd k = x.k.array() + shift;
          const LinearSpec spec = linear_spec(feature, c.features, seed);
          const LinearAttentionFactors factors = bidirectional_linear_factors(q, k, scale, spec);
          const MatrixXd a = linear_attention(q, k, scale, mask_of(PatternKind::kBidirectional, c.n), spec);
          const std::string label = std::string(feature_map_name(feature)) + " n=" + std::to_string(c.n) +
                                    " d=" + std::to_string(c.d) + " m=" + std::to_string(c.features) +
                                    " seed=" + std::to_string(seed) + " scale=" + std::to_string(scale);
          for (const Precision precision : {Precision::F64, Precision::F32}) {
            SCOPED_TRACE(label + (precision == Precision::F64 ? " f64" : " f32"));
            const VectorXd structured = low_rank_singular_values(factors.left, factors.right, precision);
            const VectorXd reference = precision == Precision::F32 ? singular_values(MatrixXf(a.cast<float>()))
                                                                   : singular_values(a);
            const double floor = accuracy_floor(reference(0), c.n, precision);
            ASSERT_EQ(structured.size(), c.n);
            for (int i = 0; i < c.n; ++i) ASSERT_LE(std::abs(structured(i) - reference(i)), kAgreement * floor) << i;
            const double eps = precision_epsilon(precision);
            EXPECT_EQ(numerical_rank(structured, c.n, eps), numerical_rank(reference, c.n, eps));
            const int f = feature_dimension(spec, c.d);
            if (f < c.n) {
              EXPECT_LE(numerical_rank(structured, c.n, eps), f);
            }
          }
        }
      }
    }
  }
}

TEST(LowRankSpectrum, FallbackAtRAtLeastNIsTheDenseSvdBitForBit) {
  const MatrixXd left = normal_matrix(12, 15, 4);
  const MatrixXd right = normal_matrix(12, 15, 5);
  const MatrixXd a = left * right.transpose();
  const VectorXd structured = low_rank_singular_values(left, right, Precision::F64);
  const VectorXd reference = singular_values(a);
  ASSERT_EQ(structured.size(), 12);
  for (int i = 0; i < 12; ++i) EXPECT_EQ(test::bits_of(structured(i)), test::bits_of(reference(i))) << i;
}

TEST(LowRankSpectrum, DependentAndZeroColumnsLeaveOnlyUnresolvedValues) {
  // r = 6 columns spanning 2 directions (and one zero column): rank 2, s_3.. at or below the floor.
  const int n = 40;
  const MatrixXd basis = normal_matrix(n, 2, 8);
  MatrixXd left(n, 6), right(n, 6);
  left << basis, basis.col(0) * 2.0, basis.col(1) - basis.col(0), MatrixXd::Zero(n, 1), basis.col(1) * 0.5;
  right = normal_matrix(n, 6, 9);
  expect_matches_dense(left, right, Precision::F64, "dependent columns");
  const VectorXd s = low_rank_singular_values(left, right, Precision::F64);
  EXPECT_EQ(numerical_rank(s, n, precision_epsilon(Precision::F64)), 2);
  const VectorXd zeros = low_rank_singular_values(MatrixXd::Zero(n, 3), right.leftCols(3), Precision::F64);
  EXPECT_EQ(zeros, VectorXd::Zero(n));
}

TEST(LowRankSpectrum, OrthonormalFactorsGiveARepeatedSpectrum) {
  // L = R = first r columns of a permutation: A is a diagonal 0/1 projector, s = (1 x r, 0 x (n - r)).
  const int n = 30, r = 7;
  MatrixXd left = MatrixXd::Zero(n, r);
  for (int c = 0; c < r; ++c) left((7 * c + 3) % n, c) = 1.0;  // 7 and 30 coprime: distinct rows
  const VectorXd s = low_rank_singular_values(left, left, Precision::F64);
  for (int i = 0; i < n; ++i) EXPECT_NEAR(s(i), i < r ? 1.0 : 0.0, 4 * precision_epsilon(Precision::F64)) << i;
}

TEST(LowRankSpectrum, HugeAndTinyFactorsKeepTheirScale) {
  const MatrixXd left = normal_matrix(50, 4, 11);
  const MatrixXd right = normal_matrix(50, 4, 12);
  const VectorXd base = low_rank_singular_values(left, right, Precision::F64);
  for (const double scale : {0x1p-500, 0x1p+500}) {
    // Powers of two commute with every rounding (no overflow, no subnormals here): exact scaling.
    const VectorXd scaled = low_rank_singular_values(scale * left, right, Precision::F64);
    for (int i = 0; i < 50; ++i) EXPECT_EQ(scaled(i), scale * base(i)) << i;
  }
}

TEST(LowRankSpectrum, ValidationMessages) {
  const ErrorCode bad = ErrorCode::kInvalidArgument;
  const MatrixXd left = normal_matrix(6, 2, 1);
  expect_error([&] { low_rank_singular_values(left, MatrixXd(left.topRows(5)), Precision::F64); }, bad,
               "left is 6 x 2 and right is 5 x 2: they need the same non-zero shape (n, r)");
  expect_error([&] { low_rank_singular_values(MatrixXd(6, 0), MatrixXd(6, 0), Precision::F64); }, bad,
               "left is 6 x 0 and right is 6 x 0: they need the same non-zero shape (n, r)");
  MatrixXd broken = left;
  broken(4, 1) = std::nan("");
  expect_error([&] { low_rank_singular_values(broken, left, Precision::F64); }, bad,
               "left: entry (4, 1) = nan must be finite");
  broken(4, 1) = -HUGE_VAL;
  expect_error([&] { low_rank_singular_values(left, broken, Precision::F32); }, bad,
               "right: entry (4, 1) = -inf must be finite");
}

}  // namespace
}  // namespace attnrank
