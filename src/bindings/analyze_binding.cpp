// analyze(config) and claims(config) (the same config object), claim_catalogue(). analyze returns the
// keys of docs/result-schema.md (result_fields.h analysis_result), plus `matrix` and `mask` copies when
// asked for.
#include <cstdint>
#include <string>

#include "attnrank/claims/claims.h"
#include "attnrank/experiments/analysis.h"
#include "attnrank/io/result_fields.h"
#include "exports.h"
#include "js_convert.h"
#include "js_read.h"

namespace attnrank::js {
namespace {

// The JS config object -> AnalysisConfig. Missing keys take the CLI's defaults (options.cpp); ranges
// that depend on other parameters are left to attnrank::validate so both sides word them alike.
AnalysisConfig config_from_js(const val& js) {
  require_plain_object(js);
  reject_unknown_keys(js, {"pattern", "n", "d", "seed", "scale", "prefix", "window", "kind", "feature", "features",
                           "precision", "rope", "repeat", "want_matrix", "custom_mask", "q", "k",
                           "memory_budget_mib"});
  auto has = [&js](const char* key) { return has_key(js, key); };

  AnalysisConfig config;
  config.mask.kind = parse_pattern(has("pattern") ? read_string(js["pattern"], "pattern") : "bidirectional");
  if (has("kind")) config.kind = parse_attention_kind(read_string(js["kind"], "kind"));
  if (has("feature")) config.linear.feature = parse_feature_map(read_string(js["feature"], "feature"));
  if (has("features")) config.linear.features = read_int(js["features"], "features");
  if (has("precision")) config.precision = parse_precision(read_string(js["precision"], "precision"));
  if (has("scale")) config.scale = read_number(js["scale"], "scale");
  if (has("want_matrix")) config.want_matrix = read_bool(js["want_matrix"], "want_matrix");
  if (has("memory_budget_mib")) config.memory_budget_mib = read_parameter_int(js, "memory_budget_mib");

  config.inputs.n = has("n") ? read_parameter_int(js, "n") : config.inputs.n;
  config.inputs.d = has("d") ? read_parameter_int(js, "d") : config.inputs.d;
  const int n = config.inputs.n;
  const int d = config.inputs.d;

  const bool has_user_inputs = has("q") || has("k");
  if (has_user_inputs) {
    if (!has("q") || !has("k")) invalid("q and k must be given together");
    if (!has("n") || !has("d")) invalid("q and k need n and d (their shape, n x d)");
    for (const char* seeded_only : {"seed", "rope", "repeat"}) {
      if (has(seeded_only)) {
        invalid(seeded_only, std::string(seeded_only) + " cannot be combined with q/k (they define the inputs)");
      }
    }
    const std::string shape = "n*d=" + std::to_string(n) + "*" + std::to_string(d) + " numbers";
    MatrixXd q(n, d);
    MatrixXd k(n, d);
    read_typed_array(js["q"], "q", "Float64Array", shape, q.size(), q.data());
    read_typed_array(js["k"], "k", "Float64Array", shape, k.size(), k.data());
    config.user_q = std::move(q);
    config.user_k = std::move(k);
  } else {
    config.inputs.seed = read_seed(js);
    if (has("rope")) config.inputs.rope = read_bool(js["rope"], "rope");
    if (has("repeat")) config.inputs.repeat_period = read_parameter_int(js, "repeat");
  }
  // As in the CLI: the favor projection has its own stream, derived from the input seed.
  config.linear.seed = config.inputs.seed;

  config.mask.prefix = has("prefix") ? read_mask_size(js["prefix"], "prefix", 0, n) : default_prefix(n);
  config.mask.window = has("window") ? read_mask_size(js["window"], "window", 1, n) : default_window(n);
  if (config.mask.kind == PatternKind::kCustom) {
    if (!has("custom_mask")) invalid("custom_mask", "pattern=custom needs custom_mask (a Uint8Array of n*n entries)");
    config.mask.custom = Mask(n, n);
    const std::string shape = "n*n=" + std::to_string(n) + "*" + std::to_string(n) + " entries";
    read_typed_array(js["custom_mask"], "custom_mask", "Uint8Array", shape, config.mask.custom.size(),
                     config.mask.custom.data());
  } else if (has("custom_mask")) {
    invalid("custom_mask", "custom_mask is only used with pattern=custom (got pattern=" +
            std::string(pattern_name(config.mask.kind)) + ")");
  }
  return config;
}

// analysis_result's keys, plus the matrix and its mask when the config asked for them (wasm only).
val result_to_js(const AnalysisConfig& config, const AnalysisResult& result) {
  val out = to_js(analysis_result(config, result));
  if (result.matrix) out.set("matrix", matrix_to_js(*result.matrix));
  if (result.mask) out.set("mask", mask_to_js(*result.mask));
  return out;
}

}  // namespace

val analyze_js(val config) {
  return call_guarded(
      [&config] {
        const AnalysisConfig analysis_config = config_from_js(config);
        return result_to_js(analysis_config, analyze(analysis_config));
      },
      config);
}

// claims(config) -> {claims: [{id, tag, ..., verdict: {status, parts, facts}}]} for analyze()'s config
// object (claims.h); claim_catalogue() -> {claims: [...]}: the same entries without verdicts.
val claims_js(val config) {
  return call_guarded([&config] { return to_js(claims_result(evaluate_claims(config_from_js(config)))); }, config);
}

val claim_catalogue_js() {
  return call_guarded([] {
    ResultValue list = ResultValue::list();
    for (const ClaimEntry& e : claim_catalogue()) list.push(claim_entry_result(e));
    ResultValue out = ResultValue::object();
    out.add("claims", std::move(list));
    return to_js(out);
  });
}

}  // namespace attnrank::js
