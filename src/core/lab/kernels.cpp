// Fixed-order kernels (see kernels.h). One register-blocked product serves nn and tn (A is read through
// a (row, column) stride pair and packed, MR rows at a time, into a contiguous panel: an exact copy); nt
// transposes B into scratch (exact) and runs the same product. The block keeps MR rows x 2 vectors of C
// in registers and walks k ascending, so each output still has one
// accumulator updated as acc = acc + a * b in the reference's order: vector lanes only hold different
// outputs. Without SSE2 or wasm SIMD the reference loops run (same bits, slower).
#include "kernels.h"

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
// Rows i0 .. i0 + MR - 1 of C from the packed panel a_panel[p * MR + r] = a(i0 + r, p) (an exact copy,
// contiguous whatever A's layout): blocks of 2 vectors of columns, then single vectors, then scalar columns.
template <typename T, int MR>
void gemm_rows(int i0, int n, int k, const T* a_panel, const T* b, int ldb, T* c, int ldc, bool accumulate) {
  using S = Simd<T>;
  using V = typename S::V;
  constexpr int W = S::kWidth;
  T* c_rows[MR];
  for (int r = 0; r < MR; ++r) c_rows[r] = c + static_cast<std::ptrdiff_t>(i0 + r) * ldc;
  int j = 0;
  for (; j + 2 * W <= n; j += 2 * W) {
    V acc0[MR], acc1[MR];
    for (int r = 0; r < MR; ++r) {
      acc0[r] = accumulate ? S::load(c_rows[r] + j) : S::zero();
      acc1[r] = accumulate ? S::load(c_rows[r] + j + W) : S::zero();
    }
    const T* bp = b + j;
    const T* ap = a_panel;
    for (int p = 0; p < k; ++p, bp += ldb, ap += MR) {
      const V b0 = S::load(bp);
      const V b1 = S::load(bp + W);
      for (int r = 0; r < MR; ++r) {
        const V av = S::splat(ap[r]);
        acc0[r] = S::add(acc0[r], S::mul(av, b0));
        acc1[r] = S::add(acc1[r], S::mul(av, b1));
      }
    }
    for (int r = 0; r < MR; ++r) {
      S::store(c_rows[r] + j, acc0[r]);
      S::store(c_rows[r] + j + W, acc1[r]);
    }
  }
  for (; j + W <= n; j += W) {
    V acc[MR];
    for (int r = 0; r < MR; ++r) acc[r] = accumulate ? S::load(c_rows[r] + j) : S::zero();
    const T* bp = b + j;
    const T* ap = a_panel;
    for (int p = 0; p < k; ++p, bp += ldb, ap += MR) {
      const V bv = S::load(bp);
      for (int r = 0; r < MR; ++r) acc[r] = S::add(acc[r], S::mul(S::splat(ap[r]), bv));
    }
    for (int r = 0; r < MR; ++r) S::store(c_rows[r] + j, acc[r]);
  }
  for (; j < n; ++j)
    for (int r = 0; r < MR; ++r) {
      T acc = accumulate ? c_rows[r][j] : T(0);
      for (int p = 0; p < k; ++p) acc = acc + a_panel[p * MR + r] * b[static_cast<std::ptrdiff_t>(p) * ldb + j];
      c_rows[r][j] = acc;
    }
}

// Copies rows i0 .. i0 + MR - 1 of a(i, p) into panel[p * MR + r]. Exact.
template <typename T, int MR>
void pack_panel(int i0, int k, const T* a, std::ptrdiff_t a_row, std::ptrdiff_t a_col, T* panel) {
  for (int p = 0; p < k; ++p)
    for (int r = 0; r < MR; ++r) panel[p * MR + r] = a[(i0 + r) * a_row + p * a_col];
}
#endif

template <typename T>
void gemm(int m, int n, int k, const T* a, std::ptrdiff_t a_row, std::ptrdiff_t a_col, const T* b, int ldb, T* c,
          int ldc, bool accumulate) {
#if ATTNRANK_LAB_SIMD
  constexpr int kRowBlock = 4;  // 4 rows x 2 vectors = 8 accumulators: fits 16 xmm / wasm locals
  // Reused across calls (a training step makes no allocation once sized; LabModel.StepAllocatesNothing).
  thread_local std::vector<T> panel;
  panel.resize(static_cast<std::size_t>(kRowBlock) * static_cast<std::size_t>(k > 0 ? k : 1));
  int i = 0;
  for (; i + kRowBlock <= m; i += kRowBlock) {
    pack_panel<T, kRowBlock>(i, k, a, a_row, a_col, panel.data());
    gemm_rows<T, kRowBlock>(i, n, k, panel.data(), b, ldb, c, ldc, accumulate);
  }
  for (; i < m; ++i) {
    pack_panel<T, 1>(i, k, a, a_row, a_col, panel.data());
    gemm_rows<T, 1>(i, n, k, panel.data(), b, ldb, c, ldc, accumulate);
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

const char* kernel_isa() {
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
  template void column_sums_add_reference<T>(int, int, const T*, int, T*);

ATTNRANK_LAB_INSTANTIATE(float)
ATTNRANK_LAB_INSTANTIATE(double)
#undef ATTNRANK_LAB_INSTANTIATE

}  // namespace attnrank::lab
