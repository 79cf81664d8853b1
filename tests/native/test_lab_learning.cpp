// Every task learns (issue 15's tests): short runs of tiny models (D 32, H 2, L 2) whose held-out loss
// must end well below the unigram baseline, or whose accuracy must end well above chance; the values seen
// are printed for the report, the assertions decide. The corpus tasks are skipped, with the Debian
// package named, when the build could not extract the corpus.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <utility>

#include "attnrank/lab/trainer.h"
#include "lab_test_corpus.h"
#include "lab_test_runs.h"
#include "test_support.h"

namespace attnrank::lab {
namespace {

using test::copy_run;
using test::mask_spec;

// ---- Every task learns. Tiny models (D 32, H 2, L 2) for a few hundred steps; thresholds leave a wide
// margin below what the runs reach (the values seen are printed for the report, the assertions decide).
struct LearnResult {
  double heldout_loss = 0;
  double accuracy = 0;
  double steps_per_second = 0;
};

LearnResult train(const RunConfig& run, std::shared_ptr<const Corpus> corpus) {
  Trainer trainer(run, std::move(corpus));
  const auto start = std::chrono::steady_clock::now();
  while (!trainer.is_done()) trainer.step();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const Checkpoint& last = trainer.last_checkpoint();
  LearnResult result{last.heldout_loss, last.heldout_accuracy.value_or(0), run.steps / seconds};
  std::printf("  [%s %s] held-out loss %.3f (step 0: %.3f)%s%.3f, baseline %.3f, %.0f steps/s\n",
              task_name(run.task.kind), pattern_name(run.model.masks[0][0].kind), last.heldout_loss,
              trainer.checkpoints().front().heldout_loss, last.heldout_accuracy ? " accuracy " : " ",
              last.heldout_accuracy.value_or(0), trainer.task().baseline(), result.steps_per_second);
  return result;
}

RunConfig corpus_run(TaskKind kind, const Corpus& corpus, const MaskSpec& mask, HeadKind head_kind,
                     Positions positions = Positions::kLearned) {
  RunConfig run;
  const int n = 16;
  run.task = TaskConfig{kind, n};
  run.model = uniform_model_config(static_cast<int>(corpus.alphabet.size()) + 2, n, 32, 2, 2, mask, head_kind,
                                   positions);
  run.seed = 1;
  run.steps = 400;
  run.batch = 16;
  run.optimizer.learning_rate = 2e-2;
  run.checkpoint_interval = run.steps;
  run.heldout_batches = 8;
  return run;
}

// The next-token objective at n = 16, 400 steps: well below the training split's unigram entropy
// (3.09 nats; seen 2.69): the current token alone (the residual stream) gives a bigram model.
TEST(LabLearning, NextTokenLearns) {
  const auto corpus = test::austen_corpus();
  if (!corpus) GTEST_SKIP() << test::kNoCorpusMessage;
  const double unigram = unigram_entropy(*corpus);
  RunConfig run = corpus_run(TaskKind::kLmVsMlm, *corpus, mask_spec(PatternKind::kForward), HeadKind::kSoftmax);
  Trainer trainer(run, corpus);
  while (!trainer.is_done()) trainer.step();
  const double loss = trainer.last_checkpoint().heldout_loss, first = trainer.checkpoints().front().heldout_loss;
  std::printf("  [lm-vs-mlm forward] held-out loss %.3f (step 0: %.3f), unigram %.3f\n", loss, first, unigram);
  EXPECT_LT(loss, 0.9 * unigram);
  EXPECT_LT(loss, 0.75 * first);
}

// Held-out loss of a corpus run evaluated over 64 held-out batches (2,048 masked-LM targets at n = 16,
// 7,168 continuation targets), so a gap of a few hundredths of a nat is measured, not noise (8 batches
// moved the masked-LM value by ~0.05 between checkpoints).
double corpus_heldout_loss(RunConfig run, const std::shared_ptr<const Corpus>& corpus) {
  run.heldout_batches = 64;
  Trainer trainer(run, corpus);
  while (!trainer.is_done()) trainer.step();
  const double loss = trainer.last_checkpoint().heldout_loss;
  std::printf("  [%s %s%s] %d steps, lr %g: held-out loss %.3f (step 0: %.3f), unigram %.3f\n",
              task_name(run.task.kind), pattern_name(run.model.masks[0][0].kind),
              run.model.positions == Positions::kNone ? ", no positions" : "", run.steps,
              run.optimizer.learning_rate, loss, trainer.checkpoints().front().heldout_loss, unigram_entropy(*corpus));
  return loss;
}

// prefix (C12's setup): GPT (forward) and UniLM (prefix n / 2) on the same continuation targets, 600
// steps, both well below the unigram entropy (seen 2.66 forward, 2.72 prefix against 3.09; 0.92 of it is
// 2.84). Before, 400 steps at lr 2e-2 asserted only < 1.0 of it (seen 2.91, 2.97).
TEST(LabLearning, PrefixTaskGptAndUniLmLearn) {
  const auto corpus = test::austen_corpus();
  if (!corpus) GTEST_SKIP() << test::kNoCorpusMessage;
  const double unigram = unigram_entropy(*corpus);
  for (const MaskSpec& mask : {mask_spec(PatternKind::kForward), mask_spec(PatternKind::kPrefix, 8)}) {
    RunConfig run = corpus_run(TaskKind::kPrefix, *corpus, mask, HeadKind::kSoftmax);
    run.steps = 600;
    run.checkpoint_interval = run.steps;
    run.optimizer.learning_rate = 1e-2;
    EXPECT_LT(corpus_heldout_loss(run, corpus), 0.92 * unigram) << pattern_name(mask.kind);
  }
}

// mlm and order (masked LM, bidirectional; order without positions): below the unigram level, i.e. the
// model uses the window's other characters (seen after 1,500 steps at lr 3e-3: mlm 3.021, order 3.017
// against 3.092; the held-out split's own unigram cross-entropy is 3.087, so chance is ~3.09). Required:
// < 0.985 of it (3.046). Before, the test asserted only < 1.05 of it (seen 3.14 and 3.11 at 400 steps of
// lr 2e-2, i.e. above chance: at that rate the masked LM sat on the unigram plateau for 4,000 steps).
// Reaching the neighbours (learned positions) takes longer than a unit test: the lab's runs show it.
void expect_masked_lm_learns(TaskKind kind) {
  const auto corpus = test::austen_corpus();
  if (!corpus) GTEST_SKIP() << test::kNoCorpusMessage;
  const double unigram = unigram_entropy(*corpus);
  RunConfig run = corpus_run(kind, *corpus, mask_spec(PatternKind::kBidirectional), HeadKind::kSoftmax,
                             kind == TaskKind::kOrder ? Positions::kNone : Positions::kLearned);
  run.steps = 1500;
  run.checkpoint_interval = run.steps;
  run.optimizer.learning_rate = 3e-3;
  EXPECT_LT(corpus_heldout_loss(run, corpus), 0.985 * unigram) << task_name(kind);
}

TEST(LabLearning, MlmLearnsBelowTheUnigramLevel) { expect_masked_lm_learns(TaskKind::kMlm); }
TEST(LabLearning, OrderLearnsBelowTheUnigramLevel) { expect_masked_lm_learns(TaskKind::kOrder); }

TEST(LabLearning, CopyAndReverseBeatChance) {
  for (TaskKind kind : {TaskKind::kCopy, TaskKind::kReverse}) {
    RunConfig run = copy_run(PatternKind::kPrefix, HeadKind::kSoftmax, 300);
    run.task.kind = kind;
    run.optimizer.learning_rate = 1e-2;
    run.batch = 16;
    const LearnResult result = train(run, nullptr);
    EXPECT_GT(result.accuracy, 0.5) << task_name(kind);  // chance 1/6
  }
}

TEST(LabLearning, MqarBeatsChance) {
  RunConfig run;
  const int pairs = 4, n = 4 * pairs + 1;
  run.task = TaskConfig{TaskKind::kMqar, n};
  run.task.pairs = pairs;
  run.task.keys = 16;
  run.task.values = 16;
  run.model = uniform_model_config(34, n, 32, 2, 2, mask_spec(PatternKind::kForward), HeadKind::kSoftmax);
  run.seed = 3;
  run.steps = 400;
  run.batch = 16;
  run.optimizer.learning_rate = 1e-2;
  run.checkpoint_interval = run.steps;
  const LearnResult result = train(run, nullptr);
  EXPECT_GT(result.accuracy, 0.25);  // 4x chance (1/16); seen 0.38 at 400 steps
}

}  // namespace
}  // namespace attnrank::lab
