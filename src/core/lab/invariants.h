// Section 5's learned-matrix invariants (design-lab.md), checked by the trainer at every checkpoint on
// the probe sequence's attention matrices; a violation is kNumericalFailure naming the step, the layer,
// the head and the entry or value, never a silent record:
//   every head      exact zeros outside its mask (the core's mask semantics: a masked entry is 0, not small)
//   causal heads    (triangular patterns: forward, backward, forward_window; softmax or linear) every
//                   diagonal entry > 0, so the matrix is triangular with a positive diagonal (det > 0)
//   bidirectional   numerical rank <= h (the head size) at f64 tolerance, of the head's attention
//   linear heads    recomputed in double from the float weights (HeadCheckpoint::recomputed_rank_f64): the
//                   float matrix's rounding noise (~1e-8 s_1) sits above f64's tolerance s_1 n 2^-52
//   no positions,   permutation_error (trainer.h) <= kPermutationTolerance
//   all heads bidirectional
// Not here: computing the matrices (trainer.cpp), the statistics (rank_stats.h).
#pragma once

#include <string>

#include "attnrank/attention/masks.h"
#include "attnrank/base/glossary.h"
#include "attnrank/lab/model.h"

namespace attnrank::lab {

struct Checkpoint;

// The float model's permutation error relative to its largest logit: rounding of sums taken in another
// order, seen 7e-8..1.6e-7 (D 32..64, n 13..64); a model that is not equivariant gives > 1e-2.
inline constexpr double kPermutationTolerance = 1e-4;

// Does the head (layer, head) of config carry the rank bound? Bidirectional mask and linear attention.
bool has_rank_bound(const ModelConfig& config, int layer, int head);

// The checks above for one head's (n, n) attention matrix; `where` names it in the message ("step 40,
// layer 1 head 0 (forward softmax)"). recomputed_rank_f64 < 0: no rank check.
void check_head_invariants(const MatrixXd& attention, const MaskSpec& spec, bool has_rank_bound,
                           int recomputed_rank_f64, int head_size, const std::string& where);

// Every head of the checkpoint (heads in layer-major order, as the trainer records them) and its
// permutation_error when present.
void check_checkpoint_invariants(const ModelConfig& config, const Checkpoint& checkpoint);

}  // namespace attnrank::lab
