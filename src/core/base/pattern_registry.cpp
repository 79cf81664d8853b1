// The pattern registry's table (see pattern_registry.h). The predicates (base/pattern_predicates.h) are the
// single source of truth of each pattern (design.md section 2; indices 0-based, query i, key j); build_mask
// only evaluates them.
// Words are the page's (web/i18n reads them from patterns()); colours are CSS custom properties.
#include "attnrank/base/pattern_registry.h"

#include <algorithm>
#include <cstdlib>

#include "attnrank/base/errors.h"
#include "base/pattern_predicates.h"

namespace attnrank {
namespace {

using namespace patterns;  // the predicates (pattern_predicates.h)

using P = PatternParameter;
using T = Triangle;
using G = PatternGroup;

const std::vector<PatternInfo> kPatterns = {
    {PatternKind::kBidirectional, "bidirectional",
     {"bidirectional", "every j", "BERT, the T5 encoder"}, {"双向", "任意 j", "BERT、T5 的编码器"},
     P::kNone, T::kNone, G::kEssay, 10, "--series-1", allow_every},
    {PatternKind::kPrefix, "prefix",
     {"prefix (mixed)", "j ≤ p − 1 or j ≤ i", "UniLM, prefix language models"},
     {"混合", "j ≤ p − 1 或 j ≤ i", "UniLM、前缀语言模型"},
     P::kPrefix, T::kNone, G::kEssay, 20, "--series-2", allow_prefix},
    {PatternKind::kForward, "forward",
     {"forward (causal)", "j ≤ i (lower triangular)", "GPT, PaLM"}, {"单向（正向）", "j ≤ i（下三角）", "GPT、PaLM"},
     P::kNone, T::kLower, G::kEssay, 30, "--series-3", allow_forward},
    {PatternKind::kBackward, "backward",
     {"backward", "j ≥ i (upper triangular)", "backward heads or layers"},
     {"单向（反向）", "j ≥ i（上三角）", "反向的 head 或层"},
     P::kNone, T::kUpper, G::kEssay, 40, "--series-4", allow_backward},
    {PatternKind::kWindow, "window",
     {"local (window)", "|i − j| ≤ w − 1", "sliding-window attention"}, {"局部", "|i − j| ≤ w − 1", "滑动窗口注意力"},
     P::kWindow, T::kNone, G::kLocal, 50, "--series-5", allow_window},
    {PatternKind::kForwardWindow, "forward_window",
     {"causal local (window)", "0 ≤ i − j ≤ w − 1", "causal sliding-window attention"},
     {"因果局部", "0 ≤ i − j ≤ w − 1", "因果滑动窗口注意力"},
     P::kWindow, T::kLower, G::kLocal, 60, "--series-6", allow_forward_window},
    {PatternKind::kCustom, "custom", {"custom mask", "", ""}, {"自定义掩码", "", ""},
     P::kNone, T::kNone, G::kCustom, 1000, "", nullptr},
};

const std::vector<NamedScheduleInfo> kNamedSchedules = {
    {"forward_backward", {"forward/backward alternating", "odd layers j ≤ i, even layers j ≥ i", ""},
     {"正向/反向交替", "奇数层 j ≤ i，偶数层 j ≥ i", ""}, {PatternKind::kForward, PatternKind::kBackward}, 45,
     "--series-7"},
};

}  // namespace

const std::vector<PatternInfo>& pattern_registry() { return kPatterns; }
const std::vector<NamedScheduleInfo>& named_depth_schedules() { return kNamedSchedules; }

const PatternInfo& pattern_info(PatternKind kind) {
  for (const auto& entry : kPatterns)
    if (entry.kind == kind) return entry;
  // No parameter: a PatternKind value outside the enum is a programming error, never a user's input.
  fail(ErrorCode::kInvalidArgument, message("pattern kind ", static_cast<int>(kind), " is unknown"));
}

std::string joined_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

PatternKind parse_pattern(const std::string& name) {
  for (const auto& entry : kPatterns)
    if (name == entry.id) return entry.kind;
  fail(ErrorCode::kInvalidArgument, "pattern",
       fill_words("unknown_choice", {{"param", "pattern"}, {"value", name}, {"choices", joined_names(pattern_names())}}));
}

const char* pattern_name(PatternKind kind) {
  for (const auto& entry : kPatterns)
    if (entry.kind == kind) return entry.id;
  return "unknown";
}

std::vector<std::string> pattern_names() {
  std::vector<std::string> out;
  for (const auto& entry : kPatterns) out.emplace_back(entry.id);
  return out;
}

std::vector<std::string> fixed_pattern_names() {
  std::vector<std::string> out;
  for (const auto& entry : kPatterns)
    if (entry.is_allowed != nullptr) out.emplace_back(entry.id);
  return out;
}

std::vector<std::string> fixed_pattern_names(PatternGroup group) {
  std::vector<std::string> out;
  for (const auto& entry : kPatterns)
    if (entry.is_allowed != nullptr && entry.group == group) out.emplace_back(entry.id);
  return out;
}

bool uses_prefix(PatternKind kind) { return pattern_info(kind).parameter == PatternParameter::kPrefix; }
bool uses_window(PatternKind kind) { return pattern_info(kind).parameter == PatternParameter::kWindow; }
bool is_triangular(PatternKind kind) { return pattern_info(kind).triangle != Triangle::kNone; }

std::vector<std::string> depth_schedule_names() {
  std::vector<std::pair<int, std::string>> ordered;
  for (const auto& entry : kPatterns)
    if (entry.is_allowed != nullptr) ordered.emplace_back(entry.display_order, entry.id);
  for (const auto& entry : kNamedSchedules) ordered.emplace_back(entry.display_order, entry.id);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& [order, id] : ordered) out.push_back(std::move(id));
  return out;
}

