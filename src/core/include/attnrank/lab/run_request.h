// One lab run as a caller asks for it (`attnrank train`'s options, the wasm lab's config object), before
// defaults: every field optional. Every field is a parameter of the registry's train request
// (base/parameter_registry.h: name, type, default, range, CLI flag) and a row of run_request_fields(), the
// request's ConfigTable (io/request_fields.h): the CLI (text) and the binding (JS values) read a value of
// the registry's type per row and the row sets the field. run_base() then applies the registry's defaults
// for train and checks every field with the core's words naming it (out_of_range with the registry's
// range for train, unknown_choice, "heads=3 must divide width=16", the task's own checks), in one order,
// so the CLI and the wasm binding refuse the same inputs with the same messages and params; run_config()
// then makes one (masks, attention, seed) run of it. Not here: reading text or JS values, the CLI's grids
// and seed lists, files, the corpus's file (the caller gives the text).
// Adding a train option: its registry entry (kRequestTrain), a RunRequest field, its row in
// run_request.cpp's table, its check in run_base (tests/native/test_lab_run_fields.cpp fails until all
// exist).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "attnrank/base/errors.h"
#include "attnrank/base/param_ranges.h"
#include "attnrank/io/request_fields.h"
#include "attnrank/lab/corpus.h"
#include "attnrank/lab/run_layout.h"
#include "attnrank/lab/trainer.h"

namespace attnrank::lab {

// The integer options' ranges are the registry's for train (base/param_ranges.h kTrain*Range; n, prefix
// and window are further bounded by each other: run_base()); the numbers' are run_base()'s.

struct RunRequest {
  std::optional<std::string> task;  // default mlm
  std::optional<long long> n, width, heads, layers, prefix, window;
  std::optional<std::string> positions;  // learned | none; default none for order, learned otherwise
  std::optional<long long> symbols, max_length, min_length, pairs, keys, values;
  std::optional<long long> steps, batch, checkpoint_every, heldout_batches, run;
  std::optional<double> learning_rate, warmup_fraction, final_fraction, weight_decay, clip_norm;
  std::optional<std::string> masks, attention;  // one run's variant (run_layout.h); the CLI's --configs lists them
  std::optional<long long> seed;                // one run's seed; the CLI's --seeds lists them
  std::optional<long long> memory_budget_mib;   // the trainer refuses a run over it (run_memory.h)
};

// The train request's table: one row per RunRequest field, each naming its registry parameter, in the
// order of the binding's known keys. Every row is FieldBound::kRequest: run_base() bounds the values.
const ConfigTable<RunRequest>& run_request_fields();

// Every run's configuration but masks, kinds, vocabulary and seed, and the prefix and window the request
// gave (else the task's p and the core's default w when a run is made); the request's variant and seed.
struct RunBase {
  RunConfig config;
  std::optional<int> prefix, window;
  RunVariant variant;      // masks (default: the task's first configuration), attention (default softmax)
  std::uint64_t seed = 1;
};

// Defaults (the registry's for train) and checks, in this order: task, n, width, heads, layers, heads
// dividing width, positions, prefix, window, the task's sizes, steps, batch, checkpoint_every,
// heldout_batches, run, the AdamW numbers, seed, memory_budget_mib.
RunBase run_base(const RunRequest& request);

// One seed of a list (the CLI's --seeds): `value` in the registry's seed range for train, or an error
// naming `param`.
std::uint64_t run_seed(long long value, const char* param);

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
