// The parameter registry: every parameter a request, a command, the page's URL or an <attn-figure>
// takes, defined once: its name (the config key and the `param` an error names), type, range (a
// ParamRange of param_ranges.h, so a bound is written once) or choices, defaults (per request where they
// differ), CLI flag, URL key, embed attribute, the requests it applies to and the key of its label in
// web/i18n. The CLI's option parser and usage, the wasm parameters() export and the page's URL state and
// element attributes read this table. Leaves out: checks that depend on other parameters (prefix <= n,
// heads even), which stay with the request's own validation (masks.cpp, mixture.cpp, ...).
#pragma once

#include <string>
#include <vector>

#include "attnrank/base/param_ranges.h"

namespace attnrank {

enum class ParamType {
  kInteger,  // a whole number, in `range` when it has one
  kNumber,   // a finite real
  kChoice,   // one of `choices`
  kBoolean,  // a flag: true / false (CLI: --flag; URL: 1 / 0)
  kText,     // free text (a file path)
  kList,     // comma-separated items (CLI lists, sweep values)
};

// Where a parameter is read: the CLI's commands (stats is analyze() in wasm, arch is architectures()),
// and `page`, the explorer's URL and the embed's attributes. A bit set.
enum RequestKind : unsigned {
  kRequestStats = 1u << 0,
  kRequestSweep = 1u << 1,
  kRequestClaims = 1u << 2,
  kRequestCollapse = 1u << 3,
  kRequestMixture = 1u << 4,
  kRequestArch = 1u << 5,
  kRequestPermutation = 1u << 6,
  kRequestPage = 1u << 7,
  // `attnrank train` and the lab's wasm lab_start(): lab::RunRequest's table (lab/run_fields.h).
  kRequestTrain = 1u << 8,
};
inline constexpr unsigned kRequestCount = 9;

// A default that differs for some requests (the first matching entry wins over `default_value`).
struct RequestDefault {
  unsigned requests;
  const char* value;
};

// A range that differs for some requests (the first matching entry wins over `range`): the train
// request's n, layers and seed (param_ranges.h says why).
struct RequestRange {
  unsigned requests;
  const ParamRange* range;
};

struct ParameterInfo {
  const char* name;           // config key and error param: "n", "d_model", "memory_budget_mib"
  ParamType type;
  const ParamRange* range;    // nullptr: no fixed range (bounded by another parameter, or not an integer)
  const char* choices;        // kChoice: "softmax,linear"; "" where the core lists them (pattern)
  const char* default_value;  // as written on a command line; "" = none or derived (prefix: n / 2)
  std::vector<RequestDefault> defaults;  // per-request defaults
  const char* cli_flag;       // "d-model" (--d-model); "" = not a CLI option
  const char* url_key;        // the page's URL key; "" = not in the URL
  const char* attribute;      // the <attn-figure> attribute; "" = none
  unsigned requests;          // RequestKind bits
  const char* words_key;      // its label in web/i18n ("control.n"); "" = none
  const char* note;           // the usage text's words for a derived default ("n/2"), or ""
  std::vector<RequestRange> ranges = {};  // per-request ranges (same name as `range`)
};

// Every parameter, in the order the usage text and parameters() list them.
const std::vector<ParameterInfo>& parameter_registry();
// The entry named `name` (config key); an unknown name is a programming error (std::logic_error).
const ParameterInfo& parameter_info(const std::string& name);
// The entry whose CLI flag is `flag`, or nullptr. A flag names one parameter per command (train's --values
// is its MQAR value count, sweep's the swept values): the first entry with it.
const ParameterInfo* parameter_by_flag(const std::string& flag);

const char* param_type_name(ParamType type);
const char* request_name(RequestKind request);  // "stats", "sweep", ..., "page", "train"
// The default of `info` for one request (a single RequestKind bit), as text ("" = none or derived).
std::string parameter_default(const ParameterInfo& info, RequestKind request);
// The range of `info` for one request (a single RequestKind bit), or nullptr.
const ParamRange* parameter_range(const ParameterInfo& info, RequestKind request);
// The choices of a kChoice parameter (pattern: the pattern registry's names, custom included).
std::vector<std::string> parameter_choices(const ParameterInfo& info);
// The names of the parameters of `request`, in registry order.
std::vector<std::string> parameters_of(RequestKind request);
// The CLI flags that take no value (the boolean parameters).
std::vector<std::string> boolean_flags();

}  // namespace attnrank
