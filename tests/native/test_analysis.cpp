// analyze(): the whole request as the CLI and the wasm module run it. Checks the essay's headline facts
// on seeded inputs, the precision paths, loaded inputs, defaults, determinism and every validation message.
// Bidirectional linear attention with f < n takes the structured path (A = L R^T): checked against the
// dense path (linear_attention + compute_rank_stats) statistic by statistic.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "attnrank/base/errors.h"
#include "attnrank/experiments/analysis.h"
#include "linalg/spectrum.h"

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

// Issue 13's reproduction: forward, n 64, d 8, seed 7. The f64 pipeline resolves rank 63 (s_64 is below
// its floor, like the 100-digit truth); the f32 pipeline's s_64 is float noise that the f64 tolerance
// counted as rank 64. So at f32 there is no f64 count, and s_n is reported as the (float) floor.
TEST(Analysis, ForwardSeed7HasNoF64RankAtF32AndAnUpperBoundSigmaMin) {
  AnalysisConfig config = seeded("forward", 64, 8, 7);
  const AnalysisResult f64 = analyze(config);
  ASSERT_TRUE(f64.stats.numerical_rank_f64.has_value());
  EXPECT_EQ(*f64.stats.numerical_rank_f64, 63);
  EXPECT_EQ(f64.stats.accuracy_floor, accuracy_floor(f64.stats.sigma_max, 64, Precision::F64));
  EXPECT_TRUE(f64.stats.sigma_min_is_upper_bound);
  EXPECT_LE(f64.stats.singular_values(63), f64.stats.accuracy_floor);
  EXPECT_EQ(f64.stats.sigma_min, f64.stats.accuracy_floor);
  EXPECT_TRUE(f64.stats.condition_is_lower_bound);
  EXPECT_EQ(f64.stats.condition_number, f64.stats.sigma_max / f64.stats.accuracy_floor);
  EXPECT_TRUE(f64.stats.structurally_full_rank);  // the algebra still says full rank

  config.precision = Precision::F32;
  const AnalysisResult f32 = analyze(config);
  EXPECT_EQ(f32.stats.precision, Precision::F32);
  EXPECT_FALSE(f32.stats.numerical_rank_f64.has_value());
  EXPECT_EQ(f32.stats.accuracy_floor, accuracy_floor(f32.stats.sigma_max, 64, Precision::F32));
  EXPECT_TRUE(f32.stats.sigma_min_is_upper_bound);
  EXPECT_EQ(f32.stats.sigma_min, f32.stats.accuracy_floor);
  // What the old code reported: the f64 tolerance applied to the f32 spectrum counts noise as rank.
  EXPECT_EQ(numerical_rank(f32.stats.singular_values, 64, precision_epsilon(Precision::F64)), 64);
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
  // Every finite scale, subnormal and largest doubles included (the logits' rank is scale-invariant
  // and is computed without forming s Q K^T, which overflows for |s| ~ 1e307 at these inputs).
  for (const double scale : {0.0, 1e-310, 1e-300, 1e300, -1e300, -2.0, 1e307, -1e308,
                             std::numeric_limits<double>::max()}) {
    AnalysisConfig config = seeded("forward", 16, 4, 5);
    config.scale = scale;
    const AnalysisResult result = analyze(config);
    EXPECT_TRUE(all_finite(result.stats)) << "scale=" << scale;
    EXPECT_EQ(result.logits_rank, scale == 0.0 ? 0 : 4) << "scale=" << scale;
  }
  AnalysisConfig uniform = seeded("bidirectional", 16, 4, 5);
  uniform.scale = 0.0;  // all logits equal: every row 1/n, rank 1
  const AnalysisResult result = analyze(uniform);
  EXPECT_EQ(result.stats.numerical_rank_f64, 1);
  EXPECT_EQ(result.logits_rank, 0);
}

AnalysisConfig linear_config(const char* pattern, int n, int d, std::uint64_t seed, FeatureMap feature,
                             Precision precision) {
  AnalysisConfig config = seeded(pattern, n, d, seed);
  config.kind = AttentionKind::kLinear;
  config.linear.feature = feature;
  config.linear.features = 16;
  config.linear.seed = seed;
  config.precision = precision;
  return config;
}

// The dense reference: A formed by linear_attention (rounded to float for f32), then compute_rank_stats.
RankStats dense_linear_stats(const AnalysisConfig& config) {
  const InputMatrices x = generate_inputs(config.inputs);
  const Mask mask = build_mask(config.mask, config.inputs.n);
  const MatrixXd a = linear_attention(x.q, x.k, config.scale, mask, config.linear);
  if (config.precision == Precision::F32) return compute_rank_stats(MatrixXf(a.cast<float>()));
  return compute_rank_stats(a);
}

