// analyze(): validation, inputs, attention, statistics. Kept free of I/O so the CLI and the wasm module
// are thin shells around it and report identical numbers.
#include "attnrank/experiments/analysis.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "attention/attention.h"
#include "attnrank/base/errors.h"
#include "attnrank/base/param_ranges.h"
#include "linalg/low_rank_spectrum.h"

namespace attnrank {

AttentionKind parse_attention_kind(const std::string& name) {
  if (name == "softmax") return AttentionKind::kSoftmax;
  if (name == "linear") return AttentionKind::kLinear;
  fail(ErrorCode::kInvalidArgument, "kind",
       fill_words("unknown_choice", {{"param", "kind"}, {"value", name}, {"choices", "softmax, linear"}}));
}

const char* attention_kind_name(AttentionKind kind) {
  return kind == AttentionKind::kSoftmax ? "softmax" : "linear";
}

Precision parse_precision(const std::string& name) {
  if (name == "f64") return Precision::F64;
  if (name == "f32") return Precision::F32;
  fail(ErrorCode::kInvalidArgument, "precision",
       fill_words("unknown_choice", {{"param", "precision"}, {"value", name}, {"choices", "f64, f32"}}));
}

const char* precision_name(Precision precision) { return precision == Precision::F64 ? "f64" : "f32"; }


namespace {

// Softmax needs G = Q K^T / sqrt(d) finite in the pipeline's precision, and the f32 pipeline needs Q, K
// representable in float. |G_ij| <= sqrt(d) max|q| max|k| (d products of at most max|q| max|k|, divided by
// sqrt(d)), and so is every partial sum, so inputs within that bound never overflow (to inf, or to NaN as
// inf - inf); beyond it they are refused with the limit (seeded inputs are far inside it). The bound is
// compared in log2 so that computing it cannot overflow.
void require_logits_in_range(const MatrixXd& q, const MatrixXd& k, Precision precision) {
  const bool f32 = precision == Precision::F32;
  const double largest = f32 ? std::numeric_limits<float>::max() : std::numeric_limits<double>::max();
  const char* largest_name = f32 ? "float (precision=f32)" : "double";
  const double max_q = q.cwiseAbs().maxCoeff();
  const double max_k = k.cwiseAbs().maxCoeff();
  for (const auto& [name, value] : {std::pair<const char*, double>{"q", max_q}, {"k", max_k}}) {
    if (value > largest) {
      fail(ErrorCode::kInvalidArgument, name,
           message(name, ": max|", name, "| = ", value, " exceeds the largest ", largest_name, " (", largest, ")"));
    }
  }
  if (max_q == 0.0 || max_k == 0.0) return;
  const double log2_bound = std::log2(max_q) + std::log2(max_k) + 0.5 * std::log2(static_cast<double>(q.cols()));
  if (log2_bound >= std::log2(largest)) {
    fail(ErrorCode::kInvalidArgument, "q",
         message("q, k: the logits Q K^T / sqrt(d) can reach sqrt(d) max|q| max|k| = 2^", std::floor(log2_bound),
                 " (max|q| = ", max_q, ", max|k| = ", max_k, ", d = ", q.cols(), "), beyond the largest ",
                 largest_name, " (", largest, "): divide q and k by a constant c and multiply scale by c^2"));
  }
}

}  // namespace

void require_input_shape(std::int64_t rows, std::int64_t cols) {
  require_in_range("q rows (n)", rows, kTokensRange.min, kTokensRange.max);
  require_in_range("q columns (d)", cols, kHeadDimRange.min, kHeadDimRange.max);
}

namespace {

// The shape the request will have: loaded matrices define n and d, otherwise the seeded spec does.
void validate_user_inputs(const AnalysisConfig& config) {
  if (config.user_q.has_value() != config.user_k.has_value()) {
    fail(ErrorCode::kInvalidArgument, config.user_q ? "k" : "q", "q and k must be given together");  // the missing one
  }
  if (!config.user_q) return;
  const MatrixXd& q = *config.user_q;
  const MatrixXd& k = *config.user_k;
  require_input_shape(q.rows(), q.cols());
  if (k.rows() != q.rows() || k.cols() != q.cols()) {
    fail(ErrorCode::kInvalidArgument, "k", message("k shape (", k.rows(), ", ", k.cols(), ") differs from q shape (",
                                              q.rows(), ", ", q.cols(), ")"));
  }
  if (!q.allFinite()) fail(ErrorCode::kInvalidArgument, "q", "q contains a NaN or infinite entry");
  if (!k.allFinite()) fail(ErrorCode::kInvalidArgument, "k", "k contains a NaN or infinite entry");
  if (config.kind == AttentionKind::kSoftmax) require_logits_in_range(q, k, config.precision);
}

int request_tokens(const AnalysisConfig& config) {
  return config.user_q ? static_cast<int>(config.user_q->rows()) : config.inputs.n;
}

InputMatrices request_inputs(const AnalysisConfig& config) {
  if (config.user_q) return InputMatrices{*config.user_q, *config.user_k, MatrixXd()};
  return generate_query_key_inputs(config.inputs);  // the request never reads V
}

bool is_all_ones(const Mask& mask) { return mask.size() > 0 && mask.minCoeff() != 0; }

// Linear attention is formed in double; f32 precision rounds A (structured path: the f x f core) to
// float before the SVD. Under an all-ones mask (bidirectional, prefix p = n, window w = n, an all-ones
// custom mask) A = L R^T has rank <= f, the feature dimension. When f < n its spectrum comes from the
// f x f core (low_rank_spectrum.h, O(n f^2)), det A = 0 exactly and no LU runs; A is formed only when
// the matrix is wanted or the structure is absent (f >= n, or a mask that breaks the product form).
// The bidirectional pattern is all-ones by definition, so its n x n mask is built only for want_matrix:
// at n = 2048 building it costs about as much as the structured spectrum itself.
void analyze_linear(const AnalysisConfig& config, const InputMatrices& inputs, AnalysisResult& result) {
  const int n = result.n;
  result.feature_dimension = feature_dimension(config.linear, result.d);
  const bool is_bidirectional = config.mask.kind == PatternKind::kBidirectional;
  const bool has_rank_bound_below_n = result.feature_dimension < n;
  Mask mask;
  if (config.want_matrix || !(is_bidirectional && has_rank_bound_below_n)) mask = build_mask(config.mask, n);
  const bool is_low_rank = has_rank_bound_below_n && (is_bidirectional || is_all_ones(mask));
  if (is_low_rank) {
    const LinearAttentionFactors factors =
        bidirectional_linear_factors(inputs.q, inputs.k, config.scale, config.linear);
    const VectorXd s = low_rank_singular_values(factors.left, factors.right, config.precision);
    result.stats = compute_rank_stats_of_rank_deficient(s, result.feature_dimension, config.precision);
    if (!config.want_matrix) return;
  }
  MatrixXd a = linear_attention(inputs.q, inputs.k, config.scale, mask, config.linear);
  if (config.precision == Precision::F32) {
    MatrixXf a32 = a.cast<float>();
    if (!is_low_rank) result.stats = compute_rank_stats(a32);
    if (config.want_matrix) result.matrix = a32.cast<double>();
  } else {
    if (!is_low_rank) result.stats = compute_rank_stats(a);
    if (config.want_matrix) result.matrix = std::move(a);
  }
  if (config.want_matrix) result.mask = std::move(mask);
}

}  // namespace

void validate(const AnalysisConfig& config) {
  validate_user_inputs(config);
  if (!config.user_q) validate_input_spec(config.inputs);
  require_finite("scale", config.scale);
  if (config.precision == Precision::F32 && std::abs(config.scale) > std::numeric_limits<float>::max()) {
    fail(ErrorCode::kInvalidArgument, "scale", message("scale=", config.scale, " exceeds the float range for precision=f32"));
  }
  if (config.kind == AttentionKind::kLinear) {
    if (config.scale < 0) {
      fail(ErrorCode::kInvalidArgument, "scale", message("scale=", config.scale, " must be >= 0 for linear attention"));
    }
    if (config.linear.feature == FeatureMap::kFavor) {
      require_in_range(kFeaturesRange.name, config.linear.features, kFeaturesRange.min, kFeaturesRange.max);
    }
  }
  validate_mask_spec(config.mask, request_tokens(config));
}

AnalysisResult analyze(const AnalysisConfig& config) {
  validate(config);
  require_analysis_within_budget(config);  // before any allocation of the request
  const InputMatrices inputs = request_inputs(config);
  const int n = static_cast<int>(inputs.q.rows());
  const int d = static_cast<int>(inputs.q.cols());

  AnalysisResult result;
  result.n = n;
  result.d = d;
  result.logits_rank = logits_rank(inputs.q, inputs.k, config.scale);
  if (config.kind == AttentionKind::kLinear) {
    analyze_linear(config, inputs, result);
    return result;
  }

  const Mask mask = build_mask(config.mask, n);
  if (config.want_matrix) result.mask = mask;

  if (config.precision == Precision::F32) {
    // The whole pipeline in single precision: inputs rounded, logits, softmax and SVD in float.
    const MatrixXf q = inputs.q.cast<float>();
    const MatrixXf k = inputs.k.cast<float>();
    MatrixXf a = unscaled_logits(q, k);
    masked_softmax_in_place(a, static_cast<float>(config.scale), mask);
    result.stats = compute_rank_stats(a);
    if (config.want_matrix) result.matrix = a.cast<double>();
  } else {
    MatrixXd a = unscaled_logits(inputs.q, inputs.k);
    masked_softmax_in_place(a, config.scale, mask);  // A overwrites the logits: one n x n matrix, not two
    result.stats = compute_rank_stats(a);
    if (config.want_matrix) result.matrix = std::move(a);
  }
  return result;
}

// ---- Memory: the peak estimate of one request (docs/memory.md) and the budget check run before any
// allocation. The counts follow this file's code paths.

namespace {

// logits_rank(Q, K): Q and K brought to unit size (2 n d), then the thin QRs' copies (2 per input) when
// d < n, else S = Q K^T and its SVD copy (issue 16 item 7: the unit copies were not counted, and at
// d = 1024 the measured peak was 1.4x the estimate).
double logits_rank_bytes(double n, double d) {
  return 2.0 * n * d * kDoubleBytes + (d < n ? 4.0 * n * d * kDoubleBytes : 2.0 * n * n * kDoubleBytes);
}

double analysis_bytes(const AnalysisConfig& c) {
  const double n = c.user_q ? static_cast<double>(c.user_q->rows()) : c.inputs.n;
  const double d = c.user_q ? static_cast<double>(c.user_q->cols()) : c.inputs.d;
  const double n2 = n * n;
  const bool is_f32 = c.precision == Precision::F32;
  const bool triangular = is_triangular(c.mask.kind);  // an all-lower custom mask counts as dense
  // Seeded: Q, K, V; loaded: the config's Q, K and the request's copies.
  const double inputs = (c.user_q ? 4.0 : 3.0) * n * d * kDoubleBytes;
  // The mask, and the result's own copy of it; the structured linear path builds none (analysis.cpp).
  const double f = feature_dimension(c.linear, static_cast<int>(d));
  const bool is_structured = c.kind == AttentionKind::kLinear && f < n && c.mask.kind == PatternKind::kBidirectional;
  const double mask = is_structured && !c.want_matrix ? 0.0 : n2 * kByteBytes * (c.want_matrix ? 2.0 : 1.0);
  double phase_peak = logits_rank_bytes(n, d);

  if (c.kind == AttentionKind::kSoftmax) {
    // masked_softmax: logits and A together; then the statistics beside A. In f32 the freed float logits
    // leave a hole the later double-sized copies do not fit (measured: 16-18 bytes per entry where the
    // live matrices are 12), so it is counted as still taken.
    const double scalar = is_f32 ? kFloatBytes : kDoubleBytes;
    const double input_copies = is_f32 ? 2.0 * n * d * kFloatBytes : 0.0;
    const double softmax = 2.0 * n2 * scalar;
    const double stats = (is_f32 ? 2.0 : 1.0) * n2 * scalar +
                         (is_f32 ? rank_stats_extra_bytes_f32(n2, triangular) : rank_stats_extra_bytes_f64(n2));
    const double matrix = is_f32 && c.want_matrix ? n2 * (kFloatBytes + kDoubleBytes) : 0.0;  // A32 + widened copy
    phase_peak = std::max({phase_peak, input_copies + std::max({softmax, stats, matrix})});
    return inputs + mask + phase_peak + kOverheadBytes;
  }

  // Linear: the scaled inputs and two feature matrices (n, f); favor adds W (m, d), its log features and
  // a temporary (n, f); exp a stabilised temporary of each input (n, d) (measured, issue 16 item 7).
  const bool is_favor = c.linear.feature == FeatureMap::kFavor;
  const bool is_exp = c.linear.feature == FeatureMap::kExp;
  const double features = (2.0 * n * d + (is_favor ? 5.0 : 2.0) * n * f + (is_favor ? f * d : 0.0) +
                           (is_exp ? 2.0 * n * d : 0.0)) * kDoubleBytes;
  // (An all-ones custom mask also takes the structured path; it is counted as dense, an over-estimate.)
  if (is_structured) {
    // Factors (n, f) twice, their thin QRs (two copies each), the f x f core and its SVD copy.
    phase_peak = std::max(phase_peak, features + 6.0 * n * f * kDoubleBytes + 2.0 * f * f * kDoubleBytes);
    if (!c.want_matrix) return inputs + mask + phase_peak + kOverheadBytes;
  }
  // Dense: the product phi(Q) phi(K)^T and A (n, n) in double; then the statistics (skipped on the
  // structured path) and, for f32, A rounded to float (and widened back for the result).
  const double dense = features + 2.0 * n2 * kDoubleBytes;
  double stats = 0.0;
  if (!is_structured) {
    stats = n2 * kDoubleBytes + (is_f32 ? n2 * kFloatBytes + rank_stats_extra_bytes_f32(n2, triangular)
                                   : rank_stats_extra_bytes_f64(n2));
  }
  const double matrix = is_f32 && c.want_matrix ? n2 * (kDoubleBytes + kFloatBytes + kDoubleBytes) : 0.0;
  phase_peak = std::max({phase_peak, dense, stats, matrix});
  return inputs + mask + phase_peak + kOverheadBytes;
}

}  // namespace

std::int64_t estimate_analysis_bytes(const AnalysisConfig& config) { return to_estimate_bytes(analysis_bytes(config)); }

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

}  // namespace attnrank
