// xoshiro256** 1.0 (Blackman & Vigna 2018, prng.di.unimi.it) seeded by SplitMix64 (Steele, Lea & Flood
// 2014), as the xoshiro authors recommend; integer-only, so bit-identical everywhere. The uniform and
// normal transforms use only exact or correctly rounded IEEE operations plus det_log (det_math.h; its inline
// det_log_normal, the same bits).
// Not cryptographic; no jump/long-jump (independent streams come from distinct seeds).
#include "random/rng.h"

#include <algorithm>
#include <cmath>

#include "base/det_math.h"

namespace attnrank {
namespace {

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// SplitMix64 step: advances *state and returns the next output.
std::uint64_t splitmix64(std::uint64_t* state) {
  std::uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// 2^-52: the uniform uses the top 52 bits, so (k + 0.5) * 2^-52 is exact and strictly inside (0, 1).
constexpr double kTwoPowMinus52 = 1.0 / 4503599627370496.0;

}  // namespace

Rng::Rng(std::uint64_t seed) {
  std::uint64_t sm = seed;
  for (auto& word : state_) word = splitmix64(&sm);  // never all zero (SplitMix64 is a bijection)
}

std::uint64_t Rng::next_u64() {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

double Rng::next_uniform() {
  // k < 2^52 so k + 0.5 needs 53 significant bits: exact. Range [2^-53, 1 - 2^-53].
  const std::uint64_t k = next_u64() >> 12;
  return (static_cast<double>(k) + 0.5) * kTwoPowMinus52;
}

double Rng::next_normal() {
  // Marsaglia & Bray (1964) polar method: (u, v) uniform in the unit disc, s = u^2 + v^2, then
  // u sqrt(-2 ln s / s) and v sqrt(-2 ln s / s) are independent N(0, 1). The second is cached.
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  double u = 0, v = 0, s = 0;
  do {
    u = 2.0 * next_uniform() - 1.0;  // exact: an odd multiple of 2^-52, never 0
    v = 2.0 * next_uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0);
  const double factor = std::sqrt(-2.0 * det_log_normal(s) / s);  // s in [2^-104, 1): normal
  spare_normal_ = v * factor;
  has_spare_normal_ = true;
  return u * factor;
}

void Rng::fill_normal(double* out, std::size_t count) {
  // next_normal()'s numbers in two passes over batches of pairs: first the accepted (u, v, s), each needing
  // only the integer generator and a few exact operations, then the transforms, which depend on nothing but
  // their own pair, so the processor overlaps their logs (det_log_normal: det_log's bits without its libc
  // frexp call), divisions and square roots instead of waiting for each in turn. The same operations on the
  // same values as next_normal(): the same bits, spare included.
  std::size_t i = 0;
  if (count > 0 && has_spare_normal_) {
    has_spare_normal_ = false;
    out[i++] = spare_normal_;
  }
  constexpr std::size_t kBatch = 64;
  double us[kBatch], vs[kBatch], ss[kBatch], factors[kBatch];
  while (i < count) {
    const std::size_t pairs = std::min(kBatch, (count - i + 1) / 2);
    for (std::size_t b = 0; b < pairs; ++b) {
      double u = 0, v = 0, s = 0;
      do {
        u = 2.0 * next_uniform() - 1.0;
        v = 2.0 * next_uniform() - 1.0;
        s = u * u + v * v;
      } while (s >= 1.0);
      us[b] = u;
      vs[b] = v;
      ss[b] = s;
    }
    // The factors in a loop of their own (no branch, det_log_normal inline: the compiler may put pairs in
    // vector lanes, each lane the scalar's operations), then the stores.
    for (std::size_t b = 0; b < pairs; ++b) factors[b] = std::sqrt(-2.0 * det_log_normal(ss[b]) / ss[b]);
    for (std::size_t b = 0; b < pairs; ++b) {
      const double factor = factors[b];
      out[i++] = us[b] * factor;
      if (i < count) {
        out[i++] = vs[b] * factor;
      } else {
        spare_normal_ = vs[b] * factor;
        has_spare_normal_ = true;
      }
    }
  }
}

}  // namespace attnrank
