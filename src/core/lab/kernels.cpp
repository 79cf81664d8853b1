// Fixed-order kernels (see kernels.h). One register-blocked product serves nn and tn (A is read through
// a (row, column) stride pair; the 128-bit path packs it, MR rows at a time, into a contiguous panel of
// broadcast vectors: an exact copy; the 256-bit path broadcasts straight from A); nt
// transposes B into scratch (exact) and runs the same product. The block keeps MR rows x NR vectors of C
// in registers and walks k ascending, so each output still has one accumulator updated as
// acc = acc + a * b in the reference's order: vector lanes only hold different outputs. Two vector paths:
// the 128-bit one of every build (SSE2 natively, wasm SIMD in the module) and, natively on x86-64 when
// the CPU has AVX2 at run time, a 256-bit one (8 floats or 4 doubles per vector, vmulps/vaddps: the same
// IEEE multiply and add per lane, never FMA; the build's -ffp-contract=off and a target without "fma"
// keep them separate). The lane width changes which outputs share an instruction, never an output's
// operations, so both paths give the reference's bits (test_lab_kernels.cpp runs each). Without SSE2 or
// wasm SIMD the reference loops run (same bits, slower). The matrix-vector products (gemv_n, gemv_t: the
// core's SVD reduction, linalg/bidiagonalization.cpp) have only the 128-bit path: they are bound by memory.
#include "kernels.h"

#include <atomic>
#include <cstddef>
#include <vector>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define ATTNRANK_LAB_SIMD 1
#elif defined(__SSE2__)
#include <emmintrin.h>
#define ATTNRANK_LAB_SIMD 1
#else
#define ATTNRANK_LAB_SIMD 0
#endif

// The 256-bit path: GCC or Clang on x86-64 (not wasm), compiled for AVX2 function by function (the rest of
// the build stays SSE2) and taken only when __builtin_cpu_supports("avx2") says the CPU and OS run it.
#if defined(__x86_64__) && defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__)) && !defined(__wasm__)
#include <immintrin.h>
#define ATTNRANK_LAB_AVX2 1
#define ATTNRANK_LAB_AVX2_TARGET __attribute__((target("avx2")))
#else
#define ATTNRANK_LAB_AVX2 0
#endif

