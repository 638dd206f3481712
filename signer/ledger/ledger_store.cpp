#include "ledger/ledger_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include "common/private_file.hpp"
#include "sign/fault_injection.hpp"

namespace dmp::ledger {
namespace {

Failure io_error(const std::string& path, const std::string& what) {
  return fail(Reason::io_error, path, path + ": " + what + ": " + std::strerror(errno));
}

std::string hex_hash(const Hash& hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : hash) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

Status ensure_private_dir(const std::string& dir) {
  // Parents are created like `mkdir -p` (0700 for the ones we make).
  for (std::size_t pos = 1; pos != std::string::npos;) {
    pos = dir.find('/', pos + 1);
    const std::string part = dir.substr(0, pos);
    if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) {
      return io_error(part, "cannot create state directory");
    }
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return io_error(dir, "cannot stat state directory");
  if (!S_ISDIR(st.st_mode)) {
    return fail(Reason::io_error, dir, dir + ": state directory is not a directory");
  }
  if (st.st_uid != ::geteuid() || (st.st_mode & 077) != 0) {
    return fail(Reason::insecure_file, dir,
                dir + ": state directory must be yours and mode 0700; fix with: chmod 700 " + dir);
  }
  return ok();
}

Result<std::string> read_text_file(const std::string& path, bool& exists) {
  exists = false;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return std::string();
    return io_error(path, "cannot open");
  }
  exists = true;
  std::string text;
  char buf[65536];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return io_error(path, "cannot read");
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > kMaxLedgerLen) break;
  }
  ::close(fd);
  return text;
}

// A crash during an append can leave a last line without its newline. That
// entry never became durable and no wire was written after it (the wire is
// written only after the fsync), so dropping it is safe. The length to keep,
// or npos when the last line is whole.
std::size_t torn_tail_start(const std::string& text) {
  if (text.empty() || text.back() == '\n') return std::string::npos;
  return text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
}

Status drop_torn_tail(const std::string& path, std::size_t keep) {
  if (::truncate(path.c_str(), static_cast<off_t>(keep)) != 0) {
    return io_error(path, "cannot repair torn last entry");
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  return ok();
}

struct Head {
  std::uint64_t count = 0;
  std::string hash;
};

Result<std::optional<Head>> read_head(const std::string& dir) {
  bool exists = false;
  auto text = read_text_file(dir + "/head", exists);
  if (!text) return text.error();
  if (!exists) return std::optional<Head>();
  Head head;
  char hash[65] = {};
  unsigned long long count = 0;
  if (std::sscanf(text->c_str(), "%llu %64s", &count, hash) != 2) {
    return fail(Reason::ledger_corrupt, "head", dir + "/head: unreadable");
  }
  head.count = count;
  head.hash = hash;
  return std::optional<Head>(head);
}

Status write_head(const std::string& dir, const std::vector<Entry>& entries) {
  const std::string text =
      std::to_string(entries.size()) + " " +
      (entries.empty() ? std::string(64, '0') : hex_hash(entries.back().hash)) + "\n";
  return cli::replace_private_file(
      dir + "/head", std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

// The head records how many entries the ledger had after the last complete
// append. Fewer entries now means the ledger was truncated; one more means a
// crash hit between the ledger fsync and the head update (harmless: fixed).
Status check_head(const std::string& dir, const std::vector<Entry>& entries, bool may_repair) {
  auto head = read_head(dir);
  if (!head) return head.error();
  if (!*head) {
    if (entries.empty() || (entries.size() == 1 && may_repair)) {
      return may_repair && !entries.empty() ? write_head(dir, entries) : ok();
    }
    return fail(Reason::ledger_corrupt, "head",
                dir + "/head is missing but the ledger has " + std::to_string(entries.size()) +
                    " entries (head deleted?)");
  }
  const Head& h = **head;
  if (h.count > entries.size()) {
    return fail(Reason::ledger_corrupt, "ledger",
                "ledger has " + std::to_string(entries.size()) + " entries but its head records " +
                    std::to_string(h.count) + ": entries were truncated from the end");
  }
  const std::string at_count =
      h.count == 0 ? std::string(64, '0') : hex_hash(entries[h.count - 1].hash);
  if (at_count != h.hash) {
    return fail(Reason::ledger_corrupt, "ledger",
                "ledger entry " + std::to_string(h.count) +
                    " does not match the hash its head records: the ledger was rewritten");
  }
  if (entries.size() > h.count + 1) {
    return fail(Reason::ledger_corrupt, "ledger",
                "ledger has " + std::to_string(entries.size() - h.count) +
                    " entries beyond its head (entries appended by hand?)");
  }
  if (entries.size() == h.count + 1 && may_repair) return write_head(dir, entries);
  return ok();
}

Result<std::vector<Entry>> load(const std::string& dir, bool may_repair) {
  const std::string path = dir + "/ledger";
  bool exists = false;
  auto text = read_text_file(path, exists);
  if (!text) return text.error();
  // The torn line is dropped from the file only once what remains checks out
  // against the head: a last line the head counts is a committed entry, and
  // a refusal must leave the evidence as it found it.
  const std::size_t keep = may_repair ? torn_tail_start(*text) : std::string::npos;
  if (keep != std::string::npos) text->resize(keep);
  auto entries = parse_ledger(*text);
  if (!entries) return entries.error();
  if (auto head = check_head(dir, *entries, may_repair); !head) return head.error();
  if (keep != std::string::npos) {
    if (auto repaired = drop_torn_tail(path, keep); !repaired) return repaired.error();
  }
  return entries;
}

Status write_all(int fd, const std::string& text, const std::string& path) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return io_error(path, "append failed");
    done += static_cast<std::size_t>(n);
  }
  return ok();
}

// A crash during the head's atomic replace leaves its temporary file behind.
// Only the lock holder writes the head, so under the lock any is stale.
void remove_stale_head_temporaries(const std::string& dir) {
  std::error_code ignored;
  for (const auto& e : std::filesystem::directory_iterator(dir, ignored)) {
    if (e.path().filename().string().rfind(".head.tmp-", 0) == 0) {
      std::filesystem::remove(e.path(), ignored);
    }
  }
}

}  // namespace

