// logits_rank (design.md section 3): the numerical rank of the logits S = s Q K^T / sqrt(d), for the
// "softmax raises rank" contrast, by numpy matrix_rank's rule (tol = s_1 max(n, m) eps) on S's singular
// values: S's nonzero singular values are those of the d x d core R_Q R_K^T of two thin Householder QRs,
// here on the fixed-order kernels of lab/kernels.h (Eigen's blocked QR runs scalar in wasm). Its
// declaration stays in attnrank/stats/rank_stats.h; logits_singular_values (logits_rank.h) is for tests.
#include "stats/logits_rank.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "attnrank/base/errors.h"
#include "attnrank/stats/rank_stats.h"
#include "lab/kernels.h"
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

// Thin Householder QR x = Q R of x (rows, cols), rows > cols, in place: x's top cols x cols block becomes R
// (upper triangular; the entries below its diagonal are set to 0; the rows below it are left as work
// space). Unblocked, as LAPACK's dgeqr2, with Eigen's makeHouseholder convention: for column c, beta =
// -sign(x_cc) ||x(c:, c)||, v = (1, x(c+1:, c) / (x_cc - beta)), tau = (beta - x_cc) / beta, and a column whose
// part below the diagonal has a squared norm at or below the smallest normal double is left as it is (tau
// = 0). The reflector is applied to the columns right of c as w = A^T v (gemv_t, i ascending) and
// A_ij -= (tau v_i) w_j (matmul_nn_add with one term). Columnwise backward stable like any Householder QR.
void householder_r_in_place(MatrixXd& x) {
  const int rows = static_cast<int>(x.rows());
  const int cols = static_cast<int>(x.cols());
  std::vector<double> v(static_cast<std::size_t>(rows));
  std::vector<double> w(static_cast<std::size_t>(cols));
  double* const a = x.data();
  for (int c = 0; c < cols; ++c) {
    const int length = rows - c;
    double* const top = a + static_cast<std::ptrdiff_t>(c) * cols + c;  // x(c, c)
    double tail_squares = 0.0;
    for (int i = 1; i < length; ++i) {
      const double entry = top[static_cast<std::ptrdiff_t>(i) * cols];
      tail_squares += entry * entry;
    }
    if (tail_squares <= std::numeric_limits<double>::min()) continue;
    const double head = top[0];
    const double norm = std::sqrt(head * head + tail_squares);
    const double beta = head >= 0.0 ? -norm : norm;
    const double pivot = head - beta;  // |head| + norm: no cancellation
    v[0] = 1.0;
    for (int i = 1; i < length; ++i) v[static_cast<std::size_t>(i)] = top[static_cast<std::ptrdiff_t>(i) * cols] / pivot;
    const double tau = (beta - head) / beta;
    top[0] = beta;
    const int right = cols - c - 1;
    if (right == 0) continue;
    lab::gemv_t(length, right, top + 1, cols, v.data(), w.data());
    // A_ij + (-(tau v_i)) w_j, the kernel's one-term product added to C: A_ij - (tau v_i) w_j exactly.
    for (int i = 0; i < length; ++i) v[static_cast<std::size_t>(i)] = -(tau * v[static_cast<std::size_t>(i)]);
    lab::matmul_nn_add(length, right, 1, v.data(), 1, w.data(), right, top + 1, cols);
  }
  for (int i = 1; i < cols; ++i)
    for (int j = 0; j < i; ++j) x(i, j) = 0.0;
}

}  // namespace

VectorXd logits_singular_values(MatrixXd q_unit, MatrixXd k_unit) {
  const Eigen::Index n = q_unit.rows(), m = k_unit.rows(), d = q_unit.cols();
  if (d < n && d < m) {
    // Q = Q1 R_Q, K = Q2 R_K (Q1, Q2 with orthonormal columns), so Q K^T = Q1 (R_Q R_K^T) Q2^T has the
    // singular values of the d x d core, and zeros.
    householder_r_in_place(q_unit);
    householder_r_in_place(k_unit);
    const int size = static_cast<int>(d);
    MatrixXd core(size, size);
    lab::matmul_nt(size, size, size, q_unit.data(), size, k_unit.data(), size, core.data(), size);
    return singular_values(core);
  }
  return singular_values(MatrixXd(q_unit * k_unit.transpose()));
}

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
  const Eigen::Index n = q.rows(), m = k.rows();
  const int size = static_cast<int>(std::max(n, m));  // numpy matrix_rank: max(M, N)
  // For s != 0 the rank of S = s Q K^T / sqrt(d) is the rank of Q K^T: the factor multiplies every
  // singular value and the tolerance is relative to s_1. So s is not applied (a finite s of 1e307 would
  // overflow S), and Q, K are brought to max|entry| in [1, 2) by powers of two, exact multiplications
  // that keep a product of finite but huge (or tiny) loaded inputs inside the double range.
  // The unit copies are the QRs' work space (moved in).
  MatrixXd q_unit = q * power_of_two_normaliser(q);
  MatrixXd k_unit = k * power_of_two_normaliser(k);
  return numerical_rank(logits_singular_values(std::move(q_unit), std::move(k_unit)), size,
                        precision_epsilon(Precision::F64));
}

}  // namespace attnrank
