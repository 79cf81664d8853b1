// The lab's counter-based random stream: every random choice of a task (which window, which positions to
// mask, which symbols) is a pure function of the tuple (seed, run, domain, step, example, draw index),
// hashed by SplitMix64's finaliser (Steele, Lea & Flood 2014), integer-only. So example e of step s is
// the same whatever the batch size around it, the number of workers or the order runs are stepped in,
// natively and in wasm. Domains separate the training data from the held-out and probe data (a disjoint
// key of the same stream). Not here: what a draw means (tasks.h), the model's init (rng.h).
#pragma once

#include <cstdint>

namespace attnrank::lab {

enum class StreamDomain : std::uint64_t { kTrain = 1, kHeldOut = 2, kProbe = 3 };

struct StreamKey {
  std::uint64_t seed = 0;
  std::uint64_t run = 0;
  StreamDomain domain = StreamDomain::kTrain;
  std::uint64_t step = 0;
  std::uint64_t example = 0;
};

// SplitMix64's output function: a bijection of 64-bit words with full avalanche.
std::uint64_t splitmix64_mix(std::uint64_t x);

class CounterStream {
 public:
  explicit CounterStream(const StreamKey& key);
  // Draw number i of this key: mix(base + (i + 1) * golden gamma); no state beyond the counter.
  std::uint64_t next_u64();
  // Uniform on [0, bound), bound >= 1, by rejection of the top partial block (unbiased, integer-only).
  int below(int bound);

 private:
  std::uint64_t base_;
  std::uint64_t counter_ = 0;
};

}  // namespace attnrank::lab
