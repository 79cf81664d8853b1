// Singular values (values only, descending): the project's blocked Householder bidiagonalisation
// (bidiagonalization.cpp: LAPACK xGEBRD's structure on the fixed-order kernels of lab/kernels.h, so the
// same matrix gives the same bits natively, on either native vector path, and in wasm; issue 20) in the
// matrix's own precision, then implicitly shifted bidiagonal QR without vectors (bidiagonal_svd.cpp),
// O(n^2). Until issue 20 the reduction was Eigen's upperbidiagonalization_inplace_blocked, which runs
// scalar code in wasm. Accuracy (docs/svd-choice.md): normwise backward stable; the reflectors are
// orthogonal and reproduce A to a small multiple of n eps ||A|| (test_bidiagonalization.cpp), and every
// oracle of the previous reduction still holds (<= 4-8 n eps s_1 against known spectra and BDCSVD). It
// does not resolve s_i at or below the accuracy floor s_1 * n * eps (numpy's rank tolerance): there it
// returns noise or exact zeros, and downstream statistics treat them as unresolved. The same reduction
// gives a square f64 matrix's determinant (singular_values_and_determinant; docs/determinant.md).
#include "linalg/spectrum.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "attnrank/base/errors.h"
#include "base/det_math.h"
#include "linalg/bidiagonal_svd.h"
#include "linalg/bidiagonalization.h"

