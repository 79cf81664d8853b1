// The pattern registry (pattern_registry.h): every entry's flags agree with its predicate (triangle,
// parameter), the page's order and words are complete, depth schedules are per-layer lists of patterns,
// and the registry's JS form (patterns()) has the keys the page reads.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "attnrank/attention/masks.h"
#include "attnrank/base/pattern_registry.h"
#include "attnrank/experiments/collapse.h"
#include "attnrank/io/result_fields.h"
#include "test_support.h"

namespace attnrank {
namespace {

using test::expect_error;

TEST(PatternRegistry, IdsAreUniqueAndInTheOrderThePageShows) {
  EXPECT_EQ(pattern_names(), (std::vector<std::string>{"bidirectional", "prefix", "forward", "backward", "window",
                                                       "forward_window", "custom"}));
  EXPECT_EQ(fixed_pattern_names(PatternGroup::kEssay),
            (std::vector<std::string>{"bidirectional", "prefix", "forward", "backward"}));
  EXPECT_EQ(fixed_pattern_names(PatternGroup::kLocal), (std::vector<std::string>{"window", "forward_window"}));
  std::set<std::string> ids;
  int previous_order = -1;
  for (const PatternInfo& p : pattern_registry()) {
    SCOPED_TRACE(p.id);
    EXPECT_TRUE(ids.insert(p.id).second);
    EXPECT_GT(p.display_order, previous_order);
    previous_order = p.display_order;
    EXPECT_EQ(parse_pattern(p.id), p.kind);
    EXPECT_STREQ(pattern_name(p.kind), p.id);
    EXPECT_NE(std::string(p.en.name), "");
    EXPECT_NE(std::string(p.zh.name), "");
    EXPECT_EQ(p.kind == PatternKind::kCustom, p.is_allowed == nullptr);
    if (p.is_allowed != nullptr) {
      EXPECT_NE(std::string(p.en.rule), "");
      EXPECT_NE(std::string(p.zh.rule), "");
      EXPECT_EQ(std::string(p.colour).rfind("--series-", 0), 0u);
    }
  }
  // One colour per pattern and named schedule (issue 17 item 4: the depth view had given window and forward_window
  // other colours than the spectra, and forward_backward window's).
  std::set<std::string> colours;
  for (const auto& p : pattern_registry()) {
    if (p.is_allowed != nullptr) {
      EXPECT_TRUE(colours.insert(p.colour).second) << p.id;
    }
  }
  for (const auto& named : named_depth_schedules()) EXPECT_TRUE(colours.insert(named.colour).second) << named.id;
  // The page's names (web/i18n showed these before the registry held them).
  EXPECT_STREQ(pattern_info(PatternKind::kForward).zh.name, "单向（正向）");
  EXPECT_STREQ(pattern_info(PatternKind::kPrefix).en.name, "prefix (mixed)");
}

// Each fixed pattern's triangle and parameter flags, checked against its predicate on every (n, p, w).
TEST(PatternRegistry, FlagsAgreeWithThePredicate) {
  for (const PatternInfo& p : pattern_registry()) {
    if (p.is_allowed == nullptr) continue;
    SCOPED_TRACE(p.id);
    bool is_lower = true, is_upper = true, depends_on_prefix = false, depends_on_window = false;
    for (int n = 1; n <= 9; ++n) {
      for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
          for (int q = 1; q <= n; ++q) {
            const bool allowed = p.is_allowed(i, j, q, q);
            if (allowed && j > i) is_lower = false;
            if (allowed && j < i) is_upper = false;
            depends_on_prefix = depends_on_prefix || allowed != p.is_allowed(i, j, q - 1, q);
            depends_on_window = depends_on_window || allowed != p.is_allowed(i, j, q, q - 1 > 0 ? q - 1 : 1);
          }
          EXPECT_TRUE(p.is_allowed(i, i, n / 2, 1)) << "(" << i << ", " << i << ") diagonal";
        }
      }
    }
    EXPECT_EQ(p.triangle == Triangle::kLower, is_lower);
    EXPECT_EQ(p.triangle == Triangle::kUpper, is_upper && !is_lower);
    EXPECT_EQ(is_triangular(p.kind), p.triangle != Triangle::kNone);
    EXPECT_EQ(p.parameter == PatternParameter::kPrefix, depends_on_prefix);
    EXPECT_EQ(p.parameter == PatternParameter::kWindow, depends_on_window);
  }
}

