// Rank statistics of an n x n matrix (design.md section 3), from its singular values s_1 >= ... >= s_n:
//   numerical_rank_f64/f32  #{s_i > s_1 n eps}, eps = 2^-52 / 2^-23 (numpy matrix_rank default); the f64
//                           count only when the spectrum was computed in f64 (an f32 SVD cannot resolve it)
//   effective_rank          exp(-sum p_i log p_i), p_i = s_i / sum s (Roy & Vetterli 2007), p_i = 0 skipped
//   stable_rank             ||A||_F^2 / s_1^2          energy_rank_99  least k: sum_{i<=k} s_i^2 >= 0.99 sum s_i^2
//   accuracy_floor          s_1 n eps of the spectrum's precision: computed values at or below it are noise
//   sigma_min               s_n, or the floor flagged as an upper bound when s_n <= floor
//   condition_number        s_1 / s_n, or s_1 / floor flagged as a lower bound when s_n <= accuracy floor
//   log_abs_det, det_sign   triangular: sum log|A_ii| (O(n), never the product); otherwise, f64, from the
//                           SVD's own bidiagonal A = Q B P^T (no LU), f32, from an LU in double;
//                           flagged unreliable when A is numerically singular
//   structurally_full_rank  triangular with a strictly positive diagonal (the essay's det > 0 argument)
// A matrix known to have rank < n (A = L R^T) gets det = 0 exactly and the same spectral statistics.
#pragma once

#include <optional>

#include "attnrank/base/glossary.h"

namespace attnrank {

struct LogDet {
  int sign = 0;             // -1, 0 or +1; 0 means det is exactly 0 and log_abs is meaningless
  double log_abs = 0.0;     // log |det A|, finite whenever sign != 0
};

struct RankStats {
  int n = 0;
  Precision precision = Precision::F64;  // the precision the spectrum was computed in
  VectorXd singular_values;  // descending, length n: the raw computed spectrum, noise below the floor included
  // Empty when precision is F32: an f32 spectrum carries rounding noise ~ s_1 n 2^-23, far above the f64
  // tolerance s_1 n 2^-52, so counting it would report that noise as rank (issue 13: 76 of 240 runs wrong).
  std::optional<int> numerical_rank_f64;
  int numerical_rank_f32 = 0;
  double effective_rank = 0.0;
  double stable_rank = 0.0;
  int energy_rank_99 = 0;
  double sigma_max = 0.0;
  // s_n when it is resolved; otherwise the accuracy floor, an upper bound on the true s_n
  // (sigma_min_is_upper_bound). The raw computed s_n stays in singular_values.
  double sigma_min = 0.0;
  double accuracy_floor = 0.0;     // s_1 n eps(precision) (spectrum.h), 0 for the zero matrix
  bool sigma_min_is_upper_bound = false;  // computed s_n <= accuracy_floor
  double condition_number = 0.0;   // finite always; see condition_is_lower_bound
  bool condition_is_lower_bound = false;
  LogDet log_det;
  // False for a non-triangular matrix whose condition number is only a lower bound: the diagonal its
  // determinant comes from (B's, or the LU's pivots at f32) is then rounding noise, so the value and even
  // the sign of log|det| mean nothing (measured: numpy's slogdet and ours disagree in sign on such matrices).
  bool log_abs_det_is_reliable = true;
  bool structurally_full_rank = false;
};

// Each statistic on a descending spectrum; exposed so tests can feed known spectra.
int numerical_rank(const VectorXd& singular_values, int n, double eps);
double effective_rank(const VectorXd& singular_values);
double stable_rank(const VectorXd& singular_values);  // sum s_i^2 / s_1^2 (= ||A||_F^2 / s_1^2)
int energy_rank(const VectorXd& singular_values, double fraction);

bool is_lower_triangular(const MatrixXd& a);
bool is_upper_triangular(const MatrixXd& a);
bool is_structurally_full_rank(const MatrixXd& a);
// Triangular: sum log|A_ii|; otherwise partial-pivoting LU in double (numpy's slogdet). compute_rank_stats
// runs it only for f32 matrices; an f64 request takes the determinant from its SVD's reduction.
LogDet log_abs_det(const MatrixXd& a);

// All statistics of A. The spectrum (and the accuracy floor) is computed in A's own precision;
// determinant and structure are evaluated in double.
RankStats compute_rank_stats(const MatrixXd& a);
RankStats compute_rank_stats(const MatrixXf& a);

// All statistics of an n x n matrix whose rank is at most rank_bound < n by construction (bidirectional
// linear attention A = L R^T, L and R n x r: rank_bound = r), from its spectrum alone, computed in
// `precision` (low_rank_spectrum.h: length n, descending, s_i = 0 exactly for i > rank_bound). The
// spectral statistics are those of compute_rank_stats; det A = 0 exactly (sign 0, and reliable: it is
// a structural fact, not an LU pivot), and A is not structurally full rank. O(n): no LU, no n x n matrix.
RankStats compute_rank_stats_of_rank_deficient(const VectorXd& singular_values, int rank_bound,
                                               Precision precision);

// Memory (docs/memory.md): the bytes compute_rank_stats(A) allocates beyond A (n2 = n^2 entries). f64:
// the reduction's row-major copy, for every A (a non-triangular A's determinant comes from the same
// reduction, a triangular A's from its diagonal). f32: the float SVD copy, then A widened to double, plus the
// LU's two double copies unless triangular (widening costs more than the float SVD saves).
double rank_stats_extra_bytes_f64(double n2);
double rank_stats_extra_bytes_f32(double n2, bool is_triangular);

// Numerical rank of the logits S = s Q K^T / sqrt(d) (n x n, rank <= d), with tol = s_1 n eps(F64).
// Computed from the d x d core R_Q R_K^T of two thin QR factorisations when d < n (same nonzero
// singular values, O(n d^2)); from S directly otherwise.
int logits_rank(const MatrixXd& q, const MatrixXd& k, double scale);

}  // namespace attnrank
