// Forward/backward head mixture and the split head (see mixture.h).
#include "attnrank/experiments/mixture.h"

#include <algorithm>
#include <cmath>

#include "attention/attention.h"
#include "attnrank/attention/masks.h"
#include "attnrank/base/errors.h"
#include "attnrank/base/param_ranges.h"
#include "linalg/spectrum.h"
#include "random/random_weights.h"

namespace attnrank {

RectangularStats compute_rectangular_stats(const MatrixXd& y) {
  RectangularStats stats;
  if (!y.allFinite()) fail(ErrorCode::kNumericalFailure, "y", "matrix holds NaN or infinity");
  stats.singular_values = singular_values(y);  // the project's one spectrum (spectrum.h), rectangular too
  const int size = static_cast<int>(std::max(y.rows(), y.cols()));
  stats.numerical_rank = numerical_rank(stats.singular_values, size, precision_epsilon(Precision::F64));
  stats.effective_rank = effective_rank(stats.singular_values);
  stats.stable_rank = stable_rank(stats.singular_values);
  return stats;
}

void validate(const MixtureConfig& c) {
  require_in_range(kTokensRange.name, c.n, kTokensRange.min, kTokensRange.max);
  require_in_range(kModelDimRange.name, c.d_model, kModelDimRange.min, kModelDimRange.max);
  require_in_range(kHeadsRange.name, c.heads, kHeadsRange.min, kHeadsRange.max);
  if (c.heads % 2 != 0) {
    fail(ErrorCode::kInvalidArgument, "heads",
         message("heads=", c.heads, " must be even (the first H/2 heads are forward, the rest backward)"));
  }
  if (c.d_model % c.heads != 0) {
    fail(ErrorCode::kInvalidArgument, "d_model", message("d_model=", c.d_model, " must be a multiple of heads=", c.heads));
  }
  if (c.d_model / c.heads < 2) {
    fail(ErrorCode::kInvalidArgument, "heads", message("d_model / heads = ", c.d_model, " / ", c.heads,
                                              " must be >= 2 (the split head halves its head dimension)"));
  }
  if (c.seed > static_cast<std::uint64_t>(kSeedRange.max)) {
    fail(ErrorCode::kInvalidArgument, kSeedRange.name,
         message(kSeedRange.name, "=", c.seed, " must be in [", kSeedRange.min, ", ", kSeedRange.max, "]"));
  }
  require_finite("scale", c.scale);
  const long long largest = std::max({static_cast<long long>(c.n) * c.n, static_cast<long long>(c.n) * c.d_model,
                                      static_cast<long long>(c.d_model) * c.d_model});
  if (largest > kMaxActivationEntries) {
    fail(ErrorCode::kTooLarge, "n", message("n=", c.n, ", d_model=", c.d_model, " need a matrix of ", largest,
                                       " entries (limit ", kMaxActivationEntries, ")"));
  }
}

MixtureResult run_mixture(const MixtureConfig& c) {
  validate(c);
  require_mixture_within_budget(c);  // before any allocation of the run
  MixtureResult out;
  out.n = c.n;
  out.d_model = c.d_model;
  out.heads = c.heads;
  out.d_head = c.d_model / c.heads;
  const int d_head = out.d_head;
  const double weight_sd = 1.0 / std::sqrt(static_cast<double>(c.d_model));
  const MatrixXd x = normal_matrix(c.n, c.d_model, 1.0, c.seed, kInputStream);
  const Mask forward = build_mask(MaskSpec{PatternKind::kForward, 0, 1, {}}, c.n);
  const Mask backward = build_mask(MaskSpec{PatternKind::kBackward, 0, 1, {}}, c.n);
  auto stream = [](int head, std::uint64_t offset) {
    return kHeadStreamBase + kStreamsPerLayer * static_cast<std::uint64_t>(head) + offset;
  };

  MatrixXd output(c.n, c.d_model);
  MatrixXd first_forward, first_backward;
  for (int h = 0; h < c.heads; ++h) {
    const bool is_forward = h < c.heads / 2;
    const MatrixXd w_q = normal_matrix(c.d_model, d_head, weight_sd, c.seed, stream(h, kQueryWeights));
    const MatrixXd w_k = normal_matrix(c.d_model, d_head, weight_sd, c.seed, stream(h, kKeyWeights));
    const MatrixXd w_v = normal_matrix(c.d_model, d_head, weight_sd, c.seed, stream(h, kValueWeights));
    const MatrixXd a = masked_softmax(unscaled_logits(MatrixXd(x * w_q), MatrixXd(x * w_k)), c.scale, is_forward ? forward : backward);
    output.middleCols(static_cast<Eigen::Index>(h) * d_head, d_head) = a * (x * w_v);
    MixtureHead head;
    head.head = h;
    head.is_forward = is_forward;
    head.is_triangular = is_forward ? is_lower_triangular(a) : is_upper_triangular(a);
    head.min_diagonal = a.diagonal().minCoeff();
    if (c.want_head_statistics) head.stats = compute_rank_stats(a);
    out.per_head.push_back(head);
    if (h == 0) first_forward = a;
    if (h == c.heads / 2) first_backward = a;
    if (c.want_matrices) {
      out.head_matrices.push_back(a);
      out.head_masks.push_back(is_forward ? forward : backward);
    }
  }
  if (c.want_head_statistics) out.output = compute_rectangular_stats(output);

  const MatrixXd product = first_backward * first_forward;
  out.product = compute_rank_stats(product);
  out.product_min_entry = product.minCoeff();
  out.product_is_strictly_positive = out.product_min_entry > 0.0;
  if (c.want_matrices) out.product_matrix = product;
  if (!c.want_head_statistics) return out;

  // The split head: lower triangle from the first h1 query/key columns, upper from the rest.
  const int h1 = d_head / 2;
  const int h2 = d_head - h1;
  const MatrixXd q = x * normal_matrix(c.d_model, d_head, weight_sd, c.seed, stream(c.heads, kQueryWeights));
  const MatrixXd k = x * normal_matrix(c.d_model, d_head, weight_sd, c.seed, stream(c.heads, kKeyWeights));
  const MatrixXd lower = unscaled_logits(MatrixXd(q.leftCols(h1)), MatrixXd(k.leftCols(h1)));
  const MatrixXd upper = unscaled_logits(MatrixXd(q.rightCols(h2)), MatrixXd(k.rightCols(h2)));
  MatrixXd logits(c.n, c.n);
  for (int i = 0; i < c.n; ++i)
    for (int j = 0; j < c.n; ++j) logits(i, j) = j <= i ? lower(i, j) : upper(i, j);
  const MatrixXd split = masked_softmax(logits, c.scale, Mask::Ones(c.n, c.n));
  out.split_head = compute_rank_stats(split);
  out.split_head_min_entry = split.minCoeff();
  if (c.want_matrices) out.split_head_matrix = split;
  return out;
}

// ---- Memory: the peak estimate of one request (docs/memory.md) and the budget check run before any
// allocation. The counts follow this file's code paths.

namespace {

double mixture_bytes(const MixtureConfig& c) {
  const double n = c.n, width = c.d_model, n2 = n * n;
  const double heads = c.heads, head_width = width / heads;
  // X and the concatenated output; the forward and backward masks; per head W_Q, W_K, W_V and X W.
  const double vectors = (2.0 * n * width + 3.0 * width * head_width + 4.0 * n * head_width) * kDoubleBytes + 2.0 * n2 * kByteBytes;
  // The split head's phase: first forward and backward heads, the product, the lower and upper logits,
  // the merged logits, the split matrix and the statistics' two LU copies (9 n^2 doubles), plus one n^2
  // for temporaries and fragmentation: the measured peak is 9.6 n^2 doubles.
  const double squares = 10.0 * n2 * kDoubleBytes;
  // With want_matrices: every head's A and mask, and copies of the product and the split head's matrix.
  const double matrices = c.want_matrices ? (heads + 2.0) * n2 * kDoubleBytes + heads * n2 * kByteBytes : 0.0;
  return vectors + squares + matrices + kOverheadBytes;
}

}  // namespace

std::int64_t estimate_mixture_bytes(const MixtureConfig& config) { return to_estimate_bytes(mixture_bytes(config)); }

void require_mixture_within_budget(const MixtureConfig& c) {
  const std::string request = message("mixture n=", c.n, ", d_model=", c.d_model, ", heads=", c.heads,
                                      c.want_matrices ? " with the matrices" : "");
  require_within_budget(request, estimate_mixture_bytes(c), c.memory_budget_mib,
                        c.want_matrices ? "lower n, or leave out the matrices" : "lower n");
}

}  // namespace attnrank
