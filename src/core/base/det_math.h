// Deterministic elementary functions from + - * / and sqrt only (all correctly rounded by IEEE 754),
// so the seeded inputs (normal transform, RoPE angles) are bit-identical on every platform; libm's
// log/exp/sin/cos may differ in the last bit between glibc and Emscripten's musl. Accuracy is a few
// ulp, which is all input generation needs. Built with -ffp-contract=off (no fused multiply-add).
#pragma once

namespace attnrank {

double det_log(double x);  // x > 0, finite (0 -> -inf, +inf -> +inf, x < 0 or NaN -> NaN)
double det_exp(double x);  // |x| < 700 (x > 709.78 -> +inf, x < -745.13 -> 0, subnormal results rounded)
double det_sin(double x);  // |x| <= 1e6 (RoPE angles: position * frequency); outside or NaN -> NaN
double det_cos(double x);  // |x| <= 1e6; outside or NaN -> NaN

}  // namespace attnrank
