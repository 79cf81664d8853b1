// Blocked Householder bidiagonalisation (bidiagonalization.h). Panel k of width b (LAPACK xLABRD): each
// column and row of the panel is brought up to date from the panel's earlier reflectors with
// matrix-vector products (A itself is not touched beyond the panel until the panel ends), its reflector
// is made, and two accumulated n x b matrices grow a column each, X (rows) and Y (columns), with
//   A_trailing - V Y^T - X U^T = (I - V T V^T) A_trailing (I - U S U^T)    (Golub & Van Loan 5.4.8)
// (V, U: the panel's left and right reflector vectors). The trailing block then takes one product
// A += [V X] [-Y^T; -U] (lab/kernels.h matmul_nn_add, k = 2b) instead of 2b rank-one updates. Half the
// flops are the two matrix-vector products per step over the whole trailing block (A^T v for Y, A u for
// X), bound by memory; the other half the matrix-matrix product. Each of the two runs as one pass over
// whole rows of the block, the panel's columns included (their products are needed too), not as two
// calls. Every sum goes through the fixed-order kernels, the reflectors' norms through one scalar loop:
// no step depends on the vector width.
#include "linalg/bidiagonalization.h"

#include <algorithm>
#include <cstddef>
#include <vector>

#include "lab/kernels.h"
#include "linalg/householder.h"

