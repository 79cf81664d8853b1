// One definition of every result's keys (result_fields.h). Each function reads a core result and names
// its values in the order of docs/result-schema.md; the CLI and the wasm binding only format the tree.
#include "attnrank/io/result_fields.h"

#include <stdexcept>

namespace attnrank {

namespace {

using Type = ResultValue::Type;

ResultValue numbers_of(const VectorXd& values) {
  return ResultValue::numbers_value(std::vector<double>(values.data(), values.data() + values.size()));
}

// The mask parameter a pattern uses (prefix p or window w), as analyze() and permutation() report it.
void add_mask_parameters(ResultValue& out, const MaskSpec& mask) {
  out.add("pattern", ResultValue::text_value(pattern_name(mask.kind)));
  if (uses_prefix(mask.kind)) out.add("prefix", ResultValue::integer_value(mask.prefix));
  if (uses_window(mask.kind)) out.add("window", ResultValue::integer_value(mask.window));
}

// Seeds are below 2^53 (param_ranges.h), so they are exact as JS numbers too.
ResultValue seed_value(std::uint64_t seed) { return ResultValue::integer_value(static_cast<long long>(seed)); }

template <typename Getter>
ResultValue per_layer(const CollapseResult& result, Getter get) {
  std::vector<double> values;
  values.reserve(result.per_layer.size());
  for (const LayerMetrics& m : result.per_layer) values.push_back(get(m));
  return ResultValue::numbers_value(std::move(values));
}

}  // namespace

ResultValue ResultValue::null() { return ResultValue{}; }
ResultValue ResultValue::integer_value(long long value) {
  ResultValue out;
  out.type = Type::kInteger;
  out.integer = value;
  return out;
}
ResultValue ResultValue::number_value(double value) {
  ResultValue out;
  out.type = Type::kNumber;
  out.number = value;
  return out;
}
ResultValue ResultValue::boolean_value(bool value) {
  ResultValue out;
  out.type = Type::kBoolean;
  out.boolean = value;
  return out;
}
ResultValue ResultValue::text_value(const std::string& value) {
  ResultValue out;
  out.type = Type::kText;
  out.text = value;
  return out;
}
ResultValue ResultValue::numbers_value(std::vector<double> values) {
  ResultValue out;
  out.type = Type::kNumbers;
  out.numbers = std::move(values);
  return out;
}
ResultValue ResultValue::integers_value(std::vector<int> values) {
  ResultValue out;
  out.type = Type::kIntegers;
  out.integers = std::move(values);
  return out;
}
ResultValue ResultValue::object() {
  ResultValue out;
  out.type = Type::kObject;
  return out;
}
ResultValue ResultValue::list() {
  ResultValue out;
  out.type = Type::kList;
  return out;
}

ResultValue& ResultValue::add(const std::string& key, ResultValue value) {
  if (type != Type::kObject) throw std::logic_error("ResultValue::add(\"" + key + "\") on a non-object");
  if (find(key) != nullptr) throw std::logic_error("ResultValue::add: key \"" + key + "\" given twice");
  members.emplace_back(key, std::move(value));
  return *this;
}

ResultValue& ResultValue::push(ResultValue value) {
  if (type != Type::kList) throw std::logic_error("ResultValue::push on a non-list");
  items.push_back(std::move(value));
  return *this;
}

const ResultValue* ResultValue::find(const std::string& key) const {
  for (const auto& [name, value] : members) {
    if (name == key) return &value;
  }
  return nullptr;
}

ResultValue rank_stats_result(const RankStats& s) {
  ResultValue out = ResultValue::object();
  out.add("singular_values", numbers_of(s.singular_values));
  out.add("numerical_rank_f64",
          s.numerical_rank_f64 ? ResultValue::integer_value(*s.numerical_rank_f64) : ResultValue::null());
  out.add("numerical_rank_f32", ResultValue::integer_value(s.numerical_rank_f32));
  out.add("effective_rank", ResultValue::number_value(s.effective_rank));
  out.add("stable_rank", ResultValue::number_value(s.stable_rank));
  out.add("energy_rank_99", ResultValue::integer_value(s.energy_rank_99));
  out.add("sigma_max", ResultValue::number_value(s.sigma_max));
  out.add("sigma_min", ResultValue::number_value(s.sigma_min));
  out.add("sigma_min_is_upper_bound", ResultValue::boolean_value(s.sigma_min_is_upper_bound));
  out.add("accuracy_floor", ResultValue::number_value(s.accuracy_floor));
  out.add("condition_number", ResultValue::number_value(s.condition_number));
  out.add("condition_number_is_lower_bound", ResultValue::boolean_value(s.condition_is_lower_bound));
  out.add("log_abs_det",
          s.log_det.sign == 0 ? ResultValue::null() : ResultValue::number_value(s.log_det.log_abs));
  out.add("det_sign", ResultValue::integer_value(s.log_det.sign));
  out.add("log_abs_det_is_reliable", ResultValue::boolean_value(s.log_abs_det_is_reliable));
  out.add("structurally_full_rank", ResultValue::boolean_value(s.structurally_full_rank));
  return out;
}

ResultValue analysis_result(const AnalysisConfig& config, const AnalysisResult& result) {
  ResultValue out = ResultValue::object();
  add_mask_parameters(out, config.mask);
  out.add("kind", ResultValue::text_value(attention_kind_name(config.kind)));
  if (config.kind == AttentionKind::kLinear) {
    out.add("feature", ResultValue::text_value(feature_map_name(config.linear.feature)));
    if (config.linear.feature == FeatureMap::kFavor) {
      out.add("features", ResultValue::integer_value(config.linear.features));
    }
  }
  out.add("feature_dimension", ResultValue::integer_value(result.feature_dimension));
  out.add("n", ResultValue::integer_value(result.n));
  out.add("d", ResultValue::integer_value(result.d));
  if (config.user_q) {
    out.add("input", ResultValue::text_value("user"));
  } else {
    out.add("input", ResultValue::text_value("seeded"));
    out.add("seed", seed_value(config.inputs.seed));
    out.add("rope", ResultValue::boolean_value(config.inputs.rope));
    out.add("repeat", ResultValue::integer_value(config.inputs.repeat_period));
  }
  out.add("scale", ResultValue::number_value(config.scale));
  out.add("precision", ResultValue::text_value(precision_name(config.precision)));
  for (auto& [key, value] : rank_stats_result(result.stats).members) out.add(key, std::move(value));
  out.add("logits_rank", ResultValue::integer_value(result.logits_rank));
  return out;
}

ResultValue mixture_result(const MixtureConfig& config, const MixtureResult& r) {
  ResultValue out = ResultValue::object();
  out.add("n", ResultValue::integer_value(r.n));
  out.add("d_model", ResultValue::integer_value(r.d_model));
  out.add("heads", ResultValue::integer_value(r.heads));
  out.add("d_head", ResultValue::integer_value(r.d_head));
  out.add("scale", ResultValue::number_value(config.scale));
  out.add("seed", seed_value(config.seed));
  ResultValue heads = ResultValue::list();
  for (const MixtureHead& h : r.per_head) {
    ResultValue head = ResultValue::object();
    head.add("head", ResultValue::integer_value(h.head));
    head.add("direction", ResultValue::text_value(h.is_forward ? "forward" : "backward"));
    head.add("is_triangular", ResultValue::boolean_value(h.is_triangular));
    head.add("min_diagonal", ResultValue::number_value(h.min_diagonal));
    head.add("stats", rank_stats_result(h.stats));
    heads.push(std::move(head));
  }
  out.add("per_head", std::move(heads));
  ResultValue output = ResultValue::object();
  output.add("singular_values", numbers_of(r.output.singular_values));
  output.add("numerical_rank", ResultValue::integer_value(r.output.numerical_rank));
  output.add("effective_rank", ResultValue::number_value(r.output.effective_rank));
  output.add("stable_rank", ResultValue::number_value(r.output.stable_rank));
  out.add("output", std::move(output));
  ResultValue product = ResultValue::object();
  product.add("min_entry", ResultValue::number_value(r.product_min_entry));
  product.add("is_strictly_positive", ResultValue::boolean_value(r.product_is_strictly_positive));
  product.add("stats", rank_stats_result(r.product));
  out.add("product", std::move(product));
  ResultValue split = ResultValue::object();
  split.add("min_entry", ResultValue::number_value(r.split_head_min_entry));
  split.add("stats", rank_stats_result(r.split_head));
  out.add("split_head", std::move(split));
  return out;
}

ResultValue collapse_result(const CollapseConfig& config, const CollapseResult& r) {
  ResultValue out = ResultValue::object();
  out.add("pattern", ResultValue::text_value(config.pattern.id));
  out.add("variant", ResultValue::text_value(collapse_variant_name(config.variant)));
  out.add("n", ResultValue::integer_value(r.n));
  out.add("d_model", ResultValue::integer_value(r.d_model));
  out.add("d_k", ResultValue::integer_value(r.d_k));
  out.add("d_ff", ResultValue::integer_value(r.d_ff));
  out.add("layers", ResultValue::integer_value(r.layers));
  out.add("prefix", ResultValue::integer_value(r.prefix));
  out.add("window", ResultValue::integer_value(r.window));
  out.add("scale", ResultValue::number_value(config.scale));
  out.add("seed", seed_value(config.seed));
  out.add("relative_residual", per_layer(r, [](const LayerMetrics& m) { return m.relative_residual; }));
  out.add("composite_residual", per_layer(r, [](const LayerMetrics& m) { return m.composite_residual; }));
  out.add("frobenius_norm", per_layer(r, [](const LayerMetrics& m) { return m.frobenius_norm; }));
  out.add("path_residual", per_layer(r, [](const LayerMetrics& m) { return m.path_residual; }));
  out.add("path_distance_to_token0", per_layer(r, [](const LayerMetrics& m) { return m.path_distance_to_token0; }));
  out.add("random_path_residual", per_layer(r, [](const LayerMetrics& m) { return m.random_path_residual; }));
  out.add("random_path_distance_to_token0",
          per_layer(r, [](const LayerMetrics& m) { return m.random_path_distance_to_token0; }));
  // (L + 1) x n, row-major: row l = P_l[:, 0].
  const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> first_column = r.path_first_column;
  out.add("path_first_column", ResultValue::numbers_value(std::vector<double>(
                                   first_column.data(), first_column.data() + first_column.size())));
  return out;
}

ResultValue architectures_result(const ArchitectureConfig& c, const std::vector<ArchitectureCost>& costs) {
  ResultValue out = ResultValue::object();
  out.add("d_model", ResultValue::integer_value(c.d_model));
  out.add("layers", ResultValue::integer_value(c.layers));
  out.add("heads", ResultValue::integer_value(c.heads));
  out.add("d_ff", ResultValue::integer_value(c.d_ff));
  out.add("vocab", ResultValue::integer_value(c.vocab));
  out.add("n_in", ResultValue::integer_value(c.n_in));
  out.add("n_out", ResultValue::integer_value(c.n_out));
  ResultValue list = ResultValue::list();
  for (const ArchitectureCost& a : costs) {
    ResultValue entry = ResultValue::object();
    entry.add("architecture", ResultValue::text_value(architecture_name(a.kind)));
    entry.add("parameters", ResultValue::integer_value(a.parameters));
    entry.add("embedding_parameters", ResultValue::integer_value(a.embedding_parameters));
    entry.add("layer_parameters", ResultValue::integer_value(a.layer_parameters));
    entry.add("flops", ResultValue::number_value(a.flops));
    entry.add("attention_flops", ResultValue::number_value(a.attention_flops));
    entry.add("flops_per_token", ResultValue::number_value(a.flops_per_token));
    list.push(std::move(entry));
  }
  out.add("architectures", std::move(list));
  return out;
}

ResultValue permutation_result(const PermutationConfig& config, const PermutationResult& r) {
  ResultValue out = ResultValue::object();
  add_mask_parameters(out, config.mask);
  out.add("n", ResultValue::integer_value(config.n));
  out.add("d_model", ResultValue::integer_value(config.d_model));
  out.add("scale", ResultValue::number_value(config.scale));
  out.add("seed", seed_value(config.seed));
  out.add("permutation", ResultValue::integers_value(r.permutation));
  out.add("max_deviation", ResultValue::number_value(r.max_deviation));
  out.add("relative_deviation", ResultValue::number_value(r.relative_deviation));
  out.add("is_equivariant", ResultValue::boolean_value(r.is_equivariant));
  return out;
}

ResultValue claim_entry_result(const ClaimEntry& e) {
  ResultValue out = ResultValue::object();
  out.add("id", ResultValue::text_value(e.id));
  out.add("tag", ResultValue::text_value(claim_tag_name(e.tag)));
  out.add("tag_detail_en", ResultValue::text_value(e.tag_detail_en));
  out.add("tag_detail_zh", ResultValue::text_value(e.tag_detail_zh));
  out.add("statement_en", ResultValue::text_value(e.statement_en));
  out.add("statement_zh", ResultValue::text_value(e.statement_zh));
  out.add("source_en", ResultValue::text_value(e.source_en));
  out.add("source_zh", ResultValue::text_value(e.source_zh));
  out.add("backing_test", ResultValue::text_value(e.backing_test));
  return out;
}

namespace {

ResultValue fact_value(const ClaimFact& f) {
  switch (f.format) {
    case FactFormat::kInteger: return ResultValue::integer_value(static_cast<long long>(f.number));
    case FactFormat::kNumber: return ResultValue::number_value(f.number);
    case FactFormat::kBoolean: return ResultValue::boolean_value(f.boolean);
    case FactFormat::kText: return ResultValue::text_value(f.text);
  }
  return ResultValue::null();
}

ResultValue verdict_result(const ClaimVerdict& v) {
  ResultValue out = ResultValue::object();
  out.add("status", ResultValue::text_value(verdict_status_name(v.status)));
  ResultValue parts = ResultValue::list();
  for (const ClaimPart& p : v.parts) {
    ResultValue part = ResultValue::object();
    part.add("key", ResultValue::text_value(p.key));
    part.add("label_en", ResultValue::text_value(p.label_en));
    part.add("label_zh", ResultValue::text_value(p.label_zh));
    part.add("holds", ResultValue::boolean_value(p.holds));
    parts.push(std::move(part));
  }
  out.add("parts", std::move(parts));
  ResultValue facts = ResultValue::list();
  for (const ClaimFact& f : v.facts) {
    ResultValue fact = ResultValue::object();
    fact.add("key", ResultValue::text_value(f.key));
    fact.add("label_en", ResultValue::text_value(f.label_en));
    fact.add("label_zh", ResultValue::text_value(f.label_zh));
    fact.add("value", fact_value(f));
    fact.add("format", ResultValue::text_value(fact_format_name(f.format)));
    facts.push(std::move(fact));
  }
  out.add("facts", std::move(facts));
  return out;
}

}  // namespace

ResultValue claims_result(const std::vector<ClaimResult>& results) {
  ResultValue list = ResultValue::list();
  for (const ClaimResult& r : results) {
    ResultValue entry = claim_entry_result(*r.entry);
    entry.add("verdict", verdict_result(r.verdict));
    list.push(std::move(entry));
  }
  ResultValue out = ResultValue::object();
  out.add("claims", std::move(list));
  return out;
}

namespace {

ResultValue words_result(const PatternWords& en, const PatternWords& zh, const char* PatternWords::*field) {
  ResultValue out = ResultValue::object();
  out.add("en", ResultValue::text_value(en.*field));
  out.add("zh", ResultValue::text_value(zh.*field));
  return out;
}

void add_words(ResultValue& out, const PatternWords& en, const PatternWords& zh) {
  out.add("names", words_result(en, zh, &PatternWords::name));
  out.add("rules", words_result(en, zh, &PatternWords::rule));
  out.add("used_by", words_result(en, zh, &PatternWords::used_by));
}

}  // namespace

ResultValue pattern_registry_result() {
  ResultValue patterns = ResultValue::list();
  for (const PatternInfo& p : pattern_registry()) {
    ResultValue entry = ResultValue::object();
    entry.add("id", ResultValue::text_value(p.id));
    add_words(entry, p.en, p.zh);
    entry.add("parameter", p.parameter == PatternParameter::kPrefix   ? ResultValue::text_value("prefix")
                           : p.parameter == PatternParameter::kWindow ? ResultValue::text_value("window")
                                                                      : ResultValue::null());
    entry.add("triangle", p.triangle == Triangle::kLower   ? ResultValue::text_value("lower")
                          : p.triangle == Triangle::kUpper ? ResultValue::text_value("upper")
                                                           : ResultValue::null());
    entry.add("group", ResultValue::text_value(p.group == PatternGroup::kEssay   ? "essay"
                                               : p.group == PatternGroup::kLocal ? "local"
                                                                                 : "custom"));
    entry.add("order", ResultValue::integer_value(p.display_order));
    entry.add("colour", ResultValue::text_value(p.colour));
    entry.add("depth_colour", ResultValue::text_value(p.depth_colour));
    patterns.push(std::move(entry));
  }
  ResultValue schedules = ResultValue::list();
  for (const std::string& id : depth_schedule_names()) {
    const DepthSchedule schedule = parse_depth_schedule(id);
    ResultValue entry = ResultValue::object();
    entry.add("id", ResultValue::text_value(id));
    int order = 0;
    const char* colour = "";
    if (schedule.cycle.size() == 1) {
      const PatternInfo& p = pattern_info(schedule.cycle[0]);
      add_words(entry, p.en, p.zh);
      order = p.display_order;
      colour = p.depth_colour;
    } else {
      for (const NamedScheduleInfo& named : named_depth_schedules()) {
        if (id != named.id) continue;
        add_words(entry, named.en, named.zh);
        order = named.display_order;
        colour = named.depth_colour;
      }
    }
    ResultValue layers = ResultValue::list();
    for (const PatternKind kind : schedule.cycle) layers.push(ResultValue::text_value(pattern_name(kind)));
    entry.add("layers", std::move(layers));
    entry.add("order", ResultValue::integer_value(order));
    entry.add("colour", ResultValue::text_value(colour));
    schedules.push(std::move(entry));
  }
  ResultValue out = ResultValue::object();
  out.add("patterns", std::move(patterns));
  out.add("depth_schedules", std::move(schedules));
  return out;
}

}  // namespace attnrank
