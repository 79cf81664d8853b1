// Deterministic elementary functions of the lab (see lab_math.h). Everything reduces to det_exp (through
// a copy of its algorithm that scales without ldexp, same bits) and det_log, which use only IEEE basic
// operations, so the results are platform-independent.
#include "lab_math.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "base/det_math.h"
#include "kernels.h"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define ATTNRANK_LAB_MATH_SIMD 1
#elif defined(__SSE2__)
#include <emmintrin.h>
#define ATTNRANK_LAB_MATH_SIMD 1
#else
#define ATTNRANK_LAB_MATH_SIMD 0
#endif

// The 256-bit path (four doubles per vector), natively on x86-64 when kernels.h's switch takes it (the CPU
// has AVX2): the same lane operations as the 128-bit path, compiled for AVX2 function by function.
#if defined(__x86_64__) && defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__)) && !defined(__wasm__)
#include <immintrin.h>
#define ATTNRANK_LAB_MATH_AVX2 1
#else
#define ATTNRANK_LAB_MATH_AVX2 0
#endif

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

#if ATTNRANK_LAB_MATH_SIMD
// Two doubles per vector: IEEE add, subtract, multiply, divide lane by lane (no FMA), compares as masks,
// truncation to int32 and the bits of 2^k, as fast_exp uses them.
#if defined(__wasm_simd128__)
using VD = v128_t;  // f64x2
using VF = v128_t;  // f32x4
VD splat(double x) { return wasm_f64x2_splat(x); }
VD add(VD a, VD b) { return wasm_f64x2_add(a, b); }
VD sub(VD a, VD b) { return wasm_f64x2_sub(a, b); }
VD mul(VD a, VD b) { return wasm_f64x2_mul(a, b); }
VD div(VD a, VD b) { return wasm_f64x2_div(a, b); }
VD less(VD a, VD b) { return wasm_f64x2_lt(a, b); }
VD less_equal(VD a, VD b) { return wasm_f64x2_le(a, b); }
VD select(VD mask, VD yes, VD no) { return wasm_v128_bitselect(yes, no, mask); }
VD bit_and(VD a, VD b) { return wasm_v128_and(a, b); }
VD bit_or(VD a, VD b) { return wasm_v128_or(a, b); }
VD bit_and_not(VD a, VD b) { return wasm_v128_andnot(b, a); }  // ~a & b
bool all_lanes(VD mask) { return wasm_i64x2_bitmask(mask) == 3; }
// (int)(x) lane by lane, truncating (x within +-1100 here), and back to double.
VD truncate_to_integer(VD x) { return wasm_f64x2_convert_low_i32x4(wasm_i32x4_trunc_sat_f64x2_zero(x)); }
// 2^k from integer-valued k in [-1022, 1023]: biased exponent k + 1023 shifted into place.
VD power_of_two(VD k) {
  const v128_t biased = wasm_i32x4_add(wasm_i32x4_trunc_sat_f64x2_zero(k), wasm_i32x4_splat(1023));
  return wasm_i64x2_shl(wasm_u64x2_extend_low_u32x4(biased), 52);
}
VF load_f32(const float* p) { return wasm_v128_load(p); }
void store_f32(float* p, VF v) { wasm_v128_store(p, v); }
VD low_to_double(VF v) { return wasm_f64x2_promote_low_f32x4(v); }
VD high_to_double(VF v) { return wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3)); }
VF to_float(VD low, VD high) {  // each lane rounded to nearest, as static_cast<float>
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(low), wasm_f32x4_demote_f64x2_zero(high), 0, 1, 4, 5);
}
VF select_f32(VF mask, VF yes, VF no) { return wasm_v128_bitselect(yes, no, mask); }
VF add_f32(VF a, VF b) { return wasm_f32x4_add(a, b); }
VF splat_f32(float x) { return wasm_f32x4_splat(x); }
VF greater_f32(VF a, VF b) { return wasm_f32x4_gt(a, b); }
VF mask_to_f32(VD low, VD high) {  // two 64-bit lane masks -> four 32-bit lane masks
  return wasm_i32x4_shuffle(low, high, 0, 2, 4, 6);
}
#else
using VD = __m128d;
using VF = __m128;
VD splat(double x) { return _mm_set1_pd(x); }
VD add(VD a, VD b) { return _mm_add_pd(a, b); }
VD sub(VD a, VD b) { return _mm_sub_pd(a, b); }
VD mul(VD a, VD b) { return _mm_mul_pd(a, b); }
VD div(VD a, VD b) { return _mm_div_pd(a, b); }
VD less(VD a, VD b) { return _mm_cmplt_pd(a, b); }
VD less_equal(VD a, VD b) { return _mm_cmple_pd(a, b); }
VD select(VD mask, VD yes, VD no) { return _mm_or_pd(_mm_and_pd(mask, yes), _mm_andnot_pd(mask, no)); }
VD bit_and(VD a, VD b) { return _mm_and_pd(a, b); }
VD bit_or(VD a, VD b) { return _mm_or_pd(a, b); }
VD bit_and_not(VD a, VD b) { return _mm_andnot_pd(a, b); }  // ~a & b
bool all_lanes(VD mask) { return _mm_movemask_pd(mask) == 3; }
VD truncate_to_integer(VD x) { return _mm_cvtepi32_pd(_mm_cvttpd_epi32(x)); }
VD power_of_two(VD k) {
  const __m128i biased = _mm_add_epi32(_mm_cvttpd_epi32(k), _mm_set1_epi32(1023));
  return _mm_castsi128_pd(_mm_slli_epi64(_mm_unpacklo_epi32(biased, _mm_setzero_si128()), 52));
}
VF load_f32(const float* p) { return _mm_loadu_ps(p); }
void store_f32(float* p, VF v) { _mm_storeu_ps(p, v); }
VD low_to_double(VF v) { return _mm_cvtps_pd(v); }
VD high_to_double(VF v) { return _mm_cvtps_pd(_mm_movehl_ps(v, v)); }
VF to_float(VD low, VD high) { return _mm_movelh_ps(_mm_cvtpd_ps(low), _mm_cvtpd_ps(high)); }
VF select_f32(VF mask, VF yes, VF no) { return _mm_or_ps(_mm_and_ps(mask, yes), _mm_andnot_ps(mask, no)); }
VF add_f32(VF a, VF b) { return _mm_add_ps(a, b); }
VF splat_f32(float x) { return _mm_set1_ps(x); }
VF greater_f32(VF a, VF b) { return _mm_cmpgt_ps(a, b); }
VF mask_to_f32(VD low, VD high) {
  return _mm_shuffle_ps(_mm_castpd_ps(low), _mm_castpd_ps(high), _MM_SHUFFLE(2, 0, 2, 0));
}
#endif

