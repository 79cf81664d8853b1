// Option parsing for analysis requests. Ranges are not checked here: analyze() validates everything
// with the core's messages, so the CLI and the wasm module reject the same inputs the same way.
#include "options.h"

#include <limits>

#include "attnrank/base/errors.h"
#include "attnrank/base/param_ranges.h"
#include "attnrank/io/npy.h"
#include "file_io.h"

namespace attnrank::cli {

namespace {

// Integers outside int are rejected here, before narrowing, with the core's range message.
int narrow_int(const char* name, long long value) {
  require_in_range(name, value, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
  return static_cast<int>(value);
}

MatrixXd load_matrix(const std::string& path) {
  return npy_to_matrix(parse_npy(read_file(path), path), path);
}

}  // namespace

int memory_limit_option(Args& args) {
  const long long mib = args.integer("memory-limit", kDefaultMemoryBudgetMiB);
  require_in_range("memory-limit", mib, kMemoryBudgetRange.min, kMemoryBudgetRange.max);
  return static_cast<int>(mib);
}

const std::set<std::string>& flag_options() {
  static const std::set<std::string> flags{"json", "csv", "rope"};
  return flags;
}

Request request_from_args(Args& args) {
  Request request;
  AnalysisConfig& config = request.config;
  config.mask.kind = parse_pattern(args.text("pattern", "bidirectional"));
  request.has_prefix = args.has("prefix");
  request.has_window = args.has("window");
  config.mask.prefix = narrow_int("prefix", args.integer("prefix", 0));
  config.mask.window = narrow_int("window", args.integer("window", 1));
  config.kind = parse_attention_kind(args.text("kind", "softmax"));
  config.linear.feature = parse_feature_map(args.text("feature", "elu1"));
  config.linear.features = narrow_int("features", args.integer("features", 64));
  config.precision = parse_precision(args.text("precision", "f64"));
  config.scale = args.number("scale", 1.0);
  config.memory_budget_mib = memory_limit_option(args);

  const bool has_q = args.has("q");
  const bool has_k = args.has("k");
  if (has_q != has_k) fail(ErrorCode::kInvalidArgument, "--q and --k must be given together");
  if (has_q) {
    for (const char* seeded_only : {"n", "d", "seed", "rope", "repeat"}) {
      if (args.has(seeded_only)) {
        fail(ErrorCode::kInvalidArgument,
             std::string("--") + seeded_only + " cannot be combined with --q/--k (they define the inputs)");
      }
    }
    config.user_q = load_matrix(args.text("q", ""));
    config.user_k = load_matrix(args.text("k", ""));
  } else {
    config.inputs.n = narrow_int("n", args.integer("n", 64));
    config.inputs.d = narrow_int("d", args.integer("d", 8));
    const long long seed = args.integer("seed", 0);
    require_in_range(kSeedRange.name, seed, kSeedRange.min, kSeedRange.max);
    config.inputs.seed = static_cast<std::uint64_t>(seed);
    config.inputs.rope = args.flag("rope");
    config.inputs.repeat_period = narrow_int("repeat", args.integer("repeat", 0));
  }
  // The favor projection has its own stream, derived from the input seed.
  config.linear.seed = config.inputs.seed;
  request.dump_matrix_path = args.text("dump-matrix", "");
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
