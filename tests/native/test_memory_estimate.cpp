// The memory budget (memory_estimate.h): estimates grow as the code's matrices do (n^2 for A, n d for the
// inputs, H n^2 for a mixture's matrices), a request over its budget is refused with kTooLarge and a
// message naming estimate, budget and advice, before anything runs; a request within it runs. The
// estimate-vs-measured comparison lives in docs/memory.md (bench/memory-peak.mjs, wasm heap).
#include <gtest/gtest.h>

#include <string>

#include "attnrank/base/errors.h"
#include "attnrank/base/memory_estimate.h"
#include "attnrank/experiments/analysis.h"
#include "attnrank/experiments/collapse.h"
#include "attnrank/experiments/mixture.h"
#include "attnrank/experiments/permutation.h"

namespace attnrank {
namespace {

AnalysisConfig softmax_config(int n, int d, Precision precision = Precision::F64, bool want_matrix = false,
                              PatternKind pattern = PatternKind::kBidirectional) {
  AnalysisConfig config;
  config.mask.kind = pattern;
  config.inputs.n = n;
  config.inputs.d = d;
  config.precision = precision;
  config.want_matrix = want_matrix;
  return config;
}

double mib(std::int64_t bytes) { return static_cast<double>(bytes) / static_cast<double>(kBytesPerMiB); }

TEST(MemoryEstimate, SoftmaxGrowsAsNSquared) {
  const double small = mib(estimate_analysis_bytes(softmax_config(1024, 8)));
  const double large = mib(estimate_analysis_bytes(softmax_config(2048, 8)));
  // A and the reduction's copy (2 n^2 doubles; the logits and A of the softmax are as many), the mask, the
  // inputs and 1 MiB of slack, times the 5% fragmentation margin: (16 + 1 + 0.19 + 1) * 1.05 = 19.1 MiB at
  // n = 1024.
  EXPECT_NEAR(small, 19.1, 0.1);
  EXPECT_NEAR(large / small, 4.0, 0.2);
}

TEST(MemoryEstimate, OnlyTheF32DensePatternsNeedLuCopies) {
  // f64: a dense pattern's determinant comes from the SVD's reduction, so it needs what a triangular one
  // does (A and the reduction's copy). f32: the determinant is an LU in double, two n^2 double copies more.
  const double dense = mib(estimate_analysis_bytes(softmax_config(1024, 8)));
  const double forward = mib(estimate_analysis_bytes(softmax_config(1024, 8, Precision::F64, false, PatternKind::kForward)));
  EXPECT_EQ(dense, forward);
  const double dense32 = mib(estimate_analysis_bytes(softmax_config(1024, 8, Precision::F32)));
  const double forward32 =
      mib(estimate_analysis_bytes(softmax_config(1024, 8, Precision::F32, false, PatternKind::kForward)));
  EXPECT_NEAR(dense32 - forward32, 16.0 * 1.05, 0.01);
}

TEST(MemoryEstimate, F32SavesNoMemoryBecauseTheStatisticsWidenA) {
  for (PatternKind pattern : {PatternKind::kBidirectional, PatternKind::kForward}) {
    const std::int64_t f64 = estimate_analysis_bytes(softmax_config(1024, 8, Precision::F64, false, pattern));
    const std::int64_t f32 = estimate_analysis_bytes(softmax_config(1024, 8, Precision::F32, false, pattern));
    EXPECT_GE(f32, f64);
    EXPECT_GT(estimate_analysis_bytes(softmax_config(1024, 8, Precision::F64, true, pattern)), f64);
  }
}

TEST(MemoryEstimate, InputsCountWhenDIsLarge) {
  const std::int64_t narrow = estimate_analysis_bytes(softmax_config(256, 8));
  const std::int64_t wide = estimate_analysis_bytes(softmax_config(256, 1024));
  // Q, K, V: 3 n d doubles = 6 MiB more (the narrow inputs are 48 KiB); and at d >= n the peak phase is
  // logits_rank's: Q, K at unit size (2 n d = 4 MiB), S and its SVD copy (2 n^2 = 1 MiB), in place of the
  // narrow request's statistics (A and the reduction's copy, 1 MiB): 9.95 MiB, times the margin.
  EXPECT_NEAR(mib(wide) - mib(narrow), (6.0 - 0.046875 + 5.0 - 1.0) * 1.05, 0.01);
}

TEST(MemoryEstimate, StructuredLinearAttentionNeedsNoNSquaredMatrix) {
  AnalysisConfig config = softmax_config(4096, 8);
  config.kind = AttentionKind::kLinear;
  config.mask.kind = PatternKind::kBidirectional;
  EXPECT_LT(mib(estimate_analysis_bytes(config)), 16.0);  // 16 MiB is one n^2 mask alone at n = 4096
  config.mask.kind = PatternKind::kForward;
  EXPECT_GT(mib(estimate_analysis_bytes(config)), 2.0 * 128.0);  // dense: A and the SVD copy, 128 MiB each
}

TEST(MemoryEstimate, MixtureMatricesAddHeadsTimesNSquared) {
  MixtureConfig config;
  config.n = 512;
  config.d_model = 64;
  config.heads = 8;
  const std::int64_t without = estimate_mixture_bytes(config);
  config.want_matrices = true;
  const double added = mib(estimate_mixture_bytes(config)) - mib(without);
  // (H + 2) n^2 doubles, 2 MiB each at n = 512, and the H heads' masks, n^2 bytes (0.25 MiB) each.
  EXPECT_NEAR(added, ((8 + 2) * 2.0 + 8 * 0.25) * 1.05, 0.01);
}

TEST(MemoryEstimate, PermutationCountsThreeSquareWeightMatrices) {
  PermutationConfig config;
  config.n = 8;
  config.d_model = 2048;
  // 3 d_model^2 doubles (W_Q, W_K, W_V) = 96 MiB dominate; times the 5% margin.
  EXPECT_NEAR(mib(estimate_permutation_bytes(config)), (96.0 + 9.0 * 8 * 2048 * 8 / kBytesPerMiB + 1.0) * 1.05, 0.01);
  config.memory_budget_mib = 64;
  try {
    run_permutation_test(config);
    FAIL() << "expected kTooLarge";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kTooLarge);
    EXPECT_EQ(std::string(error.what()),
              "permutation n=8, d_model=2048 needs ~104 MiB, over the memory budget of 64 MiB: lower n or d_model");
  }
}

TEST(MemoryBudget, OverBudgetAnalysisIsRefusedWithEstimateBudgetAndAdvice) {
  AnalysisConfig config = softmax_config(2048, 8, Precision::F64, false, PatternKind::kForward);
  config.memory_budget_mib = 64;
  try {
    analyze(config);
    FAIL() << "expected kTooLarge";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kTooLarge);
    EXPECT_EQ(std::string(error.what()), "n=2048, d=8 (softmax, f64) needs ~73 MiB, over the memory budget of 64 MiB: lower n");
  }
}

