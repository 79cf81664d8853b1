// Option helpers of collapse, mixture and arch (see depth_options.h).
#include "depth_options.h"

#include <limits>

#include "attnrank/base/errors.h"
#include "attnrank/base/param_ranges.h"

namespace attnrank::cli {

std::set<std::string> depth_flag_options(const std::set<std::string>& extra) {
  std::set<std::string> flags{"json", "csv"};
  flags.insert(extra.begin(), extra.end());
  return flags;
}

OutputFormat output_format(Args& args, bool allow_csv) {
  const bool as_json = args.flag("json");
  const bool as_csv = allow_csv ? args.flag("csv") : false;
  if (as_json && as_csv) fail(ErrorCode::kInvalidArgument, "--json and --csv exclude each other");
  return as_json ? OutputFormat::kJson : as_csv ? OutputFormat::kCsv : OutputFormat::kTable;
}

int int_option(Args& args, const char* name, long long fallback) {
  const long long value = args.integer(name, fallback);
  require_in_range(name, value, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
  return static_cast<int>(value);
}

std::uint64_t seed_option(Args& args) {
  const long long seed = args.integer("seed", 0);
  require_in_range(kSeedRange.name, seed, kSeedRange.min, kSeedRange.max);
  return static_cast<std::uint64_t>(seed);
}

}  // namespace attnrank::cli
