// Shared option helpers of the depth, heads and architecture commands (collapse, mixture, arch):
// integer options narrowed to int with the core's range message, the seed, the output format flags, and
// a JSON array writer. Ranges themselves are checked by the core.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "args.h"

namespace attnrank::cli {

enum class OutputFormat { kTable, kJson, kCsv };

// The flags these commands take (no value): json, csv, plus `extra`.
std::set<std::string> depth_flag_options(const std::set<std::string>& extra = {});
// --json / --csv (exclusive); the table otherwise. Csv only where allow_csv.
OutputFormat output_format(Args& args, bool allow_csv);
int int_option(Args& args, const char* name, long long fallback);
std::uint64_t seed_option(Args& args);
std::string json_number_array(const std::vector<double>& values);

}  // namespace attnrank::cli
