// The lab's layers but attention, forward beside backward (see ops.h; the attention heads are
// ops_attention.cpp's). Every reduction runs in a fixed order (j or row ascending, one accumulator);
// products are the fixed-order kernels; exp, log and tanh are lab_math.h's.
#include "attnrank/lab/ops.h"

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

}  // namespace

// ---------------------------------------------------------------- embedding
template <typename T>
void embedding_forward(T* x, const int* tokens, const T* e, const T* p, int batch, int n, int vocab, int width) {
  for (int b = 0; b < batch; ++b)
    for (int t = 0; t < n; ++t) {
      const int r = b * n + t;
      const int token = tokens[r];
      if (token < 0 || token >= vocab) {
        fail(ErrorCode::kInvalidArgument, "tokens",
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

// Chunks of kGeluChunk elements: the tanh arguments of a chunk, then lab_tanh_array over them (vectorised
// for float), then the outputs, each element with the expressions of gelu_forward and gelu_backward.
constexpr int kGeluChunk = 256;

template <typename T>
void gelu_forward_with_slope(T* y, T* slope, const T* x, int count) {
  const T scale = static_cast<T>(kGeluScale);
  const T cubic = static_cast<T>(kGeluCubic);
  T v[kGeluChunk], t[kGeluChunk];
  for (int start = 0; start < count; start += kGeluChunk) {
    const int size = count - start < kGeluChunk ? count - start : kGeluChunk;
    for (int i = 0; i < size; ++i) {
      v[i] = x[start + i];  // copied first: slope may overwrite x
      t[i] = scale * (v[i] + cubic * v[i] * v[i] * v[i]);
    }
    lab_tanh_array(t, t, size);
    for (int i = 0; i < size; ++i) {
      const T du = scale * (T(1) + T(3) * cubic * v[i] * v[i]);
      y[start + i] = T(0.5) * v[i] * (T(1) + t[i]);
      slope[start + i] = T(0.5) * (T(1) + t[i]) + T(0.5) * v[i] * (T(1) - t[i] * t[i]) * du;
    }
  }
}

template <typename T>
void gelu_backward_from_slope(T* dx, const T* dy, const T* slope, int count) {
  for (int i = 0; i < count; ++i) dx[i] += slope[i] * dy[i];
}

// ---------------------------------------------------------------- cross-entropy
namespace {

int count_targets(const int* targets, int rows, int vocab) {
  int count = 0;
  for (int r = 0; r < rows; ++r) {
    if (targets[r] == kNoTarget) continue;
    if (targets[r] < 0 || targets[r] >= vocab) {
      fail(ErrorCode::kInvalidArgument, "targets", message("target=", targets[r], " at position ", r,
                                                           " is outside [0, V) and not -1 (V=", vocab, ")"));
    }
    ++count;
  }
  if (count == 0) fail(ErrorCode::kInvalidArgument, "targets", message("no position carries a target (all ", rows, " are -1)"));
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
    for (int j = 0; j < vocab; ++j) p[j] = l[j] - largest;
    lab_exp_array(p, p, vocab);  // p[j] = lab_exp(l[j] - largest)
    T sum = T(0);
    for (int j = 0; j < vocab; ++j) sum = sum + p[j];
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

#define ATTNRANK_LAB_OPS_INSTANTIATE(T)                                                                            \
  template void embedding_forward<T>(T*, const int*, const T*, const T*, int, int, int, int);                     \
  template void embedding_backward<T>(T*, T*, const T*, const int*, int, int, int);                               \
  template void tied_logits_forward<T>(T*, const T*, const T*, int, int, int);                                    \
  template void tied_logits_backward<T>(T*, T*, const T*, const T*, const T*, int, int, int);                     \
  template void layernorm_forward<T>(T*, T*, T*, const T*, const T*, const T*, int, int);                         \
  template void layernorm_backward<T>(T*, T*, T*, const T*, const T*, const T*, const T*, const T*, int, int);    \
  template void linear_forward<T>(T*, const T*, const T*, int, int, int);                                         \
  template void linear_backward<T>(T*, T*, const T*, const T*, const T*, int, int, int);                          \
  template void gelu_forward<T>(T*, const T*, int);                                                               \
  template void gelu_backward<T>(T*, const T*, const T*, int);                                                    \
  template void gelu_forward_with_slope<T>(T*, T*, const T*, int);                                                \
  template void gelu_backward_from_slope<T>(T*, const T*, const T*, int);                                         \
  template T cross_entropy_forward<T>(T*, const T*, const int*, int, int);                                        \
  template void cross_entropy_backward<T>(T*, const T*, const int*, int, int);

ATTNRANK_LAB_OPS_INSTANTIATE(float)
ATTNRANK_LAB_OPS_INSTANTIATE(double)
#undef ATTNRANK_LAB_OPS_INSTANTIATE

}  // namespace attnrank::lab
