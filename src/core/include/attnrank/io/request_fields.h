// Request fields: which field of a request's config each registry parameter sets (issue 14 item 1). The
// parameter registry (base/parameter_registry.h) says what a parameter is (type, range, default, CLI flag);
// these tables say where it goes, request by request, so that neither the CLI nor the wasm binding writes
// "parameter -> config field" by hand. Each front end reads a value of the registry's type from its own
// input (the CLI from its options, the binding from the JS config object; a wrong type is refused there, in
// the core's words) and hands it to the one apply step here, which bounds it and sets the field; a
// parameter not given takes the registry's default for the request. The binding's list of known config
// keys is the table's keys (known_keys), in the table's order.
//
// Special cases, each marked in its row or done by finish_*():
// - q, k (the user's matrices): a file path in the CLI, a Float64Array of n*d in the binding, so each front
//   end reads them itself (they need n, d and refuse seed/rope/repeat beside them): rows without a setter.
// - custom_mask (wasm only: a Uint8Array of n*n) and want_masks (wasm only: not a config field, it adds
//   the masks to architectures()' result): rows without a setter, read by the binding.
// - want_matrix, want_matrices: wasm-only config keys (no registry parameter: the CLI sets want_matrix from
//   --dump-matrix), booleans.
// - prefix, window: their defaults (n / 2, min(4, n)) depend on n, which is known only after every row
//   and, in the CLI, after Q is loaded: finish_analysis_config / finish_permutation_config. Their bound
//   is worded against n (FieldBound::kMaskSize).
// - seed: its range [0, 2^32 - 1] is wider than int: checked here against the registry's range, the field
//   is 64-bit.
// - features: its range holds only for the favor feature map (the core checks it there): only narrowed
//   to int here (FieldBound::kInt).
// - collapse reads prefix -1 and window -1 as "the default": a given one is checked by finish_collapse_config.
// - list parameters (patterns): one request takes one item. A row of a list parameter sets one item, under
//   the singular key ("pattern"); the CLI loops over the list and applies each item with that row.
//
// Adding a parameter: its registry entry, then one row here (request_fields.cpp) in the table of each
// request it applies to; tests/native/test_request_fields.cpp fails until both exist. The train request
// (kRequestTrain) has its table in the lab (lab/run_request.h: io cannot include the lab), a
// ConfigTable<lab::RunRequest> read by the same read_fields in `attnrank train` and the lab binding; its
// rows are FieldBound::kRequest (lab::run_base checks every option, in its order, with the registry's
// range for train).
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "attnrank/base/parameter_registry.h"
#include "attnrank/experiments/analysis.h"
#include "attnrank/experiments/architecture.h"
#include "attnrank/experiments/collapse.h"
#include "attnrank/experiments/mixture.h"
#include "attnrank/experiments/permutation.h"

