// A lab run's options: defaults and checks shared by the CLI and the wasm binding (see run_request.h).
#include "attnrank/lab/run_request.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "attnrank/attention/masks.h"
#include "attnrank/base/memory_estimate.h"
#include "attnrank/base/parameter_registry.h"

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

using V = ParamValue;
constexpr FieldBound kRequest = FieldBound::kRequest;

// The rows of RunRequest (run_request.h), in the binding's order of known keys. A setter only stores the
// value: run_base() applies defaults and checks, in its order.
const ConfigTable<RunRequest> kRunRequestFields{
    {
        {"task", "task", [](RunRequest& r, const V& v) { r.task = v.text; }, kRequest},
        {"n", "n", [](RunRequest& r, const V& v) { r.n = v.integer; }, kRequest},
        {"width", "width", [](RunRequest& r, const V& v) { r.width = v.integer; }, kRequest},
        {"heads", "heads", [](RunRequest& r, const V& v) { r.heads = v.integer; }, kRequest},
        {"layers", "layers", [](RunRequest& r, const V& v) { r.layers = v.integer; }, kRequest},
        {"positions", "positions", [](RunRequest& r, const V& v) { r.positions = v.text; }, kRequest},
        {"prefix", "prefix", [](RunRequest& r, const V& v) { r.prefix = v.integer; }, kRequest},
        {"window", "window", [](RunRequest& r, const V& v) { r.window = v.integer; }, kRequest},
        {"symbols", "symbols", [](RunRequest& r, const V& v) { r.symbols = v.integer; }, kRequest},
        {"max_length", "max_length", [](RunRequest& r, const V& v) { r.max_length = v.integer; }, kRequest},
        {"min_length", "min_length", [](RunRequest& r, const V& v) { r.min_length = v.integer; }, kRequest},
        {"pairs", "pairs", [](RunRequest& r, const V& v) { r.pairs = v.integer; }, kRequest},
        {"keys", "keys", [](RunRequest& r, const V& v) { r.keys = v.integer; }, kRequest},
        {"values", "values", [](RunRequest& r, const V& v) { r.values = v.integer; }, kRequest},
        {"steps", "steps", [](RunRequest& r, const V& v) { r.steps = v.integer; }, kRequest},
        {"batch", "batch", [](RunRequest& r, const V& v) { r.batch = v.integer; }, kRequest},
        {"checkpoint_every", "checkpoint_every", [](RunRequest& r, const V& v) { r.checkpoint_every = v.integer; },
         kRequest},
        {"heldout_batches", "heldout_batches", [](RunRequest& r, const V& v) { r.heldout_batches = v.integer; },
         kRequest},
        {"run", "run", [](RunRequest& r, const V& v) { r.run = v.integer; }, kRequest},
        {"learning_rate", "learning_rate", [](RunRequest& r, const V& v) { r.learning_rate = v.number; }, kRequest},
        {"warmup_fraction", "warmup_fraction", [](RunRequest& r, const V& v) { r.warmup_fraction = v.number; },
         kRequest},
        {"final_fraction", "final_fraction", [](RunRequest& r, const V& v) { r.final_fraction = v.number; },
         kRequest},
        {"weight_decay", "weight_decay", [](RunRequest& r, const V& v) { r.weight_decay = v.number; }, kRequest},
        {"clip_norm", "clip_norm", [](RunRequest& r, const V& v) { r.clip_norm = v.number; }, kRequest},
        {"masks", "masks", [](RunRequest& r, const V& v) { r.masks = v.text; }, kRequest},
        {"attention", "attention", [](RunRequest& r, const V& v) { r.attention = v.text; }, kRequest},
        {"seed", "seed", [](RunRequest& r, const V& v) { r.seed = v.integer; }, kRequest},
        {"memory_budget_mib", "memory_budget_mib", [](RunRequest& r, const V& v) { r.memory_budget_mib = v.integer; },
         kRequest},
    },
    nullptr,
};

// The registry's range of integer option `name` for train, and its default (none: derived, -1).
const ParamRange& train_range(const char* name) { return *parameter_range(parameter_info(name), kRequestTrain); }
long long train_default(const char* name) {
  const std::string text = parameter_default(parameter_info(name), kRequestTrain);
  return text.empty() ? -1 : std::strtoll(text.c_str(), nullptr, 10);
}
double train_number_default(const char* name) {
  return std::strtod(parameter_default(parameter_info(name), kRequestTrain).c_str(), nullptr);
}
std::string train_text_default(const char* name) { return parameter_default(parameter_info(name), kRequestTrain); }

long long checked(const std::optional<long long>& given, long long fallback, const ParamRange& range) {
  const long long value = given.value_or(fallback);
  if (value < range.min || value > range.max) {
    fail(ErrorCode::kInvalidArgument, range.name,
         fill_words("out_of_range", {{"param", range.name}, {"value", std::to_string(value)},
                                     {"min", std::to_string(range.min)}, {"max", std::to_string(range.max)}}));
  }
  return value;
}

