// The result trees (result_fields.h) against their description (result_schemas(), from which
// docs/result-schema.md is written): at every level each key a tree has is described, in the described
// order, and a described key a tree lacks says so ("only ..."). The trees check each value against its
// declared type as they are built, so building them here checks that too.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "attnrank/claims/claims.h"
#include "attnrank/io/result_fields.h"

namespace attnrank {
namespace {

bool is_conditional(const ResultField& field) { return field.meaning.rfind("only", 0) == 0; }

void expect_described(const ResultValue& tree, const std::vector<ResultField>& fields, const std::string& where) {
  ASSERT_EQ(tree.type, ResultValue::Type::kObject) << where;
  auto next = fields.begin();
  for (const auto& member : tree.members) {
    const std::string& key = member.first;  // a named copy: C++17 lambdas cannot capture structured bindings
    const ResultValue& value = member.second;
    const auto field = std::find_if(next, fields.end(), [&](const ResultField& f) { return f.key == key; });
    ASSERT_NE(field, fields.end()) << where << key << " is not described, or out of order";
    for (auto skipped = next; skipped != field; ++skipped) {
      EXPECT_TRUE(is_conditional(*skipped)) << where << skipped->key << " is missing but not described as optional";
    }
    next = field + 1;
    if (field->fields.empty()) continue;
    if (value.type == ResultValue::Type::kList) {
      for (const ResultValue& item : value.items) expect_described(item, field->fields, where + key + "[].");
    } else {
      expect_described(value, field->fields, where + key + ".");
    }
  }
  for (; next != fields.end(); ++next) {
    EXPECT_TRUE(is_conditional(*next)) << where << next->key << " is missing but not described as optional";
  }
}

void expect_described(const ResultValue& tree, const std::string& schema) {
  expect_described(tree, result_schema(schema).fields, schema + ": ");
}

AnalysisConfig analysis_config(PatternKind pattern, AttentionKind kind, FeatureMap feature, Precision precision) {
  AnalysisConfig config;
  config.mask.kind = pattern;
  config.mask.prefix = 8;
  config.mask.window = 4;
  config.inputs.n = 16;
  config.inputs.d = 4;
  config.kind = kind;
  config.linear.feature = feature;
  config.linear.features = 4;
  config.precision = precision;
  return config;
}

TEST(ResultFields, AnalysisTreesAreTheirDescription) {
  for (const AnalysisConfig& config :
       {analysis_config(PatternKind::kPrefix, AttentionKind::kSoftmax, FeatureMap::kElu1, Precision::F64),
        analysis_config(PatternKind::kForward, AttentionKind::kSoftmax, FeatureMap::kElu1, Precision::F32),
        analysis_config(PatternKind::kWindow, AttentionKind::kLinear, FeatureMap::kFavor, Precision::F64),
        analysis_config(PatternKind::kBidirectional, AttentionKind::kLinear, FeatureMap::kRelu, Precision::F64)}) {
    expect_described(analysis_result(config, analyze(config)), "analysis");
  }
}

TEST(ResultFields, ExperimentTreesAreTheirDescription) {
  MixtureConfig mixture;
  mixture.n = 8;
  mixture.d_model = 8;
  mixture.heads = 2;
  expect_described(mixture_result(mixture, run_mixture(mixture)), "mixture");
  CollapseConfig collapse;
  collapse.n = 8;
  collapse.layers = 2;
  const CollapseResult collapsed = run_collapse(collapse);
  expect_described(collapse_result(collapse, collapsed), "collapse");
  ResultValue runs = ResultValue::list();
  runs.push(collapse_result(collapse, collapsed));
  expect_described(collapse_runs_result(collapse, collapsed, runs), "collapse_runs");
  const ResultValue layers = collapse_layers_result(collapse, collapsed);
  ASSERT_EQ(layers.items.size(), 3u);  // l = 0..L
  for (const ResultValue& row : layers.items) expect_described(row, "collapse_layers");
  const ArchitectureConfig architecture;
  expect_described(architectures_result(architecture, architecture_costs(architecture)), "architectures");
  for (const PatternKind pattern : {PatternKind::kPrefix, PatternKind::kForwardWindow, PatternKind::kBackward}) {
    PermutationConfig permutation;
    permutation.n = 8;
    permutation.mask.kind = pattern;
    permutation.mask.prefix = 4;
    permutation.mask.window = 2;
    const PermutationResult result = run_permutation_test(permutation);
    expect_described(permutation_result(permutation, result), "permutation");
    expect_described(permutation_runs_result(permutation, {{permutation, result}}), "permutation_runs");
  }
}

TEST(ResultFields, ClaimsAndRegistryTreesAreTheirDescription) {
  expect_described(claims_result(evaluate_claims(analysis_config(PatternKind::kBidirectional, AttentionKind::kSoftmax,
                                                                 FeatureMap::kElu1, Precision::F64))),
                   "claims");
  expect_described(pattern_registry_result(), "patterns");
  expect_described(claim_catalogue_result(), "claim_catalogue");
  const ResultValue schemas = result_schemas_result();
  ASSERT_EQ(schemas.members.size(), 1u);
  for (const ResultValue& schema : schemas.members[0].second.items) {
    expect_described(schema, result_schema("result_fields").fields, "result_fields: ");
  }
}

TEST(ResultFields, SweepTreeIsItsDescription) {
  AnalysisConfig config = analysis_config(PatternKind::kPrefix, AttentionKind::kSoftmax, FeatureMap::kElu1, Precision::F64);
  std::vector<std::pair<AnalysisConfig, AnalysisResult>> rows;
  rows.emplace_back(config, analyze(config));
  config.mask.kind = PatternKind::kForward;
  rows.emplace_back(config, analyze(config));
  const ResultValue tree = sweep_result("n", {"16"}, rows);
  expect_described(tree, "sweep");
  ASSERT_EQ(tree.members.size(), 3u);
  EXPECT_EQ(tree.members[2].second.items.size(), 2u);
}

// The wasm lab binding's results (lab_binding.cpp fills the records): every key described, every top-level
// row wasm only (no CLI command prints them), the values of their declared types (checked as the trees are
// built); the attention's matrices are views of the record's.
TEST(ResultFields, LabBindingTreesAreTheirDescription) {
  expect_described(lab_corpus_result(LabCorpusRecord{1200, 11}), "lab_corpus");
  expect_described(lab_start_result(LabStartRecord{1, 0, 3, 6, 1736, 1186139}), "lab_start");
  expect_described(lab_progress_result(LabProgressRecord{2, 3, false, 3}), "lab_progress");
  const MatrixXd first = MatrixXd::Constant(3, 3, 1.0 / 3.0);
  const MatrixXd second = MatrixXd::Identity(3, 3);
  LabAttentionRecord attention;
  attention.step = 2;
  attention.n = 3;
  attention.tokens = {5, 3, 1};
  attention.heads.push_back({LabHeadRecord{0, 0, "forward", "softmax", nullptr}, &first});
  attention.heads.push_back({LabHeadRecord{0, 1, "backward", "linear", nullptr}, &second});
  const ResultValue tree = lab_attention_result(attention);
  expect_described(tree, "lab_attention");
  const ResultValue* heads = tree.find("heads");
  ASSERT_NE(heads, nullptr);
  ASSERT_EQ(heads->items.size(), 2u);
  EXPECT_EQ(heads->items[1].find("matrix")->numbers_view, second.data());
  EXPECT_EQ(tree.find("tokens")->integers, (std::vector<int>{5, 3, 1}));
  for (const char* name : {"lab_corpus", "lab_start", "lab_progress", "lab_attention"}) {
    const ResultSchema& schema = result_schema(name);
    EXPECT_TRUE(schema.cli.empty()) << name;
    for (const ResultField& field : schema.fields) EXPECT_TRUE(field.wasm_only) << name << ": " << field.key;
  }
}

// The keys a wasm tree has beyond the CLI's tree of the same request are exactly the rows marked wasm only,
// and the CLI's tree has none of them.
void expect_wasm_only_extras(const ResultValue& cli, const ResultValue& wasm, const std::string& schema,
                             const std::vector<std::string>& extras) {
  expect_described(wasm, schema);
  std::vector<std::string> added;
  for (const auto& member : wasm.members) {
    const ResultField* field = find_field(result_schema(schema).fields, member.first);
    ASSERT_NE(field, nullptr) << member.first;
    EXPECT_EQ(field->wasm_only, cli.find(member.first) == nullptr) << schema << ": " << member.first;
    if (cli.find(member.first) == nullptr) added.push_back(member.first);
  }
  EXPECT_EQ(added, extras) << schema;
  EXPECT_EQ(cli.members.size() + extras.size(), wasm.members.size()) << schema;
}

TEST(ResultFields, WasmTreesAddTheMarkedMatricesAndMasks) {
  AnalysisConfig analysis = analysis_config(PatternKind::kWindow, AttentionKind::kSoftmax, FeatureMap::kElu1, Precision::F64);
  analysis.want_matrix = true;
  const AnalysisResult analysed = analyze(analysis);
  const ResultValue analysis_wasm = analysis_result(analysis, analysed, ResultTarget::kWasm);
  expect_wasm_only_extras(analysis_result(analysis, analysed), analysis_wasm, "analysis", {"matrix", "mask"});
  const ResultValue* matrix = analysis_wasm.find("matrix");
  ASSERT_EQ(matrix->type, ResultValue::Type::kNumbersView);
  EXPECT_EQ(matrix->view_size, 16u * 16u);
  EXPECT_EQ(matrix->numbers_view, analysed.matrix->data());  // a view, not a copy
  EXPECT_EQ(analysis_wasm.find("mask")->type, ResultValue::Type::kBytesView);
  analysis.want_matrix = false;
  const ResultValue without = analysis_result(analysis, analyze(analysis), ResultTarget::kWasm);
  EXPECT_EQ(without.find("matrix"), nullptr);

  MixtureConfig mixture;
  mixture.n = 8;
  mixture.d_model = 8;
  mixture.heads = 2;
  mixture.want_matrices = true;
  const MixtureResult mixed = run_mixture(mixture);
  expect_wasm_only_extras(mixture_result(mixture, mixed), mixture_result(mixture, mixed, ResultTarget::kWasm), "mixture",
                          {"head_matrices", "head_masks", "product_matrix", "split_head_matrix"});

  ArchitectureConfig architecture;
  architecture.n_in = 6;
  architecture.n_out = 3;
  const std::vector<ArchitectureCost> costs = architecture_costs(architecture);
  const ArchitectureMasks masks = architecture_masks(architecture);
  expect_wasm_only_extras(architectures_result(architecture, costs, ResultTarget::kCli, &masks),
                          architectures_result(architecture, costs, ResultTarget::kWasm, &masks), "architectures", {"masks"});
}

// A bound's flag is a bool beside it named `<key>_is_<bound>_bound` (the CLI's table and the page read the
// pair from the description); the analysis has sigma_min (upper), condition_number (lower) and the f64 rank's
// null words.
TEST(ResultFields, BoundsNameTheirFlags) {
  int bounds = 0;
  for (const ResultSchema& schema : result_schemas()) {
    for (const ResultField& field : schema.fields) {
      if (field.bound.empty()) continue;
      ++bounds;
      ASSERT_TRUE(field.bound == "upper" || field.bound == "lower") << field.key;
      const ResultField* flag = find_field(schema.fields, field.key + "_is_" + field.bound + "_bound");
      ASSERT_NE(flag, nullptr) << schema.name << ": " << field.key;
      EXPECT_EQ(flag->type, "bool");
    }
  }
  EXPECT_EQ(bounds, 2);
  const std::vector<ResultField>& analysis = result_schema("analysis").fields;
  EXPECT_EQ(find_field(analysis, "sigma_min")->bound, "upper");
  EXPECT_EQ(find_field(analysis, "condition_number")->bound, "lower");
  EXPECT_EQ(find_field(analysis, "numerical_rank_f64")->null_text, "n/a at f32");
  EXPECT_EQ(find_field(analysis, "no such key"), nullptr);
}

// The columns of a one-row-per-result CSV: every key but arrays and objects, in order.
TEST(ResultFields, ScalarKeysOfTheAnalysis) {
  const std::vector<std::string> keys = scalar_keys(result_schema("analysis"));
  ASSERT_EQ(keys.size(), 31u);
  EXPECT_EQ(keys.front(), "pattern");
  EXPECT_EQ(keys.back(), "logits_rank");
  EXPECT_EQ(std::count(keys.begin(), keys.end(), "singular_values"), 0);
  EXPECT_THROW(result_schema("no such result"), std::logic_error);
}

}  // namespace
}  // namespace attnrank