namespace attnrank::lab {
namespace {

// ---- 128-bit vectors: width lanes of T, unaligned load/store, lane-wise IEEE add and multiply.
template <typename T>
struct Simd;

#if defined(__wasm_simd128__)
template <>
struct Simd<float> {
  using V = v128_t;
  static constexpr int kWidth = 4;
  static V load(const float* p) { return wasm_v128_load(p); }
  static void store(float* p, V v) { wasm_v128_store(p, v); }
  static V splat(float x) { return wasm_f32x4_splat(x); }
  static V zero() { return wasm_f32x4_splat(0.0f); }
  static V add(V x, V y) { return wasm_f32x4_add(x, y); }
  static V mul(V x, V y) { return wasm_f32x4_mul(x, y); }
  // v[r] = row r of a 4 x 4 block -> v[q] = column q (lane r = row r). Shuffles only: exact.
  static void transpose(V* v) {
    const V t0 = wasm_i32x4_shuffle(v[0], v[1], 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(v[2], v[3], 0, 4, 1, 5);
    const V t2 = wasm_i32x4_shuffle(v[0], v[1], 2, 6, 3, 7), t3 = wasm_i32x4_shuffle(v[2], v[3], 2, 6, 3, 7);
    v[0] = wasm_i64x2_shuffle(t0, t1, 0, 2);
    v[1] = wasm_i64x2_shuffle(t0, t1, 1, 3);
    v[2] = wasm_i64x2_shuffle(t2, t3, 0, 2);
    v[3] = wasm_i64x2_shuffle(t2, t3, 1, 3);
  }
};
template <>
struct Simd<double> {
  using V = v128_t;
  static constexpr int kWidth = 2;
  static V load(const double* p) { return wasm_v128_load(p); }
  static void store(double* p, V v) { wasm_v128_store(p, v); }
  static V splat(double x) { return wasm_f64x2_splat(x); }
  static V zero() { return wasm_f64x2_splat(0.0); }
  static V add(V x, V y) { return wasm_f64x2_add(x, y); }
  static V mul(V x, V y) { return wasm_f64x2_mul(x, y); }
  static void transpose(V* v) {
    const V t0 = wasm_i64x2_shuffle(v[0], v[1], 0, 2);
    v[1] = wasm_i64x2_shuffle(v[0], v[1], 1, 3);
    v[0] = t0;
  }
};
#elif defined(__SSE2__)
template <>
struct Simd<float> {
  using V = __m128;
  static constexpr int kWidth = 4;
  static V load(const float* p) { return _mm_loadu_ps(p); }
  static void store(float* p, V v) { _mm_storeu_ps(p, v); }
  static V splat(float x) { return _mm_set1_ps(x); }
  static V zero() { return _mm_setzero_ps(); }
  static V add(V x, V y) { return _mm_add_ps(x, y); }
  static V mul(V x, V y) { return _mm_mul_ps(x, y); }
  static void transpose(V* v) {
    const V t0 = _mm_unpacklo_ps(v[0], v[1]), t1 = _mm_unpacklo_ps(v[2], v[3]);
    const V t2 = _mm_unpackhi_ps(v[0], v[1]), t3 = _mm_unpackhi_ps(v[2], v[3]);
    v[0] = _mm_movelh_ps(t0, t1);
    v[1] = _mm_movehl_ps(t1, t0);
    v[2] = _mm_movelh_ps(t2, t3);
    v[3] = _mm_movehl_ps(t3, t2);
  }
};
template <>
struct Simd<double> {
  using V = __m128d;
  static constexpr int kWidth = 2;
  static V load(const double* p) { return _mm_loadu_pd(p); }
  static void store(double* p, V v) { _mm_storeu_pd(p, v); }
  static V splat(double x) { return _mm_set1_pd(x); }
  static V zero() { return _mm_setzero_pd(); }
  static V add(V x, V y) { return _mm_add_pd(x, y); }
  static V mul(V x, V y) { return _mm_mul_pd(x, y); }
  static void transpose(V* v) {
    const V t0 = _mm_unpacklo_pd(v[0], v[1]);
    v[1] = _mm_unpackhi_pd(v[0], v[1]);
    v[0] = t0;
  }
};
#endif

// The definition of every product: C[i][j] (+)= sum_{p ascending} a(i, p) b[p][j], one accumulator,
// a(i, p) = a[i * a_row + p * a_col] (nn: (lda, 1); tn: (1, lda)).
template <typename T>
void gemm_reference(int m, int n, int k, const T* a, std::ptrdiff_t a_row, std::ptrdiff_t a_col, const T* b,
                    int ldb, T* c, int ldc, bool accumulate) {
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      T acc = accumulate ? c[static_cast<std::ptrdiff_t>(i) * ldc + j] : T(0);
      for (int p = 0; p < k; ++p) acc = acc + a[i * a_row + p * a_col] * b[static_cast<std::ptrdiff_t>(p) * ldb + j];
      c[static_cast<std::ptrdiff_t>(i) * ldc + j] = acc;
    }
}

#if ATTNRANK_LAB_SIMD
// The register block. Natively (SSE2): 3 rows x 4 vectors of C = 12 accumulators, + 4 vectors of B and
// one of A (16 xmm registers). Measured on the lab's shapes (1024 x 64 x 64 .. 64 x 256 x 1024, f32, SSE2
// on the bench machine): 3 x 4 ~15% faster than the earlier 4 x 2 with scalar splats; 4 x 2, 6 x 2, 5 x 2,
// 8 x 1 and 2 x 4 with broadcast panels in between. In wasm: 4 rows x 2 vectors (8 accumulators + 2 of B
// + 1 of A): V8 keeps one of the 16 xmm registers for itself, and 3 x 4's 17 live vectors spill. The
// lab's GEMM shapes of one default step in node (a micro-benchmark of this file alone, min of 15 CPU-time
// samples per shape, load ~25): 3 x 4 40-42 ms, 4 x 2 30-38 ms, 2 x 4 32-40 ms, 3 x 2 33-38 ms, 6 x 2
// 39-44 ms. The block decides which outputs share a pass, never an output's operations: same bits.
#if defined(__wasm_simd128__)
constexpr int kRowsPerBlock = 4;
constexpr int kColumnVectors = 2;
#else
constexpr int kRowsPerBlock = 3;
constexpr int kColumnVectors = 4;
#endif

// Rows i0 .. i0 + MR - 1 of C from the packed panel (an exact copy of A's rows, contiguous whatever A's
// layout). IsBroadcast: a(i0 + r, p) at a_panel[(p * MR + r) * W .. + W - 1], each entry already a whole
// vector, so the inner loop loads it instead of splatting a scalar (a shuffle per row, k and column
// block: worth the wider panel from 2 column blocks on); else a(i0 + r, p) = a_panel[p * MR + r]. Blocks
// of kColumnVectors vectors of columns, then single vectors, then scalar columns.
template <typename T, int MR, bool IsBroadcast>
void gemm_rows(int i0, int n, int k, const T* a_panel, const T* b, int ldb, T* c, int ldc, bool accumulate) {
  using S = Simd<T>;
  using V = typename S::V;
  constexpr int W = S::kWidth;
  constexpr int kLanes = IsBroadcast ? W : 1;  // panel entries per element of A
  constexpr int kStep = MR * kLanes;           // panel entries per k
  constexpr int NR = kColumnVectors;
  T* c_rows[MR];
  for (int r = 0; r < MR; ++r) c_rows[r] = c + static_cast<std::ptrdiff_t>(i0 + r) * ldc;
  int j = 0;
  for (; j + NR * W <= n; j += NR * W) {
    V acc[MR][NR];
    for (int r = 0; r < MR; ++r)
      for (int q = 0; q < NR; ++q) acc[r][q] = accumulate ? S::load(c_rows[r] + j + q * W) : S::zero();
    const T* bp = b + j;
    const T* ap = a_panel;
    for (int p = 0; p < k; ++p, bp += ldb, ap += kStep) {
      V bv[NR];
      for (int q = 0; q < NR; ++q) bv[q] = S::load(bp + q * W);
      for (int r = 0; r < MR; ++r) {
        const V av = IsBroadcast ? S::load(ap + r * W) : S::splat(ap[r]);
        for (int q = 0; q < NR; ++q) acc[r][q] = S::add(acc[r][q], S::mul(av, bv[q]));
      }
    }
    for (int r = 0; r < MR; ++r)
      for (int q = 0; q < NR; ++q) S::store(c_rows[r] + j + q * W, acc[r][q]);
  }
  for (; j + W <= n; j += W) {
    V acc[MR];
    for (int r = 0; r < MR; ++r) acc[r] = accumulate ? S::load(c_rows[r] + j) : S::zero();
    const T* bp = b + j;
    const T* ap = a_panel;
    for (int p = 0; p < k; ++p, bp += ldb, ap += kStep) {
      const V bv = S::load(bp);
      for (int r = 0; r < MR; ++r)
        acc[r] = S::add(acc[r], S::mul(IsBroadcast ? S::load(ap + r * W) : S::splat(ap[r]), bv));
    }
    for (int r = 0; r < MR; ++r) S::store(c_rows[r] + j, acc[r]);
  }
  for (; j < n; ++j)
    for (int r = 0; r < MR; ++r) {
      T acc = accumulate ? c_rows[r][j] : T(0);
      for (int p = 0; p < k; ++p)
        acc = acc + a_panel[(p * MR + r) * kLanes] * b[static_cast<std::ptrdiff_t>(p) * ldb + j];
      c_rows[r][j] = acc;
    }
}

// Copies rows i0 .. i0 + MR - 1 of a(i, p) into the panel gemm_rows<T, MR, IsBroadcast> reads. Exact.
template <typename T, int MR, bool IsBroadcast>
void pack_panel(int i0, int k, const T* a, std::ptrdiff_t a_row, std::ptrdiff_t a_col, T* panel) {
  using S = Simd<T>;
  constexpr int W = S::kWidth;
  for (int p = 0; p < k; ++p)
    for (int r = 0; r < MR; ++r) {
      const T value = a[(i0 + r) * a_row + p * a_col];
      if (IsBroadcast) {
        S::store(panel + (p * MR + r) * W, S::splat(value));
      } else {
        panel[p * MR + r] = value;
      }
    }
}

template <typename T, bool IsBroadcast>
void gemm_blocks(int m, int n, int k, const T* a, std::ptrdiff_t a_row, std::ptrdiff_t a_col, const T* b, int ldb,
                 T* c, int ldc, bool accumulate, T* panel) {
  int i = 0;
  for (; i + kRowsPerBlock <= m; i += kRowsPerBlock) {
    pack_panel<T, kRowsPerBlock, IsBroadcast>(i, k, a, a_row, a_col, panel);
    gemm_rows<T, kRowsPerBlock, IsBroadcast>(i, n, k, panel, b, ldb, c, ldc, accumulate);
  }
  for (; i < m; ++i) {
    pack_panel<T, 1, IsBroadcast>(i, k, a, a_row, a_col, panel);
    gemm_rows<T, 1, IsBroadcast>(i, n, k, panel, b, ldb, c, ldc, accumulate);
  }
}
#endif

#if ATTNRANK_LAB_AVX2
// ---- 256-bit vectors (AVX2 targets only; see the top of this file).
#define ATTNRANK_LAB_WIDE_INLINE ATTNRANK_LAB_AVX2_TARGET __attribute__((always_inline)) static inline
template <typename T>
struct Wide;
template <>
struct Wide<float> {
  using V = __m256;
  using H = __m128;  // the 128-bit half, for a 4-column tail
  static constexpr int kWidth = 8;
  static constexpr int kHalfWidth = 4;
  ATTNRANK_LAB_WIDE_INLINE V load(const float* p) { return _mm256_loadu_ps(p); }
  ATTNRANK_LAB_WIDE_INLINE void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  ATTNRANK_LAB_WIDE_INLINE V splat(const float* p) { return _mm256_broadcast_ss(p); }
  ATTNRANK_LAB_WIDE_INLINE V zero() { return _mm256_setzero_ps(); }
  ATTNRANK_LAB_WIDE_INLINE V add(V x, V y) { return _mm256_add_ps(x, y); }
  ATTNRANK_LAB_WIDE_INLINE V mul(V x, V y) { return _mm256_mul_ps(x, y); }
  ATTNRANK_LAB_WIDE_INLINE H load_half(const float* p) { return _mm_loadu_ps(p); }
  ATTNRANK_LAB_WIDE_INLINE void store_half(float* p, H v) { _mm_storeu_ps(p, v); }
  ATTNRANK_LAB_WIDE_INLINE H splat_half(const float* p) { return _mm_broadcast_ss(p); }
  ATTNRANK_LAB_WIDE_INLINE H zero_half() { return _mm_setzero_ps(); }
  ATTNRANK_LAB_WIDE_INLINE H add_half(H x, H y) { return _mm_add_ps(x, y); }
  ATTNRANK_LAB_WIDE_INLINE H mul_half(H x, H y) { return _mm_mul_ps(x, y); }
};
template <>
struct Wide<double> {
  using V = __m256d;
  using H = __m128d;
  static constexpr int kWidth = 4;
  static constexpr int kHalfWidth = 2;
  ATTNRANK_LAB_WIDE_INLINE V load(const double* p) { return _mm256_loadu_pd(p); }
  ATTNRANK_LAB_WIDE_INLINE void store(double* p, V v) { _mm256_storeu_pd(p, v); }
  ATTNRANK_LAB_WIDE_INLINE V splat(const double* p) { return _mm256_broadcast_sd(p); }
  ATTNRANK_LAB_WIDE_INLINE V zero() { return _mm256_setzero_pd(); }
  ATTNRANK_LAB_WIDE_INLINE V add(V x, V y) { return _mm256_add_pd(x, y); }
  ATTNRANK_LAB_WIDE_INLINE V mul(V x, V y) { return _mm256_mul_pd(x, y); }
  ATTNRANK_LAB_WIDE_INLINE H load_half(const double* p) { return _mm_loadu_pd(p); }
  ATTNRANK_LAB_WIDE_INLINE void store_half(double* p, H v) { _mm_storeu_pd(p, v); }
  ATTNRANK_LAB_WIDE_INLINE H splat_half(const double* p) { return _mm_loaddup_pd(p); }
  ATTNRANK_LAB_WIDE_INLINE H zero_half() { return _mm_setzero_pd(); }
  ATTNRANK_LAB_WIDE_INLINE H add_half(H x, H y) { return _mm_add_pd(x, y); }
  ATTNRANK_LAB_WIDE_INLINE H mul_half(H x, H y) { return _mm_mul_pd(x, y); }
};
#undef ATTNRANK_LAB_WIDE_INLINE

// The 256-bit register block: 6 rows x 2 vectors of C = 12 accumulators, + 2 vectors of B and one
// broadcast of A (vbroadcastss from A: a load, no shuffle) = 15 of the 16 ymm registers. Two
// vectors are 16 floats: a head's width h = 16 exactly, and 64 and 256 in whole blocks.
constexpr int kWideRowsPerBlock = 6;
constexpr int kWideColumnVectors = 2;
// k is walked in slices of this many (C stored and reloaded between slices: exact, the same accumulator
// continued), so the slice of B a block reads stays in cache when k is the batch's 1,024 rows.
constexpr int kWideDepthSlice = 256;

// Rows i0 .. i0 + MR - 1 of C, k from p0 to p1 - 1, reading a(i0 + r, p) straight from A (a broadcast
// from memory costs the same from any address, so A is never packed: nn reads its rows, tn its columns).
// start_from_c: the accumulators start at C (accumulate, or a later slice), else at 0. Blocks of 2
// vectors of columns, then single vectors, a half vector, then scalar columns.
template <typename T, int MR>
ATTNRANK_LAB_AVX2_TARGET void gemm_rows_wide(int i0, int n, int p0, int p1, const T* a, std::ptrdiff_t a_row,
                                             std::ptrdiff_t a_col, const T* b, int ldb, T* c, int ldc,
                                             bool start_from_c) {
  using S = Wide<T>;
  using V = typename S::V;
  using H = typename S::H;
  constexpr int W = S::kWidth;
  constexpr int HW = S::kHalfWidth;
  constexpr int NR = kWideColumnVectors;
  T* c_rows[MR];
  const T* a_rows[MR];  // a(i0 + r, p0)
  for (int r = 0; r < MR; ++r) {
    c_rows[r] = c + static_cast<std::ptrdiff_t>(i0 + r) * ldc;
    a_rows[r] = a + (i0 + r) * a_row + p0 * a_col;
  }
  const T* b_start = b + static_cast<std::ptrdiff_t>(p0) * ldb;
  const int depth = p1 - p0;
  int j = 0;
  for (; j + NR * W <= n; j += NR * W) {
    V acc[MR][NR];
    for (int r = 0; r < MR; ++r)
      for (int q = 0; q < NR; ++q) acc[r][q] = start_from_c ? S::load(c_rows[r] + j + q * W) : S::zero();
    const T* bp = b_start + j;
    std::ptrdiff_t at = 0;  // p * a_col
    for (int p = 0; p < depth; ++p, bp += ldb, at += a_col) {
      V bv[NR];
      for (int q = 0; q < NR; ++q) bv[q] = S::load(bp + q * W);
      for (int r = 0; r < MR; ++r) {
        const V av = S::splat(a_rows[r] + at);
        for (int q = 0; q < NR; ++q) acc[r][q] = S::add(acc[r][q], S::mul(av, bv[q]));
      }
    }
    for (int r = 0; r < MR; ++r)
      for (int q = 0; q < NR; ++q) S::store(c_rows[r] + j + q * W, acc[r][q]);
  }
  for (; j + W <= n; j += W) {
    V acc[MR];
    for (int r = 0; r < MR; ++r) acc[r] = start_from_c ? S::load(c_rows[r] + j) : S::zero();
    const T* bp = b_start + j;
    std::ptrdiff_t at = 0;
    for (int p = 0; p < depth; ++p, bp += ldb, at += a_col) {
      const V bv = S::load(bp);
      for (int r = 0; r < MR; ++r) acc[r] = S::add(acc[r], S::mul(S::splat(a_rows[r] + at), bv));
    }
    for (int r = 0; r < MR; ++r) S::store(c_rows[r] + j, acc[r]);
  }
  for (; j + HW <= n; j += HW) {
    H acc[MR];
    for (int r = 0; r < MR; ++r) acc[r] = start_from_c ? S::load_half(c_rows[r] + j) : S::zero_half();
    const T* bp = b_start + j;
    std::ptrdiff_t at = 0;
    for (int p = 0; p < depth; ++p, bp += ldb, at += a_col) {
      const H bv = S::load_half(bp);
      for (int r = 0; r < MR; ++r) acc[r] = S::add_half(acc[r], S::mul_half(S::splat_half(a_rows[r] + at), bv));
    }
    for (int r = 0; r < MR; ++r) S::store_half(c_rows[r] + j, acc[r]);
  }
  for (; j < n; ++j)
    for (int r = 0; r < MR; ++r) {
      T acc = start_from_c ? c_rows[r][j] : T(0);
      for (int p = 0; p < depth; ++p) acc = acc + a_rows[r][p * a_col] * b_start[static_cast<std::ptrdiff_t>(p) * ldb + j];
      c_rows[r][j] = acc;
    }
}

// The whole product on the 256-bit path: slices of k ascending (the first starts from C or 0, the next
// from the C the previous stored), 6-row blocks, then the remaining rows as 4, 2 and 1.
template <typename T>
ATTNRANK_LAB_AVX2_TARGET void gemm_wide(int m, int n, int k, const T* a, std::ptrdiff_t a_row, std::ptrdiff_t a_col,
                                        const T* b, int ldb, T* c, int ldc, bool accumulate) {
  int p0 = 0;
  do {
    const int p1 = k - p0 > kWideDepthSlice ? p0 + kWideDepthSlice : k;
    const bool start_from_c = accumulate || p0 > 0;
    int i = 0;
    for (; i + kWideRowsPerBlock <= m; i += kWideRowsPerBlock)
      gemm_rows_wide<T, kWideRowsPerBlock>(i, n, p0, p1, a, a_row, a_col, b, ldb, c, ldc, start_from_c);
    if (i + 4 <= m) {
      gemm_rows_wide<T, 4>(i, n, p0, p1, a, a_row, a_col, b, ldb, c, ldc, start_from_c);
      i += 4;
    }
    if (i + 2 <= m) {
      gemm_rows_wide<T, 2>(i, n, p0, p1, a, a_row, a_col, b, ldb, c, ldc, start_from_c);
      i += 2;
    }
    if (i < m) gemm_rows_wide<T, 1>(i, n, p0, p1, a, a_row, a_col, b, ldb, c, ldc, start_from_c);
    p0 = p1;
  } while (p0 < k);
}

bool cpu_has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}
#endif

// The path the products take: 256-bit when built in and the CPU has AVX2, unless a test asked for the
// 128-bit path (set_wide_vectors).
std::atomic<bool>& wide_vectors_flag() {
#if ATTNRANK_LAB_AVX2
  static std::atomic<bool> flag{cpu_has_avx2()};
#else
  static std::atomic<bool> flag{false};
#endif
  return flag;
}

template <typename T>
void gemm(int m, int n, int k, const T* a, std::ptrdiff_t a_row, std::ptrdiff_t a_col, const T* b, int ldb, T* c,
          int ldc, bool accumulate) {
#if ATTNRANK_LAB_SIMD
#if ATTNRANK_LAB_AVX2
  if (wide_vectors_flag().load(std::memory_order_relaxed)) {
    gemm_wide(m, n, k, a, a_row, a_col, b, ldb, c, ldc, accumulate);
    return;
  }
#endif
  // Reused across calls (a training step makes no allocation once sized; LabModel.StepAllocatesNothing).
  thread_local std::vector<T> panel;
  panel.resize(static_cast<std::size_t>(kRowsPerBlock) * Simd<T>::kWidth * static_cast<std::size_t>(k > 0 ? k : 1));
  if (n >= 2 * kColumnVectors * Simd<T>::kWidth) {
    gemm_blocks<T, true>(m, n, k, a, a_row, a_col, b, ldb, c, ldc, accumulate, panel.data());
  } else {
    gemm_blocks<T, false>(m, n, k, a, a_row, a_col, b, ldb, c, ldc, accumulate, panel.data());
  }
#else
  gemm_reference(m, n, k, a, a_row, a_col, b, ldb, c, ldc, accumulate);
#endif
}

// B (n, k) -> B^T (k, n), contiguous, into bt (resized). Copies only: exact.
template <typename T>
void transpose_into(std::vector<T>& bt, int n, int k, const T* b, int ldb) {
  bt.resize(static_cast<std::size_t>(n) * static_cast<std::size_t>(k));
  for (int j = 0; j < n; ++j)
    for (int p = 0; p < k; ++p) bt[static_cast<std::size_t>(p) * n + j] = b[static_cast<std::ptrdiff_t>(j) * ldb + p];
}

template <typename T>
void matmul_nt_impl(int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc, bool accumulate) {
  thread_local std::vector<T> bt;  // reused across calls, as gemm's panel
  transpose_into(bt, n, k, b, ldb);
  gemm(m, n, k, a, lda, 1, bt.data(), n, c, ldc, accumulate);
}

// ---- Matrix-vector products (kernels.h: gemv_n, gemv_t).

// The definitions: y[i] (+)= sum_{j ascending} A[i][j] x[j]  and  y[j] (+)= sum_{i ascending} A[i][j] x[i].
template <typename T>
void gemv_n_loop(int rows, int cols, const T* a, int lda, const T* x, T* y, bool accumulate) {
  for (int i = 0; i < rows; ++i) {
    const T* row = a + static_cast<std::ptrdiff_t>(i) * lda;
    T acc = accumulate ? y[i] : T(0);
    for (int j = 0; j < cols; ++j) acc = acc + row[j] * x[j];
    y[i] = acc;
  }
}

template <typename T>
void gemv_t_loop(int rows, int cols, const T* a, int lda, const T* x, T* y, bool accumulate) {
  for (int j = 0; j < cols; ++j) {
    T acc = accumulate ? y[j] : T(0);
    for (int i = 0; i < rows; ++i) acc = acc + a[static_cast<std::ptrdiff_t>(i) * lda + j] * x[i];
    y[j] = acc;
  }
}

#if ATTNRANK_LAB_SIMD
// y = A x with the outputs (A's rows) in vector lanes, kBlocks blocks of W rows from row i on: for each W
// columns, the W x W tile of each block is transposed in registers (shuffles: exact), so lane r of column
// vector q is A[i + r][j + q], and acc[b] = acc[b] + column_q * x[j + q], q ascending: each lane is its
// output's single accumulator walking j ascending. The column tail finishes each row's accumulator in
// scalar code (stored lanes: exact).
template <typename T, int kBlocks>
void gemv_n_rows(int i, int cols, const T* a, int lda, const T* x, T* y, bool accumulate) {
  using S = Simd<T>;
  using V = typename S::V;
  constexpr int W = S::kWidth;
  constexpr int R = kBlocks * W;
  const T* row[R];
  for (int r = 0; r < R; ++r) row[r] = a + static_cast<std::ptrdiff_t>(i + r) * lda;
  V acc[kBlocks];
  for (int b = 0; b < kBlocks; ++b) acc[b] = accumulate ? S::load(y + i + b * W) : S::zero();
  int j = 0;
  for (; j + W <= cols; j += W) {
    V xs[W];
    for (int q = 0; q < W; ++q) xs[q] = S::splat(x[j + q]);
    for (int b = 0; b < kBlocks; ++b) {
      V tile[W];
      for (int r = 0; r < W; ++r) tile[r] = S::load(row[b * W + r] + j);
      S::transpose(tile);
      for (int q = 0; q < W; ++q) acc[b] = S::add(acc[b], S::mul(tile[q], xs[q]));
    }
  }
  T out[R];
  for (int b = 0; b < kBlocks; ++b) S::store(out + b * W, acc[b]);
  for (; j < cols; ++j)
    for (int r = 0; r < R; ++r) out[r] = out[r] + row[r][j] * x[j];
  for (int r = 0; r < R; ++r) y[i + r] = out[r];
}

// 8 rows per pass in both precisions (4 blocks of 2 doubles or 2 blocks of 4 floats): enough independent
// accumulators to hide the add latency, few enough registers for wasm (V8 keeps one xmm register). The
// rows left over (< 8) take one pass of as many whole blocks as they fill (the SVD's reduction calls this
// with a few long rows, fewer than its panel width, where a scalar loop per row would wait on each add),
// and the last rows (< W) the loop.
template <typename T>
void gemv_n_simd(int rows, int cols, const T* a, int lda, const T* x, T* y, bool accumulate) {
  constexpr int W = Simd<T>::kWidth;
  constexpr int kBlocks = 8 / W;
  int i = 0;
  for (; i + kBlocks * W <= rows; i += kBlocks * W) gemv_n_rows<T, kBlocks>(i, cols, a, lda, x, y, accumulate);
  const int blocks = (rows - i) / W;  // < kBlocks
  if (blocks == 1) gemv_n_rows<T, 1>(i, cols, a, lda, x, y, accumulate);
  if (blocks == 2) gemv_n_rows<T, (kBlocks > 2 ? 2 : 1)>(i, cols, a, lda, x, y, accumulate);
  if (blocks == 3) gemv_n_rows<T, (kBlocks > 3 ? 3 : 1)>(i, cols, a, lda, x, y, accumulate);
  i += blocks * W;
  gemv_n_loop(rows - i, cols, a + static_cast<std::ptrdiff_t>(i) * lda, lda, x, y + i, accumulate);
}

// y = A^T x with the outputs (A's columns) in vector lanes, straight loads: 8 rows of A per pass over y
// (y stays in L1; A streams by rows; one load and store of y per 8 rows), then 4, then 1:
// acc = ((y + a0 x0) + a1 x1) + ..., rows ascending.
template <typename T>
void gemv_t_simd(int rows, int cols, const T* a, int lda, const T* x, T* y, bool accumulate) {
  using S = Simd<T>;
  using V = typename S::V;
  constexpr int W = S::kWidth;
  if (!accumulate)
    for (int j = 0; j < cols; ++j) y[j] = T(0);  // 0 + p is the reference's first step (also for p = -0)
  int i = 0;
  for (; i + 8 <= rows; i += 8) {
    const T* r[8];
    V v[8];
    for (int q = 0; q < 8; ++q) {
      r[q] = a + static_cast<std::ptrdiff_t>(i + q) * lda;
      v[q] = S::splat(x[i + q]);
    }
    int j = 0;
    for (; j + W <= cols; j += W) {
      V acc = S::load(y + j);
      for (int q = 0; q < 8; ++q) acc = S::add(acc, S::mul(S::load(r[q] + j), v[q]));
      S::store(y + j, acc);
    }
    for (; j < cols; ++j) {
      T acc = y[j];
      for (int q = 0; q < 8; ++q) acc = acc + r[q][j] * x[i + q];
      y[j] = acc;
    }
  }
  for (; i + 4 <= rows; i += 4) {
    const T* r0 = a + static_cast<std::ptrdiff_t>(i) * lda;
    const T* r1 = r0 + lda;
    const T* r2 = r1 + lda;
    const T* r3 = r2 + lda;
    const T x0 = x[i], x1 = x[i + 1], x2 = x[i + 2], x3 = x[i + 3];
    const V v0 = S::splat(x0), v1 = S::splat(x1), v2 = S::splat(x2), v3 = S::splat(x3);
    int j = 0;
    for (; j + W <= cols; j += W) {
      V acc = S::load(y + j);
      acc = S::add(acc, S::mul(S::load(r0 + j), v0));
      acc = S::add(acc, S::mul(S::load(r1 + j), v1));
      acc = S::add(acc, S::mul(S::load(r2 + j), v2));
      acc = S::add(acc, S::mul(S::load(r3 + j), v3));
      S::store(y + j, acc);
    }
    for (; j < cols; ++j) y[j] = (((y[j] + r0[j] * x0) + r1[j] * x1) + r2[j] * x2) + r3[j] * x3;
  }
  for (; i < rows; ++i) {
    const T* r0 = a + static_cast<std::ptrdiff_t>(i) * lda;
    const T x0 = x[i];
    const V v0 = S::splat(x0);
    int j = 0;
    for (; j + W <= cols; j += W) S::store(y + j, S::add(S::load(y + j), S::mul(S::load(r0 + j), v0)));
    for (; j < cols; ++j) y[j] = y[j] + r0[j] * x0;
  }
}
#endif

template <typename T>
void gemv_n_any(int rows, int cols, const T* a, int lda, const T* x, T* y, bool accumulate) {
#if ATTNRANK_LAB_SIMD
  gemv_n_simd(rows, cols, a, lda, x, y, accumulate);
#else
  gemv_n_loop(rows, cols, a, lda, x, y, accumulate);
#endif
}

template <typename T>
void gemv_t_any(int rows, int cols, const T* a, int lda, const T* x, T* y, bool accumulate) {
#if ATTNRANK_LAB_SIMD
  gemv_t_simd(rows, cols, a, lda, x, y, accumulate);
#else
  gemv_t_loop(rows, cols, a, lda, x, y, accumulate);
#endif
}

}  // namespace

