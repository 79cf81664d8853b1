// The one table of parameter ranges. The core enforces it; the CLI and the wasm module expose it, so
// the page and the README never re-type a bound. (Not named limits.h: with -Isrc/core that file would
// shadow the C header <limits.h> that Eigen includes.) Sizes are capped so one f64 n x n matrix stays at
// 128 MiB (n = 4096) and a request fits the wasm heap.
#pragma once

namespace attnrank {

struct ParamRange {
  const char* name;
  long long min;
  long long max;
};

inline constexpr ParamRange kTokensRange{"n", 1, 4096};
inline constexpr ParamRange kHeadDimRange{"d", 1, 1024};
inline constexpr ParamRange kFeaturesRange{"features", 1, 4096};
inline constexpr ParamRange kSeedRange{"seed", 0, 4294967295LL};
inline constexpr ParamRange kRepeatRange{"repeat", 0, 4096};  // 0 = no repeated tokens

// Every range, for listing (CLI `attnrank limits`, wasm `limits()`).
inline constexpr ParamRange kAllRanges[] = {kTokensRange, kHeadDimRange, kFeaturesRange, kSeedRange,
                                            kRepeatRange};

}  // namespace attnrank
