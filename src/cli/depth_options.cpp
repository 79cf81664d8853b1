// Option helpers of collapse, mixture and arch (see depth_options.h).
#include "depth_options.h"

#include "attnrank/base/errors.h"

namespace attnrank::cli {

OutputFormat output_format(Args& args, bool allow_csv) {
  const bool as_json = flag_param(args, "json");
  const bool as_csv = allow_csv ? flag_param(args, "csv") : false;
  if (as_json && as_csv) fail(ErrorCode::kInvalidArgument, "--json and --csv exclude each other");
  return as_json ? OutputFormat::kJson : as_csv ? OutputFormat::kCsv : OutputFormat::kTable;
}

}  // namespace attnrank::cli
