// The lab's attention heads, softmax and linear, forward beside backward (see ops.h; the other layers are
// ops.cpp's). Every reduction runs in a fixed order (j or row ascending, one accumulator); products are the
// fixed-order kernels; exp is lab_math.h's. The passes take their scratch from an AttentionWorkspace the
// caller keeps (no allocation per call once it is sized).
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "attnrank/attention/masks.h"
#include "attnrank/base/errors.h"
#include "kernels.h"
#include "lab_math.h"
#include "attnrank/lab/ops.h"

namespace attnrank::lab {
namespace {

std::size_t index(int row, int ld, int column) {
  return static_cast<std::size_t>(row) * static_cast<std::size_t>(ld) + static_cast<std::size_t>(column);
}

void require_attention_shapes(int n, int h, const Mask& mask, MaskCheck check = MaskCheck::kEveryCall) {
  if (n < 1) fail(ErrorCode::kInvalidArgument, "n", message("attention head n=", n, ", h=", h, " must be >= 1"));
  if (h < 1) fail(ErrorCode::kInvalidArgument, "h", message("attention head n=", n, ", h=", h, " must be >= 1"));
  if (check == MaskCheck::kEveryCall) validate_mask_matrix(mask, n, n, "mask");
}

// att (n, n) row-major: zero the masked entries exactly.
template <typename T>
void zero_masked(T* att, int n, const Mask& mask) {
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      if (mask(i, j) == 0) att[index(i, n, j)] = T(0);
}

}  // namespace

// ---------------------------------------------------------------- softmax attention (one head)
template <typename T>
void softmax_attention_forward(T* out, int ld_out, T* att, const T* q, const T* k, const T* v, int ld, int n, int h,
                               const Mask& mask, MaskCheck check) {
  require_attention_shapes(n, h, mask, check);
  const T sqrt_h = std::sqrt(static_cast<T>(h));
  matmul_nt(n, n, h, q, ld, k, ld, att, n);  // Q K^T
  for (int i = 0; i < n; ++i) {
    T* row = att + index(i, n, 0);
    T largest = -std::numeric_limits<T>::infinity();
    int first = n, last = -1;  // the row's first and last allowed key: exp runs over that span only
    for (int j = 0; j < n; ++j) {
      row[j] = row[j] / sqrt_h;
      if (mask(i, j) == 0) continue;
      if (row[j] > largest) largest = row[j];
      if (first == n) first = j;
      last = j;
    }
    for (int j = first; j <= last; ++j) row[j] = row[j] - largest;
    if (last >= first) lab_exp_array(row + first, row + first, last - first + 1);  // masked values discarded below
    T sum = T(0);
    for (int j = 0; j < n; ++j) {
      if (mask(i, j) == 0) row[j] = T(0);
      sum = sum + row[j];  // masked entries add an exact 0
    }
    for (int j = 0; j < n; ++j) row[j] = row[j] / sum;  // sum >= 1 (the maximum contributes exp(0))
  }
  matmul_nn(n, h, n, att, n, v, ld, out, ld_out);  // A V
}

// dA = dout V^T; dS_ij = A_ij (dA_ij - sum_j' A_ij' dA_ij') on allowed entries, 0 on masked ones.
template <typename T>
void softmax_attention_backward(T* dq, T* dk, T* dv, int ld_grad, const T* dout, int ld_out, const T* att,
                                const T* q, const T* k, const T* v, int ld, int n, int h, const Mask& mask,
                                AttentionWorkspace<T>& workspace, MaskCheck check) {
  require_attention_shapes(n, h, mask, check);
  const T sqrt_h = std::sqrt(static_cast<T>(h));
  std::vector<T>& d_att = workspace.d_att;
  std::vector<T>& weighted = workspace.row_dot;
  d_att.resize(static_cast<std::size_t>(n) * static_cast<std::size_t>(n));
  weighted.resize(static_cast<std::size_t>(n));
  matmul_nt(n, n, h, dout, ld_out, v, ld, d_att.data(), n);
  matmul_tn_add(n, h, n, att, n, dout, ld_out, dv, ld_grad);  // dV += A^T dout
  row_dots(n, n, att, n, d_att.data(), n, weighted.data());
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      T& entry = d_att[index(i, n, j)];
      entry = mask(i, j) != 0 ? att[index(i, n, j)] * (entry - weighted[i]) / sqrt_h : T(0);
    }
  matmul_nn_add(n, h, n, d_att.data(), n, k, ld, dq, ld_grad);  // dQ += dS K
  matmul_tn_add(n, h, n, d_att.data(), n, q, ld, dk, ld_grad);  // dK += dS^T Q
}

