// The lab's trainer (src/core/lab/trainer.h): determinism (the same seed gives the same batches and the
// same weights whatever order runs are stepped in), checkpoints (when, what, and the learned-matrix
// invariants of design-lab.md section 5: causal heads lower triangular with a positive diagonal,
// bidirectional linear heads of numerical rank <= h, permutation equivariance without positions), a
// non-finite loss and an underflowed linear head as named errors, stop keeping the last checkpoint, save
// and load continuing bit for bit, a short run of every task that must learn (held-out loss below the
// unigram baseline, or accuracy well above chance), and a pinned hash of the weights after a few steps of copy
// that the wasm run of this file must reproduce. Tiny configurations: the whole file runs in seconds.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "lab/trainer.h"
#include "lab_test_corpus.h"
#include "test_support.h"

namespace attnrank::lab {
namespace {

using test::expect_error;
using test::mask_spec;

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

std::uint64_t weights_hash(const Model<float>& model) {
  std::uint64_t hash = kFnvOffset;
  const auto* bytes = reinterpret_cast<const unsigned char*>(model.parameters().data());
  for (std::size_t i = 0; i < model.parameters().size() * sizeof(float); ++i) hash = (hash ^ bytes[i]) * kFnvPrime;
  return hash;
}

// A copy task small enough for a test: strings of 2..6 over 6 symbols, n = 13, V = 8.
RunConfig copy_run(PatternKind kind, HeadKind head_kind, int steps) {
  RunConfig run;
  run.task = TaskConfig{TaskKind::kCopy, 13, 6, 2, 6};
  const int p = kind == PatternKind::kPrefix ? 7 : 0;
  run.model = uniform_model_config(8, 13, 32, 2, 2, mask_spec(kind, p), head_kind);
  run.seed = 5;
  run.steps = steps;
  run.batch = 8;
  run.optimizer.learning_rate = 3e-3;
  run.checkpoint_interval = steps;
  run.heldout_batches = 2;
  return run;
}

TEST(LabTrainer, SameSeedSameRunWhateverTheOrderOfStepping) {
  RunConfig a = copy_run(PatternKind::kForward, HeadKind::kSoftmax, 6);
  RunConfig b = copy_run(PatternKind::kPrefix, HeadKind::kLinear, 6);
  b.seed = 9;
  // One after the other...
  Trainer a1(a, nullptr), b1(b, nullptr);
  std::vector<double> losses_a1, losses_b1;
  while (!a1.is_done()) losses_a1.push_back(a1.step());
  while (!b1.is_done()) losses_b1.push_back(b1.step());
  // ...and interleaved, b first.
  Trainer a2(a, nullptr), b2(b, nullptr);
  std::vector<double> losses_a2, losses_b2;
  while (!b2.is_done()) {
    losses_b2.push_back(b2.step());
    losses_a2.push_back(a2.step());
  }
  EXPECT_EQ(losses_a1, losses_a2);
  EXPECT_EQ(losses_b1, losses_b2);
  EXPECT_EQ(a1.model().parameters(), a2.model().parameters());
  EXPECT_EQ(b1.model().parameters(), b2.model().parameters());
  EXPECT_NE(weights_hash(a1.model()), weights_hash(b1.model()));
  EXPECT_EQ(a1.last_checkpoint().heldout_loss, a2.last_checkpoint().heldout_loss);
  // Another run index: other data and init.
  RunConfig a_run1 = a;
  a_run1.run = 1;
  Trainer a3(a_run1, nullptr);
  EXPECT_NE(a3.step(), losses_a1[0]);
}

TEST(LabTrainer, CheckpointsAtZeroEveryKAndTheEnd) {
  RunConfig run = copy_run(PatternKind::kForward, HeadKind::kSoftmax, 7);
  run.checkpoint_interval = 3;
  Trainer trainer(run, nullptr);
  ASSERT_EQ(trainer.checkpoints().size(), 1u);
  EXPECT_FALSE(trainer.last_checkpoint().train_loss.has_value());
  while (!trainer.is_done()) trainer.step();
  std::vector<int> steps;
  for (const Checkpoint& c : trainer.checkpoints()) steps.push_back(c.step);
  EXPECT_EQ(steps, (std::vector<int>{0, 3, 6, 7}));
  const Checkpoint& last = trainer.last_checkpoint();
  ASSERT_TRUE(last.train_loss.has_value());
  ASSERT_TRUE(last.heldout_accuracy.has_value());
  ASSERT_EQ(last.heads.size(), 4u);  // L = 2, H = 2, layer-major
  EXPECT_EQ(last.heads[1].layer, 0);
  EXPECT_EQ(last.heads[1].head, 1);
  EXPECT_EQ(last.heads[3].attention.rows(), 13);
  EXPECT_EQ(last.heads[3].stats.n, 13);
  expect_error([&] { trainer.step(); }, ErrorCode::kInvalidArgument, "run has taken all its steps=7");
}

TEST(LabTrainer, StopKeepsTheLastCheckpoint) {
  RunConfig run = copy_run(PatternKind::kForward, HeadKind::kSoftmax, 100);
  run.checkpoint_interval = 2;
  Trainer trainer(run, nullptr);
  for (int i = 0; i < 5; ++i) trainer.step();
  trainer.stop();
  EXPECT_TRUE(trainer.is_done());
  EXPECT_EQ(trainer.steps_taken(), 5);
  EXPECT_EQ(trainer.last_checkpoint().step, 4);
  EXPECT_EQ(trainer.checkpoints().size(), 3u);
  expect_error([&] { trainer.step(); }, ErrorCode::kInvalidArgument, "run is stopped at step 5");
}

TEST(LabTrainer, NonFiniteLossIsANamedError) {
  Trainer trainer(copy_run(PatternKind::kForward, HeadKind::kSoftmax, 10), nullptr);
  trainer.step();
  trainer.model().parameters()[0] = std::numeric_limits<float>::quiet_NaN();  // tok_emb[0][0]: token 0
  const std::vector<float> before = trainer.model().parameters();
  try {
    for (int i = 0; i < 9; ++i) trainer.step();
    ADD_FAILURE() << "a NaN weight trained on silently";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNumericalFailure);
    EXPECT_EQ(std::string(error.what()).substr(0, 17), "loss=nan at step ") << error.what();
    EXPECT_NE(std::string(error.what()).find("(task=copy, seed=5)"), std::string::npos) << error.what();
  }
  const std::vector<float>& after = trainer.model().parameters();
  for (std::size_t i = 1; i < before.size(); ++i) ASSERT_EQ(before[i], after[i]) << i;  // no update taken
}

TEST(LabTrainer, ConfigErrorsNameTheField) {
  RunConfig run = copy_run(PatternKind::kForward, HeadKind::kSoftmax, 10);
  run.steps = 0;
  expect_error([&] { Trainer(run, nullptr); }, ErrorCode::kInvalidArgument, "steps=0 is outside [1, 10000000]");
  run = copy_run(PatternKind::kForward, HeadKind::kSoftmax, 10);
  run.batch = 0;
  expect_error([&] { Trainer(run, nullptr); }, ErrorCode::kInvalidArgument, "batch=0 is outside [1, 4096]");
  run = copy_run(PatternKind::kForward, HeadKind::kSoftmax, 10);
  run.model.vocab = 9;
  expect_error([&] { Trainer(run, nullptr); }, ErrorCode::kInvalidArgument,
               "vocab=9 differs from task=copy's vocabulary of 8");
}

// Section 5's invariants on every checkpoint of a run whose layers mix every case: layer 0 forward
// softmax + forward linear (causal: lower triangular, positive diagonal, structurally full rank);
// layer 1 bidirectional linear + backward softmax (bidirectional linear: numerical rank <= h; backward:
// upper triangular with a positive diagonal).
TEST(LabTrainer, LearnedMatricesKeepTheirInvariantsAtEveryCheckpoint) {
  RunConfig run = copy_run(PatternKind::kForward, HeadKind::kSoftmax, 40);
  run.model.masks[1] = {mask_spec(PatternKind::kBidirectional), mask_spec(PatternKind::kBackward)};
  run.model.kinds = {{HeadKind::kSoftmax, HeadKind::kLinear}, {HeadKind::kLinear, HeadKind::kSoftmax}};
  run.model.width = 8;  // h = 4 < n = 13: the rank bound is a real constraint
  run.checkpoint_interval = 10;
  Trainer trainer(run, nullptr);
  while (!trainer.is_done()) trainer.step();
  const int n = 13, h = 4;
  ASSERT_EQ(trainer.checkpoints().size(), 5u);
  for (const Checkpoint& checkpoint : trainer.checkpoints())
    for (const HeadCheckpoint& head : checkpoint.heads) {
      SCOPED_TRACE(::testing::Message() << "step " << checkpoint.step << " layer " << head.layer << " head " << head.head);
      const MatrixXd& a = head.attention;
      for (int i = 0; i < n; ++i) EXPECT_NEAR(a.row(i).sum(), 1.0, 1e-5);
      const bool is_forward = head.layer == 0, is_backward = head.layer == 1 && head.head == 1;
      if (is_forward || is_backward) {
        for (int i = 0; i < n; ++i) {
          EXPECT_GT(a(i, i), 0.0);
          for (int j = 0; j < n; ++j)
            if (is_forward ? j > i : j < i) {
              ASSERT_EQ(a(i, j), 0.0) << i << "," << j;
            }
        }
        EXPECT_TRUE(head.stats.structurally_full_rank);
      } else {
        // At the tolerance of the precision A was computed in (float): at f64 tolerance the float
        // rounding noise (~1e-8 s_1) counts as rank (seen: 13 of 13), which is issue 13's point.
        EXPECT_LE(head.stats.numerical_rank_f32, h);
        EXPECT_FALSE(head.stats.structurally_full_rank);
      }
    }
}

// Section 5's third invariant, at every checkpoint: without positions and with every head bidirectional
// (softmax and linear here), permuting the probe permutes its logits, up to the float rounding of sums
// taken in another order; the same measure on a model with learned positions is large, so it can fail.
TEST(LabTrainer, NoPositionsBidirectionalRunsStayPermutationEquivariant) {
  RunConfig run = copy_run(PatternKind::kBidirectional, HeadKind::kSoftmax, 30);
  run.model.positions = Positions::kNone;
  run.model.kinds[1] = {HeadKind::kLinear, HeadKind::kSoftmax};
  run.checkpoint_interval = 10;
  Trainer trainer(run, nullptr);
  while (!trainer.is_done()) trainer.step();
  ASSERT_EQ(trainer.checkpoints().size(), 4u);
  for (const Checkpoint& checkpoint : trainer.checkpoints()) {
    ASSERT_TRUE(checkpoint.permutation_error.has_value()) << checkpoint.step;
    std::printf("  step %d: permutation error %.1e\n", checkpoint.step, *checkpoint.permutation_error);
    EXPECT_LE(*checkpoint.permutation_error, 1e-5) << checkpoint.step;  // float rounding: seen <= 1e-6
  }
  // With positions (or any causal head) the check is not made, and the measure does see the difference.
  RunConfig learned = copy_run(PatternKind::kBidirectional, HeadKind::kSoftmax, 30);
  learned.checkpoint_interval = 10;
  Trainer positioned(learned, nullptr);
  while (!positioned.is_done()) positioned.step();
  EXPECT_FALSE(positioned.last_checkpoint().permutation_error.has_value());
  const std::vector<int> tokens = positioned.probe_tokens(), targets(tokens.size(), 0);
  std::vector<int> reversed(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) reversed[i] = static_cast<int>(tokens.size() - 1 - i);
  EXPECT_GT(permutation_error(positioned.model(), tokens.data(), targets.data(), reversed), 1e-2);
  expect_error([&] { permutation_error(positioned.model(), tokens.data(), targets.data(), {0, 0}); },
               ErrorCode::kInvalidArgument, "perm has 2 entries, expected n=13");
}

// Save and load (design-lab.md section 6's stop and resume): K steps, save, load into a new trainer, K
// more steps give the bits of 2K uninterrupted steps: weights, AdamW's moments and the schedule's step.
TEST(LabTrainer, SaveAndLoadContinueBitForBit) {
  RunConfig run = copy_run(PatternKind::kPrefix, HeadKind::kSoftmax, 16);
  run.model.kinds[0] = {HeadKind::kLinear, HeadKind::kSoftmax};
  run.checkpoint_interval = 4;
  Trainer whole(run, nullptr);
  std::vector<double> losses;
  while (!whole.is_done()) losses.push_back(whole.step());

  Trainer first(run, nullptr);
  for (int i = 0; i < 8; ++i) first.step();
  const std::string saved = first.save();
  RunConfig other_checkpoints = run;
  other_checkpoints.checkpoint_interval = 3;  // changes no weight: accepted
  Trainer resumed(other_checkpoints, nullptr);
  resumed.load(saved);
  EXPECT_EQ(resumed.steps_taken(), 8);
  ASSERT_EQ(resumed.checkpoints().size(), 1u);
  EXPECT_EQ(resumed.last_checkpoint().step, 8);
  std::vector<double> resumed_losses;
  while (!resumed.is_done()) resumed_losses.push_back(resumed.step());
  EXPECT_EQ(resumed_losses, std::vector<double>(losses.begin() + 8, losses.end()));
  EXPECT_EQ(resumed.model().parameters(), whole.model().parameters());
  EXPECT_EQ(weights_hash(resumed.model()), weights_hash(whole.model()));
  EXPECT_EQ(resumed.last_checkpoint().heldout_loss, whole.last_checkpoint().heldout_loss);
  EXPECT_EQ(resumed.save(), whole.save());  // the moments too

  // Refusals name what is wrong and leave the trainer as it was.
  RunConfig other_seed = run;
  other_seed.seed = 6;
  Trainer stranger(other_seed, nullptr);
  const std::vector<float> before = stranger.model().parameters();
  expect_error([&] { stranger.load(saved); }, ErrorCode::kInvalidArgument, "saved run has seed=5, this run seed=6");
  expect_error([&] { stranger.load("hello"); }, ErrorCode::kInvalidFile,
               "not a saved lab run (it does not start with 'attnrank-lab-run')");
  Trainer same(run, nullptr);
  const std::string truncated = saved.substr(0, saved.size() - 4);
  expect_error([&] { same.load(truncated); }, ErrorCode::kInvalidFile,
               "saved run has " + std::to_string(truncated.size()) + " bytes, expected " +
                   std::to_string(saved.size()) + " (truncated or not of this configuration)");
  std::string other_version = saved;
  other_version.replace(other_version.find(' ') + 1, 1, "9");
  expect_error([&] { same.load(other_version); }, ErrorCode::kInvalidFile,
               "saved run has format version 9, this build reads version 1");
  EXPECT_EQ(stranger.model().parameters(), before);
  EXPECT_EQ(same.steps_taken(), 0);
}

// A linear head whose features underflow (a diverged run, forced here: LN1's bias 1 and every key weight
// -1000 make each key entry about -1000 D, so phi(K') = exp(...) = 0) stops the run with a named error
// that says where, and the weights stay those before the step (before the guard: "loss=nan at step 1").
TEST(LabTrainer, LinearHeadUnderflowIsANamedErrorWithTheStep) {
  RunConfig run = copy_run(PatternKind::kForward, HeadKind::kLinear, 10);
  Trainer trainer(run, nullptr);
  trainer.step();
  const ParameterInfo& ln1_b = trainer.model().layout()[3];
  const ParameterInfo& wk = trainer.model().layout()[5];
  ASSERT_EQ(ln1_b.name, "layers.0.ln1.b");
  ASSERT_EQ(wk.name, "layers.0.attn.wk");
  for (int i = 0; i < ln1_b.cols; ++i) trainer.model().parameters()[ln1_b.offset + i] = 1.0f;
  for (int i = 0; i < wk.rows * wk.cols; ++i) trainer.model().parameters()[wk.offset + i] = -1e3f;
  const std::vector<float> before = trainer.model().parameters();
  try {
    trainer.step();
    ADD_FAILURE() << "an underflowed linear head trained on";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNumericalFailure);
    const std::string what = error.what();
    EXPECT_EQ(what.substr(0, 24), "linear attention row 0 s") << what;
    EXPECT_NE(what.find(") at step 1 (task=copy, seed=5)"), std::string::npos) << what;
  }
  EXPECT_EQ(trainer.model().parameters(), before);
}

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

// The weights after a few steps of copy: the same bits natively and in wasm (stream, init, kernels,
// exp/log, AdamW all deterministic). Checked in wasm (emscripten 3.1.6, node): this hash, the stream's
// pinned draw and every held-out value printed above agree with the native run.
constexpr std::uint64_t kCopyWeightsHash = 17162167909233472458ULL;

TEST(LabTrainer, WeightsAfterStepsArePinned) {
  Trainer trainer(copy_run(PatternKind::kPrefix, HeadKind::kSoftmax, 8), nullptr);
  while (!trainer.is_done()) trainer.step();
  EXPECT_EQ(weights_hash(trainer.model()), kCopyWeightsHash);
}

}  // namespace
}  // namespace attnrank::lab
