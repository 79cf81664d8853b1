// analyze(): the whole request as the CLI and the wasm module run it. Checks the essay's headline facts
// on seeded inputs, the precision paths, loaded inputs, defaults, determinism and every validation message.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "analysis.h"
#include "errors.h"

namespace attnrank {
namespace {

AnalysisConfig seeded(const char* pattern, int n, int d, std::uint64_t seed) {
  AnalysisConfig config;
  config.mask.kind = parse_pattern(pattern);
  config.mask.prefix = default_prefix(n);
  config.mask.window = default_window(n);
  config.inputs.n = n;
  config.inputs.d = d;
  config.inputs.seed = seed;
  return config;
}

void expect_error(const AnalysisConfig& config, ErrorCode code, const std::string& message_part) {
  try {
    analyze(config);
    FAIL() << "expected an error containing '" << message_part << "'";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), code) << error.what();
    EXPECT_NE(std::string(error.what()).find(message_part), std::string::npos) << error.what();
  }
}

bool all_finite(const RankStats& stats) {
  return stats.singular_values.allFinite() && std::isfinite(stats.effective_rank) &&
         std::isfinite(stats.stable_rank) && std::isfinite(stats.condition_number) &&
         std::isfinite(stats.sigma_max) && std::isfinite(stats.sigma_min) &&
         (stats.log_det.sign == 0 || std::isfinite(stats.log_det.log_abs));
}

TEST(Analysis, CausalMatrixIsStructurallyFullRankWithExactLogDet) {
  AnalysisConfig config = seeded("forward", 64, 8, 7);
  config.want_matrix = true;
  const AnalysisResult result = analyze(config);
  ASSERT_TRUE(result.matrix.has_value());
  double sum_log_diagonal = 0.0;
  for (int i = 0; i < 64; ++i) sum_log_diagonal += std::log((*result.matrix)(i, i));
  EXPECT_TRUE(result.stats.structurally_full_rank);
  EXPECT_EQ(result.stats.log_det.sign, 1);
  EXPECT_DOUBLE_EQ(result.stats.log_det.log_abs, sum_log_diagonal);
  EXPECT_LE(result.logits_rank, 8);
  EXPECT_EQ(result.stats.singular_values.size(), 64);
  EXPECT_TRUE(all_finite(result.stats));
}

TEST(Analysis, BidirectionalIsNotTriangular) {
  const AnalysisResult result = analyze(seeded("bidirectional", 32, 4, 1));
  EXPECT_FALSE(result.stats.structurally_full_rank);
  EXPECT_EQ(result.logits_rank, 4);
  EXPECT_EQ(result.feature_dimension, 0);
}

TEST(Analysis, BidirectionalLinearAttentionHasRankD) {
  AnalysisConfig config = seeded("bidirectional", 64, 8, 3);
  config.kind = AttentionKind::kLinear;
  const AnalysisResult result = analyze(config);
  EXPECT_EQ(result.stats.numerical_rank_f64, 8);
  EXPECT_EQ(result.feature_dimension, 8);
  config.mask.kind = PatternKind::kForward;
  const AnalysisResult causal = analyze(config);
  EXPECT_EQ(causal.stats.numerical_rank_f64, 64);  // elu1 > 0: positive diagonal, well conditioned here
  EXPECT_TRUE(causal.stats.structurally_full_rank);
}

TEST(Analysis, FavorRankIsBoundedByFeatureCount) {
  AnalysisConfig config = seeded("bidirectional", 64, 8, 3);
  config.kind = AttentionKind::kLinear;
  config.linear.feature = FeatureMap::kFavor;
  config.linear.features = 5;
  const AnalysisResult result = analyze(config);
  EXPECT_EQ(result.feature_dimension, 5);
  EXPECT_LE(result.stats.numerical_rank_f64, 5);
}

TEST(Analysis, Float32PipelineAgreesWithDoubleToSinglePrecision) {
  AnalysisConfig config = seeded("prefix", 48, 8, 11);
  const AnalysisResult f64 = analyze(config);
  config.precision = Precision::F32;
  const AnalysisResult f32 = analyze(config);
  ASSERT_EQ(f32.stats.singular_values.size(), 48);
  EXPECT_NEAR(f32.stats.sigma_max, f64.stats.sigma_max, 1e-5 * f64.stats.sigma_max);
  EXPECT_NEAR(f32.stats.effective_rank, f64.stats.effective_rank, 1e-3 * f64.stats.effective_rank);
  EXPECT_LE(f32.stats.numerical_rank_f32, 48);
}

