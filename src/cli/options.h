// From command-line options to an AnalysisConfig: the flags of `stats` and `sweep`, their defaults,
// and loading Q, K from .npy files. Size-dependent defaults (p = n/2, w = min(4, n)) are re-applied
// whenever a sweep changes n, unless the user fixed them.
#pragma once

#include <string>

#include "args.h"
#include "attnrank/experiments/analysis.h"

namespace attnrank::cli {

struct Request {
  AnalysisConfig config;
  bool has_prefix = false;  // --prefix given
  bool has_window = false;  // --window given
  std::string dump_matrix_path;
};

// --memory-limit MiB (the registry's memory_budget_mib; default kDefaultMemoryBudgetMiB, memory_estimate.h): requests whose estimated peak
// memory exceeds it are refused before they allocate. Every computing command reads it.
int memory_limit_option(Args& args);

// The option names that take no value (the registry's boolean parameters).
const std::set<std::string>& flag_options();

// The analysis options of `command` (stats, sweep or claims: the registry's defaults of that command).
Request request_from_args(Args& args, RequestKind command);

// Sets n (seeded input) and the size-dependent defaults the user did not fix.
void set_tokens(Request& request, int n);
void apply_size_defaults(Request& request);

}  // namespace attnrank::cli
