// logits_rank (design.md section 3): the numerical rank of the logits S = s Q K^T / sqrt(d), for the
// "softmax raises rank" contrast, by numpy matrix_rank's rule (tol = s_1 max(n, m) eps) on S's singular
// values. Moved out of rank_stats.cpp (whose statistics are of the n x n attention matrix) unchanged; its
// declaration stays in attnrank/stats/rank_stats.h.
#include "attnrank/stats/rank_stats.h"

#include <algorithm>
#include <cmath>

#include "attnrank/base/errors.h"
#include "linalg/low_rank_spectrum.h"
#include "linalg/spectrum.h"

namespace attnrank {
namespace {

// 2^-e with e the exponent of max|x| (max|x| 2^-e in [1, 2)); 1 for a zero matrix. Exact when applied.
// e is held to >= -1000 so that 2^-e stays finite for a subnormal max|x| (then max|x| 2^-e < 1).
double power_of_two_normaliser(const MatrixXd& x) {
  const double largest = x.cwiseAbs().maxCoeff();
  if (largest == 0.0) return 1.0;
  return std::ldexp(1.0, -std::max(std::ilogb(largest), -1000));
}

}  // namespace

int logits_rank(const MatrixXd& q, const MatrixXd& k, double scale) {
  // Q is (n, d), K is (m, d); S = s Q K^T / sqrt(d) is (n, m) with rank <= d.
  if (q.rows() == 0 || q.cols() == 0 || k.rows() == 0 || q.cols() != k.cols()) {
    // The parameter at fault: q when it is empty, else k (which must match q).
    fail(ErrorCode::kInvalidArgument, q.size() == 0 ? "q" : "k",
         message("q and k must be non-empty with the same number of columns, got q ", q.rows(), " x ", q.cols(),
                 " and k ", k.rows(), " x ", k.cols()));
  }
  require_finite("scale", scale);
  if (!q.allFinite()) fail(ErrorCode::kInvalidArgument, "q", "q: entries must be finite");
  if (!k.allFinite()) fail(ErrorCode::kInvalidArgument, "k", "k: entries must be finite");
  if (scale == 0.0) return 0;
  const Eigen::Index n = q.rows(), m = k.rows(), d = q.cols();
  const int size = static_cast<int>(std::max(n, m));  // numpy matrix_rank: max(M, N)
  // For s != 0 the rank of S = s Q K^T / sqrt(d) is the rank of Q K^T: the factor multiplies every
  // singular value and the tolerance is relative to s_1. So s is not applied (a finite s of 1e307 would
  // overflow S), and Q, K are brought to max|entry| in [1, 2) by powers of two, exact multiplications
  // that keep a product of finite but huge (or tiny) loaded inputs inside the double range.
  const MatrixXd q_unit = q * power_of_two_normaliser(q);
  const MatrixXd k_unit = k * power_of_two_normaliser(k);
  VectorXd s;
  if (d < n && d < m) {
    // Q = Q1 R_Q, K = Q2 R_K (thin Householder QR, Q1, Q2 with orthonormal columns), so
    // Q K^T = Q1 (R_Q R_K^T) Q2^T has the singular values of the d x d core, and zeros.
    s = singular_values(MatrixXd(thin_qr_triangle(q_unit) * thin_qr_triangle(k_unit).transpose()));
  } else {
    s = singular_values(MatrixXd(q_unit * k_unit.transpose()));
  }
  return numerical_rank(s, size, precision_epsilon(Precision::F64));
}

}  // namespace attnrank
