// Tests of logits_rank's route (logits_rank.cpp: thin Householder QRs of Q and K on the fixed-order kernels,
// then the SVD of the d x d core R_Q R_K^T): singular values within a tenth of the rank tolerance max(n, m)
// eps s_1 of a long double reference (and printed beside the Eigen QR route it replaced, thin_qr_triangle),
// and the numerical rank, against a Jacobi SVD of Q K^T formed, at d, below d, either side of the
// tolerance's edge, and at huge and tiny scales of the inputs and of s. The essay's cases and the errors: test_essay_matrices.cpp.
#include <gtest/gtest.h>

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "attnrank/stats/rank_stats.h"
#include "linalg/low_rank_spectrum.h"
#include "linalg/spectrum.h"
#include "reference_svd.h"
#include "stats/logits_rank.h"
#include "test_support.h"

namespace attnrank {
namespace {

constexpr double kEps64 = 0x1p-52;

using test::Lcg;

MatrixXd random_matrix(Lcg& lcg, int rows, int cols) { return lcg.matrix(rows, cols); }

// (n, r) with orthonormal columns (to a few eps): the Q factor of a random matrix.
MatrixXd orthonormal_columns(Lcg& lcg, int n, int r) {
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr{lcg.matrix(n, r)};
  return MatrixXd(qr.householderQ() * Eigen::MatrixXd::Identity(n, r));
}

// Q = U diag(sigma) (n, d), K = V (m, d), U and V with orthonormal columns: Q K^T = U diag(sigma) V^T has the
// singular values sigma (and zeros), each to a few eps.
struct DesignedPair {
  MatrixXd q;
  MatrixXd k;
};
DesignedPair designed_pair(std::uint64_t seed, int n, int m, const std::vector<double>& sigma) {
  Lcg lcg(seed);
  const int d = static_cast<int>(sigma.size());
  DesignedPair pair{orthonormal_columns(lcg, n, d), orthonormal_columns(lcg, m, d)};
  for (int c = 0; c < d; ++c) pair.q.col(c) *= sigma[static_cast<std::size_t>(c)];
  return pair;
}

// Numerical rank of Q K^T by numpy's rule from a Jacobi SVD of the formed product (the oracle).
int jacobi_logits_rank(const MatrixXd& q, const MatrixXd& k) {
  const Eigen::MatrixXd s = q * k.transpose();
  const Eigen::VectorXd values = test::jacobi_singular_values(s);
  return numerical_rank(VectorXd(values), static_cast<int>(std::max(s.rows(), s.cols())), kEps64);
}

// The same reduction in long double (Eigen's HouseholderQR, an independent implementation), the core's values
// by long double Jacobi: accurate to a few eps s_1, far inside the bound below. (A double Jacobi SVD of the
// formed n x n product is not: measured up to 0.8 of the rank tolerance from both QR routes at n = 256.)
VectorXd long_double_reference(const MatrixXd& q, const MatrixXd& k) {
  using LongMatrix = Eigen::Matrix<long double, Eigen::Dynamic, Eigen::Dynamic>;
  const Eigen::Index d = q.cols();
  const auto r_of = [d](const MatrixXd& x) {
    const Eigen::HouseholderQR<LongMatrix> qr{LongMatrix(x.cast<long double>())};
    return LongMatrix(qr.matrixQR().topRows(d).triangularView<Eigen::Upper>());
  };
  const LongMatrix core = r_of(q) * r_of(k).transpose();
  return VectorXd(test::long_double_jacobi_singular_values(Eigen::MatrixXd(core.cast<double>())));
}

TEST(LogitsRankRoute, SingularValuesMatchALongDoubleReferenceAndTheEigenQrRoute) {
  SCOPED_TRACE(test::seed_trace());
  struct Shape {
    int n, m, d;
  };
  double worst_kernels = 0.0, worst_eigen = 0.0;  // max |s_i - reference_i| / tol
  for (const Shape shape : {Shape{256, 256, 64}, Shape{100, 80, 16}, Shape{65, 300, 64}, Shape{40, 40, 1}}) {
    for (const std::uint64_t seed : test::property_seeds(2, 10)) {
      Lcg lcg(seed);
      const MatrixXd q = random_matrix(lcg, shape.n, shape.d);
      const MatrixXd k = random_matrix(lcg, shape.m, shape.d);
      const VectorXd s = logits_singular_values(q, k);
      ASSERT_EQ(s.size(), shape.d);
      const VectorXd reference = long_double_reference(q, k);
      const VectorXd eigen_route =
          singular_values(MatrixXd(thin_qr_triangle(q) * thin_qr_triangle(k).transpose()));
      const double tol = reference(0) * std::max(shape.n, shape.m) * kEps64;  // numpy's rank tolerance
      for (int i = 0; i < shape.d; ++i) {
        EXPECT_LE(std::abs(s(i) - reference(i)), 0.1 * tol) << "n=" << shape.n << " d=" << shape.d << " i=" << i;
        worst_kernels = std::max(worst_kernels, std::abs(s(i) - reference(i)) / tol);
        worst_eigen = std::max(worst_eigen, std::abs(eigen_route(i) - reference(i)) / tol);
      }
      EXPECT_EQ(logits_rank(q, k, 1.0), shape.d);
    }
  }
  std::printf("[ logits   ] max |s_i - long double reference| / rank tolerance: kernels route %.3g, Eigen QR route %.3g\n",
              worst_kernels, worst_eigen);
}

TEST(LogitsRankRoute, RankDAndBelowD) {
  const int n = 200, m = 150, d = 16;
  for (const int rank : {1, 5, 15, 16}) {
    std::vector<double> sigma(d, 0.0);
    for (int c = 0; c < rank; ++c) sigma[static_cast<std::size_t>(c)] = 1.0 + c;  // condition 16 at most
    const DesignedPair pair = designed_pair(static_cast<std::uint64_t>(rank), n, m, sigma);
    EXPECT_EQ(jacobi_logits_rank(pair.q, pair.k), rank);
    EXPECT_EQ(logits_rank(pair.q, pair.k, 1.0), rank) << "rank " << rank;
    EXPECT_EQ(logits_rank(pair.q, pair.k, -0.5), rank) << "rank " << rank;
  }
  // Repeated tokens: rank(Q) = 3 < d, K generic (the seeded inputs' repeat option).
  Lcg lcg(3);
  const MatrixXd base = lcg.matrix(3, d);
  MatrixXd q(n, d);
  for (int i = 0; i < n; ++i) q.row(i) = base.row(i % 3);
  const MatrixXd k = random_matrix(lcg, m, d);
  EXPECT_EQ(jacobi_logits_rank(q, k), 3);
  EXPECT_EQ(logits_rank(q, k, 1.0), 3);
  EXPECT_EQ(logits_rank(MatrixXd::Zero(n, d), k, 1.0), 0);  // Q K^T = 0: no singular value above 0
}

TEST(LogitsRankRoute, EitherSideOfTheToleranceEdge) {
  // s = (1, ..., 1, t): the last value counts when t > max(n, m) eps (s_1 = 1). At 4x and 1/4 of the
  // tolerance, far above the route's error (a few eps), the rank is d and d - 1.
  const int n = 128, m = 96, d = 8;
  const double tol = n * kEps64;
  for (const double factor : {4.0, 0.25}) {
    std::vector<double> sigma(d, 1.0);
    sigma.back() = factor * tol;
    const DesignedPair pair = designed_pair(21, n, m, sigma);
    const int expected = factor > 1.0 ? d : d - 1;
    EXPECT_EQ(jacobi_logits_rank(pair.q, pair.k), expected) << "factor " << factor;
    EXPECT_EQ(logits_rank(pair.q, pair.k, 1.0), expected) << "factor " << factor;
    const VectorXd s = logits_singular_values(pair.q, pair.k);
    EXPECT_NEAR(s(d - 1), factor * tol, 0.1 * tol) << "factor " << factor;
  }
}

TEST(LogitsRankRoute, HugeAndTinyScalesKeepTheRank) {
  // rank 5 of d = 12; the inputs scaled by powers of two (exact) far from 1, and by non-powers; s from
  // 1e-300 to 1e300: neither moves the rank (logits_rank brings Q and K to unit size and never applies s).
  const int n = 90, m = 90, d = 12;
  std::vector<double> sigma(d, 0.0);
  for (int c = 0; c < 5; ++c) sigma[static_cast<std::size_t>(c)] = 1.0 / (1.0 + c);
  const DesignedPair pair = designed_pair(5, n, m, sigma);
  ASSERT_EQ(jacobi_logits_rank(pair.q, pair.k), 5);
  for (const double q_factor : {0x1p-900, 0x1p-300, 1e-150, 1.0, 3e150, 0x1p500, 0x1p900}) {
    for (const double k_factor : {0x1p-1000, 1e-200, 1.0, 7e200, 0x1p1000}) {
      const MatrixXd q = pair.q * q_factor;
      const MatrixXd k = pair.k * k_factor;
      for (const double scale : {1e-300, 1.0, -2.0, 1e300}) {
        EXPECT_EQ(logits_rank(q, k, scale), 5) << "q x " << q_factor << ", k x " << k_factor << ", s " << scale;
      }
    }
  }
}

// d >= n (S formed directly, not through the QRs): loaded Q, K whose raw product overflows the double range
// (the fuzzer's case: entries 1e234 and 1e300, Q K^T would hold inf - inf) keep their rank: the
// power-of-two normalisation must be applied before the product, not folded into it.
TEST(LogitsRankRoute, HugeInputsWhenDIsAtLeastN) {
  MatrixXd q(2, 2), k(2, 2);
  q << -1.0, -1.1923338948869445e+234, 99.38671875, 99.38671875;
  k << 1.0, 0.5, 2.3891548633682403e-299, 1.0000000000000001e+300;
  // Normalised, S has one entry of order 1 and the others below 1e-230: exactly rank 2 (Q and K are), but
  // numerically rank 1 at any s.
  EXPECT_EQ(logits_rank(q, k, 1.0), 1);
  EXPECT_EQ(logits_rank(q * 0x1p-60, k, -3.0), 1);
  MatrixXd big = MatrixXd::Identity(3, 4) * 1e300;
  big(2, 3) = -1e300;
  EXPECT_EQ(logits_rank(big, big, 1.0), 3);  // Q K^T = 1e600 diag(1, 1, 2): rank 3, not NaN
}

}  // namespace
}  // namespace attnrank
