// Rng: pinned first outputs (xoshiro256** via SplitMix64; checked once against an independent Python
// transcription of Vigna's reference code), pinned bits of the first normals (these use det_log and
// sqrt, so the wasm run of this binary proves bit-identity), the uniform's formula and range, and
// moment sanity of the normals (fixed seed, so the bounds are deterministic, not flaky); fill_normal against
// next_normal bit for bit.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "base/det_math.h"
#include "random/rng.h"
#include "test_support.h"

namespace attnrank {
namespace {

using test::bits_of;

TEST(Rng, FirstOutputsSeed0) {
  Rng rng(0);
  EXPECT_EQ(rng.next_u64(), 0x99ec5f36cb75f2b4ULL);
  EXPECT_EQ(rng.next_u64(), 0xbf6e1f784956452aULL);
  EXPECT_EQ(rng.next_u64(), 0x1a5f849d4933e6e0ULL);
  EXPECT_EQ(rng.next_u64(), 0x6aa594f1262d2d2cULL);
}

TEST(Rng, FirstOutputsSeed7) {
  Rng rng(7);
  EXPECT_EQ(rng.next_u64(), 0xb358faf74ef9765aULL);
  EXPECT_EQ(rng.next_u64(), 0x475c3d964f482cd2ULL);
  EXPECT_EQ(rng.next_u64(), 0xd6f1d349952c7996ULL);
  EXPECT_EQ(rng.next_u64(), 0xfb2938731e807240ULL);
}

TEST(Rng, FirstNormalsExactBits) {
  Rng zero(0);
  EXPECT_EQ(bits_of(zero.next_normal()), 0x3fe323a82a4bc9e5ULL);  // 0.5981026483626094
  EXPECT_EQ(bits_of(zero.next_normal()), 0x3ff76a54f2c0eff6ULL);  // 1.4634599192204383 (the spare)
  EXPECT_EQ(bits_of(zero.next_normal()), 0xbfeca445408b78a0ULL);  // -0.89505255323799204
  EXPECT_EQ(bits_of(zero.next_normal()), 0xbfc81270d2ddbadcULL);  // -0.1880627660388744
  Rng seven(7);
  EXPECT_EQ(bits_of(seven.next_normal()), 0x3feedc0d635eea0eULL);  // 0.96436185272551866
  EXPECT_EQ(bits_of(seven.next_normal()), 0xbff1052212a30fdeULL);  // -1.0637531974798473
  EXPECT_EQ(bits_of(seven.next_normal()), 0xbfd3739755916c1eULL);  // -0.30393012386565654
  EXPECT_EQ(bits_of(seven.next_normal()), 0xbff19560dad0213aULL);  // -1.0989693210013471
}

TEST(Rng, SameSeedSameStreamOtherSeedOtherStream) {
  Rng a(12345), b(12345), c(12346);
  bool any_difference = false;
  for (int i = 0; i < 100; ++i) {
    const std::uint64_t x = a.next_u64();
    EXPECT_EQ(x, b.next_u64());
    any_difference = any_difference || x != c.next_u64();
  }
  EXPECT_TRUE(any_difference);
}

TEST(Rng, UniformIsTopBitsPlusHalfAndStrictlyInside) {
  Rng raw(99), uniform(99);
  for (int i = 0; i < 100000; ++i) {
    const std::uint64_t k = raw.next_u64() >> 12;
    const double u = uniform.next_uniform();
    ASSERT_EQ(u, (static_cast<double>(k) + 0.5) / 4503599627370496.0);
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
}

TEST(Rng, NormalMomentsAreStandard) {
  // n = 200000: std error of the mean 0.0022, of the variance 0.0032, of the 4th moment ~0.02.
  Rng rng(2024);
  const int count = 200000;
  double sum = 0, sum2 = 0, sum4 = 0;
  int beyond_two_sigma = 0;
  for (int i = 0; i < count; ++i) {
    const double x = rng.next_normal();
    ASSERT_TRUE(std::isfinite(x));
    sum += x;
    sum2 += x * x;
    sum4 += x * x * x * x;
    beyond_two_sigma += std::fabs(x) > 2.0;
  }
  const double mean = sum / count;
  const double variance = sum2 / count - mean * mean;
  EXPECT_NEAR(mean, 0.0, 0.011);
  EXPECT_NEAR(variance, 1.0, 0.016);
  EXPECT_NEAR(sum4 / count, 3.0, 0.1);
  EXPECT_NEAR(static_cast<double>(beyond_two_sigma) / count, 0.0455, 0.003);  // P(|Z| > 2)
}

TEST(Rng, FillNormalIsTheSequenceOfNextNormal) {
  // fill_normal batches pairs (64 at a time): counts around the batch and odd counts (the spare), starting
  // with and without a spare, and next_normal after it, all against one generator drawing one at a time.
  for (const std::size_t count : {0, 1, 2, 3, 63, 64, 127, 128, 129, 130, 1001}) {
    for (const bool start_with_spare : {false, true}) {
      Rng batched(11), single(11);
      if (start_with_spare) {
        EXPECT_EQ(bits_of(batched.next_normal()), bits_of(single.next_normal()));  // leaves a spare
      }
      std::vector<double> out(count + 1, -7.0);
      batched.fill_normal(out.data(), count);
      for (std::size_t i = 0; i < count; ++i) {
        ASSERT_EQ(bits_of(out[i]), bits_of(single.next_normal())) << "count " << count << ", entry " << i;
      }
      EXPECT_EQ(out[count], -7.0) << "count " << count;  // nothing written past the end
      for (int after = 0; after < 3; ++after) {
        EXPECT_EQ(bits_of(batched.next_normal()), bits_of(single.next_normal())) << "count " << count;
      }
    }
  }
}

// The normal transform's log is det_log_normal (det_math.h: det_log's arithmetic, frexp read from the bits):
// det_log's bits for every positive normal double, across the exponents (s = u^2 + v^2 is in [2^-104, 1)),
// at both ends of the normal range, at powers of two and either side of sqrt(1/2) (the mantissa's fold).
TEST(Rng, DetLogNormalIsDetLogBitForBit) {
  std::vector<double> xs = {0x1p-1022, 0x1p-104, 0x1p-52, 0.5, 0.70710678118654752440,
                            std::nextafter(0.70710678118654752440, 0.0), std::nextafter(0.70710678118654752440, 1.0),
                            std::nextafter(1.0, 0.0), 1.0, 2.0, 1e300, 1.7976931348623157e308};
  Rng rng(11);
  for (int i = 0; i < 200000; ++i) {
    const double m = 0.5 + 0.5 * rng.next_uniform();             // [0.5, 1)
    const int e = static_cast<int>(rng.next_u64() % 2045) - 1021;  // 2^e m normal: e in [-1021, 1023]
    xs.push_back(std::ldexp(m, e));
  }
  for (int i = 0; i < 100000; ++i) {
    const double u = 2.0 * rng.next_uniform() - 1.0, v = 2.0 * rng.next_uniform() - 1.0;
    if (u * u + v * v < 1.0) xs.push_back(u * u + v * v);  // the transform's own arguments
  }
  int differing = 0;
  for (const double x : xs)
    if (bits_of(det_log_normal(x)) != bits_of(det_log(x))) ++differing;
  EXPECT_EQ(differing, 0) << "of " << xs.size();
}

}  // namespace
}  // namespace attnrank
