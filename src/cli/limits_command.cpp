// `attnrank limits`: the core's parameter ranges (src/core/param_ranges.h), so scripts and docs never re-type them.
#include "attnrank/base/errors.h"
#include "attnrank/base/param_ranges.h"
#include "commands.h"

namespace attnrank::cli {

int run_limits(const std::vector<std::string>& argv, std::ostream& out) {
  if (!argv.empty()) fail(ErrorCode::kInvalidArgument, "limits takes no options, got '" + argv[0] + "'");
  for (const ParamRange& range : kAllRanges) {
    out << range.name << " " << range.min << " " << range.max << "\n";
  }
  return 0;
}

}  // namespace attnrank::cli
