// The request field tables (request_fields.h). Rows are in the order of the wasm binding's known keys
// (its "config key is unknown (known keys: ...)" message lists them in this order); a row's setter narrows
// the bounded value to its field and parses a choice with the core's parser (errors in the core's words).
#include "attnrank/io/request_fields.h"

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>

#include "attnrank/attention/linear_attention.h"
#include "attnrank/attention/masks.h"
#include "attnrank/base/errors.h"
#include "attnrank/base/pattern_registry.h"

namespace attnrank {
namespace {

using V = ParamValue;
constexpr FieldBound kInt = FieldBound::kInt;
constexpr FieldBound kMaskSize = FieldBound::kMaskSize;

// Every value reaching a setter of an int field was bounded to int (or to a narrower range) by apply_field.
int as_int(const V& v) { return static_cast<int>(v.integer); }
// The seed's range [0, 2^32 - 1] (checked by apply_field) is wider than int: the field is 64-bit.
std::uint64_t as_seed(const V& v) { return static_cast<std::uint64_t>(v.integer); }

const ConfigTable<AnalysisConfig> kAnalysis{
    {
        {"pattern", "pattern", [](AnalysisConfig& c, const V& v) { c.mask.kind = parse_pattern(v.text); }},
        {"n", "n", [](AnalysisConfig& c, const V& v) { c.inputs.n = as_int(v); }},
        {"d", "d", [](AnalysisConfig& c, const V& v) { c.inputs.d = as_int(v); }},
        {"seed", "seed", [](AnalysisConfig& c, const V& v) { c.inputs.seed = as_seed(v); }},
        {"scale", "scale", [](AnalysisConfig& c, const V& v) { c.scale = v.number; }},
        {"prefix", "prefix", [](AnalysisConfig& c, const V& v) { c.mask.prefix = as_int(v); }, kMaskSize},
        {"window", "window", [](AnalysisConfig& c, const V& v) { c.mask.window = as_int(v); }, kMaskSize},
        {"kind", "kind", [](AnalysisConfig& c, const V& v) { c.kind = parse_attention_kind(v.text); }},
        {"feature", "feature", [](AnalysisConfig& c, const V& v) { c.linear.feature = parse_feature_map(v.text); }},
        // Bounded only for the favor feature map, by analyze() (the range does not hold otherwise).
        {"features", "features", [](AnalysisConfig& c, const V& v) { c.linear.features = as_int(v); }, kInt},
        {"precision", "precision", [](AnalysisConfig& c, const V& v) { c.precision = parse_precision(v.text); }},
        {"rope", "rope", [](AnalysisConfig& c, const V& v) { c.inputs.rope = v.boolean; }},
        {"repeat", "repeat", [](AnalysisConfig& c, const V& v) { c.inputs.repeat_period = as_int(v); }},
        // wasm only: the CLI asks for the matrix with --dump-matrix FILE (a command option).
        {"want_matrix", "", [](AnalysisConfig& c, const V& v) { c.want_matrix = v.boolean; }},
        {"custom_mask", "", nullptr},  // wasm only: a Uint8Array of n*n, read by the binding
        {"q", "q", nullptr},           // the user's Q: a .npy path (CLI) or a Float64Array (wasm), read by each
        {"k", "k", nullptr},           // front end; they refuse seed, rope and repeat beside them
        {"memory_budget_mib", "memory_budget_mib", [](AnalysisConfig& c, const V& v) { c.memory_budget_mib = as_int(v); }},
    },
    [](const AnalysisConfig& c) { return c.inputs.n; },
};

const ConfigTable<CollapseConfig> kCollapse{
    {
        // One request runs one schedule: the item of the CLI's --patterns list, the wasm key "pattern".
        {"pattern", "patterns", [](CollapseConfig& c, const V& v) { c.pattern = parse_depth_schedule(v.text); }},
        {"variant", "variant", [](CollapseConfig& c, const V& v) { c.variant = parse_collapse_variant(v.text); }},
        {"n", "n", [](CollapseConfig& c, const V& v) { c.n = as_int(v); }},
        {"d_model", "d_model", [](CollapseConfig& c, const V& v) { c.d_model = as_int(v); }},
        // Not given: 0, the core's "d_model" / "4 d_model" (the registry's derived default).
        {"d_k", "d_k", [](CollapseConfig& c, const V& v) { c.d_k = as_int(v); }},
        {"d_ff", "d_ff", [](CollapseConfig& c, const V& v) { c.d_ff = as_int(v); }},
        {"layers", "layers", [](CollapseConfig& c, const V& v) { c.layers = as_int(v); }},
        {"scale", "scale", [](CollapseConfig& c, const V& v) { c.scale = v.number; }},
        {"seed", "seed", [](CollapseConfig& c, const V& v) { c.seed = as_seed(v); }},
        // Not given: -1, the core's n / 2 and min(4, n); a given one is checked by finish_collapse_config.
        {"prefix", "prefix", [](CollapseConfig& c, const V& v) { c.prefix = as_int(v); }, kMaskSize},
        {"window", "window", [](CollapseConfig& c, const V& v) { c.window = as_int(v); }, kMaskSize},
        {"memory_budget_mib", "memory_budget_mib", [](CollapseConfig& c, const V& v) { c.memory_budget_mib = as_int(v); }},
    },
    [](const CollapseConfig& c) { return c.n; },
};

const ConfigTable<MixtureConfig> kMixture{
    {
        {"n", "n", [](MixtureConfig& c, const V& v) { c.n = as_int(v); }},
        {"d_model", "d_model", [](MixtureConfig& c, const V& v) { c.d_model = as_int(v); }},
        {"heads", "heads", [](MixtureConfig& c, const V& v) { c.heads = as_int(v); }},
        // The head dimension; not given: 0, d_model / heads. finish_mixture_config sets d_model = heads * d.
        {"d", "d", [](MixtureConfig& c, const V& v) { c.d_head = as_int(v); }},
        {"scale", "scale", [](MixtureConfig& c, const V& v) { c.scale = v.number; }},
        {"seed", "seed", [](MixtureConfig& c, const V& v) { c.seed = as_seed(v); }},
        {"want_matrices", "", [](MixtureConfig& c, const V& v) { c.want_matrices = v.boolean; }},  // wasm only
        {"memory_budget_mib", "memory_budget_mib", [](MixtureConfig& c, const V& v) { c.memory_budget_mib = as_int(v); }},
    },
    nullptr,
};

const ConfigTable<ArchitectureConfig> kArchitecture{
    {
        {"d_model", "d_model", [](ArchitectureConfig& c, const V& v) { c.d_model = as_int(v); }},
        {"layers", "layers", [](ArchitectureConfig& c, const V& v) { c.layers = as_int(v); }},
        {"heads", "heads", [](ArchitectureConfig& c, const V& v) { c.heads = as_int(v); }},
        {"d_ff", "d_ff", [](ArchitectureConfig& c, const V& v) { c.d_ff = as_int(v); }},
        {"vocab", "vocab", [](ArchitectureConfig& c, const V& v) { c.vocab = as_int(v); }},
        {"n_in", "n_in", [](ArchitectureConfig& c, const V& v) { c.n_in = as_int(v); }},
        {"n_out", "n_out", [](ArchitectureConfig& c, const V& v) { c.n_out = as_int(v); }},
        {"want_masks", "", nullptr},  // wasm only, no config field: adds the masks to the result (the binding)
    },
    nullptr,
};

const ConfigTable<PermutationConfig> kPermutation{
    {
        // One request tests one pattern: the item of the CLI's --patterns list, the wasm key "pattern".
        {"pattern", "patterns", [](PermutationConfig& c, const V& v) { c.mask.kind = parse_pattern(v.text); }},
        {"n", "n", [](PermutationConfig& c, const V& v) { c.n = as_int(v); }},
        {"d_model", "d_model", [](PermutationConfig& c, const V& v) { c.d_model = as_int(v); }},
        {"scale", "scale", [](PermutationConfig& c, const V& v) { c.scale = v.number; }},
        {"seed", "seed", [](PermutationConfig& c, const V& v) { c.seed = as_seed(v); }},
        {"prefix", "prefix", [](PermutationConfig& c, const V& v) { c.mask.prefix = as_int(v); }, kMaskSize},
        {"window", "window", [](PermutationConfig& c, const V& v) { c.mask.window = as_int(v); }, kMaskSize},
        {"memory_budget_mib", "memory_budget_mib", [](PermutationConfig& c, const V& v) { c.memory_budget_mib = as_int(v); }},
    },
    [](const PermutationConfig& c) { return c.n; },
};

// The registry's parameters that set no config field, and the requests where they are the command's own.
struct CommandOption {
  const char* name;
  unsigned requests;
};
const CommandOption kCommandOptions[] = {
    {"patterns", kRequestSweep},                      // sweep: one analysis per pattern (each sets `pattern`)
    {"variants", kRequestCollapse},                   // collapse: one run per variant (each sets `variant`)
    {"sweep_over", kRequestSweep},                    // the swept parameter
    {"sweep_values", kRequestSweep},                  // and its values
    {"lang", kRequestClaims},                         // the language of claims' lines
    {"dump_matrix", kRequestStats},                   // the file the matrix is written to (sets want_matrix)
    {"json", ~0u},                                    // output formats
    {"csv", ~0u},
    // train: grids (one run per item: configs sets masks and attention, seeds sets seed), files, output.
    {"configs", kRequestTrain},
    {"seeds", kRequestTrain},
    {"stop_after", kRequestTrain},
    {"format", kRequestTrain},
    {"out", kRequestTrain},
    {"save", kRequestTrain},
    {"load", kRequestTrain},
    {"dump_dir", kRequestTrain},
    {"corpus", kRequestTrain},
    {"quiet", kRequestTrain},
    {"list_configs", kRequestTrain},
    {"attention_out", kRequestTrain},
    {"list_experiments", kRequestTrain},
    {"verdicts", kRequestTrain},
    {"at_step", kRequestTrain},
};

}  // namespace

const ConfigTable<AnalysisConfig>& analysis_fields() { return kAnalysis; }
const ConfigTable<CollapseConfig>& collapse_fields() { return kCollapse; }
const ConfigTable<MixtureConfig>& mixture_fields() { return kMixture; }
const ConfigTable<ArchitectureConfig>& architecture_fields() { return kArchitecture; }
const ConfigTable<PermutationConfig>& permutation_fields() { return kPermutation; }

void throw_no_field(const char* param) { throw std::logic_error(std::string("no config field for parameter ") + param); }

ParamType field_type(const char* param) {
  return *param == '\0' ? ParamType::kBoolean : parameter_info(param).type;
}

bool field_applies(const char* param, RequestKind request) {
  return *param == '\0' || (parameter_info(param).requests & request) != 0;
}

std::vector<std::string> command_options(RequestKind request) {
  std::vector<std::string> out;
  for (const CommandOption& option : kCommandOptions)
    if ((option.requests & request) != 0 && (parameter_info(option.name).requests & request) != 0)
      out.emplace_back(option.name);
  return out;
}

std::optional<ParamValue> field_default(const char* param, ParamType type, RequestKind request) {
  if (*param == '\0') return std::nullopt;  // wasm-only keys keep the config struct's value
  const std::string text = parameter_default(parameter_info(param), request);
  if (text.empty()) return std::nullopt;  // none, or derived from other parameters (the struct's marker)
  ParamValue value;
  switch (type) {
    case ParamType::kInteger: value.integer = std::strtoll(text.c_str(), nullptr, 10); break;
    case ParamType::kNumber: value.number = std::strtod(text.c_str(), nullptr); break;
    case ParamType::kBoolean: value.boolean = text == "true"; break;
    default: value.text = text; break;
  }
  return value;
}

void bound_integer(const char* param, FieldBound bound, long long value, int n) {
  const ParamRange* range = *param == '\0' ? nullptr : parameter_info(param).range;
  switch (bound) {
    case FieldBound::kRange:
      if (range != nullptr) {
        require_in_range(range->name, value, range->min, range->max);
        return;
      }
      break;
    case FieldBound::kRequest: return;
    case FieldBound::kInt:
      // A value an int cannot hold is outside the parameter's documented range too: say that range
      // (issue 16 item 12: features=99999999999 said [-2147483648, 2147483647]).
      if (range != nullptr && (value < INT_MIN || value > INT_MAX)) require_in_range(range->name, value, range->min, range->max);
      break;
    case FieldBound::kMaskSize: {
      // An int cannot hold it: worded as the core words a prefix / window out of [lowest, n]; the rest is
      // left to the request's own check (masks.cpp), which words it the same way.
      const long long lowest = std::string(param) == "prefix" ? 0 : 1;
      if (value < lowest && value < INT_MIN) {
        fail(ErrorCode::kInvalidArgument, param,
             fill_words("below_min", {{"param", param}, {"value", std::to_string(value)}, {"min", std::to_string(lowest)}}));
      }
      if (value > n && value > INT_MAX) {
        fail(ErrorCode::kInvalidArgument, param,
             fill_words("exceeds_n", {{"param", param}, {"value", std::to_string(value)}, {"n", std::to_string(n)}}));
      }
      return;
    }
  }
  require_in_range(param, value, INT_MIN, INT_MAX);
}

const std::vector<std::string>& seeded_input_parameters() {
  static const std::vector<std::string> names = {"seed", "rope", "repeat"};
  return names;
}

void apply_mask_size_defaults(AnalysisConfig& config, bool has_prefix, bool has_window) {
  const int n = config.user_q ? static_cast<int>(config.user_q->rows()) : config.inputs.n;
  if (!has_prefix) config.mask.prefix = default_prefix(n);
  if (!has_window) config.mask.window = default_window(n);
}

void finish_analysis_config(AnalysisConfig& config, bool has_prefix, bool has_window) {
  // The favor projection has its own stream, derived from the input seed.
  config.linear.seed = config.inputs.seed;
  apply_mask_size_defaults(config, has_prefix, has_window);
}

void finish_collapse_config(CollapseConfig& config, bool has_prefix, bool has_window) {
  if (has_prefix) require_prefix(config.prefix, config.n);
  if (has_window) require_window(config.window, config.n);
}

void finish_mixture_config(MixtureConfig& config, bool has_d, bool has_d_model) {
  if (!has_d) return;
  const long long width = static_cast<long long>(config.heads) * config.d_head;
  if (has_d_model && width != config.d_model) {
    fail(ErrorCode::kInvalidArgument, "d_model",
         message("d_model=", config.d_model, " disagrees with heads=", config.heads, " times d=", config.d_head,
                 " (give d, the head dimension, or d_model, not both)"));
  }
  // Out of int's range only with heads and d near their maxima: validate() names d_model's range then.
  config.d_model = width > INT_MAX ? INT_MAX : static_cast<int>(width);
}

void finish_permutation_config(PermutationConfig& config, bool has_prefix, bool has_window) {
  if (!has_prefix) config.mask.prefix = default_prefix(config.n);
  if (!has_window) config.mask.window = default_window(config.n);
}

}  // namespace attnrank
