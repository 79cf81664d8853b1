// Deterministic elementary functions of the lab (see lab_math.h). Everything reduces to det_exp and
// det_log, which use only IEEE basic operations, so the results are platform-independent.
#include "lab_math.h"

#include <cmath>

#include "det_math.h"

namespace attnrank::lab {
namespace {

// Beyond this |x|, tanh(x) rounds to +-1 in double (1 - tanh(22) = 1.6e-19 < 2^-53).
constexpr double kTanhSaturation = 22.0;
// Below this |x|, tanh(x) = x - x^3 / 3 + ... rounds to x (x^2 / 3 < 2^-54).
constexpr double kTanhLinear = 0x1p-28;
// The same in float: x^2 / 3 < 2^-27, below float's half-ulp 2^-24.
constexpr double kTanhLinearF32 = 0x1p-13;

// expm1(y) for 0 < y <= 44 without cancellation: u = exp(y) carries a relative error, and
// (u - 1) * y / log(u) cancels it to first order (Kahan; Higham, Accuracy and Stability, 2nd ed., 1.14.1).
double expm1_positive(double y) {
  const double u = det_exp(y);
  if (u == 1.0) return y;
  return (u - 1.0) * y / det_log(u);
}

}  // namespace

double lab_exp(double x) { return det_exp(x); }
float lab_exp(float x) { return static_cast<float>(det_exp(static_cast<double>(x))); }
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
  const double t = 1.0 - 2.0 / (det_exp(2.0 * magnitude) + 1.0);
  return static_cast<float>(std::copysign(t, static_cast<double>(x)));
}

}  // namespace attnrank::lab
