// The exact claims themselves (claims.h, claims_catalogue.h), suite ClaimBacking: one test per claim tagged
// exact, checking the claim itself on seeded inputs across many seeds and several n, d (the catalogue's
// backing_test names these; tests/node/claims-binding.test.mjs greps this file for each). The verdicts,
// the catalogue and validation: test_claim_verdicts.cpp; the pinned thresholds: test_claim_thresholds.cpp.
#include <gtest/gtest.h>

#include <Eigen/LU>
#include <cmath>
#include <set>
#include <string>

#include "attention/attention.h"
#include "attnrank/attention/linear_attention.h"
#include "attnrank/claims/claims.h"
#include "attnrank/experiments/analysis.h"
#include "attnrank/experiments/mixture.h"
#include "attnrank/experiments/permutation.h"
#include "attnrank/stats/rank_stats.h"
#include "test_support.h"

namespace attnrank {
namespace {

using test::expect_error;
using test::inputs_of;
using test::mask_of;

constexpr int kSeeds = 12;

// ---- ClaimBacking: the exact claims themselves.

// C1: rank(s Q K^T / sqrt(d)) <= d; for generic Gaussian Q, K it is exactly min(n, d).
TEST(ClaimBacking, C1LogitsRankAtMostHeadDim) {
  const int shapes[][2] = {{16, 4}, {64, 8}, {33, 40}, {8, 1}, {100, 3}};
  for (const auto& shape : shapes) {
    SCOPED_TRACE(test::seed_trace());
    for (const std::uint64_t seed : test::property_seeds(kSeeds)) {
      for (double scale : {0.5, 3.0}) {
        SCOPED_TRACE(::testing::Message() << "n=" << shape[0] << " d=" << shape[1] << " seed=" << seed);
        const InputMatrices in = inputs_of(shape[0], shape[1], static_cast<std::uint64_t>(seed));
        const int rank = logits_rank(in.q, in.k, scale);
        EXPECT_LE(rank, shape[1]);
        EXPECT_EQ(rank, std::min(shape[0], shape[1]));
      }
    }
  }
}

// C2: the BERT-base head is d = 768 / 12 = 64 with n = 512 >= 4 d, a valid request, whose logits have
// rank d far below n for any seed.
TEST(ClaimBacking, C2BertBasePresetHasNMuchLargerThanD) {
  EXPECT_EQ(kBertBaseHead.hidden / kBertBaseHead.heads, kBertBaseHead.d);
  EXPECT_EQ(kBertBaseHead.hidden % kBertBaseHead.heads, 0);
  EXPECT_EQ(kBertBaseHead.n, 512);
  EXPECT_EQ(kBertBaseHead.d, 64);
  EXPECT_GE(kBertBaseHead.n, kMuchLargerRatio * kBertBaseHead.d);
  AnalysisConfig config;
  config.inputs.n = kBertBaseHead.n;
  config.inputs.d = kBertBaseHead.d;
  EXPECT_NO_THROW(validate_claims_config(config));
  SCOPED_TRACE(test::seed_trace());
  for (const std::uint64_t seed : test::property_seeds(4)) {
    const InputMatrices in = inputs_of(kBertBaseHead.n, kBertBaseHead.d, static_cast<std::uint64_t>(seed));
    EXPECT_EQ(logits_rank(in.q, in.k, 1.0), kBertBaseHead.d);
  }
}

// C4 (algebra): causal softmax attention is lower triangular with a positive diagonal, and
// log|det| = sum log A_ii with det > 0; for small n the LU determinant agrees.
TEST(ClaimBacking, C4CausalDeterminantIsProductOfPositiveDiagonal) {
  for (int n : {1, 2, 5, 8, 32, 64}) {
    for (int d : {1, 4, 8}) {
      SCOPED_TRACE(test::seed_trace());
      for (const std::uint64_t seed : test::property_seeds(kSeeds)) {
        for (double scale : {0.25, 1.0, 4.0}) {
          SCOPED_TRACE(::testing::Message() << "n=" << n << " d=" << d << " seed=" << seed << " s=" << scale);
          const InputMatrices in = inputs_of(n, d, static_cast<std::uint64_t>(seed));
          const MatrixXd a = masked_softmax(unscaled_logits(in.q, in.k), scale, mask_of(PatternKind::kForward, n));
          ASSERT_TRUE(is_lower_triangular(a));
          double sum_log_diagonal = 0;
          for (int i = 0; i < n; ++i) {
            ASSERT_GT(a(i, i), 0.0) << "i=" << i;
            sum_log_diagonal += std::log(a(i, i));
          }
          EXPECT_TRUE(is_structurally_full_rank(a));
          const LogDet det = log_abs_det(a);
          EXPECT_EQ(det.sign, 1);
          EXPECT_NEAR(det.log_abs, sum_log_diagonal, 1e-12 * (1 + std::abs(sum_log_diagonal)));
          if (n <= 8) {
            // Partial pivoting may pick subdiagonal pivots of this ill-conditioned matrix: its det carries
            // a relative error up to about kappa eps (measured 2e-7 at n = 8, s = 4), so only loosely.
            const double lu_det = Eigen::MatrixXd(a).partialPivLu().determinant();
            EXPECT_GT(lu_det, 0.0);
            EXPECT_NEAR(std::log(lu_det), sum_log_diagonal, 1e-3 * (1 + std::abs(sum_log_diagonal)));
          }
        }
      }
    }
  }
}

// C6: bidirectional linear attention has rank <= f (d for elementwise maps, m for favor), measured on
// the formed n x n matrix with the dense SVD (not the structured path the engine uses).
TEST(ClaimBacking, C6BidirectionalLinearRankAtMostFeatures) {
  for (int n : {16, 40}) {
    for (int d : {2, 4, 8}) {
      SCOPED_TRACE(test::seed_trace());
      for (const std::uint64_t seed : test::property_seeds(kSeeds)) {
        for (FeatureMap feature : {FeatureMap::kElu1, FeatureMap::kExp, FeatureMap::kFavor}) {
          SCOPED_TRACE(::testing::Message() << "n=" << n << " d=" << d << " seed=" << seed << " "
                                            << feature_map_name(feature));
          LinearSpec spec;
          spec.feature = feature;
          spec.features = 6;
          spec.seed = static_cast<std::uint64_t>(seed);
          const InputMatrices in = inputs_of(n, d, static_cast<std::uint64_t>(seed));
          const MatrixXd a = linear_attention(in.q, in.k, 1.0, mask_of(PatternKind::kBidirectional, n), spec);
          const RankStats stats = compute_rank_stats(a);
          EXPECT_LE(stats.numerical_rank_f64, feature_dimension(spec, d));
          EXPECT_GE(stats.numerical_rank_f64, 1);
        }
      }
    }
  }
}

// C7 (phi > 0): causal linear attention with elu+1, exp or favor features is lower triangular with a
// strictly positive diagonal, so det > 0.
TEST(ClaimBacking, C7CausalLinearFullRankForPositiveFeatures) {
  for (int n : {1, 16, 50}) {
    for (int d : {1, 4, 8}) {
      SCOPED_TRACE(test::seed_trace());
      for (const std::uint64_t seed : test::property_seeds(kSeeds)) {
        for (FeatureMap feature : {FeatureMap::kElu1, FeatureMap::kExp, FeatureMap::kFavor}) {
          for (double scale : {0.5, 4.0}) {
            SCOPED_TRACE(::testing::Message() << "n=" << n << " d=" << d << " seed=" << seed << " "
                                              << feature_map_name(feature) << " s=" << scale);
            LinearSpec spec;
            spec.feature = feature;
            spec.features = 16;
            spec.seed = static_cast<std::uint64_t>(seed);
            const InputMatrices in = inputs_of(n, d, static_cast<std::uint64_t>(seed));
            const MatrixXd a = linear_attention(in.q, in.k, scale, mask_of(PatternKind::kForward, n), spec);
            EXPECT_TRUE(is_lower_triangular(a));
            EXPECT_GT(a.diagonal().minCoeff(), 0.0);
            EXPECT_TRUE(is_structurally_full_rank(a));
            EXPECT_EQ(log_abs_det(a).sign, 1);
          }
        }
      }
    }
  }
}

// C10: every forward head lower and every backward head upper triangular with a positive diagonal; the
// two-layer product A_bwd A_fwd entrywise > 0.
TEST(ClaimBacking, C10MixtureHeadsTriangularAndProductPositive) {
  for (int n : {2, 17, 48}) {
    for (int heads : {2, 4}) {
      SCOPED_TRACE(test::seed_trace());
      for (const std::uint64_t seed : test::property_seeds(6)) {
        SCOPED_TRACE(::testing::Message() << "n=" << n << " H=" << heads << " seed=" << seed);
        MixtureConfig config;
        config.n = n;
        config.d_model = 4 * heads;
        config.heads = heads;
        config.seed = static_cast<std::uint64_t>(seed);
        config.want_matrices = true;
        const MixtureResult r = run_mixture(config);
        for (const MixtureHead& head : r.per_head) {
          const MatrixXd& a = r.head_matrices[static_cast<std::size_t>(head.head)];
          EXPECT_TRUE(head.is_forward ? is_lower_triangular(a) : is_upper_triangular(a));
          EXPECT_GT(a.diagonal().minCoeff(), 0.0);
          EXPECT_TRUE(head.stats.structurally_full_rank);
        }
        EXPECT_GT(r.product_matrix.minCoeff(), 0.0);
        EXPECT_TRUE(r.product_is_strictly_positive);
      }
    }
  }
}

// C16: without positional encoding a bidirectional layer is permutation-equivariant (f(P X) = P f(X) to
// rounding); a causal layer is not.
TEST(ClaimBacking, C16BidirectionalEquivariantCausalNot) {
  for (int n : {4, 16, 48}) {
    for (int d_model : {2, 8}) {
      SCOPED_TRACE(test::seed_trace());
      for (const std::uint64_t seed : test::property_seeds(kSeeds)) {
        SCOPED_TRACE(::testing::Message() << "n=" << n << " d_model=" << d_model << " seed=" << seed);
        PermutationConfig config;
        config.n = n;
        config.d_model = d_model;
        config.seed = static_cast<std::uint64_t>(seed);
        config.mask.kind = PatternKind::kBidirectional;
        const PermutationResult bidirectional = run_permutation_test(config);
        EXPECT_TRUE(bidirectional.is_equivariant);
        EXPECT_LE(bidirectional.relative_deviation, kEquivarianceTolerance);
        config.mask.kind = PatternKind::kForward;
        const PermutationResult causal = run_permutation_test(config);
        EXPECT_FALSE(causal.is_equivariant);
        EXPECT_GT(causal.relative_deviation, 1e-6);
      }
    }
  }
}

// C17 (algebra): for a triangular matrix, det > 0 exactly when every diagonal entry is > 0; a zero entry
// gives det = 0 and a negative one flips the sign; the LU determinant agrees for small n.
TEST(ClaimBacking, C17DeterminantPositiveIffPositiveDiagonal) {
  test::Lcg lcg(17);
  for (int n : {1, 3, 6, 20}) {
    for (int trial = 0; trial < 20; ++trial) {
      SCOPED_TRACE(::testing::Message() << "n=" << n << " trial=" << trial);
      MatrixXd a = MatrixXd::Zero(n, n);
      for (int i = 0; i < n; ++i) {
        for (int j = 0; j < i; ++j) a(i, j) = lcg.next();
        a(i, i) = 0.1 + std::abs(lcg.next());
      }
      EXPECT_TRUE(is_structurally_full_rank(a));
      EXPECT_EQ(log_abs_det(a).sign, 1);
      const int broken = trial % n;
      MatrixXd zero_diagonal = a;
      zero_diagonal(broken, broken) = 0.0;
      EXPECT_FALSE(is_structurally_full_rank(zero_diagonal));
      EXPECT_EQ(log_abs_det(zero_diagonal).sign, 0);
      MatrixXd negative_diagonal = a;
      negative_diagonal(broken, broken) = -negative_diagonal(broken, broken);
      EXPECT_FALSE(is_structurally_full_rank(negative_diagonal));
      EXPECT_EQ(log_abs_det(negative_diagonal).sign, -1);
      if (n <= 6) {
        EXPECT_GT(Eigen::MatrixXd(a).partialPivLu().determinant(), 0.0);
        EXPECT_LT(Eigen::MatrixXd(negative_diagonal).partialPivLu().determinant(), 0.0);
      }
    }
  }
}

}  // namespace
}  // namespace attnrank
