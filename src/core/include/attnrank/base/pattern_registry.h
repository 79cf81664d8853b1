// The pattern registry: every attention pattern (design.md section 2) defined once, with its id, the
// page's names and words (en, zh), its parameter (prefix p, window w or none), its triangle, its group,
// the page's display order and colour keys, and its defining predicate. Depth schedules (collapse.h) are a
// pattern per layer or a named cycle of patterns (forward_backward). masks, the CLI, the binding's
// patterns() and the page's lists all read this table; adding a pattern is one entry here (plus its enum
// value). Leaves out: building masks and validating sizes (masks.h).
#pragma once

#include <string>
#include <vector>

namespace attnrank {

enum class PatternKind { kBidirectional, kPrefix, kForward, kBackward, kWindow, kForwardWindow, kCustom };

enum class PatternParameter { kNone, kPrefix, kWindow };  // prefix p in [0, n], window w in [1, n]
enum class Triangle { kNone, kLower, kUpper };            // the mask (hence A) for every input
enum class PatternGroup { kEssay, kLocal, kCustom };       // the essay's four, the local ones, user-drawn

struct PatternWords {
  const char* name;
  const char* rule;
  const char* used_by;  // "" when the page shows none
};

struct PatternInfo {
  PatternKind kind;
  const char* id;
  PatternWords en, zh;
  PatternParameter parameter;
  Triangle triangle;
  PatternGroup group;
  int display_order;         // the page's order (ascending); depth schedules share the scale
  // CSS custom property of the pattern's series wherever it is drawn (spectra, sweeps, depth, legends), "" for
  // none; one per pattern and named schedule, its light and dark values in web/render/series-palette.mjs.
  const char* colour;
  // allowed(i, j) with prefix p and window w; nullptr for custom (its matrix is the definition).
  bool (*is_allowed)(int i, int j, int p, int w);
};

// A depth schedule: layer l (1-based) uses cycle[(l - 1) % cycle.size()]. A pattern's schedule is the
// one-element cycle with the pattern's id; named schedules (forward_backward = forward, backward) have ids of
// their own.
struct DepthSchedule {
  std::string id;
  std::vector<PatternKind> cycle;
};

struct NamedScheduleInfo {
  const char* id;
  PatternWords en, zh;
  std::vector<PatternKind> cycle;
  int display_order;
  const char* colour;  // as PatternInfo::colour: a key of its own, no pattern's
};

// Every pattern, custom last; ordered by display_order.
const std::vector<PatternInfo>& pattern_registry();
// The schedules that are not a single pattern.
const std::vector<NamedScheduleInfo>& named_depth_schedules();
const PatternInfo& pattern_info(PatternKind kind);

// "bidirectional", "prefix", ... ; throws kInvalidArgument "pattern=<name> is unknown (...)".
PatternKind parse_pattern(const std::string& name);
const char* pattern_name(PatternKind kind);
std::vector<std::string> pattern_names();  // every id, custom included
// The ids of the patterns with a predicate (custom left out), in display order; only `group` when given.
std::vector<std::string> fixed_pattern_names();
std::vector<std::string> fixed_pattern_names(PatternGroup group);
bool uses_prefix(PatternKind kind);
bool uses_window(PatternKind kind);
bool is_triangular(PatternKind kind);

// A pattern id (not custom), a named schedule's id, or a per-layer list of pattern ids joined by '+'
// ("forward+backward+window": layer 1 forward, 2 backward, 3 window, 4 forward, ...); throws
// "pattern=<name> is unknown (...)".
DepthSchedule parse_depth_schedule(const std::string& name);
DepthSchedule depth_schedule_of(PatternKind kind);
// The fixed patterns and the named schedules, in display order.
std::vector<std::string> depth_schedule_names();
// The pattern of layer l (1-based).
PatternKind schedule_layer_pattern(const DepthSchedule& schedule, int layer);

// "a, b, c": the list an unknown-name message gives.
std::string joined_names(const std::vector<std::string>& names);

}  // namespace attnrank