Result<std::string> default_state_dir(const std::optional<std::string>& flag) {
  if (flag && !flag->empty()) return *flag;
  if (const char* env = std::getenv("DMP_SIGNER_STATE_DIR"); env && *env) return std::string(env);
  if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg == '/') {
    return std::string(xdg) + "/dmp-signer";
  }
  if (const char* home = std::getenv("HOME"); home && *home == '/') {
    return std::string(home) + "/.local/state/dmp-signer";
  }
  return fail(Reason::usage, "state_dir",
              "state directory: HOME is not set; give --state-dir or DMP_SIGNER_STATE_DIR");
}

Result<std::unique_ptr<LockedLedger>> LockedLedger::open(const std::string& state_dir,
                                                         std::chrono::milliseconds wait) {
  if (auto dir = ensure_private_dir(state_dir); !dir) return dir.error();
  const std::string lock_path = state_dir + "/lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return io_error(lock_path, "cannot open lock file");
  std::unique_ptr<LockedLedger> ledger(new LockedLedger(state_dir, fd));
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) return io_error(lock_path, "cannot lock");
    if (std::chrono::steady_clock::now() >= deadline) {
      return fail(Reason::lock_busy, "lock",
                  state_dir +
                      ": another dmp-sign is using this ledger; wait for it to finish "
                      "(or raise --lock-wait)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  cli::crash_point("locked");
  remove_stale_head_temporaries(state_dir);
  auto entries = load(state_dir, true);
  if (!entries) return entries.error();
  ledger->entries_ = std::move(*entries);
  return ledger;
}

LockedLedger::~LockedLedger() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // closing releases the flock
}

Result<Entry> LockedLedger::append(Entry entry) {
  const Entry sealed = seal_entry(std::move(entry), entries_.empty() ? nullptr : &entries_.back());
  // Never write a line this ledger would refuse to read back: one bad entry
  // would lock every later command out of the state directory.
  if (auto readable = check_reads_back(sealed); !readable) return readable.error();
  const std::string path = dir_ + "/ledger";
  const bool first = entries_.empty();
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return io_error(path, "cannot open for append");
  std::string text =
      (first ? std::string(kHeaderLine) + "\n" : std::string()) + format_entry(sealed) + "\n";
  struct stat st {};
  if (first && ::fstat(fd, &st) == 0 && st.st_size > 0) text = format_entry(sealed) + "\n";
  Status status = write_all(fd, text, path);
  cli::crash_point("ledger_written");
  if (status && ::fsync(fd) != 0) status = io_error(path, "fsync failed");
  ::close(fd);
  if (!status) return status.error();
  cli::crash_point("ledger_synced");
  if (first) {
    const int dir_fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
      ::fsync(dir_fd);
      ::close(dir_fd);
    }
  }
  entries_.push_back(sealed);
  if (auto head = write_head(dir_, entries_); !head) return head.error();
  cli::crash_point("head_written");
  return sealed;
}

Result<std::vector<Entry>> read_ledger_unlocked(const std::string& state_dir) {
  return load(state_dir, false);
}

}  // namespace dmp::ledger
