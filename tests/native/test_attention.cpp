// Masked softmax attention: agreement with a naive loop oracle written here (double 1e-14, float 1e-5),
// rows summing to 1, masked entries exactly 0, analytic cases (equal logits: causal 1/(i+1),
// bidirectional 1/n), every extreme scale (0, negative, 1e-300, 1e300, DBL_MAX) giving finite rows,
// huge logits, the float path, and each validation message.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "attention/attention.h"
#include "attnrank/attention/masks.h"
#include "attnrank/base/errors.h"
#include "attnrank/random/inputs.h"
#include "lab/kernels.h"
#include "test_support.h"

namespace attnrank {
namespace {

using test::all_masks;
using test::expect_error;
using test::expect_stochastic;
using test::inputs_of;
using test::mask_of;

constexpr double kTolF64 = 1e-14;
constexpr double kTolF32 = 1e-5;

// Oracle: the textbook formula with long double loops; G = Q K^T / sqrt(d) by a triple loop.
MatrixXd naive_logits(const MatrixXd& q, const MatrixXd& k) {
  MatrixXd g(q.rows(), k.rows());
  for (Eigen::Index i = 0; i < q.rows(); ++i)
    for (Eigen::Index j = 0; j < k.rows(); ++j) {
      long double dot = 0;
      for (Eigen::Index c = 0; c < q.cols(); ++c) dot += static_cast<long double>(q(i, c)) * k(j, c);
      g(i, j) = static_cast<double>(dot / std::sqrt(static_cast<long double>(q.cols())));
    }
  return g;
}

MatrixXd naive_softmax(const MatrixXd& g, double s, const Mask& mask) {
  MatrixXd a = MatrixXd::Zero(g.rows(), g.cols());
  for (Eigen::Index i = 0; i < g.rows(); ++i) {
    long double row_max = -std::numeric_limits<long double>::infinity();
    for (Eigen::Index j = 0; j < g.cols(); ++j)
      if (mask(i, j)) row_max = std::max(row_max, static_cast<long double>(s) * g(i, j));
    long double sum = 0;
    for (Eigen::Index j = 0; j < g.cols(); ++j)
      if (mask(i, j)) sum += std::exp(static_cast<long double>(s) * g(i, j) - row_max);
    for (Eigen::Index j = 0; j < g.cols(); ++j)
      if (mask(i, j)) a(i, j) = static_cast<double>(std::exp(static_cast<long double>(s) * g(i, j) - row_max) / sum);
  }
  return a;
}

TEST(Attention, LogitsMatchTripleLoop) {
  const InputMatrices x = inputs_of(20, 7, 1);
  const MatrixXd g = unscaled_logits(x.q, x.k);
  EXPECT_LT((g - naive_logits(x.q, x.k)).cwiseAbs().maxCoeff(), 1e-14 * 8);
  const MatrixXf gf = unscaled_logits(MatrixXf(x.q.cast<float>()), MatrixXf(x.k.cast<float>()));
  EXPECT_LT((gf.cast<double>() - g).cwiseAbs().maxCoeff(), 1e-5);
}

TEST(Attention, LogitsAreTheFixedOrderProduct) {
  // G is lab/kernels.h's matmul_nt (one accumulator per entry, c ascending) divided by sqrt(d): the same bits
  // natively and in wasm. (q, k) shapes with odd sizes reach every vector and scalar tail of the kernel.
  for (const auto& [n, m, d] : {std::tuple{20, 20, 7}, std::tuple{33, 17, 64}, std::tuple{5, 70, 3}}) {
    const MatrixXd q = inputs_of(n, d, 2).q, k = inputs_of(m, d, 3).k;
    MatrixXd expected(n, m);
    lab::matmul_nt_reference(n, m, d, q.data(), d, k.data(), d, expected.data(), m, false);
    expected /= std::sqrt(static_cast<double>(d));
    EXPECT_EQ(unscaled_logits(q, k), expected) << n << " x " << m << " x " << d;
    const MatrixXf qf = q.cast<float>(), kf = k.cast<float>();
    MatrixXf expected_f(n, m);
    lab::matmul_nt_reference(n, m, d, qf.data(), d, kf.data(), d, expected_f.data(), m, false);
    expected_f /= std::sqrt(static_cast<float>(d));
    EXPECT_EQ(unscaled_logits(qf, kf), expected_f) << n << " x " << m << " x " << d << " (float)";
  }
}

TEST(Attention, InPlaceSoftmaxNeverReadsMaskedLogits) {
  // analyze() overwrites its logits with A: masked entries come out exactly 0 whatever they held (NaN here),
  // and the allowed ones are masked_softmax's of the clean logits, bit for bit.
  const InputMatrices x = inputs_of(24, 5, 4);
  const MatrixXd g = unscaled_logits(x.q, x.k);
  for (const Mask& mask : all_masks(24))
    for (const double s : {1.0, -3.0, 0.0, 40.0}) {
      MatrixXd in_place = g;
      for (Eigen::Index i = 0; i < g.rows(); ++i)
        for (Eigen::Index j = 0; j < g.cols(); ++j)
          if (mask(i, j) == 0) in_place(i, j) = std::numeric_limits<double>::quiet_NaN();
      masked_softmax_in_place(in_place, s, mask);
      EXPECT_EQ(in_place, masked_softmax(g, s, mask)) << "s=" << s;
      EXPECT_LT((in_place - naive_softmax(g, s, mask)).cwiseAbs().maxCoeff(), kTolF64) << "s=" << s;
    }
}

TEST(Attention, MatchesNaiveOracleForEveryPatternAndScale) {
  const int n = 24;
  const InputMatrices x = inputs_of(n, 8, 3);
  const MatrixXd g = unscaled_logits(x.q, x.k);
  for (const Mask& mask : all_masks(n))
    for (double s : {1.0, 0.3, 4.0, -2.0}) {
      const MatrixXd a = masked_softmax(g, s, mask);
      expect_stochastic(a, mask, kTolF64);
      EXPECT_LT((a - naive_softmax(g, s, mask)).cwiseAbs().maxCoeff(), kTolF64) << "s=" << s;
    }
}

TEST(Attention, FloatMatchesNaiveOracle) {
  const int n = 24;
  const InputMatrices x = inputs_of(n, 8, 4);
  const MatrixXf g = unscaled_logits(MatrixXf(x.q.cast<float>()), MatrixXf(x.k.cast<float>()));
  for (const Mask& mask : all_masks(n))
    for (float s : {1.0f, 3.0f, -0.5f}) {
      const MatrixXf a = masked_softmax(g, s, mask);
      expect_stochastic(a, mask, kTolF32);
      const MatrixXd oracle = naive_softmax(g.cast<double>(), s, mask);
      EXPECT_LT((a.cast<double>() - oracle).cwiseAbs().maxCoeff(), kTolF32) << "s=" << s;
    }
}

TEST(Attention, EqualLogitsCausalGivesOneOverIPlusOne) {
  const int n = 200;
  const Mask forward = mask_of(PatternKind::kForward, n);
  for (double constant : {0.0, 3.5, -1e10}) {
    const MatrixXd a = masked_softmax(MatrixXd::Constant(n, n, constant), 1.0, forward);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) ASSERT_DOUBLE_EQ(a(i, j), j <= i ? 1.0 / (i + 1) : 0.0);
  }
  const MatrixXf af = masked_softmax(MatrixXf::Constant(n, n, 2.0f), 1.0f, forward);
  for (int i = 0; i < n; ++i) ASSERT_FLOAT_EQ(af(i, 0), 1.0f / (i + 1));
}

TEST(Attention, EqualLogitsBidirectionalGivesOneOverN) {
  const int n = 37;
  const MatrixXd a = masked_softmax(MatrixXd::Constant(n, n, -4.0), 2.0, mask_of(PatternKind::kBidirectional, n));
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) ASSERT_DOUBLE_EQ(a(i, j), 1.0 / n);
}