template <typename T>
void softmax_attention_backward(T* dq, T* dk, T* dv, int ld_grad, const T* dout, int ld_out, const T* att,
                                const T* q, const T* k, const T* v, int ld, int n, int h, const Mask& mask) {
  AttentionWorkspace<T> workspace;
  softmax_attention_backward(dq, dk, dv, ld_grad, dout, ld_out, att, q, k, v, ld, n, h, mask, workspace);
}

// ---------------------------------------------------------------- linear attention (one head)
namespace {

// phi(c x) = elu(c x) + 1 (x + 1 for x > 0, exp(x) otherwise, as linear_attention.cpp computes it) for an
// (n, h) block with row stride ld -> contiguous (n, h) in phi (resized): the scaled inputs first (kept in
// scaled, resized: the backward's slope, d/dx (elu(x) + 1) = 1 for x > 0 else exp(x), is 1 or phi),
// then lab_elu1_array over them (vectorised: a per-lane select, no branch on the sign, which is a coin
// flip; the same bits as lab_elu1 per entry). test_lab_ops_attention.cpp compares the head with this
// written entry by entry.
template <typename T>
void features(std::vector<T>& phi, std::vector<T>& scaled, const T* x, int ld, int n, int h, T c) {
  const std::size_t count = static_cast<std::size_t>(n) * static_cast<std::size_t>(h);
  phi.resize(count);
  scaled.resize(count);
  for (int i = 0; i < n; ++i)
    for (int r = 0; r < h; ++r) scaled[index(i, h, r)] = c * x[index(i, ld, r)];
  lab_elu1_array(scaled.data(), phi.data(), static_cast<int>(count));
}

// The input scale c = h^(-1/4) (linear_attention.h with s = 1: c = sqrt(s) / d^(1/4)).
template <typename T>
T linear_input_scale(int h) {
  return T(1) / std::sqrt(std::sqrt(static_cast<T>(h)));
}

}  // namespace

template <typename T>
void linear_attention_forward(T* out, int ld_out, T* att, T* row_sum, const T* q, const T* k, const T* v, int ld,
                              int n, int h, const Mask& mask, AttentionWorkspace<T>& workspace, MaskCheck check) {
  require_attention_shapes(n, h, mask, check);
  const T c = linear_input_scale<T>(h);
  std::vector<T>& phi_q = workspace.phi_q;
  std::vector<T>& phi_k = workspace.phi_k;
  features(phi_q, workspace.scaled_q, q, ld, n, h, c);
  features(phi_k, workspace.scaled_k, k, ld, n, h, c);
  matmul_nt(n, n, h, phi_q.data(), h, phi_k.data(), h, att, n);  // phi(Q') phi(K')^T
  zero_masked(att, n, mask);
  row_sums(n, n, att, n, row_sum);
  for (int i = 0; i < n; ++i)
    if (!(row_sum[i] > T(0)) || !std::isfinite(row_sum[i])) {  // see ops.h: phi underflow, inf or NaN inputs
      // The weights' and inputs' doing (a diverged run), no single parameter's.
      fail(ErrorCode::kNumericalFailure,
           message("linear attention row ", i, " sums to ", static_cast<double>(row_sum[i]),
                   " (phi = elu + 1 of inputs out of range: underflow, inf or NaN; n=", n, ", h=", h, ")"));
    }
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) att[index(i, n, j)] = att[index(i, n, j)] / row_sum[i];
  matmul_nn(n, h, n, att, n, v, ld, out, ld_out);  // A V
}

template <typename T>
void linear_attention_forward(T* out, int ld_out, T* att, T* row_sum, const T* q, const T* k, const T* v, int ld,
                              int n, int h, const Mask& mask) {
  AttentionWorkspace<T> workspace;
  linear_attention_forward(out, ld_out, att, row_sum, q, k, v, ld, n, h, mask, workspace);
}

