// The ledger on the signing laptop: the state directory (0700), an exclusive
// flock held for a whole check -> sign -> record sequence, crash-safe
// appends, and a head file that catches a truncated ledger.
//
//   <state dir>/ledger   0600  the entries (ledger_format.hpp), append-only
//   <state dir>/head     0600  "<entry count> <hash of the last entry>"
//   <state dir>/lock     0600  flock target
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/ledger_format.hpp"

namespace dmp::ledger {

// --state-dir, else $DMP_SIGNER_STATE_DIR, else $XDG_STATE_HOME/dmp-signer,
// else $HOME/.local/state/dmp-signer.
Result<std::string> default_state_dir(const std::optional<std::string>& flag);

class LockedLedger {
 public:
  // Creates the directory (0700) if needed, refuses one readable by others,
  // takes the lock (waiting up to `wait`, then Reason::lock_busy), repairs a
  // torn last line left by a crash, and reads and verifies every entry and
  // the head (Reason::ledger_corrupt on any inconsistency).
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

 private:
  LockedLedger(std::string dir, int lock_fd) : dir_(std::move(dir)), lock_fd_(lock_fd) {}
  std::string dir_;
  int lock_fd_ = -1;
  std::vector<Entry> entries_;
};

// Reads and verifies a ledger without taking the lock (for `ledger show` and
// `ledger verify`, which write nothing). Missing ledger = no entries.
Result<std::vector<Entry>> read_ledger_unlocked(const std::string& state_dir);

}  // namespace dmp::ledger
