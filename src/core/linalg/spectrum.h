// Singular values of a square matrix, values only, descending. The algorithm choice and its accuracy
// floor are documented in spectrum.cpp and the README; every statistic downstream uses this one call.
#pragma once

#include "attnrank/base/glossary.h"

namespace attnrank {

// s_1 >= ... >= s_n >= 0 of A (n, n); computed in the precision of A, returned as double.
VectorXd singular_values(const MatrixXd& a);
VectorXd singular_values(const MatrixXf& a);

// Machine epsilon of a precision: 2^-52 (F64) or 2^-23 (F32), as numpy's matrix_rank uses.
double precision_epsilon(Precision precision);

// Below this a computed singular value is not resolved by the method: s_1 * n * eps(precision).
// Same as the numerical-rank tolerance, so "rank deficient" and "condition is a lower bound" agree.
double accuracy_floor(double sigma_max, int n, Precision precision);

}  // namespace attnrank
