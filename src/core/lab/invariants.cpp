// Section 5's learned-matrix invariants (see invariants.h).
#include "invariants.h"

#include "attnrank/base/errors.h"
#include "attnrank/base/pattern_registry.h"
#include "attnrank/lab/trainer.h"

namespace attnrank::lab {
namespace {

// No single parameter causes a violation (it is the trained weights' doing, or a kernel's bug): param "".
[[noreturn]] void violated(const std::string& where, const std::string& what) {
  fail(ErrorCode::kNumericalFailure, message("learned-matrix invariant violated at ", where, ": ", what));
}

}  // namespace

bool has_rank_bound(const ModelConfig& config, int layer, int head) {
  return config.masks[layer][head].kind == PatternKind::kBidirectional && config.kinds[layer][head] == HeadKind::kLinear;
}

void check_head_invariants(const MatrixXd& attention, const MaskSpec& spec, bool has_rank_bound,
                           int recomputed_rank_f64, int head_size, const std::string& where) {
  const int n = static_cast<int>(attention.rows());
  const Mask mask = build_mask(spec, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      if (mask(i, j) == 0 && attention(i, j) != 0.0) {
        violated(where, message("A(", i, ", ", j, ")=", attention(i, j), " is outside the ", pattern_name(spec.kind),
                                " mask (expected exactly 0)"));
      }
  if (is_triangular(spec.kind)) {
    for (int i = 0; i < n; ++i)
      if (!(attention(i, i) > 0.0)) {
        violated(where, message("diagonal A(", i, ", ", i, ")=", attention(i, i), " of a causal head is not > 0"));
      }
  }
  if (has_rank_bound && recomputed_rank_f64 > head_size) {
    violated(where, message("numerical rank ", recomputed_rank_f64, " (f64 tolerance) of a bidirectional linear head ",
                            "exceeds its head size h=", head_size));
  }
}

void check_checkpoint_invariants(const ModelConfig& config, const Checkpoint& checkpoint) {
  const int head_size = config.width / config.heads;
  for (const HeadCheckpoint& head : checkpoint.heads) {
    const bool bound = has_rank_bound(config, head.layer, head.head);
    const MaskSpec& spec = config.masks[head.layer][head.head];
    const std::string where =
        message("step ", checkpoint.step, ", layer ", head.layer, " head ", head.head, " (", pattern_name(spec.kind),
                config.kinds[head.layer][head.head] == HeadKind::kSoftmax ? " softmax)" : " linear)");
    if (bound && !head.recomputed_rank_f64) violated(where, "the head's f64 rank was not computed");
    check_head_invariants(head.attention, spec, bound, head.recomputed_rank_f64.value_or(-1), head_size, where);
  }
  if (checkpoint.permutation_error && !(*checkpoint.permutation_error <= kPermutationTolerance)) {
    violated(message("step ", checkpoint.step),
             message("permutation_error=", *checkpoint.permutation_error, " of a model without positions and with ",
                     "every head bidirectional exceeds ", kPermutationTolerance, " (it must be equivariant)"));
  }
}

}  // namespace attnrank::lab
