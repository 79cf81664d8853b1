// Deterministic elementary functions of the lab (see lab_math.h). Everything reduces to det_exp (through
// a copy of its algorithm that scales without ldexp, same bits) and det_log, which use only IEEE basic
// operations, so the results are platform-independent.
#include "lab_math.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "base/det_math.h"

namespace attnrank::lab {
namespace {

// det_exp's algorithm and constants (det_math.cpp: fdlibm e_exp.c), repeated here so the final scaling
// by 2^k can build 2^k from its bits: exact when the result is normal, as std::ldexp is there, but
// without a libc call (in wasm, ldexp was most of an exp; GELU and softmax make ~1.5 M calls per step of
// the default model). Outside (kFastExpMin, kFastExpMax), where results may be subnormal or overflow, and
// for NaN, det_exp itself answers. test_lab_math.cpp checks lab_exp == det_exp bit for bit.
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kInvLn2 = 1.44269504088896338700e+00;
constexpr double kP1 = 1.66666666666666019037e-01;
constexpr double kP2 = -2.77777777770155933842e-03;
constexpr double kP3 = 6.61375632143793436117e-05;
constexpr double kP4 = -1.65339022054652515390e-06;
constexpr double kP5 = 4.13813679705723846039e-08;
constexpr double kFastExpMin = -708.0;  // exp(-708) = 3.3e-308 > 2^-1022: normal; k >= -1021
constexpr double kFastExpMax = 709.0;   // exp(709) = 8.2e307 < DBL_MAX; k <= 1023

// 2^k for k in [-1022, 1023], from the IEEE 754 bits (biased exponent k + 1023, zero mantissa).
double power_of_two(int k) {
  const std::uint64_t bits = static_cast<std::uint64_t>(k + 1023) << 52;
  double out = 0;
  std::memcpy(&out, &bits, sizeof out);
  return out;
}

double fast_exp(double x) {
  if (!(x > kFastExpMin && x < kFastExpMax)) return det_exp(x);
  const int k = static_cast<int>(kInvLn2 * x + (x < 0 ? -0.5 : 0.5));
  const double dk = k;
  const double hi = x - dk * kLn2Hi;
  const double lo = dk * kLn2Lo;
  const double r = hi - lo;
  const double t = r * r;
  const double c = r - t * (kP1 + t * (kP2 + t * (kP3 + t * (kP4 + t * kP5))));
  const double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
  return y * power_of_two(k);
}

// Beyond this |x|, tanh(x) rounds to +-1 in double (1 - tanh(22) = 1.6e-19 < 2^-53).
constexpr double kTanhSaturation = 22.0;
// Below this |x|, tanh(x) = x - x^3 / 3 + ... rounds to x (x^2 / 3 < 2^-54).
constexpr double kTanhLinear = 0x1p-28;
// The same in float: x^2 / 3 < 2^-27, below float's half-ulp 2^-24.
constexpr double kTanhLinearF32 = 0x1p-13;

// expm1(y) for 0 < y <= 44 without cancellation: u = exp(y) carries a relative error, and
// (u - 1) * y / log(u) cancels it to first order (Kahan; Higham, Accuracy and Stability, 2nd ed., 1.14.1).
double expm1_positive(double y) {
  const double u = fast_exp(y);
  if (u == 1.0) return y;
  return (u - 1.0) * y / det_log(u);
}

}  // namespace

double lab_exp(double x) { return fast_exp(x); }
float lab_exp(float x) { return static_cast<float>(fast_exp(static_cast<double>(x))); }
double lab_log(double x) { return det_log(x); }
float lab_log(float x) { return static_cast<float>(det_log(static_cast<double>(x))); }

double lab_tanh(double x) {
  if (std::isnan(x)) return x;
  const double magnitude = std::fabs(x);
  if (magnitude >= kTanhSaturation) return std::copysign(1.0, x);
  if (magnitude < kTanhLinear) return x;
  const double m = expm1_positive(2.0 * magnitude);
  return std::copysign(m / (m + 2.0), x);
}

// One exp instead of exp + log: in double, 1 - 2 / (exp(2|x|) + 1) has an absolute error of a few 2^-53,
// which relative to tanh(|x|) >= ~2^-13 stays below 2^-38, far inside float's 2^-24 half-ulp; below
// 2^-13, tanh(x) = x (1 - x^2 / 3 + ...) rounds to x in float. GELU calls this once per hidden unit.
float lab_tanh(float x) {
  if (std::isnan(x)) return x;
  const double magnitude = std::fabs(static_cast<double>(x));
  if (magnitude < kTanhLinearF32) return x;
  if (magnitude >= kTanhSaturation) return std::copysign(1.0f, x);
  const double t = 1.0 - 2.0 / (fast_exp(2.0 * magnitude) + 1.0);
  return static_cast<float>(std::copysign(t, static_cast<double>(x)));
}

}  // namespace attnrank::lab
