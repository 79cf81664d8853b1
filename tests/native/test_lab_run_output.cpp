// The pieces of `attnrank train` that live in the lab: the per-(layer, head) layout grammar
// (lab/run_layout.h: blocks of heads, cycled layers, the mixtures, the errors naming masks/attention),
// section 3's comparisons per task, a checkpoint's record (lab/run_output.h: keys, nulls, no singular
// values) and section 7's dump (every file, float32/int32 dtypes and shapes read back by the core's .npy
// parser, the loss equal to a fresh forward, and training after a dump bit-identical to training without).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "attnrank/io/npy.h"
#include "attnrank/lab/run_layout.h"
#include "attnrank/lab/run_output.h"
#include "attnrank/lab/trainer.h"
#include "test_support.h"

namespace attnrank::lab {
namespace {

using test::expect_error;

std::vector<std::string> kinds_of(const std::vector<std::vector<MaskSpec>>& layout, int layer) {
  std::vector<std::string> out;
  for (const MaskSpec& spec : layout[layer]) out.push_back(pattern_name(spec.kind));
  return out;
}

TEST(LabRunLayout, OnePatternBlocksOfHeadsAndCycledLayers) {
  const auto all = parse_mask_layout("forward", 2, 4, 3, 2);
  EXPECT_EQ(kinds_of(all, 0), (std::vector<std::string>{"forward", "forward", "forward", "forward"}));
  EXPECT_EQ(all[1][3].prefix, 3);
  EXPECT_EQ(all[1][3].window, 2);
  const auto heads = parse_mask_layout("mix-heads", 2, 4, 3, 2);  // first half forward, the rest backward
  for (int l = 0; l < 2; ++l)
    EXPECT_EQ(kinds_of(heads, l), (std::vector<std::string>{"forward", "forward", "backward", "backward"}));
  const auto layers = parse_mask_layout("mix-layers", 3, 2, 3, 2);  // alternates by layer
  EXPECT_EQ(kinds_of(layers, 0), (std::vector<std::string>{"forward", "forward"}));
  EXPECT_EQ(kinds_of(layers, 1), (std::vector<std::string>{"backward", "backward"}));
  EXPECT_EQ(kinds_of(layers, 2), (std::vector<std::string>{"forward", "forward"}));
  const auto both = parse_mask_layout("prefix/window/forward/bidirectional+window", 2, 4, 3, 2);
  EXPECT_EQ(kinds_of(both, 0), (std::vector<std::string>{"prefix", "window", "forward", "bidirectional"}));
  EXPECT_EQ(kinds_of(both, 1), (std::vector<std::string>{"window", "window", "window", "window"}));
  const auto kinds = parse_kind_layout("softmax/linear", 1, 4);
  EXPECT_EQ(kinds[0], (std::vector<HeadKind>{HeadKind::kSoftmax, HeadKind::kSoftmax, HeadKind::kLinear, HeadKind::kLinear}));
}

TEST(LabRunLayout, ErrorsNameTheOption) {
  const auto param_of = [](auto call) {
    try {
      call();
    } catch (const Error& error) {
      return error.param();
    }
    return std::string("no error");
  };
  expect_error([] { parse_mask_layout("forward/backward/window", 1, 4, 0, 1); }, ErrorCode::kInvalidArgument,
               "masks=forward/backward/window splits a layer's heads into 3 blocks, which does not divide heads=4");
  expect_error([] { parse_mask_layout("forward+", 2, 4, 0, 1); }, ErrorCode::kInvalidArgument,
               "masks=forward+ has an empty entry");
  EXPECT_EQ(param_of([] { parse_mask_layout("sideways", 1, 2, 0, 1); }), "masks");
  EXPECT_EQ(param_of([] { parse_mask_layout("custom", 1, 2, 0, 1); }), "masks");
  expect_error([] { parse_kind_layout("softmax/quadratic", 1, 2); }, ErrorCode::kInvalidArgument,
               "attention=quadratic is unknown (expected one of: softmax, linear)");
  EXPECT_EQ(param_of([] { parse_kind_layout("softmax/quadratic", 1, 2); }), "attention");
  EXPECT_EQ(param_of([] { parse_variant("forward:linear:x"); }), "configs");
  EXPECT_EQ(parse_variant("mix-heads").name(), "mix-heads:softmax");
  EXPECT_EQ(parse_variant("forward:linear").attention, "linear");
}

TEST(LabRunLayout, EachTaskComparesSection3sConfigurations) {
  const auto names = [](TaskKind kind) {
    std::vector<std::string> out;
    for (const RunVariant& v : task_variants(kind)) out.push_back(v.name());
    return out;
  };
  EXPECT_EQ(names(TaskKind::kPrefix), (std::vector<std::string>{"forward:softmax", "prefix:softmax"}));
  EXPECT_EQ(names(TaskKind::kMqar), (std::vector<std::string>{"forward:softmax", "forward:linear"}));
  EXPECT_EQ(names(TaskKind::kOrder).front(), "bidirectional:softmax");
  EXPECT_EQ(names(TaskKind::kCopy).size(), 4u);
  for (TaskKind kind : {TaskKind::kOrder, TaskKind::kMlm, TaskKind::kPrefix, TaskKind::kMqar, TaskKind::kLmVsMlm,
                        TaskKind::kCopy, TaskKind::kReverse})
    for (const RunVariant& v : task_variants(kind)) {  // every entry parses
      EXPECT_NO_THROW(parse_mask_layout(v.masks, 2, 4, 3, 2)) << v.name();
      EXPECT_NO_THROW(parse_kind_layout(v.attention, 2, 4)) << v.name();
    }
}

// Copy with n = 13, two layers of a forward/backward head pair, softmax/linear.
RunConfig tiny_run(int steps) {
  RunConfig run;
  run.task = TaskConfig{TaskKind::kCopy, 13, 6, 2, 6};
  run.model = uniform_model_config(8, 13, 16, 2, 2, MaskSpec{}, HeadKind::kSoftmax);
  run.model.masks = parse_mask_layout("mix-heads", 2, 2, 7, 2);
  run.model.kinds = parse_kind_layout("softmax/linear", 2, 2);
  run.seed = 9;
  run.steps = steps;
  run.batch = 3;
  run.optimizer.learning_rate = 3e-3;
  run.checkpoint_interval = 2;
  run.heldout_batches = 1;
  return run;
}

TEST(LabRunOutput, CheckpointRecordHasItsKeys) {
  Trainer trainer(tiny_run(2), nullptr);
  trainer.step();
  trainer.step();
  const RunLabel label{"mix-heads:softmax/linear", "mix-heads", "softmax/linear"};
  const ResultValue start = checkpoint_result(trainer, label, trainer.checkpoints().front());
  const ResultValue end = checkpoint_result(trainer, label, trainer.checkpoints().back());
  std::vector<std::string> keys;
  for (const auto& [key, value] : end.members) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"task", "config", "masks", "attention", "objective", "seed", "run", "steps",
                                            "batch", "step", "learning_rate", "train_loss", "heldout_loss",
                                            "heldout_accuracy", "baseline", "permutation_error", "heads"}));
  EXPECT_EQ(start.find("train_loss")->type, ResultValue::Type::kNull);
  EXPECT_EQ(start.find("learning_rate")->type, ResultValue::Type::kNull);
  EXPECT_EQ(end.find("step")->integer, 2);
  EXPECT_DOUBLE_EQ(end.find("train_loss")->number, *trainer.checkpoints().back().train_loss);
  EXPECT_EQ(end.find("heldout_accuracy")->type, ResultValue::Type::kNumber);  // copy: an accuracy task
  EXPECT_EQ(end.find("permutation_error")->type, ResultValue::Type::kNull);  // causal heads: no equivariance
  const ResultValue& heads = *end.find("heads");
  ASSERT_EQ(heads.items.size(), 4u);
  EXPECT_EQ(heads.items[1].find("pattern")->text, "backward");
  EXPECT_EQ(heads.items[1].find("attention")->text, "linear");
  EXPECT_EQ(heads.items[3].find("layer")->integer, 1);
  EXPECT_EQ(heads.items[0].find("singular_values"), nullptr);
  EXPECT_NE(heads.items[0].find("effective_rank"), nullptr);
  EXPECT_EQ(heads.items[0].find("numerical_rank_f32")->integer, 13);  // causal softmax: full rank
}

