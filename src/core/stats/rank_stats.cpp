// Rank statistics of an n x n matrix (design.md section 3) from its singular values (spectrum.cpp), plus the exact
// structural facts the essay relies on: triangularity, a positive diagonal, log |det| as a sum of logs. The
// determinant of a non-triangular f64 matrix comes from the SVD's own bidiagonalisation (no LU).
// Singular values below the accuracy floor s_1 n eps are unresolved (spectrum.cpp): they count as zero
// for the numerical rank and turn the condition number into a flagged lower bound. Not here: the SVD
// itself, any rounding of results for display, and logits_rank (logits_rank.cpp).
#include "attnrank/stats/rank_stats.h"

#include <Eigen/LU>
#include <algorithm>
#include <cmath>

#include "attnrank/base/errors.h"
#include "attnrank/base/memory_estimate.h"
#include "linalg/spectrum.h"

namespace attnrank {
namespace {

// A must be square, non-empty and finite: every statistic below is defined only for such matrices.
template <class Matrix>
void require_square_finite(const Matrix& a, const char* name) {
  if (a.rows() != a.cols() || a.rows() == 0) {
    fail(ErrorCode::kInvalidArgument, name,
         message(name, ": matrix must be square and non-empty, got ", a.rows(), " x ", a.cols()));
  }
  if (!a.allFinite()) {
    for (Eigen::Index i = 0; i < a.rows(); ++i) {
      for (Eigen::Index j = 0; j < a.cols(); ++j) {
        if (!std::isfinite(a(i, j))) {
          fail(ErrorCode::kInvalidArgument, name, message(name, ": entry (", i, ", ", j, ") = ", a(i, j), " must be finite"));
        }
      }
    }
  }
}

// Shared by both precisions: the spectrum s (length n, descending) was computed in `precision`.
void fill_spectral_stats(RankStats& stats, const VectorXd& s, Precision precision) {
  const int n = static_cast<int>(s.size());
  stats.n = n;
  stats.precision = precision;
  stats.singular_values = s;
  // An f64 count needs an f64 spectrum: an f32 SVD's values below ~s_1 n 2^-23 are float rounding noise.
  if (precision == Precision::F64) {
    stats.numerical_rank_f64 = numerical_rank(s, n, precision_epsilon(Precision::F64));
  } else {
    stats.numerical_rank_f64.reset();
  }
  stats.numerical_rank_f32 = numerical_rank(s, n, precision_epsilon(Precision::F32));
  stats.effective_rank = effective_rank(s);
  stats.stable_rank = stable_rank(s);
  stats.energy_rank_99 = energy_rank(s, 0.99);
  stats.sigma_max = s(0);
  // A computed s_n at or below the floor is noise (possibly exactly 0, or two different noises natively
  // and in wasm); the true s_n is then also <= floor + O(floor), so the floor is reported as an upper
  // bound on s_n, and s_1 / floor as an honest finite lower bound on kappa = s_1 / s_n. The zero matrix
  // has no resolved value at all: floor 0, sigma_min 0 flagged, kappa 0 (a vacuous lower bound), never
  // inf or NaN.
  const double floor = accuracy_floor(stats.sigma_max, n, precision);
  const double computed_sigma_min = s(n - 1);
  stats.accuracy_floor = floor;
  stats.sigma_min_is_upper_bound = computed_sigma_min <= floor;
  stats.sigma_min = stats.sigma_min_is_upper_bound ? floor : computed_sigma_min;
  if (stats.sigma_max == 0.0) {
    stats.condition_number = 0.0;
    stats.condition_is_lower_bound = true;
  } else if (stats.sigma_min_is_upper_bound) {
    stats.condition_number = stats.sigma_max / floor;
    stats.condition_is_lower_bound = true;
  } else {
    stats.condition_number = stats.sigma_max / computed_sigma_min;
    stats.condition_is_lower_bound = false;
  }
}

}  // namespace

int numerical_rank(const VectorXd& singular_values, int n, double eps) {
  if (singular_values.size() == 0) return 0;
  // numpy.linalg.matrix_rank default: tol = S.max() * max(M, N) * eps.
  const double tol = singular_values(0) * n * eps;
  int rank = 0;
  for (Eigen::Index i = 0; i < singular_values.size(); ++i) {
    if (singular_values(i) > tol) ++rank;
  }
  return rank;
}

double effective_rank(const VectorXd& singular_values) {
  // Roy & Vetterli 2007, eq. (1)-(2): exp of the Shannon entropy of p_i = s_i / ||s||_1; 0 log 0 = 0.
  const double total = singular_values.sum();
  if (!(total > 0.0)) return 0.0;
  double entropy = 0.0;
  for (Eigen::Index i = 0; i < singular_values.size(); ++i) {
    const double p = singular_values(i) / total;
    if (p > 0.0) entropy -= p * std::log(p);
  }
  return std::exp(entropy);
}

double stable_rank(const VectorXd& singular_values) {
  // ||A||_F^2 / ||A||_2^2 (Rudelson & Vershynin 2007), summed as (s_i / s_1)^2 so it cannot overflow.
  if (singular_values.size() == 0 || !(singular_values(0) > 0.0)) return 0.0;
  const double s1 = singular_values(0);
  double sum = 0.0;
  for (Eigen::Index i = 0; i < singular_values.size(); ++i) {
    const double ratio = singular_values(i) / s1;
    sum += ratio * ratio;
  }
  return sum;
}

int energy_rank(const VectorXd& singular_values, double fraction) {
  if (!(fraction > 0.0 && fraction <= 1.0)) {
    fail(ErrorCode::kInvalidArgument, "fraction", message("fraction=", fraction, " must be in (0, 1]"));
  }
  const Eigen::Index n = singular_values.size();
  if (n == 0 || !(singular_values(0) > 0.0)) return 0;
  // Energies (s_i / s_1)^2 are summed in the same order for the total and the running sum, so at k = n
  // the running sum equals the total bit for bit, and target = fraction * total <= total is reached.
  // The target is computed once: comparing running / total >= fraction would round differently.
  const double s1 = singular_values(0);
  double total = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) total += (singular_values(i) / s1) * (singular_values(i) / s1);
  const double target = fraction * total;
  double running = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    running += (singular_values(i) / s1) * (singular_values(i) / s1);
    if (running >= target) return static_cast<int>(i + 1);
  }
  return static_cast<int>(n);
}

