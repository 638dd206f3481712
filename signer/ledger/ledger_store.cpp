#include "ledger/ledger_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include "common/private_file.hpp"
#include "dmp/encoding.hpp"
#include "output/terminal_text.hpp"
#include "sign/fault_injection.hpp"

namespace dmp::ledger {
namespace {

Failure io_error(const std::string& path, const std::string& what) {
  return fail(Reason::io_error, path, what + ": " + std::strerror(errno));
}

std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
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
    return fail(Reason::io_error, dir, "state directory is not a directory");
  }
  if (st.st_uid != ::geteuid() || (st.st_mode & 077) != 0) {
    return fail(Reason::insecure_file, dir,
                "state directory must be yours and mode 0700; fix with: chmod 700 " + dir);
  }
  return ok();
}

// The checks on an opened state file, made on its descriptor so that what is
// checked is what is read or written.
Status check_opened_file(int fd, const std::string& path, const std::string& what) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return io_error(path, "cannot stat " + what);
  if (!S_ISREG(st.st_mode)) {
    return fail(Reason::io_error, path, what + " is not a regular file");
  }
  if (st.st_uid != ::geteuid()) {
    return fail(Reason::insecure_file, path,
                what + " is owned by uid " + std::to_string(st.st_uid) + ", not by you (uid " +
                    std::to_string(::geteuid()) + "); refusing. Fix with: chown " +
                    std::to_string(::geteuid()) + " " + path);
  }
  if ((st.st_mode & 077) != 0) {
    return fail(Reason::insecure_file, path,
                what + " is accessible by group/others (mode " + octal_mode(st.st_mode) +
                    "); refusing. Fix with: chmod 600 " + path);
  }
  if (st.st_nlink != 1) {
    return fail(Reason::insecure_file, path,
                what + " has " + std::to_string(st.st_nlink) +
                    " hard links (another name can rewrite it); refusing. Fix with: remove the "
                    "other name (find / -xdev -samefile " +
                    path + ")");
  }
  return ok();
}

// Opens a state file without following a symlink (O_NONBLOCK: a FIFO planted
// at the path must not hang the open) and checks it. -1 when it does not
// exist and `flags` does not create it.
Result<int> open_state_file(const std::string& path, int flags, const std::string& what) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
  if (fd < 0) {
    if (errno == ENOENT && (flags & O_CREAT) == 0) return -1;
    if (errno == ELOOP) {
      return fail(Reason::insecure_file, path,
                  what +
                      " is a symbolic link; refusing. Fix with: replace it by "
                      "the file it points to");
    }
    return io_error(path, "cannot open " + what);
  }
  if (auto checked = check_opened_file(fd, path, what); !checked) {
    ::close(fd);
    return checked.error();
  }
  return fd;
}

