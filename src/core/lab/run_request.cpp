// A lab run's options: defaults and checks shared by the CLI and the wasm binding (see run_request.h).
#include "run_request.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "attnrank/attention/masks.h"

namespace attnrank::lab {
namespace {

// The shortest text that reads back as the same double, as std::to_chars writes it (what the CLI's JSON
// prints: 0.001, 10, 1e+06): the fewest significant digits that round-trip, in fixed or scientific
// notation, whichever is shorter (fixed on a tie).
std::string shortest_number(double value) {
  if (!std::isfinite(value)) return message(value);
  char scientific[40], fixed[400];
  int digits = 1;
  for (; digits < 17; ++digits) {
    std::snprintf(scientific, sizeof scientific, "%.*e", digits - 1, value);
    if (std::strtod(scientific, nullptr) == value) break;
  }
  std::snprintf(scientific, sizeof scientific, "%.*e", digits - 1, value);
  const int exponent = std::atoi(std::strchr(scientific, 'e') + 1);
  std::snprintf(fixed, sizeof fixed, "%.*f", std::max(0, digits - 1 - exponent), value);
  return std::strlen(fixed) <= std::strlen(scientific) ? fixed : scientific;
}

int ranged(const std::optional<long long>& given, long long fallback, const ParamRange& range) {
  const long long value = given.value_or(fallback);
  if (value < range.min || value > range.max) {
    fail(ErrorCode::kInvalidArgument, range.name,
         fill_words("out_of_range", {{"param", range.name}, {"value", std::to_string(value)},
                                     {"min", std::to_string(range.min)}, {"max", std::to_string(range.max)}}));
  }
  return static_cast<int>(value);
}

// p and w: in [low, n], named like the ranges above.
int ranged_to_n(long long value, const char* name, long long low, int n) {
  return ranged(value, value, ParamRange{name, low, n});
}

double ranged_number(const std::optional<double>& given, double fallback, const char* name, double low, double high) {
  const double value = given.value_or(fallback);
  if (!(value >= low && value <= high)) {
    fail(ErrorCode::kInvalidArgument, name,
         fill_words("out_of_range", {{"param", name}, {"value", shortest_number(value)},
                                     {"min", shortest_number(low)}, {"max", shortest_number(high)}}));
  }
  return value;
}

}  // namespace

void rethrow_with_param(const Error& error) {
  if (!error.param().empty()) throw error;
  const std::string text = error.what();
  const std::size_t equals = text.find('=');
  std::string param = equals == std::string::npos ? "" : text.substr(0, equals);
  if (param.rfind("task ", 0) == 0) param = param.substr(5);  // "task n=..."
  if (param.find_first_of(" ,:()") != std::string::npos) param.clear();
  throw Error(error.code(), param, text);
}

RunBase run_base(const RunRequest& r) {
  RunBase out;
  RunConfig& c = out.config;
  TaskConfig& t = c.task;
  t.kind = with_run_param([&] { return parse_task(r.task.value_or("mlm")); });
  ModelConfig& m = c.model;
  m.n = ranged(r.n, 64, kRunTokensRange);
  t.n = m.n;
  m.width = ranged(r.width, 64, kRunWidthRange);
  m.heads = ranged(r.heads, 4, kRunHeadsRange);
  m.layers = ranged(r.layers, 2, kRunLayersRange);
  if (m.width % m.heads != 0) {
    fail(ErrorCode::kInvalidArgument, "heads", message("heads=", m.heads, " must divide width=", m.width));
  }
  const std::string positions = r.positions.value_or(t.kind == TaskKind::kOrder ? "none" : "learned");
  if (positions != "learned" && positions != "none") {
    fail(ErrorCode::kInvalidArgument, "positions",
         fill_words("unknown_choice", {{"param", "positions"}, {"value", positions}, {"choices", "learned, none"}}));
  }
  m.positions = positions == "learned" ? Positions::kLearned : Positions::kNone;
  if (r.prefix) out.prefix = ranged_to_n(*r.prefix, "prefix", 0, m.n);
  if (r.window) out.window = ranged_to_n(*r.window, "window", 1, m.n);
  t.symbols = ranged(r.symbols, t.symbols, kRunSymbolsRange);
  t.max_length = ranged(r.max_length, std::min(t.max_length, (m.n - 1) / 2), kRunMaxLengthRange);
  t.min_length = ranged(r.min_length, std::min(t.min_length, t.max_length), kRunMinLengthRange);
  t.pairs = ranged(r.pairs, t.pairs, kRunPairsRange);
  t.keys = ranged(r.keys, t.keys, kRunKeysRange);
  t.values = ranged(r.values, t.values, kRunValuesRange);

  c.steps = ranged(r.steps, kRunDefaultSteps, kRunStepsRange);
  c.batch = ranged(r.batch, 16, kRunBatchRange);
  c.checkpoint_interval = ranged(r.checkpoint_every, kRunDefaultCheckpointEvery, kRunCheckpointRange);
  c.heldout_batches = ranged(r.heldout_batches, 4, kRunHeldOutRange);
  c.run = static_cast<std::uint64_t>(ranged(r.run, 0, kRunIndexRange));
  AdamWConfig& a = c.optimizer;
  a.learning_rate = ranged_number(r.learning_rate, 1e-3, "learning_rate", 0, 10);
  a.warmup_fraction = ranged_number(r.warmup_fraction, a.warmup_fraction, "warmup_fraction", 0, 1);
  a.final_fraction = ranged_number(r.final_fraction, a.final_fraction, "final_fraction", 0, 1);
  a.weight_decay = ranged_number(r.weight_decay, a.weight_decay, "weight_decay", 0, 10);
  a.clip_norm = ranged_number(r.clip_norm, a.clip_norm, "clip_norm", 0, 1e6);
  return out;
}

RunConfig run_config(const RunBase& base, const RunVariant& variant, std::uint64_t seed,
                     const std::shared_ptr<const Corpus>& corpus) {
  RunConfig config = base.config;
  config.seed = seed;
  ModelConfig& m = config.model;
  const ModelConfig probe =
      uniform_model_config(1, m.n, m.width, m.heads, m.layers, MaskSpec{}, HeadKind::kSoftmax, m.positions);
  const Task task = with_run_param([&] { return Task(config.task, corpus, probe); });
  m.vocab = task.vocab();
  const int prefix = base.prefix.value_or(task.prefix_length());
  const int window = base.window.value_or(default_window(m.n));
  m.masks = parse_mask_layout(variant.masks, m.layers, m.heads, prefix, window);
  m.kinds = parse_kind_layout(variant.attention, m.layers, m.heads);
  return config;
}

void fail_missing_corpus(TaskKind kind, const std::string& where) {
  fail(ErrorCode::kInvalidArgument, "corpus",
       message("task=", task_name(kind), " needs the corpus, extracted at build time from the Debian package ",
               kCorpusPackage, " (scripts/austen_corpus.py); ", where));
}

}  // namespace attnrank::lab