TEST(Analysis, SameConfigGivesTheSameBits) {
  const AnalysisConfig config = seeded("backward", 40, 6, 99);
  const AnalysisResult first = analyze(config);
  const AnalysisResult second = analyze(config);
  EXPECT_EQ(0, std::memcmp(first.stats.singular_values.data(), second.stats.singular_values.data(),
                           sizeof(double) * 40));
}

TEST(Analysis, UserInputsDefineTheShape) {
  AnalysisConfig config;
  config.mask.kind = PatternKind::kForward;
  MatrixXd q(5, 2), k(5, 2);
  q << 1, 0, 0, 1, 1, 1, -1, 0, 0, -1;
  k << 0, 1, 1, 0, 1, -1, 2, 0, 0, 2;
  config.user_q = q;
  config.user_k = k;
  config.inputs.n = 999;  // ignored: the loaded matrices define n and d
  const AnalysisResult result = analyze(config);
  EXPECT_EQ(result.n, 5);
  EXPECT_EQ(result.d, 2);
  EXPECT_TRUE(result.stats.structurally_full_rank);
}

TEST(Analysis, DefaultsFollowN) {
  EXPECT_EQ(default_prefix(9), 4);
  EXPECT_EQ(default_window(2), 2);
  EXPECT_EQ(default_window(100), 4);
}

TEST(Analysis, ExtremeScalesGiveDefinedFiniteAnswers) {
  for (const double scale : {0.0, 1e-300, 1e300, -1e300, -2.0}) {
    AnalysisConfig config = seeded("forward", 16, 4, 5);
    config.scale = scale;
    const AnalysisResult result = analyze(config);
    EXPECT_TRUE(all_finite(result.stats)) << "scale=" << scale;
  }
  AnalysisConfig uniform = seeded("bidirectional", 16, 4, 5);
  uniform.scale = 0.0;  // all logits equal: every row 1/n, rank 1
  const AnalysisResult result = analyze(uniform);
  EXPECT_EQ(result.stats.numerical_rank_f64, 1);
  EXPECT_EQ(result.logits_rank, 0);
}

TEST(Analysis, BadInputsNameTheParameter) {
  AnalysisConfig config = seeded("prefix", 8, 4, 0);
  config.mask.prefix = 9;
  expect_error(config, ErrorCode::kInvalidArgument, "prefix=9");

  config = seeded("forward", 8, 4, 0);
  config.scale = std::nan("");
  expect_error(config, ErrorCode::kInvalidArgument, "scale=nan must be finite");

  config = seeded("forward", 0, 4, 0);
  expect_error(config, ErrorCode::kInvalidArgument, "n=0");

  config = seeded("forward", 8, 0, 0);
  expect_error(config, ErrorCode::kInvalidArgument, "d=0");

  config = seeded("forward", 8, 4, 0);
  config.kind = AttentionKind::kLinear;
  config.scale = -1.0;
  expect_error(config, ErrorCode::kInvalidArgument, "scale=-1 must be >= 0 for linear attention");

  config = seeded("forward", 8, 4, 0);
  config.precision = Precision::F32;
  config.scale = 1e300;
  expect_error(config, ErrorCode::kInvalidArgument, "scale=1e+300 exceeds the float range for precision=f32");

  config = seeded("forward", 8, 4, 0);
  config.user_q = MatrixXd::Ones(8, 4);
  expect_error(config, ErrorCode::kInvalidArgument, "q and k must be given together");

  config.user_k = MatrixXd::Ones(8, 3);
  expect_error(config, ErrorCode::kInvalidArgument, "k shape (8, 3) differs from q shape (8, 4)");

  config.user_k = MatrixXd::Ones(8, 4);
  (*config.user_k)(2, 1) = std::numeric_limits<double>::infinity();
  expect_error(config, ErrorCode::kInvalidArgument, "k contains a NaN or infinite entry");

  EXPECT_THROW(parse_attention_kind("quadratic"), Error);
  EXPECT_THROW(parse_precision("f16"), Error);
}

TEST(Analysis, ParsersNameTheValue) {
  try {
    parse_precision("f16");
    FAIL();
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "precision=f16 is unknown (expected one of: f64, f32)");
  }
  try {
    parse_attention_kind("quadratic");
    FAIL();
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "kind=quadratic is unknown (expected one of: softmax, linear)");
  }
}

}  // namespace
}  // namespace attnrank
