// det_log / det_exp / det_sin / det_cos: accuracy against the C library over thousands of points of the
// documented domain (error in ulp), special values, and pinned bit patterns. The pinned bits are what
// make the wasm run of this same binary prove native == wasm for the functions the inputs depend on.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "base/det_math.h"
#include "test_support.h"

namespace attnrank {
namespace {

using test::bits_of;

// Both libm and det_* are within ~1 ulp of the truth, so they may differ by up to ~2.
constexpr std::int64_t kMaxUlp = 2;

// Distance in units in the last place, on the ordered integer line of doubles.
std::int64_t ulp_distance(double a, double b) {
  auto ordered = [](double x) {
    std::int64_t i = 0;
    std::memcpy(&i, &x, sizeof i);
    return i < 0 ? std::numeric_limits<std::int64_t>::min() - i : i;
  };
  const std::int64_t da = ordered(a), db = ordered(b);
  return da > db ? da - db : db - da;
}

// A deterministic low-discrepancy sequence in [0, 1): fractional parts of k * golden ratio.
double sample(int k) { return std::fmod(k * 0.6180339887498949, 1.0); }

TEST(DetMath, LogMatchesLibmAcrossAllDecades) {
  std::int64_t worst = 0;
  for (int k = 0; k < 20000; ++k) {
    const double x = std::ldexp(1.0 + sample(k), -1074 + (k * 7919) % 2098);  // subnormal .. 2^1023
    worst = std::max(worst, ulp_distance(det_log(x), std::log(x)));
  }
  for (int k = 0; k < 20000; ++k) {  // near 1, where log(1 + f) ~ f must keep its digits
    const double x = 1.0 + (sample(k) - 0.5) * 1e-3 * std::pow(10.0, -(k % 12));
    worst = std::max(worst, ulp_distance(det_log(x), std::log(x)));
  }
  EXPECT_LE(worst, kMaxUlp);
}

TEST(DetMath, LogSpecialValues) {
  EXPECT_EQ(det_log(1.0), 0.0);
  EXPECT_EQ(det_log(0.0), -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(det_log(-1.0)));
  EXPECT_EQ(det_log(std::numeric_limits<double>::infinity()), std::numeric_limits<double>::infinity());
  EXPECT_LE(ulp_distance(det_log(std::numeric_limits<double>::max()), std::log(std::numeric_limits<double>::max())), 1);
  EXPECT_LE(ulp_distance(det_log(std::numeric_limits<double>::denorm_min()), -744.44007192138126), 1);
}

TEST(DetMath, ExpMatchesLibmOnItsDomain) {
  std::int64_t worst = 0;
  for (int k = 0; k < 40000; ++k) {
    const double x = (sample(k) - 0.5) * 1400.0;  // |x| < 700
    worst = std::max(worst, ulp_distance(det_exp(x), std::exp(x)));
  }
  for (int k = 0; k < 10000; ++k) {  // small arguments, exp(x) ~ 1 + x
    const double x = (sample(k) - 0.5) * std::pow(10.0, -(k % 16));
    worst = std::max(worst, ulp_distance(det_exp(x), std::exp(x)));
  }
  EXPECT_LE(worst, kMaxUlp);
}

TEST(DetMath, ExpSpecialValues) {
  EXPECT_EQ(det_exp(0.0), 1.0);
  EXPECT_EQ(det_exp(-800.0), 0.0);
  EXPECT_EQ(det_exp(710.0), std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(det_exp(std::nan(""))));
  EXPECT_LE(ulp_distance(det_exp(1.0), 2.718281828459045), 1);
  EXPECT_LE(ulp_distance(det_exp(-740.0), std::exp(-740.0)), 1);  // subnormal result
}

TEST(DetMath, SinCosMatchLibmUpToOneMillion) {
  std::int64_t worst = 0;
  for (int k = 0; k < 40000; ++k) {
    const double x = (sample(k) - 0.5) * 2.0 * std::pow(10.0, k % 7);  // |x| < 1e6, all scales
    worst = std::max(worst, ulp_distance(det_sin(x), std::sin(x)));
    worst = std::max(worst, ulp_distance(det_cos(x), std::cos(x)));
  }
  EXPECT_LE(worst, kMaxUlp);
}

TEST(DetMath, SinCosNearMultiplesOfHalfPi) {
  // Doubles closest to n pi / 2: the reduction must not lose the few significant bits left.
  std::int64_t worst = 0;
  for (int n = 1; n < 600000; n += 997) {
    const double x = n * 1.5707963267948966;
    worst = std::max(worst, ulp_distance(det_sin(x), std::sin(x)));
    worst = std::max(worst, ulp_distance(det_cos(x), std::cos(x)));
  }
  EXPECT_LE(worst, kMaxUlp);
}

TEST(DetMath, SinCosSpecialAndOutOfDomain) {
  EXPECT_EQ(det_sin(0.0), 0.0);
  EXPECT_EQ(det_cos(0.0), 1.0);
  EXPECT_EQ(det_sin(1e-300), 1e-300);
  EXPECT_TRUE(std::isnan(det_sin(2e6)));
  EXPECT_TRUE(std::isnan(det_cos(-2e6)));
  EXPECT_TRUE(std::isnan(det_sin(std::numeric_limits<double>::infinity())));
  EXPECT_TRUE(std::isnan(det_cos(std::nan(""))));
}

TEST(DetMath, PinnedBitsAreTheSameOnEveryPlatform) {
  // Golden bits from the x86-64 build; the wasm build of this test must reproduce them exactly.
  EXPECT_EQ(bits_of(det_log(10000.0)), 0x40226bb1bbb55516ULL);  // 9.2103403719761836 (RoPE base)
  EXPECT_EQ(bits_of(det_exp(-0.5)), 0x3fe368b2fc6f960aULL);
  EXPECT_EQ(bits_of(det_sin(4095.0)), 0xbfefee26bf3a602eULL);   // largest RoPE angle at n = 4096
  EXPECT_EQ(bits_of(det_cos(1000.5)), 0x3fb8dbff75eb6650ULL);
}

}  // namespace
}  // namespace attnrank
