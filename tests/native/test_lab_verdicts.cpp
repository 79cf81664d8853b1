// The lab's verdicts (lab/verdicts.h) on analytic records: disjoint bands each way, overlapping bands,
// two seeds, a side that did not learn (and C16's bidirectional side that may not), incomplete runs (and
// the interim look at a step), accuracy tasks (higher is better), C9's per-seed gaps, a twin's borrowed
// runs, missing configurations, the claim-level rule and both languages; the JSONL reader
// (lab/run_records.h) and the probe's 8-bit attention (lab/probe_attention.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "attnrank/lab/probe_attention.h"
#include "attnrank/lab/run_records.h"
#include "attnrank/lab/verdicts.h"
#include "test_support.h"

namespace attnrank::lab {
namespace {

using test::expect_error;

constexpr double kUnigram = 3.0;  // a corpus task's baseline (nats)

RunRecord record(const std::string& task, const std::string& config, std::uint64_t seed, double loss,
                 std::optional<double> accuracy = std::nullopt, double baseline = kUnigram, int step = 100, int steps = 100) {
  RunRecord r;
  r.task = task;
  r.config = config;
  r.seed = seed;
  r.step = step;
  r.steps = steps;
  r.heldout_loss = loss;
  r.heldout_accuracy = accuracy;
  r.baseline = baseline;
  return r;
}

// Seeds 1, 2, 3 of one configuration with these losses.
void add_losses(std::vector<RunRecord>& out, const std::string& task, const std::string& config, std::vector<double> losses) {
  for (std::size_t i = 0; i < losses.size(); ++i) out.push_back(record(task, config, i + 1, losses[i]));
}

const LabComparisonVerdictRecord& comparison(const LabVerdictsRecord& v, const std::string& experiment, const std::string& a,
                                             const std::string& b) {
  for (const LabComparisonVerdictRecord& c : v.comparisons)
    if (c.experiment == experiment && c.a == a && c.b == b) return c;
  throw std::logic_error("no comparison " + experiment + " " + a + " " + b);
}

const LabClaimVerdictRecord& claim(const LabVerdictsRecord& v, const std::string& id) {
  for (const LabClaimVerdictRecord& c : v.claims)
    if (c.claim == id) return c;
  throw std::logic_error("no claim " + id);
}

TEST(LabVerdicts, DisjointBandsSupportAndOverlappingBandsAreInconclusive) {
  std::vector<RunRecord> runs;
  add_losses(runs, "mlm", "bidirectional:softmax", {1.5, 1.6, 1.7});
  add_losses(runs, "mlm", "mix-heads:softmax", {1.2, 1.0, 1.1});
  add_losses(runs, "mlm", "mix-layers:softmax", {1.3, 1.4, 1.5});  // touches 1.5: overlaps
  const LabVerdictsRecord v = evaluate_verdicts(runs);
  const auto& heads = comparison(v, "mlm", "mix-heads:softmax", "bidirectional:softmax");
  EXPECT_EQ(heads.outcome, "a_better");
  EXPECT_EQ(heads.verdict, "supported");
  ASSERT_TRUE(heads.a_band && heads.b_band && heads.difference);
  EXPECT_EQ(heads.a_band->seeds, (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(heads.a_band->values, (std::vector<double>{1.2, 1.0, 1.1}));
  EXPECT_DOUBLE_EQ(heads.a_band->mean, 1.1);
  EXPECT_EQ(heads.a_band->low, 1.0);
  EXPECT_EQ(heads.a_band->high, 1.2);
  EXPECT_DOUBLE_EQ(heads.difference->low, 1.0 - 1.6);
  EXPECT_DOUBLE_EQ(heads.difference->high, 1.2 - 1.5);
  EXPECT_EQ(heads.text_en,
            "C11, mlm: does the head mixture reach a lower held-out loss than bidirectional attention? mix-heads:softmax "
            "1.1 [1, 1.2] against bidirectional:softmax 1.6 [1.5, 1.7] (held-out loss; mean [min, max] over seeds): "
            "mix-heads:softmax better (the bands are disjoint). Verdict: supported.");
  EXPECT_NE(heads.text_zh.find("结论：支持"), std::string::npos) << heads.text_zh;
  const auto& layers = comparison(v, "mlm", "mix-layers:softmax", "bidirectional:softmax");
  EXPECT_EQ(layers.outcome, "no_difference");
  EXPECT_EQ(layers.verdict, "inconclusive");
  // One comparison supported, one inconclusive: the claim is inconclusive.
  EXPECT_EQ(claim(v, "C11").verdict, "inconclusive");
  EXPECT_EQ(claim(v, "C11").experiments, (std::vector<std::string>{"mlm"}));
  EXPECT_EQ(claim(v, "C11").text_en,
            "C11: inconclusive (2 comparisons in mlm: 1 supported, 0 contradicted, 1 inconclusive).");
  // No runs of the other experiments: only mlm's comparisons, and the other claims say so.
  EXPECT_EQ(v.comparisons.size(), 2u);
  EXPECT_EQ(claim(v, "C9").verdict, "inconclusive");
  EXPECT_TRUE(claim(v, "C9").experiments.empty());
  EXPECT_EQ(claim(v, "C9").text_en, "C9: inconclusive (no experiment of it has runs).");
  std::vector<std::string> order;
  for (const LabClaimVerdictRecord& c : v.claims) order.push_back(c.claim);
  EXPECT_EQ(order, (std::vector<std::string>{"C9", "C11", "C12", "C16", "recall"}));
}

TEST(LabVerdicts, TheOtherBandBeyondContradicts) {
  std::vector<RunRecord> runs;
  add_losses(runs, "mlm", "bidirectional:softmax", {1.5, 1.6, 1.7});
  add_losses(runs, "mlm", "mix-heads:softmax", {1.8, 1.9, 2.0});
  add_losses(runs, "mlm", "mix-layers:softmax", {2.1, 1.75, 2.0});
  const LabVerdictsRecord v = evaluate_verdicts(runs);
  EXPECT_EQ(comparison(v, "mlm", "mix-heads:softmax", "bidirectional:softmax").outcome, "b_better");
  EXPECT_EQ(comparison(v, "mlm", "mix-heads:softmax", "bidirectional:softmax").verdict, "contradicted");
  EXPECT_EQ(comparison(v, "mlm", "mix-layers:softmax", "bidirectional:softmax").verdict, "contradicted");
  EXPECT_EQ(claim(v, "C11").verdict, "contradicted");
  EXPECT_NE(claim(v, "C11").text_zh.find("被否定"), std::string::npos);
}

TEST(LabVerdicts, TwoSeedsAndIncompleteRunsAreNotEnough) {
  std::vector<RunRecord> runs;
  add_losses(runs, "mlm", "bidirectional:softmax", {1.5, 1.6, 1.7});
  add_losses(runs, "mlm", "mix-heads:softmax", {1.0, 1.1});  // two seeds
  add_losses(runs, "mlm", "mix-layers:softmax", {1.0, 1.1});
  runs.push_back(record("mlm", "mix-layers:softmax", 3, 1.05, std::nullopt, kUnigram, 50, 100));  // still running
  const LabVerdictsRecord v = evaluate_verdicts(runs);
  const auto& heads = comparison(v, "mlm", "mix-heads:softmax", "bidirectional:softmax");
  EXPECT_EQ(heads.outcome, "not_enough_runs");
  EXPECT_EQ(heads.verdict, "inconclusive");
  EXPECT_EQ(heads.a_band->seeds.size(), 2u);
  EXPECT_NE(heads.text_en.find("not enough runs (2 complete seeds of mix-heads:softmax, 3 needed)"), std::string::npos)
      << heads.text_en;
  const auto& layers = comparison(v, "mlm", "mix-layers:softmax", "bidirectional:softmax");
  EXPECT_EQ(layers.outcome, "not_enough_runs");  // seed 3 stopped at step 50 of 100
  EXPECT_EQ(layers.a_band->seeds, (std::vector<double>{1, 2}));
  EXPECT_EQ(claim(v, "C11").verdict, "inconclusive");
}

// English counts agree with their number: one seed, one comparison (Chinese needs no plural).
TEST(LabVerdicts, OneSeedAndOneComparisonAreSingular) {
  std::vector<RunRecord> runs;
  add_losses(runs, "prefix", "forward:softmax", {2.0, 2.1, 2.2});
  add_losses(runs, "prefix", "prefix:softmax", {2.05});
  const LabVerdictsRecord v = evaluate_verdicts(runs);
  const auto& only = comparison(v, "prefix", "prefix:softmax", "forward:softmax");
  EXPECT_EQ(only.outcome, "not_enough_runs");
  EXPECT_NE(only.text_en.find("not enough runs (1 complete seed of prefix:softmax, 3 needed)"), std::string::npos)
      << only.text_en;
  EXPECT_NE(only.text_zh.find("只有 1 个完整种子"), std::string::npos) << only.text_zh;
  EXPECT_EQ(claim(v, "C12").text_en, "C12: inconclusive (1 comparison in prefix: 0 supported, 0 contradicted, 1 inconclusive).");
  EXPECT_EQ(claim(v, "C12").text_zh, "C12：无定论（prefix 中的 1 项比较：0 项支持，0 项否定，1 项无定论）。");
}

TEST(LabVerdicts, AtAStepEveryRunThatReachedItCounts) {
  std::vector<RunRecord> runs;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    runs.push_back(record("prefix", "forward:softmax", seed, 2.0 + 0.01 * seed, std::nullopt, kUnigram, 50, 100));
    runs.push_back(record("prefix", "prefix:softmax", seed, 2.5 + 0.01 * seed, std::nullopt, kUnigram, 50, 100));
    runs.push_back(record("prefix", "prefix:softmax", seed, 1.0, std::nullopt, kUnigram, 100, 100));  // later: not read at 50
  }
  const LabVerdictsRecord v = evaluate_verdicts(runs, 50);
  const auto& c = comparison(v, "prefix", "prefix:softmax", "forward:softmax");
  EXPECT_EQ(c.outcome, "b_better");
  EXPECT_EQ(c.verdict, "supported");  // C12: UniLM no better
  EXPECT_EQ(claim(v, "C12").verdict, "supported");
  // Without the step: each run's last record, where prefix is better: contradicted. forward stopped at 50.
  const LabVerdictsRecord last = evaluate_verdicts(runs);
  EXPECT_EQ(comparison(last, "prefix", "prefix:softmax", "forward:softmax").outcome, "not_enough_runs");
}

TEST(LabVerdicts, ASideThatDidNotLearnLeavesTheComparisonUntested) {
  std::vector<RunRecord> runs;
  add_losses(runs, "mlm", "bidirectional:softmax", {1.5, kUnigram, 1.7});  // seed 2 at the baseline
  add_losses(runs, "mlm", "mix-heads:softmax", {1.0, 1.1, 1.2});
  add_losses(runs, "mlm", "mix-layers:softmax", {1.0, 1.1, 1.2});
  const LabVerdictsRecord v = evaluate_verdicts(runs);
  const auto& c = comparison(v, "mlm", "mix-heads:softmax", "bidirectional:softmax");
  EXPECT_EQ(c.outcome, "not_learned");
  EXPECT_EQ(c.verdict, "inconclusive");
  EXPECT_EQ(c.not_learned, (std::vector<std::string>{"bidirectional:softmax"}));
  EXPECT_NE(c.text_en.find("not tested at these settings: bidirectional:softmax did not beat the baseline 3 by more "
                           "than 2% on every seed"),
            std::string::npos)
      << c.text_en;
  // The claim's sentence says what was not tested, in both languages.
  EXPECT_EQ(claim(v, "C11").text_en,
            "C11: inconclusive (2 comparisons in mlm: 0 supported, 0 contradicted, 2 inconclusive). Not tested at these "
            "settings: bidirectional:softmax (mlm, baseline 3) did not beat the baseline by more than 2% on every seed.");
  EXPECT_NE(claim(v, "C11").text_zh.find("在这些设置下未检验：bidirectional:softmax（mlm，基线 3）"), std::string::npos)
      << claim(v, "C11").text_zh;
  // C16 (order, no positions): bidirectional may learn nothing; the mixtures learned and are better.
  std::vector<RunRecord> order;
  add_losses(order, "order", "bidirectional:softmax", {kUnigram + 0.1, kUnigram + 0.2, kUnigram});
  add_losses(order, "order", "mix-heads:softmax", {2.0, 2.1, 2.2});
  add_losses(order, "order", "mix-layers:softmax", {2.5, 2.4, 2.3});
  const LabVerdictsRecord o = evaluate_verdicts(order);
  EXPECT_EQ(comparison(o, "order", "mix-heads:softmax", "bidirectional:softmax").verdict, "supported");
  EXPECT_EQ(comparison(o, "order", "mix-layers:softmax", "bidirectional:softmax").verdict, "supported");
  EXPECT_EQ(claim(o, "C16").verdict, "supported");
  // ... and its sentence says that the decision rests on a side at its baseline.
  EXPECT_NE(comparison(o, "order", "mix-heads:softmax", "bidirectional:softmax")
                .text_en.find("mix-heads:softmax better (the bands are disjoint); bidirectional:softmax did not beat the "
                              "baseline 3 by more than 2% on every seed, which this comparison allows. Verdict: supported."),
            std::string::npos)
      << comparison(o, "order", "mix-heads:softmax", "bidirectional:softmax").text_en;
  // ... but the mixture must have learned.
  order[3].heldout_loss = kUnigram + 1;
  EXPECT_EQ(comparison(evaluate_verdicts(order), "order", "mix-heads:softmax", "bidirectional:softmax").outcome,
            "not_learned");
}

TEST(LabVerdicts, AccuracyIsBetterHigherAndChanceIsItsBaseline) {
  std::vector<RunRecord> runs;
  const double chance = 1.0 / 16;
  const auto add = [&](const std::string& config, std::vector<double> accuracy) {
    for (std::size_t i = 0; i < accuracy.size(); ++i) runs.push_back(record("copy", config, i + 1, 1.0, accuracy[i], chance));
  };
  add("forward:softmax", {0.8, 0.85, 0.9});
  add("prefix:softmax", {0.5, 0.6, 0.55});
  add("forward:linear", {0.3, 0.35, 0.4});
  add("prefix:linear", {0.3, chance, 0.4});  // seed 2 at chance: did not learn
  const LabVerdictsRecord v = evaluate_verdicts(runs);
  const auto& c12 = comparison(v, "copy", "prefix:softmax", "forward:softmax");
  EXPECT_EQ(c12.metric, "heldout_accuracy");
  EXPECT_EQ(c12.outcome, "b_better");
  EXPECT_EQ(c12.verdict, "supported");
  EXPECT_EQ(comparison(v, "copy", "forward:softmax", "forward:linear").verdict, "supported");
  EXPECT_EQ(comparison(v, "copy", "prefix:linear", "forward:linear").outcome, "not_learned");
  EXPECT_EQ(comparison(v, "copy", "prefix:softmax", "prefix:linear").outcome, "not_learned");
  EXPECT_EQ(claim(v, "C12").verdict, "inconclusive");
  EXPECT_EQ(claim(v, "recall").verdict, "inconclusive");
  // An accuracy task's record without accuracy is refused.
  runs[0].heldout_accuracy.reset();
  expect_error([&] { evaluate_verdicts(runs); }, ErrorCode::kInvalidArgument, "records[0]: task copy needs heldout_accuracy",
               "records");
}

TEST(LabVerdicts, C9ComparesLinearsPerSeedGapOnLmWithMlm) {
  std::vector<RunRecord> runs;
  add_losses(runs, "lm-vs-mlm", "forward:softmax", {2.0, 2.1, 2.2});
  add_losses(runs, "lm-vs-mlm", "forward:linear", {2.1, 2.22, 2.31});       // gaps 0.1, 0.12, 0.11
  add_losses(runs, "lm-vs-mlm", "bidirectional:softmax", {1.5, 1.6, 1.7});
  add_losses(runs, "lm-vs-mlm", "bidirectional:linear", {1.8, 1.95, 2.02});  // gaps 0.3, 0.35, 0.32
  LabVerdictsRecord v = evaluate_verdicts(runs);
  const auto& c = comparison(v, "lm-vs-mlm", "forward:linear", "bidirectional:linear");
  EXPECT_EQ(c.a_minus, "forward:softmax");
  EXPECT_NEAR(c.a_band->low, 0.1, 1e-12);
  EXPECT_NEAR(c.a_band->high, 0.12, 1e-12);
  EXPECT_NEAR(c.b_band->low, 0.3, 1e-12);
  EXPECT_EQ(c.outcome, "a_better");
  EXPECT_EQ(claim(v, "C9").verdict, "supported");
  EXPECT_NE(c.text_en.find("forward:linear - forward:softmax 0.11 [0.1, 0.12] against bidirectional:linear - "
                           "bidirectional:softmax 0.3233 [0.3, 0.35]"),
            std::string::npos)
      << c.text_en;
  // Gaps that overlap: inconclusive.
  runs[4].heldout_loss = 2.15;  // forward:linear seed 2: gap 0.05
  runs[10].heldout_loss = 1.71;  // bidirectional:linear seed 2: gap 0.11
  v = evaluate_verdicts(runs);
  EXPECT_EQ(comparison(v, "lm-vs-mlm", "forward:linear", "bidirectional:linear").outcome, "no_difference");
}

// A model that learned nothing reads about its baseline, a little below it on some seeds (the held-out
// split's noise: bidirectional MLM at the default settings read 3.076, 3.073, 3.122 against 3.092): beating
// the baseline by less than kLearnedMargin on every seed is not learning, and a verdict resting on it is
// inconclusive, never "supported" because the other side stayed at its baseline.
TEST(LabVerdicts, BarelyBelowTheBaselineIsNotLearned) {
  ASSERT_EQ(kLearnedMargin, 0.02);
  const double just_in = (1.0 - kLearnedMargin) * kUnigram * (1.0 - 1e-9);  // beats the margin
  const double just_out = (1.0 - kLearnedMargin) * kUnigram * (1.0 + 1e-9);
  std::vector<RunRecord> runs;
  add_losses(runs, "mlm", "bidirectional:softmax", {0.995 * kUnigram, 0.99 * kUnigram, just_out});  // all below 3
  add_losses(runs, "mlm", "mix-heads:softmax", {2.0, 2.1, 2.2});
  add_losses(runs, "mlm", "mix-layers:softmax", {2.0, 2.1, 2.2});
  LabVerdictsRecord v = evaluate_verdicts(runs);
  EXPECT_EQ(comparison(v, "mlm", "mix-heads:softmax", "bidirectional:softmax").outcome, "not_learned");
  EXPECT_EQ(claim(v, "C11").verdict, "inconclusive");
  EXPECT_NE(claim(v, "C11").text_en.find("Not tested at these settings: bidirectional:softmax (mlm, baseline 3)"),
            std::string::npos)
      << claim(v, "C11").text_en;
  for (RunRecord& r : runs)
    if (r.config == "bidirectional:softmax") r.heldout_loss = just_in;
  v = evaluate_verdicts(runs);
  EXPECT_EQ(comparison(v, "mlm", "mix-heads:softmax", "bidirectional:softmax").outcome, "a_better");
  EXPECT_EQ(claim(v, "C11").verdict, "supported");
  EXPECT_EQ(claim(v, "C11").text_en.find("Not tested"), std::string::npos) << claim(v, "C11").text_en;
  // C9: both bidirectional configurations at the baseline leave the gap comparison untested, and the
  // claim's sentence names both.
  std::vector<RunRecord> c9;
  add_losses(c9, "lm-vs-mlm", "forward:softmax", {2.0, 2.1, 2.2});
  add_losses(c9, "lm-vs-mlm", "forward:linear", {2.2, 2.3, 2.4});
  add_losses(c9, "lm-vs-mlm", "bidirectional:softmax", {2.99, 2.98, 3.01});
  add_losses(c9, "lm-vs-mlm", "bidirectional:linear", {2.99, 2.97, 3.01});  // gaps 0, -0.01, 0: "smaller" than LM's 0.2
  const LabVerdictsRecord w = evaluate_verdicts(c9);
  EXPECT_EQ(comparison(w, "lm-vs-mlm", "forward:linear", "bidirectional:linear").verdict, "inconclusive");
  EXPECT_EQ(comparison(w, "lm-vs-mlm", "forward:linear", "bidirectional:linear").not_learned,
            (std::vector<std::string>{"bidirectional:linear", "bidirectional:softmax"}));
  EXPECT_NE(claim(w, "C9").text_en.find("Not tested at these settings: bidirectional:linear (lm-vs-mlm, baseline 3), "
                                        "bidirectional:softmax (lm-vs-mlm, baseline 3) did not beat the baseline by more "
                                        "than 2% on every seed."),
            std::string::npos)
      << claim(w, "C9").text_en;
  // Accuracy: above chance by more than the margin.
  std::vector<RunRecord> copy;
  const double chance = 1.0 / 16;
  const auto add = [&](const std::string& config, std::vector<double> accuracy) {
    for (std::size_t i = 0; i < accuracy.size(); ++i) copy.push_back(record("copy", config, i + 1, 1.0, accuracy[i], chance));
  };
  add("forward:softmax", {0.8, 0.85, 0.9});
  add("forward:linear", {1.01 * chance, 0.3, 0.4});  // seed 1 barely above chance
  add("prefix:softmax", {0.5, 0.6, 0.55});
  add("prefix:linear", {0.3, 0.35, 0.4});
  EXPECT_EQ(comparison(evaluate_verdicts(copy), "copy", "forward:softmax", "forward:linear").outcome, "not_learned");
}

TEST(LabVerdicts, MlmBorrowsLmVsMlmsBidirectionalRunsAndMissingOnesSayNoRuns) {
  std::vector<RunRecord> runs;
  add_losses(runs, "lm-vs-mlm", "bidirectional:softmax", {1.5, 1.6, 1.7});
  add_losses(runs, "mlm", "mix-heads:softmax", {1.0, 1.1, 1.2});
  const LabVerdictsRecord v = evaluate_verdicts(runs);
  EXPECT_EQ(comparison(v, "mlm", "mix-heads:softmax", "bidirectional:softmax").verdict, "supported");
  EXPECT_EQ(v.borrowed, (std::vector<std::string>{"mlm bidirectional:softmax from lm-vs-mlm"}));
  const auto& layers = comparison(v, "mlm", "mix-layers:softmax", "bidirectional:softmax");
  EXPECT_EQ(layers.outcome, "no_runs");
  EXPECT_FALSE(layers.a_band.has_value());
  EXPECT_NE(layers.text_en.find("no runs of mix-layers:softmax"), std::string::npos) << layers.text_en;
  // lm-vs-mlm has runs too (its bidirectional one): its C9 comparison says what is missing.
  EXPECT_EQ(comparison(v, "lm-vs-mlm", "forward:linear", "bidirectional:linear").outcome, "no_runs");
}

TEST(LabVerdicts, BadRecordsAreRefusedNamingTheRecord) {
  std::vector<RunRecord> runs = {record("mlm", "mix-heads:softmax", 1, 1.0), record("gpt", "forward:softmax", 1, 1.0)};
  expect_error([&] { evaluate_verdicts(runs); }, ErrorCode::kInvalidArgument,
               "records[1]: task=gpt is unknown (order, mlm, prefix, mqar, lm-vs-mlm, copy, reverse)", "records");
  runs[1] = record("mlm", "mix-heads:softmax", 2, 1.0, std::nullopt, kUnigram, 101, 100);
  expect_error([&] { evaluate_verdicts(runs); }, ErrorCode::kInvalidArgument, "records[1]: step=101 must be in [0, steps=100]",
               "records");
}

TEST(LabRunRecords, ReadsTheVerdictsKeysOfJsonlAndSkipsTheRest) {
  const std::string text =
      "{\"task\":\"mlm\",\"config\":\"mix-heads:softmax\",\"seed\":3,\"step\":1500,\"steps\":1500,\"learning_rate\":null,"
      "\"heldout_loss\":2.25,\"heldout_accuracy\":null,\"baseline\":3.5,\"heads\":[{\"layer\":0,\"x\":[[1,{\"y\":\"]}\"}]]}]}\n"
      "\n  \r\n"
      "{\"heads\":[],\"baseline\":0.0625,\"heldout_accuracy\":0.5e0,\"heldout_loss\":-1E-2,\"steps\":2,\"step\":0,"
      "\"seed\":4294967295,\"config\":\"forward:softmax\",\"task\":\"copy\"}";
  const std::vector<RunRecord> records = read_run_records(text);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].task, "mlm");
  EXPECT_EQ(records[0].config, "mix-heads:softmax");
  EXPECT_EQ(records[0].seed, 3u);
  EXPECT_EQ(records[0].step, 1500);
  EXPECT_EQ(records[0].heldout_loss, 2.25);
  EXPECT_FALSE(records[0].heldout_accuracy.has_value());
  EXPECT_EQ(records[0].baseline, 3.5);
  EXPECT_EQ(records[1].seed, 4294967295u);
  EXPECT_EQ(*records[1].heldout_accuracy, 0.5);
  EXPECT_EQ(records[1].heldout_loss, -0.01);
}

TEST(LabRunRecords, MalformedLinesAreRefusedNamingLineAndByte) {
  expect_error([] { read_run_records("\n{\"task\":\"mlm\"}"); }, ErrorCode::kInvalidArgument,
               "records line 2, byte 14: no key config (a lab_checkpoint record has it)", "records");
  expect_error([] { read_run_records("{\"task\":\"mlm\",}"); }, ErrorCode::kInvalidArgument,
               "records line 1, byte 14: expected '\"'", "records");
  expect_error([] { read_run_records("[1]"); }, ErrorCode::kInvalidArgument, "records line 1, byte 0: expected '{'", "records");
  expect_error([] { read_run_records("{\"heads\":[[[[\"x\"]]]"); }, ErrorCode::kInvalidArgument,
               "records line 1, byte 19: an unterminated array or object", "records");
  expect_error([] { read_run_records("{\"seed\":1.5}"); }, ErrorCode::kInvalidArgument,
               "records line 1, byte 11: seed must be an integer", "records");
  // Deep nesting costs no stack: a million brackets are skipped, then the line is still refused for its keys.
  const std::string deep = "{\"heads\":" + std::string(1000000, '[') + std::string(1000000, ']') + "}";
  expect_error([&] { read_run_records(deep); }, ErrorCode::kInvalidArgument,
               "records line 1, byte 2000010: no key task (a lab_checkpoint record has it)", "records");
}

TEST(LabProbeAttention, EightBitsAgainstTheMaximumAsBase64) {
  MatrixXd a(2, 2);
  a << 1.0, 0.0, 0.5, 0.5;  // 0.5 * 255 = 127.5 rounds away from zero: 128
  const QuantizedAttention q = quantize_attention(a);
  EXPECT_EQ(q.scale, 1.0 / 255.0);
  EXPECT_EQ(q.bytes, std::string("\xff\x00\x80\x80", 4));
  EXPECT_EQ(base64(q.bytes), "/wCAgA==");
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  MatrixXd diffuse = MatrixXd::Constant(3, 3, 1.0 / 3);  // every entry the maximum: all 255, scale max / 255
  const QuantizedAttention d = quantize_attention(diffuse);
  EXPECT_EQ(d.bytes, std::string(9, '\xff'));
  EXPECT_EQ(d.scale, (1.0 / 3) / 255.0);
  EXPECT_EQ(quantize_attention(MatrixXd::Zero(2, 2)).scale, 0.0);
  a(1, 0) = -0.25;
  expect_error([&] { quantize_attention(a); }, ErrorCode::kNumericalFailure, "attention entry (1, 0)=-0.25 is not in [0, inf)");
}

}  // namespace
}  // namespace attnrank::lab
