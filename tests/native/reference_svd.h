// Eigen's own SVDs as independent references for the tests (test_bidiagonal_svd, test_spectrum,
// test_linear_attention): singular values only, descending. Compiled once, in reference_svd.cpp: the
// instantiations of BDCSVD and JacobiSVD (in double and in long double) were most of the compile time of
// each test file that used them (~150 s of CPU per build tree across the three files).
#ifndef ATTNRANK_TESTS_NATIVE_REFERENCE_SVD_H_
#define ATTNRANK_TESTS_NATIVE_REFERENCE_SVD_H_

#include <Eigen/Core>

namespace attnrank::test {

// Eigen::BDCSVD (divide and conquer after a bidiagonalisation) of a (any shape), in double.
Eigen::VectorXd bdcsvd_singular_values(const Eigen::MatrixXd& a);

// Eigen::JacobiSVD (two-sided Jacobi rotations) of a (any shape), in double.
Eigen::VectorXd jacobi_singular_values(const Eigen::MatrixXd& a);

// Eigen::JacobiSVD of a square a widened to long double, rounded back to double at the end.
Eigen::VectorXd long_double_jacobi_singular_values(const Eigen::MatrixXd& a);

}  // namespace attnrank::test

#endif  // ATTNRANK_TESTS_NATIVE_REFERENCE_SVD_H_