TEST(Analysis, StructuredBidirectionalLinearMatchesTheDensePath) {
  for (const FeatureMap feature : {FeatureMap::kElu1, FeatureMap::kExp, FeatureMap::kFavor}) {
    for (const Precision precision : {Precision::F64, Precision::F32}) {
      for (const std::uint64_t seed : {2u, 9u}) {
        const AnalysisConfig config = linear_config("bidirectional", 80, 8, seed, feature, precision);
        SCOPED_TRACE(std::string(feature_map_name(feature)) + " " + precision_name(precision) +
                     " seed=" + std::to_string(seed));
        const AnalysisResult result = analyze(config);
        const RankStats dense = dense_linear_stats(config);
        const RankStats& low = result.stats;
        const int n = 80;
        const double floor = accuracy_floor(dense.sigma_max, n, precision);
        ASSERT_EQ(low.singular_values.size(), n);
        for (int i = 0; i < n; ++i) ASSERT_LE(std::abs(low.singular_values(i) - dense.singular_values(i)), floor) << i;
        for (int i = result.feature_dimension; i < n; ++i) ASSERT_EQ(low.singular_values(i), 0.0) << i;
        // Ranks in the request's precision agree. (Under f32 the dense spectrum's tail is float noise
        // ~eps32 s_1, above the f64 tolerance, so its numerical_rank_f64 counts noise: not compared.)
        EXPECT_EQ(low.numerical_rank_f32, dense.numerical_rank_f32);
        if (precision == Precision::F64) {
          EXPECT_EQ(low.numerical_rank_f64, dense.numerical_rank_f64);
        }
        if (precision == Precision::F64) {
          EXPECT_LE(low.numerical_rank_f64.value(), result.feature_dimension);
        } else {
          EXPECT_FALSE(low.numerical_rank_f64.has_value());
        }
        EXPECT_EQ(low.energy_rank_99, dense.energy_rank_99);
        EXPECT_NEAR(low.sigma_max, dense.sigma_max, floor);
        EXPECT_NEAR(low.stable_rank, dense.stable_rank, 4 * n * precision_epsilon(precision) * dense.stable_rank);
        // The dense tail (n - f values of noise <= floor) adds to sum s and to the entropy; the
        // structured tail is the exact zeros. Bounded by (n - f) floor / sum s, times log n.
        const double tail_share = (n - result.feature_dimension) * floor / dense.singular_values.sum();
        EXPECT_NEAR(low.effective_rank, dense.effective_rank, 2 * tail_share * std::log(n) * dense.effective_rank);
        EXPECT_TRUE(low.condition_is_lower_bound);
        EXPECT_TRUE(dense.condition_is_lower_bound);
        EXPECT_NEAR(low.condition_number, dense.condition_number, 1e-6 * dense.condition_number);
        EXPECT_EQ(low.log_det.sign, 0);
        EXPECT_TRUE(low.log_abs_det_is_reliable);
        EXPECT_FALSE(low.structurally_full_rank);
        EXPECT_FALSE(dense.structurally_full_rank);
        EXPECT_TRUE(all_finite(low));
      }
    }
  }
}

TEST(Analysis, EveryAllOnesMaskTakesTheStructuredPath) {
  AnalysisConfig config = linear_config("bidirectional", 40, 6, 3, FeatureMap::kElu1, Precision::F64);
  const AnalysisResult bidirectional = analyze(config);
  AnalysisConfig prefix = config;
  prefix.mask.kind = PatternKind::kPrefix;
  prefix.mask.prefix = 40;  // p = n: every key allowed
  AnalysisConfig window = config;
  window.mask.kind = PatternKind::kWindow;
  window.mask.window = 40;
  AnalysisConfig custom = config;
  custom.mask.kind = PatternKind::kCustom;
  custom.mask.custom = Mask::Ones(40, 40);
  for (const AnalysisConfig& same : {prefix, window, custom}) {
    const AnalysisResult result = analyze(same);
    EXPECT_EQ(result.stats.singular_values, bidirectional.stats.singular_values);
    EXPECT_EQ(result.stats.log_det.sign, 0);
    EXPECT_TRUE(result.stats.log_abs_det_is_reliable);
  }
  window.mask.window = 39;  // one corner pair masked: no product form, dense path with its LU
  const AnalysisResult dense = analyze(window);
  EXPECT_FALSE(dense.stats.log_abs_det_is_reliable);
}

