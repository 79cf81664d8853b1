// AdamW, its schedule and clipping (see optimizer.h). Scalars of a step are formed in double and rounded
// to T once; per-entry arithmetic is in T in a fixed order; beta^t is a product of t factors (no pow).
#include "attnrank/lab/optimizer.h"

#include <cmath>
#include <cstddef>

#include "attnrank/base/errors.h"
#include "base/det_math.h"

namespace attnrank::lab {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kClipEpsilon = 1e-6;  // torch.nn.utils.clip_grad_norm_'s guard

void require_range(const char* name, double value, double lo, double hi, bool is_hi_open) {
  if (!std::isfinite(value) || value < lo || (is_hi_open ? value >= hi : value > hi)) {
    fail(ErrorCode::kInvalidArgument, name, message(name, "=", value, " must be in [", lo, ", ", hi, is_hi_open ? ")" : "]"));
  }
}

double power(double base, int exponent) {
  double result = 1.0;
  for (int i = 0; i < exponent; ++i) result *= base;
  return result;
}

int warmup_steps(const AdamWConfig& config) {
  return static_cast<int>(std::floor(config.warmup_fraction * config.total_steps));
}

}  // namespace

void validate_adamw_config(const AdamWConfig& config) {
  require_range("learning_rate", config.learning_rate, 0, 1e3, false);
  require_range("beta1", config.beta1, 0, 1, true);
  require_range("beta2", config.beta2, 0, 1, true);
  if (!(config.eps > 0) || !std::isfinite(config.eps)) {
    fail(ErrorCode::kInvalidArgument, "eps", message("eps=", config.eps, " must be > 0 and finite"));
  }
  require_range("weight_decay", config.weight_decay, 0, 1e3, false);
  require_range("warmup_fraction", config.warmup_fraction, 0, 1, true);
  require_range("final_fraction", config.final_fraction, 0, 1, false);
  if (!(config.clip_norm > 0) || !std::isfinite(config.clip_norm)) {
    fail(ErrorCode::kInvalidArgument, "clip_norm", message("clip_norm=", config.clip_norm, " must be > 0 and finite"));
  }
  if (config.total_steps < 1) {
    fail(ErrorCode::kInvalidArgument, "total_steps", message("total_steps=", config.total_steps, " must be >= 1"));
  }
}

double scheduled_learning_rate(const AdamWConfig& config, int step) {
  validate_adamw_config(config);
  if (step < 0 || step >= config.total_steps) {
    fail(ErrorCode::kInvalidArgument, "step", message("step=", step, " is outside [0, total_steps) (total_steps=",
                                                      config.total_steps, ")"));
  }
  const double peak = config.learning_rate;
  const int warmup = warmup_steps(config);
  if (step < warmup) return peak * (step + 1) / warmup;
  const double final_rate = config.final_fraction * peak;
  const double ratio = static_cast<double>(step - warmup) / static_cast<double>(config.total_steps - warmup);
  return final_rate + 0.5 * (1.0 + det_cos(kPi * ratio)) * (peak - final_rate);
}

template <typename T>
StepReport adamw_step(const AdamWConfig& config, const std::vector<ParameterInfo>& layout, std::vector<T>& params,
                      const std::vector<T>& grads, AdamWState<T>& state) {
  validate_adamw_config(config);
  if (grads.size() != params.size()) {
    fail(ErrorCode::kInvalidArgument, "grads", message("grads has ", static_cast<double>(grads.size()), " entries, params ",
                                                       static_cast<double>(params.size())));
  }
  if (state.m.empty()) state.m.assign(params.size(), T(0));
  if (state.v.empty()) state.v.assign(params.size(), T(0));
  StepReport report;
  report.learning_rate = scheduled_learning_rate(config, state.steps);
  double squares = 0;
  for (const T g : grads) squares += static_cast<double>(g) * static_cast<double>(g);
  report.gradient_norm = std::sqrt(squares);
  const double coefficient = config.clip_norm / (report.gradient_norm + kClipEpsilon);
  report.clip_scale = coefficient < 1 ? coefficient : 1.0;

  const int t = state.steps + 1;
  const T clip = static_cast<T>(report.clip_scale);
  const bool is_clipped = report.clip_scale < 1;
  const T beta1 = static_cast<T>(config.beta1), beta2 = static_cast<T>(config.beta2);
  const T one_minus_beta1 = static_cast<T>(1.0 - config.beta1), one_minus_beta2 = static_cast<T>(1.0 - config.beta2);
  const T decay = static_cast<T>(1.0 - report.learning_rate * config.weight_decay);
  const T step_size = static_cast<T>(report.learning_rate / (1.0 - power(config.beta1, t)));
  const T bias2_sqrt = static_cast<T>(std::sqrt(1.0 - power(config.beta2, t)));
  const T eps = static_cast<T>(config.eps);
  for (const ParameterInfo& info : layout) {
    const std::size_t end = info.offset + static_cast<std::size_t>(info.rows) * static_cast<std::size_t>(info.cols);
    for (std::size_t i = info.offset; i < end; ++i) {
      const T g = is_clipped ? grads[i] * clip : grads[i];
      T p = params[i];
      if (info.is_decayed) p = p * decay;
      const T m = beta1 * state.m[i] + one_minus_beta1 * g;
      const T v = beta2 * state.v[i] + one_minus_beta2 * g * g;
      state.m[i] = m;
      state.v[i] = v;
      params[i] = p - step_size * m / (std::sqrt(v) / bias2_sqrt + eps);
    }
  }
  state.steps = t;
  return report;
}

template StepReport adamw_step<float>(const AdamWConfig&, const std::vector<ParameterInfo>&, std::vector<float>&,
                                      const std::vector<float>&, AdamWState<float>&);
template StepReport adamw_step<double>(const AdamWConfig&, const std::vector<ParameterInfo>&, std::vector<double>&,
                                       const std::vector<double>&, AdamWState<double>&);

}  // namespace attnrank::lab
