// The determinant from the SVD's own reduction (singular_values_and_determinant, spectrum.h;
// docs/determinant.md) against two references on the same stored matrix: a partial-pivoting LU in long
// double (the oracle: 11 more bits than double natively, 60 more in wasm) and the double LU it replaces
// in compute_rank_stats (log_abs_det, Eigen PartialPivLU, numpy's slogdet method). Matrices: random,
// graded, ill-conditioned with a known spectrum, near-singular either side of the accuracy floor,
// exactly singular, permutations, negative determinants, 1 x 1 and 2 x 2 by hand, powers of two up to
// 2^+-900. All from the LCG, so the same natively and in wasm.
//
// Tolerance. Both methods are backward stable: the computed det is det(A + E) with ||E||_2 <= c n eps
// ||A||_2 (the reduction's E is measured at (4 rows + 8) eps max|A| entrywise, test_bidiagonalization).
// Then |log|det(A + E)| - log|det A|| = |log det(I + A^-1 E)| <~ ||A^-1 E||_* <= ||E||_2 sum_i 1/s_i, so
//   tolerance = 8 n eps s_1 sum_i 1/s_i    (>= 8 n^2 eps, which also covers the n-term sum of logs),
// the condition-weighted bound of the brief with c = 8 (measured ratios: the table in
// docs/determinant.md, at most ~0.1 of this). The sign can change only if some A + E is singular, i.e.
// s_n <= c n eps s_1: it must agree whenever s_n > 8 n eps s_1 (8 accuracy floors).
#include <gtest/gtest.h>

#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

#include "attention/attention.h"
#include "attnrank/stats/rank_stats.h"
#include "linalg/bidiagonalization.h"
#include "linalg/spectrum.h"
#include "test_support.h"