// fast_exp on two lanes, every lane in (kFastExpMin, kFastExpMax): the same operations in the same order.
// Inlined, so the two halves of a float vector interleave (as a call it was ~9% of a training step).
[[gnu::always_inline]] inline VD fast_exp_lanes(VD x) {
  const VD half = select(less(x, splat(0.0)), splat(-0.5), splat(0.5));
  const VD dk = truncate_to_integer(add(mul(splat(kInvLn2), x), half));
  const VD hi = sub(x, mul(dk, splat(kLn2Hi)));
  const VD lo = mul(dk, splat(kLn2Lo));
  const VD r = sub(hi, lo);
  const VD t = mul(r, r);
  const VD poly = add(splat(kP1), mul(t, add(splat(kP2), mul(t, add(splat(kP3), mul(t, add(splat(kP4),
                                                                                              mul(t, splat(kP5)))))))));
  const VD c = sub(r, mul(t, poly));
  const VD y = sub(splat(1.0), sub(sub(lo, div(mul(r, c), sub(splat(2.0), c))), hi));
  return mul(y, power_of_two(dk));
}

bool in_fast_range(VD x) {  // false for NaN lanes too
  return all_lanes(bit_and(less(splat(kFastExpMin), x), less(x, splat(kFastExpMax))));
}

