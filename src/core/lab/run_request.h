// One lab run as a caller asks for it (`attnrank train`'s options, the wasm lab's config object), before
// defaults: every field optional. run_base() applies the defaults and checks every field with the core's
// words naming it (out_of_range, unknown_choice, "heads=3 must divide width=16", the task's own checks), in
// one order, so the CLI and the wasm binding refuse the same inputs with the same messages and params;
// run_config() then makes one (masks, attention, seed) run of it. Not here: reading text or JS values (each
// caller reads its own types), grids and seed lists, files, the corpus's file (the caller gives the text).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "attnrank/base/errors.h"
#include "attnrank/base/param_ranges.h"
#include "corpus.h"
#include "run_layout.h"
#include "trainer.h"

namespace attnrank::lab {

// The integer options' ranges (n, prefix and window are further bounded by each other: run_base()).
inline constexpr ParamRange kRunTokensRange{"n", 2, 4096};
inline constexpr ParamRange kRunWidthRange{"width", 1, 4096};
inline constexpr ParamRange kRunHeadsRange{"heads", 1, 4096};
inline constexpr ParamRange kRunLayersRange{"layers", 1, 256};
inline constexpr ParamRange kRunSymbolsRange{"symbols", 2, 1 << 20};
inline constexpr ParamRange kRunMaxLengthRange{"max_length", 1, 4096};
inline constexpr ParamRange kRunMinLengthRange{"min_length", 1, 4096};
inline constexpr ParamRange kRunPairsRange{"pairs", 1, 1024};
inline constexpr ParamRange kRunKeysRange{"keys", 1, 1 << 20};
inline constexpr ParamRange kRunValuesRange{"values", 2, 1 << 20};
inline constexpr ParamRange kRunStepsRange{"steps", 1, 10000000};
inline constexpr ParamRange kRunBatchRange{"batch", 1, 4096};
inline constexpr ParamRange kRunCheckpointRange{"checkpoint_every", 1, 10000000};
inline constexpr ParamRange kRunHeldOutRange{"heldout_batches", 1, 4096};
inline constexpr ParamRange kRunIndexRange{"run", 0, 2147483647};
inline constexpr long long kRunMaxSeed = 1LL << 53;  // a JSON number holds it exactly

// The defaults of the options that are not the structs' own initialisers.
inline constexpr int kRunDefaultSteps = 1500;
inline constexpr int kRunDefaultCheckpointEvery = 100;

struct RunRequest {
  std::optional<std::string> task;  // default mlm
  std::optional<long long> n, width, heads, layers, prefix, window;
  std::optional<std::string> positions;  // learned | none; default none for order, learned otherwise
  std::optional<long long> symbols, max_length, min_length, pairs, keys, values;
  std::optional<long long> steps, batch, checkpoint_every, heldout_batches, run;
  std::optional<double> learning_rate, warmup_fraction, final_fraction, weight_decay, clip_norm;
};

// Every run's configuration but masks, kinds, vocabulary and seed, and the prefix and window the request
// gave (else the task's p and the core's default w when a run is made).
struct RunBase {
  RunConfig config;
  std::optional<int> prefix, window;
};

// Defaults and checks, in this order: task, n, width, heads, layers, heads dividing width, positions,
// prefix, window, the task's sizes, steps, batch, checkpoint_every, heldout_batches, run, the AdamW numbers.
RunBase run_base(const RunRequest& request);

// One run: the task (made with the corpus, required for corpus tasks) decides the vocabulary and the prefix
// heads' p; the variant's masks and attention text (run_layout.h) give each head's pattern and kind. Errors
// the lab words "name=value ..." without a param get the name as their param.
RunConfig run_config(const RunBase& base, const RunVariant& variant, std::uint64_t seed,
                     const std::shared_ptr<const Corpus>& corpus);

// The corpus tasks' refusal when the corpus is missing: names the Debian package and where it was looked
// for (`where`: the CLI's path and options, the wasm lab's lab_set_corpus()).
[[noreturn]] void fail_missing_corpus(TaskKind kind, const std::string& where);

// The lab names most of its errors' parameters in the message only ("n=64 is too small for copy ...",
// "steps=0 is outside ..."): rethrows such an error (one without a param) with the word before its first
// '=' as its param ("task n=..." -> "n"), or no param when that is not one word.
[[noreturn]] void rethrow_with_param(const Error& error);

template <typename Body>
auto with_run_param(Body body) -> decltype(body()) {
  try {
    return body();
  } catch (const Error& error) {
    rethrow_with_param(error);
  }
}

}  // namespace attnrank::lab
