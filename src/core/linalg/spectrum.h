// Singular values of a square matrix, values only, descending. The algorithm choice and its accuracy
// floor are documented in spectrum.cpp and the README; every statistic downstream uses this one call.
#pragma once

#include "attnrank/base/glossary.h"
#include "attnrank/stats/rank_stats.h"  // LogDet

namespace attnrank {

// s_1 >= ... >= s_n >= 0 of A (n, n); computed in the precision of A, returned as double.
VectorXd singular_values(const MatrixXd& a);
VectorXd singular_values(const MatrixXf& a);

// The singular values of a square f64 A and its determinant, both from the one Householder
// bidiagonalisation A 2^-p = Q B P^T that singular_values runs (docs/determinant.md): the values are
// those of B, bit for bit singular_values(a)'s, and det A = 2^(n p) det Q det P prod B_ii, with det Q, det P
// = (-1)^(number of reflectors that are not the identity), summed as logs (never the product). A computed
// B_ii of exactly 0 gives sign 0. Backward stable like the LU it replaces in compute_rank_stats: B is the
// exact bidiagonal of Q^T (A + E) P with ||E|| ~ n eps ||A||, so log|det| and its sign mean something
// only when s_n is resolved (above the accuracy floor), which is what log_abs_det_is_reliable says.
struct SpectrumAndDeterminant {
  VectorXd singular_values;
  LogDet log_det;
};
SpectrumAndDeterminant singular_values_and_determinant(const MatrixXd& a);

// Machine epsilon of a precision: 2^-52 (F64) or 2^-23 (F32), as numpy's matrix_rank uses.
double precision_epsilon(Precision precision);

// Below this a computed singular value is not resolved by the method: s_1 * n * eps(precision).
// Same as the numerical-rank tolerance, so "rank deficient" and "condition is a lower bound" agree.
double accuracy_floor(double sigma_max, int n, Precision precision);

}  // namespace attnrank