template <typename T>
void matmul_nn(int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc) {
  gemm(m, n, k, a, lda, 1, b, ldb, c, ldc, false);
}
template <typename T>
void matmul_nn_add(int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc) {
  gemm(m, n, k, a, lda, 1, b, ldb, c, ldc, true);
}
template <typename T>
void matmul_nt(int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc) {
  matmul_nt_impl(m, n, k, a, lda, b, ldb, c, ldc, false);
}
template <typename T>
void matmul_nt_add(int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc) {
  matmul_nt_impl(m, n, k, a, lda, b, ldb, c, ldc, true);
}
template <typename T>
void matmul_tn(int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc) {
  gemm(m, n, k, a, 1, lda, b, ldb, c, ldc, false);
}
template <typename T>
void matmul_tn_add(int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc) {
  gemm(m, n, k, a, 1, lda, b, ldb, c, ldc, true);
}

template <typename T>
void gemv_n(int rows, int cols, const T* a, int lda, const T* x, T* y) {
  gemv_n_any(rows, cols, a, lda, x, y, false);
}
template <typename T>
void gemv_n_add(int rows, int cols, const T* a, int lda, const T* x, T* y) {
  gemv_n_any(rows, cols, a, lda, x, y, true);
}
template <typename T>
void gemv_t(int rows, int cols, const T* a, int lda, const T* x, T* y) {
  gemv_t_any(rows, cols, a, lda, x, y, false);
}
template <typename T>
void gemv_t_add(int rows, int cols, const T* a, int lda, const T* x, T* y) {
  gemv_t_any(rows, cols, a, lda, x, y, true);
}
template <typename T>
void gemv_n_reference(int rows, int cols, const T* a, int lda, const T* x, T* y, bool accumulate) {
  gemv_n_loop(rows, cols, a, lda, x, y, accumulate);
}
template <typename T>
void gemv_t_reference(int rows, int cols, const T* a, int lda, const T* x, T* y, bool accumulate) {
  gemv_t_loop(rows, cols, a, lda, x, y, accumulate);
}

