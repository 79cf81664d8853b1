// Binary file I/O with errors that name the path and the system's reason.
#include "file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

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
