// Shared option helpers of the depth, heads and architecture commands (collapse, mixture, arch):
// integer options narrowed to int with the core's range message, the seed and the output format flags.
// Ranges themselves are checked by the core; results are written by report.h.
#pragma once

#include <cstdint>
#include <string>

#include "args.h"

namespace attnrank::cli {

enum class OutputFormat { kTable, kJson, kCsv };

// The flags these commands take (no value): json, csv, plus `extra`.
std::set<std::string> depth_flag_options(const std::set<std::string>& extra = {});
// --json / --csv (exclusive); the table otherwise. Csv only where allow_csv.
OutputFormat output_format(Args& args, bool allow_csv);
int int_option(Args& args, const char* name, long long fallback);
std::uint64_t seed_option(Args& args);

}  // namespace attnrank::cli
