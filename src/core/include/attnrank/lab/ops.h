// The training lab's layers (design-lab.md section 1), each forward beside its backward, as free
// functions over explicit shapes in the manner of llm.c's train_gpt2.c; templated on the scalar (float to
// train, double for finite-difference checks). All arrays are row-major; "rows" counts tokens over the
// whole batch (B * n), attention works on one sequence and one head at a time. Products go through the
// fixed-order kernels (kernels.h) and transcendental functions through lab_math.h, so results are
// bit-identical natively and in wasm. Convention: every backward ADDS into its gradient outputs (input
// and parameter gradients alike, as the residual stream needs); the caller zeroes them. Not here: the
// model's wiring, init and optimiser (the next layer up), any allocation of activations.
#pragma once

#include <vector>

#include "attnrank/base/glossary.h"

namespace attnrank::lab {

// ---- Token + position embedding: X (B * n, D), row b n + t = E[tokens[b n + t]] + P[t].
// e: (V, D); p: (n, D) or nullptr (positions = none). Throws kInvalidArgument for a token outside [0, V).
template <typename T>
void embedding_forward(T* x, const int* tokens, const T* e, const T* p, int batch, int n, int vocab, int width);
// de[tokens[r]] += dx[r]; dp[t] += dx[b n + t] (b ascending); dp may be nullptr.
template <typename T>
void embedding_backward(T* de, T* dp, const T* dx, const int* tokens, int batch, int n, int width);

// ---- Tied output projection: logits (rows, V) = Y (rows, D) E^T, E (V, D) the embedding.
template <typename T>
void tied_logits_forward(T* logits, const T* y, const T* e, int rows, int vocab, int width);
// dy += dlogits E; de += dlogits^T Y.
template <typename T>
void tied_logits_backward(T* dy, T* de, const T* dlogits, const T* y, const T* e, int rows, int vocab, int width);

// ---- LayerNorm per row: out = g (x - mean) / sqrt(var + 1e-5) + b, var the biased (1 / D) variance.
// Saves mean (rows) and rstd = 1 / sqrt(var + eps) (rows) for the backward.
inline constexpr double kLayerNormEps = 1e-5;
template <typename T>
void layernorm_forward(T* out, T* mean, T* rstd, const T* x, const T* g, const T* b, int rows, int width);
// dx += d out / d x applied to dout; dg += sum_rows dout * xhat; db += sum_rows dout.
template <typename T>
void layernorm_backward(T* dx, T* dg, T* db, const T* dout, const T* x, const T* mean, const T* rstd, const T* g,
                        int rows, int width);

// ---- Linear layer without bias: Y (rows, out) = X (rows, in) W (in, out).
template <typename T>
void linear_forward(T* y, const T* x, const T* w, int rows, int in, int out);
// dx += dY W^T (skipped when dx is nullptr); dw += X^T dY.
template <typename T>
void linear_backward(T* dx, T* dw, const T* dy, const T* x, const T* w, int rows, int in, int out);

// ---- GELU, tanh form: y = 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))), elementwise.
template <typename T>
void gelu_forward(T* y, const T* x, int count);
template <typename T>
void gelu_backward(T* dx, const T* dy, const T* x, int count);  // dx += gelu'(x) dy
// The forward that also writes slope[i] = gelu'(x[i]) with gelu_backward's expression on the same tanh
// (the same bits), so the backward needs no second tanh; slope may be x (the model keeps the slope in
// place of the pre-activation, which nothing else reads). Then dx += slope dy.
template <typename T>
void gelu_forward_with_slope(T* y, T* slope, const T* x, int count);
template <typename T>
void gelu_backward_from_slope(T* dx, const T* dy, const T* slope, int count);

// ---- Scratch of the attention passes below: dA (n, n) and per-row dots (n) of both backwards, the
// features phi(Q'), phi(K') and their gradients (n, h) of the linear head. Passed in by the caller (the
// model keeps one), each buffer is resized to the call's shape, so once sized to the largest head a
// training step allocates nothing (a vector keeps its capacity when it shrinks). The overloads without
// a workspace make a temporary one (tests, single calls).
template <typename T>
struct AttentionWorkspace {
  std::vector<T> d_att, row_dot, phi_q, phi_k, d_phi_q, d_phi_k, scaled_q, scaled_k;
};

// Whether a pass checks its mask matrix (shape, 0/1 entries, a key in every row: n^2 reads per call) or
// trusts a caller that checked it once: the model validates its masks when it builds them and never
// changes them, so its training step skips the per-head, per-call check (kCheckedByCaller).
enum class MaskCheck { kEveryCall, kCheckedByCaller };

// ---- One softmax attention head over one sequence, the core's mask semantics (attention.h):
// S = Q K^T / sqrt(h); A_ij = exp(S_ij - m_i) / sum_allowed exp(S_ij' - m_i) where mask(i, j) = 1, and
// exactly 0 elsewhere; out = A V. q, k, v are (n, h) blocks with row stride ld (head k of an (n, D)
// buffer: pointer + k h, ld = D); out likewise with ld_out; att (n, n) receives A (kept for the backward
// and for rank statistics). mask: (n, n), every row keeps an entry (validated; kInvalidArgument).
template <typename T>
void softmax_attention_forward(T* out, int ld_out, T* att, const T* q, const T* k, const T* v, int ld, int n, int h,
                               const Mask& mask, MaskCheck check = MaskCheck::kEveryCall);
// dq, dk, dv (n, h) blocks with row stride ld_grad, added to; dout with ld_out; att from the forward.
template <typename T>
void softmax_attention_backward(T* dq, T* dk, T* dv, int ld_grad, const T* dout, int ld_out, const T* att,
                                const T* q, const T* k, const T* v, int ld, int n, int h, const Mask& mask);
template <typename T>
void softmax_attention_backward(T* dq, T* dk, T* dv, int ld_grad, const T* dout, int ld_out, const T* att,
                                const T* q, const T* k, const T* v, int ld, int n, int h, const Mask& mask,
                                AttentionWorkspace<T>& workspace, MaskCheck check = MaskCheck::kEveryCall);

// ---- One linear attention head (the core's linear_attention.h with phi = elu + 1, s = 1): Q' = c Q,
// K' = c K, c = h^(-1/4); K_ij = mask_ij phi(Q'_i) . phi(K'_j); A = D^{-1} K, D_i = sum_j K_ij > 0 (phi > 0
// and every row keeps an entry); out = A V. Shapes as softmax_attention_forward; row_sum (n) saves D.
// Guard: phi(x) = exp(x) underflows to 0 for x below ~-745 (double) or ~-104 (float), and inputs of that
// size (or inf, NaN) only come from a diverged run; a row whose D_i is then 0 or not finite would give
// 0/0 = NaN silently, so it throws kNumericalFailure "linear attention row i sums to 0 (...)" instead.
template <typename T>
void linear_attention_forward(T* out, int ld_out, T* att, T* row_sum, const T* q, const T* k, const T* v, int ld,
                              int n, int h, const Mask& mask);
template <typename T>
void linear_attention_forward(T* out, int ld_out, T* att, T* row_sum, const T* q, const T* k, const T* v, int ld,
                              int n, int h, const Mask& mask, AttentionWorkspace<T>& workspace,
                              MaskCheck check = MaskCheck::kEveryCall);
template <typename T>
void linear_attention_backward(T* dq, T* dk, T* dv, int ld_grad, const T* dout, int ld_out, const T* att,
                               const T* row_sum, const T* q, const T* k, const T* v, int ld, int n, int h,
                               const Mask& mask);
template <typename T>
void linear_attention_backward(T* dq, T* dk, T* dv, int ld_grad, const T* dout, int ld_out, const T* att,
                               const T* row_sum, const T* q, const T* k, const T* v, int ld, int n, int h,
                               const Mask& mask, AttentionWorkspace<T>& workspace,
                               MaskCheck check = MaskCheck::kEveryCall);

// ---- Cross-entropy over positions: logits (rows, V), targets (rows) in [0, V) or -1 (no loss there).
// probs (rows, V) receives each row's softmax. Returns the mean of -log probs[r][targets[r]] over the
// targeted rows. Throws kInvalidArgument for a target outside {-1} u [0, V) or when no row has a target.
inline constexpr int kNoTarget = -1;
template <typename T>
T cross_entropy_forward(T* probs, const T* logits, const int* targets, int rows, int vocab);
// dlogits += (probs - onehot(target)) / count on targeted rows, count = number of targeted rows.
template <typename T>
void cross_entropy_backward(T* dlogits, const T* probs, const int* targets, int rows, int vocab);

}  // namespace attnrank::lab
