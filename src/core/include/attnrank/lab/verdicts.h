// The lab's live verdicts (design-lab.md section 5, issue 18 item 4): from each run's final metric, per
// comparison of experiments.h an outcome and per claim a verdict, "supported", "contradicted" or
// "inconclusive", with the numbers behind it and its words in English and Chinese.
// The rule, per comparison of side A against side B (experiments.h's Comparison):
//   - a run counts when its record is its last step (complete); each side's values are over its complete
//     seeds: one configuration's metric, or per seed config - minus (seeds complete in both);
//   - fewer than kVerdictMinSeeds values on a side -> not_enough_runs; a side's configuration missing
//     altogether -> no_runs;
//   - a configuration (a, b and their minus, b's unless b_may_not_learn) whose metric does not beat the
//     record's baseline (loss below the unigram entropy, accuracy above chance) by more than kLearnedMargin
//     of it on every complete seed -> not_learned (two models at the baseline tie whatever their masks),
//     and the claim's sentence says which configurations were not tested at these settings; a decided
//     comparison whose side B may not learn and did not says so;
//   - else the bands (min-max over seeds): A's wholly beyond B's (lower loss or gap, higher accuracy) ->
//     a_better, B's beyond A's -> b_better, overlapping -> no_difference;
//   - the verdict: the outcome the claim expects -> supported, the opposite -> contradicted, anything
//     else -> inconclusive.
// A claim's verdict: supported (contradicted) when every comparison of it in the experiments given runs
// is; otherwise, or with no such experiment, inconclusive.
// mlm and lm-vs-mlm train the same bidirectional models on the same data stream (the key is seed, run,
// step and example, never the task): a bidirectional configuration one of them lacks is taken from the
// other, and the result says so (borrowed).
// Not here: reading records from files or JS (the CLI, the binding), the experiments (experiments.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "attnrank/io/result_fields.h"

namespace attnrank::lab {

// How far below its baseline (a fraction of it) a configuration's held-out loss must be on every seed to
// count as learned (accuracy: above chance by as much). A model that learned nothing beyond the unigram
// frequencies reads about its baseline give or take the held-out split's sampling noise: measured,
// bidirectional MLM at the default 1,500 steps (which stays there) read 3.076, 3.073 and 3.122 on seeds
// 1-3 against the baseline 3.092, within 1% either way, so two of its three seeds "beat" it by chance.
// Twice that is the margin.
inline constexpr double kLearnedMargin = 0.02;

// What the verdicts read of one checkpoint record (lab_checkpoint's keys).
struct RunRecord {
  std::string task, config;
  std::uint64_t seed = 0;
  int step = 0, steps = 0;
  double heldout_loss = 0.0;
  std::optional<double> heldout_accuracy;  // required for the accuracy tasks (mqar, copy, reverse)
  double baseline = 0.0;
};

// Per run (task, config, seed) its last record, or with at_step its record at that step (a run that has
// not reached it is left out; those that have count as complete: an interim look). Records of tasks no
// experiment has are refused (kInvalidArgument naming "records"), as are non-finite numbers and an
// accuracy task's record without heldout_accuracy.
LabVerdictsRecord evaluate_verdicts(const std::vector<RunRecord>& records, std::optional<int> at_step = std::nullopt);

// evaluate_verdicts() as a result tree (result_fields.h's lab_verdicts).
ResultValue verdicts_result(const std::vector<RunRecord>& records, std::optional<int> at_step = std::nullopt);

}  // namespace attnrank::lab