template <typename T>
void row_sums(int rows, int cols, const T* a, int lda, T* out) {
  for (int i = 0; i < rows; ++i) {
    const T* row = a + static_cast<std::ptrdiff_t>(i) * lda;
    T acc = T(0);
    for (int j = 0; j < cols; ++j) acc = acc + row[j];
    out[i] = acc;
  }
}

template <typename T>
void row_dots(int rows, int cols, const T* a, int lda, const T* b, int ldb, T* out) {
  for (int i = 0; i < rows; ++i) {
    const T* x = a + static_cast<std::ptrdiff_t>(i) * lda;
    const T* y = b + static_cast<std::ptrdiff_t>(i) * ldb;
    T acc = T(0);
    for (int j = 0; j < cols; ++j) acc = acc + x[j] * y[j];
    out[i] = acc;
  }
}

template <typename T>
void column_sums_add(int rows, int cols, const T* a, int lda, T* out) {
  int j = 0;
#if ATTNRANK_LAB_SIMD
  using S = Simd<T>;
  constexpr int W = S::kWidth;
  for (; j + W <= cols; j += W) {
    auto acc = S::load(out + j);
    for (int i = 0; i < rows; ++i) acc = S::add(acc, S::load(a + static_cast<std::ptrdiff_t>(i) * lda + j));
    S::store(out + j, acc);
  }
#endif
  for (; j < cols; ++j) {
    T acc = out[j];
    for (int i = 0; i < rows; ++i) acc = acc + a[static_cast<std::ptrdiff_t>(i) * lda + j];
    out[j] = acc;
  }
}

