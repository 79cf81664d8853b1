// The lab's test runs, shared by test_lab_trainer.cpp, test_lab_invariants.cpp and test_lab_learning.cpp:
// a copy task small enough for a unit test (copy_run) and the FNV-1a hash of a model's float weights
// (weights_hash, the pinned hashes the wasm run must reproduce). Header-only.
#pragma once

#include <cstdint>

#include "attnrank/lab/trainer.h"
#include "test_support.h"

namespace attnrank::test {

inline std::uint64_t weights_hash(const lab::Model<float>& model) {
  constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
  constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;
  std::uint64_t hash = kFnvOffset;
  const auto* bytes = reinterpret_cast<const unsigned char*>(model.parameters().data());
  for (std::size_t i = 0; i < model.parameters().size() * sizeof(float); ++i) hash = (hash ^ bytes[i]) * kFnvPrime;
  return hash;
}

// Copy: strings of 2..6 over 6 symbols, n = 13, V = 8; D 32, H 2, L 2, every head (kind, head_kind),
// prefix heads p = 7 (input and SEP); seed 5, batch 8, lr 3e-3, one checkpoint at the end.
inline lab::RunConfig copy_run(PatternKind kind, lab::HeadKind head_kind, int steps) {
  lab::RunConfig run;
  run.task = lab::TaskConfig{lab::TaskKind::kCopy, 13, 6, 2, 6};
  const int p = kind == PatternKind::kPrefix ? 7 : 0;
  run.model = lab::uniform_model_config(8, 13, 32, 2, 2, mask_spec(kind, p), head_kind);
  run.seed = 5;
  run.steps = steps;
  run.batch = 8;
  run.optimizer.learning_rate = 3e-3;
  run.checkpoint_interval = steps;
  run.heldout_batches = 2;
  return run;
}

}  // namespace attnrank::test
