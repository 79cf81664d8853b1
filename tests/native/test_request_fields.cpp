// The request field tables (io/request_fields.h): every registry parameter of a request sets a config
// field through a row, or is named as the command's own option, and every row names a registry entry of a
// request its table serves; the binding's known keys are the table's, in the order its message lists them;
// parameters not given take the config structs' defaults; apply_field bounds values in the core's words.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "attnrank/base/errors.h"
#include "attnrank/io/request_fields.h"
#include "attnrank/lab/run_request.h"
#include "test_support.h"

namespace attnrank {
namespace {

std::optional<ParamValue> nothing_given(const char*, const ParameterInfo*, ParamType) { return std::nullopt; }

// Every row of `table` names a registry entry (or is a wasm-only key, which is none), and for each request
// the table serves, the registry's parameters of that request are exactly its rows' plus its command options.
template <typename Config>
void expect_table_covers(const ConfigTable<Config>& table, const std::vector<RequestKind>& requests) {
  unsigned served = 0;
  for (RequestKind request : requests) served |= request;
  std::set<std::string> keys;
  for (const ConfigField<Config>& row : table.fields) {
    SCOPED_TRACE(row.key);
    EXPECT_TRUE(keys.insert(row.key).second) << "duplicate key";
    if (*row.param == '\0') {
      // A wasm-only key: no registry entry and no CLI flag may carry its name.
      EXPECT_THROW(parameter_info(row.key), std::logic_error);
      continue;
    }
    const ParameterInfo& info = parameter_info(row.param);  // throws for a row without a registry entry
    EXPECT_NE(info.requests & served, 0u) << "row of a parameter that no request of this table takes";
    // The key is the parameter's name, or a list parameter's item (patterns -> pattern).
    if (info.type == ParamType::kList) {
      EXPECT_EQ(std::string(row.key) + "s", row.param);
    } else {
      EXPECT_STREQ(row.key, row.param);
    }
  }
  for (RequestKind request : requests) {
    SCOPED_TRACE(request_name(request));
    std::multiset<std::string> covered;
    for (const ConfigField<Config>& row : table.fields)
      if (*row.param != '\0' && field_applies(row.param, request)) covered.insert(row.param);
    for (const std::string& option : command_options(request)) covered.insert(option);
    const std::vector<std::string> parameters = parameters_of(request);
    EXPECT_EQ(covered, std::multiset<std::string>(parameters.begin(), parameters.end()))
        << "a parameter of the request has no field row and is no command option, or one is both";
  }
}

TEST(RequestFields, EveryParameterOfEveryRequestHasAFieldOrIsACommandOption) {
  expect_table_covers(analysis_fields(), {kRequestStats, kRequestSweep, kRequestClaims});
  expect_table_covers(collapse_fields(), {kRequestCollapse});
  expect_table_covers(mixture_fields(), {kRequestMixture});
  expect_table_covers(architecture_fields(), {kRequestArch});
  expect_table_covers(permutation_fields(), {kRequestPermutation});
  expect_table_covers(lab::run_request_fields(), {kRequestTrain});  // lab/run_request.h
  // No request is left without a table: every computing request, arch and train are covered above, page
  // is the explorer's (web/state).
  EXPECT_STREQ(request_name(kRequestTrain), "train");
}

// `expected` appears in `keys` in this order (a new parameter may be added anywhere).
void expect_in_order(const std::vector<std::string>& keys, const std::vector<std::string>& expected) {
  auto at = keys.begin();
  for (const std::string& key : expected) {
    at = std::find(at, keys.end(), key);
    ASSERT_NE(at, keys.end()) << key << " missing or out of order";
  }
}

TEST(RequestFields, KnownKeysAreTheBindingsInItsOrder) {
  // The keys each binding listed by hand before the tables, in its order (its "unknown key" message lists
  // them; tests/fixtures/bad-inputs.json pins analyze()'s).
  expect_in_order(known_keys(analysis_fields(), kRequestStats),
                  {"pattern", "n", "d", "seed", "scale", "prefix", "window", "kind", "feature", "features", "precision",
                   "rope", "repeat", "want_matrix", "custom_mask", "q", "k", "memory_budget_mib"});
  expect_in_order(known_keys(collapse_fields(), kRequestCollapse),
                  {"pattern", "variant", "n", "d_model", "d_k", "d_ff", "layers", "scale", "seed", "prefix", "window",
                   "memory_budget_mib"});
  expect_in_order(known_keys(mixture_fields(), kRequestMixture),
                  {"n", "d_model", "heads", "scale", "seed", "want_matrices", "memory_budget_mib"});
  expect_in_order(known_keys(architecture_fields(), kRequestArch),
                  {"d_model", "layers", "heads", "d_ff", "vocab", "n_in", "n_out", "want_masks"});
  expect_in_order(known_keys(permutation_fields(), kRequestPermutation),
                  {"pattern", "n", "d_model", "scale", "seed", "prefix", "window", "memory_budget_mib"});
  // Nothing else: every known key is a row of a parameter of the request or a wasm-only key.
  for (const std::string& key : known_keys(analysis_fields(), kRequestStats)) {
    const bool wasm_only = key == "want_matrix" || key == "custom_mask";
    EXPECT_TRUE(wasm_only || (parameter_info(key).requests & kRequestStats) != 0) << key;
  }
  // The seeded inputs' parameters (refused beside q/k) are parameters of the analysis with a field row.
  for (const std::string& name : seeded_input_parameters()) {
    EXPECT_NE(parameter_info(name).requests & kRequestStats, 0u) << name;
    EXPECT_NE(field_of(analysis_fields(), name.c_str()).set, nullptr) << name;
  }
  // sweep has no `pattern` (it loops over --patterns).
  const std::vector<std::string> sweep = known_keys(analysis_fields(), kRequestSweep);
  EXPECT_EQ(std::count(sweep.begin(), sweep.end(), "pattern"), 0);
}

TEST(RequestFields, NothingGivenIsTheConfigStructsDefaults) {
  AnalysisConfig analysis;
  analysis.inputs.n = 5;  // overwritten by the registry's default
  analysis.scale = 3.0;
  EXPECT_EQ(read_fields(analysis_fields(), kRequestStats, analysis, nothing_given), std::set<std::string>{});
  finish_analysis_config(analysis, false, false);
  const AnalysisConfig fresh;
  EXPECT_EQ(analysis.inputs.n, fresh.inputs.n);
  EXPECT_EQ(analysis.inputs.d, fresh.inputs.d);
  EXPECT_EQ(analysis.inputs.seed, fresh.inputs.seed);
  EXPECT_EQ(analysis.inputs.rope, fresh.inputs.rope);
  EXPECT_EQ(analysis.inputs.repeat_period, fresh.inputs.repeat_period);
  EXPECT_EQ(analysis.scale, fresh.scale);
  EXPECT_EQ(analysis.kind, fresh.kind);
  EXPECT_EQ(analysis.linear.feature, fresh.linear.feature);
  EXPECT_EQ(analysis.linear.features, fresh.linear.features);
  EXPECT_EQ(analysis.precision, fresh.precision);
  EXPECT_EQ(analysis.mask.kind, fresh.mask.kind);
  EXPECT_EQ(analysis.memory_budget_mib, fresh.memory_budget_mib);
  EXPECT_EQ(analysis.mask.prefix, default_prefix(fresh.inputs.n));  // derived after n
  EXPECT_EQ(analysis.mask.window, default_window(fresh.inputs.n));

  CollapseConfig collapse;
  read_fields(collapse_fields(), kRequestCollapse, collapse, nothing_given);
  const CollapseConfig fresh_collapse;
  EXPECT_EQ(collapse.n, fresh_collapse.n);
  EXPECT_EQ(collapse.d_model, fresh_collapse.d_model);
  EXPECT_EQ(collapse.d_k, 0);  // the core's "d_model"
  EXPECT_EQ(collapse.d_ff, 0);
  EXPECT_EQ(collapse.prefix, -1);  // the core's n / 2
  EXPECT_EQ(collapse.window, -1);
  EXPECT_EQ(collapse.layers, fresh_collapse.layers);
  EXPECT_EQ(collapse_variant_name(collapse.variant), collapse_variant_name(fresh_collapse.variant));

  MixtureConfig mixture;
  read_fields(mixture_fields(), kRequestMixture, mixture, nothing_given);
  EXPECT_EQ(mixture.d_model, MixtureConfig{}.d_model);  // 64, the registry's mixture default
  ArchitectureConfig arch;
  read_fields(architecture_fields(), kRequestArch, arch, nothing_given);
  EXPECT_EQ(arch.d_model, ArchitectureConfig{}.d_model);  // 512
  EXPECT_EQ(arch.layers, ArchitectureConfig{}.layers);
  EXPECT_EQ(arch.d_ff, ArchitectureConfig{}.d_ff);
  PermutationConfig permutation;
  read_fields(permutation_fields(), kRequestPermutation, permutation, nothing_given);
  finish_permutation_config(permutation, false, false);
  EXPECT_EQ(permutation.mask.prefix, default_prefix(PermutationConfig{}.n));
}

// The value of `key` (typed as the front end would read it), nothing else.
FieldSource only(const char* wanted, ParamValue value) {
  return [wanted, value](const char* key, const ParameterInfo*, ParamType) -> std::optional<ParamValue> {
    if (std::string(key) == wanted) return value;
    return std::nullopt;
  };
}

ParamValue integer(long long v) { return ParamValue{v, 0.0, false, ""}; }

// A refusal of a given value, in the core's words naming the parameter.
template <typename Call>
void expect_refusal(Call call, const char* param, const std::string& message) {
  test::expect_error(call, ErrorCode::kInvalidArgument, message, param);
}

TEST(RequestFields, ApplyBoundsGivenIntegersInTheCoresWords) {
  AnalysisConfig c;
  expect_refusal([&] { read_fields(analysis_fields(), kRequestStats, c, only("n", integer(0))); }, "n",
                 "n=0 must be in [1, 4096]");
  expect_refusal([&] { read_fields(analysis_fields(), kRequestStats, c, only("memory_budget_mib", integer(0))); },
                 "memory_budget_mib", "memory_budget_mib=0 must be in [1, 1048576]");
  // The seed's range is wider than int: its top value reaches the 64-bit field.
  EXPECT_EQ(read_fields(analysis_fields(), kRequestStats, c, only("seed", integer(4294967295LL))),
            std::set<std::string>{"seed"});
  EXPECT_EQ(c.inputs.seed, 4294967295ULL);
  expect_refusal([&] { read_fields(analysis_fields(), kRequestStats, c, only("seed", integer(4294967296LL))); },
                 "seed", "seed=4294967296 must be in [0, 4294967295]");
  // features: bounded by analyze() only for favor, so 0 passes here; beyond int it does not.
  read_fields(analysis_fields(), kRequestStats, c, only("features", integer(0)));
  EXPECT_EQ(c.linear.features, 0);
  expect_refusal([&] { read_fields(analysis_fields(), kRequestStats, c, only("features", integer(1LL << 40))); },
                 "features", "features=1099511627776 must be in [1, 4096]");
  // prefix / window beyond int: worded against n.
  expect_refusal([&] { read_fields(analysis_fields(), kRequestStats, c, only("prefix", integer(1LL << 40))); },
                 "prefix", "prefix=1099511627776 exceeds n=64");
  expect_refusal([&] { read_fields(analysis_fields(), kRequestStats, c, only("window", integer(-(1LL << 40)))); },
                 "window", "window=-1099511627776 must be >= 1");
  // A choice is parsed by the row's setter.
  expect_refusal([&] { read_fields(analysis_fields(), kRequestStats, c, only("kind", ParamValue{0, 0.0, false, "x"})); },
                 "kind", "kind=x is unknown (expected one of: softmax, linear)");

  // collapse: -1 is its "default" marker, so a given -1 is refused after the rows.
  CollapseConfig collapse;
  const std::set<std::string> given = read_fields(collapse_fields(), kRequestCollapse, collapse, only("prefix", integer(-1)));
  expect_refusal([&] { finish_collapse_config(collapse, given.count("prefix") > 0, false); }, "prefix",
                 "prefix=-1 must be >= 0");
  expect_refusal([&] { read_fields(collapse_fields(), kRequestCollapse, collapse, only("d_k", integer(0))); }, "d_k",
                 "d_k=0 must be in [1, 65536]");
}

TEST(RequestFields, ListItemsAndWasmOnlyKeys) {
  // One item of --patterns sets one request's pattern (wasm key "pattern").
  CollapseConfig collapse;
  const ConfigTable<CollapseConfig>& table = collapse_fields();
  apply_field(table, field_of(table, "patterns"), collapse, ParamValue{0, 0.0, false, "forward"});
  EXPECT_EQ(collapse.pattern.id, "forward");
  EXPECT_THROW(field_of(table, "heads"), std::logic_error);
  // want_matrix is a boolean config key of the binding only (the CLI has --dump-matrix).
  AnalysisConfig analysis;
  read_fields(analysis_fields(), kRequestStats, analysis, only("want_matrix", ParamValue{0, 0.0, true, ""}));
  EXPECT_TRUE(analysis.want_matrix);
  EXPECT_EQ(field_type(""), ParamType::kBoolean);
}

}  // namespace
}  // namespace attnrank