// The int32 payload of a dump's .npy (after the header the core writes).
std::vector<int> int32_payload(const std::string& bytes, std::size_t count) {
  std::vector<int> values(count);
  std::memcpy(values.data(), bytes.data() + bytes.size() - 4 * count, 4 * count);
  return values;
}

TEST(LabRunOutput, DumpIsSection7AndLeavesTrainingUnchanged) {
  Trainer dumped(tiny_run(4), nullptr), plain(tiny_run(4), nullptr);
  dumped.step();
  plain.step();
  const std::vector<DumpFile> files = dump_files(dumped);
  const Model<float>& model = dumped.model();
  ASSERT_EQ(files.size(), 1 + 2 * model.layout().size() + 3);
  EXPECT_EQ(files.front().path, "config.json");
  const std::string& config = files.front().bytes;
  for (const char* key : {"\"vocab\": 8", "\"n\": 13", "\"width\": 16", "\"heads\": 2", "\"layers\": 2",
                          "\"positions\": \"learned\"", "\"prefix\": 7", "\"window\": 2",
                          "\"masks\": [[\"forward\", \"backward\"], [\"forward\", \"backward\"]]",
                          "\"attention\": [[\"softmax\", \"linear\"], [\"softmax\", \"linear\"]]", "\"seed\": 9",
                          "\"step\": 1", "\"dtype\": \"float32\""})
    EXPECT_NE(config.find(key), std::string::npos) << key << " in " << config;
  std::vector<int> tokens, targets;
  dumped.task().batch(9, 0, StreamDomain::kTrain, 1, 3, tokens, targets);
  for (std::size_t f = 1; f < files.size(); ++f) {
    const DumpFile& file = files[f];
    if (file.path == "tokens.npy" || file.path == "targets.npy") {
      EXPECT_NE(file.bytes.find("'descr': '<i4'"), std::string::npos);
      EXPECT_NE(file.bytes.find("'shape': (3, 13)"), std::string::npos);
      EXPECT_EQ(int32_payload(file.bytes, 39), file.path == "tokens.npy" ? tokens : targets);
      continue;
    }
    if (file.path == "loss.json") {
      Model<float> fresh(model.config());
      fresh.parameters() = model.parameters();
      char expected[64];
      std::snprintf(expected, sizeof expected, "{\"loss\": %.17g}\n",
                    static_cast<double>(fresh.forward(tokens.data(), targets.data(), 3)));
      EXPECT_EQ(file.bytes, expected);
      continue;
    }
    const bool is_grad = file.path.rfind("grads/", 0) == 0;
    const std::string name = file.path.substr(is_grad ? 6 : 7, file.path.size() - (is_grad ? 6 : 7) - 4);
    const ParameterInfo* info = nullptr;
    for (const ParameterInfo& p : model.layout())
      if (p.name == name) info = &p;
    ASSERT_NE(info, nullptr) << file.path;
    const NpyArray array = parse_npy(file.bytes, file.path);
    EXPECT_TRUE(array.is_float32);
    const std::vector<std::int64_t> shape =
        info->rows == 1 ? std::vector<std::int64_t>{info->cols} : std::vector<std::int64_t>{info->rows, info->cols};
    EXPECT_EQ(array.shape, shape);
    const std::vector<float>& source = is_grad ? model.gradients() : model.parameters();
    for (std::size_t i = 0; i < array.data.size(); ++i)
      ASSERT_EQ(static_cast<float>(array.data[i]), source[info->offset + i]) << file.path << " " << i;
  }
  while (!plain.is_done()) {
    plain.step();
    dumped.step();
  }
  EXPECT_EQ(plain.model().parameters(), dumped.model().parameters());
}

}  // namespace
}  // namespace attnrank::lab