// lab_tanh(float) on two lanes held as doubles (x exactly a float): 1 - 2 / (exp(2|x|) + 1) with x's
// sign where |x| < 22, +-1 from 22 on; |x| is capped at 22 before the exp so every lane is in range.
// Below 2^-13 and for NaN the caller keeps x itself (pass_through_lanes).
VD tanh_lanes(VD x) {
  const VD sign_bit = splat(-0.0);
  const VD magnitude = bit_and_not(sign_bit, x);
  const VD is_below_saturation = less(magnitude, splat(kTanhSaturation));
  const VD capped = select(is_below_saturation, magnitude, splat(kTanhSaturation));
  const VD t = sub(splat(1.0), div(splat(2.0), add(fast_exp_lanes(mul(splat(2.0), capped)), splat(1.0))));
  const VD x_sign = bit_and(x, sign_bit);
  return select(is_below_saturation, bit_or(t, x_sign), bit_or(splat(1.0), x_sign));
}
// Lanes where lab_tanh(float) computes (|x| >= 2^-13, not NaN); elsewhere it returns x.
VD computed_lanes(VD x) { return less_equal(splat(kTanhLinearF32), bit_and_not(splat(-0.0), x)); }
#endif

#if ATTNRANK_LAB_MATH_AVX2
// fast_exp_lanes, in_fast_range and tanh_lanes on four lanes: operation for operation the functions above
// (IEEE add, subtract, multiply, divide per lane, no FMA: the target has no "fma" and the build uses
// -ffp-contract=off), so each lane rounds as the scalar code does.
namespace wide {
#define ATTNRANK_LAB_AVX2_INLINE __attribute__((target("avx2"), always_inline)) static inline
using VD = __m256d;
ATTNRANK_LAB_AVX2_INLINE VD splat(double x) { return _mm256_set1_pd(x); }
ATTNRANK_LAB_AVX2_INLINE VD add(VD a, VD b) { return _mm256_add_pd(a, b); }
ATTNRANK_LAB_AVX2_INLINE VD sub(VD a, VD b) { return _mm256_sub_pd(a, b); }
ATTNRANK_LAB_AVX2_INLINE VD mul(VD a, VD b) { return _mm256_mul_pd(a, b); }
ATTNRANK_LAB_AVX2_INLINE VD div(VD a, VD b) { return _mm256_div_pd(a, b); }
ATTNRANK_LAB_AVX2_INLINE VD less(VD a, VD b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
ATTNRANK_LAB_AVX2_INLINE VD less_equal(VD a, VD b) { return _mm256_cmp_pd(a, b, _CMP_LE_OQ); }
ATTNRANK_LAB_AVX2_INLINE VD select(VD mask, VD yes, VD no) { return _mm256_blendv_pd(no, yes, mask); }
ATTNRANK_LAB_AVX2_INLINE VD bit_and(VD a, VD b) { return _mm256_and_pd(a, b); }
ATTNRANK_LAB_AVX2_INLINE VD bit_or(VD a, VD b) { return _mm256_or_pd(a, b); }
ATTNRANK_LAB_AVX2_INLINE VD bit_and_not(VD a, VD b) { return _mm256_andnot_pd(a, b); }  // ~a & b
ATTNRANK_LAB_AVX2_INLINE bool all_lanes(VD mask) { return _mm256_movemask_pd(mask) == 15; }
ATTNRANK_LAB_AVX2_INLINE VD truncate_to_integer(VD x) { return _mm256_cvtepi32_pd(_mm256_cvttpd_epi32(x)); }
ATTNRANK_LAB_AVX2_INLINE VD power_of_two(VD k) {
  const __m128i biased = _mm_add_epi32(_mm256_cvttpd_epi32(k), _mm_set1_epi32(1023));
  return _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_cvtepu32_epi64(biased), 52));
}
ATTNRANK_LAB_AVX2_INLINE VD to_double(__m128 v) { return _mm256_cvtps_pd(v); }
ATTNRANK_LAB_AVX2_INLINE __m128 to_float(VD v) { return _mm256_cvtpd_ps(v); }  // rounded to nearest

