// The lab's deterministic exp, log and tanh (src/core/lab/lab_math.h): accuracy against the C library
// in ulp over their training ranges (the measured worst cases are the constants below), symmetry and
// special values, and a pinned hash of a grid of results that the wasm run of this file must reproduce.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "base/det_math.h"
#include "lab/kernels.h"
#include "lab/lab_math.h"

namespace attnrank::lab {
namespace {

// Bounds on |lab - libm| (libm itself is within ~1 ulp of the truth). Measured against glibc over 2 M
// points each: exp and log f64 1 ulp, tanh f64 3 ulp (Kahan's expm1), exp and log f32 0 ulp (correctly
// rounded on those points), tanh f32 1 ulp; the bounds leave one ulp for Emscripten's musl.
constexpr std::int64_t kMaxUlpExpLogF64 = 2;
constexpr std::int64_t kMaxUlpTanhF64 = 4;
constexpr std::int64_t kMaxUlpF32 = 1;  // float: computed in double, rounded once

template <typename T>
std::int64_t ulp_distance(T a, T b) {
  using Int = std::conditional_t<sizeof(T) == 8, std::int64_t, std::int32_t>;
  auto ordered = [](T x) {
    Int i = 0;
    std::memcpy(&i, &x, sizeof i);
    return static_cast<std::int64_t>(i < 0 ? std::numeric_limits<Int>::min() - i : i);
  };
  const std::int64_t da = ordered(a), db = ordered(b);
  return da > db ? da - db : db - da;
}

// x_k evenly spread over [lo, hi] (k = 0 .. count - 1), plus its neighbours a little off the grid.
template <typename T, typename F, typename G>
std::int64_t worst_ulp(T lo, T hi, int count, F lab, G libm) {
  std::int64_t worst = 0;
  for (int i = 0; i < count; ++i) {
    const T x = lo + (hi - lo) * static_cast<T>(i) / static_cast<T>(count - 1);
    const std::int64_t error = ulp_distance(lab(x), libm(x));
    if (error > worst) worst = error;
  }
  return worst;
}

TEST(LabMath, ExpAndLogDoubleAccuracy) {
  const auto exp_d = [](double x) { return lab_exp(x); };
  const auto log_d = [](double x) { return lab_log(x); };
  EXPECT_LE(worst_ulp(-700.0, 700.0, 200001, exp_d, [](double x) { return std::exp(x); }), kMaxUlpExpLogF64);
  EXPECT_LE(worst_ulp(1e-300, 1e300, 200001, log_d, [](double x) { return std::log(x); }), kMaxUlpExpLogF64);
  EXPECT_LE(worst_ulp(0.5, 2.0, 200001, log_d, [](double x) { return std::log(x); }), kMaxUlpExpLogF64);
}

// lab_exp repeats det_exp's algorithm with a bit-built 2^k: it must be det_exp, bit for bit, over the
// whole domain, both sides of the fast path's edges (-708, 709), subnormal results, overflow and NaN.
TEST(LabMath, ExpIsDetExpBitForBit) {
  std::vector<double> points = {-746.0, -745.2, -745.0, -720.0, -708.5, -708.0, -707.9999, 0.0, -0.0, 1e-300,
                                708.9999, 709.0, 709.7, 709.8, 710.0, std::numeric_limits<double>::infinity(),
                                -std::numeric_limits<double>::infinity()};
  for (int i = 0; i <= 400000; ++i) points.push_back(-750.0 + 1460.0 * i / 400000.0 + 1e-7 * (i % 13));
  for (int i = 0; i <= 100000; ++i) points.push_back(-1.0 + 2.0 * i / 100000.0);
  int differences = 0;
  for (double x : points) {
    std::uint64_t a = 0, b = 0;
    const double lab = lab_exp(x), det = det_exp(x);
    std::memcpy(&a, &lab, sizeof a);
    std::memcpy(&b, &det, sizeof b);
    if (a != b) ++differences;
  }
  EXPECT_EQ(differences, 0);
  EXPECT_TRUE(std::isnan(lab_exp(std::numeric_limits<double>::quiet_NaN())));
}

TEST(LabMath, TanhDoubleAccuracy) {
  const auto tanh_d = [](double x) { return lab_tanh(x); };
  const auto libm = [](double x) { return std::tanh(x); };
  std::int64_t worst = 0;
  worst = std::max(worst, worst_ulp(-25.0, 25.0, 400001, tanh_d, libm));
  worst = std::max(worst, worst_ulp(-1e-3, 1e-3, 200001, tanh_d, libm));  // near 0: no cancellation
  worst = std::max(worst, worst_ulp(-1e-9, 1e-9, 20001, tanh_d, libm));   // the tanh(x) = x branch edge
  EXPECT_LE(worst, kMaxUlpTanhF64);
  RecordProperty("worst_ulp_tanh_f64", static_cast<int>(worst));
}

TEST(LabMath, FloatAccuracy) {
  const auto exp_f = [](float x) { return lab_exp(x); };
  const auto log_f = [](float x) { return lab_log(x); };
  const auto tanh_f = [](float x) { return lab_tanh(x); };
  // Float references from double libm rounded once (glibc's expf/logf/tanhf are correctly rounded or
  // within 1 ulp; the double detour makes the reference nearly exact).
  EXPECT_LE(worst_ulp(-87.0f, 88.0f, 200001, exp_f, [](float x) { return static_cast<float>(std::exp(double(x))); }),
            kMaxUlpF32);
  EXPECT_LE(worst_ulp(1e-30f, 1e30f, 200001, log_f, [](float x) { return static_cast<float>(std::log(double(x))); }),
            kMaxUlpF32);
  EXPECT_LE(worst_ulp(-12.0f, 12.0f, 200001, tanh_f, [](float x) { return static_cast<float>(std::tanh(double(x))); }),
            kMaxUlpF32);
}

TEST(LabMath, TanhIsOddAndSaturates) {
  for (double x : {1e-300, 1e-20, 3e-9, 0.1, 0.5, 0.7, 1.0, 3.0, 10.0, 21.9, 22.0, 1e10}) {
    EXPECT_EQ(lab_tanh(-x), -lab_tanh(x)) << x;
    EXPECT_LE(lab_tanh(x), 1.0) << x;
  }
  EXPECT_EQ(lab_tanh(0.0), 0.0);
  EXPECT_TRUE(std::signbit(lab_tanh(-0.0)));
  EXPECT_EQ(lab_tanh(std::numeric_limits<double>::infinity()), 1.0);
  EXPECT_EQ(lab_tanh(-std::numeric_limits<double>::infinity()), -1.0);
  EXPECT_TRUE(std::isnan(lab_tanh(std::numeric_limits<double>::quiet_NaN())));
  EXPECT_EQ(lab_tanh(30.0f), 1.0f);
  EXPECT_EQ(lab_exp(0.0f), 1.0f);
  EXPECT_EQ(lab_log(1.0f), 0.0f);
  EXPECT_EQ(lab_exp(-200.0f), 0.0f);
}

// Inputs for the vectorised arrays: every boundary of the scalar code (fast_exp's range -708 / 709, tanh's
// 2^-13 and 22), their float neighbours, 0, -0, subnormals, inf, NaN, huge values, and a dense grid, in
// an order that puts special values in every lane of a 4-wide group and a tail of 3.
std::vector<float> array_inputs() {
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> x = {0.0f, -0.0f, 1.0f, -1.0f, std::numeric_limits<float>::denorm_min(),
                          -std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::min(), inf, -inf,
                          std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::max(),
                          -std::numeric_limits<float>::max()};
  for (float edge : {0x1p-13f, 22.0f, 11.0f, 708.0f, 709.0f, 88.7f, 103.9f, 354.5f, 0.5f}) {
    for (float value : {edge, std::nextafter(edge, 0.0f), std::nextafter(edge, inf)}) {
      x.push_back(value);
      x.push_back(-value);
    }
  }
  for (int i = 0; i <= 20000; ++i) x.push_back(-120.0f + 240.0f * static_cast<float>(i) / 20000.0f);
  for (int i = 0; i <= 2000; ++i) x.push_back(-0.01f + 0.02f * static_cast<float>(i) / 2000.0f);
  x.push_back(2.5f);  // a tail of 3 after the groups of 4
  x.push_back(-1e-9f);
  x.push_back(std::numeric_limits<float>::quiet_NaN());
  while (x.size() % 4 != 3) x.push_back(0.25f);
  return x;
}

template <typename T>
bool same_bits(T a, T b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

// The float arrays on each vector path (kernels.h's switch: 128-bit, and 256-bit where the CPU has AVX2),
// from every start offset 0 .. 8, so each input sits in every lane of a 4- and an 8-float group and
// the tails of 0 .. 7 are run.
TEST(LabMath, ArraysAreTheScalarFunctionsBitForBit) {
  const std::vector<float> all = array_inputs();
  std::vector<bool> paths{false};
  if (wide_vectors_available()) paths.push_back(true);
  int mismatches = 0;
  for (bool wide : paths) {
    const bool before = set_wide_vectors(wide);
    for (int offset = 0; offset <= 8; ++offset) {
      const std::vector<float> x(all.begin() + offset, all.end());
      const int count = static_cast<int>(x.size());
      std::vector<float> exp_out(x.size()), tanh_out(x.size()), elu1_out(x.size()), in_place = x;
      lab_exp_array(x.data(), exp_out.data(), count);
      lab_elu1_array(x.data(), elu1_out.data(), count);
      lab_tanh_array(x.data(), tanh_out.data(), count);
      lab_tanh_array(in_place.data(), in_place.data(), count);
      for (int i = 0; i < count && mismatches < 10; ++i) {
        if (!same_bits(exp_out[i], lab_exp(x[i]))) {
          ++mismatches;
          ADD_FAILURE() << "lab_exp_array(" << x[i] << ") = " << exp_out[i] << ", lab_exp " << lab_exp(x[i]) << " ("
                        << kernel_isa() << ", offset " << offset << ")";
        }
        const float elu1 = x[i] > 0 ? x[i] + 1.0f : lab_exp(x[i]);  // elu(x) + 1, written out
        if (!same_bits(elu1_out[i], elu1) || !same_bits(lab_elu1(x[i]), elu1)) {
          ++mismatches;
          ADD_FAILURE() << "lab_elu1_array(" << x[i] << ") = " << elu1_out[i] << ", elu1 " << elu1 << " ("
                        << kernel_isa() << ", offset " << offset << ")";
        }
        if (!same_bits(tanh_out[i], lab_tanh(x[i])) || !same_bits(in_place[i], lab_tanh(x[i]))) {
          ++mismatches;
          ADD_FAILURE() << "lab_tanh_array(" << x[i] << ") = " << tanh_out[i] << ", lab_tanh " << lab_tanh(x[i])
                        << " (" << kernel_isa() << ", offset " << offset << ")";
        }
      }
    }
    set_wide_vectors(before);
  }
  const std::vector<float>& x = all;
  const int count = static_cast<int>(x.size());
  const std::vector<double> xd(x.begin(), x.end());
  std::vector<double> exp_d(xd.size()), tanh_d(xd.size()), elu1_d(xd.size());
  lab_exp_array(xd.data(), exp_d.data(), count);
  lab_elu1_array(xd.data(), elu1_d.data(), count);
  lab_tanh_array(xd.data(), tanh_d.data(), count);
  for (int i = 0; i < count; ++i) {
    EXPECT_TRUE(same_bits(exp_d[i], lab_exp(xd[i]))) << xd[i];
    EXPECT_TRUE(same_bits(tanh_d[i], lab_tanh(xd[i]))) << xd[i];
    EXPECT_TRUE(same_bits(elu1_d[i], xd[i] > 0 ? xd[i] + 1.0 : lab_exp(xd[i]))) << xd[i];
  }
}

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;
template <typename T>
std::uint64_t fnv1a_value(T value, std::uint64_t hash) {
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  for (unsigned char byte : bytes) hash = (hash ^ byte) * kFnvPrime;
  return hash;
}

// exp, log and tanh at 4001 points each, in float and double, hashed: pinned from the native build.
template <typename T>
std::uint64_t grid_hash() {
  std::uint64_t hash = kFnvOffset;
  for (int i = 0; i <= 4000; ++i) {
    const T x = static_cast<T>(-20.0 + 40.0 * i / 4000.0 + 1e-3);
    hash = fnv1a_value(lab_exp(x), hash);
    hash = fnv1a_value(lab_tanh(x), hash);
    hash = fnv1a_value(lab_log(static_cast<T>(std::fabs(static_cast<double>(x)))), hash);
  }
  return hash;
}

constexpr std::uint64_t kGridHashF32 = 13208618566932208022ULL;
constexpr std::uint64_t kGridHashF64 = 13401301115812271885ULL;

TEST(LabMath, PinnedGridHashNativeEqualsWasm) {
  EXPECT_EQ(grid_hash<float>(), kGridHashF32);
  EXPECT_EQ(grid_hash<double>(), kGridHashF64);
}

}  // namespace
}  // namespace attnrank::lab
