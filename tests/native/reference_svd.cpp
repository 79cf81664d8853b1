// The reference SVDs of reference_svd.h. The long double JacobiSVD has no QR preconditioner: JacobiSVD runs
// one only on a non-square matrix, so on a square one the values are the same bits as with the default
// (ColPivHouseholderQR), whose code (both orientations, in long double) is then not instantiated; without it a
// non-square matrix would silently lose rows or columns: refused. The double JacobiSVD keeps the default:
// BDCSVD instantiates that one already (for its small blocks).
#include "reference_svd.h"

#include <Eigen/SVD>
#include <stdexcept>
#include <string>

namespace attnrank::test {
namespace {

void require_square(const Eigen::MatrixXd& a, const char* function) {
  if (a.rows() != a.cols()) {
    throw std::invalid_argument(std::string(function) + ": the matrix must be square, got " +
                                std::to_string(a.rows()) + "x" + std::to_string(a.cols()));
  }
}

}  // namespace

Eigen::VectorXd bdcsvd_singular_values(const Eigen::MatrixXd& a) {
  return Eigen::BDCSVD<Eigen::MatrixXd>(a).singularValues();
}

Eigen::VectorXd jacobi_singular_values(const Eigen::MatrixXd& a) {
  return Eigen::JacobiSVD<Eigen::MatrixXd>(a).singularValues();
}

Eigen::VectorXd long_double_jacobi_singular_values(const Eigen::MatrixXd& a) {
  require_square(a, "long_double_jacobi_singular_values");
  using LongMatrix = Eigen::Matrix<long double, Eigen::Dynamic, Eigen::Dynamic>;
  const Eigen::JacobiSVD<LongMatrix, Eigen::NoQRPreconditioner> svd(a.cast<long double>());
  return svd.singularValues().cast<double>();
}

}  // namespace attnrank::test
