// logits_rank (design.md section 3): the numerical rank of the logits S = s Q K^T / sqrt(d), for the
// "softmax raises rank" contrast, by numpy matrix_rank's rule (tol = s_1 max(n, m) eps) on S's singular
// values: S's nonzero singular values are those of the d x d core R_Q R_K^T of two thin Householder QRs,
// here on the fixed-order kernels of lab/kernels.h (Eigen's blocked QR runs scalar in wasm). Its
// declaration stays in attnrank/stats/rank_stats.h; logits_singular_values (logits_rank.h) is for tests.
#include "stats/logits_rank.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "attnrank/base/errors.h"
#include "attnrank/stats/rank_stats.h"
#include "lab/kernels.h"
#include "linalg/householder.h"
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

// sum_j a_j b_j in a fixed order: eight running sums (sum k takes j = k mod 8, j ascending), added pairwise
// at the end ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)), then the tail j >= 8 floor(length / 8) in
// order. Eight independent chains instead of the kernels' one accumulator per output: the panel's products
// have few outputs (at most kPanel - 1) but long sums. Plain + and * only: the same bits on every platform.
double fixed_order_dot(int length, const double* a, const double* b) {
  double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int j = 0;
  for (; j + 8 <= length; j += 8)
    for (int k = 0; k < 8; ++k) s[k] = s[k] + a[j + k] * b[j + k];
  double sum = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
  for (; j < length; ++j) sum = sum + a[j] * b[j];
  return sum;
}

// Columns of a panel of the blocked QR: d = 64 takes eight panels, each closed by one update of the columns
// right of it through the matrix-matrix kernels (8 measured faster than 16 and 32 at n = 256, d = 64,
// natively and in wasm: the panel's own column-by-column work shrinks with the panel).
constexpr int kPanel = 8;

// Thin Householder QR of x (rows, cols), rows > cols, stored TRANSPOSED: xt is (cols, rows) row-major, so
// row c is x's column c, contiguous. Blocked as LAPACK's dgeqrf: the columns in panels of kPanel, each panel
// factored column by column (make_reflector of linalg/householder.h on the contiguous column; the panel's
// later columns updated by x_j -= (tau v^T x_j) v: fixed_order_dot, then matmul_nn_add with one term), its
// reflectors gathered in compact WY form H_0 ... H_{b-1} = I - V^T T V (V (b, rows): the vectors as rows, unit
// heads, zeros before them; T (b, b) upper triangular as dlarft forms it), and the columns right of the panel
// (rows of xt) updated at once: Y = Xt V^T (matmul_nt), Y := -(Y T), Xt += Y V (matmul_nn_add). On return
// row j of xt is R's column j: R(i, j) at i <= j, zeros after. Columnwise backward stable like any
// Householder QR (the blocking regroups the same reflections).
void householder_r_transposed(int rows, int cols, double* xt) {
  const int ld = rows;
  std::vector<double> v(static_cast<std::size_t>(kPanel) * rows);
  std::vector<double> t(static_cast<std::size_t>(kPanel) * kPanel);
  std::vector<double> w(static_cast<std::size_t>(std::max(cols, kPanel)) * kPanel);
  std::vector<double> short_product(kPanel);
  for (int c0 = 0; c0 < cols; c0 += kPanel) {
    const int b = std::min(kPanel, cols - c0);
    const int length = rows - c0;  // the panel's reflectors act on entries c0 .. rows - 1
    double* const panel = xt + static_cast<std::ptrdiff_t>(c0) * ld + c0;
    for (int i = 0; i < b; ++i) {
      double* const column = panel + static_cast<std::ptrdiff_t>(i) * ld + i;  // x(c0 + i, c0 + i) onwards
      const int active = length - i;
      const double tau = make_reflector(active, column);
      double* const vi = v.data() + static_cast<std::ptrdiff_t>(i) * length;
      std::fill(vi, vi + i, 0.0);
      vi[i] = 1.0;
      std::copy(column + 1, column + active, vi + i + 1);
      std::fill(column + 1, column + active, 0.0);  // R's column: nothing below the diagonal
      // T's column i: T(0:i, i) = -tau T(0:i, 0:i) (V(0:i, :) v_i), T(i, i) = tau (v_i is 0 before i).
      double* const ti = t.data() + i;  // T(:, i), stride kPanel
      if (i > 0) {
        for (int r = 0; r < i; ++r)
          short_product[static_cast<std::size_t>(r)] =
              fixed_order_dot(active, v.data() + static_cast<std::ptrdiff_t>(r) * length + i, vi + i);
        for (int r = 0; r < i; ++r) {
          double sum = 0.0;
          for (int p = r; p < i; ++p)
            sum = sum + t[static_cast<std::size_t>(r) * kPanel + p] * short_product[static_cast<std::size_t>(p)];
          ti[static_cast<std::ptrdiff_t>(r) * kPanel] = -(tau * sum);
        }
      }
      ti[static_cast<std::ptrdiff_t>(i) * kPanel] = tau;
      // The panel's later columns: x_j -= (tau v^T x_j) v, as y = X v, then X + (-(tau y)) v^T.
      const int later = b - i - 1;
      if (later == 0 || tau == 0.0) continue;
      double* const next = column + ld;
      for (int j = 0; j < later; ++j)
        w[static_cast<std::size_t>(j)] =
            -(tau * fixed_order_dot(active, next + static_cast<std::ptrdiff_t>(j) * ld, vi + i));
      lab::matmul_nn_add(later, active, 1, w.data(), 1, vi + i, length, next, ld);
    }
    // The columns right of the panel: x <- H_{b-1} ... H_0 x = x - V^T T^T V x, as rows: Xt -= (Xt V^T T) V.
    const int right = cols - c0 - b;
    if (right == 0) continue;
    double* const trailing = panel + static_cast<std::ptrdiff_t>(b) * ld;
    double* const y = w.data();  // (right, b)
    lab::matmul_nt(right, b, length, trailing, ld, v.data(), length, y, b);
    for (int r = 0; r < right; ++r) {
      // y's row r := -(y_r T), T upper triangular: entry j = -(sum_{p <= j} y_rp T_pj), p ascending.
      double* const yr = y + static_cast<std::ptrdiff_t>(r) * b;
      for (int j = b - 1; j >= 0; --j) {
        double sum = 0.0;
        for (int p = 0; p <= j; ++p) sum = sum + yr[p] * t[static_cast<std::size_t>(p) * kPanel + j];
        yr[j] = -sum;
      }
    }
    lab::matmul_nn_add(right, length, b, y, b, v.data(), length, trailing, ld);
  }
}

