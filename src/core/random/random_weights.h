// Seeded random weights for the depth, head and permutation experiments: independent deterministic
// streams derived from one user seed, so a layer's W_Q does not depend on how many numbers earlier
// layers drew. Each stream is Rng(derive_stream_seed(seed, stream)); entries are N(0, stddev^2) filled
// row-major. Integer-only derivation, so native and wasm draw the same bits.
#pragma once

#include <cstdint>

#include "attnrank/base/glossary.h"

namespace attnrank {

// SplitMix64 finaliser of seed + (stream + 1) * golden ratio: distinct streams give unrelated seeds.
std::uint64_t derive_stream_seed(std::uint64_t seed, std::uint64_t stream);

// (rows, cols) matrix of N(0, stddev^2) entries from stream `stream` of `seed`, row-major draw order.
MatrixXd normal_matrix(int rows, int cols, double stddev, std::uint64_t seed, std::uint64_t stream);

// Stream numbers. Collapse layer l (1-based) uses kLayerStreamBase + kStreamsPerLayer * l + offset;
// heads of the mixture use kHeadStreamBase + kStreamsPerLayer * h + offset. X_0 uses kInputStream.
inline constexpr std::uint64_t kInputStream = 0;
inline constexpr std::uint64_t kPermutationStream = 1;
inline constexpr std::uint64_t kStreamsPerLayer = 8;
inline constexpr std::uint64_t kLayerStreamBase = 1000;
inline constexpr std::uint64_t kHeadStreamBase = 1000000;
enum WeightStream : std::uint64_t {
  kQueryWeights = 0, kKeyWeights = 1, kValueWeights = 2, kMlpIn = 3, kMlpOut = 4,
  kRandomQueries = 5, kRandomKeys = 6  // collapse.h's random path: Q_l, K_l drawn directly, not from X
};

}  // namespace attnrank
