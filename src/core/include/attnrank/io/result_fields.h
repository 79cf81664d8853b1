// The keys and values of every result, defined once (docs/result-schema.md): a small tree of named,
// typed values per request (analysis, mixture, collapse, architectures, permutation, claims). The CLI's
// JSON, CSV and table writers and the wasm binding both walk these trees, so `attnrank <command> --json`
// and the module's result for the same request have the same keys and values. Not here: any formatting
// (digits, JSON text, typed arrays), and the wasm-only extras a request asks for (matrices, masks).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "attnrank/claims/claims.h"
#include "attnrank/experiments/analysis.h"
#include "attnrank/experiments/architecture.h"
#include "attnrank/experiments/collapse.h"
#include "attnrank/experiments/mixture.h"
#include "attnrank/experiments/permutation.h"

namespace attnrank {

struct ResultValue {
  // kNumbers is a Float64Array in wasm and a JSON array in the CLI; kIntegers an Int32Array / array.
  enum class Type { kNull, kInteger, kNumber, kBoolean, kText, kNumbers, kIntegers, kObject, kList };
  Type type = Type::kNull;
  long long integer = 0;
  double number = 0.0;
  bool boolean = false;
  std::string text;
  std::vector<double> numbers;
  std::vector<int> integers;
  std::vector<std::pair<std::string, ResultValue>> members;  // kObject, in schema order
  std::vector<ResultValue> items;                            // kList

  static ResultValue null();
  static ResultValue integer_value(long long value);
  static ResultValue number_value(double value);
  static ResultValue boolean_value(bool value);
  static ResultValue text_value(const std::string& value);
  static ResultValue numbers_value(std::vector<double> values);
  static ResultValue integers_value(std::vector<int> values);
  static ResultValue object();
  static ResultValue list();

  // kObject: append a member (keys are unique; checked). kList: append an item.
  ResultValue& add(const std::string& key, ResultValue value);
  ResultValue& push(ResultValue value);
  // kObject: the member named key, or nullptr.
  const ResultValue* find(const std::string& key) const;
};

// The statistics of one n x n matrix (rank_stats.h): singular_values, numerical_rank_f64 (null at
// f32), numerical_rank_f32, effective_rank, stable_rank, energy_rank_99, sigma_max, sigma_min,
// sigma_min_is_upper_bound, accuracy_floor, condition_number, condition_number_is_lower_bound,
// log_abs_det (null when det_sign is 0), det_sign, log_abs_det_is_reliable, structurally_full_rank.
ResultValue rank_stats_result(const RankStats& stats);

// analyze(): the configuration keys, then the keys of rank_stats_result, then logits_rank.
ResultValue analysis_result(const AnalysisConfig& config, const AnalysisResult& result);
// run_mixture(): {n, d_model, heads, d_head, scale, seed, per_head, output, product, split_head}.
ResultValue mixture_result(const MixtureConfig& config, const MixtureResult& result);
// run_collapse() of one (pattern, variant): the configuration and one array per metric (L + 1 each).
ResultValue collapse_result(const CollapseConfig& config, const CollapseResult& result);
// architecture_costs(): the configuration and one entry per architecture.
ResultValue architectures_result(const ArchitectureConfig& config, const std::vector<ArchitectureCost>& costs);
// run_permutation_test(): the configuration, the permutation and the deviations.
ResultValue permutation_result(const PermutationConfig& config, const PermutationResult& result);
// One catalogue entry (no verdict), and evaluate_claims(): {claims: [entry + verdict]}.
ResultValue claim_entry_result(const ClaimEntry& entry);
ResultValue claims_result(const std::vector<ClaimResult>& results);
// The pattern registry (pattern_registry.h) for the page: {patterns: [{id, names: {en, zh}, rules, used_by,
// parameter ("prefix", "window" or null), triangle ("lower", "upper" or null), group ("essay", "local",
// "custom"), order, colour, depth_colour}] in display order, depth_schedules: [{id, names, rules, layers:
// [pattern ids, cycled over the layers], order, colour}] in display order}.
ResultValue pattern_registry_result();

}  // namespace attnrank
