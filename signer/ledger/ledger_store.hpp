// The ledger on the signing laptop: the state directory (0700), an exclusive
// flock held for a whole check -> sign -> record sequence, crash-safe
// appends, and a head file that catches a truncated ledger.
//
//   <state dir>/ledger   0600  the entries (ledger_format.hpp), append-only
//   <state dir>/head     0600  "<entry count> <hash of the last entry>", and
//                              " +<n>" while a batch of n is appended
//                              (ledger_head.hpp)
//   <state dir>/lock     0600  flock target
//
// Each of the three is opened without following a symlink and checked on the
// opened descriptor (no stat-then-open race): a regular file, owned by the
// effective user, mode without group/other bits, one link (a hard link would
// let another path rewrite it). Reason::insecure_file otherwise.
//
// The head is created ("0 <64 zeros>") and made durable before the first
// entry is written, so a ledger with entries and no head is never the trace
// of a crash: it is always Reason::ledger_corrupt, fixed only by the explicit
// `dmp-sign ledger repair` (repair_head below).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/ledger_anchor.hpp"
#include "ledger/ledger_format.hpp"
#include "ledger/ledger_head.hpp"

namespace dmp::ledger {

// --state-dir, else $DMP_SIGNER_STATE_DIR, else $XDG_STATE_HOME/dmp-signer,
// else $HOME/.local/state/dmp-signer.
Result<std::string> default_state_dir(const std::optional<std::string>& flag);

class LockedLedger {
 public:
  // Creates the directory (0700) if needed, refuses one readable by others,
  // takes the lock (waiting up to `wait`, then Reason::lock_busy), repairs a
  // torn last line left by a crash (reported on stderr, one line), and reads
  // and verifies every entry and the head (Reason::ledger_corrupt on any
  // inconsistency).
  static Result<std::unique_ptr<LockedLedger>> open(const std::string& state_dir,
                                                    std::chrono::milliseconds wait);
  ~LockedLedger();  // releases the lock
  LockedLedger(const LockedLedger&) = delete;
  LockedLedger& operator=(const LockedLedger&) = delete;

  const std::vector<Entry>& entries() const noexcept { return entries_; }
  const std::string& dir() const noexcept { return dir_; }

  // Seals, appends and fsyncs one entry (file, then directory on creation),
  // then updates the head. When this returns ok the entry is durable.
  Result<Entry> append(Entry entry);

  // Appends several entries as one group commit: only once every one of
  // them, sealed in order, is known to read back (check_reads_back: a refusal
  // appends nothing and names the entry, 1-based); the head announces the
  // batch, all lines are written with one fsync, then the head moves past
  // them. When this returns ok every entry is durable; after a crash the
  // next open accepts the batch whole, partly (a torn last line) or not at all.
  Result<std::vector<Entry>> append_all(std::vector<Entry> entries);

 private:
  LockedLedger(std::string dir, int lock_fd) : dir_(std::move(dir)), lock_fd_(lock_fd) {}
  std::string dir_;
  int lock_fd_ = -1;
  bool head_exists_ = false;
  std::vector<Entry> entries_;
};

// Reads and verifies a ledger without taking the lock (for `ledger show` and
// `ledger verify`, which write nothing). Missing ledger = no entries.
Result<std::vector<Entry>> read_ledger_unlocked(const std::string& state_dir);

// What `ledger repair` would do, shown to the operator before it does it.
struct HeadRepair {
  std::string dir;
  std::optional<std::string> old_head;  // the head file's text, nullopt when missing
  std::string old_head_problem;         // why it does not fit ("" when it does)
  std::size_t torn_tail_bytes = 0;      // an un-newlined last line to drop
  Anchor new_head;                      // what the head will record
  bool needed() const noexcept { return !old_head_problem.empty() || torn_tail_bytes != 0; }
};

// Under the lock: reads the ledger, verifies its chain (Reason::ledger_corrupt
// when the chain itself is broken: repair only rewrites the head), and
// describes the repair. When one is needed and `consent` returns ok, drops a
// torn last line and rewrites the head from the entries. `consent` is not
// called when nothing needs repairing.
Result<HeadRepair> repair_head(const std::string& state_dir, std::chrono::milliseconds wait,
                               const std::function<Status(const HeadRepair&)>& consent);

}  // namespace dmp::ledger
