// Option parsing for analysis requests: the core's field table reads every config field (flags, types,
// defaults, bounds: request_fields.h); ranges that depend on other parameters are left to analyze(), so
// the CLI and the wasm module reject the same inputs the same way.
#include "options.h"

#include "attnrank/base/errors.h"
#include "attnrank/experiments/analysis.h"
#include "attnrank/io/npy.h"
#include "attnrank/io/request_fields.h"
#include "file_io.h"

namespace attnrank::cli {

namespace {

// Q or K from its .npy file, refused from the header alone (before the data is read) when its shape is
// beyond the limits or a request of that shape is beyond the memory budget.
MatrixXd load_matrix(const std::string& path, const AnalysisConfig& config) {
  const auto check = [&config](const NpyHeader& header) {
    const std::int64_t rows = header.shape[0];
    const std::int64_t cols = header.shape.size() == 2 ? header.shape[1] : 1;
    if (rows == 0 || cols == 0) return;  // npy_to_matrix names an empty array
    require_input_shape(rows, cols);
    AnalysisConfig at_this_shape = config;  // seeded inputs of the same shape take the memory loaded ones do
    at_this_shape.inputs.n = static_cast<int>(rows);
    at_this_shape.inputs.d = static_cast<int>(cols);
    require_analysis_within_budget(at_this_shape);
  };
  return npy_to_matrix(parse_npy(read_npy_file(path, check), path), path);
}

}  // namespace

const std::set<std::string>& flag_options() { return registry_flags(); }

std::vector<std::string> refused_with_user_inputs() {
  std::vector<std::string> names = {"n", "d"};  // Q's file gives the shape
  for (const std::string& name : seeded_input_parameters()) names.push_back(name);
  return names;
}

Request request_from_args(Args& args, RequestKind command) {
  Request request;
  AnalysisConfig& config = request.config;
  const std::set<std::string> given = read_fields(analysis_fields(), command, config, cli_source(args));
  request.has_prefix = given.count("prefix") > 0;
  request.has_window = given.count("window") > 0;

  // The user's Q and K (rows without a setter in the table): .npy files, which define n and d.
  const bool has_q = has_param(args, "q");
  const bool has_k = has_param(args, "k");
  if (has_q != has_k) fail(ErrorCode::kInvalidArgument, "--q and --k must be given together");
  if (has_q) {
    for (const std::string& name : refused_with_user_inputs()) {
      if (has_param(args, name.c_str())) {
        fail(ErrorCode::kInvalidArgument, name,
             std::string("--") + parameter_info(name).cli_flag + " cannot be combined with --q/--k (they define the inputs)");
      }
    }
  }
  // A command option: the file the matrix goes to (stats; sweep and claims refuse it).
  request.dump_matrix_path = text_param(args, "dump_matrix", command);
  config.want_matrix = !request.dump_matrix_path.empty();
  if (has_q) {  // after want_matrix, which the memory check counts
    config.user_q = load_matrix(text_param(args, "q", command), config);
    config.user_k = load_matrix(text_param(args, "k", command), config);
  }
  finish_analysis_config(config, request.has_prefix, request.has_window);
  return request;
}

void set_tokens(Request& request, int n) {
  request.config.inputs.n = n;
  apply_size_defaults(request);
}

void apply_size_defaults(Request& request) {
  apply_mask_size_defaults(request.config, request.has_prefix, request.has_window);
}

}  // namespace attnrank::cli
