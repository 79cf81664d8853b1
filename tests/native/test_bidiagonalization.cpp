// Tests of householder_bidiagonalize (linalg/bidiagonalization.h), the SVD's reduction: with the
// reflectors formed in long double, Q and P are orthogonal and Q B P^T reproduces A to a small multiple of
// eps ||A|| (so B has A's singular values to that accuracy, the bound docs/svd-choice.md states); B's
// singular values match a known spectrum; edge shapes (1 x 1, 2 x 2, the panel width - 1, = and + 1, tall
// rectangular, several panels), zero, rank-deficient, exact power-of-two equivariance from 2^-60 to 2^60;
// and the pinned hash of singular_values on seeded matrices (n = 64, 300; f64, f32), the same constant
// natively on each vector path and compiled to wasm under node: the SVD gives the same bits everywhere.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "lab/kernels.h"
#include "linalg/bidiagonal_svd.h"
#include "linalg/bidiagonalization.h"
#include "linalg/spectrum.h"
#include "test_support.h"

namespace attnrank {
namespace {

using test::Lcg;
using LongMatrix = Eigen::Matrix<long double, Eigen::Dynamic, Eigen::Dynamic>;

template <typename T>
constexpr double kEps = std::is_same_v<T, double> ? 0x1p-52 : 0x1p-23;

// The reduction's output, A (rows, cols) row-major as reduced, and the inputs kept for the checks.
template <typename T>
struct Reduction {
  int rows = 0, cols = 0;
  std::vector<T> input, reduced, d, e, tau_left, tau_right;
};

template <typename T>
Reduction<T> reduce(int rows, int cols, const std::vector<T>& a, int block = kBidiagonalBlock) {
  Reduction<T> out;
  out.rows = rows;
  out.cols = cols;
  out.input = a;
  out.reduced = a;
  out.d.assign(cols, T(0));
  out.e.assign(cols > 0 ? cols - 1 : 0, T(0));
  out.tau_left.assign(cols, T(0));
  out.tau_right.assign(cols > 0 ? cols - 1 : 0, T(0));
  householder_bidiagonalize(rows, cols, out.reduced.data(), cols, out.d.data(), out.e.data(), out.tau_left.data(),
                            out.tau_right.data(), block);
  return out;
}

// Q = H_0 ... H_{cols-1} (rows, rows) and P = G_0 ... G_{cols-2} (cols, cols) in long double, from the
// vectors and taus the header documents.
template <typename T>
void form_reflectors(const Reduction<T>& r, LongMatrix& q, LongMatrix& p) {
  const int m = r.rows, n = r.cols;
  q = LongMatrix::Identity(m, m);
  p = LongMatrix::Identity(n, n);
  for (int k = n - 1; k >= 0; --k) {  // Q = H_0 (H_1 (... H_{n-1}))
    Eigen::Matrix<long double, Eigen::Dynamic, 1> v = Eigen::Matrix<long double, Eigen::Dynamic, 1>::Zero(m);
    v(k) = 1;
    for (int i = k + 1; i < m; ++i) v(i) = r.reduced[static_cast<std::size_t>(i) * n + k];
    q -= static_cast<long double>(r.tau_left[k]) * v * (v.transpose() * q);
  }
  for (int k = n - 2; k >= 0; --k) {
    Eigen::Matrix<long double, Eigen::Dynamic, 1> u = Eigen::Matrix<long double, Eigen::Dynamic, 1>::Zero(n);
    u(k + 1) = 1;
    for (int j = k + 2; j < n; ++j) u(j) = r.reduced[static_cast<std::size_t>(k) * n + j];
    p -= static_cast<long double>(r.tau_right[k]) * u * (u.transpose() * p);
  }
}

// max |Q^T Q - I|, max |P^T P - I| and max |Q B P^T - A| / max |A| (entrywise), in units of eps.
template <typename T>
struct Residuals {
  double q_orthogonality, p_orthogonality, reconstruction;
};

template <typename T>
Residuals<T> residuals(const Reduction<T>& r) {
  LongMatrix q, p;
  form_reflectors(r, q, p);
  const int m = r.rows, n = r.cols;
  LongMatrix b = LongMatrix::Zero(m, n), a(m, n);
  for (int i = 0; i < n; ++i) b(i, i) = r.d[i];
  for (int i = 0; i + 1 < n; ++i) b(i, i + 1) = r.e[i];
  long double largest = 0;
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      a(i, j) = r.input[static_cast<std::size_t>(i) * n + j];
      largest = std::max(largest, std::abs(a(i, j)));
    }
  const long double eps = kEps<T>;
  Residuals<T> out;
  out.q_orthogonality = static_cast<double>((q.transpose() * q - LongMatrix::Identity(m, m)).cwiseAbs().maxCoeff() / eps);
  out.p_orthogonality = static_cast<double>((p.transpose() * p - LongMatrix::Identity(n, n)).cwiseAbs().maxCoeff() / eps);
  out.reconstruction = largest == 0 ? static_cast<double>((q * b * p.transpose()).cwiseAbs().maxCoeff())
                                    : static_cast<double>((q * b * p.transpose() - a).cwiseAbs().maxCoeff() / (largest * eps));
  return out;
}

template <typename T>
std::vector<T> random_matrix(int rows, int cols, std::uint64_t seed) {
  Lcg lcg(seed);
  std::vector<T> a(static_cast<std::size_t>(rows) * cols);
  for (T& value : a) value = static_cast<T>(lcg.next());
  return a;
}

// Orthogonality and reconstruction within (4 rows + 8) eps: Householder's bound is a modest multiple of
// the dimension (measured: at most ~2 rows eps, 6.3 eps for a 3 x 3); a reflector that is not orthogonal
// (tau inconsistent with w) gives errors of order 1, 1e12 eps and more.
template <typename T>
void expect_orthogonal_reduction(int rows, int cols, const std::vector<T>& a, int block = kBidiagonalBlock) {
  const Residuals<T> res = residuals(reduce(rows, cols, a, block));
  const double bound = 4.0 * rows + 8.0;
  EXPECT_LE(res.q_orthogonality, bound) << rows << " x " << cols << " block " << block;
  EXPECT_LE(res.p_orthogonality, bound) << rows << " x " << cols << " block " << block;
  EXPECT_LE(res.reconstruction, bound) << rows << " x " << cols << " block " << block;
}

struct Shape {
  int rows, cols;
};
// 1 x 1, 2 x 2, the panel width (kBidiagonalBlock = 8) - 1, = and + 1, two and several panels, 31 to 33
// (the width LAPACK and this file took before), tall rectangular.
static_assert(kBidiagonalBlock == 8, "the shapes below straddle panels of 8 columns: choose them afresh");
const Shape kShapes[] = {{1, 1}, {2, 1}, {2, 2}, {3, 3}, {7, 7}, {8, 8}, {9, 9}, {17, 17}, {31, 31}, {32, 32},
                         {33, 33}, {65, 65}, {100, 100}, {150, 70}, {97, 33}, {40, 1}};

TEST(Bidiagonalization, ReflectorsAreOrthogonalAndReproduceTheMatrixF64) {
  for (const Shape& s : kShapes) expect_orthogonal_reduction(s.rows, s.cols, random_matrix<double>(s.rows, s.cols, 7 + s.rows));
}

TEST(Bidiagonalization, ReflectorsAreOrthogonalAndReproduceTheMatrixF32) {
  for (const Shape& s : kShapes) expect_orthogonal_reduction(s.rows, s.cols, random_matrix<float>(s.rows, s.cols, 9 + s.cols));
}

// The panel width changes the order of operations, never the result beyond rounding: 1 (unblocked),
// 5, 8 (the default), 32 and the whole width in one panel.
TEST(Bidiagonalization, EveryPanelWidthIsAnOrthogonalReduction) {
  const auto a = random_matrix<double>(70, 61, 3);
  for (int block : {1, 5, 8, 32, 61}) expect_orthogonal_reduction(70, 61, a, block);
}

// A = U diag(sigma) V^T with known sigma (test_support.h: U, V products of 3 Householder reflections): B's
// singular values (bidiagonal solver) are sigma within 4 n eps s_1, the floor-scale bound of spectrum.h.
TEST(Bidiagonalization, BidiagonalHasTheKnownSpectrum) {
  const int n = 80;
  std::vector<double> sigma(n);
  for (int i = 0; i < n; ++i) sigma[i] = std::pow(10.0, -0.1 * ((i * 37) % n));  // 1 .. 1e-7.9
  const MatrixXd a = test::with_spectrum(sigma, 41, 3);
  Reduction<double> r = reduce(n, n, std::vector<double>(a.data(), a.data() + a.size()));
  ASSERT_TRUE(bidiagonal_singular_values(r.d, r.e));
  std::sort(sigma.rbegin(), sigma.rend());
  for (int i = 0; i < n; ++i) EXPECT_NEAR(r.d[i], sigma[i], 4.0 * n * kEps<double>) << "i=" << i;
}

TEST(Bidiagonalization, ZeroMatrixGivesZeroBidiagonalAndIdentityReflectors) {
  Reduction<double> r = reduce(40, 33, std::vector<double>(40 * 33, 0.0));
  for (double value : r.d) EXPECT_EQ(value, 0.0);
  for (double value : r.e) EXPECT_EQ(value, 0.0);
  for (double tau : r.tau_left) EXPECT_EQ(tau, 0.0);
  for (double tau : r.tau_right) EXPECT_EQ(tau, 0.0);
}

// Rank 3 (n = 70, outer products of LCG vectors): orthogonal reduction, and B has 3 values above the
// floor s_1 n eps and n - 3 at or below it.
TEST(Bidiagonalization, RankDeficientMatrixKeepsItsRank) {
  const int n = 70;
  const auto left = random_matrix<double>(n, 3, 5), right = random_matrix<double>(n, 3, 6);
  std::vector<double> a(static_cast<std::size_t>(n) * n, 0.0);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int c = 0; c < 3; ++c) a[static_cast<std::size_t>(i) * n + j] += left[i * 3 + c] * right[j * 3 + c];
  expect_orthogonal_reduction(n, n, a);
  Reduction<double> r = reduce(n, n, a);
  ASSERT_TRUE(bidiagonal_singular_values(r.d, r.e));
  const double floor = accuracy_floor(r.d[0], n, Precision::F64);
  EXPECT_GT(r.d[2], floor);
  for (int i = 3; i < n; ++i) EXPECT_LE(r.d[i], floor) << "i=" << i;
}

