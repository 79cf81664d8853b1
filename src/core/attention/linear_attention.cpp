// Linear attention A = D^{-1} (M o phi(Q') phi(K')^T) (Katharopoulos et al. 2020, eq. 4-6; Performer
// FAVOR+ positive random features, Choromanski et al. 2021, Lemma 1). Overflow guards that cancel in
// D^{-1}: elu1/relu rescale phi(Q') rows and phi(K') by powers of two (exact); exp/favor shift the
// exponents per feature and per row. Rows that would underflow are recomputed in log space. The
// 1/sqrt(m) of favor cancels and is omitted. Computes the n x n matrix (for its rank), not A V.
#include "attnrank/attention/linear_attention.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "attnrank/attention/masks.h"
#include "attnrank/base/errors.h"
#include "attnrank/base/param_ranges.h"
#include "random/rng.h"

namespace attnrank {
namespace {

struct FeatureEntry {
  FeatureMap map;
  const char* name;
};

constexpr FeatureEntry kFeatureMaps[] = {
    {FeatureMap::kElu1, "elu1"}, {FeatureMap::kRelu, "relu"}, {FeatureMap::kExp, "exp"},
    {FeatureMap::kFavor, "favor"}};

void require_finite_entries(const MatrixXd& x, const char* label) {
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (Eigen::Index c = 0; c < x.cols(); ++c)
      if (!std::isfinite(x(i, c))) {
        fail(ErrorCode::kInvalidArgument, label, message(label, "(", i, ", ", c, ")=", x(i, c), " must be finite"));
      }
}

// Multiplies x by 2^-e, e the binary exponent of its largest entry, so that entry lands in [0.5, 1).
// Exact (a power of two) except where an entry becomes subnormal. x >= 0 elementwise.
template <typename Block>
void rescale_by_power_of_two(Block&& x) {
  const double largest = x.maxCoeff();
  if (!(largest > 0)) return;
  int exponent = 0;
  std::frexp(largest, &exponent);
  x *= std::ldexp(1.0, -exponent);
}

// Elementwise map of x' (rows, d) -> phi (rows, d), all entries >= 0.
MatrixXd elementwise_features(const MatrixXd& x, FeatureMap map) {
  MatrixXd phi(x.rows(), x.cols());
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (Eigen::Index c = 0; c < x.cols(); ++c) {
      const double v = x(i, c);
      // elu(v) + 1 = v + 1 for v > 0, exp(v) for v <= 0 (computed directly, not exp(v) - 1 + 1).
      phi(i, c) = map == FeatureMap::kElu1 ? (v > 0 ? v + 1.0 : std::exp(v)) : (v > 0 ? v : 0.0);
    }
  return phi;
}

// log phi(x') for x' (rows, d): (rows, f), entries finite or -inf (relu's zeros). kernel(i, j) =
// sum_r exp(Lq(i, r) + Lk(j, r)). favor: x' W^T - |x'|^2 / 2 (the 1/sqrt(m) factor cancels in D^{-1}).
MatrixXd log_features(const MatrixXd& x, FeatureMap map, const MatrixXd& w) {
  constexpr double kMinusInf = -std::numeric_limits<double>::infinity();
  switch (map) {
    case FeatureMap::kElu1: return x.unaryExpr([](double v) { return v > 0 ? std::log1p(v) : v; });
    case FeatureMap::kRelu: return x.unaryExpr([](double v) { return v > 0 ? std::log(v) : kMinusInf; });
    case FeatureMap::kExp: return x;
    case FeatureMap::kFavor: break;
  }
  MatrixXd z = x * w.transpose();
  for (Eigen::Index i = 0; i < x.rows(); ++i) z.row(i).array() -= 0.5 * x.row(i).squaredNorm();
  return z;
}

// exp / favor fast path from finite log-features lq (n_q, f), lk (n_k, f). Per-feature shift b_r =
// max_j lk(j, r) and per-row shift a_i = max_r (lq(i, r) + b_r): phi_q(i, r) phi_k(j, r) =
// exp(lq + lk - a_i), so the shifts cancel in D^{-1}; every factor is <= 1, and each row of phi_q phi_k^T
// has an entry >= 1 (at its best feature's best key). Refines the Performer code's single global key max.
void shifted_exp_features(const MatrixXd& lq, const MatrixXd& lk, MatrixXd& phi_q, MatrixXd& phi_k) {
  const Eigen::RowVectorXd b = lk.colwise().maxCoeff();
  phi_k = (lk.rowwise() - b).array().exp().matrix();
  phi_q.resize(lq.rows(), lq.cols());
  for (Eigen::Index i = 0; i < lq.rows(); ++i) {
    const Eigen::RowVectorXd y = lq.row(i) + b;
    phi_q.row(i) = (y.array() - y.maxCoeff()).exp().matrix();
  }
}

// log sum_r exp(u_r + v_r), -inf when every term is -inf.
double log_sum_exp(const Eigen::RowVectorXd& u, const Eigen::RowVectorXd& v) {
  const Eigen::RowVectorXd t = u + v;
  const double largest = t.maxCoeff();
  if (largest == -std::numeric_limits<double>::infinity()) return largest;
  return largest + std::log((t.array() - largest).exp().sum());
}

// Row i of the kernel, scaled so its largest allowed entry is 1 (all 0 if every term is -inf):
// a(j) = exp(L_j - max L), L_j = log sum_r exp(lq_r + lk(j, r)) over allowed j. lq (1, f), lk (n_k, f).
template <typename MaskRow, typename OutRow>
void recompute_row_in_log_space(const Eigen::RowVectorXd& lq, const MatrixXd& lk, const MaskRow& allowed,
                                OutRow&& a) {
  double best = -std::numeric_limits<double>::infinity();
  for (Eigen::Index j = 0; j < lk.rows(); ++j) {
    a(j) = allowed(j) != 0 ? log_sum_exp(lq, lk.row(j)) : -std::numeric_limits<double>::infinity();
    best = std::max(best, a(j));
  }
  for (Eigen::Index j = 0; j < lk.rows(); ++j)
    a(j) = allowed(j) != 0 && std::isfinite(best) ? std::exp(a(j) - best) : 0.0;
}

[[noreturn]] void fail_zero_row_sum(Eigen::Index row, double sum, FeatureMap map) {
  fail(ErrorCode::kNumericalFailure, "feature",
       message("row ", row, " of linear attention sums to ", sum, " (feature=", feature_map_name(map),
               "): D^{-1} is undefined; no allowed key shares a positive feature with this query",
               " (try elu1 or another scale or seed)"));
}

// Checks shared by both entry points, before the mask is looked at: scale and shapes.
void validate_scale_and_shapes(const MatrixXd& q, const MatrixXd& k, double scale) {
  require_finite("scale", scale);
  if (scale < 0) {
    fail(ErrorCode::kInvalidArgument, "scale",
         message("scale=", scale, " must be >= 0 for linear attention (Q' = sqrt(s) Q / d^(1/4))"));
  }
  if (q.cols() != k.cols() || q.cols() < 1) {
    fail(ErrorCode::kInvalidArgument, q.cols() < 1 ? "q" : "k",  // k must match q
         message("q is ", q.rows(), "x", q.cols(), " and k is ", k.rows(), "x", k.cols(), ": they need the same d >= 1 columns"));
  }
}

// Q' = c Q, K' = c K (c = sqrt(s) / d^(1/4), so that Q' K'^T = s Q K^T / sqrt(d) as in softmax
// attention) and, for favor, the projection W (m, d). Validates entries, m and overflow of c Q, c K.
struct ScaledInputs {
  MatrixXd q;
  MatrixXd k;
  MatrixXd w;  // empty unless favor
};

ScaledInputs scale_inputs(const MatrixXd& q, const MatrixXd& k, double scale, const LinearSpec& spec) {
  require_finite_entries(q, "q");
  require_finite_entries(k, "k");
  const int d = static_cast<int>(q.cols());
  if (spec.feature == FeatureMap::kFavor)
    require_in_range(kFeaturesRange.name, spec.features, kFeaturesRange.min, kFeaturesRange.max);
  const double c = std::sqrt(scale) / std::sqrt(std::sqrt(static_cast<double>(d)));
  ScaledInputs scaled{c * q, c * k, MatrixXd()};
  if (!scaled.q.allFinite() || !scaled.k.allFinite()) {
    fail(ErrorCode::kInvalidArgument, "scale",
         message("scale=", scale, " overflows the scaled inputs c Q, c K (c = sqrt(s) / d^(1/4))"));
  }
  if (spec.feature == FeatureMap::kFavor) scaled.w = favor_projection(spec.features, d, spec.seed);
  return scaled;
}

// exp / favor log-features must be finite (elu1's always are; relu's -inf are its exact zeros).
void require_finite_log_features(const MatrixXd& log_q, const MatrixXd& log_k, double scale, FeatureMap map) {
  if (map != FeatureMap::kExp && map != FeatureMap::kFavor) return;
  if (!log_q.allFinite() || !log_k.allFinite()) {
    fail(ErrorCode::kNumericalFailure, "scale", message("scale=", scale, " overflows the ", feature_map_name(map),
                                                        " features (c x W^T - |c x|^2 / 2 is not finite)"));
  }
}

}  // namespace

FeatureMap parse_feature_map(const std::string& name) {
  for (const auto& entry : kFeatureMaps)
    if (name == entry.name) return entry.map;
  std::string expected;
  for (const auto& entry : kFeatureMaps) expected += (expected.empty() ? "" : ", ") + std::string(entry.name);
  fail(ErrorCode::kInvalidArgument, "feature",
       fill_words("unknown_choice", {{"param", "feature"}, {"value", name}, {"choices", expected}}));
}

const char* feature_map_name(FeatureMap map) {
  for (const auto& entry : kFeatureMaps)
    if (entry.map == map) return entry.name;
  return "unknown";
}

std::vector<std::string> feature_map_names() {
  std::vector<std::string> out;
  for (const auto& entry : kFeatureMaps) out.emplace_back(entry.name);
  return out;
}

MatrixXd favor_projection(int m, int d, std::uint64_t seed) {
  require_in_range(kFeaturesRange.name, m, kFeaturesRange.min, kFeaturesRange.max);
  require_in_range(kHeadDimRange.name, d, kHeadDimRange.min, kHeadDimRange.max);
  Rng rng(seed ^ kFavorSeedSalt);
  MatrixXd w(m, d);
  for (int r = 0; r < m; ++r)
    for (int c = 0; c < d; ++c) w(r, c) = rng.next_normal();
  return w;
}

int feature_dimension(const LinearSpec& spec, int d) {
  return spec.feature == FeatureMap::kFavor ? spec.features : d;
}

MatrixXd linear_attention(const MatrixXd& q, const MatrixXd& k, double scale, const Mask& mask,
                          const LinearSpec& spec) {
  // q is (n_q, d), k is (n_k, d), mask is (n_q, n_k); A is (n_q, n_k), row i = weights of query i.
  validate_scale_and_shapes(q, k, scale);
  validate_mask_matrix(mask, q.rows(), k.rows(), "mask");
  const ScaledInputs scaled = scale_inputs(q, k, scale, spec);
  const MatrixXd& q_scaled = scaled.q;
  const MatrixXd& k_scaled = scaled.k;
  const MatrixXd& w = scaled.w;

  MatrixXd log_q, log_k;  // log-features, formed for exp / favor always, for elu1 / relu on demand
  MatrixXd phi_q, phi_k;
  if (spec.feature == FeatureMap::kElu1 || spec.feature == FeatureMap::kRelu) {
    phi_q = elementwise_features(q_scaled, spec.feature);
    phi_k = elementwise_features(k_scaled, spec.feature);
    for (Eigen::Index i = 0; i < phi_q.rows(); ++i) rescale_by_power_of_two(phi_q.row(i));
    rescale_by_power_of_two(phi_k);
  } else {
    log_q = log_features(q_scaled, spec.feature, w);
    log_k = log_features(k_scaled, spec.feature, w);
    require_finite_log_features(log_q, log_k, scale, spec.feature);
    shifted_exp_features(log_q, log_k, phi_q, phi_k);
  }

  // Every factor is in [0, 1], so a term lost to underflow is < 2^-1022. A row whose largest allowed
  // value is >= kFastPathFloor is therefore accurate; a row below it (all its keys far from the keys
  // that set the shifts) is recomputed in log space, O(n f) for that row.
  const double kFastPathFloor = std::ldexp(1.0, -800);
  MatrixXd a = phi_q * phi_k.transpose();  // (n_q, n_k) kernel values, >= 0
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    double largest = 0;
    for (Eigen::Index j = 0; j < a.cols(); ++j) {
      if (mask(i, j) == 0) a(i, j) = 0.0;
      largest = std::max(largest, a(i, j));
    }
    if (!(largest >= kFastPathFloor)) {
      if (log_q.size() == 0) {
        log_q = log_features(q_scaled, spec.feature, w);
        log_k = log_features(k_scaled, spec.feature, w);
      }
      recompute_row_in_log_space(log_q.row(i), log_k, mask.row(i), a.row(i));
    }
    const double sum = a.row(i).sum();
    if (!(sum > 0) || !std::isfinite(sum)) fail_zero_row_sum(i, sum, spec.feature);
    a.row(i) /= sum;
  }
  return a;
}

