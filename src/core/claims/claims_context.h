// What the claims' verdicts read, computed once per request (claims.cpp): the drawn Q, K, the softmax
// matrices' statistics and the linear runs. Private to src/core/claims.
#pragma once

#include <optional>
#include <string>

#include "attnrank/experiments/analysis.h"

namespace attnrank {

// Linear attention can be undefined (a row of phi(Q) phi(K)^T summing to 0, e.g. relu features):
// then `failure` holds the core's message and there is no result.
struct LinearRun {
  std::optional<AnalysisResult> result;  // without its matrix (see run_linear)
  double min_diagonal = 0.0;             // min_i A_ii, for the causal runs
  std::string failure;
};

// Everything the verdicts read, computed once per request.
struct ClaimsContext {
  AnalysisConfig base;  // validated; user_q / user_k hold the one drawn Q, K
  int n = 0;
  int d = 0;
  AnalysisResult bidirectional_softmax;
  AnalysisResult causal_softmax;  // without its matrix; C17's naive products of its diagonal below
  double naive_det_f64 = 0.0;
  double naive_det_f32 = 0.0;
  bool has_linear = false;        // s >= 0
  LinearRun bidirectional_elu1, bidirectional_configured;
  LinearRun causal_elu1, causal_configured;
  bool is_configured_elu1 = true;
};

// The request's numerical rank r_p: the count in its own precision (f32 spectra carry float noise
// that the f64 tolerance would count as rank, which is why RankStats has no f64 count at f32).
int numerical_rank_at(const RankStats& stats, Precision precision);

// The request's config with another pattern, attention kind and feature map (the same Q, K).
AnalysisConfig variant(const ClaimsContext& context, PatternKind pattern, AttentionKind kind, FeatureMap feature,
                       bool want_matrix);

// Every run the verdicts read: analyze() of the bidirectional and causal softmax matrices, and (for
// s >= 0) the linear ones with elu+1 features and with the configured feature map.
ClaimsContext build_context(const AnalysisConfig& config);

}  // namespace attnrank
