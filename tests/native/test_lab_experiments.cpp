// The lab's experiments table (lab/experiments.h): one per task in section 3's order, its configurations
// the task's `--configs task` list, every comparison naming configurations the experiment trains, seeds
// 1-3, the metric accuracy exactly for the accuracy tasks, the options the registry's defaults; and its
// result tree (lab_experiments: the keys of result_lab_fields.cpp's table).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "attnrank/lab/experiments.h"
#include "test_support.h"

namespace attnrank::lab {
namespace {

TEST(LabExperiments, OnePerTaskWithTheTasksConfigurations) {
  const std::vector<std::string> ids = {"order", "mlm", "prefix", "mqar", "lm-vs-mlm", "copy", "reverse"};
  ASSERT_EQ(experiments().size(), ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const Experiment& e = experiments()[i];
    EXPECT_EQ(e.id, ids[i]);
    EXPECT_EQ(e.id, task_name(e.task));
    EXPECT_EQ(&experiment_for(e.task), &e);
    const std::vector<RunVariant> variants = task_variants(e.task);
    ASSERT_EQ(e.configs.size(), variants.size()) << e.id;
    for (std::size_t k = 0; k < variants.size(); ++k) EXPECT_EQ(e.configs[k].name(), variants[k].name());
    EXPECT_EQ(e.seeds, (std::vector<std::uint64_t>{1, 2, 3})) << e.id;
    EXPECT_GE(static_cast<int>(e.seeds.size()), kVerdictMinSeeds);
    EXPECT_EQ(e.metric == Metric::kHeldoutAccuracy, is_accuracy_task(e.task)) << e.id;
    EXPECT_FALSE(e.comparisons.empty()) << e.id;
    EXPECT_NE(std::string(e.title_en).find(e.claims.front() == "recall" ? "C9" : e.claims.front()), std::string::npos) << e.id;
    EXPECT_STRNE(e.title_zh, "");
  }
}

TEST(LabExperiments, ComparisonsNameTrainedConfigurationsAndListedClaims) {
  for (const Experiment& e : experiments()) {
    std::set<std::string> configs, claims(e.claims.begin(), e.claims.end()), used;
    for (const RunVariant& v : e.configs) configs.insert(v.name());
    for (const Comparison& c : e.comparisons) {
      for (const std::string* config : {&c.a, &c.b, &c.a_minus, &c.b_minus}) {
        if (!config->empty()) {
          EXPECT_EQ(configs.count(*config), 1u) << e.id << ": " << *config;
        }
      }
      EXPECT_NE(c.a, c.b) << e.id;
      EXPECT_EQ(claims.count(c.claim), 1u) << e.id << ": " << c.claim;
      EXPECT_STRNE(c.question_en, "");
      EXPECT_STRNE(c.question_zh, "");
      used.insert(c.claim);
    }
    EXPECT_EQ(used, claims) << e.id << ": every listed claim has a comparison";
  }
  // The essay's claims with verdicts (issue 18 item 4) each have an experiment.
  for (const char* claim : {"C9", "C11", "C12", "C16"}) {
    EXPECT_TRUE(std::any_of(experiments().begin(), experiments().end(), [&](const Experiment& e) {
      return std::find(e.claims.begin(), e.claims.end(), claim) != e.claims.end();
    })) << claim;
  }
}

TEST(LabExperiments, OptionsAreTheRegistryDefaultsAndUnknownIdsAreRefused) {
  const RunBase order = experiment_options(experiment("order"));
  EXPECT_EQ(order.config.model.positions, Positions::kNone);  // C16: no positional encoding
  EXPECT_EQ(order.config.steps, 1500);
  EXPECT_EQ(experiment_options(experiment("mlm")).config.model.positions, Positions::kLearned);
  test::expect_error([] { experiment("gpt"); }, ErrorCode::kInvalidArgument,
                     "experiment=gpt is unknown (expected one of: order, mlm, prefix, mqar, lm-vs-mlm, copy, reverse)",
                     "experiment");
}

TEST(LabExperiments, ResultTreeHasOneEntryPerExperimentWithItsOptions) {
  const ResultValue tree = experiments_result();
  const ResultValue* list = tree.find("experiments");
  ASSERT_NE(list, nullptr);
  ASSERT_EQ(list->items.size(), experiments().size());
  const ResultValue& copy = list->items[5];
  EXPECT_EQ(copy.find("id")->text, "copy");
  EXPECT_EQ(copy.find("metric")->text, "heldout_accuracy");
  EXPECT_EQ(copy.find("better")->text, "higher");
  EXPECT_EQ(copy.find("seeds")->integers, (std::vector<int>{1, 2, 3}));
  const ResultValue* options = copy.find("options");
  EXPECT_EQ(options->find("task")->text, "copy");
  EXPECT_EQ(options->find("steps")->integer, 1500);
  EXPECT_NE(options->find("max_length"), nullptr);
  EXPECT_EQ(options->find("pairs"), nullptr);  // mqar's only
  EXPECT_EQ(copy.find("comparisons")->items.size(), 4u);
}

}  // namespace
}  // namespace attnrank::lab
