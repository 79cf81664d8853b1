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
// Depth, heads and architectures (collapse.h, mixture.h, architecture.h). The simulated runs also keep
// n * max(d_model, d_ff) <= kMaxActivationEntries; the architecture counts allocate nothing.
inline constexpr ParamRange kModelDimRange{"d_model", 1, 65536};
inline constexpr ParamRange kKeyDimRange{"d_k", 1, 65536};       // collapse: 0 on input means d_model
inline constexpr ParamRange kFfnDimRange{"d_ff", 1, 262144};
inline constexpr ParamRange kLayersRange{"layers", 1, 1024};      // L
inline constexpr ParamRange kHeadsRange{"heads", 1, 4096};        // H (the mixture needs it even)
inline constexpr ParamRange kVocabRange{"vocab", 1, 16777216};    // V
inline constexpr ParamRange kInputTokensRange{"n_in", 1, 1048576};
inline constexpr ParamRange kOutputTokensRange{"n_out", 1, 1048576};
inline constexpr long long kMaxActivationEntries = 1LL << 24;     // 128 MiB of doubles per matrix

// Every range, for listing (CLI `attnrank limits`, wasm `limits()`).
inline constexpr ParamRange kAllRanges[] = {kTokensRange,   kHeadDimRange,     kFeaturesRange,    kSeedRange,
                                            kRepeatRange,   kModelDimRange,    kKeyDimRange,      kFfnDimRange,
                                            kLayersRange,   kHeadsRange,       kVocabRange,       kInputTokensRange,
                                            kOutputTokensRange};

}  // namespace attnrank
