// The lab's model and optimiser (src/core/include/attnrank/lab/model.h, optimizer.h): the parameter layout and names of
// design-lab.md section 7, the seeded init, the whole model's gradient against central finite differences
// in double on a tiny configuration with per-(layer, head) masks and softmax and linear heads (every
// parameter, then a directional derivative), float against double, permutation equivariance without
// positions, the schedule and one AdamW update written out by hand, the named errors, and a pinned hash
// of the float weights after a few training steps that the wasm run of this file must reproduce.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "attnrank/lab/model.h"
#include "attnrank/lab/optimizer.h"
#include "random/rng.h"
#include "test_support.h"

// Counts the test binary's heap allocations while g_is_counting is set (LabModel.StepAllocatesNothing).
// Global operator new replaced for the whole binary: it forwards to malloc and counts, nothing else.
// Not under AddressSanitizer, whose runtime replaces operator new itself (that test is skipped there).
#if defined(__SANITIZE_ADDRESS__)
#define ATTNRANK_TEST_HAS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ATTNRANK_TEST_HAS_ASAN 1
#endif
#endif
namespace {
// Used only without ASan (below); clang warns about them otherwise.
[[maybe_unused]] bool g_is_counting = false;
[[maybe_unused]] long g_allocations = 0;
}  // namespace
#ifndef ATTNRANK_TEST_HAS_ASAN
// gcc pairs the malloc below with the free in the deletes and, once they are inlined into new/delete
// expressions, warns that free is called on memory from operator new: that is this replacement's design.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t size) {
  if (g_is_counting) ++g_allocations;
  if (void* pointer = std::malloc(size > 0 ? size : 1)) return pointer;
  throw std::bad_alloc();
}
void operator delete(void* pointer) noexcept { std::free(pointer); }
void operator delete(void* pointer, std::size_t) noexcept { std::free(pointer); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#endif

namespace attnrank::lab {
namespace {

using test::expect_error;
using test::mask_spec;

// Smaller than test_lab_ops.cpp's 1e-5: E enters twice (input and tied output), and at h = 1e-5 the
// truncation error (~h^2 times the third derivative) of its entries reaches 1.9e-8 relative (measured:
// it scales as h^2, 1.9e-6 at h = 1e-4); at 1e-6 rounding dominates, ~1e-9.
constexpr double kFdStep = 1e-6;
constexpr double kFdTolerance = 1e-8;      // as in test_lab_ops.cpp
constexpr double kFloatAgreement = 1e-4;   // float model vs double model, relative to the largest entry
constexpr double kEquivariance = 1e-12;    // permuted keys change only the order of the softmax sums
constexpr double kPi = 3.14159265358979323846;

// Layer 0: softmax forward, linear backward; layer 1: softmax prefix 2, linear bidirectional.
ModelConfig tiny_config(Positions positions = Positions::kLearned) {
  ModelConfig config;
  config.vocab = 7;
  config.n = 6;
  config.width = 8;
  config.heads = 2;
  config.layers = 2;
  config.positions = positions;
  config.masks = {{mask_spec(PatternKind::kForward), mask_spec(PatternKind::kBackward)},
                  {mask_spec(PatternKind::kPrefix, 2), mask_spec(PatternKind::kBidirectional)}};
  config.kinds = {{HeadKind::kSoftmax, HeadKind::kLinear}, {HeadKind::kSoftmax, HeadKind::kLinear}};
  return config;
}

constexpr int kBatch = 2;
const std::vector<int> kTokens = {1, 4, 4, 0, 6, 2, 3, 5, 1, 1, 0, 2};
const std::vector<int> kTargets = {4, 4, -1, 6, 2, 3, -1, 1, 1, 0, 2, 5};

// Parameters of O(0.3) instead of the init's 0.02, so every path carries a visible gradient.
template <typename T>
void set_test_parameters(Model<T>& model) {
  test::Lcg lcg(77);
  for (const ParameterInfo& info : model.layout()) {
    const std::size_t count = static_cast<std::size_t>(info.rows) * info.cols;
    for (std::size_t i = 0; i < count; ++i)
      model.parameters()[info.offset + i] = static_cast<T>(info.init_constant + 0.3 * lcg.next());
  }
}

TEST(LabModel, LayoutHasTheDumpNamesAndShapes) {
  const ModelConfig config = uniform_model_config(11, 5, 8, 2, 2, mask_spec(PatternKind::kForward), HeadKind::kSoftmax);
  const std::vector<ParameterInfo> layout = parameter_layout(config);
  std::vector<std::string> names;
  for (const ParameterInfo& info : layout) names.push_back(info.name);
  const std::vector<std::string> expected = {
      "tok_emb", "pos_emb", "layers.0.ln1.g", "layers.0.ln1.b", "layers.0.attn.wq", "layers.0.attn.wk",
      "layers.0.attn.wv", "layers.0.attn.wo", "layers.0.ln2.g", "layers.0.ln2.b", "layers.0.mlp.w1",
      "layers.0.mlp.w2", "layers.1.ln1.g", "layers.1.ln1.b", "layers.1.attn.wq", "layers.1.attn.wk",
      "layers.1.attn.wv", "layers.1.attn.wo", "layers.1.ln2.g", "layers.1.ln2.b", "layers.1.mlp.w1",
      "layers.1.mlp.w2", "ln_f.g", "ln_f.b"};
  EXPECT_EQ(names, expected);
  EXPECT_EQ(layout[0].rows, 11);
  EXPECT_EQ(layout[10].rows, 8);
  EXPECT_EQ(layout[10].cols, 32);  // W1 is D x 4D
  // V D + n D + L (4 D^2 + 8 D^2 + 4 D) + 2 D
  EXPECT_EQ(parameter_count(config), std::size_t(11 * 8 + 5 * 8 + 2 * (12 * 64 + 4 * 8) + 2 * 8));
  for (const ParameterInfo& info : layout) {
    const bool is_matrix = info.name.find(".w") != std::string::npos;
    EXPECT_EQ(info.is_decayed, is_matrix) << info.name;
  }
  ModelConfig none = config;
  none.positions = Positions::kNone;
  EXPECT_EQ(parameter_layout(none)[1].name, "layers.0.ln1.g");
}

TEST(LabModel, InitFollowsTheSeedAndTheStds) {
  const ModelConfig config = uniform_model_config(50, 16, 32, 4, 3, mask_spec(PatternKind::kForward), HeadKind::kSoftmax);
  Model<double> model(config);
  model.init(123);
  Rng rng(123);
  EXPECT_EQ(model.parameters()[0], rng.next_normal() * 0.02);  // tok_emb[0, 0] is the first draw
  Model<double> again(config);
  again.init(123);
  EXPECT_EQ(model.parameters(), again.parameters());
  for (const ParameterInfo& info : model.layout()) {
    const std::size_t count = static_cast<std::size_t>(info.rows) * info.cols;
    double sum_squares = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const double value = model.parameters()[info.offset + i];
      if (info.init_std == 0) {
        ASSERT_EQ(value, info.init_constant) << info.name;
      }
      sum_squares += value * value;
    }
    if (info.init_std == 0) continue;
    const bool is_residual = info.name.find("wo") != std::string::npos || info.name.find("w2") != std::string::npos;
    EXPECT_EQ(info.init_std, is_residual ? 0.02 / std::sqrt(6.0) : 0.02) << info.name;
    EXPECT_NEAR(std::sqrt(sum_squares / count), info.init_std, 0.15 * info.init_std) << info.name;  // >= 800 draws
  }
}

double gradient_error(Model<double>& model, const std::vector<double>& analytic) {
  double worst = 0, scale = 0;
  std::vector<double>& theta = model.parameters();
  for (std::size_t i = 0; i < theta.size(); ++i) {
    const double saved = theta[i];
    theta[i] = saved + kFdStep;
    const double plus = model.forward(kTokens.data(), kTargets.data(), kBatch);
    theta[i] = saved - kFdStep;
    const double minus = model.forward(kTokens.data(), kTargets.data(), kBatch);
    theta[i] = saved;
    worst = std::max(worst, std::fabs((plus - minus) / (2 * kFdStep) - analytic[i]));
    scale = std::max(scale, std::fabs(analytic[i]));
  }
  return worst / scale;
}

void expect_model_gradient(Positions positions, const char* label) {
  Model<double> model(tiny_config(positions));
  set_test_parameters(model);
  model.forward(kTokens.data(), kTargets.data(), kBatch);
  model.backward();
  const std::vector<double> analytic = model.gradients();
  const double error = gradient_error(model, analytic);
  std::printf("[ lab fd   ] %-40s relative error %.2e (tolerance %.0e)\n", label, error, kFdTolerance);
  EXPECT_LE(error, kFdTolerance);
  // Directional derivative along a random direction (the whole-model check of section 5).
  test::Lcg lcg(91);
  std::vector<double> direction(analytic.size());
  for (double& value : direction) value = lcg.next();
  const std::vector<double> theta = model.parameters();
  double slope = 0;
  for (std::size_t i = 0; i < theta.size(); ++i) slope += analytic[i] * direction[i];
  for (std::size_t i = 0; i < theta.size(); ++i) model.parameters()[i] = theta[i] + kFdStep * direction[i];
  const double plus = model.forward(kTokens.data(), kTargets.data(), kBatch);
  for (std::size_t i = 0; i < theta.size(); ++i) model.parameters()[i] = theta[i] - kFdStep * direction[i];
  const double minus = model.forward(kTokens.data(), kTargets.data(), kBatch);
  EXPECT_LE(std::fabs((plus - minus) / (2 * kFdStep) - slope), kFdTolerance * std::fabs(slope));
}

TEST(LabModel, WholeModelGradientByFiniteDifferences) {
  expect_model_gradient(Positions::kLearned, "model, every parameter");
  expect_model_gradient(Positions::kNone, "model (positions none), every parameter");
}

TEST(LabModel, FloatModelAgreesWithDouble) {
  Model<double> reference(tiny_config());
  Model<float> single(tiny_config());
  set_test_parameters(reference);
  set_test_parameters(single);
  const double loss = reference.forward(kTokens.data(), kTargets.data(), kBatch);
  EXPECT_NEAR(single.forward(kTokens.data(), kTargets.data(), kBatch), loss, kFloatAgreement * loss);
  reference.backward();
  single.backward();
  double scale = 0, worst = 0;
  for (std::size_t i = 0; i < reference.gradients().size(); ++i) {
    scale = std::max(scale, std::fabs(reference.gradients()[i]));
    worst = std::max(worst, std::fabs(single.gradients()[i] - reference.gradients()[i]));
  }
  EXPECT_LE(worst, kFloatAgreement * scale);
}

// A training step's forward and backward take every scratch buffer from the model (activations, gradient
// buffers, the attention workspace), so once sized for a batch they allocate nothing: before the workspace
// each softmax head's backward allocated its (n, n) dA and each linear head's forward and backward their
// features (seen: 24 allocations per forward + backward of tiny_config).
TEST(LabModel, StepAllocatesNothingOnceSized) {
#ifdef ATTNRANK_TEST_HAS_ASAN
  GTEST_SKIP() << "counts allocations through a replaced operator new, which AddressSanitizer owns";
#else
  for (const ModelConfig& config : {tiny_config(), tiny_config(Positions::kNone)}) {
    Model<float> model(config);
    set_test_parameters(model);
    model.forward(kTokens.data(), kTargets.data(), kBatch);  // sizes everything
    model.backward();
    g_allocations = 0;
    g_is_counting = true;
    for (int step = 0; step < 3; ++step) {
      model.forward(kTokens.data(), kTargets.data(), kBatch);
      model.backward();
    }
    g_is_counting = false;
    EXPECT_EQ(g_allocations, 0);
  }
#endif
}

// Without positions and with bidirectional heads the model is permutation-equivariant: permuting the
// tokens permutes the logits' rows (design-lab.md section 5's invariant, C16's premise).
TEST(LabModel, NoPositionsBidirectionalIsPermutationEquivariant) {
  for (HeadKind kind : {HeadKind::kSoftmax, HeadKind::kLinear}) {
    const ModelConfig config =
        uniform_model_config(7, 6, 8, 2, 2, mask_spec(PatternKind::kBidirectional), kind, Positions::kNone);
    Model<double> model(config);
    set_test_parameters(model);
    const std::vector<int> tokens = {1, 4, 3, 0, 6, 2}, targets = {0, 1, 2, 3, 4, 5};
    const std::vector<int> permutation = {3, 0, 5, 1, 2, 4};
    std::vector<int> permuted(6);
    for (int i = 0; i < 6; ++i) permuted[i] = tokens[permutation[i]];
    model.forward(tokens.data(), targets.data(), 1);
    const std::vector<double> logits = model.logits();
    model.forward(permuted.data(), targets.data(), 1);
    for (int i = 0; i < 6; ++i)
      for (int c = 0; c < 7; ++c)
        EXPECT_NEAR(model.logits()[i * 7 + c], logits[permutation[i] * 7 + c], kEquivariance);
  }
}

TEST(LabModel, AttentionMapsKeepTheirMasks) {
  Model<float> model(tiny_config());
  model.init(5);
  model.forward(kTokens.data(), kTargets.data(), kBatch);
  const ModelConfig& config = model.config();
  for (int l = 0; l < config.layers; ++l)
    for (int b = 0; b < kBatch; ++b)
      for (int head = 0; head < config.heads; ++head) {
        const Mask mask = build_mask(config.masks[l][head], config.n);
        const Eigen::Map<const MatrixXf> a(model.attention(l, b, head), config.n, config.n);
        test::expect_stochastic(a, mask, 1e-6);
      }
  expect_error([&] { model.attention(2, 0, 0); }, ErrorCode::kInvalidArgument,
               "attention(layer=2, sequence=0, head=0) is outside the last forward (layers=2, batch=2, heads=2)");
}

TEST(LabModel, ConfigErrors) {
  ModelConfig config = tiny_config();
  config.heads = 3;
  expect_error([&] { Model<float> model(config); }, ErrorCode::kInvalidArgument,
               "width=8 is not divisible by heads=3");
  config = tiny_config();
  config.masks.pop_back();
  expect_error([&] { Model<float> model(config); }, ErrorCode::kInvalidArgument,
               "masks has 1 layers, expected layers=2");
  config = tiny_config();
  config.kinds[1].push_back(HeadKind::kLinear);
  expect_error([&] { Model<float> model(config); }, ErrorCode::kInvalidArgument,
               "kinds[1] has 3 heads, expected heads=2");
  config = tiny_config();
  config.masks[0][1] = mask_spec(PatternKind::kPrefix, 9);
  expect_error([&] { Model<float> model(config); }, ErrorCode::kInvalidArgument, "prefix=9 exceeds n=6");
  config = tiny_config();
  config.vocab = 0;
  expect_error([&] { Model<float> model(config); }, ErrorCode::kInvalidArgument, "vocab=0 must be >= 1");
}

// A forward that throws (a token outside the vocabulary) leaves no half-made activations to backward.
TEST(LabModel, BackwardNeedsACompletedForward) {
  Model<float> model(tiny_config());
  model.init(1);
  expect_error([&] { model.backward(); }, ErrorCode::kInvalidArgument,
               "backward() needs a completed forward() first");
  model.forward(kTokens.data(), kTargets.data(), kBatch);
  std::vector<int> bad = kTokens;
  bad[3] = 7;
  expect_error([&] { model.forward(bad.data(), kTargets.data(), kBatch); }, ErrorCode::kInvalidArgument,
               "token=7 at position 3 is outside [0, V) (V=7)");
  expect_error([&] { model.backward(); }, ErrorCode::kInvalidArgument,
               "backward() needs a completed forward() first");
}

// ------------------------------------------------------------------ optimiser
TEST(LabOptimizer, ScheduleWarmsUpThenDecaysByCosine) {
  AdamWConfig config;
  config.learning_rate = 1e-3;
  config.total_steps = 100;  // W = 5
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(config, 0), 1e-3 / 5);
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(config, 4), 1e-3);
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(config, 5), 1e-3);  // r = 0: the peak
  const double r = 50.0 / 95.0;
  EXPECT_NEAR(scheduled_learning_rate(config, 55), 1e-4 + 0.5 * (1 + std::cos(kPi * r)) * 9e-4, 1e-18);
  EXPECT_NEAR(scheduled_learning_rate(config, 99), 1e-4, 1e-6);  // approaches 10% of the peak
  config.total_steps = 10;  // W = 0: no warm-up
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(config, 0), 1e-3);
  expect_error([&] { scheduled_learning_rate(config, 10); }, ErrorCode::kInvalidArgument,
               "step=10 is outside [0, total_steps) (total_steps=10)");
  config.beta2 = 1.0;
  expect_error([&] { validate_adamw_config(config); }, ErrorCode::kInvalidArgument, "beta2=1 must be in [0, 1)");
}