// (rows, cols) row-major x, times factor (a power of two: exact), transposed into (cols, rows).
// (Not zero-filled first: every entry is written.)
Eigen::VectorXd scaled_transpose(const MatrixXd& x, double factor) {
  const Eigen::Index rows = x.rows(), cols = x.cols();
  Eigen::VectorXd xt(rows * cols);
  const double* const from = x.data();
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index c = 0; c < cols; ++c) xt(c * rows + i) = from[i * cols + c] * factor;
  return xt;
}

VectorXd scaled_logits_singular_values(const MatrixXd& q, double q_factor, const MatrixXd& k, double k_factor) {
  const Eigen::Index n = q.rows(), m = k.rows(), d = q.cols();
  if (d < n && d < m) {
    // Q = Q1 R_Q, K = Q2 R_K (Q1, Q2 with orthonormal columns), so Q K^T = Q1 (R_Q R_K^T) Q2^T has the
    // singular values of the d x d core, and zeros. The QRs leave R_Q^T and R_K^T in the first d columns of
    // the transposed copies: core = R_Q R_K^T = (R_Q^T)^T R_K^T, one matmul_tn.
    Eigen::VectorXd qt = scaled_transpose(q, q_factor);
    Eigen::VectorXd kt = scaled_transpose(k, k_factor);
    const int size = static_cast<int>(d);
    householder_r_transposed(static_cast<int>(n), size, qt.data());
    householder_r_transposed(static_cast<int>(m), size, kt.data());
    MatrixXd core(size, size);
    lab::matmul_tn(size, size, size, qt.data(), static_cast<int>(n), kt.data(), static_cast<int>(m), core.data(), size);
    return singular_values(core);
  }
  // d >= n or m: S itself (n x m, small). The scaled copies are made first: in one expression Eigen's
  // product would take the scalar factors out and form Q K^T unscaled, which overflows for huge loaded
  // inputs (inf - inf = NaN; the fuzzer found it with entries of 1e234 and 1e300).
  const MatrixXd q_scaled = q * q_factor;
  const MatrixXd k_scaled = k * k_factor;
  return singular_values(MatrixXd(q_scaled * k_scaled.transpose()));
}

}  // namespace

VectorXd logits_singular_values(const MatrixXd& q_unit, const MatrixXd& k_unit) {
  return scaled_logits_singular_values(q_unit, 1.0, k_unit, 1.0);
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
  // The scaling is applied as the QRs' transposed work copies are made.
  return numerical_rank(
      scaled_logits_singular_values(q, power_of_two_normaliser(q), k, power_of_two_normaliser(k)), size,
      precision_epsilon(Precision::F64));
}

}  // namespace attnrank