template <typename T>
void matmul_nn_reference(int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc,
                         bool accumulate) {
  gemm_reference(m, n, k, a, lda, 1, b, ldb, c, ldc, accumulate);
}

template <typename T>
void matmul_nt_reference(int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc,
                         bool accumulate) {
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      T acc = accumulate ? c[static_cast<std::ptrdiff_t>(i) * ldc + j] : T(0);
      for (int p = 0; p < k; ++p)
        acc = acc + a[static_cast<std::ptrdiff_t>(i) * lda + p] * b[static_cast<std::ptrdiff_t>(j) * ldb + p];
      c[static_cast<std::ptrdiff_t>(i) * ldc + j] = acc;
    }
}

template <typename T>
void matmul_tn_reference(int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc,
                         bool accumulate) {
  gemm_reference(m, n, k, a, 1, lda, b, ldb, c, ldc, accumulate);
}

template <typename T>
void column_sums_add_reference(int rows, int cols, const T* a, int lda, T* out) {
  for (int j = 0; j < cols; ++j) {
    T acc = out[j];
    for (int i = 0; i < rows; ++i) acc = acc + a[static_cast<std::ptrdiff_t>(i) * lda + j];
    out[j] = acc;
  }
}

bool wide_vectors_available() {
#if ATTNRANK_LAB_AVX2
  return cpu_has_avx2();
#else
  return false;
#endif
}

