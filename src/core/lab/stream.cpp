// The lab's counter-based stream (see stream.h).
#include "attnrank/lab/stream.h"

#include "attnrank/base/errors.h"

namespace attnrank::lab {
namespace {
constexpr std::uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ULL;  // SplitMix64's increment
}  // namespace

std::uint64_t splitmix64_mix(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

CounterStream::CounterStream(const StreamKey& key) {
  // Each field is absorbed by one mix of (state + gamma) ^ field: distinct tuples give unrelated bases.
  std::uint64_t h = splitmix64_mix(key.seed + kGoldenGamma);
  h = splitmix64_mix((h + kGoldenGamma) ^ key.run);
  h = splitmix64_mix((h + kGoldenGamma) ^ static_cast<std::uint64_t>(key.domain));
  h = splitmix64_mix((h + kGoldenGamma) ^ key.step);
  h = splitmix64_mix((h + kGoldenGamma) ^ key.example);
  base_ = h;
}

std::uint64_t CounterStream::next_u64() {
  ++counter_;
  return splitmix64_mix(base_ + counter_ * kGoldenGamma);
}

int CounterStream::below(int bound) {
  if (bound < 1) fail(ErrorCode::kInvalidArgument, "bound", message("bound=", bound, " must be >= 1"));
  const std::uint64_t b = static_cast<std::uint64_t>(bound);
  const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % b + 1) % b;  // largest multiple of b - 1
  std::uint64_t x = next_u64();
  while (x > limit) x = next_u64();
  return static_cast<int>(x % b);
}

}  // namespace attnrank::lab
