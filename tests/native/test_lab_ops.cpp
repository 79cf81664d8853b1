// The lab's layers but attention (src/core/include/attnrank/lab/ops.h; the heads are test_lab_ops_attention.cpp's): every
// backward against central finite differences in double (each input of each op, the loss a fixed random
// projection of the output), the named errors; then a small composed pipeline (embedding, LayerNorm, Q/K/V,
// a softmax and a linear head, output projection, GELU, tied logits, cross-entropy) checked entry by
// entry in double, float against double, and its float outputs hashed to a constant pinned natively that
// the wasm run of this file must reproduce.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "attention/attention.h"
#include "attnrank/attention/linear_attention.h"
#include "attnrank/lab/ops.h"
#include "lab_test_gradients.h"
#include "test_support.h"

namespace attnrank::lab {
namespace {

using test::Vec;
using test::expect_error;
using test::expect_gradient;
using test::kFdTolerance;
using test::random_vector;
using test::dot;
using test::kFdStep;
using test::mask_of;

// Float pipeline against the same pipeline in double: relative to the largest entry.
constexpr double kFloatAgreement = 2e-5;
constexpr double kPi = 3.14159265358979323846;

// ------------------------------------------------------------------ embedding and tied logits
TEST(LabOps, EmbeddingGradients) {
  const int batch = 2, n = 3, vocab = 5, width = 4, rows = batch * n;
  const std::vector<int> tokens = {0, 3, 3, 1, 4, 0};  // repeats: rows accumulate into one E row
  Vec e = random_vector(vocab * width, 1), p = random_vector(n * width, 2);
  const Vec w = random_vector(rows * width, 3);
  Vec x(rows * width);
  const auto loss = [&](bool with_positions) {
    embedding_forward(x.data(), tokens.data(), e.data(), with_positions ? p.data() : nullptr, batch, n, vocab, width);
    return dot(w, x);
  };
  for (bool with_positions : {true, false}) {
    Vec de(e.size(), 0.0), dp(p.size(), 0.0);
    embedding_backward(de.data(), with_positions ? dp.data() : nullptr, w.data(), tokens.data(), batch, n, width);
    const std::string suffix = with_positions ? "" : " (positions none)";
    expect_gradient("embedding dE" + suffix, e, de, [&] { return loss(with_positions); });
    if (with_positions) expect_gradient("embedding dP", p, dp, [&] { return loss(true); });
  }
  // positions = none: rows are exactly E's rows.
  loss(false);
  for (int j = 0; j < width; ++j) EXPECT_EQ(x[static_cast<std::size_t>(1) * width + j], e[3 * width + j]);
}

TEST(LabOps, TiedLogitsGradients) {
  const int rows = 4, vocab = 5, width = 3;
  Vec y = random_vector(rows * width, 4), e = random_vector(vocab * width, 5);
  const Vec w = random_vector(rows * vocab, 6);
  Vec logits(rows * vocab);
  const auto loss = [&] {
    tied_logits_forward(logits.data(), y.data(), e.data(), rows, vocab, width);
    return dot(w, logits);
  };
  Vec dy(y.size(), 0.0), de(e.size(), 0.0);
  tied_logits_backward(dy.data(), de.data(), w.data(), y.data(), e.data(), rows, vocab, width);
  expect_gradient("tied logits dY", y, dy, loss);
  expect_gradient("tied logits dE", e, de, loss);
}

TEST(LabOps, EmbeddingErrors) {
  const std::vector<int> tokens = {0, 5};
  Vec e(5 * 2), x(2 * 2);
  expect_error([&] { embedding_forward<double>(x.data(), tokens.data(), e.data(), nullptr, 1, 2, 5, 2); },
               ErrorCode::kInvalidArgument, "token=5 at position 1 is outside [0, V) (V=5)");
}

// ------------------------------------------------------------------ LayerNorm, linear, GELU
TEST(LabOps, LayerNormGradients) {
  const int rows = 3, width = 5;
  Vec x = random_vector(rows * width, 7, 2.0), g = random_vector(width, 8), b = random_vector(width, 9);
  for (double& value : g) value += 1.0;
  for (int j = 0; j < width; ++j) x[j] += 10.0;  // a row with a large mean
  const Vec w = random_vector(rows * width, 10);
  Vec out(x.size()), mean(rows), rstd(rows);
  const auto loss = [&] {
    layernorm_forward(out.data(), mean.data(), rstd.data(), x.data(), g.data(), b.data(), rows, width);
    return dot(w, out);
  };
  loss();
  Vec dx(x.size(), 0.0), dg(g.size(), 0.0), db(b.size(), 0.0);
  layernorm_backward(dx.data(), dg.data(), db.data(), w.data(), x.data(), mean.data(), rstd.data(), g.data(), rows,
                     width);
  expect_gradient("layernorm dX", x, dx, loss);
  expect_gradient("layernorm dg", g, dg, loss);
  expect_gradient("layernorm db", b, db, loss);
  // Biased variance, eps 1e-5: each normalised row has mean 0 and mean square var / (var + eps).
  loss();
  for (int r = 0; r < rows; ++r) {
    double mean_sq = 0, var = 0;
    for (int j = 0; j < width; ++j) var += (x[r * width + j] - mean[r]) * (x[r * width + j] - mean[r]) / width;
    for (int j = 0; j < width; ++j) {
      const double xhat = (out[r * width + j] - b[j]) / g[j];
      mean_sq += xhat * xhat / width;
    }
    EXPECT_NEAR(mean_sq, var / (var + kLayerNormEps), 1e-12);
  }
}

TEST(LabOps, LinearGradients) {
  const int rows = 3, in = 4, out = 5;
  Vec x = random_vector(rows * in, 11), weights = random_vector(in * out, 12);
  const Vec w = random_vector(rows * out, 13);
  Vec y(rows * out);
  const auto loss = [&] {
    linear_forward(y.data(), x.data(), weights.data(), rows, in, out);
    return dot(w, y);
  };
  Vec dx(x.size(), 0.0), dweights(weights.size(), 0.0);
  linear_backward(dx.data(), dweights.data(), w.data(), x.data(), weights.data(), rows, in, out);
  expect_gradient("linear dX", x, dx, loss);
  expect_gradient("linear dW", weights, dweights, loss);
}

TEST(LabOps, GeluGradientsAndValues) {
  const int count = 41;
  Vec x(count);
  for (int i = 0; i < count; ++i) x[i] = -5.0 + 10.0 * i / (count - 1) + 0.013;
  const Vec w = random_vector(count, 14);
  Vec y(count);
  const auto loss = [&] {
    gelu_forward(y.data(), x.data(), count);
    return dot(w, y);
  };
  Vec dx(count, 0.0);
  gelu_backward(dx.data(), w.data(), x.data(), count);
  expect_gradient("gelu dX", x, dx, loss);
  loss();
  for (int i = 0; i < count; ++i) {
    const double v = x[i];
    EXPECT_NEAR(y[i], 0.5 * v * (1 + std::tanh(std::sqrt(2 / kPi) * (v + 0.044715 * v * v * v))), 1e-15) << v;
  }
}

// The slope the forward saves is the backward's own expression: y and dx identical bit for bit to
// gelu_forward and gelu_backward, in float and double, across chunk boundaries, with slope written over x.
template <typename T>
void expect_gelu_with_slope_is_bit_identical() {
  const int count = 1031;  // four chunks of 256 and a partial one; not a multiple of 4
  std::vector<T> x(count), dy(count);
  for (int i = 0; i < count; ++i) {
    x[i] = static_cast<T>(-9.0 + 18.0 * i / (count - 1));
    dy[i] = static_cast<T>(0.37 - 0.001 * i);
  }
  x[5] = T(0);
  x[6] = -T(0);
  x[7] = static_cast<T>(1e-30);
  x[8] = static_cast<T>(40);
  std::vector<T> y_old(count), dx_old(count, T(0.5)), y_new(count), slope(count), dx_new(count, T(0.5));
  gelu_forward(y_old.data(), x.data(), count);
  gelu_backward(dx_old.data(), dy.data(), x.data(), count);
  gelu_forward_with_slope(y_new.data(), slope.data(), x.data(), count);
  gelu_backward_from_slope(dx_new.data(), dy.data(), slope.data(), count);
  EXPECT_EQ(std::memcmp(y_old.data(), y_new.data(), count * sizeof(T)), 0);
  EXPECT_EQ(std::memcmp(dx_old.data(), dx_new.data(), count * sizeof(T)), 0);
  std::vector<T> aliased = x, y_aliased(count);
  gelu_forward_with_slope(y_aliased.data(), aliased.data(), aliased.data(), count);
  EXPECT_EQ(std::memcmp(y_old.data(), y_aliased.data(), count * sizeof(T)), 0);
  EXPECT_EQ(std::memcmp(slope.data(), aliased.data(), count * sizeof(T)), 0);
}

TEST(LabOps, GeluWithSlopeIsGeluAndItsBackwardBitForBit) {
  expect_gelu_with_slope_is_bit_identical<float>();
  expect_gelu_with_slope_is_bit_identical<double>();
}

// ------------------------------------------------------------------ cross-entropy
TEST(LabOps, CrossEntropyGradientsIgnoringPositions) {
  const int rows = 6, vocab = 7;
  const std::vector<int> targets = {2, kNoTarget, 0, 6, kNoTarget, 3};
  Vec logits = random_vector(rows * vocab, 31, 3.0);
  Vec probs(logits.size());
  const auto loss = [&] { return cross_entropy_forward(probs.data(), logits.data(), targets.data(), rows, vocab); };
  const double value = loss();
  Vec dlogits(logits.size(), 0.0);
  cross_entropy_backward(dlogits.data(), probs.data(), targets.data(), rows, vocab);
  expect_gradient("cross-entropy dlogits", logits, dlogits, loss);
  // The mean over the 4 targeted rows of -log softmax, written out; ignored rows get no gradient.
  double expected = 0;
  for (int r = 0; r < rows; ++r) {
    if (targets[r] == kNoTarget) {
      for (int j = 0; j < vocab; ++j) EXPECT_EQ(dlogits[r * vocab + j], 0.0);
      continue;
    }
    double sum = 0;
    for (int j = 0; j < vocab; ++j) sum += std::exp(logits[r * vocab + j]);
    expected += (std::log(sum) - logits[r * vocab + targets[r]]) / 4;
  }
  EXPECT_NEAR(value, expected, 1e-14);
}

TEST(LabOps, CrossEntropyErrors) {
  Vec logits(2 * 3), probs(2 * 3);
  const std::vector<int> none = {kNoTarget, kNoTarget}, outside = {1, 3};
  expect_error([&] { cross_entropy_forward(probs.data(), logits.data(), none.data(), 2, 3); },
               ErrorCode::kInvalidArgument, "no position carries a target (all 2 are -1)");
  expect_error([&] { cross_entropy_forward(probs.data(), logits.data(), outside.data(), 2, 3); },
               ErrorCode::kInvalidArgument, "target=3 at position 1 is outside [0, V) and not -1 (V=3)");
}

// ------------------------------------------------------------------ a composed pipeline
// tokens -> X = E[tok] + P -> Y = LN(X) -> Q, K, V = Y Wq, Y Wk, Y Wv -> head 0 softmax (prefix 2),
// head 1 linear (forward) -> O = concat Wo -> Z = GELU(O) -> logits = Z E^T -> cross-entropy. Not the
// model (no residual, one LN): a composition test of the ops' shapes, offsets and accumulation.
struct Pipeline {
  static constexpr int batch = 2, n = 5, vocab = 7, width = 8, heads = 2, h = width / heads, rows = batch * n;
  // Offsets of each parameter in the flat vector theta.
  static constexpr int kE = 0, kP = kE + vocab * width, kG = kP + n * width, kB = kG + width, kWq = kB + width,
                       kWk = kWq + width * width, kWv = kWk + width * width, kWo = kWv + width * width,
                       kCount = kWo + width * width;
  static inline const std::vector<int> tokens = {1, 4, 4, 0, 6, 2, 3, 5, 1, 1};
  static inline const std::vector<int> targets = {4, 4, kNoTarget, 6, 2, kNoTarget, 5, 1, 1, 0};
};

Vec pipeline_parameters() {
  Vec theta = random_vector(Pipeline::kCount, 41, 0.5);
  for (int j = 0; j < Pipeline::width; ++j) theta[Pipeline::kG + j] += 1.0;
  return theta;
}

template <typename T>
struct PipelineResult {
  T loss = 0;
  std::vector<T> grad;  // d loss / d theta, same layout
  std::vector<T> outputs;  // every activation, for the pinned hash
};

template <typename T>
PipelineResult<T> run_pipeline(const Vec& theta_double) {
  using P = Pipeline;
  const int rows = P::rows, width = P::width, h = P::h, n = P::n;
  const std::vector<T> theta(theta_double.begin(), theta_double.end());
  const T* e = theta.data() + P::kE;
  const T* pos = theta.data() + P::kP;
  const T* g = theta.data() + P::kG;
  const T* b = theta.data() + P::kB;
  const T* wq = theta.data() + P::kWq;
  const T* wk = theta.data() + P::kWk;
  const T* wv = theta.data() + P::kWv;
  const T* wo = theta.data() + P::kWo;
  const Mask softmax_mask = mask_of(PatternKind::kPrefix, n, 2), linear_mask = mask_of(PatternKind::kForward, n);
  const std::size_t act = static_cast<std::size_t>(rows) * width;
  std::vector<T> x(act), y(act), mean(rows), rstd(rows), q(act), k(act), v(act), att(act), o(act), z(act);
  std::vector<T> logits(static_cast<std::size_t>(rows) * P::vocab), probs(logits.size());
  std::vector<T> maps(static_cast<std::size_t>(P::batch * P::heads * n * n)), row_sums(P::batch * n);
  embedding_forward(x.data(), P::tokens.data(), e, pos, P::batch, n, P::vocab, width);
  layernorm_forward(y.data(), mean.data(), rstd.data(), x.data(), g, b, rows, width);
  linear_forward(q.data(), y.data(), wq, rows, width, width);
  linear_forward(k.data(), y.data(), wk, rows, width, width);
  linear_forward(v.data(), y.data(), wv, rows, width, width);
  for (int s = 0; s < P::batch; ++s) {
    const std::size_t base = static_cast<std::size_t>(s) * n * width;
    T* map0 = maps.data() + static_cast<std::size_t>(s * P::heads) * n * n;
    softmax_attention_forward(att.data() + base, width, map0, q.data() + base, k.data() + base, v.data() + base,
                              width, n, h, softmax_mask);
    linear_attention_forward(att.data() + base + h, width, map0 + n * n, row_sums.data() + s * n,
                             q.data() + base + h, k.data() + base + h, v.data() + base + h, width, n, h, linear_mask);
  }
  linear_forward(o.data(), att.data(), wo, rows, width, width);
  gelu_forward(z.data(), o.data(), static_cast<int>(act));
  tied_logits_forward(logits.data(), z.data(), e, rows, P::vocab, width);
  PipelineResult<T> result;
  result.loss = cross_entropy_forward(probs.data(), logits.data(), P::targets.data(), rows, P::vocab);

  result.grad.assign(theta.size(), T(0));
  T* de = result.grad.data() + P::kE;
  std::vector<T> dlogits(logits.size(), T(0)), dz(act, T(0)), d_o(act, T(0)), datt(act, T(0)), dq(act, T(0)),
      dk(act, T(0)), dv(act, T(0)), dy(act, T(0)), dx(act, T(0));
  cross_entropy_backward(dlogits.data(), probs.data(), P::targets.data(), rows, P::vocab);
  tied_logits_backward(dz.data(), de, dlogits.data(), z.data(), e, rows, P::vocab, width);
  gelu_backward(d_o.data(), dz.data(), o.data(), static_cast<int>(act));
  linear_backward(datt.data(), result.grad.data() + P::kWo, d_o.data(), att.data(), wo, rows, width, width);
  for (int s = 0; s < P::batch; ++s) {
    const std::size_t base = static_cast<std::size_t>(s) * n * width;
    const T* map0 = maps.data() + static_cast<std::size_t>(s * P::heads) * n * n;
    softmax_attention_backward(dq.data() + base, dk.data() + base, dv.data() + base, width, datt.data() + base, width,
                               map0, q.data() + base, k.data() + base, v.data() + base, width, n, h, softmax_mask);
    linear_attention_backward(dq.data() + base + h, dk.data() + base + h, dv.data() + base + h, width,
                              datt.data() + base + h, width, map0 + n * n, row_sums.data() + s * n,
                              q.data() + base + h, k.data() + base + h, v.data() + base + h, width, n, h, linear_mask);
  }
  linear_backward(dy.data(), result.grad.data() + P::kWq, dq.data(), y.data(), wq, rows, width, width);
  linear_backward(dy.data(), result.grad.data() + P::kWk, dk.data(), y.data(), wk, rows, width, width);
  linear_backward(dy.data(), result.grad.data() + P::kWv, dv.data(), y.data(), wv, rows, width, width);
  layernorm_backward(dx.data(), result.grad.data() + P::kG, result.grad.data() + P::kB, dy.data(), x.data(),
                     mean.data(), rstd.data(), g, rows, width);
  embedding_backward(de, result.grad.data() + P::kP, dx.data(), P::tokens.data(), P::batch, n, width);

  for (const std::vector<T>* part : {&x, &y, &q, &k, &v, &maps, &att, &o, &z, &logits, &probs, &dx})
    result.outputs.insert(result.outputs.end(), part->begin(), part->end());
  result.outputs.push_back(result.loss);
  result.outputs.insert(result.outputs.end(), result.grad.begin(), result.grad.end());
  return result;
}

TEST(LabOps, PipelineGradientsByFiniteDifferences) {
  Vec theta = pipeline_parameters();
  const PipelineResult<double> run = run_pipeline<double>(theta);
  const auto loss = [&] { return run_pipeline<double>(theta).loss; };
  expect_gradient("pipeline, every parameter", theta, run.grad, loss);
  // A directional derivative along a random direction: one number, every parameter at once.
  const Vec direction = random_vector(theta.size(), 42);
  Vec plus = theta, minus = theta;
  for (std::size_t i = 0; i < theta.size(); ++i) {
    plus[i] += kFdStep * direction[i];
    minus[i] -= kFdStep * direction[i];
  }
  const double numeric = (run_pipeline<double>(plus).loss - run_pipeline<double>(minus).loss) / (2 * kFdStep);
  const double analytic = dot(run.grad, direction);
  EXPECT_LE(std::fabs(numeric - analytic), kFdTolerance * std::fabs(analytic)) << numeric << " vs " << analytic;
}

TEST(LabOps, PipelineFloatAgreesWithDouble) {
  const Vec theta = pipeline_parameters();
  const PipelineResult<double> reference = run_pipeline<double>(theta);
  const PipelineResult<float> single = run_pipeline<float>(theta);
  EXPECT_NEAR(single.loss, reference.loss, kFloatAgreement * std::fabs(reference.loss));
  double scale = 0, worst = 0;
  for (std::size_t i = 0; i < reference.grad.size(); ++i) {
    scale = std::max(scale, std::fabs(reference.grad[i]));
    worst = std::max(worst, std::fabs(single.grad[i] - reference.grad[i]));
  }
  EXPECT_LE(worst, kFloatAgreement * scale);
}

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;
template <typename T>
std::uint64_t fnv1a(const std::vector<T>& values) {
  std::uint64_t hash = kFnvOffset;
  const auto* bytes = reinterpret_cast<const unsigned char*>(values.data());
  for (std::size_t i = 0; i < values.size() * sizeof(T); ++i) hash = (hash ^ bytes[i]) * kFnvPrime;
  return hash;
}

// Every activation, the loss and every gradient of the pipeline, hashed; pinned from the native build.
constexpr std::uint64_t kPipelineHashF32 = 13443053364118112156ULL;
constexpr std::uint64_t kPipelineHashF64 = 1108343063007057292ULL;

TEST(LabOps, PinnedPipelineHashNativeEqualsWasm) {
  const Vec theta = pipeline_parameters();
  EXPECT_EQ(fnv1a(run_pipeline<float>(theta).outputs), kPipelineHashF32);
  EXPECT_EQ(fnv1a(run_pipeline<double>(theta).outputs), kPipelineHashF64);
}

}  // namespace
}  // namespace attnrank::lab
