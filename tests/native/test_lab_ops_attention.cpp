// The lab's attention heads (src/core/include/attnrank/lab/ops.h, ops_attention.cpp): softmax and linear backwards against
// central finite differences in double with every mask pattern including one-entry rows, the forward
// semantics tied to the core (masked_softmax, linear_attention), the named errors, the linear head's
// guard against phi underflow and NaN, and the linear head bit for bit against its scalar definition
// (elu1 and its slope per entry, the kernels' naive loops) on each vector path.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "attention/attention.h"
#include "attnrank/attention/linear_attention.h"
#include "attnrank/base/pattern_registry.h"
#include "attnrank/lab/ops.h"
#include "lab/kernels.h"
#include "lab/lab_math.h"
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

// The linear head written out as its definition (ops_attention.cpp's order of operations): phi = elu1 of
// the scaled inputs entry by entry (x + 1 above 0, else lab_exp), the products through the kernels' naive
// loops, and elu1's slope (1 above 0, else lab_exp) per entry in the backward.
template <typename T>
T scalar_elu1(T x) {
  return x > 0 ? x + T(1) : lab_exp(x);
}
template <typename T>
T scalar_elu1_slope(T x) {
  return x > 0 ? T(1) : lab_exp(x);
}

template <typename T>
struct LinearHeadResult {
  std::vector<T> out, att, row_sum, dq, dk, dv;
};

template <typename T>
LinearHeadResult<T> scalar_linear_head(const std::vector<T>& q, const std::vector<T>& k, const std::vector<T>& v,
                                       const std::vector<T>& dout, int ld, int n, int h, const Mask& mask) {
  const T c = T(1) / std::sqrt(std::sqrt(static_cast<T>(h)));
  const std::size_t nn = static_cast<std::size_t>(n) * n, nh = static_cast<std::size_t>(n) * h;
  std::vector<T> phi_q(nh), phi_k(nh);
  for (int i = 0; i < n; ++i)
    for (int r = 0; r < h; ++r) {
      phi_q[i * h + r] = scalar_elu1(c * q[i * ld + r]);
      phi_k[i * h + r] = scalar_elu1(c * k[i * ld + r]);
    }
  LinearHeadResult<T> result{std::vector<T>(q.size(), T(0)), std::vector<T>(nn), std::vector<T>(n),
                             std::vector<T>(q.size(), T(0)), std::vector<T>(q.size(), T(0)),
                             std::vector<T>(q.size(), T(0))};
  T* att = result.att.data();
  matmul_nt_reference(n, n, h, phi_q.data(), h, phi_k.data(), h, att, n, false);
  for (int i = 0; i < n; ++i) {
    T sum = T(0);
    for (int j = 0; j < n; ++j) {
      if (mask(i, j) == 0) att[i * n + j] = T(0);
      sum = sum + att[i * n + j];
    }
    result.row_sum[i] = sum;
    for (int j = 0; j < n; ++j) att[i * n + j] = att[i * n + j] / sum;
  }
  matmul_nn_reference(n, h, n, att, n, v.data(), ld, result.out.data(), ld, false);
  std::vector<T> d_att(nn), d_phi_q(nh), d_phi_k(nh);
  matmul_nt_reference(n, n, h, dout.data(), ld, v.data(), ld, d_att.data(), n, false);
  matmul_tn_reference(n, h, n, att, n, dout.data(), ld, result.dv.data(), ld, true);
  for (int i = 0; i < n; ++i) {
    T weighted = T(0);
    for (int j = 0; j < n; ++j) weighted = weighted + att[i * n + j] * d_att[i * n + j];
    for (int j = 0; j < n; ++j)
      d_att[i * n + j] = mask(i, j) != 0 ? (d_att[i * n + j] - weighted) / result.row_sum[i] : T(0);
  }
  matmul_nn_reference(n, h, n, d_att.data(), n, phi_k.data(), h, d_phi_q.data(), h, false);
  matmul_tn_reference(n, h, n, d_att.data(), n, phi_q.data(), h, d_phi_k.data(), h, false);
  for (int i = 0; i < n; ++i)
    for (int r = 0; r < h; ++r) {
      result.dq[i * ld + r] += d_phi_q[i * h + r] * scalar_elu1_slope(c * q[i * ld + r]) * c;
      result.dk[i * ld + r] += d_phi_k[i * h + r] * scalar_elu1_slope(c * k[i * ld + r]) * c;
    }
  return result;
}