// An int option: the given value or the registry's default, in the registry's range for train.
int ranged(const std::optional<long long>& given, const char* name) {
  return static_cast<int>(checked(given, train_default(name), train_range(name)));
}
// The same with a derived default.
int ranged(const std::optional<long long>& given, long long fallback, const char* name) {
  return static_cast<int>(checked(given, fallback, train_range(name)));
}

// The AdamW numbers' ranges (the registry holds integer ranges only).
struct NumberRange {
  const char* name;
  double min, max;
};
constexpr NumberRange kLearningRateRange{"learning_rate", 0, 10};
constexpr NumberRange kWarmupFractionRange{"warmup_fraction", 0, 1};
constexpr NumberRange kFinalFractionRange{"final_fraction", 0, 1};
constexpr NumberRange kWeightDecayRange{"weight_decay", 0, 10};
constexpr NumberRange kClipNormRange{"clip_norm", 0, 1e6};

// p and w: in [low, n], named like the ranges above.
int ranged_to_n(long long value, const char* name, long long low, int n) {
  return static_cast<int>(checked(value, value, ParamRange{name, low, n}));
}

double ranged_number(const std::optional<double>& given, const NumberRange& range) {
  const double value = given.value_or(train_number_default(range.name));
  const char* name = range.name;
  const double low = range.min, high = range.max;
  if (!(value >= low && value <= high)) {
    fail(ErrorCode::kInvalidArgument, name,
         fill_words("out_of_range", {{"param", name}, {"value", shortest_number(value)},
                                     {"min", shortest_number(low)}, {"max", shortest_number(high)}}));
  }
  return value;
}

}  // namespace

const ConfigTable<RunRequest>& run_request_fields() { return kRunRequestFields; }

std::uint64_t run_seed(long long value, const char* param) {
  const ParamRange& range = train_range("seed");
  checked(value, value, ParamRange{param, range.min, range.max});
  return static_cast<std::uint64_t>(value);
}

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
  t.kind = with_run_param([&] { return parse_task(r.task.value_or(train_text_default("task"))); });
  ModelConfig& m = c.model;
  m.n = ranged(r.n, "n");
  t.n = m.n;
  m.width = ranged(r.width, "width");
  m.heads = ranged(r.heads, "heads");
  m.layers = ranged(r.layers, "layers");
  if (m.width % m.heads != 0) {
    fail(ErrorCode::kInvalidArgument, "heads", message("heads=", m.heads, " must divide width=", m.width));
  }
  // Derived default (the registry's note): no positions for order (C16's test), learned otherwise.
  const std::string positions = r.positions.value_or(t.kind == TaskKind::kOrder ? "none" : "learned");
  if (positions != "learned" && positions != "none") {
    fail(ErrorCode::kInvalidArgument, "positions",
         fill_words("unknown_choice", {{"param", "positions"}, {"value", positions}, {"choices", "learned, none"}}));
  }
  m.positions = positions == "learned" ? Positions::kLearned : Positions::kNone;
  if (r.prefix) out.prefix = ranged_to_n(*r.prefix, "prefix", 0, m.n);
  if (r.window) out.window = ranged_to_n(*r.window, "window", 1, m.n);
  t.symbols = ranged(r.symbols, "symbols");
  // Derived defaults (the registry's notes): from TaskConfig's lengths, as n and max_length allow.
  t.max_length = ranged(r.max_length, std::min(t.max_length, (m.n - 1) / 2), "max_length");
  t.min_length = ranged(r.min_length, std::min(t.min_length, t.max_length), "min_length");
  t.pairs = ranged(r.pairs, "pairs");
  t.keys = ranged(r.keys, "keys");
  t.values = ranged(r.values, "values");

  c.steps = ranged(r.steps, "steps");
  c.batch = ranged(r.batch, "batch");
  c.checkpoint_interval = ranged(r.checkpoint_every, "checkpoint_every");
  c.heldout_batches = ranged(r.heldout_batches, "heldout_batches");
  c.run = static_cast<std::uint64_t>(ranged(r.run, "run"));
  AdamWConfig& a = c.optimizer;
  a.learning_rate = ranged_number(r.learning_rate, kLearningRateRange);
  a.warmup_fraction = ranged_number(r.warmup_fraction, kWarmupFractionRange);
  a.final_fraction = ranged_number(r.final_fraction, kFinalFractionRange);
  a.weight_decay = ranged_number(r.weight_decay, kWeightDecayRange);
  a.clip_norm = ranged_number(r.clip_norm, kClipNormRange);

  out.variant.masks = r.masks.value_or(task_variants(t.kind).front().masks);
  out.variant.attention = r.attention.value_or(train_text_default("attention"));
  out.seed = run_seed(r.seed.value_or(train_default("seed")), "seed");
  // The trainer refuses a run whose memory estimate is over it (run_memory.h), before allocating.
  c.memory_budget_mib = ranged(r.memory_budget_mib, "memory_budget_mib");
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
