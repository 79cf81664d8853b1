// Seeded inputs Q, K, V and RoPE. Draw order is part of the contract (the pinned hashes in
// tests/native/test_inputs.cpp fix it): Q's distinct rows row-major, then K's, then V's, all from one
// Rng(seed); repeated tokens copy row i mod r; RoPE (Su et al. 2021, RoFormer eq. 34) then rotates Q and K.
// RoPE angles use det_math so they are bit-identical natively and in wasm. No user-loaded data here.
#include "attnrank/random/inputs.h"

#include <algorithm>

#include "attnrank/base/errors.h"
#include "attnrank/base/param_ranges.h"
#include "base/det_math.h"
#include "random/rng.h"

namespace attnrank {
namespace {

constexpr double kRopeBase = 10000.0;  // RoFormer's theta_t = 10000^(-2t/d)

// x is (rows, d), row-major: fills the first `rows` rows with N(0, 1), row by row.
void fill_normal(Rng& rng, MatrixXd& x, int rows) {
  rng.fill_normal(x.data(), static_cast<std::size_t>(rows) * static_cast<std::size_t>(x.cols()));
}

// Row i := row i mod r for i >= r. x is (n, d).
void repeat_rows(MatrixXd& x, int r) {
  for (Eigen::Index i = r; i < x.rows(); ++i) x.row(i) = x.row(i % r);
}

}  // namespace

void validate_input_spec(const InputSpec& spec) {
  require_in_range(kTokensRange.name, spec.n, kTokensRange.min, kTokensRange.max);
  require_in_range(kHeadDimRange.name, spec.d, kHeadDimRange.min, kHeadDimRange.max);
  // seed is unsigned 64-bit: compare before any conversion to long long.
  if (spec.seed > static_cast<std::uint64_t>(kSeedRange.max)) {
    fail(ErrorCode::kInvalidArgument, kSeedRange.name,
         message(kSeedRange.name, "=", spec.seed, " must be in [", kSeedRange.min, ", ", kSeedRange.max, "]"));
  }
  require_in_range(kRepeatRange.name, spec.repeat_period, kRepeatRange.min, kRepeatRange.max);
}

namespace {

// V is drawn after Q and K from the same stream, so leaving it out changes neither.
InputMatrices generate(const InputSpec& spec, bool with_values) {
  validate_input_spec(spec);
  const int n = spec.n;
  const int d = spec.d;
  const int distinct = spec.repeat_period > 0 ? std::min(spec.repeat_period, n) : n;
  InputMatrices out{MatrixXd(n, d), MatrixXd(n, d), with_values ? MatrixXd(n, d) : MatrixXd()};
  Rng rng(spec.seed);
  fill_normal(rng, out.q, distinct);
  fill_normal(rng, out.k, distinct);
  if (with_values) fill_normal(rng, out.v, distinct);
  repeat_rows(out.q, distinct);
  repeat_rows(out.k, distinct);
  if (with_values) repeat_rows(out.v, distinct);
  if (spec.rope) {
    apply_rope(out.q);
    apply_rope(out.k);
  }
  return out;
}

}  // namespace

InputMatrices generate_inputs(const InputSpec& spec) { return generate(spec, true); }
InputMatrices generate_query_key_inputs(const InputSpec& spec) { return generate(spec, false); }

void apply_rope(MatrixXd& x) {
  // x is (n, d); row i = token at position i. Pair (2t, 2t+1) turns by i * theta_t,
  // theta_t = 10000^(-2t/d) = exp(-(2t/d) ln 10000). Each step is a basic IEEE operation or det_*.
  const Eigen::Index d = x.cols();
  const double log_base = det_log(kRopeBase);
  for (Eigen::Index t = 0; 2 * t + 1 < d; ++t) {
    const double theta = det_exp(-(static_cast<double>(2 * t) / static_cast<double>(d)) * log_base);
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      const double angle = static_cast<double>(i) * theta;
      const double c = det_cos(angle);
      const double s = det_sin(angle);
      const double a = x(i, 2 * t);
      const double b = x(i, 2 * t + 1);
      x(i, 2 * t) = a * c - b * s;
      x(i, 2 * t + 1) = a * s + b * c;
    }
  }
}

}  // namespace attnrank
