// The lab's experiments (design-lab.md section 3; issue 18): one preset per task, named by the claim it
// tests, defined once here. Each gives its task, the claims (docs/claims.md ids; "recall" is C9's cause:
// linear attention's state holds few associations), the configurations it trains (task_variants(): the
// `--configs task` list), the metric its verdicts read (held-out loss, lower is better; held-out accuracy
// for mqar, copy and reverse, higher is better) against its baseline (the records' `baseline`: the unigram
// entropy of the training split, or chance accuracy), the seeds (1, 2, 3: section 5 wants at least 3) and
// the comparisons its verdicts make (verdicts.h). The runs' options are the registry's train defaults for
// the task (experiment_options()). The page, `attnrank train --list-experiments`, the gallery and the
// verdicts all read this table. Not here: deciding a comparison (verdicts.h), running anything.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "attnrank/io/result_fields.h"
#include "attnrank/lab/run_layout.h"
#include "attnrank/lab/run_request.h"
#include "attnrank/lab/tasks.h"

namespace attnrank::lab {

// What the claim expects of a comparison of side A against side B (lower loss / higher accuracy is
// better): kABetter: supported when A's band lies wholly beyond B's, contradicted when B's lies beyond A's;
// kANotBetter (C12: "UniLM no better"): supported when B's band lies beyond A's, contradicted when A's
// lies beyond B's. Overlapping bands are inconclusive either way (section 5).
enum class Expectation { kABetter, kANotBetter };
const char* expectation_name(Expectation expectation);  // "a_better", "a_not_better"

// One comparison: side A against side B. A side is one configuration's metric per seed, or, when its
// `minus` is set, the per-seed difference config - minus (same seed: same init and data), compared as a
// loss (lower is better): C9 compares linear's gap to softmax on LM (forward) with that on MLM
// (bidirectional).
struct Comparison {
  std::string claim;                 // "C9", "C11", "C12", "C16", "recall"
  std::string a, b;                  // configurations, "masks:attention"
  std::string a_minus, b_minus;      // "" unless a side is a difference
  Expectation expect = Expectation::kABetter;
  bool b_may_not_learn = false;      // C16: bidirectional attention without positions may learn nothing
  const char* question_en = "";      // what the comparison asks, one line
  const char* question_zh = "";
};

enum class Metric { kHeldoutLoss, kHeldoutAccuracy };
const char* metric_name(Metric metric);  // "heldout_loss", "heldout_accuracy"

struct Experiment {
  std::string id;                    // the task's name: "order", "mlm", "prefix", "mqar", "lm-vs-mlm", "copy", "reverse"
  TaskKind task = TaskKind::kMlm;
  std::vector<std::string> claims;   // in the order of its comparisons
  const char* title_en = "";         // the preset's name: the claim it tests
  const char* title_zh = "";
  std::vector<RunVariant> configs;   // task_variants(task)
  Metric metric = Metric::kHeldoutLoss;
  std::vector<std::uint64_t> seeds;  // 1, 2, 3
  std::vector<Comparison> comparisons;
};

// At least this many complete seeds per configuration before a comparison decides (section 5).
inline constexpr int kVerdictMinSeeds = 3;

// Every experiment, in the order of section 3's table.
const std::vector<Experiment>& experiments();
// The experiment named `id`; kInvalidArgument "experiment=<id> is unknown (...)" otherwise.
const Experiment& experiment(const std::string& id);
// The experiment of a task (every task has one).
const Experiment& experiment_for(TaskKind task);

// The experiment's runs' options before masks, attention and seed: the registry's train defaults for its
// task (run_base of a request naming only the task).
RunBase experiment_options(const Experiment& experiment);

// The table as a result tree (result_fields.h's lab_experiments: `attnrank train --list-experiments
// --json`, the wasm lab_experiments()).
ResultValue experiments_result();

}  // namespace attnrank::lab
