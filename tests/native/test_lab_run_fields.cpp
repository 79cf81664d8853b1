// The train request's options defined once (issue 14 item 1): every field of lab::RunRequest has exactly
// one row of run_request_fields(), every row names a registry parameter of the train request (the
// coverage against the registry is test_request_fields.cpp's), and run_base() takes its defaults and its
// integer ranges from the registry's train entries, the three same-named parameters (n, layers, seed)
// with their train ranges. A RunRequest field the front ends read by hand, without a row, fails here.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "attnrank/base/errors.h"
#include "attnrank/base/memory_estimate.h"
#include "attnrank/base/parameter_registry.h"
#include "attnrank/lab/optimizer.h"
#include "attnrank/lab/run_request.h"
#include "attnrank/lab/tasks.h"
#include "test_support.h"

namespace attnrank::lab {
namespace {

// Which fields of `r` hold a value, in declaration order. The structured binding names every member: a
// field added to RunRequest stops this from compiling until it is listed here, and then the tests below
// fail until it has its row.
std::vector<bool> given_fields(const RunRequest& r) {
  const auto& [task, n, width, heads, layers, prefix, window, positions, symbols, max_length, min_length, pairs, keys,
               values, steps, batch, checkpoint_every, heldout_batches, run, learning_rate, warmup_fraction,
               final_fraction, weight_decay, clip_norm, masks, attention, seed, memory_budget_mib] = r;
  return {task.has_value(), n.has_value(), width.has_value(), heads.has_value(), layers.has_value(),
          prefix.has_value(), window.has_value(), positions.has_value(), symbols.has_value(),
          max_length.has_value(), min_length.has_value(), pairs.has_value(), keys.has_value(),
          values.has_value(), steps.has_value(), batch.has_value(), checkpoint_every.has_value(),
          heldout_batches.has_value(), run.has_value(), learning_rate.has_value(), warmup_fraction.has_value(),
          final_fraction.has_value(), weight_decay.has_value(), clip_norm.has_value(), masks.has_value(),
          attention.has_value(), seed.has_value(), memory_budget_mib.has_value()};
}

TEST(LabRunFields, EveryRunRequestFieldHasExactlyOneRow) {
  const ConfigTable<RunRequest>& table = run_request_fields();
  const std::size_t field_count = given_fields(RunRequest{}).size();
  std::set<std::size_t> set_by_rows;
  for (const ConfigField<RunRequest>& row : table.fields) {
    SCOPED_TRACE(row.key);
    ASSERT_NE(row.set, nullptr);
    EXPECT_EQ(row.bound, FieldBound::kRequest);  // run_base bounds every value, in its order
    const attnrank::ParameterInfo& info = parameter_info(row.param);  // throws without a registry entry
    EXPECT_NE(info.requests & kRequestTrain, 0u);
    EXPECT_STREQ(row.key, row.param);
    RunRequest request;
    apply_field(table, row, request, ParamValue{3, 0.5, true, "x"});
    const std::vector<bool> given = given_fields(request);
    std::size_t count = 0;
    for (std::size_t i = 0; i < given.size(); ++i) {
      if (!given[i]) continue;
      ++count;
      EXPECT_TRUE(set_by_rows.insert(i).second) << "field " << i << " is set by two rows";
    }
    EXPECT_EQ(count, 1u) << "a row sets exactly one field";
  }
  EXPECT_EQ(set_by_rows.size(), field_count) << "a RunRequest field without a row";
  EXPECT_EQ(table.fields.size(), field_count);
}

TEST(LabRunFields, NothingGivenIsTheRegistrysDefaults) {
  // What read_fields fills in from the registry, and what run_base assumes when a caller fills in nothing.
  RunRequest filled;
  read_fields(run_request_fields(), kRequestTrain, filled,
              [](const char*, const attnrank::ParameterInfo*, ParamType) { return std::optional<ParamValue>(); });
  for (const RunBase& base : {run_base(RunRequest{}), run_base(filled)}) {
    const RunConfig& c = base.config;
    EXPECT_EQ(c.task.kind, TaskKind::kMlm);
    EXPECT_EQ(c.model.n, 64);
    EXPECT_EQ(c.model.width, 64);
    EXPECT_EQ(c.model.heads, 4);
    EXPECT_EQ(c.model.layers, 2);
    EXPECT_EQ(c.model.positions, Positions::kLearned);
    EXPECT_EQ(c.steps, 1500);
    EXPECT_EQ(c.batch, 16);
    EXPECT_EQ(c.checkpoint_interval, 100);
    EXPECT_EQ(c.heldout_batches, 4);
    EXPECT_EQ(c.run, 0u);
    EXPECT_EQ(c.memory_budget_mib, kDefaultMemoryBudgetMiB);
    EXPECT_EQ(base.seed, 1u);
    EXPECT_EQ(base.variant.masks, task_variants(TaskKind::kMlm).front().masks);
    EXPECT_EQ(base.variant.attention, "softmax");
    EXPECT_FALSE(base.prefix.has_value());
    EXPECT_FALSE(base.window.has_value());
    // The structs' initialisers (design-lab.md sections 3-4) are the registry's defaults.
    const TaskConfig task;
    EXPECT_EQ(c.task.symbols, task.symbols);
    EXPECT_EQ(c.task.pairs, task.pairs);
    EXPECT_EQ(c.task.keys, task.keys);
    EXPECT_EQ(c.task.values, task.values);
    EXPECT_EQ(c.task.max_length, std::min(task.max_length, (64 - 1) / 2));
    EXPECT_EQ(c.task.min_length, std::min(task.min_length, c.task.max_length));
    const AdamWConfig adamw;
    EXPECT_EQ(c.optimizer.learning_rate, adamw.learning_rate);
    EXPECT_EQ(c.optimizer.warmup_fraction, adamw.warmup_fraction);
    EXPECT_EQ(c.optimizer.final_fraction, adamw.final_fraction);
    EXPECT_EQ(c.optimizer.weight_decay, adamw.weight_decay);
    EXPECT_EQ(c.optimizer.clip_norm, adamw.clip_norm);
  }
  RunRequest order;
  order.task = "order";
  EXPECT_EQ(run_base(order).config.model.positions, Positions::kNone);
}

// Every integer option with a fixed range: its bounds pass, one beyond each is refused in the core's words
// naming it, with the registry's range for train (n, layers and seed: their train ranges, not the
// analyses'). Sizes that depend on others are left at values that hold.
TEST(LabRunFields, IntegerRangesAreTheRegistrysTrainRanges) {
  EXPECT_EQ(parameter_range(parameter_info("n"), kRequestTrain), &kTrainTokensRange);
  EXPECT_EQ(parameter_range(parameter_info("n"), kRequestStats), &kTokensRange);
  EXPECT_EQ(parameter_range(parameter_info("layers"), kRequestTrain), &kTrainLayersRange);
  EXPECT_EQ(parameter_range(parameter_info("layers"), kRequestCollapse), &kLayersRange);
  EXPECT_EQ(parameter_range(parameter_info("seed"), kRequestTrain), &kTrainSeedRange);
  EXPECT_EQ(parameter_range(parameter_info("seed"), kRequestMixture), &kSeedRange);
  const ConfigTable<RunRequest>& table = run_request_fields();
  int checked = 0;
  for (const ConfigField<RunRequest>& row : table.fields) {
    const ParamRange* range = parameter_range(parameter_info(row.param), kRequestTrain);
    if (range == nullptr) continue;
    SCOPED_TRACE(row.key);
    EXPECT_STREQ(range->name, row.param);
    for (const long long value : {range->min - 1, range->max + 1}) {
      RunRequest request;
      apply_field(table, row, request, ParamValue{value, 0.0, false, ""});
      test::expect_error([&] { run_base(request); }, ErrorCode::kInvalidArgument,
                         std::string(row.param) + "=" + std::to_string(value) + " must be in [" +
                             std::to_string(range->min) + ", " + std::to_string(range->max) + "]",
                         row.param);
    }
    ++checked;
  }
  // n, width, heads, layers, the task's six sizes, steps, batch, checkpoint_every, heldout_batches, run,
  // seed, memory_budget_mib
  EXPECT_EQ(checked, 17);
  RunRequest largest;
  largest.seed = kTrainSeedRange.max;  // 2^53: above the analyses' 2^32 - 1
  EXPECT_EQ(run_base(largest).seed, 1ULL << 53);
  EXPECT_EQ(run_seed(7, "seeds"), 7u);
  test::expect_error([] { run_seed(-1, "seeds"); }, ErrorCode::kInvalidArgument,
                     "seeds=-1 must be in [0, 9007199254740992]", "seeds");
}

TEST(LabRunFields, TaskChoicesAreTheLabsTasks) {
  for (const std::string& name : parameter_choices(parameter_info("task"))) {
    SCOPED_TRACE(name);
    EXPECT_EQ(task_name(parse_task(name)), name);
  }
  EXPECT_EQ(parameter_choices(parameter_info("task")).size(), 7u);
  EXPECT_EQ(parameter_choices(parameter_info("positions")), (std::vector<std::string>{"learned", "none"}));
}

}  // namespace
}  // namespace attnrank::lab