ATTNRANK_LAB_AVX2_INLINE VD fast_exp_lanes(VD x) {
  const VD half = select(less(x, splat(0.0)), splat(-0.5), splat(0.5));
  const VD dk = truncate_to_integer(add(mul(splat(kInvLn2), x), half));
  const VD hi = sub(x, mul(dk, splat(kLn2Hi)));
  const VD lo = mul(dk, splat(kLn2Lo));
  const VD r = sub(hi, lo);
  const VD t = mul(r, r);
  const VD poly = add(splat(kP1), mul(t, add(splat(kP2), mul(t, add(splat(kP3), mul(t, add(splat(kP4),
                                                                                              mul(t, splat(kP5)))))))));
  const VD c = sub(r, mul(t, poly));
  const VD y = sub(splat(1.0), sub(sub(lo, div(mul(r, c), sub(splat(2.0), c))), hi));
  return mul(y, power_of_two(dk));
}
ATTNRANK_LAB_AVX2_INLINE bool in_fast_range(VD x) {
  return all_lanes(bit_and(less(splat(kFastExpMin), x), less(x, splat(kFastExpMax))));
}
ATTNRANK_LAB_AVX2_INLINE VD tanh_lanes(VD x) {
  const VD sign_bit = splat(-0.0);
  const VD magnitude = bit_and_not(sign_bit, x);
  const VD is_below_saturation = less(magnitude, splat(kTanhSaturation));
  const VD capped = select(is_below_saturation, magnitude, splat(kTanhSaturation));
  const VD t = sub(splat(1.0), div(splat(2.0), add(fast_exp_lanes(mul(splat(2.0), capped)), splat(1.0))));
  const VD x_sign = bit_and(x, sign_bit);
  return select(is_below_saturation, bit_or(t, x_sign), bit_or(splat(1.0), x_sign));
}
ATTNRANK_LAB_AVX2_INLINE VD computed_lanes(VD x) { return less_equal(splat(kTanhLinearF32), bit_and_not(splat(-0.0), x)); }
#undef ATTNRANK_LAB_AVX2_INLINE

// Eight floats per iteration (two vectors of four doubles); returns how many it did (a multiple of 8).
// IsElu1: x + 1 where x > 0 instead of the exp (lab_elu1_array).
template <bool IsElu1>
__attribute__((target("avx2"))) int exp_array(const float* x, float* out, int count) {
  int i = 0;
  for (; i + 8 <= count; i += 8) {
    const __m128 x_low = _mm_loadu_ps(x + i), x_high = _mm_loadu_ps(x + i + 4);
    const VD low = to_double(x_low), high = to_double(x_high);
    if (in_fast_range(low) && in_fast_range(high)) {
      __m128 e_low = to_float(fast_exp_lanes(low)), e_high = to_float(fast_exp_lanes(high));
      if (IsElu1) {
        const __m128 one = _mm_set1_ps(1.0f), zero = _mm_setzero_ps();
        e_low = _mm_blendv_ps(e_low, _mm_add_ps(x_low, one), _mm_cmpgt_ps(x_low, zero));
        e_high = _mm_blendv_ps(e_high, _mm_add_ps(x_high, one), _mm_cmpgt_ps(x_high, zero));
      }
      _mm_storeu_ps(out + i, e_low);
      _mm_storeu_ps(out + i + 4, e_high);
    } else {  // a lane outside fast_exp's range (or NaN): det_exp answers, as in the scalar path
      for (int lane = i; lane < i + 8; ++lane) out[lane] = IsElu1 ? lab_elu1(x[lane]) : lab_exp(x[lane]);
    }
  }
  return i;
}