// Multiplying A by 2^k multiplies every intermediate value by 2^k (or 2^2k under a square root): the
// reduction has no threshold other than the reflectors' smallest-normal rule, so d and e scale exactly.
TEST(Bidiagonalization, PowerOfTwoScalingIsExact) {
  const int rows = 45, cols = 40;
  const auto a = random_matrix<double>(rows, cols, 12);
  const Reduction<double> base = reduce(rows, cols, a);
  for (int power : {-60, -7, 9, 60}) {
    std::vector<double> scaled = a;
    for (double& value : scaled) value = std::ldexp(value, power);
    const Reduction<double> r = reduce(rows, cols, scaled);
    for (int i = 0; i < cols; ++i) EXPECT_EQ(r.d[i], std::ldexp(base.d[i], power)) << "2^" << power << " d " << i;
    for (int i = 0; i + 1 < cols; ++i) EXPECT_EQ(r.e[i], std::ldexp(base.e[i], power)) << "2^" << power << " e " << i;
  }
}

// Entries spanning 2^-200 .. 1 in one matrix (columns graded): still an orthogonal reduction, nothing
// lost to a norm that under- or overflows.
TEST(Bidiagonalization, GradedColumnsFromTinyToOne) {
  const int n = 36;
  auto a = random_matrix<double>(n, n, 21);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) a[static_cast<std::size_t>(i) * n + j] = std::ldexp(a[static_cast<std::size_t>(i) * n + j], -6 * j);
  expect_orthogonal_reduction(n, n, a);
}