LinearAttentionFactors bidirectional_linear_factors(const MatrixXd& q, const MatrixXd& k, double scale,
                                                    const LinearSpec& spec) {
  // q is (n_q, d), k is (n_k, d); left is (n_q, f), right is (n_k, f), f = feature_dimension(spec, d).
  validate_scale_and_shapes(q, k, scale);
  const ScaledInputs scaled = scale_inputs(q, k, scale, spec);
  const MatrixXd log_q = log_features(scaled.q, spec.feature, scaled.w);
  const MatrixXd log_k = log_features(scaled.k, spec.feature, scaled.w);
  require_finite_log_features(log_q, log_k, scale, spec.feature);
  constexpr double kMinusInf = -std::numeric_limits<double>::infinity();
  const Eigen::Index f = log_k.cols();

  // right(j, r) = phi_k(j, r) / c_r, c_r = sum_j phi_k(j, r), from the column-shifted exp(log_k - b_r),
  // b_r = max_j log_k(j, r) (the shifts of shifted_exp_features): each column's largest term is 1, so
  // the shifted column sum is in [1, n_k] and nothing that matters underflows. A feature no key has
  // (relu: b_r = -inf) is an all-zero column on both sides.
  const Eigen::RowVectorXd shift = log_k.colwise().maxCoeff();
  LinearAttentionFactors factors{MatrixXd::Zero(q.rows(), f), MatrixXd::Zero(k.rows(), f)};
  Eigen::RowVectorXd shifted_sum = Eigen::RowVectorXd::Zero(f);
  for (Eigen::Index j = 0; j < log_k.rows(); ++j)
    for (Eigen::Index r = 0; r < f; ++r)
      if (shift(r) != kMinusInf) factors.right(j, r) = std::exp(log_k(j, r) - shift(r));
  for (Eigen::Index j = 0; j < log_k.rows(); ++j) shifted_sum += factors.right.row(j);
  for (Eigen::Index r = 0; r < f; ++r)
    if (shifted_sum(r) > 0) factors.right.col(r) /= shifted_sum(r);

  // left(i, r) = phi_q(i, r) c_r / D_i, D_i = sum_r phi_q(i, r) c_r = sum_j kernel(i, j): the row sums
  // of A. With y_r = log_q(i, r) + b_r the per-row shift max_r y_r cancels, as in the dense path; the
  // largest term is then >= 1, so D_i = 0 only when every y_r is -inf (the dense path's zero row).
  for (Eigen::Index i = 0; i < log_q.rows(); ++i) {
    const Eigen::RowVectorXd y = log_q.row(i) + shift;
    const double best = y.maxCoeff();
    if (best == kMinusInf) fail_zero_row_sum(i, 0.0, spec.feature);
    for (Eigen::Index r = 0; r < f; ++r)
      if (y(r) != kMinusInf) factors.left(i, r) = std::exp(y(r) - best) * shifted_sum(r);
    factors.left.row(i) /= factors.left.row(i).sum();
  }
  return factors;
}

}  // namespace attnrank
