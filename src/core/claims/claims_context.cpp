// The runs behind the claims' verdicts (claims_context.h).
#include "claims/claims_context.h"

#include "attnrank/base/errors.h"
#include "attnrank/random/inputs.h"

namespace attnrank {

namespace {

// The naive determinant: the running product of A_ii in the given type, as a program computing det
// directly would; it underflows long before the matrix is singular.
template <typename Scalar>
double naive_diagonal_product(const MatrixXd& a) {
  Scalar product = 1;
  for (Eigen::Index i = 0; i < a.rows(); ++i) product *= static_cast<Scalar>(a(i, i));
  return static_cast<double>(product);
}

// The causal runs want their matrix only for its diagonal: read it and drop the n x n matrix at once, so
// the request holds one analyze() peak at a time, not several matrices (the memory budget is per analyze).
LinearRun run_linear(const ClaimsContext& context, PatternKind pattern, FeatureMap feature) {
  LinearRun run;
  const bool is_causal = pattern != PatternKind::kBidirectional;
  try {
    run.result = analyze(variant(context, pattern, AttentionKind::kLinear, feature, is_causal));
  } catch (const Error& error) {
    if (error.code() != ErrorCode::kNumericalFailure) throw;
    run.failure = error.what();
    return run;
  }
  if (is_causal) run.min_diagonal = run.result->matrix->diagonal().minCoeff();
  run.result->matrix.reset();
  run.result->mask.reset();
  return run;
}

}  // namespace

int numerical_rank_at(const RankStats& stats, Precision precision) {
  return precision == Precision::F64 ? stats.numerical_rank_f64.value() : stats.numerical_rank_f32;
}

AnalysisConfig variant(const ClaimsContext& context, PatternKind pattern, AttentionKind kind, FeatureMap feature,
                       bool want_matrix) {
  AnalysisConfig config = context.base;
  config.mask = MaskSpec{};
  config.mask.kind = pattern;
  config.kind = kind;
  config.linear.feature = feature;
  config.want_matrix = want_matrix;
  return config;
}

ClaimsContext build_context(const AnalysisConfig& config) {
  ClaimsContext context;
  context.base = config;
  context.base.want_matrix = false;
  if (!config.user_q) {
    // Draw Q, K once; every claim's analyze() then reuses them as loaded inputs.
    const InputMatrices inputs = generate_query_key_inputs(config.inputs);
    context.base.user_q = inputs.q;
    context.base.user_k = inputs.k;
  }
  context.n = static_cast<int>(context.base.user_q->rows());
  context.d = static_cast<int>(context.base.user_q->cols());
  context.bidirectional_softmax =
      analyze(variant(context, PatternKind::kBidirectional, AttentionKind::kSoftmax, FeatureMap::kElu1, false));
  context.causal_softmax =
      analyze(variant(context, PatternKind::kForward, AttentionKind::kSoftmax, FeatureMap::kElu1, true));
  context.naive_det_f64 = naive_diagonal_product<double>(*context.causal_softmax.matrix);
  context.naive_det_f32 = naive_diagonal_product<float>(*context.causal_softmax.matrix);
  context.causal_softmax.matrix.reset();
  context.causal_softmax.mask.reset();
  context.has_linear = config.scale >= 0;
  context.is_configured_elu1 = config.linear.feature == FeatureMap::kElu1;
  if (context.has_linear) {
    context.bidirectional_elu1 = run_linear(context, PatternKind::kBidirectional, FeatureMap::kElu1);
    context.causal_elu1 = run_linear(context, PatternKind::kForward, FeatureMap::kElu1);
    if (!context.is_configured_elu1) {
      context.bidirectional_configured = run_linear(context, PatternKind::kBidirectional, config.linear.feature);
      context.causal_configured = run_linear(context, PatternKind::kForward, config.linear.feature);
    }
  }
  return context;
}

}  // namespace attnrank
