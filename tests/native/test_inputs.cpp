// Seeded inputs: determinism, pinned FNV-1a hashes of the bytes of Q, K, V (n = 16, d = 8, seed = 7,
// with and without RoPE and repetition; the wasm run of this binary must reproduce them), the draw
// order, repeated tokens before RoPE, RoPE's norm preservation and angles, and validation messages.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "attnrank/base/errors.h"
#include "attnrank/random/inputs.h"
#include "random/rng.h"
#include "test_support.h"

namespace attnrank {
namespace {

using test::expect_error;

// FNV-1a 64 over the little-endian bytes of Q, then K, then V (row-major storage).
std::uint64_t fnv1a(const InputMatrices& inputs) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const MatrixXd* x : {&inputs.q, &inputs.k, &inputs.v}) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(x->data());
    for (Eigen::Index i = 0; i < x->size() * static_cast<Eigen::Index>(sizeof(double)); ++i) {
      hash ^= bytes[i];
      hash *= 0x100000001b3ULL;
    }
  }
  return hash;
}

InputSpec spec_of(int n, int d, std::uint64_t seed, bool rope, int repeat) {
  InputSpec spec;
  spec.n = n;
  spec.d = d;
  spec.seed = seed;
  spec.rope = rope;
  spec.repeat_period = repeat;
  return spec;
}

TEST(Inputs, PinnedHashes) {
  // Golden values from the x86-64 build; any change to the generator, the draw order, the repetition
  // or RoPE changes them (then update deliberately: saved links and figures change with them).
  EXPECT_EQ(fnv1a(generate_inputs(spec_of(16, 8, 7, false, 0))), 0xfdd49f4c536133b0ULL);
  EXPECT_EQ(fnv1a(generate_inputs(spec_of(16, 8, 7, false, 5))), 0x03de912c34bba923ULL);
  EXPECT_EQ(fnv1a(generate_inputs(spec_of(16, 8, 7, true, 0))), 0x8b934d932e25cb5aULL);
  EXPECT_EQ(fnv1a(generate_inputs(spec_of(16, 8, 7, true, 5))), 0x7c49e515f94f0b02ULL);
}

TEST(Inputs, QueryKeyInputsAreThoseOfGenerateInputsWithoutV) {
  // analyze() draws Q and K only: V comes last from the stream, so they are the same bits (the pinned hashes
  // above cover generate_inputs; this ties the other entry point to it, RoPE and repetition included).
  for (const bool rope : {false, true})
    for (const int repeat : {0, 5}) {
      const InputSpec spec = spec_of(40, 9, 13, rope, repeat);
      const InputMatrices all = generate_inputs(spec);
      const InputMatrices query_key = generate_query_key_inputs(spec);
      EXPECT_EQ(query_key.q, all.q) << "rope " << rope << ", repeat " << repeat;
      EXPECT_EQ(query_key.k, all.k) << "rope " << rope << ", repeat " << repeat;
      EXPECT_EQ(query_key.v.size(), 0) << "rope " << rope << ", repeat " << repeat;
    }
}

TEST(Inputs, DeterministicAndSeedSensitive) {
  const InputMatrices a = generate_inputs(spec_of(32, 6, 3, true, 0));
  const InputMatrices b = generate_inputs(spec_of(32, 6, 3, true, 0));
  const InputMatrices c = generate_inputs(spec_of(32, 6, 4, true, 0));
  EXPECT_EQ(a.q, b.q);
  EXPECT_EQ(a.k, b.k);
  EXPECT_EQ(a.v, b.v);
  EXPECT_NE(a.q, c.q);
}

TEST(Inputs, DrawOrderIsQThenKThenVRowMajor) {
  const int n = 5, d = 3;
  const InputMatrices inputs = generate_inputs(spec_of(n, d, 11, false, 0));
  Rng rng(11);
  for (const MatrixXd* x : {&inputs.q, &inputs.k, &inputs.v})
    for (int i = 0; i < n; ++i)
      for (int c = 0; c < d; ++c) ASSERT_EQ((*x)(i, c), rng.next_normal()) << i << "," << c;
}

TEST(Inputs, RepeatedTokensDrawOnlyDistinctRowsAndCopyThem) {
  const int n = 10, d = 4, r = 3;
  const InputMatrices inputs = generate_inputs(spec_of(n, d, 5, false, r));
  Rng rng(5);  // Q's 3 distinct rows, then K's 3, then V's 3
  for (const MatrixXd* x : {&inputs.q, &inputs.k, &inputs.v}) {
    for (int i = 0; i < r; ++i)
      for (int c = 0; c < d; ++c) ASSERT_EQ((*x)(i, c), rng.next_normal());
    for (int i = r; i < n; ++i) EXPECT_EQ(x->row(i), x->row(i % r)) << "row " << i;
  }
  EXPECT_NE(inputs.q.row(0), inputs.q.row(1));
}

