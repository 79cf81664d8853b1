// Stream derivation and seeded normal matrices (see random_weights.h).
#include "random/random_weights.h"

#include "random/rng.h"

namespace attnrank {

std::uint64_t derive_stream_seed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t z = seed + (stream + 1) * 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

MatrixXd normal_matrix(int rows, int cols, double stddev, std::uint64_t seed, std::uint64_t stream) {
  Rng rng(derive_stream_seed(seed, stream));
  MatrixXd x(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) x(i, j) = stddev * rng.next_normal();
  return x;
}

}  // namespace attnrank