namespace attnrank {
namespace {

constexpr double kEps64 = 0x1p-52;
constexpr double kLog2 = 0.693147180559945309417232121458176568;

using test::Lcg;

// log|det| and sign of the stored double matrix by a partial-pivoting LU in long double.
LogDet long_double_log_abs_det(const MatrixXd& a) {
  using LongMatrix = Eigen::Matrix<long double, Eigen::Dynamic, Eigen::Dynamic>;
  const Eigen::PartialPivLU<LongMatrix> lu{LongMatrix(a.cast<long double>())};
  LogDet result;
  result.sign = static_cast<int>(lu.permutationP().determinant());
  long double sum = 0.0L;
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    const long double pivot = lu.matrixLU()(i, i);
    if (pivot == 0.0L) return LogDet{};
    if (pivot < 0.0L) result.sign = -result.sign;
    sum += std::log(std::fabs(pivot));
  }
  result.log_abs = static_cast<double>(sum);
  return result;
}

// 8 n eps s_1 sum 1/s_i from the computed spectrum (accurate to ~n eps s_1 absolute, ample for a bound);
// infinite when some s_i is 0.
double tolerance_of(const VectorXd& s) {
  const double n = static_cast<double>(s.size());
  double sum = 0.0;
  for (Eigen::Index i = 0; i < s.size(); ++i) sum += 1.0 / s(i);
  return 8.0 * n * kEps64 * s(0) * sum;
}

bool far_from_singular(const VectorXd& s) {
  return s(s.size() - 1) > 8.0 * static_cast<double>(s.size()) * kEps64 * s(0);
}

// Largest |error| / tolerance over the calls (reported, not asserted: the assertions are per matrix).
double g_worst_ratio = 0.0;
double g_worst_lu_ratio = 0.0;

// The reduction's determinant and the double LU's against the long double LU: log|det| within the
// tolerance, the sign equal when far from singular; the spectrum is singular_values(a), bit for bit.
void expect_determinant_matches(const MatrixXd& a, const std::string& label) {
  SCOPED_TRACE(label);
  const SpectrumAndDeterminant reduced = singular_values_and_determinant(a);
  EXPECT_EQ(reduced.singular_values, singular_values(a));
  const LogDet reference = long_double_log_abs_det(a);
  const LogDet lu = log_abs_det(a);
  const VectorXd& s = reduced.singular_values;
  ASSERT_TRUE(far_from_singular(s)) << "the case must be resolved: s_n = " << s(s.size() - 1);
  ASSERT_NE(reference.sign, 0);
  const double tolerance = tolerance_of(s);
  EXPECT_EQ(reduced.log_det.sign, reference.sign);
  EXPECT_EQ(lu.sign, reference.sign);
  EXPECT_NEAR(reduced.log_det.log_abs, reference.log_abs, tolerance);
  EXPECT_NEAR(lu.log_abs, reference.log_abs, tolerance);
  g_worst_ratio = std::max(g_worst_ratio, std::fabs(reduced.log_det.log_abs - reference.log_abs) / tolerance);
  g_worst_lu_ratio = std::max(g_worst_lu_ratio, std::fabs(lu.log_abs - reference.log_abs) / tolerance);
}

MatrixXd random_matrix(int n, std::uint64_t seed) { return MatrixXd(Lcg(seed).matrix(n, n)); }

// U diag(sigma) V^T rounded to double, U and V products of n reflections (test_support.h); its reference
// is the long double LU of the rounded matrix.
MatrixXd with_spectrum(const std::vector<double>& sigma, std::uint64_t seed) {
  return test::with_spectrum(sigma, seed, static_cast<int>(sigma.size()));
}

// sigma_i = 10^(-decades i / (n - 1)), i = 0 .. n - 1.
std::vector<double> geometric(int n, double decades) {
  std::vector<double> sigma(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) sigma[static_cast<std::size_t>(i)] = std::pow(10.0, -decades * i / std::max(1, n - 1));
  return sigma;
}

TEST(Determinant, RandomMatricesAcrossPanelBoundaries) {
  // Sizes either side of one and two panels of the reduction (kBidiagonalBlock), and of 32 and 64.
  constexpr int b = kBidiagonalBlock;
  for (int n : {1, 2, 3, 5, b - 1, b, b + 1, 2 * b - 1, 2 * b, 2 * b + 1, 31, 32, 33, 64, 65, 100, 200}) {
    expect_determinant_matches(random_matrix(n, 7000 + static_cast<std::uint64_t>(n)), "random n=" + std::to_string(n));
  }
}

TEST(Determinant, SoftmaxAttentionOfTheDensePatterns) {
  // The matrices a request reduces: masked softmax of seeded Q K^T / sqrt(d), scales 1 and 4, n = 96,
  // d = 16. Bidirectional and window are resolved: value and sign against the references. Prefix (p = n / 2)
  // is not (its causal rows' tail values fall below the floor): unreliable, as with the LU before.
  const int n = 96;
  const InputMatrices x = test::inputs_of(n, 16, 7900);
  const MatrixXd logits = unscaled_logits(x.q, x.k);
  for (double scale : {1.0, 4.0}) {
    const std::string at = " scale " + std::to_string(scale);
    auto attention = [&](PatternKind kind) {
      return masked_softmax(logits, scale, build_mask(test::fixed_mask_spec(kind, n), n));
    };
    expect_determinant_matches(attention(PatternKind::kBidirectional), "bidirectional" + at);
    expect_determinant_matches(attention(PatternKind::kWindow), "window" + at);
    const RankStats prefix = compute_rank_stats(attention(PatternKind::kPrefix));
    EXPECT_TRUE(prefix.sigma_min_is_upper_bound) << "prefix" << at;
    EXPECT_FALSE(prefix.log_abs_det_is_reliable) << "prefix" << at;
  }
}

TEST(Determinant, NegatingOneRowFlipsTheSignAndKeepsTheValue) {
  for (int n : {2, 7, 33, 120}) {
    const MatrixXd a = random_matrix(n, 7100 + static_cast<std::uint64_t>(n));
    MatrixXd flipped = a;
    flipped.row(n / 2) *= -1.0;
    expect_determinant_matches(flipped, "flipped n=" + std::to_string(n));
    const LogDet before = singular_values_and_determinant(a).log_det;
    const LogDet after = singular_values_and_determinant(flipped).log_det;
    EXPECT_EQ(after.sign, -before.sign);
    EXPECT_NEAR(after.log_abs, before.log_abs, 2.0 * tolerance_of(singular_values(a)));
  }
}

TEST(Determinant, GradedRowsAndColumns) {
  // D_r G D_c with D = diag(2^(-12 i / n)) on either or both sides: entries from 1 down to 2^-24. (Much
  // steeper grading leaves s_n below the floor: then neither method's value is reliable, and the stats
  // say so; the LU can stay accurate on row-graded matrices, the normwise reduction cannot.)
  for (int n : {10, 40, 90}) {
    const MatrixXd g = random_matrix(n, 7200 + static_cast<std::uint64_t>(n));
    VectorXd grade(n);
    for (int i = 0; i < n; ++i) grade(i) = std::exp2(-12.0 * i / n);
    expect_determinant_matches(grade.asDiagonal() * g, "row-graded n=" + std::to_string(n));
    expect_determinant_matches(g * grade.asDiagonal(), "column-graded n=" + std::to_string(n));
    expect_determinant_matches(MatrixXd(grade.asDiagonal() * g * grade.asDiagonal()), "both n=" + std::to_string(n));
  }
}

TEST(Determinant, IllConditionedKnownSpectra) {
  // kappa from 1e4 to 1e12, s_n still far above 8 floors (8 n eps ~ 1.8e-13 at n = 100).
  for (double decades : {4.0, 8.0, 12.0}) {
    for (int n : {20, 100}) {
      const std::vector<double> sigma = geometric(n, decades);
      const MatrixXd a = with_spectrum(sigma, 7300 + static_cast<std::uint64_t>(n));
      expect_determinant_matches(a, "kappa=1e" + std::to_string(static_cast<int>(decades)) + " n=" + std::to_string(n));
      // The spectrum's own sum of logs agrees too (|det| = prod s_i): the tolerance holds for the known
      // sigma, whose product the rounding of U diag(sigma) V^T moves by at most the same bound.
      double sum_log_sigma = 0.0;
      for (double value : sigma) sum_log_sigma += std::log(value);
      EXPECT_NEAR(singular_values_and_determinant(a).log_det.log_abs, sum_log_sigma, 2.0 * tolerance_of(singular_values(a)));
    }
  }
}

TEST(Determinant, NearSingularEitherSideOfTheFloor) {
  const int n = 60;
  const double floor = accuracy_floor(1.0, n, Precision::F64);
  // s_n = 1e3 floors: resolved, reliable, value and sign checked against the references.
  std::vector<double> sigma = geometric(n, 6.0);
  sigma.back() = 1e3 * floor;
  const MatrixXd resolved = with_spectrum(sigma, 7400);
  expect_determinant_matches(resolved, "s_n = 1e3 floors");
  const RankStats resolved_stats = compute_rank_stats(resolved);
  EXPECT_TRUE(resolved_stats.log_abs_det_is_reliable);
  EXPECT_EQ(resolved_stats.log_det.sign, long_double_log_abs_det(resolved).sign);
  // s_n = 1e-3 floors: unresolved; compute_rank_stats says so, and the value is what B holds (finite).
  sigma.back() = 1e-3 * floor;
  const MatrixXd unresolved = with_spectrum(sigma, 7400);
  const RankStats stats = compute_rank_stats(unresolved);
  EXPECT_TRUE(stats.condition_is_lower_bound);
  EXPECT_FALSE(stats.log_abs_det_is_reliable);
  EXPECT_TRUE(stats.log_det.sign == 0 || std::isfinite(stats.log_det.log_abs));
}

// An exactly singular matrix (by construction: each case below has two dependent rows or columns in exact
// arithmetic on its stored entries): the computed B is that of a nearby matrix, so its diagonal holds an exact
// zero only where the reduction makes one (a zero leading column: the first reflector is the identity and
// d_0 = 0). Otherwise B_nn is rounding noise: compute_rank_stats flags the determinant unreliable, and
// |det| is at most what the other values and one noise value of a few floors allow.
void expect_exactly_singular(const MatrixXd& a, const std::string& label) {
  SCOPED_TRACE(label);
  const RankStats stats = compute_rank_stats(a);
  EXPECT_TRUE(stats.sigma_min_is_upper_bound);
  EXPECT_FALSE(stats.log_abs_det_is_reliable);
  EXPECT_EQ(stats.log_det.sign, singular_values_and_determinant(a).log_det.sign);
  if (stats.log_det.sign != 0) {
    // |det B| = prod s_i(A + E) <= prod (s_i(A) + ||E||) (Weyl), with the computed s_i within 8 floors of
    // s_i(A) and ||E|| within 8 floors: each factor at most computed s_i + 16 floors, and at least one true
    // s_i(A) is 0, so the computed product cannot exceed this by more than rounding.
    const VectorXd& s = stats.singular_values;
    double bound = 0.0;
    for (Eigen::Index i = 0; i < s.size(); ++i) bound += std::log(s(i) + 16.0 * stats.accuracy_floor);
    EXPECT_LE(stats.log_det.log_abs, bound);
  }
}

TEST(Determinant, ExactlySingularMatrices) {
  const int n = 40;
  MatrixXd zero_first_column = random_matrix(n, 7500);
  zero_first_column.col(0).setZero();
  expect_exactly_singular(zero_first_column, "zero first column");
  EXPECT_EQ(singular_values_and_determinant(zero_first_column).log_det.sign, 0);  // d_0 = 0 exactly

  MatrixXd zero_row = random_matrix(n, 7501);
  zero_row.row(17).setZero();
  expect_exactly_singular(zero_row, "zero row 17");
  MatrixXd zero_column = random_matrix(n, 7502);
  zero_column.col(23).setZero();
  expect_exactly_singular(zero_column, "zero column 23");
  MatrixXd repeated_row = random_matrix(n, 7503);
  repeated_row.row(30) = repeated_row.row(4);
  expect_exactly_singular(repeated_row, "repeated row");
  // Rank 2 with small integers: every product and sum exact.
  MatrixXd rank_two(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) rank_two(i, j) = (i % 5 - 2) * (j % 3 + 1) + (i % 4) * (j % 7 - 3);
  expect_exactly_singular(rank_two, "rank 2");
  expect_exactly_singular(MatrixXd::Constant(64, 64, 1.0 / 64), "all entries 1/64");
  // The zero matrix: no reduction at all, sign 0.
  EXPECT_EQ(singular_values_and_determinant(MatrixXd::Zero(5, 5)).log_det.sign, 0);
}

// Sign of a permutation by its cycles: (-1)^(n - number of cycles).
int permutation_sign(const std::vector<int>& p) {
  std::vector<bool> seen(p.size(), false);
  int cycles = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (seen[i]) continue;
    ++cycles;
    for (std::size_t j = i; !seen[j]; j = static_cast<std::size_t>(p[j])) seen[j] = true;
  }
  return (static_cast<int>(p.size()) - cycles) % 2 == 0 ? 1 : -1;
}

