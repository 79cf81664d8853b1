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

// The training lab's integer options (`attnrank train`, wasm lab_start: lab/run_request.h). Three share a
// name with a parameter above and keep their own range for the train request (the registry's per-request
// ranges, parameter_registry.h), deliberately: n >= 2 (a training sequence needs a next token, and the
// analyses accept n = 1), layers <= 256 (the trainer keeps every layer's activations for the backward
// pass; the depth simulation's 1024 keeps one), seed <= 2^53 (a run's seed is any integer a JSON number
// holds exactly; the analyses' inputs take the generator's 32-bit seed). Not in kAllRanges (`attnrank
// limits` lists the analyses' ranges).
inline constexpr ParamRange kTrainTokensRange{"n", 2, 4096};
inline constexpr ParamRange kTrainLayersRange{"layers", 1, 256};
inline constexpr ParamRange kTrainSeedRange{"seed", 0, 1LL << 53};
inline constexpr ParamRange kTrainWidthRange{"width", 1, 4096};
inline constexpr ParamRange kTrainSymbolsRange{"symbols", 2, 1 << 20};
inline constexpr ParamRange kTrainMaxLengthRange{"max_length", 1, 4096};
inline constexpr ParamRange kTrainMinLengthRange{"min_length", 1, 4096};
inline constexpr ParamRange kTrainPairsRange{"pairs", 1, 1024};
inline constexpr ParamRange kTrainKeysRange{"keys", 1, 1 << 20};
inline constexpr ParamRange kTrainValuesRange{"values", 2, 1 << 20};
inline constexpr ParamRange kTrainStepsRange{"steps", 1, 10000000};
inline constexpr ParamRange kTrainBatchRange{"batch", 1, 4096};
inline constexpr ParamRange kTrainCheckpointRange{"checkpoint_every", 1, 10000000};
inline constexpr ParamRange kTrainHeldOutRange{"heldout_batches", 1, 4096};
inline constexpr ParamRange kTrainRunRange{"run", 0, 2147483647};

// Every range, for listing (CLI `attnrank limits`, wasm `limits()`).
inline constexpr ParamRange kAllRanges[] = {kTokensRange,   kHeadDimRange,     kFeaturesRange,    kSeedRange,
                                            kRepeatRange,   kModelDimRange,    kKeyDimRange,      kFfnDimRange,
                                            kLayersRange,   kHeadsRange,       kVocabRange,       kInputTokensRange,
                                            kOutputTokensRange};

}  // namespace attnrank
