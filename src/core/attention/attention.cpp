// Masked softmax attention (design.md section 3) in double and float, one template for both.
// Stable for every finite scale s: per row the exponent is s * (G_ij - G_ref,i), G_ref,i the allowed
// entry maximising s * G_ij, so every exponent is <= 0 (or -inf, whose exp is 0) and never inf - inf.
// Masked entries are set to exactly 0 (no sentinel logits) and never exponentiated. Uses std::exp: outputs
// are not promised bit-identical across platforms, only the seeded inputs are. Validation messages name the
// value.
#include "attention/attention.h"

#include <cmath>
#include <cstdint>

#include "attnrank/attention/masks.h"
#include "attnrank/base/errors.h"
#include "lab/kernels.h"

namespace attnrank {
namespace {

template <typename Matrix>
Matrix unscaled_logits_impl(const Matrix& q, const Matrix& k) {
  using Scalar = typename Matrix::Scalar;
  if (q.cols() != k.cols() || q.cols() < 1) {
    fail(ErrorCode::kInvalidArgument, q.cols() < 1 ? "q" : "k",  // k must match q
         message("q is ", q.rows(), "x", q.cols(), " and k is ", k.rows(), "x", k.cols(), ": they need the same d >= 1 columns"));
  }
  // G_ij = (sum_{c ascending} q_ic k_jc) / sqrt(d): the fixed-order product of lab/kernels.h (one accumulator
  // per entry, 128-bit vectors across j; Eigen's GEMM runs scalar in wasm), then one division per entry.
  // Row-major, contiguous: the leading dimensions are the column counts. n, m <= 4096, d <= 1024.
  const int n = static_cast<int>(q.rows());
  const int m = static_cast<int>(k.rows());
  const int d = static_cast<int>(q.cols());
  Matrix g(n, m);
  lab::matmul_nt(n, m, d, q.data(), d, k.data(), d, g.data(), m);
  g /= std::sqrt(static_cast<Scalar>(d));
  return g;
}

// Row-wise masked softmax of s * G, in place: g (n_q, n_k) becomes A; mask is (n_q, n_k); rows sum to 1.
// Per row: the reference entry, then the exponentials of the allowed entries (masked ones set to 0, never
// exponentiated), summed with j ascending, then one division per allowed entry. No allocation.
template <typename Matrix>
void masked_softmax_in_place_impl(Matrix& g, typename Matrix::Scalar s, const Mask& mask) {
  using Scalar = typename Matrix::Scalar;
  require_finite("scale", static_cast<double>(s));
  validate_mask_matrix(mask, g.rows(), g.cols(), "mask");
  const Eigen::Index rows = g.rows();
  const Eigen::Index cols = g.cols();
  for (Eigen::Index i = 0; i < rows; ++i) {
    Scalar* row = g.data() + i * cols;
    const std::uint8_t* allowed = mask.data() + i * cols;
    // Reference entry: argmax of s * G_ij over allowed j (max G for s > 0, min G for s < 0); the mask
    // keeps an entry in every row (validated).
    Eigen::Index first = 0;
    while (allowed[first] == 0) ++first;
    Scalar ref = row[first];
    for (Eigen::Index j = first; j < cols; ++j) {
      if (allowed[j] == 0) continue;
      const Scalar value = row[j];
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
      for (Eigen::Index j = 0; j < cols; ++j) {
        row[j] = allowed[j] != 0 ? Scalar(1) : Scalar(0);
        sum += row[j];  // adds exact small integers: the count of allowed keys
      }
    } else {
      for (Eigen::Index j = 0; j < cols; ++j) {
        if (allowed[j] == 0) {
          row[j] = 0;
          continue;
        }
        // G_ij - ref may overflow to -/+inf for huge G; s * it is then -inf and exp gives 0.
        const Scalar weight = std::exp(s * (row[j] - ref));
        row[j] = weight;
        sum += weight;
      }
    }
    // sum >= 1: the reference entry contributes exp(0) = 1. Divide (one rounding) per allowed entry; masked
    // entries stay exactly 0.
    for (Eigen::Index j = 0; j < cols; ++j)
      if (allowed[j] != 0) row[j] /= sum;
  }
}

template <typename Matrix>
Matrix masked_softmax_impl(const Matrix& g, typename Matrix::Scalar s, const Mask& mask) {
  Matrix a = g;
  masked_softmax_in_place_impl(a, s, mask);
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
void masked_softmax_in_place(MatrixXd& logits, double scale, const Mask& mask) {
  masked_softmax_in_place_impl(logits, scale, mask);
}
void masked_softmax_in_place(MatrixXf& logits, float scale, const Mask& mask) {
  masked_softmax_in_place_impl(logits, scale, mask);
}

}  // namespace attnrank