TEST(Analysis, LinearWithFeatureDimensionAtLeastNIsTheDensePath) {
  AnalysisConfig config = linear_config("bidirectional", 10, 12, 4, FeatureMap::kElu1, Precision::F64);
  const AnalysisResult result = analyze(config);
  const RankStats dense = dense_linear_stats(config);
  EXPECT_EQ(result.stats.singular_values, dense.singular_values);
  EXPECT_EQ(result.stats.log_det.sign, dense.log_det.sign);
  EXPECT_EQ(result.stats.log_det.log_abs, dense.log_det.log_abs);
  EXPECT_NE(result.stats.log_det.sign, 0);  // f = 12 >= n = 10: generically invertible, LU determinant
}

TEST(Analysis, WantedMatrixIsTheDenseMatrixAndLeavesTheStatisticsAlone) {
  for (const Precision precision : {Precision::F64, Precision::F32}) {
    AnalysisConfig config = linear_config("bidirectional", 30, 4, 6, FeatureMap::kFavor, precision);
    const AnalysisResult without = analyze(config);
    config.want_matrix = true;
    const AnalysisResult with = analyze(config);
    ASSERT_TRUE(with.matrix.has_value());
    ASSERT_TRUE(with.mask.has_value());
    EXPECT_EQ(*with.mask, Mask::Ones(30, 30));
    const InputMatrices x = generate_inputs(config.inputs);
    MatrixXd a = linear_attention(x.q, x.k, 1.0, Mask::Ones(30, 30), config.linear);
    if (precision == Precision::F32) a = a.cast<float>().cast<double>();
    EXPECT_EQ(*with.matrix, a);
    EXPECT_EQ(with.stats.singular_values, without.stats.singular_values);
    EXPECT_EQ(with.stats.log_det.sign, 0);
  }
}

// At s = 1e300 (c ~ 1e150) the elu1 features are c x + 1 (x > 0) or exp(-c |x|): A tends to relu
// attention, and a row whose q_i is negative everywhere to the relu column r* of K (its least negative
// feature dominates by exp(c * gap)), normalised. The limit has rank <= d. Forming A entry by entry in
// log space (the dense path's recomputed rows) rounds log-values of size 1e150 and reported rank 6 > d
// here; the factors keep the product structure and reach the limit.
TEST(Analysis, StructuredPathReachesTheLargeScaleLimit) {
  const int n = 48, d = 4;
  AnalysisConfig config = linear_config("bidirectional", n, d, 5, FeatureMap::kElu1, Precision::F64);
  config.scale = 1e300;
  const InputMatrices x = generate_inputs(config.inputs);
  const MatrixXd relu_k = x.k.cwiseMax(0.0);
  ASSERT_GT(relu_k.colwise().sum().minCoeff(), 0.0);  // every feature has a key: zero relu rows = all-negative q
  MatrixXd limit = x.q.cwiseMax(0.0) * relu_k.transpose();
  int all_negative_rows = 0;
  for (int i = 0; i < n; ++i) {
    if (limit.row(i).sum() > 0) continue;
    Eigen::Index dominant = 0;
    x.q.row(i).maxCoeff(&dominant);
    limit.row(i) = relu_k.col(dominant).transpose();
    ++all_negative_rows;
  }
  ASSERT_GT(all_negative_rows, 0);  // the case that needs the limit argument is present
  for (int i = 0; i < n; ++i) limit.row(i) /= limit.row(i).sum();
  const VectorXd expected = singular_values(limit);
  const AnalysisResult result = analyze(config);
  EXPECT_EQ(result.stats.numerical_rank_f64, d);
  const double floor = accuracy_floor(expected(0), n, Precision::F64);
  for (int i = 0; i < n; ++i) EXPECT_NEAR(result.stats.singular_values(i), expected(i), floor) << i;
}

TEST(Analysis, StructuredPathReportsAZeroRowSum) {
  AnalysisConfig config;
  config.kind = AttentionKind::kLinear;
  config.linear.feature = FeatureMap::kRelu;
  MatrixXd q(6, 2), k(6, 2);
  q << 1, 1, 2, 0, 0, 3, -1, -2, 1, 0, 0, 1;  // row 3: relu features (0, 0)
  k << 1, 0, 0, 1, 1, 1, 2, 0, 0, 2, 1, 2;
  config.user_q = q;
  config.user_k = k;
  expect_error(config, ErrorCode::kNumericalFailure,
               "row 3 of linear attention sums to 0 (feature=relu): D^{-1} is undefined");
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
