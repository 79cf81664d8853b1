// Masks: every pattern's truth table against the design.md section 2 predicates (written out again
// here, independently of masks.cpp) for n = 1..7 and every p and w (p = 0, p = n, w = 1, w = n
// included), a few literal tables, names, and every validation message.
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <string>

#include "attnrank/attention/masks.h"
#include "attnrank/base/errors.h"
#include "test_support.h"

namespace attnrank {
namespace {

using test::expect_error;
using test::mask_spec;

void expect_table(const MaskSpec& spec, int n, const std::function<bool(int, int)>& allowed) {
  const Mask mask = build_mask(spec, n);
  ASSERT_EQ(mask.rows(), n);
  ASSERT_EQ(mask.cols(), n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      EXPECT_EQ(mask(i, j), allowed(i, j) ? 1 : 0)
          << pattern_name(spec.kind) << " n=" << n << " p=" << spec.prefix << " w=" << spec.window
          << " (i, j)=(" << i << ", " << j << ")";
      EXPECT_EQ(is_allowed(spec, i, j), allowed(i, j));
    }
}

TEST(Masks, TruthTablesMatchTheDesignPredicates) {
  for (int n = 1; n <= 7; ++n) {
    expect_table(mask_spec(PatternKind::kBidirectional), n, [](int, int) { return true; });
    expect_table(mask_spec(PatternKind::kForward), n, [](int i, int j) { return j <= i; });
    expect_table(mask_spec(PatternKind::kBackward), n, [](int i, int j) { return j >= i; });
    for (int p = 0; p <= n; ++p)
      expect_table(mask_spec(PatternKind::kPrefix, p), n, [p](int i, int j) { return j < p || j <= i; });
    for (int w = 1; w <= n; ++w) {
      expect_table(mask_spec(PatternKind::kWindow, 0, w), n, [w](int i, int j) { return std::abs(i - j) < w; });
      expect_table(mask_spec(PatternKind::kForwardWindow, 0, w), n,
                   [w](int i, int j) { return 0 <= i - j && i - j < w; });
    }
  }
}

TEST(Masks, LiteralTables) {
  Mask forward(3, 3);
  forward << 1, 0, 0, 1, 1, 0, 1, 1, 1;
  EXPECT_EQ(build_mask(mask_spec(PatternKind::kForward), 3), forward);
  EXPECT_EQ(build_mask(mask_spec(PatternKind::kBackward), 3), Mask(forward.transpose()));
  Mask prefix(4, 4);
  prefix << 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1;
  EXPECT_EQ(build_mask(mask_spec(PatternKind::kPrefix, 2), 4), prefix);
  Mask window(4, 4);
  window << 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1;
  EXPECT_EQ(build_mask(mask_spec(PatternKind::kWindow, 0, 2), 4), window);
  Mask forward_window(4, 4);
  forward_window << 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1;
  EXPECT_EQ(build_mask(mask_spec(PatternKind::kForwardWindow, 0, 2), 4), forward_window);
}

TEST(Masks, LimitCasesCoincideWithOtherPatterns) {
  const int n = 6;
  const Mask bidirectional = build_mask(mask_spec(PatternKind::kBidirectional), n);
  const Mask forward = build_mask(mask_spec(PatternKind::kForward), n);
  EXPECT_EQ(build_mask(mask_spec(PatternKind::kPrefix, 0), n), forward);
  EXPECT_EQ(build_mask(mask_spec(PatternKind::kPrefix, n), n), bidirectional);
  EXPECT_EQ(build_mask(mask_spec(PatternKind::kWindow, 0, n), n), bidirectional);
  EXPECT_EQ(build_mask(mask_spec(PatternKind::kForwardWindow, 0, n), n), forward);
  const Mask identity = Mask::Identity(n, n);
  EXPECT_EQ(build_mask(mask_spec(PatternKind::kWindow, 0, 1), n), identity);
  EXPECT_EQ(build_mask(mask_spec(PatternKind::kForwardWindow, 0, 1), n), identity);
}

TEST(Masks, CustomMaskIsReturnedAsGiven) {
  MaskSpec spec = mask_spec(PatternKind::kCustom);
  spec.custom = Mask(3, 3);
  spec.custom << 0, 1, 0, 1, 0, 1, 0, 0, 1;
  EXPECT_EQ(build_mask(spec, 3), spec.custom);
  EXPECT_FALSE(is_allowed(spec, 0, 0));
  EXPECT_TRUE(is_allowed(spec, 0, 1));
}

TEST(Masks, NamesRoundTrip) {
  const std::vector<std::string> names = pattern_names();
  ASSERT_EQ(names.size(), 7u);
  EXPECT_EQ(names.front(), "bidirectional");
  for (const std::string& name : names) EXPECT_EQ(pattern_name(parse_pattern(name)), name);
  EXPECT_EQ(parse_pattern("forward_window"), PatternKind::kForwardWindow);
}

TEST(Masks, UnknownPatternListsTheKnownOnes) {
  expect_error([] { parse_pattern("foo"); }, ErrorCode::kInvalidArgument,
               "pattern=foo is unknown (expected one of: bidirectional, prefix, forward, backward, window, "
               "forward_window, custom)");
  expect_error([] { parse_pattern("Forward"); }, ErrorCode::kInvalidArgument,
               "pattern=Forward is unknown (expected one of: bidirectional, prefix, forward, backward, window, "
               "forward_window, custom)");
}

TEST(Masks, ValidationNamesParameterAndValue) {
  const ErrorCode bad = ErrorCode::kInvalidArgument;
  expect_error([] { build_mask(mask_spec(PatternKind::kPrefix, 9), 8); }, bad, "prefix=9 exceeds n=8");
  expect_error([] { build_mask(mask_spec(PatternKind::kPrefix, -1), 8); }, bad, "prefix=-1 must be >= 0");
  expect_error([] { build_mask(mask_spec(PatternKind::kWindow, 0, 0), 8); }, bad, "window=0 must be >= 1");
  expect_error([] { build_mask(mask_spec(PatternKind::kForwardWindow, 0, 9), 8); }, bad, "window=9 exceeds n=8");
  expect_error([] { build_mask(mask_spec(PatternKind::kForward), 0); }, bad, "n=0 must be in [1, 4096]");
  expect_error([] { validate_mask_spec(mask_spec(PatternKind::kForward), 4097); }, bad,
               "n=4097 must be in [1, 4096]");
  // Parameters of other patterns are ignored.
  EXPECT_NO_THROW(build_mask(mask_spec(PatternKind::kForward, 99, 99), 8));
}

TEST(Masks, CustomValidation) {
  const ErrorCode bad = ErrorCode::kInvalidArgument;
  MaskSpec spec = mask_spec(PatternKind::kCustom);
  spec.custom = Mask::Ones(3, 4);
  expect_error([&] { build_mask(spec, 3); }, bad, "custom mask is 3x4, expected 3x3");
  spec.custom = Mask::Ones(5, 5);
  spec.custom.row(3).setZero();
  expect_error([&] { build_mask(spec, 5); }, bad, "custom mask row 3 allows no key");
  spec.custom = Mask::Ones(5, 5);
  spec.custom(2, 4) = 7;
  expect_error([&] { build_mask(spec, 5); }, bad, "custom mask entry (2, 4)=7 must be 0 or 1");
  expect_error([] { validate_mask_matrix(Mask::Zero(2, 2), 2, 2, "mask"); }, bad, "mask row 0 allows no key");
}

}  // namespace
}  // namespace attnrank
