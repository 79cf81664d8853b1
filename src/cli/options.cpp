// Option parsing for analysis requests, through the parameter registry (flags, defaults, types). Ranges
// are not checked here: analyze() validates everything with the core's messages, so the CLI and the wasm
// module reject the same inputs the same way.
#include "options.h"

#include "attnrank/base/errors.h"
#include "attnrank/base/param_ranges.h"
#include "attnrank/io/npy.h"
#include "file_io.h"

namespace attnrank::cli {

namespace {

MatrixXd load_matrix(const std::string& path) {
  return npy_to_matrix(parse_npy(read_file(path), path), path);
}

}  // namespace

int memory_limit_option(Args& args) {
  const long long mib = integer_param(args, "memory_budget_mib", kRequestStats);
  require_in_range("memory-limit", mib, kMemoryBudgetRange.min, kMemoryBudgetRange.max);
  return static_cast<int>(mib);
}

const std::set<std::string>& flag_options() { return registry_flags(); }

Request request_from_args(Args& args, RequestKind command) {
  Request request;
  AnalysisConfig& config = request.config;
  config.mask.kind = parse_pattern(text_param(args, "pattern", command));
  request.has_prefix = has_param(args, "prefix");
  request.has_window = has_param(args, "window");
  config.mask.prefix = int_param(args, "prefix", command, 0);
  config.mask.window = int_param(args, "window", command, 1);
  config.kind = parse_attention_kind(text_param(args, "kind", command));
  config.linear.feature = parse_feature_map(text_param(args, "feature", command));
  config.linear.features = int_param(args, "features", command);
  config.precision = parse_precision(text_param(args, "precision", command));
  config.scale = number_param(args, "scale", command);
  config.memory_budget_mib = memory_limit_option(args);

  const bool has_q = has_param(args, "q");
  const bool has_k = has_param(args, "k");
  if (has_q != has_k) fail(ErrorCode::kInvalidArgument, "--q and --k must be given together");
  if (has_q) {
    for (const char* seeded_only : {"n", "d", "seed", "rope", "repeat"}) {
      if (has_param(args, seeded_only)) {
        fail(ErrorCode::kInvalidArgument, seeded_only,
             std::string("--") + parameter_info(seeded_only).cli_flag +
                 " cannot be combined with --q/--k (they define the inputs)");
      }
    }
    config.user_q = load_matrix(text_param(args, "q", command));
    config.user_k = load_matrix(text_param(args, "k", command));
  } else {
    config.inputs.n = int_param(args, "n", command);
    config.inputs.d = int_param(args, "d", command);
    const long long seed = integer_param(args, "seed", command);
    require_in_range(kSeedRange.name, seed, kSeedRange.min, kSeedRange.max);
    config.inputs.seed = static_cast<std::uint64_t>(seed);
    config.inputs.rope = flag_param(args, "rope");
    config.inputs.repeat_period = int_param(args, "repeat", command);
  }
  // The favor projection has its own stream, derived from the input seed.
  config.linear.seed = config.inputs.seed;
  request.dump_matrix_path = text_param(args, "dump_matrix", command);
  config.want_matrix = !request.dump_matrix_path.empty();
  apply_size_defaults(request);
  return request;
}

void set_tokens(Request& request, int n) {
  request.config.inputs.n = n;
  apply_size_defaults(request);
}

void apply_size_defaults(Request& request) {
  const int n = request.config.user_q ? static_cast<int>(request.config.user_q->rows()) : request.config.inputs.n;
  if (!request.has_prefix) request.config.mask.prefix = default_prefix(n);
  if (!request.has_window) request.config.mask.window = default_window(n);
}

}  // namespace attnrank::cli
