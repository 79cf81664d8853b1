// Masked softmax attention (design.md section 3) in double and float, one template for both.
// Stable for every finite scale s: per row the exponent is s * (G_ij - G_ref,i), G_ref,i the allowed
// entry maximising s * G_ij, so every exponent is <= 0 (or -inf, whose exp is 0) and never inf - inf.
// Masked entries are set to exactly 0 (no sentinel logits). Uses std::exp: outputs are not promised
// bit-identical across platforms, only the seeded inputs are. Validation messages name the value.
#include "attention/attention.h"

#include <cmath>
#include <limits>
#include <vector>

#include "attnrank/attention/masks.h"
#include "attnrank/base/errors.h"

namespace attnrank {
namespace {

template <typename Matrix>
Matrix unscaled_logits_impl(const Matrix& q, const Matrix& k) {
  using Scalar = typename Matrix::Scalar;
  if (q.cols() != k.cols() || q.cols() < 1) {
    fail(ErrorCode::kInvalidArgument, q.cols() < 1 ? "q" : "k",  // k must match q
         message("q is ", q.rows(), "x", q.cols(), " and k is ", k.rows(), "x", k.cols(), ": they need the same d >= 1 columns"));
  }
  Matrix g = q * k.transpose();
  g /= std::sqrt(static_cast<Scalar>(q.cols()));
  return g;
}

// Row-wise masked softmax of s * G. g is (n_q, n_k); mask is (n_q, n_k); result rows sum to 1.
template <typename Matrix>
Matrix masked_softmax_impl(const Matrix& g, typename Matrix::Scalar s, const Mask& mask) {
  using Scalar = typename Matrix::Scalar;
  require_finite("scale", static_cast<double>(s));
  validate_mask_matrix(mask, g.rows(), g.cols(), "mask");
  const Eigen::Index rows = g.rows();
  const Eigen::Index cols = g.cols();
  Matrix a = Matrix::Zero(rows, cols);
  std::vector<Eigen::Index> allowed;
  allowed.reserve(static_cast<std::size_t>(cols));
  for (Eigen::Index i = 0; i < rows; ++i) {
    allowed.clear();
    for (Eigen::Index j = 0; j < cols; ++j)
      if (mask(i, j) != 0) allowed.push_back(j);
    // Reference entry: argmax of s * G_ij over allowed j (max G for s > 0, min G for s < 0).
    Scalar ref = g(i, allowed.front());
    for (Eigen::Index j : allowed) {
      const Scalar value = g(i, j);
      if (!std::isfinite(value)) {
        // No single parameter: finite q and k (each checked by its caller) whose product overflows.
        fail(ErrorCode::kInvalidArgument,
             message("logit G(", i, ", ", j, ")=", value,
                     " must be finite (Q K^T / sqrt(d) overflowed or the input holds NaN/inf)"));
      }
      if ((s > 0 && value > ref) || (s < 0 && value < ref)) ref = value;
    }
    Scalar sum = 0;
    if (s == 0) {
      // Every exponent is 0 (and 0 * (G - ref) could be 0 * inf): uniform over allowed keys.
      for (Eigen::Index j : allowed) a(i, j) = Scalar(1);
      sum = static_cast<Scalar>(allowed.size());
    } else {
      for (Eigen::Index j : allowed) {
        // G_ij - ref may overflow to -/+inf for huge G; s * it is then -inf and exp gives 0.
        const Scalar weight = std::exp(s * (g(i, j) - ref));
        a(i, j) = weight;
        sum += weight;
      }
    }
    // sum >= 1: the reference entry contributes exp(0) = 1. Divide (one rounding) per entry.
    for (Eigen::Index j : allowed) a(i, j) /= sum;
  }
  return a;
}

}  // namespace

MatrixXd unscaled_logits(const MatrixXd& q, const MatrixXd& k) { return unscaled_logits_impl(q, k); }
MatrixXf unscaled_logits(const MatrixXf& q, const MatrixXf& k) { return unscaled_logits_impl(q, k); }

MatrixXd masked_softmax(const MatrixXd& unscaled, double scale, const Mask& mask) {
  return masked_softmax_impl(unscaled, scale, mask);
}
MatrixXf masked_softmax(const MatrixXf& unscaled, float scale, const Mask& mask) {
  return masked_softmax_impl(unscaled, scale, mask);
}

}  // namespace attnrank
