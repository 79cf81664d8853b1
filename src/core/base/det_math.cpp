// Deterministic log, exp, sin, cos: the algorithms and minimax coefficients of Sun's fdlibm 5.3
// (e_log.c, e_exp.c, e_rem_pio2.c medium-argument path) and musl's __sin/__cos kernels, rewritten with
// std::frexp/std::ldexp (exact) instead of bit twiddling. Only + - * / on doubles, so with
// -ffp-contract=off every IEEE platform returns the same bits; errors stay below ~1 ulp in the domain.
// Out of domain: det_log(x<0) and det_sin/det_cos(|x| > 1e6) return NaN rather than a wrong value.
#include "base/det_math.h"

#include <cmath>
#include <limits>

namespace attnrank {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

using det_math_detail::kLn2Hi;  // ln 2 in two pieces (det_math.h: det_log's inline core shares them)
using det_math_detail::kLn2Lo;
constexpr double kInvLn2 = 1.44269504088896338700e+00;

// fdlibm e_exp.c: exp(r) = 1 + r + r c / (2 - c), c = r - r^2 P(r^2), |r| <= ln2 / 2.
constexpr double kP1 = 1.66666666666666019037e-01;
constexpr double kP2 = -2.77777777770155933842e-03;
constexpr double kP3 = 6.61375632143793436117e-05;
constexpr double kP4 = -1.65339022054652515390e-06;
constexpr double kP5 = 4.13813679705723846039e-08;
constexpr double kExpOverflow = 7.09782712893383973096e+02;
constexpr double kExpUnderflow = -7.45133219101941108420e+02;

// pi/2 in three 33-bit pieces plus tails (fdlibm e_rem_pio2.c): n * piece is exact for n < 2^20.
constexpr double kInvPio2 = 6.36619772367581382433e-01;
constexpr double kPio2_1 = 1.57079632673412561417e+00;
constexpr double kPio2_2 = 6.07710050630396597660e-11;
constexpr double kPio2_2t = 2.02226624879595063154e-21;
constexpr double kPio2_3 = 2.02226624871116645580e-21;
constexpr double kPio2_3t = 8.47842766036889956997e-32;
constexpr double kPio4 = 7.85398163397448278999e-01;
constexpr double kTrigMaxArgument = 1e6;  // keeps n = round(x * 2/pi) below 2^20

// musl __sin.c / __cos.c kernels on [-pi/4, pi/4], x + y the reduced argument (y the tail).
constexpr double kS1 = -1.66666666666666324348e-01;
constexpr double kS2 = 8.33333333332248946124e-03;
constexpr double kS3 = -1.98412698298579493134e-04;
constexpr double kS4 = 2.75573137070700676789e-06;
constexpr double kS5 = -2.50507602534068634195e-08;
constexpr double kS6 = 1.58969099521155010221e-10;
constexpr double kC1 = 4.16666666666666019037e-02;
constexpr double kC2 = -1.38888888888741095749e-03;
constexpr double kC3 = 2.48015872894767294178e-05;
constexpr double kC4 = -2.75573143513906633035e-07;
constexpr double kC5 = 2.08757232129817482790e-09;
constexpr double kC6 = -1.13596475577881948265e-11;

double kernel_sin(double x, double y) {
  const double z = x * x;
  const double w = z * z;
  const double r = kS2 + z * (kS3 + z * kS4) + z * w * (kS5 + z * kS6);
  const double v = z * x;
  return x - ((z * (0.5 * y - v * r) - y) - v * kS1);
}

double kernel_cos(double x, double y) {
  const double z = x * x;
  const double w = z * z;
  const double r = z * (kC1 + z * (kC2 + z * kC3)) + w * w * (kC4 + z * (kC5 + z * kC6));
  const double hz = 0.5 * z;
  const double one_minus_hz = 1.0 - hz;
  return one_minus_hz + (((1.0 - one_minus_hz) - hz) + (z * r - x * y));
}

// x = n pi/2 + (head + tail), |head + tail| <= ~pi/4; Cody-Waite with 118+ bits of pi/2, all three
// steps always taken (fdlibm takes the later ones only on cancellation; taking them is never worse).
int reduce_pio2(double x, double& head, double& tail) {
  const double t = std::fabs(x);
  const int n = static_cast<int>(t * kInvPio2 + 0.5);
  const double fn = n;
  double r = t - fn * kPio2_1;  // exact
  double u = r;
  double w = fn * kPio2_2;
  r = u - w;
  w = fn * kPio2_2t - ((u - r) - w);
  u = r;
  w = fn * kPio2_3;
  r = u - w;
  w = fn * kPio2_3t - ((u - r) - w);
  head = r - w;
  tail = (r - head) - w;
  if (x < 0) {
    head = -head;
    tail = -tail;
    return -n;
  }
  return n;
}

}  // namespace

double det_log(double x) {
  if (std::isnan(x) || x < 0) return kNaN;
  if (x == 0) return -kInf;
  if (x == kInf) return kInf;
  int k = 0;
  const double m = std::frexp(x, &k);  // x = m 2^k, m in [0.5, 1); exact, subnormals included
  return det_math_detail::log_of_frexp(m, k);
}

double det_exp(double x) {
  if (std::isnan(x)) return x;
  if (x > kExpOverflow) return kInf;
  if (x < kExpUnderflow) return 0.0;
  // x = k ln2 + r, |r| <= ln2 / 2, r = hi - lo with hi exact.
  const int k = static_cast<int>(kInvLn2 * x + (x < 0 ? -0.5 : 0.5));
  const double dk = k;
  const double hi = x - dk * kLn2Hi;
  const double lo = dk * kLn2Lo;
  const double r = hi - lo;
  const double t = r * r;
  const double c = r - t * (kP1 + t * (kP2 + t * (kP3 + t * (kP4 + t * kP5))));
  const double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
  return std::ldexp(y, k);  // exact unless the result is subnormal (then one IEEE rounding)
}

double det_sin(double x) {
  if (!(std::fabs(x) <= kTrigMaxArgument)) return kNaN;  // NaN, inf, out of domain
  if (std::fabs(x) <= kPio4) return kernel_sin(x, 0.0);
  double head = 0, tail = 0;
  const int n = reduce_pio2(x, head, tail);
  switch (n & 3) {
    case 0: return kernel_sin(head, tail);
    case 1: return kernel_cos(head, tail);
    case 2: return -kernel_sin(head, tail);
    default: return -kernel_cos(head, tail);
  }
}

double det_cos(double x) {
  if (!(std::fabs(x) <= kTrigMaxArgument)) return kNaN;
  if (std::fabs(x) <= kPio4) return kernel_cos(x, 0.0);
  double head = 0, tail = 0;
  const int n = reduce_pio2(x, head, tail);
  switch (n & 3) {
    case 0: return kernel_cos(head, tail);
    case 1: return -kernel_sin(head, tail);
    case 2: return -kernel_cos(head, tail);
    default: return kernel_sin(head, tail);
  }
}

}  // namespace attnrank
