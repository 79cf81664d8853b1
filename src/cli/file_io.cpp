// Binary file I/O with errors that name the path.
#include "file_io.h"

#include <fstream>
#include <sstream>

#include "attnrank/base/errors.h"

namespace attnrank::cli {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(ErrorCode::kInvalidFile, path + ": cannot open file");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) fail(ErrorCode::kInvalidFile, path + ": read error");
  return bytes.str();
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) fail(ErrorCode::kInvalidFile, path + ": cannot open file for writing");
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) fail(ErrorCode::kInvalidFile, path + ": write error");
}

}  // namespace attnrank::cli
