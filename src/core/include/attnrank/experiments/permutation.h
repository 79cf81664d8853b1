// Permutation test (claims.md C16, FAQ Q8 of Su's post 9529): one attention layer without positional
// encoding, Y = f(X) = A(X) X W_V with A(X) = masked softmax of s (X W_Q)(X W_K)^T / sqrt(d_k). For a
// permutation matrix P, a bidirectional layer is permutation-equivariant: f(P X) = P f(X) exactly (up
// to rounding), so it cannot see token order; a causal (or any position-dependent) mask breaks this.
// Reported: max_ij |f(P X) - P f(X)|, absolute and relative to max |f(X)|. Leaves out: RoPE and other
// positional encodings (which break equivariance on their own), multi-layer stacks.
// Weights and X_0 as collapse.h layer 1 (same seed, same streams); P is a seeded Fisher-Yates shuffle
// (stream kPermutationStream), replaced by the cyclic shift i -> i + 1 if it comes out as the identity.
#pragma once

#include <cstdint>
#include <vector>

#include "attnrank/attention/masks.h"
#include "attnrank/base/glossary.h"
#include "attnrank/base/memory_estimate.h"

namespace attnrank {

struct PermutationConfig {
  MaskSpec mask;  // any fixed pattern (not custom)
  int n = 64;
  int d_model = 8;
  double scale = 1.0;
  std::uint64_t seed = 0;
  int memory_budget_mib = kDefaultMemoryBudgetMiB;  // kTooLarge when the peak estimate exceeds it
};

struct PermutationResult {
  std::vector<int> permutation;  // (P X) row i = X row permutation[i]
  double max_deviation = 0.0;    // max |f(P X) - P f(X)|
  double relative_deviation = 0.0;  // max_deviation / max |f(X)| (0 when f(X) = 0)
  // relative_deviation <= kEquivarianceTolerance: rounding only.
  bool is_equivariant = false;
};

// Rounding of a few matrix products and a softmax at n <= 4096 stays far below this (measured ~1e-16
// bidirectional); a position-dependent mask changes outputs at the 1e-2 .. 1 level.
inline constexpr double kEquivarianceTolerance = 1e-12;

std::vector<int> seeded_permutation(int n, std::uint64_t seed);
PermutationResult run_permutation_test(const PermutationConfig& config);

// Peak heap bytes of one run_permutation_test() request (config validated), and the check run_permutation_test() runs after validation,
// before allocating (kTooLarge over config.memory_budget_mib; docs/memory.md).
std::int64_t estimate_permutation_bytes(const PermutationConfig& config);
void require_permutation_within_budget(const PermutationConfig& config);

}  // namespace attnrank
