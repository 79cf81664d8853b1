// Helpers shared by several tests/native/test_*.cpp files, one per concept: expect_error (a call throws
// attnrank::Error with a code and an exact message), mask builders and all_masks (every fixed pattern),
// seeded inputs, the row-stochastic check of attention matrices, bits_of, the Lcg test-data generator and
// test_seed (the replayable seed of the random property tests). Header-only; a file's own helpers
// (oracles, spec_of builders) stay in that file.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "attnrank/attention/masks.h"
#include "attnrank/base/errors.h"
#include "attnrank/random/inputs.h"

namespace attnrank::test {

// Tiny LCG (Knuth MMIX constants) -> uniform in [-1, 1): test data from no library generator, so a
// test's matrices are the same natively and in wasm.
class Lcg {
 public:
  explicit Lcg(std::uint64_t seed) : state_(seed) {}
  double next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state_ >> 11) * 0x1p-52 - 1.0;
  }
  // Uniform in [0, 1): the same draw as next(), (x 2^-52 - 1 + 1) / 2 = x 2^-53 exactly.
  double uniform01() { return (next() + 1.0) * 0.5; }
  // Approximately N(0, 1): a sum of 12 uniforms minus 6 (test data only).
  double normal() {
    double sum = 0.0;
    for (int i = 0; i < 12; ++i) sum += uniform01();
    return sum - 6.0;
  }
  // (rows, cols) of normal(), filled row by row.
  Eigen::MatrixXd matrix(int rows, int cols) {
    Eigen::MatrixXd m(rows, cols);
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) m(i, j) = normal();
    return m;
  }

 private:
  std::uint64_t state_;
};

// Orthogonal (n, n): the product of `reflections` Householder reflections I - 2 v v^T / (v^T v), each v
// drawn from Lcg(seed). Its determinant is (-1)^reflections.
inline attnrank::MatrixXd householder_product(int n, int reflections, std::uint64_t seed) {
  Lcg lcg(seed);
  attnrank::MatrixXd q = attnrank::MatrixXd::Identity(n, n);
  for (int r = 0; r < reflections; ++r) {
    Eigen::VectorXd v(n);
    for (int i = 0; i < n; ++i) v(i) = lcg.next();
    q -= (2.0 / v.squaredNorm()) * (q * v) * v.transpose();
  }
  return q;
}

// A = U diag(sigma) V^T (n, n) rounded to double, with the given singular values (any order,
// non-negative): U and V products of `reflections` reflections from seeds `seed` and `seed + 1`.
inline attnrank::MatrixXd with_spectrum(const std::vector<double>& sigma, std::uint64_t seed, int reflections) {
  const int n = static_cast<int>(sigma.size());
  Eigen::VectorXd s(n);
  for (int i = 0; i < n; ++i) s(i) = sigma[static_cast<std::size_t>(i)];
  return householder_product(n, reflections, seed) * s.asDiagonal() *
         householder_product(n, reflections, seed + 1).transpose();
}

// Runs call(); expects attnrank::Error with `code` and exactly `message` (and naming `param` when given).
template <typename F>
void expect_error(F&& call, ErrorCode code, const std::string& message, const char* param = nullptr) {
  try {
    call();
    ADD_FAILURE() << "expected an error: " << message;
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), code);
    EXPECT_EQ(std::string(error.what()), message);
    if (param != nullptr) {
      EXPECT_EQ(error.param(), param);
    }
  }
}

inline MaskSpec mask_spec(PatternKind kind, int prefix = 0, int window = 1) {
  MaskSpec spec;
  spec.kind = kind;
  spec.prefix = prefix;
  spec.window = window;
  return spec;
}

inline Mask mask_of(PatternKind kind, int n, int prefix = 0, int window = 1) {
  return build_mask(mask_spec(kind, prefix, window), n);
}

