// Shared option helpers of the depth, heads and architecture commands (collapse, mixture, arch,
// permutation): the output format flags. Their config fields are read through the core's request field
// tables (io/request_fields.h, args.h cli_source); results are written by report.h.
#pragma once

#include <string>

#include "args.h"

namespace attnrank::cli {

enum class OutputFormat { kTable, kJson, kCsv };

// --json / --csv (exclusive); the table otherwise. Csv only where allow_csv.
OutputFormat output_format(Args& args, bool allow_csv);

}  // namespace attnrank::cli