TEST(Inputs, RepeatPeriodAtLeastNMeansAllDistinct) {
  EXPECT_EQ(generate_inputs(spec_of(8, 4, 9, false, 8)).q, generate_inputs(spec_of(8, 4, 9, false, 0)).q);
  EXPECT_EQ(generate_inputs(spec_of(8, 4, 9, false, 100)).k, generate_inputs(spec_of(8, 4, 9, false, 0)).k);
}

TEST(Inputs, RopeIsAppliedAfterRepetitionToQAndKOnly) {
  const InputMatrices plain = generate_inputs(spec_of(12, 8, 2, false, 4));
  const InputMatrices roped = generate_inputs(spec_of(12, 8, 2, true, 4));
  MatrixXd q = plain.q;
  apply_rope(q);
  EXPECT_EQ(roped.q, q);
  EXPECT_EQ(roped.v, plain.v);
  // Repeated tokens at different positions differ after RoPE but keep their norms.
  EXPECT_NE(roped.q.row(1), roped.q.row(5));
  EXPECT_NEAR(roped.q.row(1).norm(), roped.q.row(5).norm(), 1e-14 * roped.q.row(1).norm());
}

TEST(Inputs, RopePreservesRowNormsAndLeavesPositionZero) {
  for (int d : {1, 2, 7, 8, 64}) {
    MatrixXd x = generate_inputs(spec_of(300, d, 1, false, 0)).q;
    const MatrixXd before = x;
    apply_rope(x);
    EXPECT_EQ(x.row(0), before.row(0)) << "d=" << d;
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      ASSERT_NEAR(x.row(i).norm(), before.row(i).norm(), 1e-14 * before.row(i).norm()) << "d=" << d;
    if (d % 2 == 1) {
      EXPECT_EQ(x.col(d - 1), before.col(d - 1)) << "odd last column untouched";
    }
  }
}

TEST(Inputs, RopeAnglesMatchTheFormula) {
  // Row i, pair t turned by i * 10000^(-2t/d), checked with libm (not bit-exact: within 1e-12).
  const int n = 50, d = 6;
  MatrixXd x = MatrixXd::Zero(n, d);
  for (int i = 0; i < n; ++i)
    for (int t = 0; t < d / 2; ++t) x(i, 2 * t) = 1.0;  // unit vector (1, 0) in every pair
  apply_rope(x);
  for (int i = 0; i < n; ++i)
    for (int t = 0; t < d / 2; ++t) {
      const double angle = i * std::pow(10000.0, -2.0 * t / d);
      EXPECT_NEAR(x(i, 2 * t), std::cos(angle), 1e-12);
      EXPECT_NEAR(x(i, 2 * t + 1), std::sin(angle), 1e-12);
    }
}

TEST(Inputs, EntriesLookStandardNormal) {
  const MatrixXd q = generate_inputs(spec_of(512, 64, 0, false, 0)).q;
  EXPECT_NEAR(q.mean(), 0.0, 0.01);
  EXPECT_NEAR(q.squaredNorm() / static_cast<double>(q.size()), 1.0, 0.02);
}

TEST(Inputs, ValidationNamesParameterAndValue) {
  const ErrorCode bad = ErrorCode::kInvalidArgument;
  expect_error([] { validate_input_spec(spec_of(0, 8, 0, false, 0)); }, bad, "n=0 must be in [1, 4096]");
  expect_error([] { generate_inputs(spec_of(4097, 8, 0, false, 0)); }, bad, "n=4097 must be in [1, 4096]");
  expect_error([] { generate_inputs(spec_of(4, 0, 0, false, 0)); }, bad, "d=0 must be in [1, 1024]");
  expect_error([] { generate_inputs(spec_of(4, 1025, 0, false, 0)); }, bad, "d=1025 must be in [1, 1024]");
  expect_error([] { generate_inputs(spec_of(4, 2, 4294967296ULL, false, 0)); }, bad,
               "seed=4294967296 must be in [0, 4294967295]");
  expect_error([] { generate_inputs(spec_of(4, 2, std::numeric_limits<std::uint64_t>::max(), false, 0)); },
               bad, "seed=18446744073709551615 must be in [0, 4294967295]");
  expect_error([] { generate_inputs(spec_of(4, 2, 0, false, -1)); }, bad, "repeat=-1 must be in [0, 4096]");
  expect_error([] { generate_inputs(spec_of(4, 2, 0, false, 4097)); }, bad,
               "repeat=4097 must be in [0, 4096]");
  EXPECT_NO_THROW(validate_input_spec(spec_of(4096, 1024, 4294967295ULL, true, 4096)));
}

}  // namespace
}  // namespace attnrank
