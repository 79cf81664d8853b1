// low_rank_singular_values: two thin Householder QR factorisations and the SVD of an r x r core, the
// same reduction logits_rank uses for S = s Q K^T / sqrt(d). The dense SVD of the formed product is its
// reference (tests/native/test_low_rank_spectrum.cpp); the r >= n case simply is that reference.
#include "linalg/low_rank_spectrum.h"

#include <Eigen/QR>
#include <cmath>

#include "attnrank/base/errors.h"
#include "linalg/spectrum.h"

namespace attnrank {
namespace {

void require_finite_factor(const MatrixXd& x, const char* name) {
  if (x.allFinite()) return;
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (Eigen::Index c = 0; c < x.cols(); ++c)
      if (!std::isfinite(x(i, c))) {
        fail(ErrorCode::kInvalidArgument, name, message(name, ": entry (", i, ", ", c, ") = ", x(i, c), " must be finite"));
      }
}

VectorXd values_in_precision(const MatrixXd& a, Precision precision) {
  if (precision == Precision::F32) return singular_values(MatrixXf(a.cast<float>()));
  return singular_values(a);
}

}  // namespace

Eigen::MatrixXd thin_qr_triangle(const MatrixXd& x) {
  // Column-major copy for Eigen's blocked Householder QR (the project's matrices are row-major).
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr{Eigen::MatrixXd(x)};
  return qr.matrixQR().topRows(x.cols()).triangularView<Eigen::Upper>();
}

VectorXd low_rank_singular_values(const MatrixXd& left, const MatrixXd& right, Precision precision) {
  if (left.rows() != right.rows() || left.cols() != right.cols() || left.size() == 0) {
    fail(ErrorCode::kInvalidArgument, left.size() == 0 ? "left" : "right",  // right must match left
         message("left is ", left.rows(), " x ", left.cols(), " and right is ", right.rows(), " x ", right.cols(),
                 ": they need the same non-zero shape (n, r)"));
  }
  require_finite_factor(left, "left");
  require_finite_factor(right, "right");
  const Eigen::Index n = left.rows();
  const Eigen::Index r = left.cols();
  if (r >= n) return values_in_precision(MatrixXd(left * right.transpose()), precision);

  // A = Q_L (R_L R_R^T) Q_R^T with Q_L, Q_R orthonormal columns: the core has A's nonzero singular values.
  const MatrixXd core = thin_qr_triangle(left) * thin_qr_triangle(right).transpose();
  VectorXd s = VectorXd::Zero(n);
  s.head(r) = values_in_precision(core, precision);
  return s;
}

}  // namespace attnrank
