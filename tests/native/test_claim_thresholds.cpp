// Pinned thresholds of the claims' verdicts (issue 14, item 7), suite ClaimThresholds: each constant a
// verdict depends on, by value and by a case on each side of it, so changing the constant (or the
// comparison that uses it) fails a test.
#include <gtest/gtest.h>

#include <Eigen/LU>
#include <cmath>
#include <set>
#include <string>

#include "attention/attention.h"
#include "attnrank/attention/linear_attention.h"
#include "attnrank/claims/claims.h"
#include "attnrank/experiments/analysis.h"
#include "attnrank/experiments/mixture.h"
#include "attnrank/experiments/permutation.h"
#include "attnrank/stats/rank_stats.h"
#include "claims_test_support.h"
#include "test_support.h"

namespace attnrank {
namespace {

using test::claims_config;
using test::find_claim;
using test::find_fact;
using test::part_holds;

TEST(ClaimThresholds, NamedConstantsKeepTheirValues) {
  EXPECT_EQ(kMuchLargerRatio, 4);                   // C2: n >> d read as n >= 4 d
  EXPECT_EQ(kLowEffectiveRankFraction, 0.5);        // C3: effective rank < n / 2
  EXPECT_EQ(kComparableCostRatio, 1.25);            // C14: within 25%
  EXPECT_EQ(kClaimsMixtureHeads, kMixtureHeads);    // C10: the heads view's default mixture
}

// C2: n = 4 d is "n >> d", n = 4 d - 1 is not (a ratio of 5 or 3 fails one side).
TEST(ClaimThresholds, C2HoldsFromNEqualsFourD) {
  const std::vector<ClaimResult> at_results = evaluate_claims(claims_config(8, 2, 0, 1.0));
  const ClaimVerdict& at = find_claim(at_results, "C2").verdict;
  EXPECT_TRUE(part_holds(at, "n_much_larger_than_d_here"));
  EXPECT_EQ(find_fact(at, "ratio_threshold").number, 4);
  const std::vector<ClaimResult> below_results = evaluate_claims(claims_config(7, 2, 0, 1.0));
  const ClaimVerdict& below = find_claim(below_results, "C2").verdict;
  EXPECT_FALSE(part_holds(below, "n_much_larger_than_d_here"));
}

// C3: effective rank / n measured on each side of 1/2 (n = 16, d = 4, seed 0): s = 16 gives 0.484 (below
// half: holds), s = 1 gives 0.502 and s = 8 0.522 (fail). A threshold of 0.48 or 0.51 fails one of them.
TEST(ClaimThresholds, C3EffectiveRankBelowHalfOfN) {
  const struct {
    double scale;
    double ratio;
    bool holds;
  } cases[] = {{16.0, 0.484, true}, {1.0, 0.5023, false}, {8.0, 0.522, false}};
  for (const auto& c : cases) {
    SCOPED_TRACE(::testing::Message() << "s=" << c.scale);
    const std::vector<ClaimResult> results = evaluate_claims(claims_config(16, 4, 0, c.scale));
    const ClaimVerdict& v = find_claim(results, "C3").verdict;
    EXPECT_NEAR(find_fact(v, "effective_rank").number / 16.0, c.ratio, 5e-4);
    EXPECT_EQ(part_holds(v, "effective_rank_below_half_n"), c.holds);
  }
}

// C4's precision rule: r_p counts singular values above s_1 n eps_p in the request's own precision. At
// n = 64, d = 8, seed 7, s = 0.5 the causal matrix has 64 values above the f64 tolerance but only 63 above
// the f32 one: the f64 request holds, the f32 request is only partly (algebra yes, numerics no).
TEST(ClaimThresholds, C4CountsTheRankInTheRequestsPrecision) {
  AnalysisConfig config = claims_config(64, 8, 7, 0.5);
  const std::vector<ClaimResult> f64_results = evaluate_claims(config);
  const ClaimVerdict& f64 = find_claim(f64_results, "C4").verdict;
  EXPECT_EQ(f64.status, VerdictStatus::kHolds);
  EXPECT_EQ(find_fact(f64, "numerical_rank_f64").number, 64);
  EXPECT_EQ(find_fact(f64, "numerical_rank_f32").number, 63);
  config.precision = Precision::F32;
  const std::vector<ClaimResult> f32_results = evaluate_claims(config);
  const ClaimVerdict& f32 = find_claim(f32_results, "C4").verdict;
  EXPECT_EQ(f32.status, VerdictStatus::kPartly);
  EXPECT_EQ(find_fact(f32, "numerical_rank_f32").number, 63);
}

// C14: with the arch reference's other sizes, the most / least FLOPs per token crosses 1.25 between
// n_in = 1058 (1.24990) and 1059 (1.25001), so the threshold is pinned to about 1e-4.
TEST(ClaimThresholds, C14CostRatioCrossesAtOnePointTwoFive) {
  const ClaimVerdict below = claim_c14_verdict(claim_c14_architecture(1058));
  EXPECT_TRUE(part_holds(below, "flops_per_token_within_25_percent"));
  EXPECT_NEAR(find_fact(below, "max_over_min_flops_per_token").number, 1.24990, 1e-5);
  const ClaimVerdict above = claim_c14_verdict(claim_c14_architecture(1059));
  EXPECT_FALSE(part_holds(above, "flops_per_token_within_25_percent"));
  EXPECT_NEAR(find_fact(above, "max_over_min_flops_per_token").number, 1.25001, 1e-5);
}

// C10: "a positive diagonal" and "every entry of A_bwd A_fwd > 0" are strict. At s = -1e300 every softmax
// row is one-hot (the rest underflows to exactly 0), so some diagonal and product entries are exactly 0:
// both parts fail (">= 0" would hold them); at s = 1 both hold. Two heads of dimension max(d, 2).
TEST(ClaimThresholds, C10NeedsStrictlyPositiveEntries) {
  const std::vector<ClaimResult> hard = evaluate_claims(claims_config(8, 1, 3, -1e300));
  const ClaimVerdict& zeros = find_claim(hard, "C10").verdict;
  EXPECT_EQ(find_fact(zeros, "product_min_entry").number, 0.0);
  EXPECT_FALSE(part_holds(zeros, "product_strictly_positive"));
  EXPECT_EQ(find_fact(zeros, "min_head_diagonal").number, 0.0);
  EXPECT_FALSE(part_holds(zeros, "heads_triangular_positive_diagonal"));
  EXPECT_EQ(find_fact(zeros, "heads").number, kClaimsMixtureHeads);
  EXPECT_EQ(find_fact(zeros, "d_head").number, 2);
  const std::vector<ClaimResult> soft = evaluate_claims(claims_config(8, 1, 3, 1.0));
  const ClaimVerdict& positive = find_claim(soft, "C10").verdict;
  EXPECT_TRUE(part_holds(positive, "product_strictly_positive"));
  EXPECT_TRUE(part_holds(positive, "heads_triangular_positive_diagonal"));
}

// C17: "the double product of A_ii does not underflow" means != 0. At s = 0 the causal matrix is uniform
// (A_ii = 1/(i+1)), so the running product is about 1/n!: ~1.4e-307 at n = 170 (holds; a threshold such as
// > 1e-300 would fail it), exactly 0 at n = 180 (fails). In float the product is 0 from n = 39 (design.md).
TEST(ClaimThresholds, C17NaiveDeterminantFailsOnlyAtZero) {
  const std::vector<ClaimResult> small_results = evaluate_claims(claims_config(170, 2, 0, 0.0));
  const ClaimVerdict& small = find_claim(small_results, "C17").verdict;
  double product = 1.0;
  for (int i = 1; i <= 170; ++i) product *= 1.0 / i;
  EXPECT_DOUBLE_EQ(find_fact(small, "naive_det_f64").number, product);
  EXPECT_LT(product, 1e-306);
  EXPECT_TRUE(part_holds(small, "naive_det_representable"));
  const std::vector<ClaimResult> large_results = evaluate_claims(claims_config(180, 2, 0, 0.0));
  const ClaimVerdict& large = find_claim(large_results, "C17").verdict;
  EXPECT_EQ(find_fact(large, "naive_det_f64").number, 0.0);
  EXPECT_FALSE(part_holds(large, "naive_det_representable"));
  EXPECT_EQ(find_fact(large, "naive_det_f32").number, 0.0);
}

}  // namespace
}  // namespace attnrank