// ---- The pinned hash: singular_values of seeded softmax-like matrices, FNV-1a over the doubles' bytes.

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

std::uint64_t fnv1a(const VectorXd& values, std::uint64_t hash) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(values.data());
  for (std::size_t i = 0; i < static_cast<std::size_t>(values.size()) * sizeof(double); ++i)
    hash = (hash ^ bytes[i]) * kFnvPrime;
  return hash;
}

// Row-stochastic like a softmax (n, n), causal rows zero above the diagonal: std::exp may differ between
// C libraries, so an entry is 3 + x + x^2 / 2 + x^3 / 6 (x = 2u, u from the LCG; positive on [-2, 2)),
// then each row is divided by its sum. Only + - * / and sqrt (correctly rounded everywhere) follow.
MatrixXd seeded_attention_like(int n, bool causal, std::uint64_t seed) {
  Lcg lcg(seed);
  MatrixXd a = MatrixXd::Zero(n, n);
  for (int i = 0; i < n; ++i) {
    double sum = 0;
    for (int j = 0; j < (causal ? i + 1 : n); ++j) {
      const double x = 2.0 * lcg.next();
      const double value = 3.0 + x + x * x / 2.0 + x * x * x / 6.0;
      a(i, j) = value;
      sum = sum + value;
    }
    for (int j = 0; j < n; ++j) a(i, j) = a(i, j) / sum;
  }
  return a;
}

