// Singular values of an n x n matrix given as a product A = L R^T of two n x r factors, without
// forming A. For r < n, rank(A) <= r: with thin QR factorisations L = Q_L R_L, R = Q_R R_R (Q_* with
// orthonormal columns) A = Q_L (R_L R_R^T) Q_R^T, so the r largest singular values of A are those of
// the r x r core R_L R_R^T and the other n - r are exactly 0. O(n r^2) instead of O(n^3). Not here:
// the factors themselves (linear_attention.h) and the statistics of the spectrum (rank_stats.h).
#pragma once

#include "attnrank/base/glossary.h"

namespace attnrank {

// R of the thin QR x = Q R: (r, r) upper triangular, for x (n, r) with n > r. The one thin-QR core of the
// project: low_rank_singular_values and logits_rank (rank_stats.cpp) both reduce a product of two tall
// factors to the r x r core R_L R_R^T this way.
Eigen::MatrixXd thin_qr_triangle(const MatrixXd& x);

// left, right: (n, r), finite. Returns s_1 >= ... >= s_n >= 0 of A = left * right^T (n, n), length n;
// for r < n, s_{r+1..n} are exactly 0. For r >= n A is formed and handed to the dense singular_values().
// F32 mirrors the dense path for linear attention (A formed in double, rounded to float, SVD in float):
// QR and core in double, the r x r core (or, for r >= n, A) rounded to float, SVD in float. Accuracy:
// Householder QR is columnwise backward stable, so A is represented up to c eps sum_c |L_c| |R_c|
// (column norms, c a modest constant); for nonnegative factors (every feature map here) that sum is
// <= sqrt(r) |A|_F <= r s_1, against the accuracy floor s_1 n eps(precision) of spectrum.h with r < n.
// Measured against the dense SVD: within 0.1 floor where the core is used (test_low_rank_spectrum.cpp).
VectorXd low_rank_singular_values(const MatrixXd& left, const MatrixXd& right, Precision precision);

}  // namespace attnrank
