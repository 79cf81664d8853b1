// Fixed-order compute kernels of the training lab (design-lab.md section 5): matrix products and
// reductions whose every output is ONE accumulator summed over k ascending, so a run gives the same bits
// natively and in wasm. Fast paths vectorise ACROSS outputs only (explicit 128-bit vectors: SSE2 on
// x86-64, wasm_simd128.h under -msimd128), with a separate multiply and add (never FMA, no relaxed SIMD;
// the build uses -ffp-contract=off). Each kernel has a naive loop beside it (*_reference) that DEFINES its
// result bit for bit; tests/native/test_lab_kernels.cpp checks the two are identical. No threads, no Eigen.
//
// Shapes: row-major with leading dimensions (lda = distance between rows, >= columns), so a head's
// column block of a wider (rows, D) matrix is passed as a pointer offset with ld = D, nothing copied.
// Overwrite variants start each accumulator at 0; the *_add variants start it at the current C entry
// (C += product), which is what gradient accumulation over a batch needs.
#pragma once

namespace attnrank::lab {

// C (m, n) = A (m, k) B (k, n):        C[i][j] = sum_{p = 0..k-1} A[i][p] B[p][j]
template <typename T>
void matmul_nn(int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc);
template <typename T>
void matmul_nn_add(int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc);

// C (m, n) = A (m, k) B^T, B (n, k):   C[i][j] = sum_p A[i][p] B[j][p]
// (B is transposed into a scratch copy first, which is exact, then the nn path runs.)
template <typename T>
void matmul_nt(int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc);
template <typename T>
void matmul_nt_add(int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc);

// C (m, n) = A^T B, A (k, m), B (k, n): C[i][j] = sum_p A[p][i] B[p][j]
template <typename T>
void matmul_tn(int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc);
template <typename T>
void matmul_tn_add(int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc);

// out[i] = sum_{j ascending} A[i][j], A (rows, cols). Scalar (one row is one accumulator).
template <typename T>
void row_sums(int rows, int cols, const T* a, int lda, T* out);

// out[i] = sum_{j ascending} A[i][j] B[i][j]. Scalar.
template <typename T>
void row_dots(int rows, int cols, const T* a, int lda, const T* b, int ldb, T* out);

// out[j] += sum_{i ascending} A[i][j] (accumulator starts at out[j]). Vectorised across j.
template <typename T>
void column_sums_add(int rows, int cols, const T* a, int lda, T* out);

// Matrix-vector products (the values-only SVD's Householder bidiagonalisation, linalg/bidiagonalization.h).
// Same contract: one accumulator per output, the sum's index ascending, vectorised across outputs only.
// gemv_n:  y (rows) = A (rows, cols) x:    y[i] = sum_{j ascending} A[i][j] x[j]
//          (outputs are A's rows: blocks of rows are transposed in registers, an exact shuffle).
// gemv_t:  y (cols) = A^T x, A (rows, cols): y[j] = sum_{i ascending} A[i][j] x[i]
// The *_add variants start each accumulator at y's entry (y += product). 128-bit paths only (no AVX2 path:
// the reduction's matrix-vector work is bound by memory, not by the vector width).
template <typename T>
void gemv_n(int rows, int cols, const T* a, int lda, const T* x, T* y);
template <typename T>
void gemv_n_add(int rows, int cols, const T* a, int lda, const T* x, T* y);
template <typename T>
void gemv_t(int rows, int cols, const T* a, int lda, const T* x, T* y);
template <typename T>
void gemv_t_add(int rows, int cols, const T* a, int lda, const T* x, T* y);

// The definitions: textbook loops, one accumulator per output, k ascending. accumulate = start from C.
template <typename T>
void matmul_nn_reference(int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc,
                         bool accumulate);
template <typename T>
void matmul_nt_reference(int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc,
                         bool accumulate);
template <typename T>
void matmul_tn_reference(int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc,
                         bool accumulate);
template <typename T>
void column_sums_add_reference(int rows, int cols, const T* a, int lda, T* out);
template <typename T>
void gemv_n_reference(int rows, int cols, const T* a, int lda, const T* x, T* y, bool accumulate);
template <typename T>
void gemv_t_reference(int rows, int cols, const T* a, int lda, const T* x, T* y, bool accumulate);

// Which vector path the products take now: "avx2" (natively on x86-64 when the CPU has AVX2: 256-bit
// vectors, chosen at run time), else the build's 128-bit path "sse2" or "wasm-simd128", or "scalar".
// Every path gives the reference's bits; the 256-bit one departs from "explicit 128-bit vectors" only in
// how many outputs one instruction holds (issue 15's speed target; see kernels.cpp).
const char* kernel_isa();
// Whether this build and CPU can take the 256-bit path, and whether it is taken now (lab_math.h's float
// arrays follow the same switch).
bool wide_vectors_available();
bool wide_vectors_enabled();
// Tests: take the 256-bit path (when available) or the 128-bit one; returns whether it was taken before.
bool set_wide_vectors(bool enabled);

}  // namespace attnrank::lab