// A = D^{-1} K: dK_ij = (dA_ij - sum_j' A_ij' dA_ij') / D_i on allowed entries; then through phi and c.
template <typename T>
void linear_attention_backward(T* dq, T* dk, T* dv, int ld_grad, const T* dout, int ld_out, const T* att,
                               const T* row_sum, const T* q, const T* k, const T* v, int ld, int n, int h,
                               const Mask& mask, AttentionWorkspace<T>& workspace, MaskCheck check) {
  require_attention_shapes(n, h, mask, check);
  const T c = linear_input_scale<T>(h);
  std::vector<T>& phi_q = workspace.phi_q;
  std::vector<T>& phi_k = workspace.phi_k;
  std::vector<T>& d_att = workspace.d_att;
  std::vector<T>& weighted = workspace.row_dot;
  std::vector<T>& scaled_q = workspace.scaled_q;
  std::vector<T>& scaled_k = workspace.scaled_k;
  features(phi_q, scaled_q, q, ld, n, h, c);
  features(phi_k, scaled_k, k, ld, n, h, c);
  d_att.resize(static_cast<std::size_t>(n) * static_cast<std::size_t>(n));
  weighted.resize(static_cast<std::size_t>(n));
  matmul_nt(n, n, h, dout, ld_out, v, ld, d_att.data(), n);
  matmul_tn_add(n, h, n, att, n, dout, ld_out, dv, ld_grad);  // dV += A^T dout
  row_dots(n, n, att, n, d_att.data(), n, weighted.data());
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      T& entry = d_att[index(i, n, j)];
      entry = mask(i, j) != 0 ? (entry - weighted[i]) / row_sum[i] : T(0);
    }
  std::vector<T>& d_phi_q = workspace.d_phi_q;
  std::vector<T>& d_phi_k = workspace.d_phi_k;
  d_phi_q.resize(static_cast<std::size_t>(n) * static_cast<std::size_t>(h));
  d_phi_k.resize(d_phi_q.size());
  matmul_nn(n, h, n, d_att.data(), n, phi_k.data(), h, d_phi_q.data(), h);
  matmul_tn(n, h, n, d_att.data(), n, phi_q.data(), h, d_phi_k.data(), h);
  // elu1_slope(c x) is 1 where c x > 0, else exp(c x) = phi (features' value): no second exp.
  for (int i = 0; i < n; ++i)
    for (int r = 0; r < h; ++r) {
      const std::size_t at = index(i, h, r);
      const T slope_q = scaled_q[at] > 0 ? T(1) : phi_q[at];
      const T slope_k = scaled_k[at] > 0 ? T(1) : phi_k[at];
      dq[index(i, ld_grad, r)] += d_phi_q[at] * slope_q * c;
      dk[index(i, ld_grad, r)] += d_phi_k[at] * slope_k * c;
    }
}

template <typename T>
void linear_attention_backward(T* dq, T* dk, T* dv, int ld_grad, const T* dout, int ld_out, const T* att,
                               const T* row_sum, const T* q, const T* k, const T* v, int ld, int n, int h,
                               const Mask& mask) {
  AttentionWorkspace<T> workspace;
  linear_attention_backward(dq, dk, dv, ld_grad, dout, ld_out, att, row_sum, q, k, v, ld, n, h, mask, workspace);
}

#define ATTNRANK_LAB_ATTENTION_INSTANTIATE(T)                                                                      \
  template void softmax_attention_forward<T>(T*, int, T*, const T*, const T*, const T*, int, int, int,            \
                                             const Mask&, MaskCheck);                                             \
  template void softmax_attention_backward<T>(T*, T*, T*, int, const T*, int, const T*, const T*, const T*,       \
                                              const T*, int, int, int, const Mask&);                              \
  template void softmax_attention_backward<T>(T*, T*, T*, int, const T*, int, const T*, const T*, const T*,       \
                                              const T*, int, int, int, const Mask&, AttentionWorkspace<T>&,       \
                                              MaskCheck);                                                         \
  template void linear_attention_forward<T>(T*, int, T*, T*, const T*, const T*, const T*, int, int, int,         \
                                            const Mask&);                                                         \
  template void linear_attention_forward<T>(T*, int, T*, T*, const T*, const T*, const T*, int, int, int,         \
                                            const Mask&, AttentionWorkspace<T>&, MaskCheck);                      \
  template void linear_attention_backward<T>(T*, T*, T*, int, const T*, int, const T*, const T*, const T*,        \
                                             const T*, const T*, int, int, int, const Mask&);                     \
  template void linear_attention_backward<T>(T*, T*, T*, int, const T*, int, const T*, const T*, const T*,        \
                                             const T*, const T*, int, int, int, const Mask&,                      \
                                             AttentionWorkspace<T>&, MaskCheck);

ATTNRANK_LAB_ATTENTION_INSTANTIATE(float)
ATTNRANK_LAB_ATTENTION_INSTANTIATE(double)
#undef ATTNRANK_LAB_ATTENTION_INSTANTIATE

}  // namespace attnrank::lab