bool is_lower_triangular(const MatrixXd& a) {
  if (a.rows() != a.cols()) return false;
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    for (Eigen::Index j = i + 1; j < a.cols(); ++j) {
      if (a(i, j) != 0.0) return false;
    }
  }
  return true;
}

bool is_upper_triangular(const MatrixXd& a) {
  if (a.rows() != a.cols()) return false;
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    for (Eigen::Index j = 0; j < i; ++j) {
      if (a(i, j) != 0.0) return false;
    }
  }
  return true;
}

bool is_structurally_full_rank(const MatrixXd& a) {
  // The essay's argument: det of a triangular matrix = product of its diagonal, positive if every
  // diagonal entry is. Exact on the stored entries; says nothing about conditioning.
  if (a.rows() != a.cols() || a.rows() == 0) return false;
  if (!is_lower_triangular(a) && !is_upper_triangular(a)) return false;
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    if (!(a(i, i) > 0.0)) return false;
  }
  return true;
}

namespace {

bool is_triangular(const MatrixXd& a) { return is_lower_triangular(a) || is_upper_triangular(a); }

// A triangular (n, n): det = prod A_ii, taken as sum log|A_ii| (the product underflows: 1/n! is 0 in
// double at n = 171). Exact on the stored entries up to the logs' rounding: the essay's argument.
LogDet log_abs_det_of_triangular(const MatrixXd& a) {
  LogDet result;
  result.sign = 1;
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    const double diagonal = a(i, i);
    if (diagonal == 0.0) return LogDet{};
    if (diagonal < 0.0) result.sign = -result.sign;
    result.log_abs += std::log(std::fabs(diagonal));
  }
  return result;
}

// A non-triangular (n, n): partial-pivoting LU, P A = L U, det = det(P) prod U_ii, as LAPACK getrf /
// numpy.linalg.slogdet do; partial pivoting is backward stable in practice and O(2n^3/3) with blocked
// updates. compute_rank_stats no longer runs this LU for an f64 matrix (its determinant comes from the
// SVD's own reduction, docs/determinant.md); it stays for the f32 pipeline's determinant in double and as
// the tests' reference.
LogDet log_abs_det_by_lu(const MatrixXd& a) {
  const Eigen::PartialPivLU<Eigen::MatrixXd> lu{Eigen::MatrixXd(a)};
  const Eigen::MatrixXd& packed = lu.matrixLU();
  LogDet result;
  result.sign = static_cast<int>(lu.permutationP().determinant());
  for (Eigen::Index i = 0; i < packed.rows(); ++i) {
    const double pivot = packed(i, i);
    if (pivot == 0.0) return LogDet{};
    if (pivot < 0.0) result.sign = -result.sign;
    result.log_abs += std::log(std::fabs(pivot));
  }
  return result;
}

}  // namespace

