// The ledger's head file (signer/ledger/ledger_store.hpp): how many entries
// the ledger held after the last complete append, and the hash of the last
// of them, so that a truncated or rewritten ledger is caught.
//
//   "<count> <64 hex>\n"              after every complete append
//   "<count> <64 hex> +<pending>\n"   while a batch of <pending> (>= 2)
//                                     entries is being appended
//
// An append of one entry needs no announcement: a crash between its fsync
// and the head update leaves the ledger one entry ahead, which the store
// always accepts and catches up. A batch is written with one fsync, so a
// crash can leave up to all of its entries ahead of the head; the head says
// so beforehand, durably, and any more entries than announced still mean
// the ledger was appended to by hand. One spelling per head: decimal without
// leading zeros, lower-case hex, one space, a final newline.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/ledger_format.hpp"

namespace dmp::ledger {

// The largest batch a head may announce: far above any signing session,
// and a bound on how many entries a hand-edited head can pass off as one.
inline constexpr std::uint64_t kMaxBatchEntries = 1u << 20;

struct HeadRecord {
  std::uint64_t count = 0;
  Hash hash{};                // of entry `count`; zeros when count is 0
  std::uint64_t pending = 0;  // entries of a batch in flight, 0 or 2..kMaxBatchEntries
  bool operator==(const HeadRecord&) const = default;
};

// Reason::ledger_corrupt, field "head", with the rule broken.
Result<HeadRecord> parse_head(std::string_view text);
std::string format_head(const HeadRecord& head);

// How many entries the ledger may hold beyond `count` after a crash.
inline std::uint64_t entries_allowed_ahead(const HeadRecord& head) noexcept {
  return head.pending > 1 ? head.pending : 1;
}

}  // namespace dmp::ledger