// The spec every all_masks() test uses for `kind` at n: p = n / 2, w = 3 (window), w = 2 (forward_window).
// No default: a new PatternKind does not compile (-Wswitch, -Werror) until it has a case here and is in
// all_masks' list below.
inline MaskSpec fixed_mask_spec(PatternKind kind, int n) {
  switch (kind) {
    case PatternKind::kBidirectional:
    case PatternKind::kForward:
    case PatternKind::kBackward: return mask_spec(kind);
    case PatternKind::kPrefix: return mask_spec(kind, n / 2);
    case PatternKind::kWindow: return mask_spec(kind, 0, 3);
    case PatternKind::kForwardWindow: return mask_spec(kind, 0, 2);
    case PatternKind::kCustom: break;  // a user's matrix, not a fixed pattern
  }
  ADD_FAILURE() << "fixed_mask_spec: not a fixed pattern";
  return mask_spec(PatternKind::kBidirectional);
}

// Every fixed pattern (custom left out), in the enum's order: the one list the softmax and linear
// attention tests iterate (two drifted copies once kept forward_window out of the linear tests).
inline std::vector<PatternKind> all_fixed_patterns() {
  return {PatternKind::kBidirectional, PatternKind::kPrefix, PatternKind::kForward,
          PatternKind::kBackward,      PatternKind::kWindow, PatternKind::kForwardWindow};
}

inline std::vector<Mask> all_masks(int n) {
  std::vector<Mask> masks;
  for (const PatternKind kind : all_fixed_patterns()) masks.push_back(build_mask(fixed_mask_spec(kind, n), n));
  return masks;
}

// The base seed of the random property tests, as Eigen's tests do it: ATTNRANK_TEST_SEED (decimal) when
// set, else kDefaultTestSeed, printed once per run. A property test draws its cases from seeds derived
// from it and names them in a SCOPED_TRACE (seed_trace), so a failure replays with
//   ATTNRANK_TEST_SEED=<seed> ctest --test-dir <build> -R <test>   (natively and in wasm: wasm_env.js).
inline constexpr std::uint64_t kDefaultTestSeed = 1;
inline std::uint64_t test_seed() {
  static const std::uint64_t seed = [] {
    std::uint64_t value = kDefaultTestSeed;
    if (const char* text = std::getenv("ATTNRANK_TEST_SEED")) {
      char* end = nullptr;
      value = std::strtoull(text, &end, 10);
      if (end == text || *end != '\0') {
        std::fprintf(stderr, "ATTNRANK_TEST_SEED=%s is not a decimal integer\n", text);
        std::abort();
      }
    }
    std::printf("[   SEED   ] ATTNRANK_TEST_SEED=%llu\n", static_cast<unsigned long long>(value));
    return value;
  }();
  return seed;
}

// `count` seeds of a property test: first .. first + count - 1 under the default base (the cases the test
// was written with), all shifted by ATTNRANK_TEST_SEED - kDefaultTestSeed when that is set.
inline std::vector<std::uint64_t> property_seeds(int count, std::uint64_t first = 0) {
  std::vector<std::uint64_t> seeds;
  for (int i = 0; i < count; ++i) seeds.push_back(test_seed() - kDefaultTestSeed + first + static_cast<std::uint64_t>(i));
  return seeds;
}

// For a SCOPED_TRACE at the top of every property test: how to replay its run.
inline std::string seed_trace() { return "replay: ATTNRANK_TEST_SEED=" + std::to_string(test_seed()); }

// Seeded Q, K, V of shape (n, d), no RoPE, no repetition.
inline InputMatrices inputs_of(int n, int d, std::uint64_t seed) {
  InputSpec spec;
  spec.n = n;
  spec.d = d;
  spec.seed = seed;
  return generate_inputs(spec);
}

// Rows sum to 1, masked entries are exactly 0, allowed entries are finite and >= 0.
template <typename Matrix>
void expect_stochastic(const Matrix& a, const Mask& mask, double tol) {
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    double sum = 0;
    for (Eigen::Index j = 0; j < a.cols(); ++j) {
      ASSERT_TRUE(std::isfinite(a(i, j))) << i << "," << j;
      ASSERT_GE(a(i, j), 0);
      if (!mask(i, j)) {
        ASSERT_EQ(a(i, j), 0) << "masked (" << i << ", " << j << ")";
      }
      sum += a(i, j);
    }
    ASSERT_NEAR(sum, 1.0, tol) << "row " << i;
  }
}

inline std::uint64_t bits_of(double x) {
  std::uint64_t b = 0;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

}  // namespace attnrank::test
