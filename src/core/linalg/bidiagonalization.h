// Householder bidiagonalisation B = Q^T A P of a tall matrix (rows >= cols), blocked as LAPACK's xGEBRD /
// xLABRD (Golub & Van Loan, Matrix Computations, 4th ed., 5.4.8; Dongarra, Sorensen & Hammarling 1989):
// panels of `block` columns reduced with matrix-vector products, the trailing block updated by one
// matrix-matrix product A -= [V X] [Y^T; U]. Every product runs on the fixed-order kernels of
// lab/kernels.h (one accumulator per output, index ascending, 128-bit vectors, no FMA), so a matrix gives
// the same bits natively and in wasm. Not here: the bidiagonal's singular values (bidiagonal_svd.h), the
// finite-entry check and the scaling (spectrum.cpp), forming Q or P (only tests do).
#pragma once

namespace attnrank {

// The panel width. LAPACK's xGEBRD takes 32; here 8 measured fastest from n = 256 to 2048, in wasm and
// natively (docs/svd-choice.md, session 14): the panel's small products grow with the width (~b/n of
// the reduction), while the trailing update's extra pass per panel costs little.
constexpr int kBidiagonalBlock = 8;

// A (rows, cols), row-major with leading dimension lda >= cols, rows >= cols >= 1, finite, entries of
// modest size (spectrum.cpp scales the largest to [0.5, 1)). On return d (cols) and e (cols - 1) hold
// the upper bidiagonal B = Q^T A P (rows, cols); Q = H_0 ... H_{cols-1} (rows, rows), P = G_0 ... G_{cols-2}
// (cols, cols), H_k = I - tau_left[k] v_k v_k^T with v_k = (0, .., 0, 1 at row k,
// A[k+1..rows-1][k]) and G_k = I - tau_right[k] u_k u_k^T with u_k = (0, .., 1 at column k + 1,
// A[k][k+2..cols-1]); A's diagonal and superdiagonal are left unspecified. tau_left (cols) and
// tau_right (cols - 1) may be null. A reflector whose tail has a squared norm at or below the smallest
// normal number is the identity (tau = 0, tail zeroed), as Eigen's makeHouseholder decides.
template <typename T>
void householder_bidiagonalize(int rows, int cols, T* a, int lda, T* d, T* e, T* tau_left = nullptr,
                               T* tau_right = nullptr, int block = kBidiagonalBlock);

extern template void householder_bidiagonalize<double>(int, int, double*, int, double*, double*, double*, double*,
                                                       int);
extern template void householder_bidiagonalize<float>(int, int, float*, int, float*, float*, float*, float*, int);

}  // namespace attnrank