TEST(PatternRegistry, DepthSchedulesArePerLayerListsOfPatterns) {
  EXPECT_EQ(depth_schedule_names(), (std::vector<std::string>{"bidirectional", "prefix", "forward", "backward",
                                                              "forward_backward", "window", "forward_window"}));
  const DepthSchedule alternating = parse_depth_schedule("forward_backward");
  EXPECT_EQ(alternating.id, "forward_backward");
  for (int layer = 1; layer <= 6; ++layer) {
    EXPECT_EQ(schedule_layer_pattern(alternating, layer), layer % 2 == 1 ? PatternKind::kForward : PatternKind::kBackward);
  }
  EXPECT_EQ(schedule_layer_pattern(parse_depth_schedule("window"), 5), PatternKind::kWindow);
  expect_error([] { parse_depth_schedule("custom"); }, ErrorCode::kInvalidArgument,
               "pattern=custom is unknown (expected one of: bidirectional, prefix, forward, backward, "
               "forward_backward, window, forward_window)");

  // A list given by hand runs exactly as the named schedule, and is named by its patterns.
  CollapseConfig named;
  named.n = 16;
  named.layers = 5;
  named.pattern = alternating;
  CollapseConfig listed = named;
  listed.pattern = DepthSchedule{"", {PatternKind::kForward, PatternKind::kBackward}};
  EXPECT_EQ(resolved_collapse_config(listed).pattern.id, "forward+backward");
  EXPECT_EQ(parse_depth_schedule("forward+backward").cycle, alternating.cycle);
  expect_error([] { parse_depth_schedule("forward+custom"); }, ErrorCode::kInvalidArgument,
               "pattern=forward+custom: 'custom' is unknown (expected patterns of: bidirectional, prefix, forward, "
               "backward, window, forward_window, joined by '+')");
  expect_error([] { parse_depth_schedule("forward+"); }, ErrorCode::kInvalidArgument,
               "pattern=forward+: '' is unknown (expected patterns of: bidirectional, prefix, forward, "
               "backward, window, forward_window, joined by '+')");
  const CollapseResult a = run_collapse(named), b = run_collapse(listed);
  for (int l = 0; l <= 5; ++l) EXPECT_EQ(a.per_layer[l].relative_residual, b.per_layer[l].relative_residual);
  // Three layers, three patterns: layer 3 is the window.
  listed.pattern = DepthSchedule{"", {PatternKind::kBidirectional, PatternKind::kForward, PatternKind::kWindow}};
  const CollapseConfig resolved = resolved_collapse_config(listed);
  EXPECT_EQ(depth_layer_mask(resolved, 3), build_mask(MaskSpec{PatternKind::kWindow, 0, resolved.window, {}}, 16));
  EXPECT_EQ(depth_layer_mask(resolved, 4), build_mask(MaskSpec{PatternKind::kBidirectional, 0, 1, {}}, 16));

  listed.pattern = DepthSchedule{"", {PatternKind::kForward, PatternKind::kCustom}};
  expect_error([&] { run_collapse(listed); }, ErrorCode::kInvalidArgument, "pattern=custom is not available across depth");
  listed.pattern = DepthSchedule{"empty", {}};
  expect_error([&] { run_collapse(listed); }, ErrorCode::kInvalidArgument, "pattern=empty has no layers");
}

TEST(PatternRegistry, JsFormHasThePagesKeys) {
  const ResultValue registry = pattern_registry_result();
  const ResultValue* patterns = registry.find("patterns");
  ASSERT_NE(patterns, nullptr);
  ASSERT_EQ(patterns->items.size(), pattern_registry().size());
  const ResultValue& window = patterns->items[4];
  EXPECT_EQ(window.find("id")->text, "window");
  EXPECT_EQ(window.find("parameter")->text, "window");
  EXPECT_EQ(window.find("group")->text, "local");
  EXPECT_EQ(window.find("colour")->text, "--series-5");
  EXPECT_EQ(window.find("depth_colour"), nullptr);  // one colour per pattern (issue 17 item 4)
  EXPECT_EQ(window.find("names")->find("zh")->text, "局部");
  EXPECT_EQ(patterns->items[2].find("triangle")->text, "lower");
  const ResultValue* schedules = registry.find("depth_schedules");
  ASSERT_NE(schedules, nullptr);
  ASSERT_EQ(schedules->items.size(), 7u);
  const ResultValue& alternating = schedules->items[4];
  EXPECT_EQ(alternating.find("id")->text, "forward_backward");
  EXPECT_EQ(alternating.find("colour")->text, "--series-7");
  ASSERT_EQ(alternating.find("layers")->items.size(), 2u);
  EXPECT_EQ(alternating.find("layers")->items[1].text, "backward");
  EXPECT_EQ(alternating.find("names")->find("en")->text, "forward/backward alternating");
}

}  // namespace
}  // namespace attnrank