// Two parameters (one decayed, one not), two steps, the second clipped: PyTorch's AdamW written out.
TEST(LabOptimizer, AdamWStepMatchesTheFormulaWrittenOut) {
  const std::vector<ParameterInfo> layout = {{"w", 0, 1, 1, true, 0.02, 0}, {"g", 1, 1, 1, false, 0, 1}};
  AdamWConfig config;
  config.learning_rate = 0.01;
  config.total_steps = 2;  // W = 0
  std::vector<double> params = {0.5, -1.5};
  AdamWState<double> state;
  double m[2] = {0, 0}, v[2] = {0, 0}, p[2] = {0.5, -1.5};
  const std::vector<std::vector<double>> grads = {{0.3, -0.4}, {3.0, 4.0}};  // norms 0.5, then 5 (clipped)
  for (int step = 0; step < 2; ++step) {
    const StepReport report = adamw_step(config, layout, params, grads[step], state);
    const double lr = scheduled_learning_rate(config, step);
    const double norm = std::hypot(grads[step][0], grads[step][1]);
    const double clip = std::min(1.0, 1.0 / (norm + 1e-6));
    EXPECT_DOUBLE_EQ(report.gradient_norm, norm);
    EXPECT_DOUBLE_EQ(report.clip_scale, clip);
    const int t = step + 1;
    for (int i = 0; i < 2; ++i) {
      const double g = grads[step][i] * clip;
      if (i == 0) p[i] *= 1 - lr * 0.1;
      m[i] = 0.9 * m[i] + 0.1 * g;
      v[i] = 0.95 * v[i] + 0.05 * g * g;
      p[i] -= lr / (1 - std::pow(0.9, t)) * m[i] / (std::sqrt(v[i]) / std::sqrt(1 - std::pow(0.95, t)) + 1e-8);
      EXPECT_NEAR(params[i], p[i], 1e-15) << "step " << step << " entry " << i;
    }
  }
  EXPECT_EQ(state.steps, 2);
}

