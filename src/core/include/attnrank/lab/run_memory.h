// A lab run's memory (issue 15: "memory per run stated and budgeted"): the heap bytes a Trainer holds at
// its peak, counted from the sizes the model, the optimiser and the checkpoints allocate (model.cpp's
// resize_activations, trainer.cpp), so a run is refused before it allocates anything when the count is over
// its budget (RunConfig::memory_budget_mib; the CLI's --memory-limit, the wasm worker's budget). Counted:
//   weights     parameters and gradients (float) and AdamW's m and v: 16 bytes per parameter
//   activations every array of one forward and backward at the run's batch (float), the attention
//               workspace, the kernels' transpose and panel scratch, the batch's tokens and targets
//   probe_f64   the double model that recomputes bidirectional linear heads' ranks (invariants.h):
//               parameters, gradients and activations of one sequence in double; 0 without such heads
//   checkpoints every checkpoint's (n, n) double attention matrix per head and its spectrum, kept for the
//               whole run (steps / checkpoint_interval + 2 of them), and one SVD's working copies
// Not counted: the corpus (the caller's, shared by its runs), save() and dump_files() results (made on
// request, the size of the weights), the records the caller formats. tests/native/test_lab_memory.cpp
// checks the count against the allocator's measured peak.
#pragma once

#include <cstdint>

#include "attnrank/lab/trainer.h"

namespace attnrank::lab {

struct RunMemory {
  double weights = 0;
  double activations = 0;
  double probe_f64 = 0;
  double checkpoints = 0;
  double total() const { return weights + activations + probe_f64 + checkpoints; }
};

// Bytes of each part for a valid config (validated by the caller: kInvalidArgument otherwise).
RunMemory count_run_memory(const RunConfig& config);
// The estimate the budget is checked against: the count plus the core's fixed slack, times its
// fragmentation margin (memory_estimate.h's to_estimate_bytes).
std::int64_t estimate_run_bytes(const RunConfig& config);
// Throws kTooLarge "train needs ~E MiB, over the memory budget of B MiB: ..." naming as its param the
// size behind the largest part (batch for activations, width for weights and the f64 probe,
// checkpoint_interval for the checkpoints); kInvalidArgument for a budget outside kMemoryBudgetRange.
void check_run_memory(const RunConfig& config);

}  // namespace attnrank::lab
