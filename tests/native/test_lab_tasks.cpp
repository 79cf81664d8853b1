// The lab's data (src/core/include/attnrank/lab/stream.h, corpus.h, tasks.h): the counter-based stream (pinned draws,
// unbiased bounds), each example a function of its key alone (a batch is its examples side by side,
// whatever the batch size), section 2's objectives chosen from the masks, the layouts of copy, reverse
// and mqar, the masked-LM count, the corpus split (training windows never reach the held-out 10%), the
// named errors, and the extracted Austen corpus (skipped, naming the Debian package, when the build could
// not extract it).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "attnrank/lab/corpus.h"
#include "attnrank/lab/stream.h"
#include "attnrank/lab/tasks.h"
#include "lab_test_corpus.h"
#include "test_support.h"

namespace attnrank::lab {
namespace {

using test::expect_error;
using test::mask_spec;

ModelConfig model_for(int vocab, int n, PatternKind kind, int prefix = 0, Positions positions = Positions::kLearned) {
  return uniform_model_config(vocab, n, 8, 2, 1, mask_spec(kind, prefix), HeadKind::kSoftmax, positions);
}

TEST(LabStream, DrawsArePinnedAndDependOnEveryField) {
  CounterStream stream(StreamKey{7, 0, StreamDomain::kTrain, 3, 5});
  const std::uint64_t first = stream.next_u64();
  EXPECT_EQ(first, CounterStream(StreamKey{7, 0, StreamDomain::kTrain, 3, 5}).next_u64());
  // Pinned: the same constant natively and in wasm (integer-only hashing).
  EXPECT_EQ(first, 14800293087928456083ULL);
  std::set<std::uint64_t> firsts = {first};
  firsts.insert(CounterStream(StreamKey{8, 0, StreamDomain::kTrain, 3, 5}).next_u64());
  firsts.insert(CounterStream(StreamKey{7, 1, StreamDomain::kTrain, 3, 5}).next_u64());
  firsts.insert(CounterStream(StreamKey{7, 0, StreamDomain::kHeldOut, 3, 5}).next_u64());
  firsts.insert(CounterStream(StreamKey{7, 0, StreamDomain::kTrain, 4, 5}).next_u64());
  firsts.insert(CounterStream(StreamKey{7, 0, StreamDomain::kTrain, 3, 6}).next_u64());
  firsts.insert(CounterStream(StreamKey{7, 0, StreamDomain::kTrain, 5, 3}).next_u64());  // fields not symmetric
  EXPECT_EQ(firsts.size(), 7u);
}

TEST(LabStream, BelowIsInRangeAndRoughlyUniform) {
  CounterStream stream(StreamKey{1, 2, StreamDomain::kTrain, 3, 4});
  std::vector<int> counts(7, 0);
  constexpr int kDraws = 70000;
  for (int i = 0; i < kDraws; ++i) {
    const int x = stream.below(7);
    ASSERT_GE(x, 0);
    ASSERT_LT(x, 7);
    ++counts[x];
  }
  for (int c : counts) EXPECT_NEAR(c, kDraws / 7, 400);  // ~4.4 standard deviations of a binomial
  EXPECT_EQ(stream.below(1), 0);
  expect_error([&] { stream.below(0); }, ErrorCode::kInvalidArgument, "bound=0 must be >= 1");
}

TEST(LabTasks, NamesRoundTripAndUnknownIsNamed) {
  for (const char* name : {"order", "mlm", "prefix", "mqar", "lm-vs-mlm", "copy", "reverse"})
    EXPECT_STREQ(task_name(parse_task(name)), name);
  expect_error([] { parse_task("sort"); }, ErrorCode::kInvalidArgument,
               "task=sort is unknown (order, mlm, prefix, mqar, lm-vs-mlm, copy, reverse)");
}

TEST(LabTasks, ObjectiveFollowsTheMasks) {
  EXPECT_EQ(objective_for_masks(model_for(5, 8, PatternKind::kForward)), Objective::kNextToken);
  EXPECT_EQ(objective_for_masks(model_for(5, 8, PatternKind::kBackward)), Objective::kPreviousToken);
  EXPECT_EQ(objective_for_masks(model_for(5, 8, PatternKind::kPrefix, 3)), Objective::kPrefixContinuation);
  EXPECT_EQ(objective_for_masks(model_for(5, 8, PatternKind::kBidirectional)), Objective::kMaskedLm);
  ModelConfig mixture = model_for(5, 8, PatternKind::kForward);
  mixture.masks[0][1] = mask_spec(PatternKind::kBackward);  // the forward/backward head mixture
  EXPECT_EQ(objective_for_masks(mixture), Objective::kMaskedLm);
}

// A corpus whose training split is all 'a' and whose held-out split (the last 10%) is all 'b'.
std::shared_ptr<const Corpus> split_corpus() {
  return std::make_shared<const Corpus>(make_corpus(std::string(9000, 'a') + std::string(1000, 'b')));
}

TEST(LabTasks, CorpusSplitKeepsTrainingWindowsOutOfTheHeldOutTenth) {
  const auto corpus = split_corpus();
  ASSERT_EQ(corpus->alphabet.size(), 2u);
  EXPECT_EQ(corpus->train_end, 9000u);
  const int n = 16;
  const Task task(TaskConfig{TaskKind::kLmVsMlm, n}, corpus, model_for(4, n, PatternKind::kForward));
  std::vector<int> tokens, targets;
  for (std::uint64_t step = 0; step < 200; ++step) {
    task.batch(1, 0, StreamDomain::kTrain, step, 4, tokens, targets);
    for (int t : tokens) ASSERT_EQ(t, 0);
    task.batch(1, 0, StreamDomain::kHeldOut, step, 4, tokens, targets);
    for (int t : tokens) ASSERT_EQ(t, 1);
  }
  EXPECT_NEAR(task.baseline(), 0.0, 1e-15);  // the training split has one symbol
}

TEST(LabTasks, CorpusObjectives) {
  const auto corpus = std::make_shared<const Corpus>(make_corpus([] {
    std::string text;
    for (int i = 0; i < 5000; ++i) text += static_cast<char>('a' + (i * 7) % 26);
    return text;
  }()));
  const int n = 20;
  const int vocab = 26 + 2;
  const StreamKey key{3, 0, StreamDomain::kTrain, 9, 2};
  std::vector<int> tokens(n), targets(n), window(n), unused(n);
  // The raw window: the next-token example's tokens (nothing replaced).
  Task(TaskConfig{TaskKind::kMlm, n}, corpus, model_for(vocab, n, PatternKind::kForward)).example(key, window.data(), unused.data());
  for (int i = 0; i + 1 < n; ++i) EXPECT_EQ(unused[i], window[i + 1]);
  EXPECT_EQ(unused[n - 1], kNoTarget);

  Task(TaskConfig{TaskKind::kMlm, n}, corpus, model_for(vocab, n, PatternKind::kBackward)).example(key, tokens.data(), targets.data());
  EXPECT_EQ(tokens, window);
  EXPECT_EQ(targets[0], kNoTarget);
  for (int i = 1; i < n; ++i) EXPECT_EQ(targets[i], window[i - 1]);

  Task(TaskConfig{TaskKind::kMlm, n}, corpus, model_for(vocab, n, PatternKind::kPrefix, 6)).example(key, tokens.data(), targets.data());
  for (int i = 0; i < n; ++i) EXPECT_EQ(targets[i], i >= 5 && i + 1 < n ? window[i + 1] : kNoTarget) << i;

  // Task prefix: continuation from n / 2 whatever the mask (GPT and UniLM share the targets).
  for (PatternKind kind : {PatternKind::kForward, PatternKind::kPrefix}) {
    const Task task(TaskConfig{TaskKind::kPrefix, n}, corpus, model_for(vocab, n, kind, n / 2));
    EXPECT_EQ(task.objective(), Objective::kPrefixContinuation);
    task.example(key, tokens.data(), targets.data());
    for (int i = 0; i < n; ++i) EXPECT_EQ(targets[i], i >= n / 2 - 1 && i + 1 < n ? window[i + 1] : kNoTarget) << i;
  }

  // Masked LM: exactly round(0.15 n) = 3 positions carry MASK and predict the original.
  const Task mlm(TaskConfig{TaskKind::kMlm, n}, corpus, model_for(vocab, n, PatternKind::kBidirectional));
  EXPECT_EQ(mlm.objective(), Objective::kMaskedLm);
  mlm.example(key, tokens.data(), targets.data());
  int masked = 0;
  for (int i = 0; i < n; ++i) {
    if (targets[i] == kNoTarget) {
      EXPECT_EQ(tokens[i], window[i]);
    } else {
      ++masked;
      EXPECT_EQ(tokens[i], mlm.mask_token());
      EXPECT_EQ(targets[i], window[i]);
    }
  }
  EXPECT_EQ(masked, 3);
  // n = 4: 0.6 rounds to 1, at least one.
  const Task short_mlm(TaskConfig{TaskKind::kMlm, 4}, corpus, model_for(vocab, 4, PatternKind::kBidirectional));
  short_mlm.example(key, tokens.data(), targets.data());
  EXPECT_EQ(std::count_if(targets.begin(), targets.begin() + 4, [](int t) { return t != kNoTarget; }), 1);
}

TEST(LabTasks, BatchIsItsExamplesWhateverTheBatchSize) {
  const TaskConfig config{TaskKind::kCopy, 17, 6, 2, 8};
  const Task task(config, nullptr, model_for(8, 17, PatternKind::kForward));
  std::vector<int> tokens4, targets4, tokens2, targets2, one(17), one_targets(17);
  task.batch(11, 3, StreamDomain::kTrain, 5, 4, tokens4, targets4);
  task.batch(11, 3, StreamDomain::kTrain, 5, 2, tokens2, targets2);
  EXPECT_TRUE(std::equal(tokens2.begin(), tokens2.end(), tokens4.begin()));
  EXPECT_TRUE(std::equal(targets2.begin(), targets2.end(), targets4.begin()));
  task.example(StreamKey{11, 3, StreamDomain::kTrain, 5, 3}, one.data(), one_targets.data());
  EXPECT_TRUE(std::equal(one.begin(), one.end(), tokens4.begin() + 3 * 17));
  task.batch(11, 3, StreamDomain::kTrain, 6, 4, tokens2, targets2);
  EXPECT_NE(tokens2, tokens4);  // another step, other examples
}

TEST(LabTasks, CopyAndReverseLayout) {
  const int max_length = 8, n = 2 * max_length + 1;
  for (TaskKind kind : {TaskKind::kCopy, TaskKind::kReverse}) {
    const Task task(TaskConfig{kind, n, 6, 2, max_length}, nullptr, model_for(8, n, PatternKind::kForward));
    EXPECT_EQ(task.vocab(), 8);
    EXPECT_EQ(task.sep_token(), 6);
    EXPECT_EQ(task.pad_token(), 7);
    EXPECT_EQ(task.prefix_length(), max_length + 1);
    std::vector<int> tokens(n), targets(n);
    std::set<int> lengths;
    for (std::uint64_t e = 0; e < 200; ++e) {
      task.example(StreamKey{1, 0, StreamDomain::kTrain, 0, e}, tokens.data(), targets.data());
      ASSERT_EQ(tokens[max_length], 6);
      int length = 0;
      while (length < max_length && tokens[max_length - 1 - length] != 7) ++length;
      lengths.insert(length);
      for (int i = 0; i < max_length - length; ++i) ASSERT_EQ(tokens[i], 7);
      for (int t = 0; t < length; ++t) {
        const int input = tokens[max_length - length + (kind == TaskKind::kCopy ? t : length - 1 - t)];
        ASSERT_LT(input, 6);
        ASSERT_EQ(tokens[max_length + 1 + t], input);
        ASSERT_EQ(targets[max_length + t], input);  // position max_length + t predicts output t
      }
      for (int i = 0; i < n; ++i) {
        if (i < max_length || i >= max_length + length) {
          ASSERT_EQ(targets[i], kNoTarget) << i;
        }
      }
      for (int i = max_length + 1 + length; i < n; ++i) ASSERT_EQ(tokens[i], 7);
    }
    EXPECT_EQ(lengths, (std::set<int>{2, 3, 4, 5, 6, 7, 8}));
  }
}

TEST(LabTasks, MqarLayout) {
  const int pairs = 4, n = 4 * pairs + 1;
  TaskConfig config{TaskKind::kMqar, n};
  config.pairs = pairs;
  config.keys = 10;
  config.values = 6;
  const Task task(config, nullptr, model_for(18, n, PatternKind::kForward));
  EXPECT_EQ(task.vocab(), 18);
  EXPECT_EQ(task.prefix_length(), 2 * pairs + 1);
  EXPECT_DOUBLE_EQ(task.baseline(), 1.0 / 6);
  std::vector<int> tokens(n), targets(n);
  for (std::uint64_t e = 0; e < 100; ++e) {
    task.example(StreamKey{2, 0, StreamDomain::kHeldOut, 0, e}, tokens.data(), targets.data());
    std::set<int> keys;
    for (int i = 0; i < pairs; ++i) {
      ASSERT_LT(tokens[2 * i], 10);
      ASSERT_GE(tokens[2 * i + 1], 10);
      ASSERT_LT(tokens[2 * i + 1], 16);
      keys.insert(tokens[2 * i]);
    }
    ASSERT_EQ(keys.size(), static_cast<std::size_t>(pairs));  // distinct keys
    ASSERT_EQ(tokens[2 * pairs], 16);
    std::set<int> queried;
    for (int q = 0; q < pairs; ++q) {
      const int position = 2 * pairs + 1 + 2 * q;
      int value = -1;
      for (int i = 0; i < pairs; ++i)
        if (tokens[2 * i] == tokens[position]) value = tokens[2 * i + 1];
      ASSERT_NE(value, -1);
      ASSERT_EQ(targets[position], value);
      ASSERT_EQ(tokens[position + 1], value);
      ASSERT_EQ(targets[position + 1], kNoTarget);
      queried.insert(tokens[position]);
    }
    ASSERT_EQ(queried, keys);  // every key queried once
    for (int i = 0; i <= 2 * pairs; ++i) ASSERT_EQ(targets[i], kNoTarget);
  }
}

TEST(LabTasks, ErrorsNameTheField) {
  const ModelConfig model = model_for(8, 16, PatternKind::kForward);
  expect_error([&] { Task(TaskConfig{TaskKind::kMlm, 16}, nullptr, model); }, ErrorCode::kInvalidArgument,
               "task=mlm needs the corpus, extracted at build time from the Debian package r-cran-janeaustenr "
               "(scripts/austen_corpus.py); it is missing");
  expect_error([&] { Task(TaskConfig{TaskKind::kOrder, 16}, split_corpus(), model); }, ErrorCode::kInvalidArgument,
               "task=order needs positions=none (the model must learn order from the masks)");
  expect_error([&] { Task(TaskConfig{TaskKind::kCopy, 16, 6, 2, 8}, nullptr, model); }, ErrorCode::kInvalidArgument,
               "n=16 is too small for copy with max_length=8 (needs 2 max_length + 1 = 17)");
  expect_error([&] { Task(TaskConfig{TaskKind::kCopy, 17, 6, 2, 8}, nullptr, model); }, ErrorCode::kInvalidArgument,
               "task n=17 differs from the model's n=16");
  TaskConfig mqar{TaskKind::kMqar, 16};
  mqar.pairs = 4;
  expect_error([&] { Task(mqar, nullptr, model); }, ErrorCode::kInvalidArgument,
               "n=16 is too small for mqar with pairs=4 (needs 4 pairs + 1 = 17)");
  expect_error([] { make_corpus(""); }, ErrorCode::kInvalidArgument,
               "corpus is empty (it is extracted at build time from the Debian package r-cran-janeaustenr by "
               "scripts/austen_corpus.py)");
}

TEST(LabCorpus, AustenIsExtractedWithItsAlphabet) {
  const auto corpus = test::austen_corpus();
  if (!corpus) GTEST_SKIP() << test::kNoCorpusMessage;
  // Six novels, about 4 million characters, ASCII letters and punctuation plus the two bytes of one '£'.
  EXPECT_GT(corpus->tokens.size(), 3500000u);
  EXPECT_LT(corpus->tokens.size(), 4500000u);
  EXPECT_GE(corpus->alphabet.size(), 70u);
  EXPECT_LE(corpus->alphabet.size(), 100u);
  for (char c : std::string("Emma Woodhouse, handsome, clever, and rich"))
    EXPECT_TRUE(std::binary_search(corpus->alphabet.begin(), corpus->alphabet.end(), static_cast<unsigned char>(c))) << c;
  EXPECT_EQ(corpus->tokens.size() - corpus->train_end, corpus->tokens.size() / 10);
  // English characters: the unigram entropy is about 3 nats (4.3 bits), far below log(A) = 4.4.
  EXPECT_GT(unigram_entropy(*corpus), 2.5);
  EXPECT_LT(unigram_entropy(*corpus), 3.3);
}

}  // namespace
}  // namespace attnrank::lab
