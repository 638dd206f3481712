// The signing ledger, format v1: a text file, one hash-chained entry per
// line, parsed and checked here without any I/O.
//
//   dmp-signer ledger v1
//   <index> <time> <event> <type> <name> <key> <seq> <exp> <body_sha256> <body> <prev> <hash>
//
// index   1, 2, 3... (no gaps)            time   unix seconds of the signing clock
// event   sign | reemit | import          type   cluster | bootstrap | rotation | revocation
// name    cluster_name / user_domain (the subject, for rotation and
//         revocation), normalised: one trailing dot removed, ASCII lower case
//         (the reference compares names that way); at most 64 bytes, the
//         §1.5 DNS-name rule (check_entry_name)
// key     signer public key, 64 hex (a rotation has one entry per key that
//         signed it; a revocation's key is the revoked one, which signs it)
// seq/exp decimal u64 (exp 0 for import; both 0 for a revocation)
// body    base64 of the signed body ("-" for import); body_sha256 its SHA-256
// prev    the previous entry's hash (64 zeros for the first entry)
// hash    SHA-256 over "dmp-ledger-v1" and the ten fields before prev, and prev,
//         joined by single spaces: editing, dropping, inserting or reordering
//         any entry breaks the chain at that entry.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "dmp/records.hpp"
#include "dmp/result.hpp"

namespace dmp::ledger {

inline constexpr std::string_view kHeaderLine = "dmp-signer ledger v1";
inline constexpr std::size_t kMaxLineLen = 4096;
inline constexpr std::size_t kMaxLedgerLen = 64u << 20;

enum class Event { sign, reemit, import };

using Hash = std::array<std::uint8_t, 32>;

struct Entry {
  std::uint64_t index = 0;
  std::uint64_t time = 0;
  Event event = Event::sign;
  RecordType type = RecordType::cluster;
  std::string name;  // normalised
  PublicKey key{};
  std::uint64_t seq = 0;
  std::uint64_t exp = 0;
  Hash body_sha256{};
  Bytes body;  // empty for import
  Hash prev{};
  Hash hash{};

  bool operator==(const Entry&) const = default;
};

// One trailing dot removed, ASCII lower case.
std::string normalize_name(std::string_view name);

// The rule every entry's name obeys, on read and before any write (an
// import, a signature): already normalised, at most kMaxNameLen (64) bytes,
// the §1.5 DNS-name rule. Reason::invalid_field; the message starts with
// `field` and states the rule.
Status check_entry_name(std::string_view name, std::string_view field);

Hash sha256(std::span<const std::uint8_t> bytes);

// Fills index, prev and hash for an entry appended after `previous` (nullptr
// for the first), and body_sha256 from body unless the event is import.
Entry seal_entry(Entry entry, const Entry* previous);

std::string format_entry(const Entry& entry);  // one line, no newline

// Refuses (Reason::invalid_field) a sealed entry whose line parse_ledger
// would not read back as the same entry, before it is ever written.
Status check_reads_back(const Entry& entry);

// Parses a whole ledger and checks the chain: Reason::ledger_corrupt naming
// the first bad line and what is wrong with it. `text` must end with a
// newline (a torn last line is the store's business, see ledger_store).
Result<std::vector<Entry>> parse_ledger(std::string_view text);

// What signing needs from the history, per (type, normalised name, key).
struct MarkKey {
  RecordType type = RecordType::cluster;
  std::string name;
  PublicKey key{};
  auto operator<=>(const MarkKey&) const = default;
};
struct Mark {
  std::uint64_t seq = 0;
  Hash body_sha256{};  // zeros when the mark came from an import
  Bytes body;          // the body signed at `seq`, when known
};
// Revocations have no seq and make no mark.
std::map<MarkKey, Mark> high_water_marks(const std::vector<Entry>& entries);

}  // namespace dmp::ledger
