// One input's verdict: the library's verification plus the checks only the
// command line knows about (zone owner, trust-file key choice, --min-seq,
// --warn-expiring). Pure: no I/O, no clock; `now` comes in as a value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "dmp/key_records.hpp"
#include "dmp/records.hpp"
#include "dmp/result.hpp"
#include "input/record_reader.hpp"
#include "verify/trust_file.hpp"

namespace dmp::cli {

// Reason codes for the checks dmp-verify adds on top of the library's
// (whose codes come from dmp::reason_name). Stable: used in --json and tests.
namespace cli_reason {
inline constexpr std::string_view owner_mismatch = "owner_mismatch";  // zone owner != rrset name
inline constexpr std::string_view no_trusted_key = "no_trusted_key";  // --trust has no pin for it
inline constexpr std::string_view seq_rollback = "seq_rollback";      // seq < --min-seq
inline constexpr std::string_view bad_zone = "bad_zone";              // zone text does not parse
inline constexpr std::string_view io_error = "io_error";              // input could not be read
}  // namespace cli_reason

enum class Verdict {
  valid,     // verified, and no CLI check failed
  expiring,  // valid, but exp - now < --warn-expiring
  invalid,   // rejected: `reason` says by which rule
  error,     // could not be checked at all (I/O)
};
std::string_view verdict_name(Verdict verdict) noexcept;

// A verified rotation or revocation (DRAFT, spec §4).
using KeyRecord = std::variant<RotationRecord, RevocationRecord>;

struct FileVerdict {
  Verdict verdict = Verdict::invalid;
  std::string reason;                   // snake_case code; empty when valid/expiring
  std::string message;                  // one line naming the field and the rule
  std::optional<Record> record;         // the verified record when valid/expiring
  std::optional<KeyRecord> key_record;  // instead of `record` for t=rotation / t=revocation
};

FileVerdict invalid_verdict(std::string_view reason, std::string message);
FileVerdict invalid_verdict(const Error& error);  // reason from dmp::reason_name

// Where the pinned keys come from: one key for every input (--pubkey,
// --pubkey-file), or a trust store picked by record type and name (--trust).
struct TrustPins {
  TrustStore store;
  std::string source;  // the trust file's path, for messages
};
using KeyPins = std::variant<PublicKey, TrustPins>;

struct CheckSettings {
  std::uint64_t now = 0;
  std::optional<std::string> expected_name;   // --name
  std::optional<std::uint64_t> min_seq;       // --min-seq
  std::optional<std::uint64_t> warn_seconds;  // --warn-expiring, in seconds
  bool strict = false;                        // --strict
  std::optional<std::uint64_t> max_age;       // --max-age: revocation freshness cap, seconds
};

// Verifies one parsed input. With TrustPins, the key is chosen from an
// unverified structural read of the wire (type from the prefix, name from the
// body), and the record is then verified with expected_name bound to that
// name (or to --name when given), so a key picked for the wrong name cannot
// make a record valid.
FileVerdict check_record_input(const RecordInput& input, const KeyPins& pins,
                               const CheckSettings& settings);

// The same for a t=rotation / t=revocation wire (verify/key_record_check.cpp).
// The pin is the key trusted today: the OLD key of a rotation, the revoked
// key of a revocation. With --trust it is looked up as the `cluster` pin of a
// cluster-operator subject or the `bootstrap` pin of a bootstrap-signer one.
// --name binds the subject, --min-seq/--warn-expiring apply to a rotation's
// seq/exp, --max-age to a revocation's ts.
FileVerdict check_key_record_input(const RecordInput& input, RecordType type, const KeyPins& pins,
                                   const CheckSettings& settings);

}  // namespace dmp::cli
