// The JS boundary of the wasm module (Embind): analyze(config) reads a plain JS object, checks every key
// and type, calls attnrank::analyze and returns the keys of docs/result-schema.md, with singular_values
// and matrix COPIED into fresh Float64Arrays (never views into the heap, which detach when it grows).
// collapse(config), mixture(config), architectures(config), permutation(config) (issue 6: depth, heads,
// GPT/UniLM/T5, C16) and claims(config), claim_catalogue() (issue 7) follow the same pattern. Also limits(), messages() (the shared words of errors.h), memory_usage(), pattern_names(), depth_pattern_names(), patterns(), feature_map_names(), version(), and the core's .npy reader and writer:
// parse_npy(Uint8Array, label) -> {rows, cols, data: Float64Array} and write_npy(Float64Array, rows, cols,
// precision) -> Uint8Array (both copies). Every error, core or marshalling, becomes a real JS Error with
// the core's message and a `code` property (error_code_name). No numerics here: everything on screen
// comes from analyze().
#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/stack.h>
#include <emscripten/val.h>

#include <climits>
#include <cmath>
#include <cstdint>
#include <exception>
#include <malloc.h>
#include <new>
#include <string>
#include <vector>

#include "attnrank/base/errors.h"
#include "attnrank/base/param_ranges.h"
#include "attnrank/claims/claims.h"
#include "attnrank/experiments/analysis.h"
#include "attnrank/experiments/architecture.h"
#include "attnrank/experiments/collapse.h"
#include "attnrank/experiments/mixture.h"
#include "attnrank/experiments/permutation.h"
#include "attnrank/io/npy.h"
#include "attnrank/io/result_fields.h"

#ifndef ATTNRANK_VERSION
#define ATTNRANK_VERSION "unknown"
#endif

using emscripten::val;

// Throws a JS Error(message) with error.code = code and error.param = param ("" when no single parameter
// caused it). Called only when no C++ object with a destructor
// is live in the binding's frames: a JS exception unwinds wasm frames without running destructors or
// epilogues, so the frames' shadow-stack bytes also stay allocated (16 per error, measured; the
// invoke_ wrapper around embind's invoker restores only to its own entry). Once the JS stack has
// unwound no wasm frame is live and the stack is empty, so a microtask moves its pointer back to the base.
EM_JS(void, attnrank_throw_js_error, (const char* message, const char* code, const char* param,
                                     std::uintptr_t stack_base), {
  const error = new Error(UTF8ToString(message));
  error.code = UTF8ToString(code);
  error.param = UTF8ToString(param);
  queueMicrotask(() => stackRestore(stack_base));
  throw error;
});

