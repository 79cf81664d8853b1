// Live verdicts on the claims (see claims.h for the checks and thresholds). Every number comes from the
// existing core: analyze() for the softmax and linear matrices, run_mixture, run_permutation_test and
// architecture_costs; this file only chooses the configurations and compares.
#include "attnrank/claims/claims.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "attnrank/base/errors.h"
#include "attnrank/base/memory_estimate.h"
#include "attnrank/base/param_ranges.h"
#include "attnrank/experiments/architecture.h"
#include "attnrank/experiments/mixture.h"
#include "attnrank/experiments/permutation.h"
#include "claims/claims_context.h"

namespace attnrank {

namespace {

// C10's mixture and C16's permutation tests for a request of n tokens and head size d: built alike by
// the verdicts and by the memory estimate.
MixtureConfig c10_mixture(const AnalysisConfig& base, int n, int d) {
  MixtureConfig config;
  config.n = n;
  const int d_head = std::max(d, 2);  // the split head halves d_head
  config.d_head = d_head;
  config.d_model = kClaimsMixtureHeads * d_head;
  config.heads = kClaimsMixtureHeads;
  config.scale = base.scale;
  config.seed = base.inputs.seed;
  config.memory_budget_mib = base.memory_budget_mib;
  config.want_head_statistics = false;  // the verdict reads the structure and the product only
  return config;
}

PermutationConfig c16_permutation(const AnalysisConfig& base, int n, int d, PatternKind pattern) {
  PermutationConfig config;
  config.n = n;
  config.d_model = d;
  config.scale = base.scale;
  config.seed = base.inputs.seed;
  config.memory_budget_mib = base.memory_budget_mib;
  config.mask.kind = pattern;
  return config;
}

// ---- One function per claim with something to compute.

ClaimVerdict verdict_c1(const ClaimsContext& c) {
  ClaimVerdict v;
  const int logits_rank = c.bidirectional_softmax.logits_rank;
  v.add_part("logits_rank_at_most_d", "rank of s Q K^T / sqrt(d) <= d", "s Q K^T / sqrt(d) 的秩 <= d",
             logits_rank <= c.d);
  v.add_integer("logits_rank", "numerical rank of the logits", "logits 的数值秩", logits_rank);
  v.add_integer("d", "head dimension d", "头维度 d", c.d);
  v.add_integer("n", "tokens n", "token 数 n", c.n);
  return v;
}

ClaimVerdict verdict_c2(const ClaimsContext& c) {
  ClaimVerdict v;
  v.add_part("n_much_larger_than_d_here", "n >= 4 d for these parameters", "当前参数下 n >= 4 d",
             static_cast<long long>(c.n) >= static_cast<long long>(kMuchLargerRatio) * c.d);
  const bool is_bert_head = kBertBaseHead.hidden / kBertBaseHead.heads == kBertBaseHead.d &&
                            kBertBaseHead.n >= kMuchLargerRatio * kBertBaseHead.d;
  v.add_part("bert_base_preset", "BERT-base head: d = 768 / 12 = 64, n = 512 >= 4 d",
             "BERT-base 的头：d = 768 / 12 = 64，n = 512 >= 4 d", is_bert_head);
  v.add_number("n_over_d", "n / d", "n / d", static_cast<double>(c.n) / c.d);
  v.add_integer("ratio_threshold", "threshold on n / d", "n / d 的阈值", kMuchLargerRatio);
  v.add_integer("preset_n", "BERT-base n", "BERT-base 的 n", kBertBaseHead.n);
  v.add_integer("preset_d", "BERT-base d", "BERT-base 的 d", kBertBaseHead.d);
  return v;
}

ClaimVerdict verdict_c3(const ClaimsContext& c) {
  ClaimVerdict v;
  const RankStats& s = c.bidirectional_softmax.stats;
  const int rank = numerical_rank_at(s, c.base.precision);
  v.add_part("numerically_rank_deficient", "numerical rank < n", "数值秩 < n", rank < c.n);
  v.add_part("effective_rank_below_half_n", "effective rank < n / 2", "有效秩 < n / 2",
             s.effective_rank < kLowEffectiveRankFraction * c.n);
  v.add_integer("n", "tokens n", "token 数 n", c.n);
  v.add_integer("numerical_rank", "numerical rank", "数值秩", rank);
  v.add_number("effective_rank", "effective rank", "有效秩", s.effective_rank);
  v.add_number("stable_rank", "stable rank", "稳定秩", s.stable_rank);
  v.add_integer("logits_rank", "numerical rank of the logits", "logits 的数值秩", c.bidirectional_softmax.logits_rank);
  return v;
}

// sigma_min is the accuracy floor when flagged (rank_stats.h): the flag says it is an upper bound.
void add_condition_facts(ClaimVerdict& v, const RankStats& s) {
  v.add_number("sigma_min", "smallest singular value", "最小奇异值", s.sigma_min);
  v.add_boolean("sigma_min_is_upper_bound", "smallest singular value is only an upper bound (at the accuracy floor)",
                "最小奇异值仅为上界（处于精度下限）", s.sigma_min_is_upper_bound);
  v.add_number("condition_number", "condition number", "条件数", s.condition_number);
  v.add_boolean("condition_number_is_lower_bound", "condition number is a lower bound", "条件数仅为下界",
                s.condition_is_lower_bound);
}

ClaimVerdict verdict_c4(const ClaimsContext& c) {
  ClaimVerdict v;
  const RankStats& s = c.causal_softmax.stats;
  const int rank = numerical_rank_at(s, c.base.precision);
  v.add_part("structurally_full_rank", "triangular with a positive diagonal (det > 0 as algebra)",
             "对角线为正的下三角阵（代数上 det > 0）", s.structurally_full_rank);
  v.add_part("numerically_full_rank", "numerical rank = n in floating point", "浮点下数值秩 = n", rank == c.n);
  v.add_integer("n", "tokens n", "token 数 n", c.n);
  v.add_integer("det_sign", "sign of det", "行列式符号", s.log_det.sign);
  if (s.log_det.sign != 0) {
    v.add_number("log_abs_det", "log |det| = sum log A_ii", "log |det| = sum log A_ii", s.log_det.log_abs);
  }
  // Never at f32: an f32 spectrum does not resolve the f64 tolerance (RankStats leaves it empty).
  if (s.numerical_rank_f64) {
    v.add_integer("numerical_rank_f64", "numerical rank (f64 tolerance)", "数值秩（f64 容差）", *s.numerical_rank_f64);
  }
  v.add_integer("numerical_rank_f32", "numerical rank (f32 tolerance)", "数值秩（f32 容差）", s.numerical_rank_f32);
  add_condition_facts(v, s);
  return v;
}

ClaimVerdict verdict_c5(const ClaimsContext& c) {
  ClaimVerdict v;  // conjecture: facts only, where the rank notions disagree
  const RankStats& causal = c.causal_softmax.stats;
  const RankStats& bidirectional = c.bidirectional_softmax.stats;
  v.add_integer("n", "tokens n", "token 数 n", c.n);
  v.add_boolean("causal_structurally_full_rank", "causal: triangular with a positive diagonal",
                "因果：对角线为正的三角阵", causal.structurally_full_rank);
  v.add_integer("causal_numerical_rank", "causal: numerical rank", "因果：数值秩",
                numerical_rank_at(causal, c.base.precision));
  v.add_number("causal_effective_rank", "causal: effective rank", "因果：有效秩", causal.effective_rank);
  v.add_integer("bidirectional_numerical_rank", "bidirectional: numerical rank", "双向：数值秩",
                numerical_rank_at(bidirectional, c.base.precision));
  v.add_number("bidirectional_effective_rank", "bidirectional: effective rank", "双向：有效秩",
               bidirectional.effective_rank);
  return v;
}

void add_negative_scale_fact(ClaimVerdict& v, double scale) {
  v.add_number("scale", "logit scale s", "logit 缩放 s", scale);
  v.add_text("not_applicable", "linear attention needs s >= 0", "线性注意力要求 s >= 0", "scale < 0");
}

ClaimVerdict verdict_c6(const ClaimsContext& c) {
  ClaimVerdict v;
  if (!c.has_linear) {
    add_negative_scale_fact(v, c.base.scale);
    return v;
  }
  const AnalysisResult& elu1 = *c.bidirectional_elu1.result;  // elu1 > 0: never a zero row sum
  const int elu1_rank = numerical_rank_at(elu1.stats, c.base.precision);
  v.add_part("elu1_rank_at_most_d", "elu+1 features: numerical rank <= d", "elu+1 特征：数值秩 <= d",
             elu1_rank <= elu1.feature_dimension);
  v.add_integer("d", "head dimension d", "头维度 d", c.d);
  v.add_integer("elu1_numerical_rank", "elu+1: numerical rank", "elu+1：数值秩", elu1_rank);
  if (c.is_configured_elu1) return v;
  v.add_text("feature", "configured feature map", "所选特征映射", feature_map_name(c.base.linear.feature));
  if (!c.bidirectional_configured.result) {
    v.add_text("configured_undefined", "configured map: attention undefined", "所选映射：注意力无定义",
               c.bidirectional_configured.failure);
    return v;
  }
  const AnalysisResult& configured = *c.bidirectional_configured.result;
  const int rank = numerical_rank_at(configured.stats, c.base.precision);
  v.add_part("configured_rank_at_most_f", "configured map: numerical rank <= feature dimension f",
             "所选映射：数值秩 <= 特征维数 f", rank <= configured.feature_dimension);
  v.add_integer("feature_dimension", "feature dimension f (d, or m for favor)", "特征维数 f（d，favor 为 m）",
                configured.feature_dimension);
  v.add_integer("configured_numerical_rank", "configured map: numerical rank", "所选映射：数值秩", rank);
  return v;
}

void add_causal_linear(ClaimVerdict& v, const LinearRun& run, const char* part_key, const char* part_en,
                       const char* part_zh, const char* diagonal_key, const char* undefined_key) {
  if (!run.result) {
    v.add_part(part_key, part_en, part_zh, false);
    v.add_text(undefined_key, "attention undefined (a row sums to 0)", "注意力无定义（某行之和为 0）", run.failure);
    return;
  }
  v.add_part(part_key, part_en, part_zh, run.result->stats.structurally_full_rank);
  v.add_number(diagonal_key, "smallest diagonal entry A_ii", "最小对角元 A_ii", run.min_diagonal);
}

ClaimVerdict verdict_c7(const ClaimsContext& c) {
  ClaimVerdict v;
  if (!c.has_linear) {
    add_negative_scale_fact(v, c.base.scale);
    return v;
  }
  add_causal_linear(v, c.causal_elu1, "elu1_triangular_positive_diagonal",
                    "elu+1 features: triangular with a positive diagonal", "elu+1 特征：对角线为正的三角阵",
                    "elu1_min_diagonal", "elu1_undefined");
  if (c.causal_elu1.result) {
    v.add_integer("elu1_numerical_rank", "elu+1: numerical rank", "elu+1：数值秩",
                  numerical_rank_at(c.causal_elu1.result->stats, c.base.precision));
  }
  if (c.is_configured_elu1) return v;
  v.add_text("feature", "configured feature map", "所选特征映射", feature_map_name(c.base.linear.feature));
  add_causal_linear(v, c.causal_configured, "configured_triangular_positive_diagonal",
                    "configured map: triangular with a positive diagonal", "所选映射：对角线为正的三角阵",
                    "configured_min_diagonal", "configured_undefined");
  return v;
}

ClaimVerdict verdict_c8(const ClaimsContext& c) {
  ClaimVerdict v;
  const RankStats& s = c.bidirectional_softmax.stats;
  const int rank = numerical_rank_at(s, c.base.precision);
  const int logits_rank = c.bidirectional_softmax.logits_rank;
  v.add_part("softmax_raises_numerical_rank", "numerical rank of softmax(s Q K^T / sqrt(d)) > logits rank",
             "softmax(s Q K^T / sqrt(d)) 的数值秩 > logits 的秩", rank > logits_rank);
  v.add_integer("logits_rank", "numerical rank of the logits", "logits 的数值秩", logits_rank);
  v.add_integer("softmax_numerical_rank", "softmax: numerical rank", "softmax：数值秩", rank);
  v.add_number("softmax_effective_rank", "softmax: effective rank", "softmax：有效秩", s.effective_rank);
  v.add_boolean("softmax_full_rank", "softmax: numerical rank = n", "softmax：数值秩 = n", rank == c.n);
  return v;
}

ClaimVerdict verdict_c10(const ClaimsContext& c) {
  ClaimVerdict v;
  const MixtureResult r = run_mixture(c10_mixture(c.base, c.n, c.d));
  bool every_head_full_rank = true;
  double min_head_diagonal = 1.0;
  for (const MixtureHead& head : r.per_head) {
    every_head_full_rank = every_head_full_rank && head.is_triangular && head.min_diagonal > 0;
    min_head_diagonal = std::min(min_head_diagonal, head.min_diagonal);
  }
  v.add_part("heads_triangular_positive_diagonal", "every head triangular with a positive diagonal",
             "每个头都是对角线为正的三角阵", every_head_full_rank);
  v.add_part("product_strictly_positive", "A_bwd A_fwd has every entry > 0 (every token reaches every token)",
             "A_bwd A_fwd 每个元素 > 0（任意 token 可达任意 token）", r.product_is_strictly_positive);
  v.add_integer("heads", "heads (forward, backward)", "头数（正向、反向）", r.heads);
  v.add_integer("d_head", "head dimension", "头维度", r.d_head);
  v.add_number("min_head_diagonal", "smallest diagonal entry over the heads", "各头最小对角元", min_head_diagonal);
  v.add_number("product_min_entry", "smallest entry of A_bwd A_fwd", "A_bwd A_fwd 的最小元素", r.product_min_entry);
  v.add_integer("product_numerical_rank", "A_bwd A_fwd: numerical rank", "A_bwd A_fwd：数值秩",
                r.product.numerical_rank_f64.value());  // run_mixture works in f64
  return v;
}

std::vector<ArchitectureCost> default_architecture_costs() { return architecture_costs(ArchitectureConfig{}); }

void add_architecture_setting(ClaimVerdict& v) {
  const ArchitectureConfig a;
  v.add_integer("d_model", "width d_model", "宽度 d_model", a.d_model);
  v.add_integer("layers", "layers L", "层数 L", a.layers);
}

ClaimVerdict verdict_c13(const ClaimsContext&) {
  ClaimVerdict v;  // conjecture: parameter counts at equal width and depth
  const std::vector<ArchitectureCost> costs = default_architecture_costs();
  add_architecture_setting(v);
  v.add_integer("gpt_parameters", "GPT parameters", "GPT 参数量", costs[0].parameters);
  v.add_integer("unilm_parameters", "UniLM parameters", "UniLM 参数量", costs[1].parameters);
  v.add_integer("t5_parameters", "T5 parameters", "T5 参数量", costs[2].parameters);
  v.add_number("t5_over_gpt_layer_parameters", "T5 / GPT, parameters outside the embedding",
               "T5 / GPT，嵌入层以外的参数", static_cast<double>(costs[2].layer_parameters) / costs[0].layer_parameters);
  return v;
}

ClaimVerdict verdict_c14(const ClaimsContext& c) { return claim_c14_verdict(claim_c14_architecture(c.n)); }

ClaimVerdict verdict_c16(const ClaimsContext& c) {
  ClaimVerdict v;
  const PermutationResult bidirectional = run_permutation_test(c16_permutation(c.base, c.n, c.d, PatternKind::kBidirectional));
  const PermutationResult causal = run_permutation_test(c16_permutation(c.base, c.n, c.d, PatternKind::kForward));
  v.add_part("bidirectional_equivariant", "bidirectional layer: f(P X) = P f(X) (cannot see order)",
             "双向层：f(P X) = P f(X)（看不到顺序）", bidirectional.is_equivariant);
  v.add_part("causal_sees_order", "causal layer: f(P X) != P f(X) (sees order)", "因果层：f(P X) != P f(X)（能看到顺序）",
             !causal.is_equivariant);
  v.add_number("bidirectional_relative_deviation", "bidirectional: max |f(P X) - P f(X)| / max |f(X)|",
               "双向：max |f(P X) - P f(X)| / max |f(X)|", bidirectional.relative_deviation);
  v.add_number("causal_relative_deviation", "causal: max |f(P X) - P f(X)| / max |f(X)|",
               "因果：max |f(P X) - P f(X)| / max |f(X)|", causal.relative_deviation);
  v.add_number("tolerance", "equivariance tolerance", "置换等变容差", kEquivarianceTolerance);
  return v;
}

ClaimVerdict verdict_c17(const ClaimsContext& c) {
  ClaimVerdict v;
  const RankStats& s = c.causal_softmax.stats;
  const int rank = numerical_rank_at(s, c.base.precision);
  const double naive_f64 = c.naive_det_f64;
  v.add_part("det_positive_iff_positive_diagonal", "algebra: det > 0 exactly when the diagonal is positive",
             "代数：det > 0 当且仅当对角线为正", (s.log_det.sign > 0) == s.structurally_full_rank);
  v.add_part("naive_det_representable", "the double product of A_ii does not underflow to 0",
             "A_ii 的 double 连乘不下溢为 0", naive_f64 != 0.0);
  v.add_part("det_agrees_with_numerical_rank", "det != 0 agrees with numerical rank = n",
             "det != 0 与数值秩 = n 一致", (s.log_det.sign != 0) == (rank == c.n));
  if (s.log_det.sign != 0) {
    v.add_number("log10_abs_det", "log10 |det|", "log10 |det|", s.log_det.log_abs / std::log(10.0));
  }
  v.add_number("naive_det_f64", "product of A_ii in double", "A_ii 的 double 连乘", naive_f64);
  v.add_number("naive_det_f32", "product of A_ii in float", "A_ii 的 float 连乘", c.naive_det_f32);
  v.add_integer("numerical_rank", "numerical rank", "数值秩", rank);
  add_condition_facts(v, s);
  return v;
}

}  // namespace

ArchitectureConfig claim_c14_architecture(int n) {
  ArchitectureConfig architecture;
  architecture.n_in = n;
  return architecture;
}

ClaimVerdict claim_c14_verdict(const ArchitectureConfig& architecture) {
  ClaimVerdict v;
  const std::vector<ArchitectureCost> costs = architecture_costs(architecture);
  double most = 0.0;
  double least = costs[0].flops_per_token;
  for (const ArchitectureCost& cost : costs) {
    most = std::max(most, cost.flops_per_token);
    least = std::min(least, cost.flops_per_token);
  }
  const double ratio = most / least;
  v.add_part("flops_per_token_within_25_percent", "most / least FLOPs per token <= 1.25",
             "每 token FLOPs 最大 / 最小 <= 1.25", ratio <= kComparableCostRatio);
  v.add_integer("n_in", "input tokens n_in (= n)", "输入 token 数 n_in（= n）", architecture.n_in);
  v.add_integer("n_out", "output tokens n_out", "输出 token 数 n_out", architecture.n_out);
  v.add_integer("d_model", "width d_model", "宽度 d_model", architecture.d_model);
  v.add_integer("layers", "layers L", "层数 L", architecture.layers);
  v.add_integer("d_ff", "FFN width d_ff", "FFN 宽度 d_ff", architecture.d_ff);
  v.add_integer("vocab", "vocabulary V", "词表大小 V", architecture.vocab);
  v.add_number("gpt_flops_per_token", "GPT FLOPs per token", "GPT 每 token FLOPs", costs[0].flops_per_token);
  v.add_number("unilm_flops_per_token", "UniLM FLOPs per token", "UniLM 每 token FLOPs", costs[1].flops_per_token);
  v.add_number("t5_flops_per_token", "T5 FLOPs per token", "T5 每 token FLOPs", costs[2].flops_per_token);
  v.add_number("max_over_min_flops_per_token", "most / least FLOPs per token", "每 token FLOPs 最大 / 最小", ratio);
  return v;
}

void validate_claims_config(const AnalysisConfig& config) {
  validate(config);
  if (config.linear.feature == FeatureMap::kFavor) {
    require_in_range(kFeaturesRange.name, config.linear.features, kFeaturesRange.min, kFeaturesRange.max);
  }
}

// The runs of one claims request, one after another (claims_context.cpp, C10, C16): the largest of their
// own estimates, on top of what the request holds while they run.
std::int64_t estimate_claims_bytes(const AnalysisConfig& config) {
  const double n = config.user_q ? static_cast<double>(config.user_q->rows()) : config.inputs.n;
  const double d = config.user_q ? static_cast<double>(config.user_q->cols()) : config.inputs.d;
  const double inputs = n * d * kDoubleBytes;
  // Held: the context's Q and K, and the kept results (singular values and the statistics' vectors, a few
  // n-vectors each, six results). While Q, K, V are drawn: those three and the context's copies.
  const double held = 2.0 * inputs + 6.0 * 4.0 * n * kDoubleBytes;
  const double drawing = config.user_q ? 0.0 : 3.0 * inputs;
  // Every analysis run reads the context's Q, K as loaded inputs: a seeded config's estimate counts 3 n d
  // for them, a loaded one 4 n d (its copies), so a seeded request adds one n d per run.
  const std::int64_t loaded_extra = config.user_q ? 0 : to_estimate_bytes(inputs);
  std::int64_t runs = 0;
  const auto run = [&](PatternKind pattern, AttentionKind kind, FeatureMap feature, bool want_matrix) {
    AnalysisConfig variant = config;
    variant.mask = MaskSpec{};
    variant.mask.kind = pattern;
    variant.kind = kind;
    variant.linear.feature = feature;
    variant.want_matrix = want_matrix;
    runs = std::max(runs, estimate_analysis_bytes(variant) + loaded_extra);
  };
  run(PatternKind::kBidirectional, AttentionKind::kSoftmax, FeatureMap::kElu1, false);
  run(PatternKind::kForward, AttentionKind::kSoftmax, FeatureMap::kElu1, true);
  if (config.scale >= 0) {
    for (FeatureMap feature : {FeatureMap::kElu1, config.linear.feature}) {
      run(PatternKind::kBidirectional, AttentionKind::kLinear, feature, false);
      run(PatternKind::kForward, AttentionKind::kLinear, feature, true);
    }
  }
  const int n_tokens = static_cast<int>(n);
  const int d_head = static_cast<int>(d);
  runs = std::max({runs, estimate_mixture_bytes(c10_mixture(config, n_tokens, d_head)),
                   estimate_permutation_bytes(c16_permutation(config, n_tokens, d_head, PatternKind::kBidirectional)),
                   estimate_permutation_bytes(c16_permutation(config, n_tokens, d_head, PatternKind::kForward))});
  return to_estimate_bytes(held) + std::max(to_estimate_bytes(drawing), runs);
}

std::vector<ClaimResult> evaluate_claims(const AnalysisConfig& config) {
  validate_claims_config(config);
  {
    const int n = config.user_q ? static_cast<int>(config.user_q->rows()) : config.inputs.n;
    const int d = config.user_q ? static_cast<int>(config.user_q->cols()) : config.inputs.d;
    require_within_budget(message("claims n=", n, ", d=", d), estimate_claims_bytes(config), config.memory_budget_mib,
                          "lower n");  // before anything of the request is drawn
  }
  const ClaimsContext context = build_context(config);
  const std::map<std::string, std::function<ClaimVerdict(const ClaimsContext&)>> verdicts{
      {"C1", verdict_c1},   {"C2", verdict_c2},   {"C3", verdict_c3},   {"C4", verdict_c4},
      {"C5", verdict_c5},   {"C6", verdict_c6},   {"C7", verdict_c7},   {"C8", verdict_c8},
      {"C10", verdict_c10}, {"C13", verdict_c13}, {"C14", verdict_c14}, {"C16", verdict_c16},
      {"C17", verdict_c17}};
  std::vector<ClaimResult> results;
  for (const ClaimEntry& entry : claim_catalogue()) {
    ClaimResult result;
    result.entry = &entry;
    const auto found = verdicts.find(entry.id);
    if (found != verdicts.end()) result.verdict = found->second(context);
    // Anecdotes and conjectures get no verdict even when they carry facts.
    const bool is_checkable = entry.tag == ClaimTag::kExact || entry.tag == ClaimTag::kNumerical;
    if (is_checkable) {
      result.verdict.settle_status();
    } else {
      result.verdict.parts.clear();
      result.verdict.status = VerdictStatus::kNoVerdict;
    }
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace attnrank