TEST(Attention, ExtremeScalesStayFiniteAndNormalised) {
  const int n = 16;
  const InputMatrices x = inputs_of(n, 4, 5);
  const MatrixXd g = unscaled_logits(x.q, x.k);
  const double big = std::numeric_limits<double>::max();
  for (const Mask& mask : all_masks(n))
    for (double s : {0.0, -0.0, 1e-300, -1e-300, 4.9e-324, 1e300, -1e300, big, -big, 1e20})
      expect_stochastic(masked_softmax(g, s, mask), mask, kTolF64);
}

TEST(Attention, HugeScaleGivesOneHotRowsAtTheArgmax) {
  const int n = 16;
  const InputMatrices x = inputs_of(n, 4, 6);
  const MatrixXd g = unscaled_logits(x.q, x.k);
  for (const Mask& mask : all_masks(n))
    for (double s : {1e300, -1e300}) {
      const MatrixXd a = masked_softmax(g, s, mask);
      for (int i = 0; i < n; ++i) {
        int best = -1;
        for (int j = 0; j < n; ++j)
          if (mask(i, j) && (best < 0 || (s > 0 ? g(i, j) > g(i, best) : g(i, j) < g(i, best)))) best = j;
        for (int j = 0; j < n; ++j) ASSERT_EQ(a(i, j), j == best ? 1.0 : 0.0) << "s=" << s << " row " << i;
      }
    }
}