// A few steps of training on one fixed batch: the loss falls, and the float weights hash to a pinned
// constant (the "weights after N steps" of section 5, natively and in wasm).
constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;
constexpr std::uint64_t kTrainedWeightsHashF32 = 15238339372411292184ULL;
constexpr int kTrainSteps = 12;

TEST(LabModel, TrainingStepsLowerTheLossAndPinTheWeights) {
  Model<float> model(tiny_config());
  model.init(2024);
  AdamWConfig config;
  config.learning_rate = 1e-2;
  config.total_steps = kTrainSteps;
  AdamWState<float> state;
  const float first = model.forward(kTokens.data(), kTargets.data(), kBatch);
  for (int step = 0; step < kTrainSteps; ++step) {
    if (step > 0) model.forward(kTokens.data(), kTargets.data(), kBatch);
    model.backward();
    adamw_step(config, model.layout(), model.parameters(), model.gradients(), state);
  }
  const float last = model.forward(kTokens.data(), kTargets.data(), kBatch);
  EXPECT_LT(last, 0.8f * first) << first << " -> " << last;
  std::uint64_t hash = kFnvOffset;
  const auto* bytes = reinterpret_cast<const unsigned char*>(model.parameters().data());
  for (std::size_t i = 0; i < model.parameters().size() * sizeof(float); ++i) hash = (hash ^ bytes[i]) * kFnvPrime;
  EXPECT_EQ(hash, kTrainedWeightsHashF32);
}

}  // namespace
}  // namespace attnrank::lab
