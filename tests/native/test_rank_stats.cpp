// Tests of rank_stats: each statistic on designed spectra (including exact-threshold cases), the
// condition-number lower bound and sigma_min's upper bound, log |det| by LU against hand-computed
// determinants, and the rank-deficient variant (spectrum only, det exactly 0) against compute_rank_stats
// of a formed matrix. The essay's equal-logit matrices and logits_rank: test_essay_matrices.cpp. All test
// matrices are built here (no other project code), random ones from the shared LCG (test_support.h).
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

VectorXd spectrum(std::initializer_list<double> values) {
  VectorXd s(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (double v : values) s(i++) = v;
  return s;
}

using test::expect_error;
using test::Lcg;  // normal() and matrix(): N(0, 1) test data from the shared generator

// ---- statistics on designed spectra ----

TEST(NumericalRank, CountsValuesStrictlyAboveTolerance) {
  const double tol = 1.0 * 3 * kEps64;
  EXPECT_EQ(numerical_rank(spectrum({1.0, 1e-10, 1e-17}), 3, kEps64), 2);
  EXPECT_EQ(numerical_rank(spectrum({1.0, 0.5, tol}), 3, kEps64), 2);  // exactly at tol: not counted
  EXPECT_EQ(numerical_rank(spectrum({1.0, 0.5, std::nextafter(tol, 1.0)}), 3, kEps64), 3);
  EXPECT_EQ(numerical_rank(spectrum({0.0, 0.0}), 2, kEps64), 0);
  // The tolerance is relative to s_1: scaling the spectrum changes nothing.
  EXPECT_EQ(numerical_rank(spectrum({1e-200, 1e-210, 1e-230}), 3, kEps64), 2);
}

TEST(EffectiveRank, IdentityDiagonalAndTwoValues) {
  EXPECT_NEAR(effective_rank(VectorXd::Ones(7)), 7.0, 1e-13);
  EXPECT_NEAR(effective_rank(spectrum({1.0, 1.0, 0.0, 0.0})), 2.0, 1e-15);  // p = 0 skipped, no NaN
  // p = (3/4, 1/4): exp(H) = (4/3)^(3/4) 4^(1/4) = 4 / 3^(3/4).
  EXPECT_NEAR(effective_rank(spectrum({3.0, 1.0})), 4.0 / std::pow(3.0, 0.75), 1e-14);
  EXPECT_EQ(effective_rank(spectrum({0.0, 0.0, 0.0})), 0.0);
}

TEST(StableRank, KnownValues) {
  EXPECT_DOUBLE_EQ(stable_rank(spectrum({2.0, 1.0})), 1.25);
  EXPECT_DOUBLE_EQ(stable_rank(VectorXd::Ones(9)), 9.0);
  EXPECT_EQ(stable_rank(spectrum({0.0, 0.0})), 0.0);
  EXPECT_DOUBLE_EQ(stable_rank(spectrum({1e200, 1e200})), 2.0);  // no overflow of s_i^2
}

// The 0.99 of RankStats::energy_rank_99 (pinned, issue 14 item 7): the identity's singular values are
// all 1, so the count is the first k with k >= 0.99 n: 99 of 100, 198 of 200. 0.98 or 0.995 fails.
TEST(EnergyRank, StatsUseNinetyNinePercent) {
  EXPECT_EQ(compute_rank_stats(MatrixXd(MatrixXd::Identity(100, 100))).energy_rank_99, 99);
  EXPECT_EQ(compute_rank_stats(MatrixXd(MatrixXd::Identity(200, 200))).energy_rank_99, 198);
  EXPECT_EQ(compute_rank_stats(MatrixXf(MatrixXf::Identity(200, 200))).energy_rank_99, 198);
}

TEST(EnergyRank, ExactThresholdsAndEdges) {
  EXPECT_EQ(energy_rank(VectorXd::Ones(100), 0.99), 99);  // 99 of 100 is exactly 0.99: reached
  EXPECT_EQ(energy_rank(spectrum({3.0, 1.0}), 0.9), 1);    // 9 >= 0.9 * 10
  EXPECT_EQ(energy_rank(spectrum({3.0, 1.0}), 0.95), 2);
  EXPECT_EQ(energy_rank(spectrum({1.0, 1.0, 0.0, 0.0}), 1.0), 2);
  EXPECT_EQ(energy_rank(VectorXd::Ones(7), 1.0), 7);
  EXPECT_EQ(energy_rank(spectrum({0.0, 0.0}), 0.99), 0);
  EXPECT_EQ(energy_rank(spectrum({10.0, 1.0, 1.0}), 0.99), 2);  // 101/102 = 0.9902 >= 0.99
}

TEST(EnergyRank, RejectsFractionOutOfRange) {
  expect_error([&] { energy_rank(VectorXd::Ones(3), 1.5); }, ErrorCode::kInvalidArgument,
               "fraction=1.5 must be in (0, 1]");
  expect_error([&] { energy_rank(VectorXd::Ones(3), 0.0); }, ErrorCode::kInvalidArgument,
               "fraction=0 must be in (0, 1]");
}

// ---- condition number and whole-matrix edge cases ----

TEST(ConditionNumber, ResolvedValueGivesExactRatio) {
  MatrixXd a = MatrixXd::Zero(2, 2);
  a.diagonal() << 1.0, 1e-3;
  const RankStats stats = compute_rank_stats(a);
  EXPECT_FALSE(stats.condition_is_lower_bound);
  EXPECT_NEAR(stats.condition_number, 1000.0, 1e-9);
}

TEST(ConditionNumber, ValueBelowFloorGivesFlaggedBoundSigmaMaxOverFloor) {
  MatrixXd a = MatrixXd::Zero(2, 2);
  a.diagonal() << 1.0, 1e-20;
  const RankStats stats = compute_rank_stats(a);
  EXPECT_TRUE(stats.condition_is_lower_bound);
  EXPECT_EQ(stats.condition_number, std::ldexp(1.0, 51));  // 1 / (1 * 2 * 2^-52)
  EXPECT_EQ(stats.numerical_rank_f64, 1);
  // s_2 = 1e-20 is below the floor 1 * 2 * 2^-52: sigma_min is reported as that floor, an upper bound;
  // the raw value stays in the spectrum.
  EXPECT_EQ(stats.accuracy_floor, std::ldexp(1.0, -51));
  EXPECT_TRUE(stats.sigma_min_is_upper_bound);
  EXPECT_EQ(stats.sigma_min, stats.accuracy_floor);
  EXPECT_EQ(stats.singular_values(1), 1e-20);
}

TEST(SigmaMin, ResolvedValueIsReportedAsComputed) {
  MatrixXd a = MatrixXd::Zero(3, 3);
  a.diagonal() << 2.0, 0.5, 1e-3;  // floor 2 * 3 * 2^-52 = 1.3e-15 << 1e-3
  const RankStats stats = compute_rank_stats(a);
  EXPECT_EQ(stats.accuracy_floor, 2.0 * 3 * std::ldexp(1.0, -52));
  EXPECT_FALSE(stats.sigma_min_is_upper_bound);
  EXPECT_EQ(stats.sigma_min, stats.singular_values(2));
  EXPECT_NEAR(stats.sigma_min, 1e-3, 1e-15);
  EXPECT_NEAR(stats.condition_number, 2000.0, 1e-9);
}

TEST(SigmaMin, AtTheFloorExactlyIsAnUpperBound) {
  // s_n == floor counts as unresolved, as in numerical_rank's strict s_i > tol.
  const double floor = 1.0 * 2 * std::ldexp(1.0, -52);
  MatrixXd a = MatrixXd::Zero(2, 2);
  a.diagonal() << 1.0, floor;
  const RankStats stats = compute_rank_stats(a);
  EXPECT_EQ(stats.singular_values(1), floor);
  EXPECT_TRUE(stats.sigma_min_is_upper_bound);
  EXPECT_EQ(stats.sigma_min, floor);
  EXPECT_EQ(stats.numerical_rank_f64, 1);
}

TEST(ConditionNumber, FloatMatrixUsesTheFloatFloor) {
  MatrixXf resolved = MatrixXf::Zero(2, 2);
  resolved.diagonal() << 1.0f, 1e-5f;
  EXPECT_FALSE(compute_rank_stats(resolved).condition_is_lower_bound);
  MatrixXf unresolved = MatrixXf::Zero(2, 2);
  unresolved.diagonal() << 1.0f, 1e-8f;  // resolved in double, not in float
  const RankStats stats = compute_rank_stats(unresolved);
  EXPECT_TRUE(stats.condition_is_lower_bound);
  EXPECT_EQ(stats.condition_number, std::ldexp(1.0, 22));  // 1 / (1 * 2 * 2^-23)
  EXPECT_EQ(stats.numerical_rank_f32, 1);
  // A float SVD does not resolve the f64 tolerance: no f64 count (issue 13), though 1e-8 happens to be
  // representable here.
  EXPECT_FALSE(stats.numerical_rank_f64.has_value());
  EXPECT_EQ(stats.precision, Precision::F32);
  EXPECT_EQ(stats.accuracy_floor, std::ldexp(1.0, -22));
  EXPECT_TRUE(stats.sigma_min_is_upper_bound);
  EXPECT_EQ(stats.sigma_min, std::ldexp(1.0, -22));
}

TEST(ConditionNumber, ZeroMatrixIsDefined) {
  const RankStats stats = compute_rank_stats(MatrixXd(MatrixXd::Zero(5, 5)));
  EXPECT_EQ(stats.condition_number, 0.0);  // vacuous lower bound: nothing is resolved
  EXPECT_TRUE(stats.condition_is_lower_bound);
  EXPECT_EQ(stats.numerical_rank_f64, 0);
  EXPECT_EQ(stats.accuracy_floor, 0.0);  // s_1 n eps with s_1 = 0
  EXPECT_TRUE(stats.sigma_min_is_upper_bound);  // 0 <= 0: nothing resolved, and the bound 0 is exact
  EXPECT_EQ(stats.sigma_min, 0.0);
  EXPECT_EQ(stats.effective_rank, 0.0);
  EXPECT_EQ(stats.stable_rank, 0.0);
  EXPECT_EQ(stats.energy_rank_99, 0);
  EXPECT_EQ(stats.log_det.sign, 0);
  EXPECT_FALSE(stats.structurally_full_rank);
}

TEST(RankStats, IdentityIsPerfectlyConditioned) {
  const RankStats stats = compute_rank_stats(MatrixXd(MatrixXd::Identity(6, 6)));
  EXPECT_EQ(stats.numerical_rank_f64, 6);
  EXPECT_NEAR(stats.effective_rank, 6.0, 1e-13);
  EXPECT_NEAR(stats.condition_number, 1.0, 1e-15);
  EXPECT_FALSE(stats.condition_is_lower_bound);
  EXPECT_EQ(stats.log_det.sign, 1);
  EXPECT_EQ(stats.log_det.log_abs, 0.0);
  EXPECT_TRUE(stats.structurally_full_rank);
  EXPECT_EQ(stats.singular_values.size(), 6);
}

TEST(RankStats, RejectsNonSquareAndNonFinite) {
  expect_error([&] { compute_rank_stats(MatrixXd(MatrixXd::Zero(2, 3))); }, ErrorCode::kInvalidArgument,
               "a: matrix must be square and non-empty, got 2 x 3");
  MatrixXd a = MatrixXd::Identity(3, 3);
  a(2, 0) = INFINITY;
  expect_error([&] { compute_rank_stats(a); }, ErrorCode::kInvalidArgument, "a: entry (2, 0) = inf must be finite");
}

// ---- determinant and structure ----

TEST(LogAbsDet, LuOfNonTriangularMatchesHandComputedDeterminant) {
  MatrixXd a(3, 3);
  a << 2, 1, 1,  //
      4, -6, 0,  //
      -2, 7, 2;
  // det = 2 (-12 - 0) - 1 (8 - 0) + 1 (28 - 12) = -16
  const LogDet det = log_abs_det(a);
  EXPECT_EQ(det.sign, -1);
  EXPECT_NEAR(det.log_abs, std::log(16.0), 1e-14);
}

TEST(LogAbsDet, PermutationMatricesHaveTheirSign) {
  MatrixXd swap = MatrixXd::Identity(4, 4);  // one transposition: odd
  swap.row(1).swap(swap.row(3));
  EXPECT_EQ(log_abs_det(swap).sign, -1);
  EXPECT_EQ(log_abs_det(swap).log_abs, 0.0);
  MatrixXd cycle = MatrixXd::Zero(3, 3);  // 3-cycle = two transpositions: even
  cycle(0, 1) = cycle(1, 2) = cycle(2, 0) = 1.0;
  EXPECT_EQ(log_abs_det(cycle).sign, 1);
  EXPECT_NEAR(log_abs_det(cycle).log_abs, 0.0, 1e-15);
}

TEST(LogAbsDet, TriangularSignsAndZeroDiagonal) {
  MatrixXd upper(3, 3);
  upper << -2, 5, 1,  //
      0, 3, 7,        //
      0, 0, -0.5;
  const LogDet det = log_abs_det(upper);
  EXPECT_EQ(det.sign, 1);  // (-2)(3)(-0.5) = 3
  EXPECT_NEAR(det.log_abs, std::log(3.0), 1e-15);
  upper(2, 2) = 0.5;
  EXPECT_EQ(log_abs_det(upper).sign, -1);  // one negative diagonal entry
  upper(1, 1) = 0.0;
  EXPECT_EQ(log_abs_det(upper).sign, 0);
  MatrixXd singular(2, 2);  // non-triangular, exactly singular
  singular << 1, 2, 2, 4;
  EXPECT_EQ(log_abs_det(singular).sign, 0);
}

TEST(Structure, FullRankNeedsTriangularAndPositiveDiagonal) {
  MatrixXd lower(2, 2);
  lower << 1, 0, 5, 2;
  EXPECT_TRUE(is_structurally_full_rank(lower));
  EXPECT_TRUE(is_structurally_full_rank(MatrixXd(lower.transpose())));  // upper works too
  lower(1, 1) = -2;
  EXPECT_FALSE(is_structurally_full_rank(lower));  // det < 0 is not the essay's argument
  lower(1, 1) = 0;
  EXPECT_FALSE(is_structurally_full_rank(lower));
  MatrixXd full(2, 2);
  full << 1, 1, 1, 2;  // invertible but not triangular
  EXPECT_FALSE(is_structurally_full_rank(full));
}

// ---- a matrix of known rank < n: statistics from its spectrum alone ----

TEST(RankDeficientStats, SpectralStatisticsEqualTheDensePathAndDetIsExactlyZero) {
  // A = L R^T (n = 30, r = 4): its dense spectrum, with the n - r unresolved values set to the exact
  // zeros they are, gives the same spectral statistics; det is exactly 0 without an LU.
  const int n = 30, r = 4;
  Lcg lcg(41);
  const MatrixXd a = lcg.matrix(n, r) * lcg.matrix(n, r).transpose();
  const RankStats dense = compute_rank_stats(a);
  VectorXd s = dense.singular_values;
  s.tail(n - r).setZero();
  const RankStats low = compute_rank_stats_of_rank_deficient(s, r, Precision::F64);
  EXPECT_EQ(low.n, n);
  EXPECT_EQ(low.singular_values, s);
  EXPECT_EQ(low.numerical_rank_f64, r);
  EXPECT_EQ(low.numerical_rank_f64, dense.numerical_rank_f64);
  EXPECT_EQ(low.numerical_rank_f32, dense.numerical_rank_f32);
  EXPECT_EQ(low.energy_rank_99, dense.energy_rank_99);
  EXPECT_NEAR(low.effective_rank, dense.effective_rank, 1e-12 * dense.effective_rank);
  EXPECT_NEAR(low.stable_rank, dense.stable_rank, 1e-12 * dense.stable_rank);
  EXPECT_EQ(low.sigma_max, dense.sigma_max);
  // The exact zeros are below the floor too: sigma_min is the floor, flagged (as the dense path's noise).
  EXPECT_EQ(low.singular_values(n - 1), 0.0);
  EXPECT_TRUE(low.sigma_min_is_upper_bound);
  EXPECT_EQ(low.sigma_min, low.accuracy_floor);
  EXPECT_EQ(low.sigma_min, dense.sigma_min);
  EXPECT_TRUE(low.condition_is_lower_bound);
  EXPECT_TRUE(dense.condition_is_lower_bound);
  EXPECT_EQ(low.condition_number, dense.condition_number);  // both s_1 / (s_1 n eps)
  // The dense path can only say its LU determinant is noise; the structure says det = 0 exactly.
  EXPECT_FALSE(dense.log_abs_det_is_reliable);
  EXPECT_EQ(low.log_det.sign, 0);
  EXPECT_EQ(low.log_det.log_abs, 0.0);
  EXPECT_TRUE(low.log_abs_det_is_reliable);
  EXPECT_FALSE(low.structurally_full_rank);
}

TEST(RankDeficientStats, FloatSpectrumUsesTheFloatFloor) {
  // s_2 = 1e-6 s_1 is resolved in double but below the float floor 20 * 2^-23 s_1 = 2.4e-6 s_1.
  const VectorXd s = spectrum({1.0, 1e-6, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                               0.0, 0.0, 0.0, 0.0});
  const RankStats f32 = compute_rank_stats_of_rank_deficient(s, 2, Precision::F32);
  EXPECT_EQ(f32.numerical_rank_f32, 1);
  EXPECT_FALSE(f32.numerical_rank_f64.has_value());
  EXPECT_DOUBLE_EQ(f32.condition_number, 1.0 / (20 * 0x1p-23));
  EXPECT_EQ(f32.log_det.sign, 0);
}

TEST(RankDeficientStats, RejectsSpectraThatDoNotProveDetZero) {
  const ErrorCode bad = ErrorCode::kInvalidArgument;
  expect_error([&] { compute_rank_stats_of_rank_deficient(spectrum({2.0, 1.0, 0.0}), 3, Precision::F64); }, bad,
               "rank_bound=3 must be in [0, n) for a rank-deficient n x n matrix, n=3");
  expect_error([&] { compute_rank_stats_of_rank_deficient(spectrum({2.0, 1.0, 0.0}), -1, Precision::F64); }, bad,
               "rank_bound=-1 must be in [0, n) for a rank-deficient n x n matrix, n=3");
  expect_error([&] { compute_rank_stats_of_rank_deficient(VectorXd(), 0, Precision::F64); }, bad,
               "rank_bound=0 must be in [0, n) for a rank-deficient n x n matrix, n=0");
  expect_error([&] { compute_rank_stats_of_rank_deficient(spectrum({2.0, 1.0, 1e-20}), 2, Precision::F64); }, bad,
               "singular_values: s_3 = 1e-20 must be exactly 0 beyond rank_bound=2");
  expect_error([&] { compute_rank_stats_of_rank_deficient(spectrum({1.0, 2.0, 0.0}), 2, Precision::F64); }, bad,
               "singular_values: s_2 = 2 breaks a finite, non-negative, descending spectrum");
  expect_error([&] { compute_rank_stats_of_rank_deficient(spectrum({NAN, 0.0}), 1, Precision::F64); }, bad,
               "singular_values: s_1 = nan breaks a finite, non-negative, descending spectrum");
  expect_error([&] { compute_rank_stats_of_rank_deficient(spectrum({1.0, -0.5, 0.0}), 2, Precision::F64); }, bad,
               "singular_values: s_2 = -0.5 breaks a finite, non-negative, descending spectrum");
  // The zero matrix is rank 0 < n: defined, with the vacuous condition bound of compute_rank_stats.
  const RankStats zero = compute_rank_stats_of_rank_deficient(VectorXd::Zero(4), 0, Precision::F64);
  EXPECT_EQ(zero.numerical_rank_f64, 0);
  EXPECT_EQ(zero.condition_number, 0.0);
  EXPECT_TRUE(zero.condition_is_lower_bound);
}

}  // namespace
}  // namespace attnrank
