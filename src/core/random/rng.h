// The project's own seeded generator: xoshiro256** seeded through SplitMix64 (integer-only), with a
// uniform and a normal transform built from IEEE basic operations and our own deterministic log
// (det_math.h), so one seed gives bit-identical numbers natively and in wasm. No std::*_distribution,
// no Eigen::Random, no libm transcendental call: their results differ across standard libraries.
#pragma once

#include <cstddef>
#include <cstdint>

namespace attnrank {

class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  std::uint64_t next_u64();
  // Uniform on the open interval (0, 1): (k + 0.5) * 2^-52 for k = the top 52 bits of next_u64(),
  // which is exact. (With 53 bits k + 0.5 would need 54 bits and k = 2^53 - 1 would round to 1.0.)
  double next_uniform();
  // Standard normal N(0, 1) by Marsaglia's polar method (rejection, sqrt, det_log).
  double next_normal();
  // out[0 .. count - 1] = count successive next_normal() values, the same bits in the same order, the
  // state (spare included) left as those calls leave it; faster (rng.cpp says how).
  void fill_normal(double* out, std::size_t count);

 private:
  std::uint64_t state_[4];
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

}  // namespace attnrank
