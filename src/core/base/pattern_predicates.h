// The attention patterns' predicates allowed(i, j, p, w) (design.md section 2; query i, key j, 0-based; p the
// prefix, w the window): the single definition of each pattern. The registry (pattern_registry.cpp) points at
// them; build_mask (masks.cpp) also calls them directly, where the compiler can inline them (a call through
// the registry's pointer per entry of an n x n mask cost more than the rest of building it).
#pragma once

#include <cstdlib>

namespace attnrank::patterns {

inline bool allow_every(int, int, int, int) { return true; }
inline bool allow_prefix(int i, int j, int p, int) { return j < p || j <= i; }
inline bool allow_forward(int i, int j, int, int) { return j <= i; }
inline bool allow_backward(int i, int j, int, int) { return j >= i; }
inline bool allow_window(int i, int j, int, int w) { return std::abs(i - j) < w; }
inline bool allow_forward_window(int i, int j, int, int w) { return i - j >= 0 && i - j < w; }

}  // namespace attnrank::patterns