std::uint64_t spectrum_hash() {
  std::uint64_t hash = kFnvOffset;
  for (int n : {64, 300})
    for (bool causal : {false, true}) {
      const MatrixXd a = seeded_attention_like(n, causal, 1000 + n + causal);
      hash = fnv1a(singular_values(a), hash);
      hash = fnv1a(singular_values(MatrixXf(a.cast<float>())), hash);
    }
  return hash;
}

// Pinned from the native x86-64 build (128-bit path); the 256-bit path and the wasm build of this file
// must give the same constant. Re-pinned in session 14 twice: for panels of 8 columns (one pass per product
// over whole rows), then for the dqds bidiagonal solver (linalg/bidiagonal_svd.cpp): each time sse2, avx2
// and wasm-simd128 gave this same value.
constexpr std::uint64_t kSpectrumHash = 4576110319950965022ULL;

TEST(SingularValues, PinnedHashIsTheSameOnEveryVectorPathAndInWasm) {
  std::vector<bool> paths{false};
  if (lab::wide_vectors_available()) paths.push_back(true);
  for (bool wide : paths) {
    const bool before = lab::set_wide_vectors(wide);
    EXPECT_EQ(spectrum_hash(), kSpectrumHash) << "isa " << lab::kernel_isa();
    lab::set_wide_vectors(before);
  }
}

// The determinant from the same reduction (singular_values_and_determinant) sums its logs with det_log, so
// it is bit-identical wherever the spectrum is: the sign and log|det| bits of the dense matrices above (the
// causal ones take compute_rank_stats' triangular path and are not reduced for it), pinned likewise.
std::uint64_t determinant_hash() {
  std::uint64_t hash = kFnvOffset;
  for (int n : {64, 300}) {
    const MatrixXd a = seeded_attention_like(n, false, 1000 + n);
    const SpectrumAndDeterminant reduced = singular_values_and_determinant(a);
    EXPECT_EQ(reduced.singular_values, singular_values(a));
    EXPECT_EQ(reduced.log_det.sign, log_abs_det(a).sign) << "n=" << n;  // the LU's, resolved matrices
    VectorXd bits(2);
    bits << static_cast<double>(reduced.log_det.sign), reduced.log_det.log_abs;
    hash = fnv1a(bits, hash);
  }
  return hash;
}

constexpr std::uint64_t kDeterminantHash = 369716072102793508ULL;

TEST(SingularValuesAndDeterminant, PinnedHashIsTheSameOnEveryVectorPathAndInWasm) {
  std::vector<bool> paths{false};
  if (lab::wide_vectors_available()) paths.push_back(true);
  for (bool wide : paths) {
    const bool before = lab::set_wide_vectors(wide);
    EXPECT_EQ(determinant_hash(), kDeterminantHash) << "isa " << lab::kernel_isa();
    lab::set_wide_vectors(before);
  }
}

}  // namespace
}  // namespace attnrank
