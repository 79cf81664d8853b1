// analyze(config) and claims(config) (the same config object), claim_catalogue(). Each returns the keys of
// docs/result-schema.md (result_fields.h: analysis_result with the wasm-only `matrix` and `mask` when
// asked for, claims_result, claim_catalogue_result).
#include <cstdint>
#include <set>
#include <string>

#include "attnrank/claims/claims.h"
#include "attnrank/experiments/analysis.h"
#include "attnrank/io/result_fields.h"
#include "exports.h"
#include "js_convert.h"
#include "js_read.h"

namespace attnrank::js {
namespace {

// The JS config object -> AnalysisConfig: every field through the core's table (request_fields.h; missing
// keys take the registry's defaults, as in the CLI), then what the table leaves to the binding: the user's
// Q and K (Float64Array, n x d) and the custom mask (Uint8Array, n x n). Ranges that depend on other
// parameters are left to attnrank::validate so both sides word them alike.
AnalysisConfig config_from_js(const val& js) {
  AnalysisConfig config;
  const std::set<std::string> given = read_config(js, analysis_fields(), kRequestStats, config);
  auto has = [&given](const char* key) { return given.count(key) > 0; };
  const int n = config.inputs.n;
  const int d = config.inputs.d;

  if (has_key(js, "q") || has_key(js, "k")) {
    if (!has_key(js, "q") || !has_key(js, "k")) invalid("q and k must be given together");
    if (!has("n") || !has("d")) invalid("q and k need n and d (their shape, n x d)");
    for (const std::string& seeded_only : seeded_input_parameters()) {
      if (has(seeded_only.c_str())) invalid(seeded_only, seeded_only + " cannot be combined with q/k (they define the inputs)");
    }
    const std::string shape = "n*d=" + std::to_string(n) + "*" + std::to_string(d) + " numbers";
    MatrixXd q(n, d);
    MatrixXd k(n, d);
    read_typed_array(js["q"], "q", "Float64Array", shape, q.size(), q.data());
    read_typed_array(js["k"], "k", "Float64Array", shape, k.size(), k.data());
    config.user_q = std::move(q);
    config.user_k = std::move(k);
  }
  if (config.mask.kind == PatternKind::kCustom && has_key(js, "custom_mask")) {  // none: the core's words (masks.cpp)
    config.mask.custom = Mask(n, n);
    const std::string shape = "n*n=" + std::to_string(n) + "*" + std::to_string(n) + " entries";
    read_typed_array(js["custom_mask"], "custom_mask", "Uint8Array", shape, config.mask.custom.size(),
                     config.mask.custom.data());
  } else if (has_key(js, "custom_mask") && config.mask.kind != PatternKind::kCustom) {
    invalid("custom_mask", "custom_mask is only used with pattern=custom (got pattern=" +
            std::string(pattern_name(config.mask.kind)) + ")");
  }
  finish_analysis_config(config, has("prefix"), has("window"));
  return config;
}

// analysis_result's keys, with the wasm-only matrix and its mask when the config asked for them.
val result_to_js(const AnalysisConfig& config, const AnalysisResult& result) {
  return to_js(analysis_result(config, result, ResultTarget::kWasm));
}

}  // namespace

val analyze_js(val config) {
  return call_guarded(
      ArgumentNames{{"config"}},
      [&config] {
        const AnalysisConfig analysis_config = config_from_js(config);
        return result_to_js(analysis_config, analyze(analysis_config));
      },
      config);
}

// claims(config) -> {claims: [{id, tag, ..., verdict: {status, parts, facts}}]} for analyze()'s config
// object (claims.h); claim_catalogue() -> {claims: [...]}: the same entries without verdicts.
val claims_js(val config) {
  return call_guarded(ArgumentNames{{"config"}}, [&config] { return to_js(claims_result(evaluate_claims(config_from_js(config)))); }, config);
}

val claim_catalogue_js() {
  return call_guarded([] { return to_js(claim_catalogue_result()); });
}

}  // namespace attnrank::js
