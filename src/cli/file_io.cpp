// Binary file I/O with errors that name the path and the system's reason.
#include "file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <algorithm>
#include <cstdint>

#include "attnrank/base/errors.h"

namespace attnrank::cli {

namespace {

[[noreturn]] void fail_io(const std::string& path, const char* what, int error_number) {
  fail(ErrorCode::kInvalidFile,
       printable(path, kPathEchoLimit) + ": " + what + " (" + std::strerror(error_number) + ")");
}

// Writes all of bytes to fd (write may write less than asked) and closes it; false with errno set on
// any failure, the close's included (a full disk or a quota can report only there).
bool write_all_and_close(int fd, const std::string& bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t step = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (step < 0 && errno == EINTR) continue;
    if (step <= 0) {
      const int saved = step < 0 ? errno : EIO;
      ::close(fd);
      errno = saved;
      return false;
    }
    written += static_cast<std::size_t>(step);
  }
  return ::close(fd) == 0;
}

}  // namespace

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(ErrorCode::kInvalidFile, printable(path, kPathEchoLimit) + ": cannot open file");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) fail(ErrorCode::kInvalidFile, printable(path, kPathEchoLimit) + ": read error");
  return bytes.str();
}

namespace {

// Reads exactly size bytes at offset of fd into out (appended); false at end of file, errno on failure.
bool read_exactly(int fd, std::uint64_t offset, std::uint64_t size, std::string& out) {
  const std::size_t start = out.size();
  out.resize(start + size);
  std::uint64_t done = 0;
  while (done < size) {
    const ssize_t step = ::pread(fd, out.data() + start + done, size - done, static_cast<off_t>(offset + done));
    if (step < 0 && errno == EINTR) continue;
    if (step <= 0) return false;
    done += static_cast<std::uint64_t>(step);
  }
  return true;
}

// The file's descriptor, closed when it goes out of scope.
struct OpenFile {
  int fd;
  ~OpenFile() { ::close(fd); }
};

}  // namespace

std::string read_npy_file(const std::string& path, const std::function<void(const NpyHeader&)>& check) {
  const std::string shown = printable(path, kPathEchoLimit);
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) fail_io(path, "cannot open file", errno);
  const OpenFile file{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) fail_io(path, "cannot read file", errno);
  if (S_ISDIR(info.st_mode)) fail(ErrorCode::kInvalidFile, shown + ": is a directory");
  if (!S_ISREG(info.st_mode)) {
    fail(ErrorCode::kInvalidFile, shown + ": is not a regular file (a device or a pipe has no size to check)");
  }
  const std::uint64_t size = static_cast<std::uint64_t>(info.st_size);
  std::string bytes;
  const auto read_or_fail = [&](std::uint64_t offset, std::uint64_t count) {
    if (!read_exactly(fd, offset, count, bytes)) {
      if (errno != 0) fail_io(path, "read error", errno);
      fail(ErrorCode::kInvalidFile, shown + ": the file shrank while it was read");
    }
  };
  // The preamble says where the header ends; npy_header_end names what is wrong when the file is short.
  errno = 0;
  read_or_fail(0, std::min<std::uint64_t>(size, kNpyPreambleBytes));
  const auto start = [&bytes] { return reinterpret_cast<const std::uint8_t*>(bytes.data()); };  // bytes grows
  const std::uint64_t header_end = npy_header_end(start(), bytes.size(), path);
  if (header_end > bytes.size()) read_or_fail(bytes.size(), std::min(size, header_end) - bytes.size());
  const NpyHeader header = parse_npy_header(start(), bytes.size(), path);
  check(header);  // limits and budget, before the data is read
  require_npy_data_size(header, size - header.data_offset, path);  // parse_npy's words, no data read
  read_or_fail(bytes.size(), header.data_bytes);
  return bytes;
}

// A regular file (or a new one) is written to a temporary name beside it and renamed over the target
// only once every byte is written and closed, so a failed write never leaves a partial file under the
// target's name. A target that exists and is not a regular file (/dev/stdout, a pipe) is written in place.
void write_file(const std::string& path, const std::string& bytes) {
  struct stat target {};
  const bool exists = ::stat(path.c_str(), &target) == 0;
  if (exists && S_ISDIR(target.st_mode)) {
    fail(ErrorCode::kInvalidFile, printable(path, kPathEchoLimit) + ": is a directory");
  }
  if (exists && !S_ISREG(target.st_mode)) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC);
    if (fd < 0) fail_io(path, "cannot open file for writing", errno);
    if (!write_all_and_close(fd, bytes)) fail_io(path, "write error", errno);
    return;
  }
  std::string temporary = path + ".partial-XXXXXX";
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) fail_io(path, "cannot open file for writing", errno);
  // mkstemp creates 0600: give the file the target's mode, or a new file's usual 0666 less the umask.
  const mode_t umask_now = ::umask(0);
  ::umask(umask_now);
  const mode_t mode = exists ? (target.st_mode & 07777) : (0666 & ~umask_now);
  int saved = 0;
  if (::fchmod(fd, mode) != 0) {
    saved = errno;
    ::close(fd);
  } else if (!write_all_and_close(fd, bytes)) {
    saved = errno;
  }
  if (saved != 0) {
    ::unlink(temporary.c_str());
    fail_io(path, "write error", saved);
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temporary.c_str());
    fail_io(path, "cannot replace the file", saved);
  }
}

}  // namespace attnrank::cli
