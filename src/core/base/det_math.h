// Deterministic elementary functions from + - * / and sqrt only (all correctly rounded by IEEE 754),
// so the seeded inputs (normal transform, RoPE angles) are bit-identical on every platform; libm's
// log/exp/sin/cos may differ in the last bit between glibc and Emscripten's musl. Accuracy is a few
// ulp, which is all input generation needs. Built with -ffp-contract=off (no fused multiply-add).
#pragma once

#include <cstdint>
#include <cstring>

namespace attnrank {
namespace det_math_detail {

// ln 2 split so that k * kLn2Hi is exact for |k| < 2^21 (low 21 bits of kLn2Hi are zero). fdlibm.
constexpr double kLn2Hi = 6.93147180369123816490e-01;  // 0x3fe62e42 fee00000
constexpr double kLn2Lo = 1.90821492927058770002e-10;  // 0x3dea39ef 35793c76
constexpr double kSqrtHalf = 0.70710678118654752440;

// fdlibm e_log.c: log(1+f) = f - f^2/2 + s (f^2/2 + R(s^2)), s = f / (2 + f), R minimax on |s| < 0.1716.
constexpr double kLg1 = 6.666666666666735130e-01;
constexpr double kLg2 = 3.999999999940941908e-01;
constexpr double kLg3 = 2.857142874366239149e-01;
constexpr double kLg4 = 2.222219843214978396e-01;
constexpr double kLg5 = 1.818357216161805012e-01;
constexpr double kLg6 = 1.531383769920937332e-01;
constexpr double kLg7 = 1.479819860511658591e-01;

// log(m 2^k) for m in [0.5, 1), frexp's mantissa of x = m 2^k: det_log's arithmetic after its special cases.
inline double log_of_frexp(double m, int k) {
  if (m < kSqrtHalf) {
    m *= 2.0;
    k -= 1;
  }
  const double f = m - 1.0;  // exact (Sterbenz), f in [-0.293, 0.415)
  const double s = f / (2.0 + f);
  const double z = s * s;
  const double w = z * z;
  const double t1 = w * (kLg2 + w * (kLg4 + w * kLg6));
  const double t2 = z * (kLg1 + w * (kLg3 + w * (kLg5 + w * kLg7)));
  const double r = t2 + t1;
  const double hfsq = 0.5 * f * f;
  const double dk = k;
  return dk * kLn2Hi - ((hfsq - (s * (hfsq + r) + dk * kLn2Lo)) - f);
}

}  // namespace det_math_detail

double det_log(double x);  // x > 0, finite (0 -> -inf, +inf -> +inf, x < 0 or NaN -> NaN)

// det_log(x) bit for bit for a positive NORMAL x (no 0, subnormal, inf or NaN: not checked), inline and
// without the libc call of std::frexp: x's mantissa and exponent read from its bits (exact, as frexp's).
// For hot loops whose arguments are known normal (the normal draws' s = u^2 + v^2 in [2^-104, 1)).
inline double det_log_normal(double x) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &x, sizeof bits);
  const int k = static_cast<int>(bits >> 52) - 1022;  // x = m 2^k with m in [0.5, 1)
  const std::uint64_t mantissa_bits = (bits & 0x000fffffffffffffULL) | 0x3fe0000000000000ULL;
  double m = 0;
  std::memcpy(&m, &mantissa_bits, sizeof m);
  return det_math_detail::log_of_frexp(m, k);
}
double det_exp(double x);  // |x| < 700 (x > 709.78 -> +inf, x < -745.13 -> 0, subnormal results rounded)
double det_sin(double x);  // |x| <= 1e6 (RoPE angles: position * frequency); outside or NaN -> NaN
double det_cos(double x);  // |x| <= 1e6; outside or NaN -> NaN

}  // namespace attnrank