namespace attnrank {
namespace {

constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 - 1: JS numbers are exact up to here

// The keys of the config object (docs/result-schema.md); anything else is an error naming the key.
const char* const kConfigKeys[] = {"pattern", "n",           "d",           "seed",     "scale",     "prefix",
                                   "window",  "kind",        "feature",     "features", "precision", "rope",
                                   "repeat",  "want_matrix", "custom_mask", "q",        "k",
                                   "memory_budget_mib"};

// The message of the last error, kept here (not in a local) so nothing needs destroying when we throw.
struct PendingError {
  std::string message;
  std::string code;
  std::string param;
};
PendingError& pending_error() {
  static PendingError error;
  return error;
}

[[noreturn]] void invalid(const std::string& message) { fail(ErrorCode::kInvalidArgument, message); }
[[noreturn]] void invalid(const std::string& param, const std::string& message) {
  fail(ErrorCode::kInvalidArgument, param, message);
}

std::string type_of(const val& value) {
  if (value.isNull()) return "null";
  const std::string type = value.typeOf().as<std::string>();
  if (type != "object") return type;
  const val constructor = value["constructor"];
  if (constructor.typeOf().as<std::string>() == "function" && constructor["name"].isString()) {
    return constructor["name"].as<std::string>();
  }
  return type;
}

// A short rendering of a JS value for messages: primitives as written, objects by their type.
std::string describe(const val& value) {
  if (value.isString()) return "\"" + value.as<std::string>() + "\"";
  if (value.isNumber() || value.isTrue() || value.isFalse() || value.isNull() || value.isUndefined()) {
    return val::global("String")(value).as<std::string>();
  }
  return "a " + type_of(value);
}

long long read_integer(const val& value, const char* name) {
  if (!value.isNumber()) {
    invalid(name, fill_words("not_integer_type", {{"param", name}, {"value", describe(value)}, {"type", type_of(value)}}));
  }
  const double number = value.as<double>();
  if (!std::isfinite(number) || std::floor(number) != number || std::fabs(number) > kMaxSafeInteger) {
    invalid(name, fill_words("not_integer", {{"param", name}, {"value", describe(value)}}));
  }
  return static_cast<long long>(number);
}

int read_int(const val& value, const char* name) {
  const long long number = read_integer(value, name);
  require_in_range(name, number, INT_MIN, INT_MAX);
  return static_cast<int>(number);
}

int read_ranged_int(const val& value, const ParamRange& range) {
  const long long number = read_integer(value, range.name);
  require_in_range(range.name, number, range.min, range.max);
  return static_cast<int>(number);
}

// p or w: an integer; one an int cannot hold gets the core's own words for it (masks.cpp: below its
// lowest value, or above n), the rest is left to the core's check.
int read_mask_size(const val& value, const char* name, int lowest, int n) {
  const long long number = read_integer(value, name);
  if (number < lowest && number < INT_MIN) {
    invalid(name, fill_words("below_min", {{"param", name}, {"value", std::to_string(number)}, {"min", std::to_string(lowest)}}));
  }
  if (number > n && number > INT_MAX) {
    invalid(name, fill_words("exceeds_n", {{"param", name}, {"value", std::to_string(number)}, {"n", std::to_string(n)}}));
  }
  return static_cast<int>(number);
}

double read_number(const val& value, const char* name) {
  if (!value.isNumber()) {
    invalid(name, fill_words("not_number_type", {{"param", name}, {"value", describe(value)}, {"type", type_of(value)}}));
  }
  return value.as<double>();
}

std::string read_string(const val& value, const char* name) {
  if (!value.isString()) {
    invalid(name, fill_words("not_string_type", {{"param", name}, {"value", describe(value)}, {"type", type_of(value)}}));
  }
  return value.as<std::string>();
}

bool read_bool(const val& value, const char* name) {
  if (!value.isTrue() && !value.isFalse()) {
    invalid(name, fill_words("not_boolean_type", {{"param", name}, {"value", describe(value)}, {"type", type_of(value)}}));
  }
  return value.isTrue();
}

// Copies a typed array of exactly `count` elements (checked: type and length) into `out`.
template <typename Scalar>
void read_typed_array(const val& value, const char* name, const char* array_type, const std::string& shape,
                      std::size_t count, Scalar* out) {
  if (!value.instanceof(val::global(array_type))) {
    invalid(name, std::string(name) + " must be a " + array_type + " of " + shape + " (got " + type_of(value) +
            ")");
  }
  const std::size_t length = value["length"].as<std::size_t>();
  if (length != count) {
    invalid(name, message(name, " has ", length, " entries, expected ", shape));
  }
  // A view of our own buffer, filled by TypedArray.prototype.set (a copy; same element type).
  val(emscripten::typed_memory_view(count, out)).call<void>("set", value);
}

void reject_unknown_keys(const val& config) {
  const val keys = val::global("Object").call<val>("keys", config);
  const int count = keys["length"].as<int>();
  for (int index = 0; index < count; ++index) {
    const std::string key = keys[index].as<std::string>();
    bool is_known = false;
    for (const char* known : kConfigKeys) is_known = is_known || key == known;
    if (!is_known) {
      std::string list;
      for (const char* known : kConfigKeys) list += (list.empty() ? "" : ", ") + std::string(known);
      invalid("config key \"" + key + "\" is unknown (known keys: " + list + ")");
    }
  }
}

// The JS config object -> AnalysisConfig. Missing keys take the CLI's defaults (options.cpp); ranges
// that depend on other parameters are left to attnrank::validate so both sides word them alike.
AnalysisConfig config_from_js(const val& js) {
  if (js.isNull() || js.typeOf().as<std::string>() != "object" || js.isArray()) {
    invalid("config must be a plain object (got " + type_of(js) + ")");
  }
  reject_unknown_keys(js);
  auto has = [&js](const char* key) { return !js[key].isUndefined(); };

  AnalysisConfig config;
  config.mask.kind = parse_pattern(has("pattern") ? read_string(js["pattern"], "pattern") : "bidirectional");
  if (has("kind")) config.kind = parse_attention_kind(read_string(js["kind"], "kind"));
  if (has("feature")) config.linear.feature = parse_feature_map(read_string(js["feature"], "feature"));
  if (has("features")) config.linear.features = read_int(js["features"], "features");
  if (has("precision")) config.precision = parse_precision(read_string(js["precision"], "precision"));
  if (has("scale")) config.scale = read_number(js["scale"], "scale");
  if (has("want_matrix")) config.want_matrix = read_bool(js["want_matrix"], "want_matrix");
  if (has("memory_budget_mib")) config.memory_budget_mib = read_ranged_int(js["memory_budget_mib"], kMemoryBudgetRange);

  config.inputs.n = has("n") ? read_ranged_int(js["n"], kTokensRange) : config.inputs.n;
  config.inputs.d = has("d") ? read_ranged_int(js["d"], kHeadDimRange) : config.inputs.d;
  const int n = config.inputs.n;
  const int d = config.inputs.d;

  const bool has_user_inputs = has("q") || has("k");
  if (has_user_inputs) {
    if (!has("q") || !has("k")) invalid("q and k must be given together");
    if (!has("n") || !has("d")) invalid("q and k need n and d (their shape, n x d)");
    for (const char* seeded_only : {"seed", "rope", "repeat"}) {
      if (has(seeded_only)) {
        invalid(seeded_only, std::string(seeded_only) + " cannot be combined with q/k (they define the inputs)");
      }
    }
    const std::string shape = "n*d=" + std::to_string(n) + "*" + std::to_string(d) + " numbers";
    MatrixXd q(n, d);
    MatrixXd k(n, d);
    read_typed_array(js["q"], "q", "Float64Array", shape, q.size(), q.data());
    read_typed_array(js["k"], "k", "Float64Array", shape, k.size(), k.data());
    config.user_q = std::move(q);
    config.user_k = std::move(k);
  } else {
    if (has("seed")) {
      const long long seed = read_integer(js["seed"], kSeedRange.name);
      require_in_range(kSeedRange.name, seed, kSeedRange.min, kSeedRange.max);
      config.inputs.seed = static_cast<std::uint64_t>(seed);
    }
    if (has("rope")) config.inputs.rope = read_bool(js["rope"], "rope");
    if (has("repeat")) config.inputs.repeat_period = read_ranged_int(js["repeat"], kRepeatRange);
  }
  // As in the CLI: the favor projection has its own stream, derived from the input seed.
  config.linear.seed = config.inputs.seed;

  config.mask.prefix = has("prefix") ? read_mask_size(js["prefix"], "prefix", 0, n) : default_prefix(n);
  config.mask.window = has("window") ? read_mask_size(js["window"], "window", 1, n) : default_window(n);
  if (config.mask.kind == PatternKind::kCustom) {
    if (!has("custom_mask")) invalid("custom_mask", "pattern=custom needs custom_mask (a Uint8Array of n*n entries)");
    config.mask.custom = Mask(n, n);
    const std::string shape = "n*n=" + std::to_string(n) + "*" + std::to_string(n) + " entries";
    read_typed_array(js["custom_mask"], "custom_mask", "Uint8Array", shape, config.mask.custom.size(),
                     config.mask.custom.data());
  } else if (has("custom_mask")) {
    invalid("custom_mask", "custom_mask is only used with pattern=custom (got pattern=" +
            std::string(pattern_name(config.mask.kind)) + ")");
  }
  return config;
}

// A fresh Float64Array holding a copy of data[0, count): `new Float64Array(view)` copies.
val copy_to_float64_array(const double* data, std::size_t count) {
  return val::global("Float64Array").new_(emscripten::typed_memory_view(count, data));
}

// A result tree of the core (result_fields.h: the one definition of every result's keys, which the CLI's
// --json also writes) as JS values: numbers and integers as numbers, null as null, number arrays as
// fresh Float64Arrays, integer arrays as Int32Arrays, objects and lists as plain objects and arrays.
val to_js(const ResultValue& value) {
  switch (value.type) {
    case ResultValue::Type::kNull: return val::null();
    case ResultValue::Type::kInteger: return val(static_cast<double>(value.integer));  // exact: |x| < 2^53
    case ResultValue::Type::kNumber: return val(value.number);
    case ResultValue::Type::kBoolean: return val(value.boolean);
    case ResultValue::Type::kText: return val(value.text);
    case ResultValue::Type::kNumbers: return copy_to_float64_array(value.numbers.data(), value.numbers.size());
    case ResultValue::Type::kIntegers:
      return val::global("Int32Array").new_(emscripten::typed_memory_view(value.integers.size(), value.integers.data()));
    case ResultValue::Type::kObject: {
      val out = val::object();
      for (const auto& [key, member] : value.members) out.set(key, to_js(member));
      return out;
    }
    case ResultValue::Type::kList: {
      val out = val::array();
      for (const ResultValue& item : value.items) out.call<void>("push", to_js(item));
      return out;
    }
  }
  return val::null();
}

// analysis_result's keys, plus the matrix and its mask when the config asked for them (wasm only).
val result_to_js(const AnalysisConfig& config, const AnalysisResult& result) {
  val out = to_js(analysis_result(config, result));
  if (result.matrix) {
    out.set("matrix",
            copy_to_float64_array(result.matrix->data(), static_cast<std::size_t>(result.matrix->size())));
  }
  if (result.mask) {
    out.set("mask", val::global("Uint8Array")
                        .new_(emscripten::typed_memory_view(static_cast<std::size_t>(result.mask->size()),
                                                            result.mask->data())));
  }
  return out;
}

// Runs body() (which returns a val) into `out`; a C++ error is caught and kept in pending_error() for
// throw_pending_error(). Returns whether body succeeded.
template <typename Body>
bool run_catching(Body&& body, val& out) {
  try {
    out = body();
    return true;
  } catch (const Error& error) {
    pending_error().message = error.what();
    pending_error().code = error_code_name(error.code());
    pending_error().param = error.param();
  } catch (const std::bad_alloc&) {
    pending_error().message = "out of memory: the request needs more memory than the wasm heap allows";
    pending_error().code = error_code_name(ErrorCode::kTooLarge);
    pending_error().param.clear();
  } catch (const std::exception& error) {
    pending_error().message = error.what();
    pending_error().code = "internal";
    pending_error().param.clear();
  }
  return false;
}

// Throws the pending error in JS. The caller must hold no C++ object with a destructor (its arguments
// reset to undefined, its result handle out of scope): see attnrank_throw_js_error.
[[noreturn]] void throw_pending_error() {
  attnrank_throw_js_error(pending_error().message.c_str(), pending_error().code.c_str(),
                          pending_error().param.c_str(), emscripten_stack_get_base());
  __builtin_unreachable();
}

val analyze_js(val config) {
  {
    val result = val::undefined();
    if (run_catching(
            [&config] {
              const AnalysisConfig analysis_config = config_from_js(config);
              return result_to_js(analysis_config, analyze(analysis_config));
            },
            result)) {
      return result;
    }
  }
  // Every C++ object of this call is destroyed now; drop our handle on the config, then throw in JS.
  config = val::undefined();
  throw_pending_error();
}

// parse_npy(bytes: Uint8Array, label: string) -> {rows, cols, data: Float64Array (row-major copy)}: the
// core's reader (float32/float64, C or Fortran order; a 1-D array of length L is (L, 1)). Messages start
// with the label ("q.npy: ...").
val parse_npy_js(val bytes, val label) {
  {
    val result = val::undefined();
    if (run_catching(
            [&bytes, &label] {
              const std::string name = read_string(label, "label");
              if (!bytes.instanceof(val::global("Uint8Array"))) {
                invalid(name + ": bytes must be a Uint8Array (got " + type_of(bytes) + ")");
              }
              std::vector<std::uint8_t> buffer(bytes["length"].as<std::size_t>());
              val(emscripten::typed_memory_view(buffer.size(), buffer.data())).call<void>("set", bytes);
              const MatrixXd matrix = npy_to_matrix(parse_npy(buffer.data(), buffer.size(), name), name);
              val out = val::object();
              out.set("rows", static_cast<double>(matrix.rows()));
              out.set("cols", static_cast<double>(matrix.cols()));
              out.set("data", copy_to_float64_array(matrix.data(), static_cast<std::size_t>(matrix.size())));
              return out;
            },
            result)) {
      return result;
    }
  }
  bytes = val::undefined();
  label = val::undefined();
  throw_pending_error();
}

// write_npy(data: Float64Array, rows, cols, precision: "f64" | "f32") -> Uint8Array: the bytes of a
// C-order .npy file of shape (rows, cols), as numpy's np.save writes them. data is row-major, rows*cols.
val write_npy_js(val data, val rows, val cols, val precision) {
  {
    val result = val::undefined();
    if (run_catching(
            [&] {
              const int row_count = read_int(rows, "rows");
              const int col_count = read_int(cols, "cols");
              require_in_range("rows", row_count, 1, INT_MAX);
              require_in_range("cols", col_count, 1, INT_MAX);
              const Precision file_precision = parse_precision(read_string(precision, "precision"));
              const std::string shape =
                  "rows*cols=" + std::to_string(row_count) + "*" + std::to_string(col_count) + " numbers";
              const std::uint64_t count =
                  static_cast<std::uint64_t>(row_count) * static_cast<std::uint64_t>(col_count);
              // Checked before allocating: a mismatched rows*cols may be far too large to allocate.
              if (!data.instanceof(val::global("Float64Array"))) {
                invalid("data must be a Float64Array of " + shape + " (got " + type_of(data) + ")");
              }
              const double length = data["length"].as<double>();  // exact: lengths are below 2^53
              if (length != static_cast<double>(count)) {
                invalid("data has " + std::to_string(static_cast<std::uint64_t>(length)) +
                        " entries, expected " + shape);
              }
              MatrixXd matrix(row_count, col_count);
              read_typed_array(data, "data", "Float64Array", shape, static_cast<std::size_t>(count),
                               matrix.data());
              const std::string file = write_npy(matrix, file_precision);
              return val::global("Uint8Array")
                  .new_(emscripten::typed_memory_view(file.size(),
                                                      reinterpret_cast<const std::uint8_t*>(file.data())));
            },
            result)) {
      return result;
    }
  }
  data = val::undefined();
  rows = val::undefined();
  cols = val::undefined();
  precision = val::undefined();
  throw_pending_error();
}

// {n: {min, max}, d: {...}, ...} from param_ranges.h, in its order.
val limits_js() {
  val out = val::object();
  for (const ParamRange& range : kAllRanges) {
    val entry = val::object();
    entry.set("min", static_cast<double>(range.min));
    entry.set("max", static_cast<double>(range.max));
    out.set(range.name, entry);
  }
  return out;
}

// {out_of_range: "{param}={value} must be in [{min}, {max}]", ...}: the core's shared words (errors.h
// kWords), so the page words its own checks of URL text as the core does.
val messages_js() {
  val out = val::object();
  for (const Words& entry : kWords) out.set(entry.key, std::string(entry.text));
  return out;
}

val string_array(const std::vector<std::string>& names) {
  val out = val::array();
  for (const std::string& name : names) out.call<void>("push", name);
  return out;
}

val pattern_names_js() { return string_array(pattern_names()); }

// ---- Depth, heads and architectures (issue 6): collapse(config), mixture(config), architectures(config).
// Same conventions as analyze(): a plain object, unknown keys rejected with the list of known ones,
// missing keys take the CLI's defaults, arrays copied out.

void require_plain_object(const val& js) {
  if (js.isNull() || js.typeOf().as<std::string>() != "object" || js.isArray()) {
    invalid("config must be a plain object (got " + type_of(js) + ")");
  }
}

template <std::size_t Count>
void reject_unknown_keys_of(const val& config, const char* const (&known_keys)[Count]) {
  const val keys = val::global("Object").call<val>("keys", config);
  const int count = keys["length"].as<int>();
  for (int index = 0; index < count; ++index) {
    const std::string key = keys[index].as<std::string>();
    bool is_known = false;
    for (const char* known : known_keys) is_known = is_known || key == known;
    if (!is_known) {
      std::string list;
      for (const char* known : known_keys) list += (list.empty() ? "" : ", ") + std::string(known);
      invalid("config key \"" + key + "\" is unknown (known keys: " + list + ")");
    }
  }
}

std::uint64_t read_seed(const val& js) {
  if (js["seed"].isUndefined()) return 0;
  const long long seed = read_integer(js["seed"], kSeedRange.name);
  require_in_range(kSeedRange.name, seed, kSeedRange.min, kSeedRange.max);
  return static_cast<std::uint64_t>(seed);
}

const char* const kCollapseKeys[] = {"pattern", "variant", "n",      "d_model", "d_k",   "d_ff",
                                     "layers",  "scale",   "seed",   "prefix",  "window", "memory_budget_mib"};

CollapseConfig collapse_config_from_js(const val& js) {
  require_plain_object(js);
  reject_unknown_keys_of(js, kCollapseKeys);
  auto has = [&js](const char* key) { return !js[key].isUndefined(); };
  CollapseConfig c;
  if (has("pattern")) c.pattern = parse_depth_schedule(read_string(js["pattern"], "pattern"));
  if (has("variant")) c.variant = parse_collapse_variant(read_string(js["variant"], "variant"));
  if (has("n")) c.n = read_ranged_int(js["n"], kTokensRange);
  if (has("d_model")) c.d_model = read_ranged_int(js["d_model"], kModelDimRange);
  if (has("d_k")) c.d_k = read_ranged_int(js["d_k"], kKeyDimRange);
  if (has("d_ff")) c.d_ff = read_ranged_int(js["d_ff"], kFfnDimRange);
  if (has("layers")) c.layers = read_ranged_int(js["layers"], kLayersRange);
  if (has("scale")) c.scale = read_number(js["scale"], "scale");
  if (has("memory_budget_mib")) c.memory_budget_mib = read_ranged_int(js["memory_budget_mib"], kMemoryBudgetRange);
  c.seed = read_seed(js);
  if (has("prefix")) {
    c.prefix = read_int(js["prefix"], "prefix");
    require_in_range("prefix", c.prefix, 0, c.n);
  }
  if (has("window")) {
    c.window = read_int(js["window"], "window");
    require_in_range("window", c.window, 1, c.n);
  }
  return c;
}

// {pattern, variant, n, d_model, d_k, d_ff, layers, prefix, window, scale, seed, relative_residual,
//  composite_residual, frobenius_norm, path_residual, path_distance_to_token0, random_path_residual,
//  random_path_distance_to_token0 (Float64Array, L + 1 each),
//  path_first_column (Float64Array (L + 1) * n, row l = P_l[:, 0])}
val collapse_js(val config) {
  {
    val result = val::undefined();
    if (run_catching(
            [&config] {
              const CollapseConfig c = collapse_config_from_js(config);
              return to_js(collapse_result(c, run_collapse(c)));
            },
            result)) {
      return result;
    }
  }
  config = val::undefined();
  throw_pending_error();
}

const char* const kMixtureKeys[] = {"n", "d_model", "heads", "scale", "seed", "want_matrices", "memory_budget_mib"};

val matrix_to_js(const MatrixXd& m) { return copy_to_float64_array(m.data(), static_cast<std::size_t>(m.size())); }

// {n, d_model, heads, d_head, scale, seed, per_head: [{head, direction, is_triangular, min_diagonal,
//  stats (rank_stats_result's keys)}], output: {singular_values, numerical_rank, effective_rank, stable_rank}, product: {min_entry,
//  is_strictly_positive, stats}, split_head: {min_entry, stats}; with want_matrices: head_matrices
//  (array of Float64Array n*n), product_matrix, split_head_matrix}
val mixture_js(val config) {
  {
    val result = val::undefined();
    if (run_catching(
            [&config] {
              require_plain_object(config);
              reject_unknown_keys_of(config, kMixtureKeys);
              auto has = [&config](const char* key) { return !config[key].isUndefined(); };
              MixtureConfig c;
              if (has("n")) c.n = read_ranged_int(config["n"], kTokensRange);
              if (has("d_model")) c.d_model = read_ranged_int(config["d_model"], kModelDimRange);
              if (has("heads")) c.heads = read_ranged_int(config["heads"], kHeadsRange);
              if (has("scale")) c.scale = read_number(config["scale"], "scale");
              if (has("want_matrices")) c.want_matrices = read_bool(config["want_matrices"], "want_matrices");
              if (has("memory_budget_mib")) {
                c.memory_budget_mib = read_ranged_int(config["memory_budget_mib"], kMemoryBudgetRange);
              }
              c.seed = read_seed(config);
              const MixtureResult r = run_mixture(c);
              val out = to_js(mixture_result(c, r));
              if (c.want_matrices) {
                val matrices = val::array();
                for (const MatrixXd& m : r.head_matrices) matrices.call<void>("push", matrix_to_js(m));
                out.set("head_matrices", matrices);
                out.set("product_matrix", matrix_to_js(r.product_matrix));
                out.set("split_head_matrix", matrix_to_js(r.split_head_matrix));
              }
              return out;
            },
            result)) {
      return result;
    }
  }
  config = val::undefined();
  throw_pending_error();
}

const char* const kArchitectureKeys[] = {"d_model", "layers", "heads", "d_ff", "vocab", "n_in", "n_out", "want_masks"};

val mask_to_js(const Mask& m) {
  return val::global("Uint8Array").new_(emscripten::typed_memory_view(static_cast<std::size_t>(m.size()), m.data()));
}

// {d_model, layers, heads, d_ff, vocab, n_in, n_out, architectures: [{architecture: "gpt"|"unilm"|"t5",
//  parameters, embedding_parameters, layer_parameters, flops, attention_flops, flops_per_token}];
//  with want_masks: masks: {decoder_only, prefix_lm (Uint8Array N*N), encoder_self (n_in*n_in),
//  decoder_self (n_out*n_out), cross (n_out*n_in)}}
val architectures_js(val config) {
  {
    val result = val::undefined();
    if (run_catching(
            [&config] {
              require_plain_object(config);
              reject_unknown_keys_of(config, kArchitectureKeys);
              auto has = [&config](const char* key) { return !config[key].isUndefined(); };
              ArchitectureConfig c;
              if (has("d_model")) c.d_model = read_ranged_int(config["d_model"], kModelDimRange);
              if (has("layers")) c.layers = read_ranged_int(config["layers"], kLayersRange);
              if (has("heads")) c.heads = read_ranged_int(config["heads"], kHeadsRange);
              if (has("d_ff")) c.d_ff = read_ranged_int(config["d_ff"], kFfnDimRange);
              if (has("vocab")) c.vocab = read_ranged_int(config["vocab"], kVocabRange);
              if (has("n_in")) c.n_in = read_ranged_int(config["n_in"], kInputTokensRange);
              if (has("n_out")) c.n_out = read_ranged_int(config["n_out"], kOutputTokensRange);
              const bool want_masks = has("want_masks") && read_bool(config["want_masks"], "want_masks");
              val out = to_js(architectures_result(c, architecture_costs(c)));
              if (want_masks) {
                const ArchitectureMasks m = architecture_masks(c);
                val masks = val::object();
                masks.set("decoder_only", mask_to_js(m.decoder_only));
                masks.set("prefix_lm", mask_to_js(m.prefix_lm));
                masks.set("encoder_self", mask_to_js(m.encoder_self));
                masks.set("decoder_self", mask_to_js(m.decoder_self));
                masks.set("cross", mask_to_js(m.cross));
                out.set("masks", masks);
              }
              return out;
            },
            result)) {
      return result;
    }
  }
  config = val::undefined();
  throw_pending_error();
}

const char* const kPermutationKeys[] = {"pattern", "n", "d_model", "scale", "seed", "prefix", "window",
                                        "memory_budget_mib"};

// permutation({pattern, n, d_model, scale, seed, prefix, window}) -> {pattern, prefix (prefix pattern),
// window (window patterns), n, d_model, scale, seed, permutation (Int32Array n), max_deviation,
// relative_deviation, is_equivariant}: claims.md C16 (permutation.h), keys from permutation_result.
val permutation_js(val config) {
  {
    val result = val::undefined();
    if (run_catching(
            [&config] {
              require_plain_object(config);
              reject_unknown_keys_of(config, kPermutationKeys);
              auto has = [&config](const char* key) { return !config[key].isUndefined(); };
              PermutationConfig c;
              c.mask.kind = parse_pattern(has("pattern") ? read_string(config["pattern"], "pattern") : "bidirectional");
              if (c.mask.kind == PatternKind::kCustom) invalid("pattern", "pattern=custom is not available for the permutation test");
              if (has("n")) c.n = read_ranged_int(config["n"], kTokensRange);
              if (has("d_model")) c.d_model = read_ranged_int(config["d_model"], kModelDimRange);
              if (has("scale")) c.scale = read_number(config["scale"], "scale");
              if (has("memory_budget_mib")) {
                c.memory_budget_mib = read_ranged_int(config["memory_budget_mib"], kMemoryBudgetRange);
              }
              c.seed = read_seed(config);
              c.mask.prefix = has("prefix") ? read_int(config["prefix"], "prefix") : default_prefix(c.n);
              c.mask.window = has("window") ? read_int(config["window"], "window") : default_window(c.n);
              return to_js(permutation_result(c, run_permutation_test(c)));
            },
            result)) {
      return result;
    }
  }
  config = val::undefined();
  throw_pending_error();
}

// ---- Claims (issue 7): claims(config) -> {claims: [{id, tag, tag_detail_en, tag_detail_zh, statement_en,
// statement_zh, source_en, source_zh, backing_test, verdict: {status, parts: [{key, label_en, label_zh, holds}], facts:
// [{key, label_en, label_zh, value, format}]}}]} for the config object of analyze() (src/core/claims.h);
// claim_catalogue() -> {claims: [...]}: the same entries without verdicts. Plain arrays, finite numbers.

val claims_js(val config) {
  {
    val result = val::undefined();
    if (run_catching(
            [&config] {
              return to_js(claims_result(evaluate_claims(config_from_js(config))));
            },
            result)) {
      return result;
    }
  }
  config = val::undefined();
  throw_pending_error();
}

val claim_catalogue_js() {
  ResultValue list = ResultValue::list();
  for (const ClaimEntry& e : claim_catalogue()) list.push(claim_entry_result(e));
  ResultValue out = ResultValue::object();
  out.add("claims", std::move(list));
  return to_js(out);
}

// memory_usage() -> {heap_bytes, footprint, max_footprint, in_use, stack_pointer, default_budget_mib}: the
// wasm memory's size, the allocator's current and highest footprint and its bytes in use (mallinfo), the
// shadow stack pointer. For the soak test and the estimate-vs-measured table (docs/memory.md); numbers
// about the module itself, not results.
val memory_usage_js() {
  const struct mallinfo info = mallinfo();
  val out = val::object();
  out.set("heap_bytes", static_cast<double>(emscripten_get_heap_size()));
  out.set("footprint", static_cast<double>(static_cast<unsigned>(info.arena)));
  out.set("max_footprint", static_cast<double>(static_cast<unsigned>(info.usmblks)));
  out.set("in_use", static_cast<double>(static_cast<unsigned>(info.uordblks)));
  out.set("stack_pointer", static_cast<double>(emscripten_stack_get_current()));
  out.set("default_budget_mib", kDefaultMemoryBudgetMiB);
  return out;
}

val depth_pattern_names_js() { return string_array(depth_schedule_names()); }
// patterns() -> the pattern registry (result_fields.h pattern_registry_result): ids, words, parameters,
// groups, display order and colours of the patterns and the depth schedules.
val patterns_js() { return to_js(pattern_registry_result()); }

val feature_map_names_js() { return string_array(feature_map_names()); }
std::string version_js() { return ATTNRANK_VERSION; }

}  // namespace
}  // namespace attnrank

EMSCRIPTEN_BINDINGS(attnrank) {
  emscripten::function("analyze", &attnrank::analyze_js);
  emscripten::function("limits", &attnrank::limits_js);
  emscripten::function("messages", &attnrank::messages_js);
  emscripten::function("pattern_names", &attnrank::pattern_names_js);
  emscripten::function("feature_map_names", &attnrank::feature_map_names_js);
  emscripten::function("version", &attnrank::version_js);
  emscripten::function("parse_npy", &attnrank::parse_npy_js);
  emscripten::function("write_npy", &attnrank::write_npy_js);
  emscripten::function("collapse", &attnrank::collapse_js);
  emscripten::function("mixture", &attnrank::mixture_js);
  emscripten::function("architectures", &attnrank::architectures_js);
  emscripten::function("permutation", &attnrank::permutation_js);
  emscripten::function("depth_pattern_names", &attnrank::depth_pattern_names_js);
  emscripten::function("patterns", &attnrank::patterns_js);
  emscripten::function("memory_usage", &attnrank::memory_usage_js);
  emscripten::function("claims", &attnrank::claims_js);
  emscripten::function("claim_catalogue", &attnrank::claim_catalogue_js);
}
