// Forward/backward head mixture (mixture.h, claims.md C10): each head triangular with a positive
// diagonal (structurally full rank), the two-layer product A_bwd A_fwd strictly positive, the split head
// dense and row-stochastic, and the validation messages (odd H names H).
#include <gtest/gtest.h>

#include <cmath>

#include "attnrank/base/errors.h"
#include "attnrank/experiments/mixture.h"
#include "test_support.h"

namespace attnrank {
namespace {

using test::expect_error;

MixtureConfig config_of(int n, int d_model, int heads, double scale = 1.0) {
  MixtureConfig c;
  c.n = n;
  c.d_model = d_model;
  c.heads = heads;
  c.scale = scale;
  c.seed = 3;
  c.want_matrices = true;
  return c;
}

TEST(Mixture, HeadsAreTriangularWithPositiveDiagonal) {
  const MixtureResult r = run_mixture(config_of(64, 64, 4));
  ASSERT_EQ(r.per_head.size(), 4u);
  ASSERT_EQ(r.head_matrices.size(), 4u);
  EXPECT_EQ(r.d_head, 16);
  for (const MixtureHead& h : r.per_head) {
    SCOPED_TRACE(h.head);
    EXPECT_EQ(h.is_forward, h.head < 2);
    EXPECT_TRUE(h.is_triangular);
    EXPECT_GT(h.min_diagonal, 0.0);
    EXPECT_TRUE(h.stats.structurally_full_rank);
    const MatrixXd& a = r.head_matrices[static_cast<std::size_t>(h.head)];
    test::expect_stochastic(a, test::mask_of(h.is_forward ? PatternKind::kForward : PatternKind::kBackward, 64),
                            1e-12);
    EXPECT_EQ(a.diagonal().minCoeff(), h.min_diagonal);
  }
}

TEST(Mixture, TwoLayerProductIsStrictlyPositive) {
  for (int n : {2, 17, 64}) {
    SCOPED_TRACE(n);
    const MixtureResult r = run_mixture(config_of(n, 8, 2));
    EXPECT_TRUE(r.product_is_strictly_positive);
    EXPECT_GT(r.product_min_entry, 0.0);
    EXPECT_EQ(r.product_matrix.minCoeff(), r.product_min_entry);
    // The product of the first backward head and the first forward head, in that order.
    const MatrixXd expected = r.head_matrices[1] * r.head_matrices[0];
    EXPECT_LT((r.product_matrix - expected).cwiseAbs().maxCoeff(), 1e-15);
    // Each factor alone has zeros (n > 1): the mixture, not a single head, connects every pair.
    if (n > 1) {
      EXPECT_EQ(r.head_matrices[0].minCoeff(), 0.0);
    }
  }
}

TEST(Mixture, SplitHeadIsDenseAndStochastic) {
  const MixtureResult r = run_mixture(config_of(32, 16, 2));
  EXPECT_GT(r.split_head_min_entry, 0.0);
  test::expect_stochastic(r.split_head_matrix, test::mask_of(PatternKind::kBidirectional, 32), 1e-12);
  EXPECT_FALSE(r.split_head.structurally_full_rank);  // dense: the essay's triangular argument does not apply
}

TEST(Mixture, OutputRankIsBoundedByItsShape) {
  const MixtureResult r = run_mixture(config_of(16, 64, 4));
  EXPECT_EQ(r.output.singular_values.size(), 16);
  EXPECT_LE(r.output.numerical_rank, 16);
  const MixtureResult wide = run_mixture(config_of(64, 8, 2));
  EXPECT_EQ(wide.output.singular_values.size(), 8);
  EXPECT_LE(wide.output.numerical_rank, 8);
  EXPECT_GT(wide.output.effective_rank, 1.0);
}

TEST(Mixture, BadInputNamesTheParameter) {
  expect_error([] { run_mixture(config_of(8, 12, 3)); }, ErrorCode::kInvalidArgument,
               "heads=3 must be even (the first H/2 heads are forward, the rest backward)");
  expect_error([] { run_mixture(config_of(8, 10, 4)); }, ErrorCode::kInvalidArgument,
               "d_model=10 must be a multiple of heads=4");
  expect_error([] { run_mixture(config_of(8, 4, 4)); }, ErrorCode::kInvalidArgument,
               "d_model / heads = 4 / 4 must be >= 2 (the split head halves its head dimension)");
  expect_error([] { run_mixture(config_of(8, 8, 0)); }, ErrorCode::kInvalidArgument, "heads=0 must be in [1, 4096]");
  expect_error([] { run_mixture(config_of(0, 8, 2)); }, ErrorCode::kInvalidArgument, "n=0 must be in [1, 4096]");
  expect_error([] { run_mixture(config_of(8, 8, 2, INFINITY)); }, ErrorCode::kInvalidArgument,
               "scale=inf must be finite");
}

// Claim C10's verdict runs the mixture without the heads' spectra: the structure and the product must be
// exactly those of the full run, and what was skipped keeps its defaults (no stale numbers).
TEST(Mixture, WithoutHeadStatisticsKeepsStructureAndProduct) {
  for (std::uint64_t seed : {0u, 3u, 11u}) {
    MixtureConfig config;
    config.n = 24;
    config.d_model = 16;
    config.heads = 4;
    config.seed = seed;
    const MixtureResult full = run_mixture(config);
    config.want_head_statistics = false;
    const MixtureResult lean = run_mixture(config);
    ASSERT_EQ(lean.per_head.size(), full.per_head.size()) << "seed " << seed;
    for (std::size_t h = 0; h < full.per_head.size(); ++h) {
      EXPECT_EQ(lean.per_head[h].is_triangular, full.per_head[h].is_triangular) << "seed " << seed << " head " << h;
      EXPECT_EQ(lean.per_head[h].min_diagonal, full.per_head[h].min_diagonal) << "seed " << seed << " head " << h;
      EXPECT_FALSE(lean.per_head[h].stats.numerical_rank_f64.has_value()) << "skipped, so left at its default";
    }
    EXPECT_EQ(lean.product_min_entry, full.product_min_entry) << "seed " << seed;
    EXPECT_EQ(lean.product_is_strictly_positive, full.product_is_strictly_positive) << "seed " << seed;
    EXPECT_EQ(lean.product.numerical_rank_f64, full.product.numerical_rank_f64) << "seed " << seed;
    EXPECT_EQ(lean.product.sigma_max, full.product.sigma_max) << "seed " << seed;
    EXPECT_FALSE(lean.split_head.numerical_rank_f64.has_value());
    EXPECT_EQ(lean.output.numerical_rank, 0);
  }
}

}  // namespace
}  // namespace attnrank