namespace attnrank {
namespace {

using lab::gemv_n;
using lab::gemv_n_add;
using lab::gemv_t;
using lab::gemv_t_add;

// Columns of the trailing block per call of the matrix-matrix product: the 2b x 256 slice of the right
// factor (32 KB in double at b = 8) stays in cache while the row blocks of the left factor pass over it.
constexpr int kTrailingColumnSlice = 256;

template <typename T>
void negate_into(int count, const T* from, std::ptrdiff_t stride, T* to) {
  for (int q = 0; q < count; ++q) to[q] = -from[q * stride];
}

template <typename T>
void scale(int count, T factor, T* x) {
  for (int i = 0; i < count; ++i) x[i] = x[i] * factor;
}

template <typename T>
struct Workspace {
  std::vector<T> yt;     // Y^T (b, cols): row q = Y's column q, entries j > q used
  std::vector<T> xt;     // X^T (b, rows): row q = X's column q, entries r > q used
  std::vector<T> v;      // the current left reflector, contiguous (rows)
  std::vector<T> products;  // one pass's products over a whole row of the block (cols)
  std::vector<T> t;      // short products (b + 1)
  std::vector<T> minus;  // a negated short vector (b + 1): y += A (-x) is y - A x in the kernels' order
  std::vector<T> left;   // [V X] (rows - b, 2b)
  std::vector<T> right;  // [-Y^T; -U] (2b, cols - b)
  Workspace(int rows, int cols, int block)
      : yt(static_cast<std::size_t>(block) * cols), xt(static_cast<std::size_t>(block) * rows), v(rows), products(cols),
        t(block + 1), minus(block + 1), left(static_cast<std::size_t>(rows) * 2 * block),
        right(static_cast<std::size_t>(cols) * 2 * block) {}
};

// Reduces the first b columns and rows of the (m, n) block w (ld lda, m >= n, b <= n), writing d, e,
// taus for k = 0 .. b - 1 and Y^T, X^T into the workspace (leading dimensions n and m). The trailing
// block w[b.., b..] is read but not written. Letters as in the file's header: v_k the left reflector
// vector (1 at row k, its tail stored below the diagonal), u_k the right one (1 at column k + 1, stored
// in row k from the superdiagonal on: the 1 is written there, the trailing product reads it).
template <typename T>
void reduce_panel(int m, int n, int b, T* w, int lda, T* d, T* e, T* tau_left, T* tau_right, Workspace<T>& work) {
  T* yt = work.yt.data();
  T* xt = work.xt.data();
  T* v = work.v.data();
  T* t = work.t.data();
  T* minus = work.minus.data();
  auto at = [w, lda](int r, int c) -> T& { return w[static_cast<std::ptrdiff_t>(r) * lda + c]; };
  for (int k = 0; k < b; ++k) {
    const int below = m - k;      // rows k .. m - 1
    const int right = n - k - 1;  // columns k + 1 .. n - 1
    // Column k brought up to date: v = A(k:m, k) - A(k:m, 0:k) Y(k, 0:k)^T - X(k:m, 0:k) A(0:k, k).
    for (int r = 0; r < below; ++r) v[r] = at(k + r, k);
    if (k > 0) {
      negate_into(k, yt + k, n, minus);
      gemv_n_add(below, k, &at(k, 0), lda, minus, v);
      negate_into(k, &at(0, k), lda, minus);
      gemv_t_add(k, below, xt + k, m, minus, v);
    }
    const T tau_q = make_reflector(below, v);
    d[k] = v[0];
    v[0] = T(1);
    for (int r = 1; r < below; ++r) at(k + r, k) = v[r];
    if (tau_left != nullptr) tau_left[k] = tau_q;
    if (right == 0) continue;  // the last column: no right reflector

    // Y(k+1:n, k) = tau_q (A(k:m, k+1:n)^T v - Y(k+1:n, 0:k) A(k:m, 0:k)^T v - A(0:k, k+1:n)^T X(k:m, 0:k)^T v).
    // One pass of gemv_t over the whole rows A(k:m, 0:n) gives both A(k:m, 0:k)^T v (columns 0 .. k - 1) and
    // the first term (columns k + 1 ..): each column is its own accumulator, so the bits are those of two calls.
    T* const products = work.products.data();
    gemv_t(below, n, &at(k, 0), lda, v, products);
    T* const y_sum = products + k + 1;
    if (k > 0) {
      negate_into(k, products, 1, minus);
      gemv_t_add(k, right, yt + k + 1, n, minus, y_sum);
      gemv_n(k, below, xt + k, m, v, t);
      negate_into(k, t, 1, minus);
      gemv_t_add(k, right, &at(0, k + 1), lda, minus, y_sum);
    }
    T* const y = yt + static_cast<std::ptrdiff_t>(k) * n + k + 1;
    for (int j = 0; j < right; ++j) y[j] = y_sum[j] * tau_q;

    // Row k brought up to date: A(k, k+1:n) -= Y(k+1:n, 0:k+1) A(k, 0:k+1)^T + A(0:k, k+1:n)^T X(k, 0:k)^T,
    // with A(k, k) = v_k's leading 1.
    T* row = &at(k, k + 1);
    negate_into(k, &at(k, 0), 1, minus);
    minus[k] = T(-1);
    gemv_t_add(k + 1, right, yt + k + 1, n, minus, row);
    if (k > 0) {
      negate_into(k, xt + k, m, minus);
      gemv_t_add(k, right, &at(0, k + 1), lda, minus, row);
    }
    const T tau_p = make_reflector(right, row);
    e[k] = row[0];
    row[0] = T(1);  // u_k, contiguous in place
    if (tau_right != nullptr) tau_right[k] = tau_p;

    // X(k+1:m, k) = tau_p (A(k+1:m, k+1:n) u - A(k+1:m, 0:k+1) Y(k+1:n, 0:k+1)^T u - X(k+1:m, 0:k) A(0:k, k+1:n) u).
    // The first two terms in one pass of gemv_n over the whole rows A(k+1:m, 0:n) against
    // z = (-Y(k+1:n, 0:k+1)^T u, u): each x_r sums columns 0 .. n - 1 ascending.
    const int lower = m - k - 1;
    T* x = xt + static_cast<std::ptrdiff_t>(k) * m + k + 1;
    T* const z = work.products.data();
    gemv_n(k + 1, right, yt + k + 1, n, row, t);
    negate_into(k + 1, t, 1, z);
    for (int j = 0; j < right; ++j) z[k + 1 + j] = row[j];
    gemv_n(lower, n, &at(k + 1, 0), lda, z, x);
    if (k > 0) {
      gemv_n(k, right, &at(0, k + 1), lda, row, t);
      negate_into(k, t, 1, minus);
      gemv_t_add(k, lower, xt + k + 1, m, minus, x);
    }
    scale(lower, tau_p, x);
  }
}

// w[b.., b..] += [V X] [-Y^T; -U] after reduce_panel: V = w[b.., 0..b), X = X(b.., 0..b) from X^T,
// Y^T = Y^T(0..b, b..), U = w[0..b, b..) (row b - 1 starts with u's 1). One accumulator per entry over
// the 2b terms in that order (the kernels' contract); columns in slices (exact: entries are independent).
template <typename T>
void update_trailing(int m, int n, int b, T* w, int lda, Workspace<T>& work) {
  const int rows = m - b, cols = n - b, depth = 2 * b;
  T* left = work.left.data();
  T* right = work.right.data();
  for (int r = 0; r < rows; ++r) {
    T* out = left + static_cast<std::ptrdiff_t>(r) * depth;
    const T* in = w + static_cast<std::ptrdiff_t>(b + r) * lda;
    for (int q = 0; q < b; ++q) out[q] = in[q];
    for (int q = 0; q < b; ++q) out[b + q] = work.xt[static_cast<std::size_t>(q) * m + b + r];
  }
  for (int q = 0; q < b; ++q) {
    negate_into(cols, work.yt.data() + static_cast<std::ptrdiff_t>(q) * n + b, 1,
                right + static_cast<std::ptrdiff_t>(q) * cols);
    negate_into(cols, w + static_cast<std::ptrdiff_t>(q) * lda + b, 1,
                right + static_cast<std::ptrdiff_t>(b + q) * cols);
  }
  T* trailing = w + static_cast<std::ptrdiff_t>(b) * lda + b;
  for (int j = 0; j < cols; j += kTrailingColumnSlice) {
    const int width = std::min(kTrailingColumnSlice, cols - j);
    lab::matmul_nn_add(rows, width, depth, left, depth, right + j, cols, trailing + j, lda);
  }
}

}  // namespace

template <typename T>
void householder_bidiagonalize(int rows, int cols, T* a, int lda, T* d, T* e, T* tau_left, T* tau_right,
                               int block) {
  const int width = std::max(1, std::min(block, cols));
  Workspace<T> work(rows, cols, width);
  for (int start = 0; start < cols; start += width) {
    const int m = rows - start, n = cols - start, b = std::min(width, n);
    T* w = a + static_cast<std::ptrdiff_t>(start) * lda + start;
    reduce_panel(m, n, b, w, lda, d + start, e + start, tau_left == nullptr ? nullptr : tau_left + start,
                 tau_right == nullptr ? nullptr : tau_right + start, work);
    if (b < n) update_trailing(m, n, b, w, lda, work);
  }
}

template void householder_bidiagonalize<double>(int, int, double*, int, double*, double*, double*, double*, int);
template void householder_bidiagonalize<float>(int, int, float*, int, float*, float*, float*, float*, int);

}  // namespace attnrank