TEST(MemoryBudget, WithinBudgetRunsAndTheDefaultAllowsTheLargestN) {
  AnalysisConfig config = softmax_config(32, 4);
  config.memory_budget_mib = 2;
  EXPECT_EQ(analyze(config).n, 32);
  EXPECT_LT(estimate_analysis_bytes(softmax_config(4096, 1024, Precision::F32, true)),
            kDefaultMemoryBudgetMiB * kBytesPerMiB);
}

TEST(MemoryBudget, BudgetOutsideItsRangeIsAnInvalidArgument) {
  AnalysisConfig config = softmax_config(8, 4);
  config.memory_budget_mib = 0;
  try {
    analyze(config);
    FAIL() << "expected kInvalidArgument";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(std::string(error.what()), "memory_budget_mib=0 must be in [1, 1048576]");
  }
}

TEST(MemoryBudget, CollapseAndMixtureAreRefusedBeforeRunning) {
  CollapseConfig collapse;
  collapse.n = 2048;
  collapse.memory_budget_mib = 100;
  collapse.variant.has_mlp = true;
  try {
    run_collapse(collapse);
    FAIL() << "expected kTooLarge";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kTooLarge);
    EXPECT_NE(std::string(error.what()).find("collapse n=2048, d_model=8, d_ff=32 needs ~"), std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("over the memory budget of 100 MiB: lower n, d_model or d_ff"),
              std::string::npos)
        << error.what();
  }
  MixtureConfig mixture;
  mixture.n = 1024;
  mixture.want_matrices = true;
  mixture.memory_budget_mib = 64;
  try {
    run_mixture(mixture);
    FAIL() << "expected kTooLarge";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kTooLarge);
    EXPECT_NE(std::string(error.what()).find("lower n, or leave out the matrices"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace attnrank