TEST(Determinant, PermutationMatricesHaveTheirParity) {
  Lcg lcg(7600);
  int signs_seen[2] = {0, 0};
  for (int n : {2, 3, 4, 9, 33, 70}) {
    for (int trial = 0; trial < 4; ++trial) {
      std::vector<int> p(static_cast<std::size_t>(n));
      std::iota(p.begin(), p.end(), 0);
      for (int i = n - 1; i > 0; --i) {  // Fisher-Yates from the LCG
        const int j = std::min(i, static_cast<int>(lcg.uniform01() * (i + 1)));
        std::swap(p[static_cast<std::size_t>(i)], p[static_cast<std::size_t>(j)]);
      }
      MatrixXd a = MatrixXd::Zero(n, n);
      for (int i = 0; i < n; ++i) a(i, p[static_cast<std::size_t>(i)]) = 1.0;
      const int expected = permutation_sign(p);
      ++signs_seen[expected > 0 ? 1 : 0];
      const LogDet det = singular_values_and_determinant(a).log_det;
      EXPECT_EQ(det.sign, expected) << "n=" << n << " trial " << trial;
      EXPECT_NEAR(det.log_abs, 0.0, 8.0 * n * n * kEps64) << "n=" << n << " trial " << trial;
    }
  }
  EXPECT_GT(signs_seen[0], 0);  // both parities occurred
  EXPECT_GT(signs_seen[1], 0);
}

