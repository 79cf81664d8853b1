// Rank collapse across depth: the layer recursion, its metrics and validation (see collapse.h).
#include "attnrank/experiments/collapse.h"

#include <algorithm>
#include <cmath>

#include "attention/attention.h"
#include "attnrank/base/errors.h"
#include "attnrank/base/param_ranges.h"
#include "random/random_weights.h"

namespace attnrank {
namespace {

constexpr double kLayerNormEpsilon = 1e-5;  // PyTorch nn.LayerNorm default

// Max absolute column sum (||M||_1) and max absolute row sum (||M||_inf).
double max_column_sum(const MatrixXd& m) { return m.cwiseAbs().colwise().sum().maxCoeff(); }
double max_row_sum(const MatrixXd& m) { return m.cwiseAbs().rowwise().sum().maxCoeff(); }

MatrixXd centred_rows(const MatrixXd& x) {
  const Eigen::RowVectorXd mean = x.colwise().mean();
  return x.rowwise() - mean;
}

// x / max|x_ij| (0 stays 0): the residual ratios are scale-invariant, and this keeps their sums and
// squares finite for activations up to the largest double (a Frobenius norm overflows from ~1e154).
MatrixXd unit_scaled(const MatrixXd& x) {
  const double largest = x.size() == 0 ? 0.0 : x.cwiseAbs().maxCoeff();
  return largest > 0 ? MatrixXd(x / largest) : x;
}

}  // namespace

CollapseVariant parse_collapse_variant(const std::string& name) {
  CollapseVariant variant;
  if (name == "pure") return variant;
  std::size_t start = 0;
  while (true) {
    const std::size_t plus = name.find('+', start);
    const std::string part = name.substr(start, plus == std::string::npos ? std::string::npos : plus - start);
    bool* flag = part == "skip" ? &variant.has_skip
                 : part == "mlp" ? &variant.has_mlp
                 : part == "layernorm" ? &variant.has_layer_norm
                 : nullptr;
    if (flag == nullptr || *flag) {
      fail(ErrorCode::kInvalidArgument, "variant", fill_words("unknown_variant", {{"param", "variant"}, {"value", name}}));
    }
    *flag = true;
    if (plus == std::string::npos) break;
    start = plus + 1;
  }
  return variant;
}

std::string collapse_variant_name(const CollapseVariant& variant) {
  std::string name;
  if (variant.has_skip) name += "skip";
  if (variant.has_mlp) name += std::string(name.empty() ? "" : "+") + "mlp";
  if (variant.has_layer_norm) name += std::string(name.empty() ? "" : "+") + "layernorm";
  return name.empty() ? "pure" : name;
}

CollapseConfig resolved_collapse_config(const CollapseConfig& config) {
  CollapseConfig c = config;
  require_in_range(kTokensRange.name, c.n, kTokensRange.min, kTokensRange.max);
  require_in_range(kModelDimRange.name, c.d_model, kModelDimRange.min, kModelDimRange.max);
  if (c.d_k == 0) c.d_k = c.d_model;
  require_in_range(kKeyDimRange.name, c.d_k, kKeyDimRange.min, kKeyDimRange.max);
  if (c.d_ff == 0) c.d_ff = 4 * c.d_model;
  require_in_range(kFfnDimRange.name, c.d_ff, kFfnDimRange.min, kFfnDimRange.max);
  require_in_range(kLayersRange.name, c.layers, kLayersRange.min, kLayersRange.max);
  if (c.seed > static_cast<std::uint64_t>(kSeedRange.max)) {
    fail(ErrorCode::kInvalidArgument, kSeedRange.name,
         message(kSeedRange.name, "=", c.seed, " must be in [", kSeedRange.min, ", ", kSeedRange.max, "]"));
  }
  require_finite("scale", c.scale);
  if (c.pattern.cycle.empty()) fail(ErrorCode::kInvalidArgument, "pattern", "pattern=" + c.pattern.id + " has no layers");
  std::vector<std::string> layer_names;
  for (const PatternKind kind : c.pattern.cycle) {
    if (kind == PatternKind::kCustom) fail(ErrorCode::kInvalidArgument, "pattern", "pattern=custom is not available across depth");
    layer_names.emplace_back(pattern_name(kind));
  }
  if (c.pattern.id.empty()) {  // a per-layer list, named by its patterns: "forward+backward"
    for (const std::string& name : layer_names) c.pattern.id += (c.pattern.id.empty() ? "" : "+") + name;
  }
  if (c.prefix == -1) c.prefix = default_prefix(c.n);
  if (c.window == -1) c.window = default_window(c.n);
  require_prefix(c.prefix, c.n);  // both: a per-layer list may use either; the masks' words (masks.h)
  require_window(c.window, c.n);
  // Memory: every matrix of the run stays within the budget.
  const long long n = c.n, width = c.d_model, ffn = c.variant.has_mlp ? c.d_ff : 0;
  const long long keys = c.d_k;
  const long long largest = std::max({n * width, width * width, n * ffn, width * ffn, n * n, width * keys, n * keys});
  if (largest > kMaxActivationEntries) {
    fail(ErrorCode::kTooLarge, "n", message("n=", c.n, ", d_model=", c.d_model, ", d_ff=", c.d_ff, " need a matrix of ",
                                       largest, " entries (limit ", kMaxActivationEntries, ")"));
  }
  return c;
}

Mask depth_layer_mask(const CollapseConfig& resolved, int layer) {
  MaskSpec spec;
  spec.prefix = resolved.prefix;
  spec.window = resolved.window;
  spec.kind = schedule_layer_pattern(resolved.pattern, layer);
  return build_mask(spec, resolved.n);
}

double relative_residual(const MatrixXd& input) {
  const MatrixXd x = unit_scaled(input);
  const double norm = x.norm();
  if (norm == 0.0) return 0.0;
  return centred_rows(x).norm() / norm;
}

double composite_residual(const MatrixXd& input) {
  const MatrixXd x = unit_scaled(input);
  const double x_norm = std::sqrt(max_column_sum(x)) * std::sqrt(max_row_sum(x));
  if (x_norm == 0.0) return 0.0;
  const MatrixXd r = centred_rows(x);
  return std::sqrt(max_column_sum(r)) * std::sqrt(max_row_sum(r)) / x_norm;
}

double distance_to_token0(const MatrixXd& p) {
  MatrixXd diff = p;
  diff.col(0).array() -= 1.0;
  return max_row_sum(diff);
}

MatrixXd layer_norm_rows(const MatrixXd& x) {
  // Row i: (x_i - mean_i) / sqrt(var_i + eps), var_i the biased variance over the d_model features.
  MatrixXd y = centred_rows(x.transpose()).transpose();
  for (Eigen::Index i = 0; i < y.rows(); ++i) {
    const double variance = y.row(i).squaredNorm() / static_cast<double>(y.cols());
    y.row(i) /= std::sqrt(variance + kLayerNormEpsilon);
  }
  return y;
}

CollapseResult run_collapse(const CollapseConfig& config) {
  const CollapseConfig c = resolved_collapse_config(config);
  require_collapse_within_budget(c);  // before any allocation of the run
  CollapseResult out;
  out.n = c.n;
  out.d_model = c.d_model;
  out.d_k = c.d_k;
  out.d_ff = c.d_ff;
  out.layers = c.layers;
  out.prefix = c.prefix;
  out.window = c.window;
  out.per_layer.reserve(static_cast<std::size_t>(c.layers) + 1);
  out.path_first_column.resize(c.layers + 1, c.n);

  MatrixXd x = normal_matrix(c.n, c.d_model, 1.0, c.seed, kInputStream);
  MatrixXd path = MatrixXd::Identity(c.n, c.n);
  MatrixXd random_path = MatrixXd::Identity(c.n, c.n);
  const double weight_sd = 1.0 / std::sqrt(static_cast<double>(c.d_model));
  const double mlp_in_sd = std::sqrt(2.0 / static_cast<double>(c.d_model));
  const double mlp_out_sd = 1.0 / std::sqrt(static_cast<double>(c.d_ff));
  const bool skip = c.variant.has_skip;
  const bool norm = c.variant.has_layer_norm;

  auto record = [&](int layer) {
    LayerMetrics m;
    m.layer = layer;
    m.relative_residual = relative_residual(x);
    m.composite_residual = composite_residual(x);
    m.frobenius_norm = x.stableNorm();
    m.path_residual = relative_residual(path);
    m.path_distance_to_token0 = distance_to_token0(path);
    m.random_path_residual = relative_residual(random_path);
    m.random_path_distance_to_token0 = distance_to_token0(random_path);
    out.per_layer.push_back(m);
    out.path_first_column.row(layer) = path.col(0).transpose();
  };
  record(0);
  for (int layer = 1; layer <= c.layers; ++layer) {
    const std::uint64_t base = kLayerStreamBase + kStreamsPerLayer * static_cast<std::uint64_t>(layer);
    const MatrixXd w_q = normal_matrix(c.d_model, c.d_k, weight_sd, c.seed, base + kQueryWeights);
    const MatrixXd w_k = normal_matrix(c.d_model, c.d_k, weight_sd, c.seed, base + kKeyWeights);
    const MatrixXd w_v = normal_matrix(c.d_model, c.d_model, weight_sd, c.seed, base + kValueWeights);
    const MatrixXd q = x * w_q;
    const MatrixXd k = x * w_k;
    const Mask mask = depth_layer_mask(c, layer);
    const MatrixXd a = masked_softmax(unscaled_logits(q, k), c.scale, mask);
    MatrixXd y = a * (x * w_v);
    if (skip) y += x;
    if (norm) y = layer_norm_rows(y);
    if (c.variant.has_mlp) {
      const MatrixXd w_1 = normal_matrix(c.d_model, c.d_ff, mlp_in_sd, c.seed, base + kMlpIn);
      const MatrixXd w_2 = normal_matrix(c.d_ff, c.d_model, mlp_out_sd, c.seed, base + kMlpOut);
      const MatrixXd z = (y * w_1).cwiseMax(0.0) * w_2;
      y = skip ? MatrixXd(y + z) : z;
      if (norm) y = layer_norm_rows(y);
    }
    x = std::move(y);
    path = a * path;
    const MatrixXd random_q = normal_matrix(c.n, c.d_k, 1.0, c.seed, base + kRandomQueries);
    const MatrixXd random_k = normal_matrix(c.n, c.d_k, 1.0, c.seed, base + kRandomKeys);
    random_path = masked_softmax(unscaled_logits(random_q, random_k), c.scale, mask) * random_path;
    if (!x.allFinite() || !std::isfinite(x.stableNorm())) {
      // No single parameter: the growth comes from the variant, the layers and the scale together.
      fail(ErrorCode::kNumericalFailure,
           message("X_", layer, " overflowed (scale=", c.scale, "): the activations are no longer finite"));
    }
    record(layer);
  }
  return out;
}

// ---- Memory: the peak estimate of one request (docs/memory.md) and the budget check run before any
// allocation. The counts follow this file's code paths.

namespace {

double collapse_bytes(const CollapseConfig& c) {
  const double n = c.n, width = c.d_model, keys = c.d_k, n2 = n * n;
  const double ffn = c.variant.has_mlp ? c.d_ff : 0.0;
  // Alive through the run: X, the path and random path products, the first column per layer.
  const double persistent = (n * width + 2.0 * n2 + (c.layers + 1.0) * n) * kDoubleBytes;
  // One layer: W_Q, W_K, W_V; Q, K; the mask; logits and A; X W_V and Y; the MLP's W_1, W_2, Y W_1 and
  // its ReLU; the path update's temporary; the random path's Q, K, logits, softmax and product.
  const double weights = (2.0 * width * keys + width * width + 2.0 * width * ffn) * kDoubleBytes;
  const double layer_vectors = (4.0 * n * keys + 3.0 * n * width + 2.0 * n * ffn) * kDoubleBytes;
  // A, the random path's logits, softmax and product (4 n^2 doubles), plus one n^2 for the products'
  // temporaries and fragmentation: the measured peak is 7.2 n^2 doubles with the two paths. The mask.
  const double layer_squares = 5.0 * n2 * kDoubleBytes + n2 * kByteBytes;
  return persistent + weights + layer_vectors + layer_squares + kOverheadBytes;
}

}  // namespace

std::int64_t estimate_collapse_bytes(const CollapseConfig& resolved) { return to_estimate_bytes(collapse_bytes(resolved)); }

void require_collapse_within_budget(const CollapseConfig& c) {
  const std::string request =
      message("collapse n=", c.n, ", d_model=", c.d_model, c.variant.has_mlp ? message(", d_ff=", c.d_ff) : "");
  require_within_budget(request, estimate_collapse_bytes(c), c.memory_budget_mib,
                        c.variant.has_mlp ? "lower n, d_model or d_ff" : "lower n or d_model");
}

}  // namespace attnrank
