// Linear attention: agreement with a naive oracle written here (features by formula, no stabilising
// shifts), rows summing to 1, masked entries exactly 0, rank <= feature dimension when bidirectional,
// the exp map with large inputs against a log-sum-exp oracle, favor's shape, positivity and closeness
// to softmax for many features, the relu zero-row error, and every validation message. The factors of
// the bidirectional case (A = left right^T) against the dense matrix, with the same errors.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "attention/attention.h"
#include "attnrank/attention/linear_attention.h"
#include "attnrank/attention/masks.h"
#include "attnrank/base/errors.h"
#include "attnrank/random/inputs.h"
#include "random/rng.h"
#include "reference_svd.h"
#include "test_support.h"

namespace attnrank {
namespace {

using test::all_masks;
using test::expect_error;
using test::expect_stochastic;
using test::inputs_of;
using test::mask_of;

constexpr double kTolF64 = 1e-13;

LinearSpec spec_of(FeatureMap feature, int features = 64, std::uint64_t seed = 0) {
  LinearSpec spec;
  spec.feature = feature;
  spec.features = features;
  spec.seed = seed;
  return spec;
}

// phi of one scaled row x' (length d), straight from the definitions.
std::vector<double> naive_phi(const Eigen::RowVectorXd& x, const LinearSpec& spec, const MatrixXd& w) {
  std::vector<double> phi;
  if (spec.feature == FeatureMap::kFavor) {
    for (Eigen::Index r = 0; r < w.rows(); ++r)
      phi.push_back(std::exp(w.row(r).dot(x) - x.squaredNorm() / 2) / std::sqrt(static_cast<double>(w.rows())));
    return phi;
  }
  for (Eigen::Index c = 0; c < x.size(); ++c) {
    const double v = x(c);
    if (spec.feature == FeatureMap::kElu1) phi.push_back(v > 0 ? v + 1 : std::exp(v) - 1 + 1);
    if (spec.feature == FeatureMap::kRelu) phi.push_back(v > 0 ? v : 0);
    if (spec.feature == FeatureMap::kExp) phi.push_back(std::exp(v));
  }
  return phi;
}

MatrixXd naive_linear(const MatrixXd& q, const MatrixXd& k, double s, const Mask& mask, const LinearSpec& spec) {
  const double c = std::pow(s, 0.5) / std::pow(static_cast<double>(q.cols()), 0.25);
  const MatrixXd w = spec.feature == FeatureMap::kFavor
                         ? favor_projection(spec.features, static_cast<int>(q.cols()), spec.seed) : MatrixXd();
  MatrixXd a = MatrixXd::Zero(q.rows(), k.rows());
  for (Eigen::Index i = 0; i < q.rows(); ++i) {
    const std::vector<double> phi_q = naive_phi(c * q.row(i), spec, w);
    long double sum = 0;
    for (Eigen::Index j = 0; j < k.rows(); ++j) {
      if (!mask(i, j)) continue;
      const std::vector<double> phi_k = naive_phi(c * k.row(j), spec, w);
      long double dot = 0;
      for (std::size_t r = 0; r < phi_q.size(); ++r) dot += static_cast<long double>(phi_q[r]) * phi_k[r];
      a(i, j) = static_cast<double>(dot);
      sum += dot;
    }
    a.row(i) /= static_cast<double>(sum);
  }
  return a;
}

TEST(LinearAttention, MatchesNaiveOracleForEveryMapAndPattern) {
  const int n = 20;
  const InputMatrices x = inputs_of(n, 6, 1);
  for (FeatureMap feature : {FeatureMap::kElu1, FeatureMap::kExp, FeatureMap::kFavor})
    for (const Mask& mask : all_masks(n))
      for (double s : {1.0, 0.25, 3.0}) {
        const LinearSpec spec = spec_of(feature, 16, 9);
        const MatrixXd a = linear_attention(x.q, x.k, s, mask, spec);
        expect_stochastic(a, mask, kTolF64);
        EXPECT_LT((a - naive_linear(x.q, x.k, s, mask, spec)).cwiseAbs().maxCoeff(), kTolF64)
            << feature_map_name(feature) << " s=" << s;
      }
}

TEST(LinearAttention, ReluMatchesOracleWhenEveryRowHasOverlap) {
  // Shifted positive inputs: every relu feature vector is nonzero, so no row sums to 0.
  const int n = 16;
  const InputMatrices x = inputs_of(n, 5, 2);
  const MatrixXd q = x.q.array() + 3.0, k = x.k.array() + 3.0;
  for (const Mask& mask : all_masks(n)) {
    const MatrixXd a = linear_attention(q, k, 1.0, mask, spec_of(FeatureMap::kRelu));
    expect_stochastic(a, mask, kTolF64);
    EXPECT_LT((a - naive_linear(q, k, 1.0, mask, spec_of(FeatureMap::kRelu))).cwiseAbs().maxCoeff(), kTolF64);
  }
}

TEST(LinearAttention, BidirectionalRankIsAtMostTheFeatureDimension) {
  const int n = 40, d = 4;
  const InputMatrices x = inputs_of(n, d, 3);
  const Mask all = mask_of(PatternKind::kBidirectional, n);
  for (const LinearSpec& spec : {spec_of(FeatureMap::kElu1), spec_of(FeatureMap::kFavor, 6)}) {
    const MatrixXd a = linear_attention(x.q, x.k, 1.0, all, spec);
    const Eigen::VectorXd sv = test::jacobi_singular_values(a);
    const int bound = feature_dimension(spec, d);
    EXPECT_GT(sv(bound - 1), 1e-8 * sv(0)) << feature_map_name(spec.feature);
    EXPECT_LT(sv(bound), 1e-12 * sv(0)) << feature_map_name(spec.feature);
  }
}

// Oracle for the exp map in log space: A_ij ~ exp(logsumexp_r(q'_ir + k'_jr)), in long double.
MatrixXd log_space_exp_oracle(const MatrixXd& q, const MatrixXd& k, double s, const Mask& mask) {
  const Eigen::Index n_q = q.rows(), n_k = k.rows(), d = q.cols();
  const double c = std::sqrt(s) / std::sqrt(std::sqrt(static_cast<double>(d)));
  constexpr long double kMinusInf = -std::numeric_limits<long double>::infinity();
  MatrixXd a = MatrixXd::Zero(n_q, n_k);
  for (Eigen::Index i = 0; i < n_q; ++i) {
    std::vector<long double> log_kernel(n_k, kMinusInf);
    long double row_max = kMinusInf;
    for (Eigen::Index j = 0; j < n_k; ++j) {
      if (!mask(i, j)) continue;
      long double m = kMinusInf;
      for (Eigen::Index r = 0; r < d; ++r) m = std::max(m, static_cast<long double>(c * q(i, r) + c * k(j, r)));
      long double acc = 0;
      for (Eigen::Index r = 0; r < d; ++r) acc += std::exp(static_cast<long double>(c * q(i, r) + c * k(j, r)) - m);
      log_kernel[j] = m + std::log(acc);
      row_max = std::max(row_max, log_kernel[j]);
    }
    long double sum = 0;
    for (Eigen::Index j = 0; j < n_k; ++j) sum += std::exp(log_kernel[j] - row_max);
    for (Eigen::Index j = 0; j < n_k; ++j) a(i, j) = static_cast<double>(std::exp(log_kernel[j] - row_max) / sum);
  }
  return a;
}

TEST(LinearAttention, ExpMapWithLargeInputsStaysFiniteAndCorrect) {
  // exp(1000) overflows in double; the stabilising shifts must make this exact anyway.
  const int n = 12, d = 4;
  const InputMatrices x = inputs_of(n, d, 4);
  const MatrixXd q = 600.0 * x.q, k = 600.0 * x.k;
  for (const Mask& mask : all_masks(n)) {
    const MatrixXd a = linear_attention(q, k, 4.0, mask, spec_of(FeatureMap::kExp));
    expect_stochastic(a, mask, kTolF64);
    EXPECT_LT((a - log_space_exp_oracle(q, k, 4.0, mask)).cwiseAbs().maxCoeff(), 1e-12);
  }
}

TEST(LinearAttention, RowsFarBelowTheKeyShiftsAreRecomputedInLogSpace) {
  // Causal: query 0 sees only key 0 and query 1 keys 0, 1, all ~2000 below the per-feature key max set
  // by key 3, so their kernel values underflow to 0 in the shifted fast path.
  const int n = 4, d = 2;
  MatrixXd q = MatrixXd::Constant(n, d, 1.0);
  MatrixXd k(n, d);
  k << -1000, -1000, -1001, -999.5, 0, 0, 1000, 1000;
  const Mask forward = mask_of(PatternKind::kForward, n);
  const MatrixXd a = linear_attention(q, k, 1.0, forward, spec_of(FeatureMap::kExp));
  expect_stochastic(a, forward, kTolF64);
  EXPECT_EQ(a(0, 0), 1.0);
  EXPECT_GT(a(1, 1), 0.1);
  EXPECT_LT((a - log_space_exp_oracle(q, k, 1.0, forward)).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(LinearAttention, HugeScaleStaysFinite) {
  const int n = 10;
  const InputMatrices x = inputs_of(n, 4, 5);
  for (const Mask& mask : all_masks(n))
    for (FeatureMap feature : {FeatureMap::kElu1, FeatureMap::kExp, FeatureMap::kFavor})
      for (double s : {1e300, 1e-300, 0.0})
        expect_stochastic(linear_attention(x.q, x.k, s, mask, spec_of(feature, 8)), mask, kTolF64);
}

TEST(LinearAttention, ZeroScaleIsUniformOverAllowedKeys) {
  const int n = 9;
  const InputMatrices x = inputs_of(n, 3, 6);
  const Mask forward = mask_of(PatternKind::kForward, n);
  for (FeatureMap feature : {FeatureMap::kElu1, FeatureMap::kExp, FeatureMap::kFavor}) {
    const MatrixXd a = linear_attention(x.q, x.k, 0.0, forward, spec_of(feature, 8));
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) ASSERT_DOUBLE_EQ(a(i, j), j <= i ? 1.0 / (i + 1) : 0.0);
  }
}

TEST(LinearAttention, FavorShapePositivityAndDeterminism) {
  const int n = 14, d = 4, m = 32;
  const InputMatrices x = inputs_of(n, d, 7);
  const Mask backward = mask_of(PatternKind::kBackward, n);
  const MatrixXd a = linear_attention(x.q, x.k, 1.0, backward, spec_of(FeatureMap::kFavor, m, 3));
  ASSERT_EQ(a.rows(), n);
  ASSERT_EQ(a.cols(), n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      if (backward(i, j)) {
        EXPECT_GT(a(i, j), 0.0);
      } else {
        EXPECT_EQ(a(i, j), 0.0);
      }
    }
  EXPECT_EQ(a, linear_attention(x.q, x.k, 1.0, backward, spec_of(FeatureMap::kFavor, m, 3)));
  EXPECT_NE(a, linear_attention(x.q, x.k, 1.0, backward, spec_of(FeatureMap::kFavor, m, 4)));
  EXPECT_EQ(feature_dimension(spec_of(FeatureMap::kFavor, m), d), m);
  EXPECT_EQ(feature_dimension(spec_of(FeatureMap::kRelu, m), d), d);
}

TEST(LinearAttention, FavorProjectionUsesItsOwnStream) {
  const MatrixXd w = favor_projection(3, 2, 7);
  Rng salted(7 ^ kFavorSeedSalt);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 2; ++c) EXPECT_EQ(w(r, c), salted.next_normal());
  EXPECT_NE(w(0, 0), Rng(7).next_normal());
}

TEST(LinearAttention, FavorApproachesSoftmaxWithManyFeatures) {
  // FAVOR+ is an unbiased estimator of exp(q'.k') (Choromanski et al. 2021, Lemma 1); with m = 4096
  // the ratio estimate is close to softmax attention at a mild scale.
  const int n = 8, d = 4;
  const InputMatrices x = inputs_of(n, d, 8);
  const Mask all = mask_of(PatternKind::kBidirectional, n);
  const MatrixXd favor = linear_attention(x.q, x.k, 0.5, all, spec_of(FeatureMap::kFavor, 4096, 1));
  const MatrixXd softmax = masked_softmax(unscaled_logits(x.q, x.k), 0.5, all);
  EXPECT_LT((favor - softmax).cwiseAbs().maxCoeff(), 0.03);
  const MatrixXd elu = linear_attention(x.q, x.k, 0.5, all, spec_of(FeatureMap::kElu1));
  EXPECT_GT((elu - softmax).cwiseAbs().maxCoeff(), 0.0);
}

TEST(LinearAttention, ReluZeroRowIsANamedNumericalFailure) {
  const int n = 8;
  const InputMatrices x = inputs_of(n, 4, 9);
  MatrixXd q = x.q;
  q.row(5) = -q.row(5).cwiseAbs();  // relu(q'_5) = 0: row 5 of phi(Q') phi(K')^T is all zeros
  q.row(5)(0) = -0.5;
  expect_error([&] { linear_attention(q, x.k, 1.0, mask_of(PatternKind::kForward, n), spec_of(FeatureMap::kRelu)); },
               ErrorCode::kNumericalFailure,
               "row 5 of linear attention sums to 0 (feature=relu): D^{-1} is undefined; no allowed key shares "
               "a positive feature with this query (try elu1 or another scale or seed)");
  expect_error([&] { linear_attention(x.q, x.k, 0.0, mask_of(PatternKind::kForward, n), spec_of(FeatureMap::kRelu)); },
               ErrorCode::kNumericalFailure,
               "row 0 of linear attention sums to 0 (feature=relu): D^{-1} is undefined; no allowed key shares "
               "a positive feature with this query (try elu1 or another scale or seed)");
}

TEST(LinearAttention, NamesRoundTripAndUnknownIsNamed) {
  const std::vector<std::string> names = feature_map_names();
  ASSERT_EQ(names, (std::vector<std::string>{"elu1", "relu", "exp", "favor"}));
  for (const std::string& name : names) EXPECT_EQ(feature_map_name(parse_feature_map(name)), name);
  expect_error([] { parse_feature_map("foo"); }, ErrorCode::kInvalidArgument,
               "feature=foo is unknown (expected one of: elu1, relu, exp, favor)");
}

TEST(LinearAttention, ValidationMessages) {
  const ErrorCode bad = ErrorCode::kInvalidArgument;
  const InputMatrices x = inputs_of(4, 2, 10);
  const Mask all = mask_of(PatternKind::kBidirectional, 4);
  const LinearSpec elu = spec_of(FeatureMap::kElu1);
  expect_error([&] { linear_attention(x.q, x.k, -1.0, all, elu); }, bad,
               "scale=-1 must be >= 0 for linear attention (Q' = sqrt(s) Q / d^(1/4))");
  expect_error([&] { linear_attention(x.q, x.k, std::nan(""), all, elu); }, bad, "scale=nan must be finite");
  expect_error([&] { linear_attention(x.q, x.k, std::numeric_limits<double>::infinity(), all, elu); }, bad,
               "scale=inf must be finite");
  expect_error([&] { linear_attention(x.q, x.k, 1.0, all, spec_of(FeatureMap::kFavor, 0)); }, bad,
               "features=0 must be in [1, 4096]");
  expect_error([&] { linear_attention(x.q, x.k, 1.0, all, spec_of(FeatureMap::kFavor, 4097)); }, bad,
               "features=4097 must be in [1, 4096]");
  EXPECT_NO_THROW(linear_attention(x.q, x.k, 1.0, all, spec_of(FeatureMap::kElu1, 0)));  // m unused
  expect_error([&] { linear_attention(x.q, x.k, 1.0, mask_of(PatternKind::kForward, 3), elu); }, bad,
               "mask is 3x3, expected 4x4");
  Mask empty_row = all;
  empty_row.row(1).setZero();
  expect_error([&] { linear_attention(x.q, x.k, 1.0, empty_row, elu); }, bad, "mask row 1 allows no key");
  MatrixXd q = x.q;
  q(0, 1) = std::nan("");
  expect_error([&] { linear_attention(q, x.k, 1.0, all, elu); }, bad, "q(0, 1)=nan must be finite");
  MatrixXd k = x.k;
  k(3, 0) = -std::numeric_limits<double>::infinity();
  expect_error([&] { linear_attention(x.q, k, 1.0, all, elu); }, bad, "k(3, 0)=-inf must be finite");
  expect_error([&] { linear_attention(1e200 * x.q, x.k, 1e300, all, elu); }, bad,
               "scale=1e+300 overflows the scaled inputs c Q, c K (c = sqrt(s) / d^(1/4))");
  expect_error([&] { linear_attention(x.q, MatrixXd(x.k.leftCols(1)), 1.0, all, elu); }, bad,
               "q is 4x2 and k is 4x1: they need the same d >= 1 columns");
}

TEST(BidirectionalFactors, ProductIsTheDenseMatrixAndFactorsAreNormalised) {
  struct Case {
    int n, d;
    double scale;
  };
  // scale 64: exp and favor kernel values spanning dozens of orders of magnitude within a row.
  for (const Case c : {Case{40, 6, 1.0}, Case{24, 30, 0.5}, Case{33, 4, 64.0}}) {
    for (const FeatureMap feature : {FeatureMap::kElu1, FeatureMap::kRelu, FeatureMap::kExp, FeatureMap::kFavor}) {
      for (const std::uint64_t seed : {3u, 4u}) {
        SCOPED_TRACE(std::string(feature_map_name(feature)) + " n=" + std::to_string(c.n) + " d=" +
                     std::to_string(c.d) + " scale=" + std::to_string(c.scale) + " seed=" + std::to_string(seed));
        const InputMatrices x = inputs_of(c.n, c.d, seed);
        const MatrixXd q = x.q.array() + (feature == FeatureMap::kRelu ? 2.0 : 0.0);  // no zero relu row
        const MatrixXd k = x.k.array() + (feature == FeatureMap::kRelu ? 2.0 : 0.0);
        const LinearSpec spec = spec_of(feature, 12, seed);
        const LinearAttentionFactors factors = bidirectional_linear_factors(q, k, c.scale, spec);
        const int f = feature_dimension(spec, c.d);
        ASSERT_EQ(factors.left.rows(), c.n);
        ASSERT_EQ(factors.left.cols(), f);
        ASSERT_EQ(factors.right.rows(), c.n);
        ASSERT_EQ(factors.right.cols(), f);
        EXPECT_GE(factors.left.minCoeff(), 0.0);
        EXPECT_LE(factors.left.maxCoeff(), 1.0);
        EXPECT_GE(factors.right.minCoeff(), 0.0);
        EXPECT_LE(factors.right.maxCoeff(), 1.0);
        for (int i = 0; i < c.n; ++i) EXPECT_NEAR(factors.left.row(i).sum(), 1.0, kTolF64) << "left row " << i;
        for (int r = 0; r < f; ++r) {
          const double column_sum = factors.right.col(r).sum();
          EXPECT_TRUE(column_sum == 0.0 || std::abs(column_sum - 1.0) <= kTolF64) << "right column " << r;
        }
        const MatrixXd dense = linear_attention(q, k, c.scale, mask_of(PatternKind::kBidirectional, c.n), spec);
        const MatrixXd product = factors.left * factors.right.transpose();
        // Entrywise relative: both are sums of nonnegative terms, exact up to a few ulp per term.
        for (int i = 0; i < c.n; ++i)
          for (int j = 0; j < c.n; ++j)
            ASSERT_LE(std::abs(product(i, j) - dense(i, j)), 1e-12 * dense(i, j) + 1e-300) << i << "," << j;
      }
    }
  }
}

TEST(BidirectionalFactors, AFeatureNoKeyHasIsAZeroColumnOnBothSides) {
  // relu with column 1 of K negative everywhere: feature 1 is absent from every key.
  const int n = 10;
  const InputMatrices x = inputs_of(n, 3, 12);
  MatrixXd k = x.k.array() + 2.0;
  k.col(1) = -k.col(1).cwiseAbs().array() - 0.1;
  const MatrixXd q = x.q.array() + 2.0;
  const LinearAttentionFactors factors = bidirectional_linear_factors(q, k, 1.0, spec_of(FeatureMap::kRelu));
  EXPECT_TRUE(factors.right.col(1).isZero(0.0));
  EXPECT_TRUE(factors.left.col(1).isZero(0.0));
  const MatrixXd dense = linear_attention(q, k, 1.0, mask_of(PatternKind::kBidirectional, n), spec_of(FeatureMap::kRelu));
  EXPECT_LT((factors.left * factors.right.transpose() - dense).cwiseAbs().maxCoeff(), kTolF64);
}

TEST(BidirectionalFactors, ErrorsAreThoseOfTheDensePath) {
  const int n = 8;
  const InputMatrices x = inputs_of(n, 4, 9);
  const Mask all = mask_of(PatternKind::kBidirectional, n);
  MatrixXd q = x.q;
  q.row(5) = -q.row(5).cwiseAbs();  // relu(q'_5) = 0: row 5 of A has no positive entry
  q.row(5)(0) = -0.5;
  const std::string zero_row =
      "row 5 of linear attention sums to 0 (feature=relu): D^{-1} is undefined; no allowed key shares "
      "a positive feature with this query (try elu1 or another scale or seed)";
  expect_error([&] { linear_attention(q, x.k, 1.0, all, spec_of(FeatureMap::kRelu)); }, ErrorCode::kNumericalFailure,
               zero_row);
  expect_error([&] { bidirectional_linear_factors(q, x.k, 1.0, spec_of(FeatureMap::kRelu)); },
               ErrorCode::kNumericalFailure, zero_row);
  expect_error([&] { bidirectional_linear_factors(x.q, x.k, 0.0, spec_of(FeatureMap::kRelu)); },
               ErrorCode::kNumericalFailure,
               "row 0 of linear attention sums to 0 (feature=relu): D^{-1} is undefined; no allowed key shares "
               "a positive feature with this query (try elu1 or another scale or seed)");
  const ErrorCode bad = ErrorCode::kInvalidArgument;
  expect_error([&] { bidirectional_linear_factors(x.q, x.k, -1.0, spec_of(FeatureMap::kElu1)); }, bad,
               "scale=-1 must be >= 0 for linear attention (Q' = sqrt(s) Q / d^(1/4))");
  expect_error([&] { bidirectional_linear_factors(x.q, MatrixXd(x.k.leftCols(1)), 1.0, spec_of(FeatureMap::kElu1)); },
               bad, "q is 8x4 and k is 8x1: they need the same d >= 1 columns");
  expect_error([&] { bidirectional_linear_factors(x.q, x.k, 1.0, spec_of(FeatureMap::kFavor, 0)); }, bad,
               "features=0 must be in [1, 4096]");
  MatrixXd k = x.k;
  k(3, 0) = std::nan("");
  expect_error([&] { bidirectional_linear_factors(x.q, k, 1.0, spec_of(FeatureMap::kElu1)); }, bad,
               "k(3, 0)=nan must be finite");
  // favor's |c x|^2 overflows the same way in both paths (exp's log-features are c x itself: finite).
  const std::string overflow =
      "scale=1e+300 overflows the favor features (c x W^T - |c x|^2 / 2 is not finite)";
  expect_error([&] { linear_attention(1e5 * x.q, x.k, 1e300, all, spec_of(FeatureMap::kFavor, 4)); },
               ErrorCode::kNumericalFailure, overflow);
  expect_error([&] { bidirectional_linear_factors(1e5 * x.q, x.k, 1e300, spec_of(FeatureMap::kFavor, 4)); },
               ErrorCode::kNumericalFailure, overflow);
}

}  // namespace
}  // namespace attnrank
