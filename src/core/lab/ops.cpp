// The lab's layers, forward beside backward (see ops.h). Every reduction runs in a fixed order (j or row
// ascending, one accumulator); products are the fixed-order kernels; exp, log and tanh are lab_math.h's.
// The attention passes take their scratch from an AttentionWorkspace the caller keeps (no allocation per
// call once it is sized).
#include "ops.h"

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "attnrank/attention/masks.h"
#include "attnrank/base/errors.h"
#include "kernels.h"
#include "lab_math.h"

namespace attnrank::lab {
namespace {

// GELU's tanh form (Hendrycks & Gimpel 2016, eq. in section 2): sqrt(2 / pi) and the cubic coefficient.
constexpr double kGeluScale = 0.79788456080286535588;  // sqrt(2 / pi)
constexpr double kGeluCubic = 0.044715;

std::size_t index(int row, int ld, int column) {
  return static_cast<std::size_t>(row) * static_cast<std::size_t>(ld) + static_cast<std::size_t>(column);
}

// elu(x) + 1: x + 1 for x > 0, exp(x) otherwise (as linear_attention.cpp computes it).
template <typename T>
T elu1(T x) {
  return x > 0 ? x + T(1) : lab_exp(x);
}
// d/dx (elu(x) + 1): 1 for x > 0, exp(x) otherwise (continuous at 0).
template <typename T>
T elu1_slope(T x) {
  return x > 0 ? T(1) : lab_exp(x);
}

void require_attention_shapes(int n, int h, const Mask& mask) {
  if (n < 1 || h < 1) fail(ErrorCode::kInvalidArgument, message("attention head n=", n, ", h=", h, " must be >= 1"));
  validate_mask_matrix(mask, n, n, "mask");
}

// att (n, n) row-major: zero the masked entries exactly.
template <typename T>
void zero_masked(T* att, int n, const Mask& mask) {
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      if (mask(i, j) == 0) att[index(i, n, j)] = T(0);
}

}  // namespace

// ---------------------------------------------------------------- embedding
template <typename T>
void embedding_forward(T* x, const int* tokens, const T* e, const T* p, int batch, int n, int vocab, int width) {
  for (int b = 0; b < batch; ++b)
    for (int t = 0; t < n; ++t) {
      const int r = b * n + t;
      const int token = tokens[r];
      if (token < 0 || token >= vocab) {
        fail(ErrorCode::kInvalidArgument,
             message("token=", token, " at position ", r, " is outside [0, V) (V=", vocab, ")"));
      }
      T* out = x + index(r, width, 0);
      const T* e_row = e + index(token, width, 0);
      if (p == nullptr) {
        for (int j = 0; j < width; ++j) out[j] = e_row[j];
      } else {
        const T* p_row = p + index(t, width, 0);
        for (int j = 0; j < width; ++j) out[j] = e_row[j] + p_row[j];
      }
    }
}

template <typename T>
void embedding_backward(T* de, T* dp, const T* dx, const int* tokens, int batch, int n, int width) {
  for (int b = 0; b < batch; ++b)
    for (int t = 0; t < n; ++t) {
      const int r = b * n + t;
      const T* g = dx + index(r, width, 0);
      T* de_row = de + index(tokens[r], width, 0);
      for (int j = 0; j < width; ++j) de_row[j] += g[j];
      if (dp != nullptr) {
        T* dp_row = dp + index(t, width, 0);
        for (int j = 0; j < width; ++j) dp_row[j] += g[j];
      }
    }
}

template <typename T>
void tied_logits_forward(T* logits, const T* y, const T* e, int rows, int vocab, int width) {
  matmul_nt(rows, vocab, width, y, width, e, width, logits, vocab);
}

template <typename T>
void tied_logits_backward(T* dy, T* de, const T* dlogits, const T* y, const T* e, int rows, int vocab, int width) {
  matmul_nn_add(rows, width, vocab, dlogits, vocab, e, width, dy, width);
  matmul_tn_add(vocab, width, rows, dlogits, vocab, y, width, de, width);
}

// ---------------------------------------------------------------- LayerNorm
template <typename T>
void layernorm_forward(T* out, T* mean, T* rstd, const T* x, const T* g, const T* b, int rows, int width) {
  const T eps = static_cast<T>(kLayerNormEps);
  const T count = static_cast<T>(width);
  for (int r = 0; r < rows; ++r) {
    const T* xr = x + index(r, width, 0);
    T sum = T(0);
    for (int j = 0; j < width; ++j) sum = sum + xr[j];
    const T mu = sum / count;
    T squares = T(0);
    for (int j = 0; j < width; ++j) {
      const T centred = xr[j] - mu;
      squares = squares + centred * centred;
    }
    const T rs = T(1) / std::sqrt(squares / count + eps);  // sqrt is correctly rounded (IEEE 754)
    T* o = out + index(r, width, 0);
    for (int j = 0; j < width; ++j) o[j] = (xr[j] - mu) * rs * g[j] + b[j];
    mean[r] = mu;
    rstd[r] = rs;
  }
}

// With xhat = (x - mean) rstd and u = g * dout: dx = rstd (u - mean_j(u) - xhat mean_j(u xhat)).
template <typename T>
void layernorm_backward(T* dx, T* dg, T* db, const T* dout, const T* x, const T* mean, const T* rstd, const T* g,
                        int rows, int width) {
  const T count = static_cast<T>(width);
  for (int r = 0; r < rows; ++r) {
    const T* xr = x + index(r, width, 0);
    const T* dr = dout + index(r, width, 0);
    const T mu = mean[r];
    const T rs = rstd[r];
    T u_sum = T(0);
    T u_xhat_sum = T(0);
    for (int j = 0; j < width; ++j) {
      const T xhat = (xr[j] - mu) * rs;
      const T u = g[j] * dr[j];
      u_sum = u_sum + u;
      u_xhat_sum = u_xhat_sum + u * xhat;
    }
    const T u_mean = u_sum / count;
    const T u_xhat_mean = u_xhat_sum / count;
    T* dxr = dx + index(r, width, 0);
    for (int j = 0; j < width; ++j) {
      const T xhat = (xr[j] - mu) * rs;
      const T u = g[j] * dr[j];
      dxr[j] += (u - u_mean - xhat * u_xhat_mean) * rs;
      dg[j] += dr[j] * xhat;
      db[j] += dr[j];
    }
  }
}

// ---------------------------------------------------------------- linear
template <typename T>
void linear_forward(T* y, const T* x, const T* w, int rows, int in, int out) {
  matmul_nn(rows, out, in, x, in, w, out, y, out);
}

template <typename T>
void linear_backward(T* dx, T* dw, const T* dy, const T* x, const T* w, int rows, int in, int out) {
  if (dx != nullptr) matmul_nt_add(rows, in, out, dy, out, w, out, dx, in);
  matmul_tn_add(in, out, rows, x, in, dy, out, dw, out);
}

// ---------------------------------------------------------------- GELU
template <typename T>
void gelu_forward(T* y, const T* x, int count) {
  const T scale = static_cast<T>(kGeluScale);
  const T cubic = static_cast<T>(kGeluCubic);
  for (int i = 0; i < count; ++i) {
    const T v = x[i];
    const T t = lab_tanh(scale * (v + cubic * v * v * v));
    y[i] = T(0.5) * v * (T(1) + t);
  }
}

template <typename T>
void gelu_backward(T* dx, const T* dy, const T* x, int count) {
  const T scale = static_cast<T>(kGeluScale);
  const T cubic = static_cast<T>(kGeluCubic);
  for (int i = 0; i < count; ++i) {
    const T v = x[i];
    const T t = lab_tanh(scale * (v + cubic * v * v * v));
    const T du = scale * (T(1) + T(3) * cubic * v * v);
    const T slope = T(0.5) * (T(1) + t) + T(0.5) * v * (T(1) - t * t) * du;
    dx[i] += slope * dy[i];
  }
}

// ---------------------------------------------------------------- softmax attention (one head)
template <typename T>
void softmax_attention_forward(T* out, int ld_out, T* att, const T* q, const T* k, const T* v, int ld, int n, int h,
                               const Mask& mask) {
  require_attention_shapes(n, h, mask);
  const T sqrt_h = std::sqrt(static_cast<T>(h));
  matmul_nt(n, n, h, q, ld, k, ld, att, n);  // Q K^T
  for (int i = 0; i < n; ++i) {
    T* row = att + index(i, n, 0);
    T largest = -std::numeric_limits<T>::infinity();
    for (int j = 0; j < n; ++j) {
      row[j] = row[j] / sqrt_h;
      if (mask(i, j) != 0 && row[j] > largest) largest = row[j];
    }
    T sum = T(0);
    for (int j = 0; j < n; ++j) {
      row[j] = mask(i, j) != 0 ? lab_exp(row[j] - largest) : T(0);
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
                                AttentionWorkspace<T>& workspace) {
  require_attention_shapes(n, h, mask);
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

// phi(c x) for an (n, h) block with row stride ld -> contiguous (n, h) in phi (resized).
template <typename T>
void features(std::vector<T>& phi, const T* x, int ld, int n, int h, T c) {
  phi.resize(static_cast<std::size_t>(n) * static_cast<std::size_t>(h));
  for (int i = 0; i < n; ++i)
    for (int r = 0; r < h; ++r) phi[index(i, h, r)] = elu1(c * x[index(i, ld, r)]);
}

// The input scale c = h^(-1/4) (linear_attention.h with s = 1: c = sqrt(s) / d^(1/4)).
template <typename T>
T linear_input_scale(int h) {
  return T(1) / std::sqrt(std::sqrt(static_cast<T>(h)));
}

}  // namespace

template <typename T>
void linear_attention_forward(T* out, int ld_out, T* att, T* row_sum, const T* q, const T* k, const T* v, int ld,
                              int n, int h, const Mask& mask, AttentionWorkspace<T>& workspace) {
  require_attention_shapes(n, h, mask);
  const T c = linear_input_scale<T>(h);
  std::vector<T>& phi_q = workspace.phi_q;
  std::vector<T>& phi_k = workspace.phi_k;
  features(phi_q, q, ld, n, h, c);
  features(phi_k, k, ld, n, h, c);
  matmul_nt(n, n, h, phi_q.data(), h, phi_k.data(), h, att, n);  // phi(Q') phi(K')^T
  zero_masked(att, n, mask);
  row_sums(n, n, att, n, row_sum);
  for (int i = 0; i < n; ++i)
    if (!(row_sum[i] > T(0)) || !std::isfinite(row_sum[i])) {  // see ops.h: phi underflow, inf or NaN inputs
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
                               const Mask& mask, AttentionWorkspace<T>& workspace) {
  require_attention_shapes(n, h, mask);
  const T c = linear_input_scale<T>(h);
  std::vector<T>& phi_q = workspace.phi_q;
  std::vector<T>& phi_k = workspace.phi_k;
  std::vector<T>& d_att = workspace.d_att;
  std::vector<T>& weighted = workspace.row_dot;
  features(phi_q, q, ld, n, h, c);
  features(phi_k, k, ld, n, h, c);
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
  for (int i = 0; i < n; ++i)
    for (int r = 0; r < h; ++r) {
      dq[index(i, ld_grad, r)] += d_phi_q[index(i, h, r)] * elu1_slope(c * q[index(i, ld, r)]) * c;
      dk[index(i, ld_grad, r)] += d_phi_k[index(i, h, r)] * elu1_slope(c * k[index(i, ld, r)]) * c;
    }
}

template <typename T>
void linear_attention_backward(T* dq, T* dk, T* dv, int ld_grad, const T* dout, int ld_out, const T* att,
                               const T* row_sum, const T* q, const T* k, const T* v, int ld, int n, int h,
                               const Mask& mask) {
  AttentionWorkspace<T> workspace;
  linear_attention_backward(dq, dk, dv, ld_grad, dout, ld_out, att, row_sum, q, k, v, ld, n, h, mask, workspace);
}

// ---------------------------------------------------------------- cross-entropy
namespace {

int count_targets(const int* targets, int rows, int vocab) {
  int count = 0;
  for (int r = 0; r < rows; ++r) {
    if (targets[r] == kNoTarget) continue;
    if (targets[r] < 0 || targets[r] >= vocab) {
      fail(ErrorCode::kInvalidArgument, message("target=", targets[r], " at position ", r,
                                                " is outside [0, V) and not -1 (V=", vocab, ")"));
    }
    ++count;
  }
  if (count == 0) fail(ErrorCode::kInvalidArgument, message("no position carries a target (all ", rows, " are -1)"));
  return count;
}

}  // namespace

template <typename T>
T cross_entropy_forward(T* probs, const T* logits, const int* targets, int rows, int vocab) {
  const int count = count_targets(targets, rows, vocab);
  T total = T(0);
  for (int r = 0; r < rows; ++r) {
    const T* l = logits + index(r, vocab, 0);
    T* p = probs + index(r, vocab, 0);
    T largest = l[0];
    for (int j = 1; j < vocab; ++j)
      if (l[j] > largest) largest = l[j];
    T sum = T(0);
    for (int j = 0; j < vocab; ++j) {
      p[j] = lab_exp(l[j] - largest);
      sum = sum + p[j];
    }
    for (int j = 0; j < vocab; ++j) p[j] = p[j] / sum;
    // -log p_t = log(sum) - (l_t - max): no log of a tiny probability.
    if (targets[r] != kNoTarget) total = total + (lab_log(sum) - (l[targets[r]] - largest));
  }
  return total / static_cast<T>(count);
}

template <typename T>
void cross_entropy_backward(T* dlogits, const T* probs, const int* targets, int rows, int vocab) {
  const T count = static_cast<T>(count_targets(targets, rows, vocab));
  for (int r = 0; r < rows; ++r) {
    if (targets[r] == kNoTarget) continue;
    const T* p = probs + index(r, vocab, 0);
    T* d = dlogits + index(r, vocab, 0);
    for (int j = 0; j < vocab; ++j) d[j] += (p[j] - (j == targets[r] ? T(1) : T(0))) / count;
  }
}

#define ATTNRANK_LAB_OPS_INSTANTIATE(T)                                                                          \
  template void embedding_forward<T>(T*, const int*, const T*, const T*, int, int, int, int);                    \
  template void embedding_backward<T>(T*, T*, const T*, const int*, int, int, int);                              \
  template void tied_logits_forward<T>(T*, const T*, const T*, int, int, int);                                   \
  template void tied_logits_backward<T>(T*, T*, const T*, const T*, const T*, int, int, int);                    \
  template void layernorm_forward<T>(T*, T*, T*, const T*, const T*, const T*, int, int);                        \
  template void layernorm_backward<T>(T*, T*, T*, const T*, const T*, const T*, const T*, const T*, int, int);   \
  template void linear_forward<T>(T*, const T*, const T*, int, int, int);                                        \
  template void linear_backward<T>(T*, T*, const T*, const T*, const T*, int, int, int);                         \
  template void gelu_forward<T>(T*, const T*, int);                                                              \
  template void gelu_backward<T>(T*, const T*, const T*, int);                                                   \
  template void softmax_attention_forward<T>(T*, int, T*, const T*, const T*, const T*, int, int, int,           \
                                             const Mask&);                                                       \
  template void softmax_attention_backward<T>(T*, T*, T*, int, const T*, int, const T*, const T*, const T*,      \
                                              const T*, int, int, int, const Mask&);                             \
  template void softmax_attention_backward<T>(T*, T*, T*, int, const T*, int, const T*, const T*, const T*,      \
                                              const T*, int, int, int, const Mask&, AttentionWorkspace<T>&);     \
  template void linear_attention_forward<T>(T*, int, T*, T*, const T*, const T*, const T*, int, int, int,        \
                                            const Mask&);                                                        \
  template void linear_attention_forward<T>(T*, int, T*, T*, const T*, const T*, const T*, int, int, int,        \
                                            const Mask&, AttentionWorkspace<T>&);                                \
  template void linear_attention_backward<T>(T*, T*, T*, int, const T*, int, const T*, const T*, const T*,       \
                                             const T*, const T*, int, int, int, const Mask&);                    \
  template void linear_attention_backward<T>(T*, T*, T*, int, const T*, int, const T*, const T*, const T*,       \
                                             const T*, const T*, int, int, int, const Mask&,                     \
                                             AttentionWorkspace<T>&);                                            \
  template T cross_entropy_forward<T>(T*, const T*, const int*, int, int);                                       \
  template void cross_entropy_backward<T>(T*, const T*, const int*, int, int);

ATTNRANK_LAB_OPS_INSTANTIATE(float)
ATTNRANK_LAB_OPS_INSTANTIATE(double)
#undef ATTNRANK_LAB_OPS_INSTANTIATE

}  // namespace attnrank::lab
