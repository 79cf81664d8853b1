// Peak-memory estimates: for each phase of a request, the bytes of the matrices alive together (inputs,
// mask, logits, A, the SVD's column-major copy, the LU's two copies, ...), and the maximum over phases.
// Counts follow the code paths of analysis.cpp, rank_stats.cpp, spectrum.cpp, linear_attention.cpp,
// collapse.cpp, mixture.cpp and permutation.cpp; docs/memory.md compares them with peaks measured in the
// wasm heap, and where the measured peak was higher than the count, says which term was raised.
#include "memory_estimate.h"

#include <algorithm>
#include <cmath>

#include "analysis.h"
#include "collapse.h"
#include "errors.h"
#include "mixture.h"
#include "permutation.h"

namespace attnrank {

namespace {

constexpr double kDouble = 8.0;
constexpr double kFloat = 4.0;
constexpr double kByte = 1.0;
// Fixed slack per request: small vectors, RankStats, the bidiagonal, allocator headers (measured < 1 MiB).
constexpr double kOverheadBytes = 1.0 * kBytesPerMiB;
// The allocator's fragmentation on top of the counted matrices: the measured high-water mark exceeded the
// bare count by up to 4% (docs/memory.md), so every estimate is scaled by this margin.
constexpr double kFragmentationMargin = 1.05;

// compute_rank_stats(A), f64 A (n, n) alive: the SVD's column-major copy, then, unless A is triangular
// (its determinant is the diagonal's product), log_abs_det's copy of A and the LU's own copy.
double rank_stats_extra_f64(double n2, bool is_triangular) { return (is_triangular ? 1.0 : 2.0) * n2 * kDouble; }
// compute_rank_stats(A32): the float SVD copy (n^2 floats), then A widened to double, plus the LU's two
// double copies unless triangular (widening costs more than the float SVD saves).
double rank_stats_extra_f32(double n2, bool is_triangular) {
  return std::max(n2 * kFloat, (is_triangular ? 1.0 : 3.0) * n2 * kDouble);
}

// The patterns whose A is triangular for every input (an all-lower custom mask is counted as dense).
bool is_triangular_pattern(PatternKind kind) { return is_triangular(kind); }

// logits_rank(Q, K): the thin QRs' copies (2 per input) when d < n, else S = s Q K^T and its SVD copy.
double logits_rank_bytes(double n, double d) {
  return d < n ? 4.0 * n * d * kDouble : 2.0 * n * n * kDouble;
}

double analysis_bytes(const AnalysisConfig& c) {
  const double n = c.user_q ? static_cast<double>(c.user_q->rows()) : c.inputs.n;
  const double d = c.user_q ? static_cast<double>(c.user_q->cols()) : c.inputs.d;
  const double n2 = n * n;
  const bool is_f32 = c.precision == Precision::F32;
  const bool is_triangular = is_triangular_pattern(c.mask.kind);
  // Seeded: Q, K, V; loaded: the config's Q, K and the request's copies.
  const double inputs = (c.user_q ? 4.0 : 3.0) * n * d * kDouble;
  // The mask, and the result's own copy of it; the structured linear path builds none (analysis.cpp).
  const double f = feature_dimension(c.linear, static_cast<int>(d));
  const bool is_structured = c.kind == AttentionKind::kLinear && f < n && c.mask.kind == PatternKind::kBidirectional;
  const double mask = is_structured && !c.want_matrix ? 0.0 : n2 * kByte * (c.want_matrix ? 2.0 : 1.0);
  double phase_peak = logits_rank_bytes(n, d);

  if (c.kind == AttentionKind::kSoftmax) {
    // masked_softmax: logits and A together; then the statistics beside A. In f32 the freed float logits
    // leave a hole the later double-sized copies do not fit (measured: 16-18 bytes per entry where the
    // live matrices are 12), so it is counted as still taken.
    const double scalar = is_f32 ? kFloat : kDouble;
    const double input_copies = is_f32 ? 2.0 * n * d * kFloat : 0.0;
    const double softmax = 2.0 * n2 * scalar;
    const double stats = (is_f32 ? 2.0 : 1.0) * n2 * scalar +
                         (is_f32 ? rank_stats_extra_f32(n2, is_triangular) : rank_stats_extra_f64(n2, is_triangular));
    const double matrix = is_f32 && c.want_matrix ? n2 * (kFloat + kDouble) : 0.0;  // A32 + widened copy
    phase_peak = std::max({phase_peak, input_copies + std::max({softmax, stats, matrix})});
    return inputs + mask + phase_peak + kOverheadBytes;
  }

  // Linear: the scaled inputs and two feature matrices (n, f); favor adds W (m, d) and its log features.
  const bool is_favor = c.linear.feature == FeatureMap::kFavor;
  const double features = (2.0 * n * d + (is_favor ? 4.0 : 2.0) * n * f + (is_favor ? f * d : 0.0)) * kDouble;
  // (An all-ones custom mask also takes the structured path; it is counted as dense, an over-estimate.)
  if (is_structured) {
    // Factors (n, f) twice, their thin QRs (two copies each), the f x f core and its SVD copy.
    phase_peak = std::max(phase_peak, features + 6.0 * n * f * kDouble + 2.0 * f * f * kDouble);
    if (!c.want_matrix) return inputs + mask + phase_peak + kOverheadBytes;
  }
  // Dense: the product phi(Q) phi(K)^T and A (n, n) in double; then the statistics (skipped on the
  // structured path) and, for f32, A rounded to float (and widened back for the result).
  const double dense = features + 2.0 * n2 * kDouble;
  double stats = 0.0;
  if (!is_structured) {
    stats = n2 * kDouble + (is_f32 ? n2 * kFloat + rank_stats_extra_f32(n2, is_triangular)
                                   : rank_stats_extra_f64(n2, is_triangular));
  }
  const double matrix = is_f32 && c.want_matrix ? n2 * (kDouble + kFloat + kDouble) : 0.0;
  phase_peak = std::max({phase_peak, dense, stats, matrix});
  return inputs + mask + phase_peak + kOverheadBytes;
}

double collapse_bytes(const CollapseConfig& c) {
  const double n = c.n, width = c.d_model, keys = c.d_k, n2 = n * n;
  const double ffn = c.variant.has_mlp ? c.d_ff : 0.0;
  // Alive through the run: X, the path and random path products, the first column per layer.
  const double persistent = (n * width + 2.0 * n2 + (c.layers + 1.0) * n) * kDouble;
  // One layer: W_Q, W_K, W_V; Q, K; the mask; logits and A; X W_V and Y; the MLP's W_1, W_2, Y W_1 and
  // its ReLU; the path update's temporary; the random path's Q, K, logits, softmax and product.
  const double weights = (2.0 * width * keys + width * width + 2.0 * width * ffn) * kDouble;
  const double layer_vectors = (4.0 * n * keys + 3.0 * n * width + 2.0 * n * ffn) * kDouble;
  // A, the random path's logits, softmax and product (4 n^2 doubles), plus one n^2 for the products'
  // temporaries and fragmentation: the measured peak is 7.2 n^2 doubles with the two paths. The mask.
  const double layer_squares = 5.0 * n2 * kDouble + n2 * kByte;
  return persistent + weights + layer_vectors + layer_squares + kOverheadBytes;
}

double mixture_bytes(const MixtureConfig& c) {
  const double n = c.n, width = c.d_model, n2 = n * n;
  const double heads = c.heads, head_width = width / heads;
  // X and the concatenated output; the forward and backward masks; per head W_Q, W_K, W_V and X W.
  const double vectors = (2.0 * n * width + 3.0 * width * head_width + 4.0 * n * head_width) * kDouble + 2.0 * n2 * kByte;
  // The split head's phase: first forward and backward heads, the product, the lower and upper logits,
  // the merged logits, the split matrix and the statistics' two LU copies (9 n^2 doubles), plus one n^2
  // for temporaries and fragmentation: the measured peak is 9.6 n^2 doubles.
  const double squares = 10.0 * n2 * kDouble;
  // With want_matrices: every head's A, and copies of the product and the split head's matrix.
  const double matrices = c.want_matrices ? (heads + 2.0) * n2 * kDouble : 0.0;
  return vectors + squares + matrices + kOverheadBytes;
}

double permutation_bytes(const PermutationConfig& c) {
  const double n = c.n, width = c.d_model;
  // The second attention layer's expression: X, W_Q, W_K, W_V, f(X), P X, P X W_Q, P X W_K, the logits and
  // the softmax (n, n), P X W_V and the product; and the mask.
  return (3.0 * width * width + 7.0 * n * width + 2.0 * n * n) * kDouble + n * n * kByte + kOverheadBytes;
}

std::int64_t to_bytes(double counted) {
  constexpr double kMax = 9.0e18;  // int64 holds it; no request comes near
  return static_cast<std::int64_t>(std::ceil(std::min(counted * kFragmentationMargin, kMax)));
}

}  // namespace

std::int64_t estimate_analysis_bytes(const AnalysisConfig& config) { return to_bytes(analysis_bytes(config)); }
std::int64_t estimate_collapse_bytes(const CollapseConfig& resolved) { return to_bytes(collapse_bytes(resolved)); }
std::int64_t estimate_mixture_bytes(const MixtureConfig& config) { return to_bytes(mixture_bytes(config)); }
std::int64_t estimate_permutation_bytes(const PermutationConfig& config) {
  return to_bytes(permutation_bytes(config));
}

void require_within_budget(const std::string& request, std::int64_t bytes, long long budget_mib,
                           const std::string& advice) {
  require_in_range(kMemoryBudgetRange.name, budget_mib, kMemoryBudgetRange.min, kMemoryBudgetRange.max);
  if (bytes <= budget_mib * kBytesPerMiB) return;
  const long long needed_mib = (bytes + kBytesPerMiB - 1) / kBytesPerMiB;
  fail(ErrorCode::kTooLarge, "n", message(request, " needs ~", needed_mib, " MiB, over the memory budget of ", budget_mib,
                                     " MiB: ", advice));
}

void require_analysis_within_budget(const AnalysisConfig& config) {
  const int n = config.user_q ? static_cast<int>(config.user_q->rows()) : config.inputs.n;
  const int d = config.user_q ? static_cast<int>(config.user_q->cols()) : config.inputs.d;
  const std::string request = message("n=", n, ", d=", d, " (", attention_kind_name(config.kind), ", ",
                                      precision_name(config.precision), config.want_matrix ? ", with the matrix" : "",
                                      ")");
  // Memory grows as n^2; f32 does not help (its statistics widen A to double), the matrix copy does.
  std::string advice = "lower n";
  if (config.want_matrix && config.precision == Precision::F32) advice += " or leave out the matrix";
  require_within_budget(request, estimate_analysis_bytes(config), config.memory_budget_mib, advice);
}

void require_collapse_within_budget(const CollapseConfig& c) {
  const std::string request =
      message("collapse n=", c.n, ", d_model=", c.d_model, c.variant.has_mlp ? message(", d_ff=", c.d_ff) : "");
  require_within_budget(request, estimate_collapse_bytes(c), c.memory_budget_mib,
                        c.variant.has_mlp ? "lower n, d_model or d_ff" : "lower n or d_model");
}

void require_mixture_within_budget(const MixtureConfig& c) {
  const std::string request = message("mixture n=", c.n, ", d_model=", c.d_model, ", heads=", c.heads,
                                      c.want_matrices ? " with the matrices" : "");
  require_within_budget(request, estimate_mixture_bytes(c), c.memory_budget_mib,
                        c.want_matrices ? "lower n, or leave out the matrices" : "lower n");
}

void require_permutation_within_budget(const PermutationConfig& c) {
  require_within_budget(message("permutation n=", c.n, ", d_model=", c.d_model), estimate_permutation_bytes(c),
                        c.memory_budget_mib, "lower n or d_model");
}

}  // namespace attnrank
