// Linear attention (Katharopoulos et al. 2020; Performer, Choromanski et al. 2021):
// A = D^{-1} (M o phi(Q') phi(K')^T), D = diag of row sums, M the 0/1 mask, with the scaled inputs
// Q' = c Q, K' = c K, c = sqrt(s) / d^(1/4), so that Q' K'^T = s Q K^T / sqrt(d) as in softmax attention
// (s >= 0 required). Feature maps: elu1 (elu(x) + 1), relu, exp (elementwise), favor (Performer positive
// random features exp(w_r . x - |x|^2 / 2) / sqrt(m), w_r ~ N(0, I_d) from the seeded Rng). Per-row and
// global stabilising shifts of the exp maps cancel in D^{-1}. A row summing to 0 is kNumericalFailure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "attnrank/base/glossary.h"

namespace attnrank {

enum class FeatureMap { kElu1, kRelu, kExp, kFavor };

struct LinearSpec {
  FeatureMap feature = FeatureMap::kElu1;
  int features = 64;           // m, only for kFavor
  std::uint64_t seed = 0;      // draws the favor projection; independent stream from the inputs
};

FeatureMap parse_feature_map(const std::string& name);  // "elu1", "relu", "exp", "favor"
const char* feature_map_name(FeatureMap map);
std::vector<std::string> feature_map_names();

// The favor projection is drawn from Rng(seed ^ kFavorSeedSalt), so for one seed it is not a replay
// of the input stream (inputs use Rng(seed)). The salt is "FAVOR" in ASCII.
inline constexpr std::uint64_t kFavorSeedSalt = 0x4641564F52ULL;

// W: (m, d), row r = w_r ~ N(0, I_d), drawn row-major by Rng::next_normal. Validates m and d.
MatrixXd favor_projection(int m, int d, std::uint64_t seed);

// Feature dimension: d for elementwise maps, m for favor (the rank bound of the bidirectional case).
int feature_dimension(const LinearSpec& spec, int d);

// A: (n, n), rows sum to 1; throws kNumericalFailure "row i of linear attention sums to 0 (...)".
MatrixXd linear_attention(const MatrixXd& q, const MatrixXd& k, double scale, const Mask& mask,
                          const LinearSpec& spec);

// Bidirectional (all-ones mask) linear attention as two factors, A = left * right^T, without the
// n_q x n_k matrix (rank A <= f). left = D^{-1} Phi_Q C and right = Phi_K C^{-1}, C = diag of the column
// sums c_r of Phi_K: the same product as D^{-1} Phi_Q Phi_K^T, but every row of left and every live
// column of right sums to 1, so both are free of the features' scale (entries in [0, 1]) and A's rows
// sum to 1 by construction. left (n_q, f), right (n_k, f), f = feature_dimension(spec, d). Same
// validation and errors as linear_attention with an all-ones mask, including the zero row sum.
struct LinearAttentionFactors {
  MatrixXd left;
  MatrixXd right;
};
LinearAttentionFactors bidirectional_linear_factors(const MatrixXd& q, const MatrixXd& k, double scale,
                                                    const LinearSpec& spec);

}  // namespace attnrank
