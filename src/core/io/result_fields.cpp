// The field tables of the statistics of one matrix, analyze() and the CLI's sweep of it, and
// run_mixture() (result_fields.h). Each row is a key, its type, its one-line meaning and the value it reads
// (and, where it applies: that only wasm returns it, the flag that makes it a bound, a null's words in a
// table); the trees below and the descriptions that result_schemas.cpp turns into docs/result-schema.md
// walk the same rows. The experiments' tables (collapse, architectures, permutation) are in
// result_experiment_fields.cpp, the claims' and the pattern registry's in result_schemas.cpp,
// ResultValue's members in result_value.cpp.
#include <algorithm>

#include "result_table.h"

namespace attnrank {

namespace {

using namespace result_table;

// ---- the statistics of one n x n matrix (rank_stats.h) ----

// The spectrum, then the statistics (a lab checkpoint's heads carry the statistics alone).
const Field<RankStats> kSpectrumFields[] = {
    {"singular_values", "number[]",
     "s_1 >= ... >= s_n: the raw computed spectrum, values at or below `accuracy_floor` (rounding "
     "noise, not resolved) included",
     [](const RankStats& s) { return numbers(s.singular_values); }},
};
const Field<RankStats> kRankStatsFields[] = {
    {"numerical_rank_f64", "int or null",
     "#{s_i > s_1 n 2^-52}; null when `precision` is `f32`: an f32 spectrum's rounding noise (~ s_1 n "
     "2^-23) would count as rank (CLI table: `n/a at f32`)",
     [](const RankStats& s) { return s.numerical_rank_f64 ? integer(*s.numerical_rank_f64) : ResultValue::null(); },
     nullptr, nullptr, Shown{false, "", "n/a at f32"}},
    {"numerical_rank_f32", "int", "#{s_i > s_1 n 2^-23}", [](const RankStats& s) { return integer(s.numerical_rank_f32); }},
    {"effective_rank", "number", "exp of the entropy of s / sum s (Roy and Vetterli 2007)",
     [](const RankStats& s) { return number(s.effective_rank); }},
    {"stable_rank", "number", "‖A‖_F² / s_1²", [](const RankStats& s) { return number(s.stable_rank); }},
    {"energy_rank_99", "int", "least k holding 99% of sum s_i²", [](const RankStats& s) { return integer(s.energy_rank_99); }},
    {"sigma_max", "number", "s_1", [](const RankStats& s) { return number(s.sigma_max); }},
    {"sigma_min", "number",
     "s_n when s_n > `accuracy_floor`; otherwise the floor itself, an upper bound on the true s_n "
     "(the computed s_n is noise)",
     [](const RankStats& s) { return number(s.sigma_min); }, nullptr, nullptr, Shown{false, "upper", ""}},
    {"sigma_min_is_upper_bound", "bool",
     "true when the computed s_n <= `accuracy_floor` (then `sigma_min` = `accuracy_floor`; CLI table: "
     "`<= 2.4e-14`)",
     [](const RankStats& s) { return boolean(s.sigma_min_is_upper_bound); }},
    {"accuracy_floor", "number",
     "s_1 n eps, eps of the pipeline's precision (2^-52 for f64, 2^-23 for f32): below it a computed "
     "singular value is not resolved; 0 for the zero matrix",
     [](const RankStats& s) { return number(s.accuracy_floor); }},
    {"condition_number", "number", "s_1 / s_n, or s_1 / `accuracy_floor` when s_n is at or below the floor",
     [](const RankStats& s) { return number(s.condition_number); }, nullptr, nullptr, Shown{false, "lower", ""}},
    {"condition_number_is_lower_bound", "bool",
     "true when `condition_number` is only a lower bound (CLI table: `>= ...`)",
     [](const RankStats& s) { return boolean(s.condition_is_lower_bound); }},
    {"log_abs_det", "number or null", "log |det A|; null when `det_sign` is 0",
     [](const RankStats& s) { return s.log_det.sign == 0 ? ResultValue::null() : number(s.log_det.log_abs); }},
    {"det_sign", "int", "-1, 0 or +1", [](const RankStats& s) { return integer(s.log_det.sign); }},
    {"log_abs_det_is_reliable", "bool",
     "false when A is not triangular and numerically singular: the diagonal its determinant is taken from (the "
     "SVD's bidiagonal at f64, an LU's pivots at f32) is rounding noise, so `log_abs_det` and `det_sign` mean nothing",
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
    {"matrix", "number[]",
     "only when the config has `want_matrix: true`: A, n*n row-major (CLI: `--dump-matrix A.npy` writes it)",
     [](const AnalysisSource& s) { return matrix_view(*s.result.matrix); },
     [](const AnalysisSource& s) { return s.result.matrix.has_value(); }, nullptr, kWasmOnly},
    {"mask", "uint8[]", "only when the config has `want_matrix: true`: A's mask, n*n row-major, 1 = allowed",
     [](const AnalysisSource& s) { return mask_view(*s.result.mask); },
     [](const AnalysisSource& s) { return s.result.mask.has_value(); }, nullptr, kWasmOnly},
};

// ---- the CLI's sweep of analyze() ----

struct SweepSource {
  const std::string& over;
  const std::vector<std::string>& values;
  const std::vector<std::pair<AnalysisConfig, AnalysisResult>>& rows;
};
const Field<SweepSource> kSweepFields[] = {
    {"over", "string", "the axis: `n`, `d` or `scale`", [](const SweepSource& s) { return text(s.over); }},
    {"values", "string[]", "its values, as given",
     [](const SweepSource& s) {
       ResultValue out = ResultValue::list();
       for (const std::string& value : s.values) out.push(text(value));
       return out;
     }},
    {"results", "object[]", "per value, per pattern (values outer): the analysis",
     [](const SweepSource& s) {
       ResultValue out = ResultValue::list();
       for (const auto& row : s.rows) out.push(analysis_result(row.first, row.second));
       return out;
     },
     nullptr,
     [] {  // the CLI prints no wasm-only key
       std::vector<ResultField> out = analysis_fields();
       out.erase(std::remove_if(out.begin(), out.end(), [](const ResultField& f) { return f.wasm_only; }), out.end());
       return out;
     }},
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
// Each matrix of the mixture (n, n), row-major.
ResultValue matrices_view(const std::vector<MatrixXd>& matrices) {
  ResultValue out = ResultValue::list();
  for (const MatrixXd& m : matrices) out.push(matrix_view(m));
  return out;
}
// Each head's mask (n, n), row-major, 1 = allowed.
ResultValue masks_view(const std::vector<Mask>& masks) {
  ResultValue out = ResultValue::list();
  for (const Mask& m : masks) out.push(mask_view(m));
  return out;
}
bool wants_matrices(const MixtureSource& s) { return s.config.want_matrices; }

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
    {"head_matrices", "number[][]", "only when the config has `want_matrices: true`: each head's A, n*n row-major",
     [](const MixtureSource& s) { return matrices_view(s.result.head_matrices); }, wants_matrices, nullptr, kWasmOnly},
    {"head_masks", "uint8[][]", "only when the config has `want_matrices: true`: each head's mask, n*n row-major, 1 = allowed",
     [](const MixtureSource& s) { return masks_view(s.result.head_masks); }, wants_matrices, nullptr, kWasmOnly},
    {"product_matrix", "number[]", "only when the config has `want_matrices: true`: A_bwd A_fwd, n*n row-major",
     [](const MixtureSource& s) { return matrix_view(s.result.product_matrix); }, wants_matrices, nullptr, kWasmOnly},
    {"split_head_matrix", "number[]", "only when the config has `want_matrices: true`: the split head's matrix, n*n row-major",
     [](const MixtureSource& s) { return matrix_view(s.result.split_head_matrix); }, wants_matrices, nullptr, kWasmOnly},
};

}  // namespace

ResultValue rank_stats_result(const RankStats& stats) {
  ResultValue out = object_of(kSpectrumFields, stats);
  add_fields(out, kRankStatsFields, stats);
  return out;
}

ResultValue analysis_result(const AnalysisConfig& config, const AnalysisResult& result, ResultTarget target) {
  const AnalysisSource source{config, result};
  ResultValue out = object_of(kAnalysisHeadFields, source);
  add_fields(out, kSpectrumFields, result.stats);
  add_fields(out, kRankStatsFields, result.stats);
  add_fields(out, kAnalysisTailFields, source, target);
  return out;
}

ResultValue sweep_result(const std::string& over, const std::vector<std::string>& values,
                         const std::vector<std::pair<AnalysisConfig, AnalysisResult>>& rows) {
  return object_of(kSweepFields, SweepSource{over, values, rows});
}

ResultValue mixture_result(const MixtureConfig& config, const MixtureResult& result, ResultTarget target) {
  return object_of(kMixtureFields, MixtureSource{config, result}, target);
}

namespace result_table {

std::vector<ResultField> analysis_fields() {
  std::vector<ResultField> out;
  describe(out, kAnalysisHeadFields);
  describe(out, kSpectrumFields);
  describe(out, kRankStatsFields);
  describe(out, kAnalysisTailFields);
  return out;
}
void add_rank_statistics(ResultValue& out, const RankStats& stats) { add_fields(out, kRankStatsFields, stats); }
std::vector<ResultField> rank_statistics_fields() { return described(kRankStatsFields); }
std::vector<ResultField> sweep_fields() { return described(kSweepFields); }
std::vector<ResultField> mixture_fields() { return described(kMixtureFields); }

}  // namespace result_table

}  // namespace attnrank
