// Permutation equivariance of one attention layer (see permutation.h).
#include "attnrank/experiments/permutation.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "attention/attention.h"
#include "attnrank/base/errors.h"
#include "attnrank/base/param_ranges.h"
#include "random/random_weights.h"
#include "random/rng.h"

namespace attnrank {
namespace {

MatrixXd attention_layer(const MatrixXd& x, const MatrixXd& w_q, const MatrixXd& w_k, const MatrixXd& w_v,
                         double scale, const Mask& mask) {
  return masked_softmax(unscaled_logits(MatrixXd(x * w_q), MatrixXd(x * w_k)), scale, mask) * (x * w_v);
}

MatrixXd permute_rows(const MatrixXd& x, const std::vector<int>& permutation) {
  MatrixXd y(x.rows(), x.cols());
  for (std::size_t i = 0; i < permutation.size(); ++i) y.row(static_cast<Eigen::Index>(i)) = x.row(permutation[i]);
  return y;
}

}  // namespace

std::vector<int> seeded_permutation(int n, std::uint64_t seed) {
  std::vector<int> p(static_cast<std::size_t>(n));
  std::iota(p.begin(), p.end(), 0);
  Rng rng(derive_stream_seed(seed, kPermutationStream));
  for (int i = n - 1; i > 0; --i) {
    // j uniform in [0, i] from the top bits (bias ~ i / 2^64: irrelevant here, and integer-only).
    const int j = static_cast<int>(rng.next_u64() % static_cast<std::uint64_t>(i + 1));
    std::swap(p[static_cast<std::size_t>(i)], p[static_cast<std::size_t>(j)]);
  }
  bool is_identity = true;
  for (int i = 0; i < n; ++i) is_identity = is_identity && p[static_cast<std::size_t>(i)] == i;
  if (is_identity && n > 1) {
    for (int i = 0; i < n; ++i) p[static_cast<std::size_t>(i)] = (i + 1) % n;
  }
  return p;
}

PermutationResult run_permutation_test(const PermutationConfig& c) {
  require_in_range(kTokensRange.name, c.n, kTokensRange.min, kTokensRange.max);
  require_in_range(kModelDimRange.name, c.d_model, kModelDimRange.min, kModelDimRange.max);
  require_finite("scale", c.scale);
  if (c.seed > static_cast<std::uint64_t>(kSeedRange.max)) {
    fail(ErrorCode::kInvalidArgument, kSeedRange.name,
         message(kSeedRange.name, "=", c.seed, " must be in [", kSeedRange.min, ", ", kSeedRange.max, "]"));
  }
  if (static_cast<long long>(c.n) * std::max(c.n, c.d_model) > kMaxActivationEntries ||
      static_cast<long long>(c.d_model) * c.d_model > kMaxActivationEntries) {
    fail(ErrorCode::kTooLarge, "n", message("n=", c.n, ", d_model=", c.d_model, " exceed the matrix size limit of ",
                                            kMaxActivationEntries, " entries"));
  }
  require_permutation_within_budget(c);  // before any allocation of the test
  const Mask mask = build_mask(c.mask, c.n);
  const double sd = 1.0 / std::sqrt(static_cast<double>(c.d_model));
  const std::uint64_t base = kLayerStreamBase + kStreamsPerLayer * 1;  // collapse.h's layer 1
  const MatrixXd x = normal_matrix(c.n, c.d_model, 1.0, c.seed, kInputStream);
  const MatrixXd w_q = normal_matrix(c.d_model, c.d_model, sd, c.seed, base + kQueryWeights);
  const MatrixXd w_k = normal_matrix(c.d_model, c.d_model, sd, c.seed, base + kKeyWeights);
  const MatrixXd w_v = normal_matrix(c.d_model, c.d_model, sd, c.seed, base + kValueWeights);

  PermutationResult out;
  out.permutation = seeded_permutation(c.n, c.seed);
  const MatrixXd y = attention_layer(x, w_q, w_k, w_v, c.scale, mask);
  const MatrixXd y_of_permuted = attention_layer(permute_rows(x, out.permutation), w_q, w_k, w_v, c.scale, mask);
  out.max_deviation = (y_of_permuted - permute_rows(y, out.permutation)).cwiseAbs().maxCoeff();
  const double largest = y.cwiseAbs().maxCoeff();
  out.relative_deviation = largest > 0 ? out.max_deviation / largest : 0.0;
  out.is_equivariant = out.relative_deviation <= kEquivarianceTolerance;
  return out;
}

// ---- Memory: the peak estimate of one request (docs/memory.md) and the budget check run before any
// allocation. The counts follow this file's code paths.

namespace {

double permutation_bytes(const PermutationConfig& c) {
  const double n = c.n, width = c.d_model;
  // The second attention layer's expression: X, W_Q, W_K, W_V, f(X), P X, P X W_Q, P X W_K, the logits and
  // the softmax (n, n), P X W_V and the product; the deviation's f(P X) - P f(X) and P f(X); and the mask.
  // One n^2 more: the first layer's freed logits and softmax leave holes the second layer's do not fit
  // (issue 16 item 7: the wasm heap's high-water mark was 3.1 n^2 doubles at n = 512, d_model = 8, and
  // natively the deviation's two n x d_model matrices were missing at d_model = 512).
  return (3.0 * width * width + 9.0 * n * width + 3.0 * n * n) * kDoubleBytes + n * n * kByteBytes + kOverheadBytes;
}

}  // namespace

std::int64_t estimate_permutation_bytes(const PermutationConfig& config) { return to_estimate_bytes(permutation_bytes(config)); }

void require_permutation_within_budget(const PermutationConfig& c) {
  require_within_budget(message("permutation n=", c.n, ", d_model=", c.d_model), estimate_permutation_bytes(c),
                        c.memory_budget_mib, "lower n or d_model");
}

}  // namespace attnrank
