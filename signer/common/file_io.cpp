#include "common/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace dmp::cli {
namespace {

Failure io_failure(std::string_view label, std::string_view action, int error_number) {
  const std::string name(label);
  return fail(Reason::invalid_field, name,
              "cannot " + std::string(action) + ": " + std::strerror(error_number));
}

// Reads until EOF or until one byte past `cap` has arrived: that byte proves
// the input is too long without reading the rest of it.
Result<CappedRead> read_fd_capped(int fd, std::string_view label, std::size_t cap) {
  CappedRead result;
  result.bytes.resize(cap + 1);
  std::size_t filled = 0;
  while (filled < cap + 1) {
    const ssize_t n = ::read(fd, result.bytes.data() + filled, cap + 1 - filled);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_failure(label, "read", errno);
    }
    if (n == 0) break;
    filled += static_cast<std::size_t>(n);
  }
  result.over_cap = filled > cap;
  result.bytes.resize(result.over_cap ? cap : filled);
  return result;
}

}  // namespace

std::string file_kind_text(unsigned st_mode) {
  const mode_t mode = static_cast<mode_t>(st_mode);
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "not a regular file";
}

Result<CappedRead> read_file_capped(const std::string& path, std::size_t cap, Accept accept) {
  const bool regular_only = accept == Accept::regular_file;
  int fd = -1;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | (regular_only ? O_NONBLOCK : 0));
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return io_failure(path, "open", errno);
  if (regular_only) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      const int err = errno;
      ::close(fd);
      return io_failure(path, "stat", err);
    }
    if (!S_ISREG(st.st_mode)) {
      ::close(fd);
      return fail(Reason::invalid_field, path,
                  "cannot open: " + file_kind_text(st.st_mode) +
                      ", not a regular file (use - to read standard input)");
    }
  }
  auto result = read_fd_capped(fd, path, cap);
  ::close(fd);
  return result;
}

Result<CappedRead> read_stdin_capped(std::string_view label, std::size_t cap) {
  return read_fd_capped(STDIN_FILENO, label, cap);
}

}  // namespace dmp::cli