DepthSchedule depth_schedule_of(PatternKind kind) { return DepthSchedule{pattern_name(kind), {kind}}; }

DepthSchedule parse_depth_schedule(const std::string& name) {
  if (name.find('+') != std::string::npos) {  // a per-layer list: "forward+backward+window"
    DepthSchedule schedule{name, {}};
    std::size_t start = 0;
    while (true) {
      const std::size_t plus = name.find('+', start);
      const std::string part = name.substr(start, plus == std::string::npos ? std::string::npos : plus - start);
      const PatternInfo* found = nullptr;
      for (const auto& entry : kPatterns)
        if (entry.is_allowed != nullptr && part == entry.id) found = &entry;
      if (found == nullptr) {
        fail(ErrorCode::kInvalidArgument, "pattern", "pattern=" + printable(name) + ": '" + printable(part) + "' is unknown (expected patterns of: " +
                                              joined_names(fixed_pattern_names()) + ", joined by '+')");
      }
      schedule.cycle.push_back(found->kind);
      if (plus == std::string::npos) break;
      start = plus + 1;
    }
    return schedule;
  }
  for (const auto& entry : kPatterns)
    if (entry.is_allowed != nullptr && name == entry.id) return depth_schedule_of(entry.kind);
  for (const auto& entry : kNamedSchedules)
    if (name == entry.id) return DepthSchedule{entry.id, entry.cycle};
  fail(ErrorCode::kInvalidArgument, "pattern",
       fill_words("unknown_choice", {{"param", "pattern"}, {"value", name}, {"choices", joined_names(depth_schedule_names())}}));
}

PatternKind schedule_layer_pattern(const DepthSchedule& schedule, int layer) {
  if (schedule.cycle.empty()) fail(ErrorCode::kInvalidArgument, "pattern", "pattern=" + schedule.id + " has no layers");
  const int size = static_cast<int>(schedule.cycle.size());
  return schedule.cycle[static_cast<std::size_t>(((layer - 1) % size + size) % size)];
}

}  // namespace attnrank
