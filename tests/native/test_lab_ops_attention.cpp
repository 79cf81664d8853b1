// The lab's attention heads (src/core/include/attnrank/lab/ops.h, ops_attention.cpp): softmax and linear backwards against
// central finite differences in double with every mask pattern including one-entry rows, the forward
// semantics tied to the core (masked_softmax, linear_attention), the named errors and the linear head's
// guard against phi underflow and NaN.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "attention/attention.h"
#include "attnrank/attention/linear_attention.h"
#include "attnrank/lab/ops.h"
#include "lab_test_gradients.h"
#include "test_support.h"

namespace attnrank::lab {
namespace {

using test::Vec;
using test::dot;
using test::expect_error;
using test::expect_gradient;
using test::mask_of;
using test::random_vector;

// Forward agreement with the core's own attention functions (std::exp there, det_exp here).
constexpr double kCoreAgreementF64 = 1e-14;

// ------------------------------------------------------------------ attention heads
struct NamedMask {
  std::string name;
  Mask mask;
};

// Every pattern, with one-entry rows: forward (row 0), backward (last row), window 1 and forward_window 1
// (every row), and a custom mask whose rows allow scattered keys, one of them a single off-diagonal key.
std::vector<NamedMask> every_mask(int n) {
  Mask custom = Mask::Zero(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      if ((i + 2 * j) % 3 == 0) custom(i, j) = 1;
  custom.row(2).setZero();
  custom(2, n - 1) = 1;
  return {{"bidirectional", mask_of(PatternKind::kBidirectional, n)},
          {"prefix p=3", mask_of(PatternKind::kPrefix, n, 3)},
          {"prefix p=0", mask_of(PatternKind::kPrefix, n, 0)},
          {"forward", mask_of(PatternKind::kForward, n)},
          {"backward", mask_of(PatternKind::kBackward, n)},
          {"window w=2", mask_of(PatternKind::kWindow, n, 0, 2)},
          {"window w=1", mask_of(PatternKind::kWindow, n, 0, 1)},
          {"forward_window w=3", mask_of(PatternKind::kForwardWindow, n, 0, 3)},
          {"forward_window w=1", mask_of(PatternKind::kForwardWindow, n, 0, 1)},
          {"custom", custom}};
}

enum class Head { kSoftmax, kLinear };

// One head (head index 1 of width 2h, so row stride 2h and a column offset) over q, k, v (n, 2h).
struct HeadCase {
  static constexpr int n = 7, h = 4, width = 2 * h, offset = h;
  Vec q = random_vector(n * width, 21, 1.5), k = random_vector(n * width, 22, 1.5), v = random_vector(n * width, 23);
  Vec w = random_vector(n * width, 24);  // the projection of out; only the head's block is read
  Vec out = Vec(n * width, 0.0), att = Vec(n * n), row_sum = Vec(n);

  double loss(Head head, const Mask& mask) {
    if (head == Head::kSoftmax) {
      softmax_attention_forward(out.data() + offset, width, att.data(), q.data() + offset, k.data() + offset,
                                v.data() + offset, width, n, h, mask);
    } else {
      linear_attention_forward(out.data() + offset, width, att.data(), row_sum.data(), q.data() + offset,
                               k.data() + offset, v.data() + offset, width, n, h, mask);
    }
    double sum = 0;
    for (int i = 0; i < n; ++i)
      for (int c = offset; c < offset + h; ++c) sum += w[i * width + c] * out[i * width + c];
    return sum;
  }
};

void expect_head_gradients(Head head) {
  for (const NamedMask& named : every_mask(HeadCase::n)) {
    HeadCase c;
    const int n = HeadCase::n, h = HeadCase::h, width = HeadCase::width, offset = HeadCase::offset;
    c.loss(head, named.mask);
    Vec dq(c.q.size(), 0.0), dk(c.k.size(), 0.0), dv(c.v.size(), 0.0);
    if (head == Head::kSoftmax) {
      softmax_attention_backward(dq.data() + offset, dk.data() + offset, dv.data() + offset, width,
                                 c.w.data() + offset, width, c.att.data(), c.q.data() + offset, c.k.data() + offset,
                                 c.v.data() + offset, width, n, h, named.mask);
    } else {
      linear_attention_backward(dq.data() + offset, dk.data() + offset, dv.data() + offset, width,
                                c.w.data() + offset, width, c.att.data(), c.row_sum.data(), c.q.data() + offset,
                                c.k.data() + offset, c.v.data() + offset, width, n, h, named.mask);
    }
    const std::string label = std::string(head == Head::kSoftmax ? "softmax" : "linear") + " " + named.name;
    const auto loss = [&] { return c.loss(head, named.mask); };
    expect_gradient(label + " dQ", c.q, dq, loss);
    expect_gradient(label + " dK", c.k, dk, loss);
    expect_gradient(label + " dV", c.v, dv, loss);
    // The other head's columns are neither read nor written.
    for (int i = 0; i < n; ++i)
      for (int col = 0; col < offset; ++col) {
        EXPECT_EQ(dq[i * width + col], 0.0);
        EXPECT_EQ(c.out[i * width + col], 0.0);
      }
  }
}

TEST(LabOps, SoftmaxAttentionGradientsEveryMask) { expect_head_gradients(Head::kSoftmax); }
TEST(LabOps, LinearAttentionGradientsEveryMask) { expect_head_gradients(Head::kLinear); }

// The head's block of q as a contiguous (n, h) matrix for the core's functions.
MatrixXd head_block(const Vec& x) {
  MatrixXd m(HeadCase::n, HeadCase::h);
  for (int i = 0; i < HeadCase::n; ++i)
    for (int c = 0; c < HeadCase::h; ++c) m(i, c) = x[i * HeadCase::width + HeadCase::offset + c];
  return m;
}

// The lab's heads compute the core's matrices: masked entries exactly 0, rows sum to 1, and the same A
// as masked_softmax (s = 1) and linear_attention (elu1, s = 1) up to the exp implementation.
TEST(LabOps, AttentionMatchesTheCore) {
  for (const NamedMask& named : every_mask(HeadCase::n)) {
    HeadCase c;
    const MatrixXd q = head_block(c.q), k = head_block(c.k);
    const MatrixXd softmax_core = masked_softmax(unscaled_logits(q, k), 1.0, named.mask);
    const MatrixXd linear_core = linear_attention(q, k, 1.0, named.mask, LinearSpec{});
    for (Head head : {Head::kSoftmax, Head::kLinear}) {
      c.loss(head, named.mask);
      const MatrixXd& core = head == Head::kSoftmax ? softmax_core : linear_core;
      const Eigen::Map<const MatrixXd> lab(c.att.data(), HeadCase::n, HeadCase::n);
      test::expect_stochastic(lab, named.mask, 1e-15);
      EXPECT_LE((lab - core).cwiseAbs().maxCoeff(), kCoreAgreementF64) << named.name;
    }
  }
}

TEST(LabOps, AttentionErrors) {
  HeadCase c;
  Mask empty_row = mask_of(PatternKind::kForward, HeadCase::n);
  empty_row.row(3).setZero();
  expect_error([&] { c.loss(Head::kSoftmax, empty_row); }, ErrorCode::kInvalidArgument, "mask row 3 allows no key");
  expect_error([&] { c.loss(Head::kLinear, mask_of(PatternKind::kForward, 3)); }, ErrorCode::kInvalidArgument,
               "mask is 3x3, expected 7x7");
}

// The linear head's guard (ops.h): when phi = elu + 1 underflows to 0 in a whole row (inputs below
// ~-745 in double, ~-104 in float: a diverged run), or an input is inf or NaN, the forward throws
// kNumericalFailure naming the row instead of returning 0/0 = NaN. Before the guard both returned NaN.
template <typename T>
void expect_linear_guard() {
  const int n = 4, h = 2;
  const Mask causal = mask_of(PatternKind::kForward, n);
  std::vector<T> q(n * h, T(0.5)), k(n * h, T(0.25)), v(n * h, T(1)), out(n * h), att(n * n), row_sum(n);
  AttentionWorkspace<T> workspace;
  linear_attention_forward(out.data(), h, att.data(), row_sum.data(), q.data(), k.data(), v.data(), h, n, h, causal,
                           workspace);  // in range: no error
  k[0] = k[1] = T(-1e5);  // key 0: phi underflows to 0 -> row 0 (only key 0) sums to 0; other rows keep keys
  expect_error([&] { linear_attention_forward(out.data(), h, att.data(), row_sum.data(), q.data(), k.data(), v.data(),
                                              h, n, h, causal, workspace); },
               ErrorCode::kNumericalFailure,
               "linear attention row 0 sums to 0 (phi = elu + 1 of inputs out of range: underflow, inf or NaN; n=4, h=2)");
  k[0] = k[1] = T(0.25);
  q[2 * h] = std::numeric_limits<T>::quiet_NaN();
  expect_error([&] { linear_attention_forward(out.data(), h, att.data(), row_sum.data(), q.data(), k.data(), v.data(),
                                              h, n, h, causal); },
               ErrorCode::kNumericalFailure,
               "linear attention row 2 sums to nan (phi = elu + 1 of inputs out of range: underflow, inf or NaN; n=4, h=2)");
}

TEST(LabOps, LinearAttentionGuardsAgainstPhiUnderflowAndNaN) {
  expect_linear_guard<double>();
  expect_linear_guard<float>();
}

}  // namespace
}  // namespace attnrank::lab
