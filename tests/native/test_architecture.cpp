// GPT / UniLM / T5 counts (architecture.h) against hand-computed values for d_model = 4, L = 2, H = 2,
// d_ff = 8, V = 10, n_in = 3, n_out = 2; the block masks; validation messages.
#include <gtest/gtest.h>

#include "attnrank/base/errors.h"
#include "attnrank/experiments/architecture.h"
#include "test_support.h"

namespace attnrank {
namespace {

using test::expect_error;

ArchitectureConfig small() {
  ArchitectureConfig c;
  c.d_model = 4;
  c.layers = 2;
  c.heads = 2;
  c.d_ff = 8;
  c.vocab = 10;
  c.n_in = 3;
  c.n_out = 2;
  return c;
}

TEST(Architecture, CountsMatchHandComputedValues) {
  const std::vector<ArchitectureCost> costs = architecture_costs(small());
  ASSERT_EQ(costs.size(), 3u);
  const ArchitectureCost& gpt = costs[0];
  const ArchitectureCost& unilm = costs[1];
  const ArchitectureCost& t5 = costs[2];
  EXPECT_STREQ(architecture_name(gpt.kind), "gpt");
  EXPECT_STREQ(architecture_name(unilm.kind), "unilm");
  EXPECT_STREQ(architecture_name(t5.kind), "t5");
  // Embedding V d = 40. Layer: 4 d^2 + 2 d d_ff + 2 d = 64 + 64 + 8 = 136; 2 layers + final norm 4 = 276.
  EXPECT_EQ(gpt.embedding_parameters, 40);
  EXPECT_EQ(gpt.parameters, 316);
  EXPECT_EQ(unilm.parameters, 316);
  // T5 decoder layer: 8 d^2 + 2 d d_ff + 3 d = 128 + 64 + 12 = 204; 2 of them + final norm: 412 more.
  EXPECT_EQ(t5.parameters, 728);
  EXPECT_EQ(t5.layer_parameters, 688);
  // FLOPs. Weights: 2 (4 d^2 + 2 d d_ff) = 256 per token per layer; attention 4 d = 16 per key per layer;
  // logits 2 V d n_out = 160.
  // GPT: positions 0..3, keys 1+2+3+4 = 10: 2*4*256 + 2*16*10 + 160 = 2048 + 320 + 160.
  EXPECT_EQ(gpt.flops, 2528.0);
  EXPECT_EQ(gpt.attention_flops, 320.0);
  EXPECT_EQ(gpt.flops_per_token, 2528.0 / 5);
  // UniLM: inputs see 3 keys each (9), position 3 sees 4: 13 keys: 2048 + 416 + 160.
  EXPECT_EQ(unilm.flops, 2624.0);
  // T5: encoder 3 tokens * 2 layers * (256 + 16*3) = 1824; decoder u = 0, 1: per layer
  // 256 + 64 (cross Q, O) + 16 (u + 1) + 16*3 (cross keys) = 384, 400 -> 2 * 784 = 1568;
  // cross K, V: 2 layers * 3 tokens * 64 = 384; logits 160.
  EXPECT_EQ(t5.flops, 1824.0 + 1568.0 + 384.0 + 160.0);
  EXPECT_EQ(t5.attention_flops, 2 * 16 * (9 + 3 + 6.0));
}

TEST(Architecture, T5HasAboutTwiceTheLayerParametersAtComparableCostPerToken) {
  const std::vector<ArchitectureCost> costs = architecture_costs(ArchitectureConfig{});
  const double ratio = static_cast<double>(costs[2].layer_parameters) / static_cast<double>(costs[0].layer_parameters);
  EXPECT_GT(ratio, 2.0);
  EXPECT_LT(ratio, 2.5);
  const double cost_ratio = costs[2].flops_per_token / costs[0].flops_per_token;
  EXPECT_GT(cost_ratio, 0.8);
  EXPECT_LT(cost_ratio, 1.5);
}

TEST(Architecture, BlockMasks) {
  const ArchitectureMasks m = architecture_masks(small());
  EXPECT_EQ(m.decoder_only, test::mask_of(PatternKind::kForward, 5));
  EXPECT_EQ(m.prefix_lm, test::mask_of(PatternKind::kPrefix, 5, 3));
  EXPECT_EQ(m.encoder_self, Mask::Ones(3, 3));
  EXPECT_EQ(m.decoder_self, test::mask_of(PatternKind::kForward, 2));
  EXPECT_EQ(m.cross, Mask::Ones(2, 3));
  // UniLM row 1 (an input token) sees input 2; GPT's does not.
  EXPECT_EQ(m.prefix_lm(1, 2), 1);
  EXPECT_EQ(m.decoder_only(1, 2), 0);
}

TEST(Architecture, BadInputNamesTheParameter) {
  ArchitectureConfig c = small();
  c.heads = 3;
  expect_error([&] { architecture_costs(c); }, ErrorCode::kInvalidArgument, "d_model=4 must be a multiple of heads=3");
  c = small();
  c.vocab = 0;
  expect_error([&] { architecture_costs(c); }, ErrorCode::kInvalidArgument, "vocab=0 must be in [1, 16777216]");
  c = small();
  c.n_in = 4000;
  c.n_out = 200;
  EXPECT_NO_THROW(architecture_costs(c));
  expect_error([&] { architecture_masks(c); }, ErrorCode::kInvalidArgument,
               "n_in + n_out = 4200 must be <= 4096 to draw the masks (n range)");
}

}  // namespace
}  // namespace attnrank
