// Shared option helpers of the depth, heads and architecture commands (collapse, mixture, arch,
// permutation): the seed and the output format flags (options are read through the parameter registry:
// args.h). Ranges themselves are checked by the core; results are written by report.h.
#pragma once

#include <cstdint>
#include <string>

#include "args.h"

namespace attnrank::cli {

enum class OutputFormat { kTable, kJson, kCsv };

// --json / --csv (exclusive); the table otherwise. Csv only where allow_csv.
OutputFormat output_format(Args& args, bool allow_csv);
std::uint64_t seed_option(Args& args, RequestKind command);

}  // namespace attnrank::cli