LogDet log_abs_det(const MatrixXd& a) {
  // A is (n, n). Triangular: the diagonal's sum of logs; otherwise the LU.
  require_square_finite(a, "a");
  return is_triangular(a) ? log_abs_det_of_triangular(a) : log_abs_det_by_lu(a);
}

namespace {

// The structure of A, in double for both precisions; after fill_spectral_stats, whose lower-bound flag
// decides whether a non-triangular determinant (bidiagonal or LU: both backward stable, both rounding noise
// when s_n is not resolved) means anything.
void fill_structural_stats(RankStats& stats, const MatrixXd& a, bool triangular) {
  stats.structurally_full_rank = is_structurally_full_rank(a);
  stats.log_abs_det_is_reliable = triangular || !stats.condition_is_lower_bound;
}

}  // namespace

RankStats compute_rank_stats(const MatrixXd& a) {
  require_square_finite(a, "a");
  RankStats stats;
  const bool triangular = is_triangular(a);
  if (triangular) {
    fill_spectral_stats(stats, singular_values(a), Precision::F64);
    stats.log_det = log_abs_det_of_triangular(a);
  } else {
    // One reduction for both: no LU (docs/determinant.md).
    const SpectrumAndDeterminant reduced = singular_values_and_determinant(a);
    fill_spectral_stats(stats, reduced.singular_values, Precision::F64);
    stats.log_det = reduced.log_det;
  }
  fill_structural_stats(stats, a, triangular);
  return stats;
}

RankStats compute_rank_stats(const MatrixXf& a) {
  require_square_finite(a, "a");
  RankStats stats;
  fill_spectral_stats(stats, singular_values(a), Precision::F32);
  // The determinant stays in double: the float reduction's diagonal would carry float rounding, and an f64
  // reduction (8n^3/3 flops) costs about three LUs (2n^3/3), so the LU in double it is.
  const MatrixXd wide = a.cast<double>();  // exact: every float is a double
  const bool triangular = is_triangular(wide);  // once: the determinant and the structure both need it
  stats.log_det = triangular ? log_abs_det_of_triangular(wide) : log_abs_det_by_lu(wide);
  fill_structural_stats(stats, wide, triangular);
  return stats;
}

RankStats compute_rank_stats_of_rank_deficient(const VectorXd& singular_values, int rank_bound,
                                               Precision precision) {
  const Eigen::Index n = singular_values.size();
  if (!(rank_bound >= 0 && rank_bound < n)) {
    fail(ErrorCode::kInvalidArgument, "rank_bound",
         message("rank_bound=", rank_bound, " must be in [0, n) for a rank-deficient n x n matrix, n=", n));
  }
  // The claim "det = 0 exactly" rests on these: a valid descending spectrum with n - rank_bound exact zeros.
  for (Eigen::Index i = 0; i < n; ++i) {
    const double value = singular_values(i);
    if (!std::isfinite(value) || value < 0.0 || (i > 0 && value > singular_values(i - 1))) {
      fail(ErrorCode::kInvalidArgument, "singular_values",
           message("singular_values: s_", i + 1, " = ", value, " breaks a finite, non-negative, descending spectrum"));
    }
    if (i >= rank_bound && value != 0.0) {
      fail(ErrorCode::kInvalidArgument, "singular_values", message("singular_values: s_", i + 1, " = ", value,
                                                                   " must be exactly 0 beyond rank_bound=", rank_bound));
    }
  }
  RankStats stats;
  fill_spectral_stats(stats, singular_values, precision);
  stats.log_det = LogDet{};  // sign 0: det A = 0 because rank A <= rank_bound < n
  stats.log_abs_det_is_reliable = true;
  stats.structurally_full_rank = false;
  return stats;
}

double rank_stats_extra_bytes_f64(double n2) {
  return n2 * kDoubleBytes;  // the reduction's copy; a non-triangular A's determinant comes from it (no LU)
}

double rank_stats_extra_bytes_f32(double n2, bool is_triangular) {
  return std::max(n2 * kFloatBytes, (is_triangular ? 1.0 : 3.0) * n2 * kDoubleBytes);
}

}  // namespace attnrank