TEST(Attention, ZeroAndTinyScaleGiveUniformRows) {
  const int n = 12;
  const InputMatrices x = inputs_of(n, 4, 7);
  const MatrixXd g = unscaled_logits(x.q, x.k);
  const Mask prefix = mask_of(PatternKind::kPrefix, n, 4);
  for (double s : {0.0, 1e-300}) {
    const MatrixXd a = masked_softmax(g, s, prefix);
    for (int i = 0; i < n; ++i) {
      const double count = prefix.row(i).cast<double>().sum();
      for (int j = 0; j < n; ++j) ASSERT_DOUBLE_EQ(a(i, j), prefix(i, j) ? 1.0 / count : 0.0);
    }
  }
}

TEST(Attention, HugeLogitsOfBothSignsStayFinite) {
  // G - G_ref overflows to -inf here; s * (-inf) = -inf, exp = 0: no inf - inf, no NaN.
  MatrixXd g(3, 3);
  g << 1e308, -1e308, 0, -1e308, 1e308, 1e308, 5, -1e308, 1e308;
  const Mask all = mask_of(PatternKind::kBidirectional, 3);
  for (double s : {1.0, -1.0, 1e300, 1e-300, 0.0}) expect_stochastic(masked_softmax(g, s, all), all, kTolF64);
  const MatrixXd a = masked_softmax(g, 1.0, all);
  EXPECT_EQ(a(0, 0), 1.0);
  EXPECT_EQ(a(1, 1), 0.5);
  EXPECT_EQ(a(1, 2), 0.5);
  const MatrixXf af = masked_softmax(MatrixXf((g * 1e-270).cast<float>()), 1e30f, all);  // float: 1e38 logits
  expect_stochastic(af, all, kTolF32);
}

TEST(Attention, FloatExtremeScales) {
  const int n = 16;
  const InputMatrices x = inputs_of(n, 4, 8);
  const MatrixXf g = unscaled_logits(MatrixXf(x.q.cast<float>()), MatrixXf(x.k.cast<float>()));
  const float big = std::numeric_limits<float>::max();
  for (const Mask& mask : all_masks(n))
    for (float s : {0.0f, 1e-38f, 1e-45f, 1e30f, -1e30f, big, -big}) expect_stochastic(masked_softmax(g, s, mask), mask, kTolF32);
}

TEST(Attention, ValidationMessages) {
  const ErrorCode bad = ErrorCode::kInvalidArgument;
  const MatrixXd g = MatrixXd::Zero(4, 4);
  const Mask all = mask_of(PatternKind::kBidirectional, 4);
  expect_error([&] { masked_softmax(g, std::nan(""), all); }, bad, "scale=nan must be finite");
  expect_error([&] { masked_softmax(g, -std::numeric_limits<double>::infinity(), all); }, bad,
               "scale=-inf must be finite");
  expect_error([&] { masked_softmax(MatrixXf(g.cast<float>()), std::numeric_limits<float>::infinity(), all); },
               bad, "scale=inf must be finite");
  expect_error([&] { masked_softmax(g, 1.0, mask_of(PatternKind::kForward, 3)); }, bad,
               "mask is 3x3, expected 4x4");
  Mask empty_row = all;
  empty_row.row(2).setZero();
  expect_error([&] { masked_softmax(g, 1.0, empty_row); }, bad, "mask row 2 allows no key");
  MatrixXd with_nan = g;
  with_nan(1, 3) = std::nan("");
  expect_error([&] { masked_softmax(with_nan, 1.0, all); }, bad,
               "logit G(1, 3)=nan must be finite (Q K^T / sqrt(d) overflowed or the input holds NaN/inf)");
  // A non-finite logit where the mask forbids attention is never read.
  with_nan(1, 3) = 0;
  with_nan(0, 3) = std::numeric_limits<double>::infinity();
  EXPECT_NO_THROW(masked_softmax(with_nan, 1.0, mask_of(PatternKind::kForward, 4)));
  expect_error([] { unscaled_logits(MatrixXd(MatrixXd::Zero(3, 2)), MatrixXd(MatrixXd::Zero(3, 4))); }, bad,
               "q is 3x2 and k is 3x4: they need the same d >= 1 columns");
  expect_error([] { unscaled_logits(MatrixXf(3, 0), MatrixXf(3, 0)); }, bad,
               "q is 3x0 and k is 3x0: they need the same d >= 1 columns");
}

}  // namespace
}  // namespace attnrank