namespace attnrank {

// One parameter's value as a front end read it, of the registry's type (field_type).
struct ParamValue {
  long long integer = 0;  // kInteger (bounded by apply_field)
  double number = 0.0;    // kNumber (its finiteness and range are the request's validation)
  bool boolean = false;   // kBoolean
  std::string text;       // kChoice (parsed by the row's setter, in the core's words), kText, one item of a kList
};

// How apply_field bounds a given integer before the setter narrows it.
enum class FieldBound {
  kRange,     // the registry's range (ParamRange), or int where it has none
  kInt,       // only narrowed to int: the request's validation checks the range where it applies
  kMaskSize,  // prefix (lowest 0) / window (lowest 1): narrowed to int in the words the core uses against n
  kRequest,   // not here: the request's own validation bounds it (lab::run_base, with its cross checks)
};

template <typename Config>
struct ConfigField {
  const char* key;    // the key of the wasm config object: the registry's name, or an item's singular name
  const char* param;  // the registry parameter, or "" for a wasm-only key (want_matrix, custom_mask, ...)
  void (*set)(Config&, const ParamValue&);  // nullptr: read by each front end itself (see above)
  FieldBound bound = FieldBound::kRange;
};

template <typename Config>
struct ConfigTable {
  std::vector<ConfigField<Config>> fields;  // in the order of the binding's known keys
  int (*tokens)(const Config&);             // n as read so far: the words of prefix / window
};

// stats, sweep and claims (wasm analyze() and claims()); collapse; mixture; arch (architectures());
// permutation.
const ConfigTable<AnalysisConfig>& analysis_fields();
const ConfigTable<CollapseConfig>& collapse_fields();
const ConfigTable<MixtureConfig>& mixture_fields();
const ConfigTable<ArchitectureConfig>& architecture_fields();
const ConfigTable<PermutationConfig>& permutation_fields();

// The registry's type of a row's parameter; kBoolean for the wasm-only keys with a setter.
ParamType field_type(const char* param);
// A row applies to `request` when its registry parameter names the request; wasm-only rows always do.
bool field_applies(const char* param, RequestKind request);
// The registry's parameters of `request` that set no config field: the command's own options (output
// format, the file it writes, the lists it loops over, the sweep's axis, claims' language), read by the
// CLI command itself. With the table's rows they are every parameter of the request (tested).
std::vector<std::string> command_options(RequestKind request);
// The registry's default of `param` for `request` as a value of `type` (none: no default, or derived).
std::optional<ParamValue> field_default(const char* param, ParamType type, RequestKind request);
// Throws, in the core's words naming `param`, when a given integer is outside its bound; `n` as known.
void bound_integer(const char* param, FieldBound bound, long long value, int n);

// The value of one row from a front end: key (the wasm key), info (the registry entry; nullptr for a
// wasm-only key), type (field_type). Empty when the front end was not given it.
using FieldSource =
    std::function<std::optional<ParamValue>(const char* key, const ParameterInfo* info, ParamType type)>;

// The one apply step: bounds a given integer, then sets the field (the setter parses a choice).
template <typename Config>
void apply_field(const ConfigTable<Config>& table, const ConfigField<Config>& row, Config& config,
                 const ParamValue& value) {
  if (field_type(row.param) == ParamType::kInteger) {
    bound_integer(row.param, row.bound, value.integer, table.tokens == nullptr ? 0 : table.tokens(config));
  }
  row.set(config, value);
}

[[noreturn]] void throw_no_field(const char* param);
// The row of registry parameter `param` (a programming error when there is none: std::logic_error).
template <typename Config>
const ConfigField<Config>& field_of(const ConfigTable<Config>& table, const char* param) {
  for (const ConfigField<Config>& row : table.fields)
    if (std::string(row.param) == param) return row;
  throw_no_field(param);
}

// Every row of `request` with a setter, in table order: the front end's value, else the registry's
// default for the request, applied to `config`. Returns the keys the front end gave.
template <typename Config>
std::set<std::string> read_fields(const ConfigTable<Config>& table, RequestKind request, Config& config,
                                  const FieldSource& source) {
  std::set<std::string> given;
  for (const ConfigField<Config>& row : table.fields) {
    if (row.set == nullptr || !field_applies(row.param, request)) continue;
    const ParameterInfo* info = *row.param == '\0' ? nullptr : &parameter_info(row.param);
    const ParamType type = field_type(row.param);
    std::optional<ParamValue> value = source(row.key, info, type);
    if (value) {
      given.insert(row.key);
    } else {
      value = field_default(row.param, type, request);
    }
    if (value) apply_field(table, row, config, *value);
  }
  return given;
}

// The binding's known config keys of `request`: every row's key that applies, in table order.
template <typename Config>
std::vector<std::string> known_keys(const ConfigTable<Config>& table, RequestKind request) {
  std::vector<std::string> keys;
  for (const ConfigField<Config>& row : table.fields)
    if (field_applies(row.param, request)) keys.emplace_back(row.key);
  return keys;
}

// The parameters of the seeded inputs (InputSpec), which mean nothing beside the user's Q and K: both
// front ends refuse them with q/k (the CLI refuses n and d too: Q's file gives the shape, which the
// binding needs as n and d).
const std::vector<std::string>& seeded_input_parameters();

// After the rows and the user's matrices: the favor projection's seed (derived from the input seed) and
// the size defaults p = n / 2, w = min(4, n) of those not given (n: Q's rows when the user gave Q).
void finish_analysis_config(AnalysisConfig& config, bool has_prefix, bool has_window);
// Only the size defaults (a sweep over n re-applies them).
void apply_mask_size_defaults(AnalysisConfig& config, bool has_prefix, bool has_window);
// A given prefix / window in [0, n] / [1, n] (collapse reads -1 as its default, so -1 must not pass).
void finish_collapse_config(CollapseConfig& config, bool has_prefix, bool has_window);
// mixture: a given d (the head dimension) sets d_model = heads * d; a d_model given beside it must agree.
void finish_mixture_config(MixtureConfig& config, bool has_d, bool has_d_model);
// The size defaults of those not given.
void finish_permutation_config(PermutationConfig& config, bool has_prefix, bool has_window);

}  // namespace attnrank
