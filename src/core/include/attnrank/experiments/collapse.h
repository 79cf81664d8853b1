// Rank collapse across depth (design.md section 3; Dong, Cordonnier & Loukas, ICML 2021; Wu, Ajorlou,
// Wang, Jegelka & Jadbabaie, NeurIPS 2024): L layers of single-head random softmax attention on a seeded
// X_0 (n, d_model), one mask pattern per layer, optional skip connection, ReLU MLP and LayerNorm, and per
// layer the residual of X_l from a rank-1 "all tokens equal" matrix. Also the path view: the product of
// the attention matrices alone. Leaves out: training, biases, multi-head (see mixture.h), dropout.
//
// Model (every weight drawn once from the seed, independent stream per layer and matrix, random_weights.h):
//   X_0 entries N(0, 1).  Layer l = 1..L, with mask M_l (the pattern; forward_backward: l odd forward,
//   l even backward):
//     W_Q, W_K (d_model, d_k), W_V (d_model, d_model): entries N(0, 1 / d_model)
//     A_l = masked_softmax(s (X W_Q)(X W_K)^T / sqrt(d_k), M_l)            (attention.h)
//     Y   = A_l X W_V            (pure)      or   X + A_l X W_V   (skip)
//     Y   = LN(Y)                            if layer_norm
//     if mlp:  Z = relu(Y W_1) W_2, W_1 (d_model, d_ff) N(0, 2 / d_model), W_2 (d_ff, d_model) N(0, 1 / d_ff)
//              Y = Z (no skip) or Y + Z (skip: the MLP gets its own skip when skip is on); then LN(Y) if layer_norm
//     X_l = Y
//   LN is post-norm, per token (row) over d_model features, no learned affine: (y - mean) / sqrt(var + 1e-5),
//   var the biased variance (PyTorch's LayerNorm default eps).
//   Scale: with X entries ~N(0, 1) the entries of (X W_Q)(X W_K)^T / sqrt(d_k) have variance ~1, so s is
//   the logit scale at layer 1; later layers see the scale of X_l (which pure attention shrinks as it
//   collapses, LayerNorm restores it). No logit renormalisation per layer.
//
// Metrics of a matrix X (n, c), mean over tokens (rows) mu = (1/n) 1^T X, R = X - 1 mu:
//   relative_residual   r = ||R||_F / ||X||_F; r = 0 when X = 0 (all-zero X is rank 0: nothing left).
//   composite_residual  ||R||_{1,inf} / ||X||_{1,inf}, ||M||_{1,inf} = sqrt(||M||_1 ||M||_inf) with ||M||_1
//                       the max absolute column sum and ||M||_inf the max absolute row sum (Dong et al. 2021,
//                       section 2.2; not a norm: no triangle inequality). The paper's res(X) = X - 1 x^T uses
//                       x = argmin_x ||X - 1 x^T||; we take x = the column mean mu (the Frobenius minimiser),
//                       so our value is an upper bound of the paper's minimum. 0 when X = 0.
// Path view: P_0 = I, P_l = A_l P_{l-1} (n, n; rows sum to 1). path_residual = relative_residual(P_l);
//   path_distance_to_token0 = max_i ||P_l[i, :] - e_0^T||_1 (in [0, 2]; 0 iff every token copies token 0,
//   the limit of causal products). path_first_column = P_l[:, 0], token i's weight on token 0.
// Random path (claims.md's quick check, "product of random attention matrices"): the same path metrics
//   for R_l = B_l ... B_1, B_l = masked softmax of s Q_l K_l^T / sqrt(d_k) under layer l's mask, with Q_l,
//   K_l (n, d_k) entries N(0, 1) drawn directly (streams kRandomQueries/kRandomKeys of layer l), i.e.
//   independent of X: the attention matrices of a model whose tokens never collapse. Same for every variant.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "attnrank/attention/masks.h"
#include "attnrank/base/glossary.h"
#include "attnrank/base/memory_estimate.h"

namespace attnrank {

// Patterns across depth: a DepthSchedule (pattern_registry.h), one fixed pattern for every layer or a named
// cycle (forward_backward); parse_depth_schedule, depth_schedule_names.

struct CollapseVariant {
  bool has_skip = false;
  bool has_mlp = false;
  bool has_layer_norm = false;
};
// "pure", or a '+'-joined set of "skip", "mlp", "layernorm" (e.g. "skip+mlp"); names in that order.
CollapseVariant parse_collapse_variant(const std::string& name);
std::string collapse_variant_name(const CollapseVariant& variant);

struct CollapseConfig {
  DepthSchedule pattern = depth_schedule_of(PatternKind::kBidirectional);
  int prefix = -1;  // p in [0, n]; -1 = n / 2
  int window = -1;  // w in [1, n]; -1 = min(4, n)
  int n = 64;
  int d_model = 8;
  int d_k = 0;      // 0 = d_model
  int d_ff = 0;     // 0 = 4 d_model (only with mlp)
  int layers = 12;  // L
  double scale = 1.0;
  std::uint64_t seed = 0;
  CollapseVariant variant;
  int memory_budget_mib = kDefaultMemoryBudgetMiB;  // kTooLarge when the peak estimate exceeds it
};

struct LayerMetrics {
  int layer = 0;  // l = 0..L
  double relative_residual = 0.0;
  double composite_residual = 0.0;
  double frobenius_norm = 0.0;  // ||X_l||_F, to see growth (skip) or decay
  double path_residual = 0.0;
  double path_distance_to_token0 = 0.0;
  double random_path_residual = 0.0;
  double random_path_distance_to_token0 = 0.0;
};

struct CollapseResult {
  int n = 0, d_model = 0, d_k = 0, d_ff = 0, layers = 0, prefix = 0, window = 0;
  std::vector<LayerMetrics> per_layer;   // L + 1 entries, l = 0..L
  MatrixXd path_first_column;            // (L + 1, n): row l = P_l[:, 0]^T
};

// Fills the -1 / 0 defaults and checks every range (messages name the parameter and value).
CollapseConfig resolved_collapse_config(const CollapseConfig& config);
CollapseResult run_collapse(const CollapseConfig& config);

// The mask of layer l (1-based) of a resolved config.
Mask depth_layer_mask(const CollapseConfig& resolved, int layer);

// Metrics of one matrix (see the header comment); exposed for tests.
double relative_residual(const MatrixXd& x);
double composite_residual(const MatrixXd& x);
double distance_to_token0(const MatrixXd& p);
// Row-wise LayerNorm without affine, eps 1e-5.
MatrixXd layer_norm_rows(const MatrixXd& x);

// Peak heap bytes of one run_collapse() request (config resolved (resolved_collapse_config)), and the check run_collapse() runs after validation,
// before allocating (kTooLarge over config.memory_budget_mib; docs/memory.md).
std::int64_t estimate_collapse_bytes(const CollapseConfig& resolved);
void require_collapse_within_budget(const CollapseConfig& resolved);

}  // namespace attnrank