__attribute__((target("avx2"))) int tanh_array(const float* x, float* out, int count) {
  int i = 0;
  for (; i + 8 <= count; i += 8) {
    for (int half = 0; half < 8; half += 4) {
      const __m128 v = _mm_loadu_ps(x + i + half);
      const VD wide_v = to_double(v);
      const __m128 computed = to_float(tanh_lanes(wide_v));
      // The four 64-bit lane masks -> four 32-bit ones (their even halves).
      const __m128 keep = _mm256_castps256_ps128(_mm256_permutevar8x32_ps(
          _mm256_castpd_ps(computed_lanes(wide_v)), _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6)));
      _mm_storeu_ps(out + i + half, _mm_or_ps(_mm_and_ps(keep, computed), _mm_andnot_ps(keep, v)));
    }
  }
  return i;
}
}  // namespace wide
#endif

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

void lab_exp_array(const double* x, double* out, int count) {
  for (int i = 0; i < count; ++i) out[i] = lab_exp(x[i]);
}

void lab_tanh_array(const double* x, double* out, int count) {
  for (int i = 0; i < count; ++i) out[i] = lab_tanh(x[i]);
}

float lab_elu1(float x) { return x > 0 ? x + 1.0f : lab_exp(x); }
double lab_elu1(double x) { return x > 0 ? x + 1.0 : lab_exp(x); }

namespace {

template <bool IsElu1>
void exp_or_elu1_array(const float* x, float* out, int count) {
  int i = 0;
#if ATTNRANK_LAB_MATH_AVX2
  if (wide_vectors_enabled()) i = wide::exp_array<IsElu1>(x, out, count);
#endif
#if ATTNRANK_LAB_MATH_SIMD
  for (; i + 4 <= count; i += 4) {
    const VF v = load_f32(x + i);
    const VD low = low_to_double(v), high = high_to_double(v);
    if (in_fast_range(low) && in_fast_range(high)) {
      VF e = to_float(fast_exp_lanes(low), fast_exp_lanes(high));
      if (IsElu1) e = select_f32(greater_f32(v, splat_f32(0.0f)), add_f32(v, splat_f32(1.0f)), e);
      store_f32(out + i, e);
    } else {  // a lane outside fast_exp's range (or NaN): det_exp answers, as in the scalar path
      for (int lane = i; lane < i + 4; ++lane) out[lane] = IsElu1 ? lab_elu1(x[lane]) : lab_exp(x[lane]);
    }
  }
#endif
  for (; i < count; ++i) out[i] = IsElu1 ? lab_elu1(x[i]) : lab_exp(x[i]);
}

}  // namespace

void lab_exp_array(const float* x, float* out, int count) { exp_or_elu1_array<false>(x, out, count); }
void lab_elu1_array(const float* x, float* out, int count) { exp_or_elu1_array<true>(x, out, count); }
void lab_elu1_array(const double* x, double* out, int count) {
  for (int i = 0; i < count; ++i) out[i] = lab_elu1(x[i]);
}

void lab_tanh_array(const float* x, float* out, int count) {
  int i = 0;
#if ATTNRANK_LAB_MATH_AVX2
  if (wide_vectors_enabled()) i = wide::tanh_array(x, out, count);
#endif
#if ATTNRANK_LAB_MATH_SIMD
  for (; i + 4 <= count; i += 4) {
    const VF v = load_f32(x + i);
    const VD low = low_to_double(v), high = high_to_double(v);
    const VF computed = to_float(tanh_lanes(low), tanh_lanes(high));
    store_f32(out + i, select_f32(mask_to_f32(computed_lanes(low), computed_lanes(high)), computed, v));
  }
#endif
  for (; i < count; ++i) out[i] = lab_tanh(x[i]);
}

}  // namespace attnrank::lab
