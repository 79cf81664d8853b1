// Deterministic exp, log and tanh for the training lab, in float and double, built on the core's
// det_exp / det_log (det_math.h: + - * / only, fdlibm algorithms), so the lab's softmax, cross-entropy and
// GELU give the same bits natively and in wasm (libm's expf/tanh differ between glibc and musl). The float
// versions compute in double and round once. Double tanh(x) = m / (m + 2), m = expm1(2|x|) by Kahan's
// exp-then-log correction; float tanh = 1 - 2 / (exp(2|x|) + 1) in double (one exp: GELU's cost); both
// odd by construction. Accuracy measured by tests/native/test_lab_math.cpp against the C library: see
// the constants there (double within 2 ulp for exp/log, 4 for tanh; float within 1 ulp).
#pragma once

namespace attnrank::lab {

double lab_exp(double x);  // det_exp: |x| < 709 finite; overflow +inf, underflow 0
float lab_exp(float x);
double lab_log(double x);  // det_log: x > 0; 0 -> -inf, x < 0 -> NaN
float lab_log(float x);
double lab_tanh(double x);  // any x; NaN -> NaN, |x| >= 22 -> +-1 (exact to double)
float lab_tanh(float x);

// out[i] = lab_exp(x[i]) and out[i] = lab_tanh(x[i]), bit for bit (out may be x). The float versions
// evaluate two doubles per 128-bit vector (SSE2 natively, wasm SIMD in the module), or four per 256-bit
// vector natively when kernels.h's switch takes the AVX2 path, with the scalar code's operations in its
// order, each an IEEE basic operation (no FMA), so the lanes round as the scalar does (test_lab_math.cpp
// compares them on every special case, on each path); double runs the scalar loop.
void lab_exp_array(const float* x, float* out, int count);
void lab_exp_array(const double* x, double* out, int count);
void lab_tanh_array(const float* x, float* out, int count);
void lab_tanh_array(const double* x, double* out, int count);

// elu(x) + 1, the linear head's feature map: x + 1 for x > 0, lab_exp(x) otherwise (NaN -> NaN); the
// arrays give lab_elu1's bits, the float one vectorised as lab_exp_array with a per-lane select.
float lab_elu1(float x);
double lab_elu1(double x);
void lab_elu1_array(const float* x, float* out, int count);
void lab_elu1_array(const double* x, double* out, int count);

}  // namespace attnrank::lab
