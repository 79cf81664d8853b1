// The field tables of the numerical results (result_fields.h): the statistics of one matrix, analyze(),
// run_mixture(), run_collapse(), architecture_costs(), run_permutation_test(). Each row is a key, its type,
// its one-line meaning and the value it reads; the trees below and the descriptions that result_schemas.cpp
// turns into docs/result-schema.md walk the same rows. The claims' and the pattern registry's tables are in
// result_schemas.cpp, ResultValue's members in result_value.cpp.
#include "result_table.h"

namespace attnrank {

namespace {

using namespace result_table;

// ---- the statistics of one n x n matrix (rank_stats.h) ----

const Field<RankStats> kRankStatsFields[] = {
    {"singular_values", "number[]",
     "s_1 >= ... >= s_n: the raw computed spectrum, values at or below `accuracy_floor` (rounding "
     "noise, not resolved) included",
     [](const RankStats& s) { return numbers(s.singular_values); }},
    {"numerical_rank_f64", "int or null",
     "#{s_i > s_1 n 2^-52}; null when `precision` is `f32`: an f32 spectrum's rounding noise (~ s_1 n "
     "2^-23) would count as rank (CLI table: `n/a at f32`)",
     [](const RankStats& s) { return s.numerical_rank_f64 ? integer(*s.numerical_rank_f64) : ResultValue::null(); }},
    {"numerical_rank_f32", "int", "#{s_i > s_1 n 2^-23}", [](const RankStats& s) { return integer(s.numerical_rank_f32); }},
    {"effective_rank", "number", "exp of the entropy of s / sum s (Roy and Vetterli 2007)",
     [](const RankStats& s) { return number(s.effective_rank); }},
    {"stable_rank", "number", "‖A‖_F² / s_1²", [](const RankStats& s) { return number(s.stable_rank); }},
    {"energy_rank_99", "int", "least k holding 99% of sum s_i²", [](const RankStats& s) { return integer(s.energy_rank_99); }},
    {"sigma_max", "number", "s_1", [](const RankStats& s) { return number(s.sigma_max); }},
    {"sigma_min", "number",
     "s_n when s_n > `accuracy_floor`; otherwise the floor itself, an upper bound on the true s_n "
     "(the computed s_n is noise)",
     [](const RankStats& s) { return number(s.sigma_min); }},
    {"sigma_min_is_upper_bound", "bool",
     "true when the computed s_n <= `accuracy_floor` (then `sigma_min` = `accuracy_floor`; CLI table: "
     "`<= 2.4e-14`)",
     [](const RankStats& s) { return boolean(s.sigma_min_is_upper_bound); }},
    {"accuracy_floor", "number",
     "s_1 n eps, eps of the pipeline's precision (2^-52 for f64, 2^-23 for f32): below it a computed "
     "singular value is not resolved; 0 for the zero matrix",
     [](const RankStats& s) { return number(s.accuracy_floor); }},
    {"condition_number", "number", "s_1 / s_n, or s_1 / `accuracy_floor` when s_n is at or below the floor",
     [](const RankStats& s) { return number(s.condition_number); }},
    {"condition_number_is_lower_bound", "bool",
     "true when `condition_number` is only a lower bound (CLI table: `>= ...`)",
     [](const RankStats& s) { return boolean(s.condition_is_lower_bound); }},
    {"log_abs_det", "number or null", "log |det A|; null when `det_sign` is 0",
     [](const RankStats& s) { return s.log_det.sign == 0 ? ResultValue::null() : number(s.log_det.log_abs); }},
    {"det_sign", "int", "-1, 0 or +1", [](const RankStats& s) { return integer(s.log_det.sign); }},
    {"log_abs_det_is_reliable", "bool",
     "false when A is not triangular and numerically singular: its LU pivots are rounding noise, so "
     "`log_abs_det` and `det_sign` mean nothing",
     [](const RankStats& s) { return boolean(s.log_abs_det_is_reliable); }},
    {"structurally_full_rank", "bool", "triangular with a strictly positive diagonal",
     [](const RankStats& s) { return boolean(s.structurally_full_rank); }},
};

// ---- analyze() ----

struct AnalysisSource {
  const AnalysisConfig& config;
  const AnalysisResult& result;
};
bool is_linear(const AnalysisSource& s) { return s.config.kind == AttentionKind::kLinear; }
bool is_seeded(const AnalysisSource& s) { return !s.config.user_q; }

const Field<AnalysisSource> kAnalysisHeadFields[] = {
    {"pattern", "string", "the mask's pattern id (the pattern registry: wasm `patterns()`)",
     [](const AnalysisSource& s) { return text(pattern_name(s.config.mask.kind)); }},
    {"prefix", "int", "only for a pattern with a prefix parameter (`prefix`): p, default n / 2",
     [](const AnalysisSource& s) { return integer(s.config.mask.prefix); },
     [](const AnalysisSource& s) { return uses_prefix(s.config.mask.kind); }},
    {"window", "int", "only for a pattern with a window parameter (`window`, `forward_window`): w, default min(4, n)",
     [](const AnalysisSource& s) { return integer(s.config.mask.window); },
     [](const AnalysisSource& s) { return uses_window(s.config.mask.kind); }},
    {"kind", "string", "`softmax` or `linear`", [](const AnalysisSource& s) { return text(attention_kind_name(s.config.kind)); }},
    {"feature", "string", "only for `linear`: the feature map, `elu1`, `relu`, `exp` or `favor`",
     [](const AnalysisSource& s) { return text(feature_map_name(s.config.linear.feature)); }, is_linear},
    {"features", "int", "only for `favor`: m, the number of random features",
     [](const AnalysisSource& s) { return integer(s.config.linear.features); },
     [](const AnalysisSource& s) { return is_linear(s) && s.config.linear.feature == FeatureMap::kFavor; }},
    {"feature_dimension", "int", "rank bound of bidirectional linear attention: d, or m for favor; 0 for softmax",
     [](const AnalysisSource& s) { return integer(s.result.feature_dimension); }},
    {"n", "int", "tokens", [](const AnalysisSource& s) { return integer(s.result.n); }},
    {"d", "int", "head dimension", [](const AnalysisSource& s) { return integer(s.result.d); }},
    {"input", "string", "`seeded`, or `user` (Q, K loaded from files or given to the module)",
     [](const AnalysisSource& s) { return text(is_seeded(s) ? "seeded" : "user"); }},
    {"seed", "int", "only for seeded input: the seed of Q and K",
     [](const AnalysisSource& s) { return seed_value(s.config.inputs.seed); }, is_seeded},
    {"rope", "bool", "only for seeded input: rotary positions applied to Q and K",
     [](const AnalysisSource& s) { return boolean(s.config.inputs.rope); }, is_seeded},
    {"repeat", "int", "only for seeded input: r, token i copies token i mod r (0: every token distinct)",
     [](const AnalysisSource& s) { return integer(s.config.inputs.repeat_period); }, is_seeded},
    {"scale", "number", "logit scale s", [](const AnalysisSource& s) { return number(s.config.scale); }},
    {"precision", "string", "`f64` or `f32`: the precision of the whole pipeline, the SVD included",
     [](const AnalysisSource& s) { return text(precision_name(s.config.precision)); }},
};
const Field<AnalysisSource> kAnalysisTailFields[] = {
    {"logits_rank", "int", "numerical rank of S = s Q K^T / sqrt(d) (<= d)",
     [](const AnalysisSource& s) { return integer(s.result.logits_rank); }},
};

// ---- run_mixture() ----

struct MixtureSource {
  const MixtureConfig& config;
  const MixtureResult& result;
};

const Field<MixtureHead> kMixtureHeadFields[] = {
    {"head", "int", "0-based; the first H/2 heads are forward, the rest backward", [](const MixtureHead& h) { return integer(h.head); }},
    {"direction", "string", "`forward` or `backward`", [](const MixtureHead& h) { return text(h.is_forward ? "forward" : "backward"); }},
    {"is_triangular", "bool", "lower triangular (forward) or upper (backward)", [](const MixtureHead& h) { return boolean(h.is_triangular); }},
    {"min_diagonal", "number", "min_i A_ii (> 0 for every head)", [](const MixtureHead& h) { return number(h.min_diagonal); }},
    {"stats", "object", kStatsMeaning, [](const MixtureHead& h) { return rank_stats_result(h.stats); }},
};
const Field<RectangularStats> kOutputFields[] = {
    {"singular_values", "number[]", "descending, min(n, d_model) of them", [](const RectangularStats& o) { return numbers(o.singular_values); }},
    {"numerical_rank", "int", "#{s_i > s_1 max(n, d_model) 2^-52} (numpy's matrix_rank)", [](const RectangularStats& o) { return integer(o.numerical_rank); }},
    {"effective_rank", "number", "exp of the entropy of s / sum s", [](const RectangularStats& o) { return number(o.effective_rank); }},
    {"stable_rank", "number", "sum s_i² / s_1²", [](const RectangularStats& o) { return number(o.stable_rank); }},
};
const Field<MixtureResult> kProductFields[] = {
    {"min_entry", "number", "the least entry of A_bwd A_fwd", [](const MixtureResult& r) { return number(r.product_min_entry); }},
    {"is_strictly_positive", "bool", "every entry > 0", [](const MixtureResult& r) { return boolean(r.product_is_strictly_positive); }},
    {"stats", "object", kStatsMeaning, [](const MixtureResult& r) { return rank_stats_result(r.product); }},
};
const Field<MixtureResult> kSplitHeadFields[] = {
    {"min_entry", "number", "the least entry of the split head's matrix", [](const MixtureResult& r) { return number(r.split_head_min_entry); }},
    {"stats", "object", kStatsMeaning, [](const MixtureResult& r) { return rank_stats_result(r.split_head); }},
};
const Field<MixtureSource> kMixtureFields[] = {
    {"n", "int", "tokens", [](const MixtureSource& s) { return integer(s.result.n); }},
    {"d_model", "int", "model width", [](const MixtureSource& s) { return integer(s.result.d_model); }},
    {"heads", "int", "H (even)", [](const MixtureSource& s) { return integer(s.result.heads); }},
    {"d_head", "int", "d_model / H", [](const MixtureSource& s) { return integer(s.result.d_head); }},
    {"scale", "number", "logit scale s", [](const MixtureSource& s) { return number(s.config.scale); }},
    {"seed", "int", "the seed of the inputs and weights", [](const MixtureSource& s) { return seed_value(s.config.seed); }},
    {"per_head", "object[]", "one entry per head", [](const MixtureSource& s) { return list_of(kMixtureHeadFields, s.result.per_head); },
     nullptr, [] { return described(kMixtureHeadFields); }},
    {"output", "object", "the concatenated output (n, d_model)", [](const MixtureSource& s) { return object_of(kOutputFields, s.result.output); },
     nullptr, [] { return described(kOutputFields); }},
    {"product", "object", "the two-layer product A_bwd A_fwd (n, n)", [](const MixtureSource& s) { return object_of(kProductFields, s.result); },
     nullptr, [] { return described(kProductFields); }},
    {"split_head", "object", "one head holding both triangles (n, n)", [](const MixtureSource& s) { return object_of(kSplitHeadFields, s.result); },
     nullptr, [] { return described(kSplitHeadFields); }},
};

// ---- run_collapse() ----

struct CollapseSource {
  const CollapseConfig& config;
  const CollapseResult& result;
};

// The metrics of one layer (LayerMetrics): an array over l = 0..L in collapse(), a cell per row in the
// CSV's one row per layer.
struct LayerMetric {
  const char* key;
  const char* meaning;
  double LayerMetrics::*member;
};
const LayerMetric kLayerMetrics[] = {
    {"relative_residual", "||X_l - 1 mean(X_l)||_F / ||X_l||_F (docs/depth.md)", &LayerMetrics::relative_residual},
    {"composite_residual", "the l1,l_inf residual (Dong, Cordonnier and Loukas 2021)", &LayerMetrics::composite_residual},
    {"frobenius_norm", "||X_l||_F", &LayerMetrics::frobenius_norm},
    {"path_residual", "relative_residual of P_l = A_l ... A_1", &LayerMetrics::path_residual},
    {"path_distance_to_token0", "max_i ||P_l[i, :] - e_0^T||_1", &LayerMetrics::path_distance_to_token0},
    {"random_path_residual", "path_residual of a product of random attention matrices", &LayerMetrics::random_path_residual},
    {"random_path_distance_to_token0", "path_distance_to_token0 of the random product",
     &LayerMetrics::random_path_distance_to_token0},
};

std::vector<ResultField> layer_metric_fields(const char* type, const std::string& prefix) {
  std::vector<ResultField> out;
  for (const LayerMetric& metric : kLayerMetrics) out.push_back({metric.key, type, prefix + metric.meaning, {}});
  return out;
}

const Field<CollapseSource> kCollapseFields[] = {
    {"pattern", "string",
     "the depth schedule: a pattern id, a named schedule (`forward_backward`) or per-layer ids joined "
     "by `+`",
     [](const CollapseSource& s) { return text(s.config.pattern.id); }},
    {"variant", "string", "`pure`, or `skip`, `mlp`, `layernorm` joined by `+`",
     [](const CollapseSource& s) { return text(collapse_variant_name(s.config.variant)); }},
    {"n", "int", "tokens", [](const CollapseSource& s) { return integer(s.result.n); }},
    {"d_model", "int", "model width", [](const CollapseSource& s) { return integer(s.result.d_model); }},
    {"d_k", "int", "query/key width", [](const CollapseSource& s) { return integer(s.result.d_k); }},
    {"d_ff", "int", "MLP width", [](const CollapseSource& s) { return integer(s.result.d_ff); }},
    {"layers", "int", "L", [](const CollapseSource& s) { return integer(s.result.layers); }},
    {"prefix", "int", "p of prefix layers", [](const CollapseSource& s) { return integer(s.result.prefix); }},
    {"window", "int", "w of window layers", [](const CollapseSource& s) { return integer(s.result.window); }},
    {"scale", "number", "logit scale s", [](const CollapseSource& s) { return number(s.config.scale); }},
    {"seed", "int", "the seed of X_0 and the weights", [](const CollapseSource& s) { return seed_value(s.config.seed); }},
};
// After the per-layer arrays of kLayerMetrics.
const Field<CollapseSource> kCollapseTailFields[] = {
    {"path_first_column", "number[]", "(L + 1) x n, row-major: row l = P_l[:, 0], the weight of token 0 in each token",
     [](const CollapseSource& s) {
       const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = s.result.path_first_column;
       return ResultValue::numbers_value(std::vector<double>(rows.data(), rows.data() + rows.size()));
     }},
};

// One row of `collapse --csv`: the run's pattern and variant, layer l, its metrics.
struct LayerRowSource {
  const CollapseConfig& config;
  const LayerMetrics& metrics;
};
const Field<LayerRowSource> kLayerRowFields[] = {
    {"pattern", "string", "the run's depth schedule", [](const LayerRowSource& s) { return text(s.config.pattern.id); }},
    {"variant", "string", "the run's variant", [](const LayerRowSource& s) { return text(collapse_variant_name(s.config.variant)); }},
    {"layer", "int", "l = 0..L (0: the input X_0)", [](const LayerRowSource& s) { return integer(s.metrics.layer); }},
};

// ---- architecture_costs() ----

struct ArchitecturesSource {
  const ArchitectureConfig& config;
  const std::vector<ArchitectureCost>& costs;
};

const Field<ArchitectureCost> kArchitectureFields[] = {
    {"architecture", "string", "`gpt`, `unilm` or `t5`", [](const ArchitectureCost& a) { return text(architecture_name(a.kind)); }},
    {"parameters", "int", "every parameter", [](const ArchitectureCost& a) { return integer(a.parameters); }},
    {"embedding_parameters", "int", "the embedding's", [](const ArchitectureCost& a) { return integer(a.embedding_parameters); }},
    {"layer_parameters", "int", "everything but the embedding", [](const ArchitectureCost& a) { return integer(a.layer_parameters); }},
    {"flops", "number", "inference FLOPs of one request (exact integer below 2^53)", [](const ArchitectureCost& a) { return number(a.flops); }},
    {"attention_flops", "number", "the part over the context (scores and weighted values)", [](const ArchitectureCost& a) { return number(a.attention_flops); }},
    {"flops_per_token", "number", "flops / (n_in + n_out)", [](const ArchitectureCost& a) { return number(a.flops_per_token); }},
};
const Field<ArchitecturesSource> kArchitecturesFields[] = {
    {"d_model", "int", "model width", [](const ArchitecturesSource& s) { return integer(s.config.d_model); }},
    {"layers", "int", "L (T5: L encoder and L decoder layers)", [](const ArchitecturesSource& s) { return integer(s.config.layers); }},
    {"heads", "int", "H", [](const ArchitecturesSource& s) { return integer(s.config.heads); }},
    {"d_ff", "int", "MLP width", [](const ArchitecturesSource& s) { return integer(s.config.d_ff); }},
    {"vocab", "int", "V", [](const ArchitecturesSource& s) { return integer(s.config.vocab); }},
    {"n_in", "int", "input tokens", [](const ArchitecturesSource& s) { return integer(s.config.n_in); }},
    {"n_out", "int", "generated tokens", [](const ArchitecturesSource& s) { return integer(s.config.n_out); }},
    {"architectures", "object[]", "one entry per architecture", [](const ArchitecturesSource& s) { return list_of(kArchitectureFields, s.costs); },
     nullptr, [] { return described(kArchitectureFields); }},
};

// ---- run_permutation_test() ----

struct PermutationSource {
  const PermutationConfig& config;
  const PermutationResult& result;
};

const Field<PermutationSource> kPermutationFields[] = {
    {"pattern", "string", "the mask's pattern id", [](const PermutationSource& s) { return text(pattern_name(s.config.mask.kind)); }},
    {"prefix", "int", "only for a pattern with a prefix parameter: p",
     [](const PermutationSource& s) { return integer(s.config.mask.prefix); },
     [](const PermutationSource& s) { return uses_prefix(s.config.mask.kind); }},
    {"window", "int", "only for a pattern with a window parameter: w",
     [](const PermutationSource& s) { return integer(s.config.mask.window); },
     [](const PermutationSource& s) { return uses_window(s.config.mask.kind); }},
    {"n", "int", "tokens", [](const PermutationSource& s) { return integer(s.config.n); }},
    {"d_model", "int", "model width", [](const PermutationSource& s) { return integer(s.config.d_model); }},
    {"scale", "number", "logit scale s", [](const PermutationSource& s) { return number(s.config.scale); }},
    {"seed", "int", "the seed of X, the weights and P", [](const PermutationSource& s) { return seed_value(s.config.seed); }},
    {"permutation", "int[]", "(P X) row i = X row permutation[i] (Int32Array in wasm)",
     [](const PermutationSource& s) { return ResultValue::integers_value(s.result.permutation); }},
    {"max_deviation", "number", "max |f(P X) - P f(X)|", [](const PermutationSource& s) { return number(s.result.max_deviation); }},
    {"relative_deviation", "number", "max_deviation / max |f(X)| (0 when f(X) = 0)",
     [](const PermutationSource& s) { return number(s.result.relative_deviation); }},
    {"is_equivariant", "bool", "relative_deviation within rounding (kEquivarianceTolerance)",
     [](const PermutationSource& s) { return boolean(s.result.is_equivariant); }},
};

// ---- the CLI's several runs of collapse and permutation: the shared configuration once ----

struct CollapseRunsSource {
  const CollapseConfig& base;
  const CollapseResult& first;
  const ResultValue& runs;
};
const Field<CollapseRunsSource> kCollapseRunsFields[] = {
    {"n", "int", "tokens", [](const CollapseRunsSource& s) { return integer(s.first.n); }},
    {"d_model", "int", "model width", [](const CollapseRunsSource& s) { return integer(s.first.d_model); }},
    {"d_k", "int", "query/key width", [](const CollapseRunsSource& s) { return integer(s.first.d_k); }},
    {"d_ff", "int", "MLP width", [](const CollapseRunsSource& s) { return integer(s.first.d_ff); }},
    {"layers", "int", "L", [](const CollapseRunsSource& s) { return integer(s.first.layers); }},
    {"scale", "number", "logit scale s", [](const CollapseRunsSource& s) { return number(s.base.scale); }},
    {"seed", "int", "the seed of X_0 and the weights", [](const CollapseRunsSource& s) { return seed_value(s.base.seed); }},
    {"prefix", "int", "p of prefix layers", [](const CollapseRunsSource& s) { return integer(s.first.prefix); }},
    {"window", "int", "w of window layers", [](const CollapseRunsSource& s) { return integer(s.first.window); }},
    {"runs", "object[]", "per (pattern, variant): the collapse result", [](const CollapseRunsSource& s) { return s.runs; },
     nullptr, [] { return collapse_fields(); }},
};

struct PermutationRunsSource {
  const PermutationConfig& base;
  const std::vector<std::pair<PermutationConfig, PermutationResult>>& runs;
};
const Field<PermutationRunsSource> kPermutationRunsFields[] = {
    {"n", "int", "tokens", [](const PermutationRunsSource& s) { return integer(s.base.n); }},
    {"d_model", "int", "model width", [](const PermutationRunsSource& s) { return integer(s.base.d_model); }},
    {"scale", "number", "logit scale s", [](const PermutationRunsSource& s) { return number(s.base.scale); }},
    {"seed", "int", "the seed of X, the weights and P", [](const PermutationRunsSource& s) { return seed_value(s.base.seed); }},
    {"results", "object[]", "per pattern: the permutation result",
     [](const PermutationRunsSource& s) {
       ResultValue out = ResultValue::list();
       for (const auto& [config, result] : s.runs) out.push(permutation_result(config, result));
       return out;
     },
     nullptr, [] { return described(kPermutationFields); }},
};

}  // namespace

ResultValue rank_stats_result(const RankStats& stats) { return object_of(kRankStatsFields, stats); }

ResultValue analysis_result(const AnalysisConfig& config, const AnalysisResult& result) {
  const AnalysisSource source{config, result};
  ResultValue out = object_of(kAnalysisHeadFields, source);
  add_fields(out, kRankStatsFields, result.stats);
  add_fields(out, kAnalysisTailFields, source);
  return out;
}

ResultValue mixture_result(const MixtureConfig& config, const MixtureResult& result) {
  return object_of(kMixtureFields, MixtureSource{config, result});
}

ResultValue collapse_result(const CollapseConfig& config, const CollapseResult& result) {
  const CollapseSource source{config, result};
  ResultValue out = object_of(kCollapseFields, source);
  for (const LayerMetric& metric : kLayerMetrics) {
    std::vector<double> values;
    for (const LayerMetrics& m : result.per_layer) values.push_back(m.*metric.member);
    out.add(metric.key, ResultValue::numbers_value(std::move(values)));
  }
  add_fields(out, kCollapseTailFields, source);
  return out;
}

ResultValue collapse_layers_result(const CollapseConfig& config, const CollapseResult& result) {
  ResultValue rows = ResultValue::list();
  for (const LayerMetrics& m : result.per_layer) {
    ResultValue row = object_of(kLayerRowFields, LayerRowSource{config, m});
    for (const LayerMetric& metric : kLayerMetrics) row.add(metric.key, number(m.*metric.member));
    rows.push(std::move(row));
  }
  return rows;
}

ResultValue architectures_result(const ArchitectureConfig& config, const std::vector<ArchitectureCost>& costs) {
  return object_of(kArchitecturesFields, ArchitecturesSource{config, costs});
}

ResultValue permutation_result(const PermutationConfig& config, const PermutationResult& result) {
  return object_of(kPermutationFields, PermutationSource{config, result});
}

ResultValue collapse_runs_result(const CollapseConfig& base, const CollapseResult& first, const ResultValue& runs) {
  return object_of(kCollapseRunsFields, CollapseRunsSource{base, first, runs});
}

ResultValue permutation_runs_result(const PermutationConfig& base,
                                    const std::vector<std::pair<PermutationConfig, PermutationResult>>& runs) {
  return object_of(kPermutationRunsFields, PermutationRunsSource{base, runs});
}

namespace result_table {

std::vector<ResultField> analysis_fields() {
  std::vector<ResultField> out;
  describe(out, kAnalysisHeadFields);
  describe(out, kRankStatsFields);
  describe(out, kAnalysisTailFields);
  return out;
}
std::vector<ResultField> mixture_fields() { return described(kMixtureFields); }
std::vector<ResultField> collapse_fields() {
  std::vector<ResultField> out = described(kCollapseFields);
  for (ResultField& field : layer_metric_fields("number[]", "per layer l = 0..L: ")) out.push_back(std::move(field));
  describe(out, kCollapseTailFields);
  return out;
}
std::vector<ResultField> collapse_layer_fields() {
  std::vector<ResultField> out = described(kLayerRowFields);
  for (ResultField& field : layer_metric_fields("number", "at layer l: ")) out.push_back(std::move(field));
  return out;
}
std::vector<ResultField> architectures_fields() { return described(kArchitecturesFields); }
std::vector<ResultField> permutation_fields() { return described(kPermutationFields); }
std::vector<ResultField> collapse_runs_fields() { return described(kCollapseRunsFields); }
std::vector<ResultField> permutation_runs_fields() { return described(kPermutationRunsFields); }

}  // namespace result_table

}  // namespace attnrank