TEST(Determinant, OneByOneAndTwoByTwoByHand) {
  struct Case {
    MatrixXd a;
    int sign;
    double log_abs;
  };
  const std::vector<Case> cases = {
      {MatrixXd::Constant(1, 1, 3.0), 1, std::log(3.0)},
      {MatrixXd::Constant(1, 1, -0.5), -1, std::log(0.5)},
      {MatrixXd::Constant(1, 1, 0x1p-1070), 1, -1070.0 * kLog2},  // subnormal entry
      {(MatrixXd(2, 2) << 2, 1, 1, 3).finished(), 1, std::log(5.0)},
      {(MatrixXd(2, 2) << 1, 2, 3, 4).finished(), -1, std::log(2.0)},
      {(MatrixXd(2, 2) << 0, 1, 1, 0).finished(), -1, 0.0},
      {(MatrixXd(2, 2) << 0, 1e300, 1e300, 0).finished(), -1, 600.0 * std::log(10.0)},  // no product formed
      {(MatrixXd(2, 2) << 1e300, 1e300, -1e300, 1e300).finished(), 1, std::log(2.0) + 600.0 * std::log(10.0)},
  };
  for (const Case& c : cases) {
    const LogDet det = singular_values_and_determinant(c.a).log_det;
    EXPECT_EQ(det.sign, c.sign) << c.a;
    EXPECT_NEAR(det.log_abs, c.log_abs, 16.0 * kEps64 * std::max(1.0, std::fabs(c.log_abs))) << c.a;
  }
  // Exactly zero: the first column zero gives d_0 = 0; 1 x 1 zero.
  EXPECT_EQ(singular_values_and_determinant(MatrixXd::Zero(1, 1)).log_det.sign, 0);
  EXPECT_EQ(singular_values_and_determinant((MatrixXd(2, 2) << 0, 1, 0, 2).finished()).log_det.sign, 0);
}

