// Whole-file reads and writes for the CLI (the core itself does no I/O). Errors name the path.
#pragma once

#include <functional>
#include <string>

#include "attnrank/io/npy.h"

namespace attnrank::cli {

std::string read_file(const std::string& path);
// A .npy file read in two steps: the preamble and header first, handed to check (limits, budget: it throws
// to refuse) before any data is read; then exactly the bytes the header declares. A directory or a special
// file (/dev/zero, a pipe) is refused by name; a size that is not header + data with parse_npy's words.
std::string read_npy_file(const std::string& path, const std::function<void(const NpyHeader&)>& check);
// Written to a temporary beside path and renamed over it once complete; errors name the path and reason.
void write_file(const std::string& path, const std::string& bytes);

}  // namespace attnrank::cli
