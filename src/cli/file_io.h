// Whole-file reads and writes for the CLI (the core itself does no I/O). Errors name the path.
#pragma once

#include <string>

namespace attnrank::cli {

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& bytes);

}  // namespace attnrank::cli
