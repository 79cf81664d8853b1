// Attention patterns (design.md section 2): validation that names the parameter and value, and the
// (n, n) 0/1 mask. The predicates and names live in pattern_registry.cpp; build_mask only evaluates
// them. Derived configurations (head/layer mixtures, T5) live elsewhere.
#include "attnrank/attention/masks.h"

#include <algorithm>

#include "attnrank/base/errors.h"
#include "attnrank/base/param_ranges.h"

namespace attnrank {

int default_prefix(int n) { return n / 2; }
int default_window(int n) { return std::min(4, n); }

bool is_allowed(const MaskSpec& spec, int i, int j) {
  if (spec.kind == PatternKind::kCustom) return spec.custom(i, j) != 0;
  return pattern_info(spec.kind).is_allowed(i, j, spec.prefix, spec.window);
}

void validate_mask_matrix(const Mask& mask, Eigen::Index rows, Eigen::Index cols, const char* label) {
  const std::string param = std::string(label) == "custom mask" ? "custom_mask" : label;  // the config key
  if (mask.rows() != rows || mask.cols() != cols) {
    fail(ErrorCode::kInvalidArgument, param,
         message(label, " is ", mask.rows(), "x", mask.cols(), ", expected ", rows, "x", cols));
  }
  for (Eigen::Index i = 0; i < rows; ++i) {
    bool keeps_entry = false;
    for (Eigen::Index j = 0; j < cols; ++j) {
      const int value = mask(i, j);
      if (value > 1) {
        fail(ErrorCode::kInvalidArgument, param, message(label, " entry (", i, ", ", j, ")=", value, " must be 0 or 1"));
      }
      keeps_entry = keeps_entry || value == 1;
    }
    if (!keeps_entry) {
      fail(ErrorCode::kInvalidArgument, param, message(label, " row ", i, " allows no key"));
    }
  }
}

namespace {
// name=value must be in [lowest, n], worded as below_min / exceeds_n.
void require_pattern_parameter(const char* name, int value, int lowest, int n) {
  if (value < lowest) {
    fail(ErrorCode::kInvalidArgument, name,
         fill_words("below_min", {{"param", name}, {"value", std::to_string(value)}, {"min", std::to_string(lowest)}}));
  }
  if (value > n) {
    fail(ErrorCode::kInvalidArgument, name,
         fill_words("exceeds_n", {{"param", name}, {"value", std::to_string(value)}, {"n", std::to_string(n)}}));
  }
}
}  // namespace

void require_prefix(int prefix, int n) { require_pattern_parameter("prefix", prefix, 0, n); }
void require_window(int window, int n) { require_pattern_parameter("window", window, 1, n); }

void validate_mask_spec(const MaskSpec& spec, int n) {
  require_in_range(kTokensRange.name, n, kTokensRange.min, kTokensRange.max);
  if (spec.kind == PatternKind::kCustom && spec.custom.size() == 0) {
    // No mask at all (the CLI has no option for one): the user's words, not "custom mask is 0x0".
    fail(ErrorCode::kInvalidArgument, "custom_mask",
         "pattern=custom needs custom_mask (n*n entries of 0 or 1, given through the wasm module or the page)");
  }
  if (spec.kind == PatternKind::kCustom) validate_mask_matrix(spec.custom, n, n, "custom mask");
  if (uses_prefix(spec.kind)) require_prefix(spec.prefix, n);
  if (uses_window(spec.kind)) require_window(spec.window, n);
}

Mask build_mask(const MaskSpec& spec, int n) {
  validate_mask_spec(spec, n);
  if (spec.kind == PatternKind::kCustom) return spec.custom;
  const auto allowed = pattern_info(spec.kind).is_allowed;
  Mask mask(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) mask(i, j) = allowed(i, j, spec.prefix, spec.window) ? 1 : 0;
  return mask;
}

}  // namespace attnrank