bool wide_vectors_enabled() { return wide_vectors_flag().load(std::memory_order_relaxed); }

bool set_wide_vectors(bool enabled) {
  return wide_vectors_flag().exchange(enabled && wide_vectors_available());
}

const char* kernel_isa() {
  if (wide_vectors_flag().load(std::memory_order_relaxed)) return "avx2";
#if defined(__wasm_simd128__)
  return "wasm-simd128";
#elif defined(__SSE2__)
  return "sse2";
#else
  return "scalar";
#endif
}

#define ATTNRANK_LAB_INSTANTIATE(T)                                                                            \
  template void matmul_nn<T>(int, int, int, const T*, int, const T*, int, T*, int);                           \
  template void matmul_nn_add<T>(int, int, int, const T*, int, const T*, int, T*, int);                       \
  template void matmul_nt<T>(int, int, int, const T*, int, const T*, int, T*, int);                           \
  template void matmul_nt_add<T>(int, int, int, const T*, int, const T*, int, T*, int);                       \
  template void matmul_tn<T>(int, int, int, const T*, int, const T*, int, T*, int);                           \
  template void matmul_tn_add<T>(int, int, int, const T*, int, const T*, int, T*, int);                       \
  template void row_sums<T>(int, int, const T*, int, T*);                                                     \
  template void row_dots<T>(int, int, const T*, int, const T*, int, T*);                                      \
  template void column_sums_add<T>(int, int, const T*, int, T*);                                              \
  template void matmul_nn_reference<T>(int, int, int, const T*, int, const T*, int, T*, int, bool);           \
  template void matmul_nt_reference<T>(int, int, int, const T*, int, const T*, int, T*, int, bool);           \
  template void matmul_tn_reference<T>(int, int, int, const T*, int, const T*, int, T*, int, bool);           \
  template void column_sums_add_reference<T>(int, int, const T*, int, T*);                                   \
  template void gemv_n<T>(int, int, const T*, int, const T*, T*);                                             \
  template void gemv_n_add<T>(int, int, const T*, int, const T*, T*);                                         \
  template void gemv_t<T>(int, int, const T*, int, const T*, T*);                                             \
  template void gemv_t_add<T>(int, int, const T*, int, const T*, T*);                                         \
  template void gemv_n_reference<T>(int, int, const T*, int, const T*, T*, bool);                             \
  template void gemv_t_reference<T>(int, int, const T*, int, const T*, T*, bool);

ATTNRANK_LAB_INSTANTIATE(float)
ATTNRANK_LAB_INSTANTIATE(double)
#undef ATTNRANK_LAB_INSTANTIATE

}  // namespace attnrank::lab