namespace attnrank {
namespace {

// A is (rows, cols) in precision T; every entry must be finite (BDCSVD's result is undefined otherwise).
template <class Matrix>
void require_finite_entries(const Matrix& a) {
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    for (Eigen::Index j = 0; j < a.cols(); ++j) {
      if (!std::isfinite(a(i, j))) {
        fail(ErrorCode::kInvalidArgument, "a", message("a: entry (", i, ", ", j, ") = ", a(i, j), " must be finite"));
      }
    }
  }
}

// A *= 2^power, exactly (barring subnormal results), in factors a Scalar can hold (2^1073 cannot).
template <class Matrix>
void scale_by_power_of_two(Matrix& a, int power) {
  constexpr int kStep = std::numeric_limits<typename Matrix::Scalar>::max_exponent - 2;
  while (power != 0) {
    const int step = std::max(-kStep, std::min(kStep, power));
    a *= std::ldexp(typename Matrix::Scalar(1), step);
    power -= step;
  }
}

// log |det| and sign of a square (n, n) A from its reduction A 2^-p = Q B P^T (bidiagonalization.h): det A =
// 2^(n p) det Q det P prod d_i. Each reflector with tau != 0 is a Householder reflection (tau in [1, 2],
// make_reflector), determinant -1; tau = 0 is the identity. Each |d_i| is split into m_i 2^(e_i) with
// m_i in [1, 2): the logs of the m_i are summed (each in [0, log 2), no cancellation of large terms) and
// the integer n p + sum e_i is multiplied by log 2 once, so no product is formed and no power of two is
// rounded. det_log (base/det_math.h: a few ulp, from + - * / only) instead of libm's log: the reduction is
// bit-identical natively and in wasm, and so is this sum. An exact zero d_i: det of the computed B is 0,
// sign 0 (as an exact-zero LU pivot was).
template <typename T>
LogDet determinant_of_reduction(const std::vector<T>& diagonal, const std::vector<T>& tau_left,
                                const std::vector<T>& tau_right, int scaling_exponent) {
  constexpr double kLog2 = 0.693147180559945309417232121458176568;
  LogDet result;
  result.sign = 1;
  long long binary_exponent = static_cast<long long>(diagonal.size()) * scaling_exponent;
  double log_mantissas = 0.0;
  for (const T entry : diagonal) {
    const double value = entry;  // exact
    if (value == 0.0) return LogDet{};
    if (value < 0.0) result.sign = -result.sign;
    int exponent = 0;
    const double mantissa = 2.0 * std::frexp(std::fabs(value), &exponent);  // [1, 2), exact
    binary_exponent += exponent - 1;
    log_mantissas += det_log(mantissa);
  }
  for (const std::vector<T>* taus : {&tau_left, &tau_right}) {
    for (const T tau : *taus) {
      if (tau != T(0)) result.sign = -result.sign;
    }
  }
  result.log_abs = log_mantissas + static_cast<double>(binary_exponent) * kLog2;
  return result;
}

// min(rows, cols) singular values of A, descending, widened to double: the project's blocked Householder
// bidiagonalisation (bidiagonalization.cpp, on the fixed-order kernels) in A's precision, then the
// values-only bidiagonal QR. With `determinant` (double, square A only) also det A from the same reduction.
template <class Matrix>
VectorXd svd_values(const Matrix& a, LogDet* determinant = nullptr) {
  using Scalar = typename Matrix::Scalar;
  require_finite_entries(a);
  if (a.size() == 0) {
    if (determinant != nullptr) *determinant = LogDet{1, 0.0};  // the empty product
    return VectorXd();
  }
  // The reduction needs rows >= cols; A^T has the same singular values. Row-major, contiguous (lda = cols).
  using RowMajorMatrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  RowMajorMatrix tall = a.rows() >= a.cols() ? RowMajorMatrix(a) : RowMajorMatrix(a.transpose());
  // Householder vectors square their entries: scale A by a power of two (exact) so its largest entry is
  // in [0.5, 1), or a finite A with entries near 1e300 (logits at scale 1e300) would overflow.
  const Scalar largest = tall.cwiseAbs().maxCoeff();
  if (largest == Scalar(0)) {
    if (determinant != nullptr) *determinant = LogDet{};
    return VectorXd::Zero(tall.cols());
  }
  int exponent = 0;
  std::frexp(largest, &exponent);
  scale_by_power_of_two(tall, -exponent);
  const int rows = static_cast<int>(tall.rows());
  const int size = static_cast<int>(tall.cols());
  std::vector<Scalar> diagonal(static_cast<std::size_t>(size));
  std::vector<Scalar> superdiagonal(static_cast<std::size_t>(size - 1));
  std::vector<Scalar> tau_left(determinant != nullptr ? static_cast<std::size_t>(size) : 0);
  std::vector<Scalar> tau_right(determinant != nullptr ? static_cast<std::size_t>(size - 1) : 0);
  householder_bidiagonalize(rows, size, tall.data(), size, diagonal.data(), superdiagonal.data(),
                            determinant != nullptr ? tau_left.data() : nullptr,
                            determinant != nullptr && size > 1 ? tau_right.data() : nullptr);
  // Before the QR, which overwrites the diagonal with the singular values.
  if (determinant != nullptr) *determinant = determinant_of_reduction(diagonal, tau_left, tau_right, exponent);
  if (!bidiagonal_singular_values(diagonal, superdiagonal)) {
    // No parameter: the iteration's own failure on a valid (finite) matrix.
    fail(ErrorCode::kNumericalFailure,
         message("singular values of a ", a.rows(), " x ", a.cols(), " matrix did not converge"));
  }
  VectorXd values(size);
  for (int i = 0; i < size; ++i) {
    values(i) = std::ldexp(static_cast<double>(diagonal[static_cast<std::size_t>(i)]), exponent);
  }
  return values;
}

}  // namespace

VectorXd singular_values(const MatrixXd& a) { return svd_values(a); }

VectorXd singular_values(const MatrixXf& a) { return svd_values(a); }

SpectrumAndDeterminant singular_values_and_determinant(const MatrixXd& a) {
  if (a.rows() != a.cols()) {
    fail(ErrorCode::kInvalidArgument, "a",
         message("a: the determinant needs a square matrix, got ", a.rows(), " x ", a.cols()));
  }
  SpectrumAndDeterminant result;
  result.singular_values = svd_values(a, &result.log_det);
  return result;
}

double precision_epsilon(Precision precision) {
  return precision == Precision::F64 ? std::ldexp(1.0, -52) : std::ldexp(1.0, -23);
}

double accuracy_floor(double sigma_max, int n, Precision precision) {
  return sigma_max * n * precision_epsilon(precision);
}

}  // namespace attnrank
