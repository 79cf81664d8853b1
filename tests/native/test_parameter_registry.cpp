// The parameter registry (parameter_registry.h): names, flags, URL keys and attributes are unique; each
// fixed range is the param_ranges.h constant of the same name (every constant is used); the defaults are
// the config structs' initialisers, request by request; the choices are the ones the core's parsers accept.
// The CLI (tests/cli), the wasm export (tests/node/parameter-registry.test.mjs) and the page's URL state
// are checked against this table elsewhere.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "attnrank/attention/linear_attention.h"
#include "attnrank/base/memory_estimate.h"
#include "attnrank/base/parameter_registry.h"
#include "attnrank/experiments/analysis.h"
#include "attnrank/experiments/architecture.h"
#include "attnrank/experiments/collapse.h"
#include "attnrank/experiments/mixture.h"
#include "attnrank/experiments/permutation.h"

namespace attnrank {
namespace {

long long integer_default(const char* name, RequestKind request) {
  return std::stoll(parameter_default(parameter_info(name), request));
}

TEST(ParameterRegistry, NamesFlagsKeysAndAttributesAreUnique) {
  std::set<std::string> names, keys, attributes;
  std::map<std::string, unsigned> flag_requests;  // a flag names one parameter per command
  for (const ParameterInfo& p : parameter_registry()) {
    SCOPED_TRACE(p.name);
    EXPECT_TRUE(names.insert(p.name).second);
    if (*p.cli_flag) {
      EXPECT_EQ(flag_requests[p.cli_flag] & p.requests, 0u) << "--" << p.cli_flag << " twice in one command";
      flag_requests[p.cli_flag] |= p.requests;
    }
    if (*p.url_key) {
      EXPECT_TRUE(keys.insert(p.url_key).second);
    }
    if (*p.attribute) {
      EXPECT_TRUE(attributes.insert(p.attribute).second);
    }
    EXPECT_NE(p.requests, 0u);
    // The page reads a parameter from its URL key or its attribute; a CLI-only one has neither.
    EXPECT_EQ((p.requests & kRequestPage) != 0, *p.url_key != '\0' || *p.attribute != '\0');
    EXPECT_EQ(p.type == ParamType::kChoice, !parameter_choices(p).empty());
  }
}

TEST(ParameterRegistry, RangesAreTheParamRangeConstants) {
  std::set<std::string> used;
  for (const ParameterInfo& p : parameter_registry()) {
    if (p.range == nullptr) continue;
    SCOPED_TRACE(p.name);
    EXPECT_EQ(p.type, ParamType::kInteger);
    EXPECT_STREQ(p.range->name, p.name);  // so an error names the parameter the registry names
    used.insert(p.range->name);
    for (const RequestRange& entry : p.ranges) EXPECT_STREQ(entry.range->name, p.name);
  }
  // train's n, layers and seed keep their own ranges (param_ranges.h); every other request the common one.
  for (const char* name : {"n", "layers", "seed"}) {
    SCOPED_TRACE(name);
    const ParameterInfo& p = parameter_info(name);
    for (unsigned bit = 0; bit < kRequestCount; ++bit) {
      const auto request = static_cast<RequestKind>(1u << bit);
      if ((p.requests & request) == 0) continue;
      EXPECT_EQ(parameter_range(p, request) == p.range, request != kRequestTrain) << request_name(request);
    }
  }
  for (const ParamRange& range : kAllRanges) EXPECT_TRUE(used.count(range.name)) << range.name;
  EXPECT_EQ(parameter_info("memory_budget_mib").range, &kMemoryBudgetRange);
  EXPECT_EQ(parameter_info("n").range, &kTokensRange);
  EXPECT_EQ(parameter_info("prefix").range, nullptr);  // bounded by n
}

TEST(ParameterRegistry, DefaultsAreTheConfigStructsDefaults) {
  const AnalysisConfig analysis;
  EXPECT_EQ(integer_default("n", kRequestStats), analysis.inputs.n);
  EXPECT_EQ(integer_default("d", kRequestStats), analysis.inputs.d);
  EXPECT_EQ(integer_default("seed", kRequestStats), static_cast<long long>(analysis.inputs.seed));
  EXPECT_EQ(integer_default("repeat", kRequestStats), analysis.inputs.repeat_period);
  EXPECT_EQ(integer_default("features", kRequestStats), analysis.linear.features);
  EXPECT_EQ(integer_default("memory_budget_mib", kRequestStats), analysis.memory_budget_mib);
  EXPECT_EQ(std::stod(parameter_default(parameter_info("scale"), kRequestStats)), analysis.scale);
  EXPECT_EQ(parameter_default(parameter_info("rope"), kRequestStats), analysis.inputs.rope ? "true" : "false");
  EXPECT_EQ(parse_attention_kind(parameter_default(parameter_info("kind"), kRequestStats)), analysis.kind);
  EXPECT_EQ(parse_feature_map(parameter_default(parameter_info("feature"), kRequestStats)), analysis.linear.feature);
  EXPECT_EQ(parse_precision(parameter_default(parameter_info("precision"), kRequestStats)), analysis.precision);
  EXPECT_EQ(parse_pattern(parameter_default(parameter_info("pattern"), kRequestStats)), analysis.mask.kind);

  const CollapseConfig collapse;
  EXPECT_EQ(integer_default("n", kRequestCollapse), collapse.n);
  EXPECT_EQ(integer_default("d_model", kRequestCollapse), collapse.d_model);
  EXPECT_EQ(integer_default("layers", kRequestCollapse), collapse.layers);
  EXPECT_EQ(parameter_default(parameter_info("d_k"), kRequestCollapse), "");  // 0 in the struct: d_model
  EXPECT_EQ(parameter_default(parameter_info("d_ff"), kRequestCollapse), "");  // 0 in the struct: 4 d_model
  EXPECT_EQ(collapse_variant_name(parse_collapse_variant(parameter_default(parameter_info("variant"),
                                                                           kRequestCollapse))),
            collapse_variant_name(collapse.variant));

  const MixtureConfig mixture;
  EXPECT_EQ(integer_default("n", kRequestMixture), mixture.n);
  EXPECT_EQ(integer_default("d_model", kRequestMixture), mixture.d_model);
  EXPECT_EQ(integer_default("heads", kRequestMixture), mixture.heads);
  EXPECT_EQ(parameter_default(parameter_info("d"), kRequestMixture), "");  // 0 in the struct: d_model / heads

  const ArchitectureConfig arch;
  EXPECT_EQ(integer_default("d_model", kRequestArch), arch.d_model);
  EXPECT_EQ(integer_default("layers", kRequestArch), arch.layers);
  EXPECT_EQ(integer_default("heads", kRequestArch), arch.heads);
  EXPECT_EQ(integer_default("d_ff", kRequestArch), arch.d_ff);
  EXPECT_EQ(integer_default("vocab", kRequestArch), arch.vocab);
  EXPECT_EQ(integer_default("n_in", kRequestArch), arch.n_in);
  EXPECT_EQ(integer_default("n_out", kRequestArch), arch.n_out);

  const PermutationConfig permutation;
  EXPECT_EQ(integer_default("n", kRequestPermutation), permutation.n);
  EXPECT_EQ(integer_default("d_model", kRequestPermutation), permutation.d_model);

  // The page's own defaults where they differ (web/state/url-state.mjs reads them from parameters()).
  EXPECT_EQ(integer_default("seed", kRequestPage), 7);
  EXPECT_EQ(integer_default("layers", kRequestPage), 128);
  EXPECT_EQ(integer_default("window", kRequestPage), 4);
  EXPECT_EQ(parameter_default(parameter_info("prefix"), kRequestPage), "");  // null: n / 2
  EXPECT_EQ(parameter_default(parameter_info("lang"), kRequestPage), "");    // null: the browser's
}

TEST(ParameterRegistry, ChoicesAreWhatTheCoreParses) {
  EXPECT_EQ(parameter_choices(parameter_info("feature")), feature_map_names());
  EXPECT_EQ(parameter_choices(parameter_info("pattern")), pattern_names());
  for (const std::string& kind : parameter_choices(parameter_info("kind")))
    EXPECT_STREQ(attention_kind_name(parse_attention_kind(kind)), kind.c_str());
  for (const std::string& precision : parameter_choices(parameter_info("precision")))
    EXPECT_STREQ(precision_name(parse_precision(precision)), precision.c_str());
  for (const std::string& variant : parameter_choices(parameter_info("variant")))
    EXPECT_EQ(collapse_variant_name(parse_collapse_variant(variant)), variant);
  EXPECT_EQ(parameter_choices(parameter_info("n")), std::vector<std::string>{});
}

TEST(ParameterRegistry, LookupsAndRequests) {
  EXPECT_EQ(parameter_by_flag("d-model"), &parameter_info("d_model"));
  EXPECT_EQ(parameter_by_flag("memory-limit"), &parameter_info("memory_budget_mib"));
  EXPECT_EQ(parameter_by_flag("nonsense"), nullptr);
  EXPECT_THROW(parameter_info("nonsense"), std::logic_error);
  EXPECT_EQ(boolean_flags(), (std::vector<std::string>{"rope", "json", "csv", "quiet", "list-configs", "list-experiments"}));
  EXPECT_EQ(parameter_by_flag("values"), &parameter_info("sweep_values"));  // the first; train's is "values"
  EXPECT_STREQ(parameter_info("values").cli_flag, "values");
  EXPECT_EQ(parameters_of(kRequestMixture),
            (std::vector<std::string>{"n", "d", "scale", "seed", "heads", "d_model", "memory_budget_mib", "json"}));
  for (unsigned bit = 0; bit < kRequestCount; ++bit)
    EXPECT_STRNE(request_name(static_cast<RequestKind>(1u << bit)), "unknown");
}

}  // namespace
}  // namespace attnrank
