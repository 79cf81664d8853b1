// The lab's experiments table (see experiments.h).
#include "attnrank/lab/experiments.h"

#include <string>
#include <utility>

#include "attnrank/base/errors.h"

namespace attnrank::lab {
namespace {

Comparison compare(const char* claim, std::string a, std::string b, Expectation expect, const char* question_en,
                   const char* question_zh) {
  Comparison c;
  c.claim = claim;
  c.a = std::move(a);
  c.b = std::move(b);
  c.expect = expect;
  c.question_en = question_en;
  c.question_zh = question_zh;
  return c;
}

Experiment make(TaskKind task, std::vector<std::string> claims, const char* title_en, const char* title_zh,
                std::vector<Comparison> comparisons) {
  Experiment e;
  e.id = task_name(task);
  e.task = task;
  e.claims = std::move(claims);
  e.title_en = title_en;
  e.title_zh = title_zh;
  e.configs = task_variants(task);
  e.metric = is_accuracy_task(task) ? Metric::kHeldoutAccuracy : Metric::kHeldoutLoss;
  e.seeds = {1, 2, 3};
  e.comparisons = std::move(comparisons);
  return e;
}

// Copy and reverse: the same four comparisons (C12 for each kind of head, recall for each mask).
std::vector<Comparison> sequence_comparisons() {
  return {
      compare("C12", "prefix:softmax", "forward:softmax", Expectation::kANotBetter,
              "prefix (UniLM) softmax against causal (GPT) softmax: is the prefix mask no better?",
              "前缀（UniLM）softmax 对因果（GPT）softmax：前缀掩码是否并不更好？"),
      compare("C12", "prefix:linear", "forward:linear", Expectation::kANotBetter,
              "prefix linear against causal linear: is the prefix mask no better?",
              "前缀线性注意力对因果线性注意力：前缀掩码是否并不更好？"),
      compare("recall", "forward:softmax", "forward:linear", Expectation::kABetter,
              "causal softmax against causal linear: does softmax recall better?",
              "因果 softmax 对因果线性注意力：softmax 是否回忆得更好？"),
      compare("recall", "prefix:softmax", "prefix:linear", Expectation::kABetter,
              "prefix softmax against prefix linear: does softmax recall better?",
              "前缀 softmax 对前缀线性注意力：softmax 是否回忆得更好？"),
  };
}

std::vector<Experiment> make_experiments() {
  std::vector<Experiment> out;
  {
    std::vector<Comparison> c = {
        compare("C16", "mix-heads:softmax", "bidirectional:softmax", Expectation::kABetter,
                "without positions, does the forward/backward head mixture learn better than bidirectional attention?",
                "没有位置编码时，前向/后向多头混合是否比双向注意力学得更好？"),
        compare("C16", "mix-layers:softmax", "bidirectional:softmax", Expectation::kABetter,
                "without positions, does the forward/backward layer mixture learn better than bidirectional attention?",
                "没有位置编码时，前向/后向逐层混合是否比双向注意力学得更好？"),
    };
    for (Comparison& comparison : c) comparison.b_may_not_learn = true;
    out.push_back(make(TaskKind::kOrder, {"C16"},
                       "C16: without positional encoding, do triangular masks give the order? (masked LM)",
                       "C16：没有位置编码时，三角掩码能否给出顺序？（掩码语言模型）", std::move(c)));
  }
  out.push_back(make(TaskKind::kMlm, {"C11"},
                     "C11: does a forward/backward mixture train better than bidirectional attention? (masked LM)",
                     "C11：前向/后向混合是否比双向注意力训练得更好？（掩码语言模型）",
                     {compare("C11", "mix-heads:softmax", "bidirectional:softmax", Expectation::kABetter,
                              "does the head mixture reach a lower held-out loss than bidirectional attention?",
                              "多头混合的留出损失是否低于双向注意力？"),
                      compare("C11", "mix-layers:softmax", "bidirectional:softmax", Expectation::kABetter,
                              "does the layer mixture reach a lower held-out loss than bidirectional attention?",
                              "逐层混合的留出损失是否低于双向注意力？")}));
  out.push_back(make(TaskKind::kPrefix, {"C12"},
                     "C12: GPT against UniLM, loss on the continuation only: is the prefix mask no better?",
                     "C12：GPT 对 UniLM，只在续写上计损失：前缀掩码是否并不更好？",
                     {compare("C12", "prefix:softmax", "forward:softmax", Expectation::kANotBetter,
                              "prefix (UniLM) against causal (GPT): is the prefix mask no better?",
                              "前缀（UniLM）对因果（GPT）：前缀掩码是否并不更好？")}));
  out.push_back(make(TaskKind::kMqar, {"recall"},
                     "C9's cause: does linear attention recall fewer associations than softmax? (MQAR)",
                     "C9 的原因：线性注意力回忆的关联是否比 softmax 少？（MQAR）",
                     {compare("recall", "forward:softmax", "forward:linear", Expectation::kABetter,
                              "does causal softmax recall the values better than causal linear attention?",
                              "因果 softmax 是否比因果线性注意力更好地回忆出值？")}));
  {
    Comparison c = compare("C9", "forward:linear", "bidirectional:linear", Expectation::kABetter,
                           "is linear attention's loss gap to softmax smaller on LM (causal) than on MLM (bidirectional)?",
                           "线性注意力与 softmax 的损失差距在 LM（因果）上是否比在 MLM（双向）上小？");
    c.a_minus = "forward:softmax";
    c.b_minus = "bidirectional:softmax";
    out.push_back(make(TaskKind::kLmVsMlm, {"C9"},
                       "C9: is linear attention's gap to softmax smaller on LM than on MLM?",
                       "C9：线性注意力与 softmax 的差距在 LM 上是否比在 MLM 上小？", {std::move(c)}));
  }
  out.push_back(make(TaskKind::kCopy, {"C12", "recall"},
                     "C12 and recall: copying a string (causal against prefix, softmax against linear)",
                     "C12 与回忆：复制字符串（因果对前缀，softmax 对线性）", sequence_comparisons()));
  out.push_back(make(TaskKind::kReverse, {"C12", "recall"},
                     "C12 and recall: reversing a string (causal against prefix, softmax against linear)",
                     "C12 与回忆：倒写字符串（因果对前缀，softmax 对线性）", sequence_comparisons()));
  return out;
}

ResultValue options_value(const RunBase& base) {
  const RunConfig& c = base.config;
  ResultValue out = ResultValue::object();
  const auto integer = [&out](const char* key, long long value) { out.add(key, ResultValue::integer_value(value)); };
  const auto number = [&out](const char* key, double value) { out.add(key, ResultValue::number_value(value)); };
  out.add("task", ResultValue::text_value(task_name(c.task.kind)));
  integer("n", c.model.n);
  integer("width", c.model.width);
  integer("heads", c.model.heads);
  integer("layers", c.model.layers);
  out.add("positions", ResultValue::text_value(c.model.positions == Positions::kLearned ? "learned" : "none"));
  if (c.task.kind == TaskKind::kCopy || c.task.kind == TaskKind::kReverse) {
    integer("symbols", c.task.symbols);
    integer("min_length", c.task.min_length);
    integer("max_length", c.task.max_length);
  }
  if (c.task.kind == TaskKind::kMqar) {
    integer("pairs", c.task.pairs);
    integer("keys", c.task.keys);
    integer("values", c.task.values);
  }
  integer("steps", c.steps);
  integer("batch", c.batch);
  integer("checkpoint_every", c.checkpoint_interval);
  integer("heldout_batches", c.heldout_batches);
  integer("run", static_cast<long long>(c.run));
  number("learning_rate", c.optimizer.learning_rate);
  number("warmup_fraction", c.optimizer.warmup_fraction);
  number("final_fraction", c.optimizer.final_fraction);
  number("weight_decay", c.optimizer.weight_decay);
  number("clip_norm", c.optimizer.clip_norm);
  return out;
}

}  // namespace

const char* expectation_name(Expectation expectation) {
  return expectation == Expectation::kABetter ? "a_better" : "a_not_better";
}

const char* metric_name(Metric metric) { return metric == Metric::kHeldoutLoss ? "heldout_loss" : "heldout_accuracy"; }

const std::vector<Experiment>& experiments() {
  static const std::vector<Experiment> table = make_experiments();
  return table;
}

const Experiment& experiment(const std::string& id) {
  std::string choices;
  for (const Experiment& e : experiments()) {
    if (e.id == id) return e;
    choices += (choices.empty() ? "" : ", ") + e.id;
  }
  fail(ErrorCode::kInvalidArgument, "experiment",
       fill_words("unknown_choice", {{"param", "experiment"}, {"value", id}, {"choices", choices}}));
}

const Experiment& experiment_for(TaskKind task) { return experiment(task_name(task)); }

RunBase experiment_options(const Experiment& e) {
  RunRequest request;
  request.task = e.id;
  return run_base(request);
}

ResultValue experiments_result() {
  std::vector<LabExperimentRecord> records;
  for (const Experiment& e : experiments()) {
    LabExperimentRecord r;
    r.id = e.id;
    r.task = task_name(e.task);
    r.title_en = e.title_en;
    r.title_zh = e.title_zh;
    r.claims = e.claims;
    for (const RunVariant& variant : e.configs) r.configs.push_back(variant.name());
    r.metric = metric_name(e.metric);
    r.better = e.metric == Metric::kHeldoutLoss ? "lower" : "higher";
    for (const std::uint64_t seed : e.seeds) r.seeds.push_back(static_cast<int>(seed));
    r.options = options_value(experiment_options(e));
    for (const Comparison& c : e.comparisons) {
      r.comparisons.push_back(LabComparisonSpecRecord{c.claim, c.a, c.a_minus, c.b, c.b_minus, expectation_name(c.expect),
                                                      c.b_may_not_learn, c.question_en, c.question_zh});
    }
    records.push_back(std::move(r));
  }
  return lab_experiments_result(records);
}

}  // namespace attnrank::lab
