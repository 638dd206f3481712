#include "common/private_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <vector>

#include "common/file_io.hpp"
#include "output/terminal_text.hpp"
#include "sign/fault_injection.hpp"

namespace dmp::cli {
namespace {

std::string errno_text(int err) {
  return std::strerror(err);
}

Failure io_error(const std::string& path, const std::string& what, int err) {
  return fail(Reason::io_error, path, what + ": " + errno_text(err));
}

std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

std::string parent_of(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

Status write_all(int fd, std::span<const std::uint8_t> bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return io_error(path, "write failed", n < 0 ? errno : EIO);
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  return ok();
}

Status fsync_directory(const std::string& dir) {
  FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return io_error(dir, "cannot open directory", errno);
  if (::fsync(fd.get()) != 0) return io_error(dir, "fsync of directory failed", errno);
  return ok();
}

Status check_directory_not_shared(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return io_error(dir, "cannot stat directory", errno);
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return fail(Reason::insecure_file, dir,
                "directory is writable by group/others (mode " + octal_mode(st.st_mode) +
                    "); keep key files in a private directory (chmod go-w " + dir + ")");
  }
  return ok();
}

// Which temporary file write_temporary makes: only the replace (passwd's key
// file, the ledger head) has crash points, so a step name means one thing.
enum class TempFor { create, replace, publish };

// Writes `bytes` to a new temporary file next to `path` and fsyncs it.
Result<std::string> write_temporary(const std::string& path, std::span<const std::uint8_t> bytes,
                                    TempFor purpose, mode_t mode = 0600) {
  // crash_point() only with literals: in dmp-sign it is empty, so no step
  // name reaches the binary.
  const bool replace = purpose == TempFor::replace;
  std::string temp =
      parent_of(path) + "/." + std::filesystem::path(path).filename().string() + ".tmp-XXXXXX";
  FileDescriptor fd(::mkostemp(temp.data(), O_CLOEXEC));
  if (fd.get() < 0) return io_error(path, "cannot create temporary file", errno);
  // Held until this process closes the file or dies: a temporary nobody
  // holds is stale (remove_stale_temporaries).
  (void)::flock(fd.get(), LOCK_EX | LOCK_NB);
  if (replace) crash_point("replace_temp_created");
  Status status = ok();
  if (::fchmod(fd.get(), mode) != 0) status = io_error(temp, "chmod failed", errno);
  if (status) status = write_all(fd.get(), bytes, temp);
  if (status && replace) crash_point("replace_temp_written");
  if (status && ::fsync(fd.get()) != 0) status = io_error(temp, "fsync failed", errno);
  if (status && ::close(fd.release()) != 0) status = io_error(temp, "close failed", errno);
  if (status && replace) crash_point("replace_temp_synced");
  if (!status) {
    ::unlink(temp.c_str());
    return status.error();
  }
  return temp;
}

}  // namespace

Result<hsm::SecretBuffer> read_private_file(const std::string& path, std::size_t max_size,
                                            const std::string& what) {
  // O_NONBLOCK: a FIFO planted at the path must be refused, not block open(2)
  // until someone writes to it. It changes nothing for a regular file.
  FileDescriptor fd(
      ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) {
    if (errno == ELOOP) {
      return fail(Reason::insecure_file, path, what + " is a symbolic link; refusing");
    }
    return io_error(path, "cannot open " + what, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error(path, "cannot stat " + what, errno);
  if (!S_ISREG(st.st_mode)) {
    return fail(Reason::io_error, path,
                what + " is " + file_kind_text(st.st_mode) + ", not a regular file; refusing");
  }
  if (st.st_uid != ::geteuid()) {
    return fail(Reason::insecure_file, path,
                what + " is owned by uid " + std::to_string(st.st_uid) +
                    ", not by you; refusing (chown it to yourself)");
  }
  if ((st.st_mode & 077) != 0) {
    return fail(Reason::insecure_file, path,
                what + " is accessible by group/others (mode " + octal_mode(st.st_mode) +
                    "); refusing. Fix with: chmod 600 " + path);
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_size) {
    return fail(Reason::key_format, path,
                what + " is larger than " + std::to_string(max_size) + " bytes");
  }
  hsm::SecretBuffer buffer(max_size + 1);
  std::size_t length = 0;
  while (length <= max_size) {
    const ssize_t n = ::read(fd.get(), buffer.data() + length, buffer.size() - length);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error(path, "cannot read " + what, errno);
    if (n == 0) break;
    length += static_cast<std::size_t>(n);
  }
  if (length > max_size) {
    return fail(Reason::key_format, path,
                what + " is larger than " + std::to_string(max_size) + " bytes");
  }
  buffer.truncate(length);
  return buffer;
}

Status check_can_create_private_file(const std::string& path) {
  if (auto shared = check_directory_not_shared(parent_of(path)); !shared) return shared;
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    return fail(Reason::already_exists, path, "already exists; refusing to overwrite");
  }
  return ok();
}

namespace {

// link() fails if `path` exists (even as a dangling symlink): exclusive, and
// atomic. The temporary is removed either way.
Status link_into_place(const std::string& temp, const std::string& path) {
  if (::link(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    if (err == EEXIST) {
      return fail(Reason::already_exists, path, "already exists; refusing to overwrite");
    }
    return io_error(path, "cannot create file", err);
  }
  ::unlink(temp.c_str());
  return fsync_directory(parent_of(path));
}

}  // namespace

Status create_private_file(const std::string& path, std::span<const std::uint8_t> bytes) {
  if (auto can = check_can_create_private_file(path); !can) return can;
  auto temp = write_temporary(path, bytes, TempFor::create);
  if (!temp) return temp.error();
  return link_into_place(*temp, path);
}

Status check_can_replace_private_file(const std::string& path) {
  return check_directory_not_shared(parent_of(path));
}

Status replace_private_file(const std::string& path, std::span<const std::uint8_t> bytes) {
  const std::string dir = parent_of(path);
  if (auto shared = check_directory_not_shared(dir); !shared) return shared;
  auto temp = write_temporary(path, bytes, TempFor::replace);
  if (!temp) return temp.error();
  if (::rename(temp->c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp->c_str());
    return io_error(path, "cannot replace file", err);
  }
  crash_point("replace_renamed");
  auto synced = fsync_directory(dir);
  if (synced) crash_point("replace_dir_synced");
  return synced;
}

namespace {

constexpr std::string_view kTempMarker = ".tmp-";
constexpr std::size_t kTempRandomLen = 6;  // mkostemp's XXXXXX

// A SIGKILL or power cut between mkostemp and rename leaves
// ".NAME.tmp-XXXXXX" next to NAME. Publishing NAME again removes those that
// are regular files of ours which no live process holds locked (every
// writer locks its temporary), and says so on stderr.
void remove_stale_temporaries(const std::string& path) {
  const std::string dir = parent_of(path);
  const std::string prefix =
      std::string(".").append(std::filesystem::path(path).filename().string()).append(kTempMarker);
  DIR* listing = ::opendir(dir.c_str());
  if (listing == nullptr) return;  // the publish itself reports a missing directory
  std::vector<std::string> stale;
  while (const dirent* entry = ::readdir(listing)) {
    const std::string_view name(entry->d_name);
    if (name.size() == prefix.size() + kTempRandomLen && name.starts_with(prefix)) {
      stale.emplace_back(name);
    }
  }
  ::closedir(listing);
  for (const std::string& name : stale) {
    const std::string temp = dir + "/" + name;
    FileDescriptor fd(::open(temp.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    struct stat st {};
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_uid != ::geteuid() || ::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
      continue;
    }
    if (::unlink(temp.c_str()) == 0) {
      std::fprintf(stderr,
                   "dmp-sign: removed %s, a temporary file an interrupted run left behind\n",
                   output::terminal_safe(temp).c_str());
    }
  }
}

}  // namespace

Status publish_file(const std::string& path, std::span<const std::uint8_t> bytes) {
  remove_stale_temporaries(path);
  auto temp = write_temporary(path, bytes, TempFor::publish, 0644);
  if (!temp) return temp.error();
  // The callers' preflight refused this already; checked again just before
  // the rename, since rename(2) replaces a device node or a symlink as
  // readily as a file (run as root over /dev/null, it replaces the device).
  struct stat existing {};
  if (::lstat(path.c_str(), &existing) == 0 && !S_ISREG(existing.st_mode)) {
    ::unlink(temp->c_str());
    return fail(Reason::output_refused, path,
                "is not a regular file; outputs are written only as regular files");
  }
  if (::rename(temp->c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp->c_str());
    return io_error(path, "cannot write file", err);
  }
  return fsync_directory(parent_of(path));
}

Status publish_new_file(const std::string& path, std::span<const std::uint8_t> bytes) {
  remove_stale_temporaries(path);
  auto temp = write_temporary(path, bytes, TempFor::publish, 0644);
  if (!temp) return temp.error();
  return link_into_place(*temp, path);
}

}  // namespace dmp::cli
