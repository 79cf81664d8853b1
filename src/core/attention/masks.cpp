// Attention patterns (design.md section 2): validation that names the parameter and value, and the
// (n, n) 0/1 mask. The predicates and names live in pattern_registry.cpp; build_mask only evaluates
// them. Derived configurations (head/layer mixtures, T5) live elsewhere.
#include "attnrank/attention/masks.h"

#include <algorithm>
#include <cstdint>

#include "attnrank/base/errors.h"
#include "attnrank/base/param_ranges.h"
#include "base/pattern_predicates.h"

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
  // Per row: the largest entry (0: the row allows no key), in a loop without an exit (it vectorises); only a
  // row that fails is searched for the first bad entry. The same error as an entry-by-entry scan: rows in
  // order, and within a row an entry above 1 before "allows no key".
  for (Eigen::Index i = 0; i < rows; ++i) {
    const std::uint8_t* row = mask.data() + i * cols;
    std::uint8_t largest = 0;
    for (Eigen::Index j = 0; j < cols; ++j) largest = std::max(largest, row[j]);
    if (largest > 1) {
      Eigen::Index j = 0;
      while (row[j] <= 1) ++j;
      fail(ErrorCode::kInvalidArgument, param,
           message(label, " entry (", i, ", ", j, ")=", static_cast<int>(row[j]), " must be 0 or 1"));
    }
    if (largest == 0) {
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

namespace {
// mask(i, j) = allowed(i, j, p, w) for the (n, n) mask, row-major.
template <typename Predicate>
void fill_mask(Mask& mask, const MaskSpec& spec, Predicate allowed) {
  const int n = static_cast<int>(mask.rows());
  std::uint8_t* out = mask.data();
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) *out++ = allowed(i, j, spec.prefix, spec.window) ? 1 : 0;
}
}  // namespace

Mask build_mask(const MaskSpec& spec, int n) {
  validate_mask_spec(spec, n);
  if (spec.kind == PatternKind::kCustom) return spec.custom;
  Mask mask(n, n);
  // The registry's predicate, called directly where the kind is known here (inlined: a call per entry cost
  // more than the rest); a kind not listed takes the registry's pointer. test_masks.cpp checks both routes.
  switch (spec.kind) {
    case PatternKind::kBidirectional: fill_mask(mask, spec, patterns::allow_every); break;
    case PatternKind::kPrefix: fill_mask(mask, spec, patterns::allow_prefix); break;
    case PatternKind::kForward: fill_mask(mask, spec, patterns::allow_forward); break;
    case PatternKind::kBackward: fill_mask(mask, spec, patterns::allow_backward); break;
    case PatternKind::kWindow: fill_mask(mask, spec, patterns::allow_window); break;
    case PatternKind::kForwardWindow: fill_mask(mask, spec, patterns::allow_forward_window); break;
    default: fill_mask(mask, spec, pattern_info(spec.kind).is_allowed); break;
  }
  return mask;
}

}  // namespace attnrank
