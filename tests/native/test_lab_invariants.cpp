// Section 5's learned-matrix invariants (src/core/lab/invariants.h), which the trainer checks at every
// checkpoint: the checks themselves refuse each kind of violation with a named error (an entry outside the
// mask, a causal head's zero diagonal, a bidirectional linear head's f64 rank above h, a permutation error
// above the tolerance), and trained runs of every mask family hold them, checked here again independently
// of the engine (exact zeros outside the mask, positive diagonal, rank <= h, and = h so the bound is met
// exactly, permutation error).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "lab/invariants.h"
#include "attnrank/lab/trainer.h"
#include "lab_test_runs.h"
#include "test_support.h"

namespace attnrank::lab {
namespace {

using test::copy_run;
using test::expect_error;
using test::mask_spec;

// A row-stochastic matrix with the mask's zeros: row i spreads 1 evenly over its allowed entries.
MatrixXd even_attention(const MaskSpec& spec, int n) {
  const Mask mask = build_mask(spec, n);
  MatrixXd a = MatrixXd::Zero(n, n);
  for (int i = 0; i < n; ++i) {
    const double allowed = mask.row(i).cast<double>().sum();
    for (int j = 0; j < n; ++j)
      if (mask(i, j)) a(i, j) = 1.0 / allowed;
  }
  return a;
}

const std::string kPrefix = "learned-matrix invariant violated at here: ";

TEST(LabInvariants, EachViolationIsANamedError) {
  const int n = 5;
  for (PatternKind kind : {PatternKind::kForward, PatternKind::kBackward, PatternKind::kPrefix,
                           PatternKind::kBidirectional, PatternKind::kForwardWindow}) {
    const MaskSpec spec = mask_spec(kind, 2, 2);
    check_head_invariants(even_attention(spec, n), spec, false, -1, 2, "here");  // holds
  }
  const MaskSpec forward = mask_spec(PatternKind::kForward);
  MatrixXd a = even_attention(forward, n);
  a(1, 3) = 1e-300;  // small is not zero
  expect_error([&] { check_head_invariants(a, forward, false, -1, 2, "here"); }, ErrorCode::kNumericalFailure,
               kPrefix + "A(1, 3)=1e-300 is outside the forward mask (expected exactly 0)");
  a = even_attention(forward, n);
  a(2, 2) = 0;
  expect_error([&] { check_head_invariants(a, forward, false, -1, 2, "here"); }, ErrorCode::kNumericalFailure,
               kPrefix + "diagonal A(2, 2)=0 of a causal head is not > 0");
  const MaskSpec backward = mask_spec(PatternKind::kBackward);
  a = even_attention(backward, n);
  a(3, 1) = 0.5;
  expect_error([&] { check_head_invariants(a, backward, false, -1, 2, "here"); }, ErrorCode::kNumericalFailure,
               kPrefix + "A(3, 1)=0.5 is outside the backward mask (expected exactly 0)");
  a = even_attention(backward, n);
  a(4, 4) = -1e-300;
  expect_error([&] { check_head_invariants(a, backward, false, -1, 2, "here"); }, ErrorCode::kNumericalFailure,
               kPrefix + "diagonal A(4, 4)=-1e-300 of a causal head is not > 0");
  const MaskSpec prefix = mask_spec(PatternKind::kPrefix, 2);
  a = even_attention(prefix, n);
  a(2, 3) = 0.1;
  expect_error([&] { check_head_invariants(a, prefix, false, -1, 2, "here"); }, ErrorCode::kNumericalFailure,
               kPrefix + "A(2, 3)=0.1 is outside the prefix mask (expected exactly 0)");
  // The rank bound: h passes, h + 1 fails.
  const MaskSpec bidirectional = mask_spec(PatternKind::kBidirectional);
  a = even_attention(bidirectional, n);
  check_head_invariants(a, bidirectional, true, 2, 2, "here");
  expect_error([&] { check_head_invariants(a, bidirectional, true, 3, 2, "here"); }, ErrorCode::kNumericalFailure,
               kPrefix + "numerical rank 3 (f64 tolerance) of a bidirectional linear head exceeds its head size h=2");
}

TEST(LabInvariants, CheckpointChecksEveryHeadAndThePermutationError) {
  RunConfig run = copy_run(PatternKind::kBidirectional, HeadKind::kLinear, 1);
  run.model.kinds[1] = {HeadKind::kSoftmax, HeadKind::kSoftmax};
  Checkpoint checkpoint;
  checkpoint.step = 7;
  for (int l = 0; l < 2; ++l)
    for (int h = 0; h < 2; ++h) {
      HeadCheckpoint head;
      head.layer = l;
      head.head = h;
      head.attention = even_attention(mask_spec(PatternKind::kBidirectional), 13);
      if (l == 0) head.recomputed_rank_f64 = 16;  // h = 32 / 2
      checkpoint.heads.push_back(head);
    }
  checkpoint.permutation_error = kPermutationTolerance;
  check_checkpoint_invariants(run.model, checkpoint);
  checkpoint.heads[1].recomputed_rank_f64 = 17;
  expect_error([&] { check_checkpoint_invariants(run.model, checkpoint); }, ErrorCode::kNumericalFailure,
               "learned-matrix invariant violated at step 7, layer 0 head 1 (bidirectional linear): numerical rank 17 "
               "(f64 tolerance) of a bidirectional linear head exceeds its head size h=16");
  checkpoint.heads[1].recomputed_rank_f64.reset();
  expect_error([&] { check_checkpoint_invariants(run.model, checkpoint); }, ErrorCode::kNumericalFailure,
               "learned-matrix invariant violated at step 7, layer 0 head 1 (bidirectional linear): the head's f64 "
               "rank was not computed");
  checkpoint.heads[1].recomputed_rank_f64 = 16;
  checkpoint.heads[3].attention(0, 0) = 0;  // a bidirectional softmax head: no diagonal claim
  check_checkpoint_invariants(run.model, checkpoint);
  checkpoint.permutation_error = 2 * kPermutationTolerance;
  expect_error([&] { check_checkpoint_invariants(run.model, checkpoint); }, ErrorCode::kNumericalFailure,
               "learned-matrix invariant violated at step 7: permutation_error=0.0002 of a model without positions "
               "and with every head bidirectional exceeds 0.0001 (it must be equivariant)");
}

// Trained runs of every family, all checkpoints (the trainer has checked each; checked again here from the
// matrices): every head exact zeros outside its mask; causal heads a positive diagonal (structurally full
// rank); bidirectional linear heads f64 rank = h exactly (h = 4 < n = 13: a real constraint) while their
// float matrix at f64 tolerance shows rounding noise as rank (why the engine recomputes in double).
TEST(LabInvariants, TrainedRunsOfEveryFamilyHoldThem) {
  struct Family {
    PatternKind kind;
    HeadKind head_kind;
  };
  const Family families[] = {{PatternKind::kForward, HeadKind::kSoftmax},       {PatternKind::kForward, HeadKind::kLinear},
                             {PatternKind::kBackward, HeadKind::kSoftmax},      {PatternKind::kBackward, HeadKind::kLinear},
                             {PatternKind::kForwardWindow, HeadKind::kSoftmax}, {PatternKind::kPrefix, HeadKind::kSoftmax},
                             {PatternKind::kBidirectional, HeadKind::kLinear},  {PatternKind::kBidirectional, HeadKind::kSoftmax}};
  const int n = 13, h = 4;
  for (const Family& family : families) {
    RunConfig run = copy_run(family.kind, family.head_kind, 30);
    if (family.kind == PatternKind::kForwardWindow) run.model = uniform_model_config(8, n, 32, 2, 2, mask_spec(family.kind, 0, 3), family.head_kind);
    run.model.width = 8;
    run.checkpoint_interval = 10;
    Trainer trainer(run, nullptr);
    while (!trainer.is_done()) trainer.step();
    ASSERT_EQ(trainer.checkpoints().size(), 4u);
    const MaskSpec& spec = run.model.masks[0][0];
    const Mask mask = build_mask(spec, n);
    for (const Checkpoint& checkpoint : trainer.checkpoints())
      for (const HeadCheckpoint& head : checkpoint.heads) {
        SCOPED_TRACE(::testing::Message() << pattern_name(family.kind) << " "
                                          << (family.head_kind == HeadKind::kSoftmax ? "softmax" : "linear") << " step "
                                          << checkpoint.step << " layer " << head.layer << " head " << head.head);
        const MatrixXd& a = head.attention;
        for (int i = 0; i < n; ++i)
          for (int j = 0; j < n; ++j)
            if (!mask(i, j)) {
              ASSERT_EQ(a(i, j), 0.0) << i << "," << j;
            }
        if (is_triangular(family.kind)) {
          for (int i = 0; i < n; ++i) ASSERT_GT(a(i, i), 0.0) << i;
          EXPECT_TRUE(head.stats.structurally_full_rank);
        }
        const bool bound = family.kind == PatternKind::kBidirectional && family.head_kind == HeadKind::kLinear;
        ASSERT_EQ(head.recomputed_rank_f64.has_value(), bound);
        if (bound) {
          EXPECT_EQ(*head.recomputed_rank_f64, h);
          EXPECT_GT(head.stats.numerical_rank_f64.value_or(0), h);  // the float matrix's noise
        }
      }
  }
}

// Section 5's third invariant, at every checkpoint: without positions and with every head bidirectional
// (softmax and linear here), permuting the probe permutes its logits, up to the float rounding of sums
// taken in another order; the same measure on a model with learned positions is large, so it can fail.
TEST(LabInvariants, NoPositionsBidirectionalRunsStayPermutationEquivariant) {
  RunConfig run = copy_run(PatternKind::kBidirectional, HeadKind::kSoftmax, 30);
  run.model.positions = Positions::kNone;
  run.model.kinds[1] = {HeadKind::kLinear, HeadKind::kSoftmax};
  run.checkpoint_interval = 10;
  Trainer trainer(run, nullptr);
  while (!trainer.is_done()) trainer.step();
  ASSERT_EQ(trainer.checkpoints().size(), 4u);
  for (const Checkpoint& checkpoint : trainer.checkpoints()) {
    ASSERT_TRUE(checkpoint.permutation_error.has_value()) << checkpoint.step;
    std::printf("  step %d: permutation error %.1e\n", checkpoint.step, *checkpoint.permutation_error);
    EXPECT_LE(*checkpoint.permutation_error, 1e-5) << checkpoint.step;  // float rounding: seen <= 1e-6
  }
  // With positions (or any causal head) the check is not made, and the measure does see the difference.
  RunConfig learned = copy_run(PatternKind::kBidirectional, HeadKind::kSoftmax, 30);
  learned.checkpoint_interval = 10;
  Trainer positioned(learned, nullptr);
  while (!positioned.is_done()) positioned.step();
  EXPECT_FALSE(positioned.last_checkpoint().permutation_error.has_value());
  const std::vector<int> tokens = positioned.probe_tokens(), targets(tokens.size(), 0);
  std::vector<int> reversed(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) reversed[i] = static_cast<int>(tokens.size() - 1 - i);
  EXPECT_GT(permutation_error(positioned.model(), tokens.data(), targets.data(), reversed), 1e-2);
  expect_error([&] { permutation_error(positioned.model(), tokens.data(), targets.data(), {0, 0}); },
               ErrorCode::kInvalidArgument, "perm has 2 entries, expected n=13");
}

}  // namespace
}  // namespace attnrank::lab