TEST(Determinant, PowersOfTwoShiftTheLogExactly) {
  // 2^k A reduces to the same B bits (spectrum.cpp scales by powers of two), so log|det(2^k A)| -
  // log|det A| = n k log 2 up to the rounding of the final sum: the exponent bookkeeping, where a
  // product of the d_i would overflow (k = 900: |det| ~ 2^(900 n)) or underflow (k = -900).
  const int n = 50;
  const MatrixXd a = random_matrix(n, 7700);
  const LogDet base = singular_values_and_determinant(a).log_det;
  for (int k : {-900, -7, 1, 9, 900}) {
    const LogDet scaled = singular_values_and_determinant(MatrixXd(a * std::ldexp(1.0, k))).log_det;
    const double expected = base.log_abs + n * k * kLog2;
    EXPECT_EQ(scaled.sign, base.sign) << "k=" << k;
    EXPECT_NEAR(scaled.log_abs, expected, 4.0 * kEps64 * std::fabs(expected)) << "k=" << k;
  }
}

TEST(Determinant, ComputeRankStatsTakesItFromTheReductionAndKeepsTheRest) {
  // Non-triangular f64: the stats hold singular_values_and_determinant's result, bit for bit.
  const MatrixXd a = random_matrix(45, 7800);
  const RankStats stats = compute_rank_stats(a);
  const SpectrumAndDeterminant reduced = singular_values_and_determinant(a);
  EXPECT_EQ(stats.singular_values, reduced.singular_values);
  EXPECT_EQ(stats.log_det.sign, reduced.log_det.sign);
  EXPECT_EQ(stats.log_det.log_abs, reduced.log_det.log_abs);
  EXPECT_TRUE(stats.log_abs_det_is_reliable);
  // Triangular: the exact sum of logs of A's diagonal, in index order (not the reduction's value).
  MatrixXd lower = a.triangularView<Eigen::Lower>();
  double sum = 0.0;
  int sign = 1;
  for (int i = 0; i < 45; ++i) {
    sum += std::log(std::fabs(lower(i, i)));
    if (lower(i, i) < 0) sign = -sign;
  }
  const RankStats triangular = compute_rank_stats(lower);
  EXPECT_EQ(triangular.log_det.log_abs, sum);
  EXPECT_EQ(triangular.log_det.sign, sign);
  EXPECT_TRUE(triangular.log_abs_det_is_reliable);
  // f32: the determinant stays the LU's, in double, of the widened matrix.
  const MatrixXf a32 = a.cast<float>();
  const RankStats f32 = compute_rank_stats(a32);
  const LogDet lu = log_abs_det(MatrixXd(a32.cast<double>()));
  EXPECT_EQ(f32.log_det.sign, lu.sign);
  EXPECT_EQ(f32.log_det.log_abs, lu.log_abs);
}

TEST(Determinant, RejectsNonSquare) {
  test::expect_error([] { singular_values_and_determinant(MatrixXd::Ones(3, 4)); }, ErrorCode::kInvalidArgument,
                     "a: the determinant needs a square matrix, got 3 x 4", "a");
}

TEST(Determinant, WorstRatiosSoFar) {
  // Printed for docs/determinant.md (gtest runs the tests above first, in file order).
  std::printf("[determinant] worst |error| / tolerance: reduction %.3g, double LU %.3g\n", g_worst_ratio,
              g_worst_lu_ratio);
  EXPECT_LT(g_worst_ratio, 1.0);
}

}  // namespace
}  // namespace attnrank