Result<std::string> read_text_file(const std::string& path, const std::string& what, bool& exists) {
  exists = false;
  auto fd = open_state_file(path, O_RDONLY, what);
  if (!fd) return fd.error();
  if (*fd < 0) return std::string();
  exists = true;
  std::string text;
  char buf[65536];
  while (true) {
    const ssize_t n = ::read(*fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(*fd);
      return io_error(path, "cannot read");
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > kMaxLedgerLen) break;
  }
  ::close(*fd);
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

// Legitimate crash recovery, but never silent: the operator sees it once.
Status drop_torn_tail(const std::string& path, std::size_t keep, std::size_t dropped) {
  auto fd = open_state_file(path, O_WRONLY, "ledger");
  if (!fd) return fd.error();
  if (*fd < 0 || ::ftruncate(*fd, static_cast<off_t>(keep)) != 0 || ::fsync(*fd) != 0) {
    if (*fd >= 0) ::close(*fd);
    return io_error(path, "cannot repair torn last entry");
  }
  ::close(*fd);
  std::fprintf(stderr,
               "dmp-sign: %s: dropped a torn last line (%zu bytes) left by an interrupted "
               "append; it was never committed and no wire was written for it\n",
               output::terminal_safe(path).c_str(), dropped);
  return ok();
}

// nullopt when there is no head file; `text` gets what the file holds.
Result<std::optional<HeadRecord>> read_head(const std::string& dir,
                                            std::string* text_out = nullptr) {
  bool exists = false;
  auto text = read_text_file(dir + "/head", "ledger head", exists);
  if (!text) return text.error();
  if (!exists) return std::optional<HeadRecord>();
  if (text_out != nullptr) *text_out = *text;
  auto head = parse_head(*text);
  if (!head) return fail(Reason::ledger_corrupt, dir + "/head", head.error().rule);
  return std::optional<HeadRecord>(*head);
}

HeadRecord head_of(const std::vector<Entry>& entries, std::uint64_t pending = 0) {
  const Anchor anchor = anchor_of(entries);
  return HeadRecord{anchor.count, anchor.head, pending};
}

Status write_head(const std::string& dir, const HeadRecord& head, bool create) {
  const std::string text = format_head(head);
  const auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  if (create) return cli::create_private_file(dir + "/head", bytes);
  return cli::replace_private_file(dir + "/head", bytes);
}

Status write_head(const std::string& dir, const std::vector<Entry>& entries) {
  return write_head(dir, head_of(entries), false);
}

Failure missing_head(const std::string& dir, std::size_t count) {
  return fail(Reason::ledger_corrupt, "head",
              dir + "/head is missing but the ledger has " + std::to_string(count) +
                  " entries: the head is created before the first entry, so it was deleted, "
                  "which also hides a truncation; compare `dmp-sign ledger anchor` with your "
                  "paper log, then run `dmp-sign ledger repair`");
}

// The head records how many entries the ledger had after the last complete
// append. Fewer entries now means the ledger was truncated; one more (or, when
// the head announced a batch, up to that many more) means a crash hit between
// the ledger fsync and the head update (harmless: fixed). No head at all is
// fine only for a ledger without entries: the first append creates the head
// before it writes the first entry.
Status check_head(const std::string& dir, const std::vector<Entry>& entries,
                  const std::optional<HeadRecord>& head) {
  if (!head) return entries.empty() ? ok() : Status(missing_head(dir, entries.size()));
  const HeadRecord& h = *head;
  if (h.count > entries.size()) {
    return fail(Reason::ledger_corrupt, "",
                "ledger has " + std::to_string(entries.size()) + " entries but its head records " +
                    std::to_string(h.count) + ": entries were truncated from the end");
  }
  const Hash at_count = h.count == 0 ? Hash{} : entries[h.count - 1].hash;
  if (at_count != h.hash) {
    return fail(Reason::ledger_corrupt, "",
                "ledger entry " + std::to_string(h.count) +
                    " does not match the hash its head records: the ledger was rewritten");
  }
  if (entries.size() - h.count > entries_allowed_ahead(h)) {
    return fail(Reason::ledger_corrupt, "",
                "ledger has " + std::to_string(entries.size() - h.count) +
                    " entries beyond its head, which allows " +
                    std::to_string(entries_allowed_ahead(h)) + " (entries appended by hand?)");
  }
  return ok();
}

struct Loaded {
  std::vector<Entry> entries;
  bool head_exists = false;
};

Result<Loaded> load(const std::string& dir, bool may_repair) {
  const std::string path = dir + "/ledger";
  bool exists = false;
  auto text = read_text_file(path, "ledger", exists);
  if (!text) return text.error();
  // The torn line is dropped from the file only once what remains checks out
  // against the head: a last line the head counts is a committed entry, and
  // a refusal must leave the evidence as it found it.
  const std::size_t keep = may_repair ? torn_tail_start(*text) : std::string::npos;
  const std::size_t dropped = keep == std::string::npos ? 0 : text->size() - keep;
  if (keep != std::string::npos) text->resize(keep);
  auto entries = parse_ledger(*text);
  if (!entries) return entries.error();
  auto head = read_head(dir);
  if (!head) return head.error();
  if (auto fits = check_head(dir, *entries, *head); !fits) return fits.error();
  if (keep != std::string::npos) {
    if (auto repaired = drop_torn_tail(path, keep, dropped); !repaired) return repaired.error();
  }
  // Caught up: entries a crash left ahead of the head, or a batch announced
  // and never written.
  if (may_repair && *head && (**head != head_of(*entries))) {
    if (auto caught_up = write_head(dir, *entries); !caught_up) return caught_up.error();
    // One entry ahead is the everyday crash between two fsyncs; a batch
    // caught up is said once, as a torn line is.
    const std::uint64_t ahead = entries->size() - (*head)->count;
    if ((*head)->pending != 0) {
      std::fprintf(stderr,
                   "dmp-sign: %s: an interrupted batch of %llu entries left %llu in the ledger; "
                   "the head is brought forward (their wires were never written: sign them "
                   "again to re-emit)\n",
                   output::terminal_safe(dir).c_str(),
                   static_cast<unsigned long long>((*head)->pending),
                   static_cast<unsigned long long>(ahead));
    }
  }
  return Loaded{std::move(*entries), head->has_value()};
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

// A crash during the head's atomic replace (or its creation) leaves its
// temporary file behind. Only the lock holder writes the head, so under the
// lock any is stale.
void remove_stale_head_temporaries(const std::string& dir) {
  std::error_code ignored;
  for (const auto& e : std::filesystem::directory_iterator(dir, ignored)) {
    if (e.path().filename().string().rfind(".head.tmp-", 0) == 0) {
      std::filesystem::remove(e.path(), ignored);
    }
  }
}

// The state directory checked, the lock file checked and held: its fd.
Result<int> take_lock(const std::string& state_dir, std::chrono::milliseconds wait) {
  if (auto dir = ensure_private_dir(state_dir); !dir) return dir.error();
  const std::string lock_path = state_dir + "/lock";
  auto fd = open_state_file(lock_path, O_RDWR | O_CREAT, "lock file");
  if (!fd) return fd.error();
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (::flock(*fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      const Failure failure = io_error(lock_path, "cannot lock");
      ::close(*fd);
      return failure;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::close(*fd);
      return fail(Reason::lock_busy, state_dir,
                  "another dmp-sign is using this ledger; wait for it to finish "
                  "(or raise --lock-wait)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  cli::crash_point("locked");
  remove_stale_head_temporaries(state_dir);
  return *fd;
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
  return fail(Reason::usage, "state directory",
              "HOME is not set; give --state-dir or DMP_SIGNER_STATE_DIR");
}

Result<std::unique_ptr<LockedLedger>> LockedLedger::open(const std::string& state_dir,
                                                         std::chrono::milliseconds wait) {
  auto fd = take_lock(state_dir, wait);
  if (!fd) return fd.error();
  std::unique_ptr<LockedLedger> ledger(new LockedLedger(state_dir, *fd));
  auto loaded = load(state_dir, true);
  if (!loaded) return loaded.error();
  ledger->entries_ = std::move(loaded->entries);
  ledger->head_exists_ = loaded->head_exists;
  return ledger;
}

LockedLedger::~LockedLedger() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // closing releases the flock
}

Result<Entry> LockedLedger::append(Entry entry) {
  std::vector<Entry> one;
  one.push_back(std::move(entry));
  auto appended = append_all(std::move(one));
  if (!appended) return appended.error();
  return appended->front();
}

Result<std::vector<Entry>> LockedLedger::append_all(std::vector<Entry> entries) {
  // Sealed in order after the current last entry. Never write a line this
  // ledger would refuse to read back: one bad entry would lock every later
  // command out of the state directory.
  std::vector<Entry> sealed;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Entry* previous =
        !sealed.empty() ? &sealed.back() : (entries_.empty() ? nullptr : &entries_.back());
    sealed.push_back(seal_entry(std::move(entries[i]), previous));
    if (auto readable = check_reads_back(sealed.back()); !readable) {
      if (entries.size() == 1) return readable.error();
      return fail(readable.error().reason, "",
                  "entry " + std::to_string(i + 1) + " of " + std::to_string(entries.size()) +
                      " (" + std::string(record_type_name(sealed.back().type)) + " " +
                      sealed.back().name + "): " + readable.error().message() +
                      "; nothing appended");
    }
  }
  if (sealed.empty()) return sealed;

  // Group commit: a batch is announced in the head (durably) before its lines
  // are written, all lines go out with one fsync, then the head moves past
  // them. One entry needs no announcement (the head always allows one).
  if (sealed.size() > kMaxBatchEntries) {
    return fail(Reason::usage, "",
                "a batch of " + std::to_string(sealed.size()) + " entries; at most " +
                    std::to_string(kMaxBatchEntries));
  }
  const bool batch = sealed.size() > 1;
  if (!head_exists_ || batch) {
    // The head ("0 <zeros>") is durable before the first entry is written:
    // a crash after that entry's fsync leaves it behind (caught up by the
    // next run), never missing, so a missing head always means tampering.
    auto announced = write_head(dir_, head_of(entries_, batch ? sealed.size() : 0), !head_exists_);
    if (!announced) return announced.error();
    head_exists_ = true;
    cli::crash_point(batch ? "head_announced" : "head_created");
  }
  const std::string path = dir_ + "/ledger";
  const bool first = entries_.empty();
  auto fd = open_state_file(path, O_WRONLY | O_APPEND | O_CREAT, "ledger");
  if (!fd) return fd.error();
  // A ledger file that exists but holds no entry (a crash right after its
  // creation) may already have its header line.
  struct stat st {};
  std::string text = first && !(::fstat(*fd, &st) == 0 && st.st_size > 0)
                         ? std::string(kHeaderLine) + "\n"
                         : std::string();
  for (const Entry& e : sealed)
    text += format_entry(e) + "\n";
  Status status = write_all(*fd, text, path);
  cli::crash_point("ledger_written");
  if (status && ::fsync(*fd) != 0) status = io_error(path, "fsync failed");
  ::close(*fd);
  if (!status) return status.error();
  cli::crash_point("ledger_synced");
  if (first) {
    const int dir_fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
      ::fsync(dir_fd);
      ::close(dir_fd);
    }
  }
  entries_.insert(entries_.end(), sealed.begin(), sealed.end());
  if (auto head = write_head(dir_, entries_); !head) return head.error();
  cli::crash_point("head_written");
  return sealed;
}

Result<std::vector<Entry>> read_ledger_unlocked(const std::string& state_dir) {
  auto loaded = load(state_dir, false);
  if (!loaded) return loaded.error();
  return std::move(loaded->entries);
}

Result<HeadRepair> repair_head(const std::string& state_dir, std::chrono::milliseconds wait,
                               const std::function<Status(const HeadRepair&)>& consent) {
  auto lock = take_lock(state_dir, wait);
  if (!lock) return lock.error();
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }  // releases the flock
  } closer{*lock};

  const std::string path = state_dir + "/ledger";
  bool exists = false;
  auto text = read_text_file(path, "ledger", exists);
  if (!text) return text.error();
  HeadRepair repair;
  repair.dir = state_dir;
  const std::size_t keep = torn_tail_start(*text);
  if (keep != std::string::npos) {
    repair.torn_tail_bytes = text->size() - keep;
    text->resize(keep);
  }
  auto entries = parse_ledger(*text);
  if (!entries) {
    return fail(Reason::ledger_corrupt, entries.error().field,
                entries.error().rule +
                    "; the chain itself is broken and `ledger repair` only rewrites the head: "
                    "restore the ledger from a backup");
  }
  repair.new_head = anchor_of(*entries);

  std::string old_text;
  auto head = read_head(state_dir, &old_text);
  if (!head && head.error().reason != Reason::ledger_corrupt) return head.error();
  if (!head) {
    repair.old_head = old_text;
    repair.old_head_problem = "unreadable";
  } else if (!*head) {
    repair.old_head_problem = entries->empty() ? "" : "missing";
  } else {
    repair.old_head = old_text;
    if (auto fits = check_head(state_dir, *entries, *head); !fits) {
      repair.old_head_problem = fits.error().message();
    } else if (const std::uint64_t behind = entries->size() - (*head)->count; behind != 0) {
      repair.old_head_problem =
          std::to_string(behind) + (behind == 1 ? " entry" : " entries") +
          " behind the ledger (a crash between the ledger's fsync and the head's update)";
    } else if ((*head)->pending != 0) {
      repair.old_head_problem = "announces a batch append that never happened (a crash before it)";
    }
  }
  if (!repair.needed()) return repair;
  if (auto agreed = consent(repair); !agreed) return agreed.error();
  if (keep != std::string::npos) {
    if (auto dropped = drop_torn_tail(path, keep, repair.torn_tail_bytes); !dropped) {
      return dropped.error();
    }
  }
  if (auto written = write_head(state_dir, *entries); !written) return written.error();
  return repair;
}

}  // namespace dmp::ledger
