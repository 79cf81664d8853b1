// Helpers shared by several tests/native/test_*.cpp files: expect_error (a call throws attnrank::Error with
// a code and an exact message), mask and seeded-input builders, the row-stochastic check of attention
// matrices, bits_of, and the Lcg test-data generator. Header-only; a file's own helpers (oracles, spec_of
// builders) stay in that file.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "errors.h"
#include "inputs.h"
#include "masks.h"

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

 private:
  std::uint64_t state_;
};

// Runs call(); expects attnrank::Error with `code` and exactly `message`.
template <typename F>
void expect_error(F&& call, ErrorCode code, const std::string& message) {
  try {
    call();
    ADD_FAILURE() << "expected an error: " << message;
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), code);
    EXPECT_EQ(std::string(error.what()), message);
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
