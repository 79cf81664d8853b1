// From command-line options to an AnalysisConfig: the flags of `stats`, `sweep` and `claims` through the
// core's request field table (io/request_fields.h: each registry parameter's field, default and bound),
// then the special cases it leaves to the CLI: Q, K from .npy files and --dump-matrix. Size-dependent
// defaults (p = n/2, w = min(4, n)) are re-applied whenever a sweep changes n, unless the user fixed them.
#pragma once

#include <string>
#include <vector>

#include "args.h"
#include "attnrank/experiments/analysis.h"

namespace attnrank::cli {

struct Request {
  AnalysisConfig config;
  bool has_prefix = false;  // --prefix given
  bool has_window = false;  // --window given
  std::string dump_matrix_path;
};

// The option names that take no value (the registry's boolean parameters).
const std::set<std::string>& flag_options();

// The parameters refused beside --q/--k: n and d (Q's file gives the shape) and the seeded inputs' own
// (request_fields.h seeded_input_parameters). The usage text names them.
std::vector<std::string> refused_with_user_inputs();

// The analysis options of `command` (stats, sweep or claims: the registry's defaults of that command).
Request request_from_args(Args& args, RequestKind command);

// Sets n (seeded input) and the size-dependent defaults the user did not fix.
void set_tokens(Request& request, int n);
void apply_size_defaults(Request& request);

}  // namespace attnrank::cli
