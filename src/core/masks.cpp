// Attention patterns (design.md section 2): names, the defining predicate per entry, validation that
// names the parameter and value, and the (n, n) 0/1 mask. The predicates here are the single source of
// truth; build_mask only evaluates them. Derived configurations (head/layer mixtures, T5) live elsewhere.
#include "masks.h"

#include <cstdlib>

#include "errors.h"
#include "param_ranges.h"

namespace attnrank {
namespace {

struct PatternEntry {
  PatternKind kind;
  const char* name;
};

constexpr PatternEntry kPatterns[] = {
    {PatternKind::kBidirectional, "bidirectional"}, {PatternKind::kPrefix, "prefix"},
    {PatternKind::kForward, "forward"},             {PatternKind::kBackward, "backward"},
    {PatternKind::kWindow, "window"},               {PatternKind::kForwardWindow, "forward_window"},
    {PatternKind::kCustom, "custom"},
};

std::string joined_pattern_names() {
  std::string out;
  for (const auto& entry : kPatterns) {
    if (!out.empty()) out += ", ";
    out += entry.name;
  }
  return out;
}

}  // namespace

PatternKind parse_pattern(const std::string& name) {
  for (const auto& entry : kPatterns)
    if (name == entry.name) return entry.kind;
  fail(ErrorCode::kInvalidArgument,
       "pattern=" + name + " is unknown (expected one of: " + joined_pattern_names() + ")");
}

const char* pattern_name(PatternKind kind) {
  for (const auto& entry : kPatterns)
    if (entry.kind == kind) return entry.name;
  return "unknown";
}

std::vector<std::string> pattern_names() {
  std::vector<std::string> out;
  for (const auto& entry : kPatterns) out.emplace_back(entry.name);
  return out;
}

bool is_allowed(const MaskSpec& spec, int i, int j) {
  switch (spec.kind) {
    case PatternKind::kBidirectional: return true;
    case PatternKind::kPrefix: return j < spec.prefix || j <= i;
    case PatternKind::kForward: return j <= i;
    case PatternKind::kBackward: return j >= i;
    case PatternKind::kWindow: return std::abs(i - j) < spec.window;
    case PatternKind::kForwardWindow: return i - j >= 0 && i - j < spec.window;
    case PatternKind::kCustom: return spec.custom(i, j) != 0;
  }
  return false;
}

void validate_mask_matrix(const Mask& mask, Eigen::Index rows, Eigen::Index cols, const char* label) {
  if (mask.rows() != rows || mask.cols() != cols) {
    fail(ErrorCode::kInvalidArgument,
         message(label, " is ", mask.rows(), "x", mask.cols(), ", expected ", rows, "x", cols));
  }
  for (Eigen::Index i = 0; i < rows; ++i) {
    bool keeps_entry = false;
    for (Eigen::Index j = 0; j < cols; ++j) {
      const int value = mask(i, j);
      if (value > 1) {
        fail(ErrorCode::kInvalidArgument, message(label, " entry (", i, ", ", j, ")=", value, " must be 0 or 1"));
      }
      keeps_entry = keeps_entry || value == 1;
    }
    if (!keeps_entry) {
      fail(ErrorCode::kInvalidArgument, message(label, " row ", i, " allows no key"));
    }
  }
}

void validate_mask_spec(const MaskSpec& spec, int n) {
  require_in_range(kTokensRange.name, n, kTokensRange.min, kTokensRange.max);
  std::string out;
  switch (spec.kind) {
    case PatternKind::kPrefix:
      if (spec.prefix < 0) out += message("prefix=", spec.prefix, " must be >= 0");
      if (spec.prefix > n) out += message("prefix=", spec.prefix, " exceeds n=", n);
      break;
    case PatternKind::kWindow:
    case PatternKind::kForwardWindow:
      if (spec.window < 1) out += message("window=", spec.window, " must be >= 1");
      if (spec.window > n) out += message("window=", spec.window, " exceeds n=", n);
      break;
    case PatternKind::kCustom:
      validate_mask_matrix(spec.custom, n, n, "custom mask");
      break;
    default:
      break;
  }
  if (!out.empty()) fail(ErrorCode::kInvalidArgument, out);
}

Mask build_mask(const MaskSpec& spec, int n) {
  validate_mask_spec(spec, n);
  if (spec.kind == PatternKind::kCustom) return spec.custom;
  Mask mask(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) mask(i, j) = is_allowed(spec, i, j) ? 1 : 0;
  return mask;
}

}  // namespace attnrank
