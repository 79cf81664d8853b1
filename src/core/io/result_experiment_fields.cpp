// The field tables of the experiments (result_fields.h): run_collapse() (and its CSV's rows per layer),
// architecture_costs(), run_permutation_test(), and the CLI's several runs of collapse and permutation.
// Each row is a key, its type, its one-line meaning and the value it reads; the trees below and the
// descriptions that result_schemas.cpp turns into docs/result-schema.md walk the same rows.
#include "result_table.h"

namespace attnrank {

namespace {

using namespace result_table;

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
  for (const LayerMetric& metric : kLayerMetrics) out.push_back({metric.key, type, prefix + metric.meaning, {}, false, "", ""});
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
  const ArchitectureMasks* masks;  // nullptr: not asked for
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
// Who may attend to whom (architecture_masks()), each row-major, 1 = allowed.
const Field<ArchitectureMasks> kArchitectureMaskFields[] = {
    {"decoder_only", "uint8[]", "GPT's forward mask, N*N (N = n_in + n_out)", [](const ArchitectureMasks& m) { return mask_view(m.decoder_only); }},
    {"prefix_lm", "uint8[]", "UniLM's prefix mask, N*N (p = n_in)", [](const ArchitectureMasks& m) { return mask_view(m.prefix_lm); }},
    {"encoder_self", "uint8[]", "T5's encoder self-attention, n_in*n_in", [](const ArchitectureMasks& m) { return mask_view(m.encoder_self); }},
    {"decoder_self", "uint8[]", "T5's decoder self-attention, n_out*n_out", [](const ArchitectureMasks& m) { return mask_view(m.decoder_self); }},
    {"cross", "uint8[]", "T5's cross-attention, n_out*n_in", [](const ArchitectureMasks& m) { return mask_view(m.cross); }},
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
    {"masks", "object", "only when the config has `want_masks: true`: each architecture's attention masks",
     [](const ArchitecturesSource& s) { return object_of(kArchitectureMaskFields, *s.masks); },
     [](const ArchitecturesSource& s) { return s.masks != nullptr; }, [] { return described(kArchitectureMaskFields); },
     kWasmOnly},
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

ResultValue architectures_result(const ArchitectureConfig& config, const std::vector<ArchitectureCost>& costs,
                                 ResultTarget target, const ArchitectureMasks* masks) {
  return object_of(kArchitecturesFields, ArchitecturesSource{config, costs, masks}, target);
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