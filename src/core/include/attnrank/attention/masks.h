// Attention patterns (design.md section 2): which keys j each query i may attend to. Indices 0-based.
//   bidirectional: always          prefix(p): j < p or j <= i      forward: j <= i
//   backward: j >= i               window(w): |i - j| < w          forward_window(w): 0 <= i - j < w
//   custom: a user-drawn 0/1 mask in which every row keeps at least one entry.
#pragma once

#include <string>
#include <vector>

#include "attnrank/base/glossary.h"
#include "attnrank/base/pattern_registry.h"

namespace attnrank {

struct MaskSpec {
  PatternKind kind = PatternKind::kBidirectional;
  int prefix = 0;  // p in [0, n], used by kPrefix
  int window = 1;  // w in [1, n], used by kWindow and kForwardWindow
  Mask custom;     // (n, n), used by kCustom
};

// Names, parameters and predicates of the patterns: pattern_registry.h (parse_pattern, pattern_name, ...).

// Defaults a careful user expects when a parameter is omitted: p = n / 2, w = min(4, n).
int default_prefix(int n);
int default_window(int n);

// The defining predicate, for one entry. Callers validate the spec first.
bool is_allowed(const MaskSpec& spec, int i, int j);

// Validates spec against n (prefix in [0, n], window in [1, n], custom shape and non-empty rows).
void validate_mask_spec(const MaskSpec& spec, int n);

// The range checks of the patterns' parameters, in the shared words (errors.h kWords): p in [0, n]
// ("prefix=-1 must be >= 0", "prefix=9 exceeds n=8"), w in [1, n] ("window=0 must be >= 1"). The one
// place these are worded: validate_mask_spec runs the one its pattern uses, collapse runs both.
void require_prefix(int prefix, int n);
void require_window(int window, int n);

// Checks a ready-made 0/1 mask: shape (rows, cols), entries 0 or 1, every row keeps an entry.
// label starts each message: "<label> is 3x4, expected 8x8", "<label> row 3 allows no key".
// Used for the custom pattern ("custom mask") and by the attention functions ("mask").
void validate_mask_matrix(const Mask& mask, Eigen::Index rows, Eigen::Index cols, const char* label);

// (n, n) 0/1 mask; validates first.
Mask build_mask(const MaskSpec& spec, int n);

}  // namespace attnrank