template <typename T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

// q, k from N(0, 3^2) with every 11th entry pushed to -150 .. -250 (phi = exp underflows to a subnormal or
// 0 in float: lab_exp's scalar fallback inside the vector loop), a few exact zeros (elu1's branch point),
// n = 37 rows and h = 12 (vector groups and tails), head 1 of a width-40 buffer (ld = 40).
template <typename T>
void expect_linear_head_matches_scalar_definition() {
  const int n = 37, h = 12, ld = 40;
  const std::size_t size = static_cast<std::size_t>(n) * ld;
  test::Lcg lcg(2027);
  std::vector<T> q(size), k(size), v(size), dout(size);
  for (std::size_t i = 0; i < size; ++i) {
    q[i] = static_cast<T>(3 * lcg.normal());
    k[i] = static_cast<T>(3 * lcg.normal());
    v[i] = static_cast<T>(lcg.next());
    dout[i] = static_cast<T>(lcg.next());
    if (i % 11 == 5) q[i] = static_cast<T>(-150 - 100 * lcg.uniform01());
    if (i % 11 == 7 && i / ld > 0) k[i] = static_cast<T>(-150 - 100 * lcg.uniform01());  // row 0 keeps its key
    if (i % 29 == 3) q[i] = k[i] = T(0);
  }
  // Head 1's column block: offset h within each row of width ld (h + h <= ld).
  const std::vector<T> q1(q.begin() + h, q.end()), k1(k.begin() + h, k.end()), v1(v.begin() + h, v.end()),
      dout1(dout.begin() + h, dout.end());
  std::vector<bool> paths{false};
  if (wide_vectors_available()) paths.push_back(true);
  for (PatternKind kind : {PatternKind::kForward, PatternKind::kBidirectional}) {
    const Mask mask = mask_of(kind, n);
    const LinearHeadResult<T> expected = scalar_linear_head(q1, k1, v1, dout1, ld, n, h, mask);
    for (bool wide : paths) {
      const bool before = set_wide_vectors(wide);
      LinearHeadResult<T> got{std::vector<T>(q1.size(), T(0)), std::vector<T>(static_cast<std::size_t>(n) * n),
                              std::vector<T>(n), std::vector<T>(q1.size(), T(0)), std::vector<T>(q1.size(), T(0)),
                              std::vector<T>(q1.size(), T(0))};
      linear_attention_forward(got.out.data(), ld, got.att.data(), got.row_sum.data(), q1.data(), k1.data(), v1.data(),
                               ld, n, h, mask);
      linear_attention_backward(got.dq.data(), got.dk.data(), got.dv.data(), ld, dout1.data(), ld, got.att.data(),
                                got.row_sum.data(), q1.data(), k1.data(), v1.data(), ld, n, h, mask);
      set_wide_vectors(before);
      const std::string where = std::string(pattern_name(kind)) + " (" + (wide ? "256-bit" : "128-bit") + " path)";
      EXPECT_TRUE(same_bits(got.out, expected.out)) << "out, " << where;
      EXPECT_TRUE(same_bits(got.att, expected.att)) << "att, " << where;
      EXPECT_TRUE(same_bits(got.row_sum, expected.row_sum)) << "row_sum, " << where;
      EXPECT_TRUE(same_bits(got.dq, expected.dq)) << "dq, " << where;
      EXPECT_TRUE(same_bits(got.dk, expected.dk)) << "dk, " << where;
      EXPECT_TRUE(same_bits(got.dv, expected.dv)) << "dv, " << where;
    }
  }
}

TEST(LabOps, LinearHeadIsItsScalarDefinitionBitForBit) {
  expect_linear_head_matches_scalar_definition<float>();
  expect_linear_head_matches_scalar_definition<double>();
}

}  // namespace
}  // namespace attnrank::lab
