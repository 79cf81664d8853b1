// Tests of rank_stats on the essay's matrices: the analytic equal-logit matrices (causal: A_ij = 1/(i+1),
// det = 1/n!, inverse bidiagonal, infinity-norm condition 2n - 1; bidirectional: all 1/n, rank 1) and
// logits_rank (the rank of S = s Q K^T / sqrt(d), at most d) against a direct SVD of S. The statistics
// on designed spectra, bounds, determinants and the rank-deficient path: test_rank_stats.cpp. All test
// matrices are built here, random ones from the shared LCG (test_support.h).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "attnrank/base/errors.h"
#include "attnrank/stats/rank_stats.h"
#include "linalg/spectrum.h"
#include "test_support.h"

namespace attnrank {
namespace {

constexpr double kEps64 = 0x1p-52;

// Equal logits under the causal mask: row i spreads 1 over keys 0..i. A is (n, n), lower triangular.
MatrixXd equal_logit_causal(int n) {
  MatrixXd a = MatrixXd::Zero(n, n);
  for (int i = 0; i < n; ++i) a.row(i).head(i + 1).setConstant(1.0 / (i + 1));
  return a;
}

using test::expect_error;
using test::Lcg;  // normal() and matrix(): N(0, 1) test data from the shared generator

// ---- the essay's analytic matrices ----

TEST(EqualLogitCausal, LogDetIsMinusLogFactorialWhereTheProductUnderflows) {
  const int n = 200;  // 1/200! ~ 1e-375: the product would be 0 in double
  const MatrixXd a = equal_logit_causal(n);
  const LogDet det = log_abs_det(a);
  EXPECT_EQ(det.sign, 1);
  const double expected = -std::lgamma(n + 1.0);
  EXPECT_NEAR(det.log_abs, expected, 1e-10 * std::fabs(expected));
  EXPECT_TRUE(is_lower_triangular(a));
  EXPECT_FALSE(is_upper_triangular(a));
  EXPECT_TRUE(is_structurally_full_rank(a));
}

TEST(EqualLogitCausal, InverseIsBidiagonalAndInfinityConditionIs2nMinus1) {
  const int n = 60;
  const MatrixXd a = equal_logit_causal(n);
  MatrixXd inverse = MatrixXd::Zero(n, n);  // (A^-1)_ii = i + 1, (A^-1)_{i,i-1} = -i
  for (int i = 0; i < n; ++i) {
    inverse(i, i) = i + 1;
    if (i > 0) inverse(i, i - 1) = -i;
  }
  EXPECT_LT((a * inverse - MatrixXd::Identity(n, n)).cwiseAbs().maxCoeff(), 4 * kEps64);
  const double norm_a = a.cwiseAbs().rowwise().sum().maxCoeff();
  const double norm_inverse = inverse.cwiseAbs().rowwise().sum().maxCoeff();
  EXPECT_NEAR(norm_a * norm_inverse, 2.0 * n - 1.0, 1e-12 * n);
  // kappa_2 and kappa_inf agree within a factor n: (2n-1)/n <= kappa_2 <= n (2n-1). Resolved, full rank.
  const RankStats stats = compute_rank_stats(a);
  EXPECT_FALSE(stats.condition_is_lower_bound);
  EXPECT_GE(stats.condition_number, (2.0 * n - 1.0) / n);
  EXPECT_LE(stats.condition_number, n * (2.0 * n - 1.0));
  EXPECT_EQ(stats.numerical_rank_f64, n);
  EXPECT_TRUE(stats.structurally_full_rank);
  EXPECT_EQ(stats.log_det.sign, 1);
}

TEST(EqualLogitCausal, FloatMatrixKeepsDeterminantInDouble) {
  const int n = 50;
  const MatrixXf a = equal_logit_causal(n).cast<float>();
  const RankStats stats = compute_rank_stats(a);
  const double expected = -std::lgamma(n + 1.0);
  EXPECT_EQ(stats.log_det.sign, 1);
  EXPECT_NEAR(stats.log_det.log_abs, expected, 1e-6 * std::fabs(expected));  // float entries, double sum
  EXPECT_EQ(stats.numerical_rank_f32, n);  // kappa_2 <= n (2n-1) = 4950 << 1 / (n eps32)
  EXPECT_TRUE(stats.structurally_full_rank);
}

TEST(EqualLogitBidirectional, RankOneEverywhere) {
  const int n = 64;
  const MatrixXd a = MatrixXd::Constant(n, n, 1.0 / n);
  const RankStats stats = compute_rank_stats(a);
  EXPECT_EQ(stats.n, n);
  EXPECT_EQ(stats.numerical_rank_f64, 1);
  EXPECT_EQ(stats.numerical_rank_f32, 1);
  // The other 63 values are unresolved rounding noise (a few eps each, not exact zeros); in the entropy
  // each adds ~ -eps log eps ~ 1e-14, so the effective rank is 1 to ~1e-12, not exactly.
  EXPECT_NEAR(stats.effective_rank, 1.0, 1e-11);
  EXPECT_NEAR(stats.stable_rank, 1.0, 1e-12);
  EXPECT_EQ(stats.energy_rank_99, 1);
  EXPECT_NEAR(stats.sigma_max, 1.0, 1e-14);
  // s_n is below the floor: the condition number is the finite bound s_1 / floor, flagged.
  EXPECT_TRUE(stats.condition_is_lower_bound);
  EXPECT_EQ(stats.condition_number, stats.sigma_max / accuracy_floor(stats.sigma_max, n, Precision::F64));
  EXPECT_TRUE(std::isfinite(stats.condition_number));
  // det A = 0. The request takes its determinant from the SVD's bidiagonal B, whose trailing diagonal is
  // rounding noise here, so it says the value is not resolved (whatever its sign); the LU, no longer run
  // by the request, happens to find the exact zero (second pivot 1/n - 1 * 1/n).
  EXPECT_FALSE(stats.log_abs_det_is_reliable);
  EXPECT_EQ(log_abs_det(a).sign, 0);
  EXPECT_FALSE(stats.structurally_full_rank);
}

// ---- logits rank ----

// Numerical rank of S = s Q K^T / sqrt(d) from a direct SVD (the oracle for the QR route).
int direct_logits_rank(const MatrixXd& q, const MatrixXd& k, double scale) {
  const MatrixXd s = (scale / std::sqrt(static_cast<double>(q.cols()))) * q * k.transpose();
  return numerical_rank(singular_values(s), static_cast<int>(s.rows()), kEps64);
}

TEST(LogitsRank, GenericIsMinOfNAndD) {
  Lcg lcg(2024);
  const MatrixXd q = lcg.matrix(64, 8), k = lcg.matrix(64, 8);
  EXPECT_EQ(logits_rank(q, k, 1.0), 8);
  EXPECT_EQ(direct_logits_rank(q, k, 1.0), 8);
  EXPECT_EQ(logits_rank(q, k, 1e-150), 8);  // tolerance is relative to s_1
  const MatrixXd q_wide = lcg.matrix(20, 32), k_wide = lcg.matrix(20, 32);  // d >= n: direct route
  EXPECT_EQ(logits_rank(q_wide, k_wide, 4.0), 20);
}

TEST(LogitsRank, MatchesDirectSvdOnRankDeficientInputs) {
  Lcg lcg(7);
  const MatrixXd base = lcg.matrix(3, 16);
  MatrixXd q(48, 16);  // token i repeats token i mod 3: rank(Q) = 3 < d = 16
  for (int i = 0; i < 48; ++i) q.row(i) = base.row(i % 3);
  const MatrixXd k = lcg.matrix(48, 16);
  EXPECT_EQ(direct_logits_rank(q, k, 1.0), 3);
  EXPECT_EQ(logits_rank(q, k, 1.0), 3);
  SCOPED_TRACE(test::seed_trace());
  for (const std::uint64_t seed : test::property_seeds(5, 1)) {
    Lcg g(seed);
    const MatrixXd qq = g.matrix(40, 12), kk = g.matrix(40, 12);
    EXPECT_EQ(logits_rank(qq, kk, 2.0), direct_logits_rank(qq, kk, 2.0)) << "seed=" << seed;
    EXPECT_LE(logits_rank(qq, kk, 2.0), 12);
  }
}

TEST(LogitsRank, ToleranceUsesTheSizeOfSNotD) {
  // S = Q K^T / 2 (n = 64, d = 4) is diagonal with singular values 1, 1, 1, 16 eps: above d eps s_1 but
  // below the numpy tolerance n eps s_1 = 64 eps, so the numerical rank is 3.
  const int n = 64, d = 4;
  MatrixXd q = MatrixXd::Zero(n, d), k = MatrixXd::Zero(n, d);
  for (int i = 0; i < d; ++i) {
    q(i, i) = i < 3 ? 2.0 : 32.0 * kEps64;
    k(i, i) = 1.0;
  }
  EXPECT_EQ(direct_logits_rank(q, k, 1.0), 3);
  EXPECT_EQ(logits_rank(q, k, 1.0), 3);
}

TEST(LogitsRank, ZeroScaleGivesZeroAndBadInputsAreNamed) {
  Lcg lcg(5);
  const MatrixXd q = lcg.matrix(10, 4), k = lcg.matrix(10, 4);
  EXPECT_EQ(logits_rank(q, k, 0.0), 0);
  expect_error([&] { logits_rank(q, lcg.matrix(10, 3), 1.0); }, ErrorCode::kInvalidArgument,
               "q and k must be non-empty with the same number of columns, got q 10 x 4 and k 10 x 3");
  expect_error([&] { logits_rank(q, k, NAN); }, ErrorCode::kInvalidArgument, "scale=nan must be finite");
}

}  // namespace
}  // namespace attnrank
