// The unsigned input of `dmp-sign sign`: a JSON object naming the record type
// and its fields (the reference vectors' `inputs` plus "type"). Strict: an
// unknown or duplicated field, a wrong type or an out-of-range value is
// refused with its JSON path and the rule. Pure: text in, value out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dmp/records.hpp"
#include "dmp/result.hpp"

namespace dmp::input {

inline constexpr std::size_t kMaxInputLen = 64 * 1024;

struct SeqSpec {
  bool automatic = false;  // "auto": one above the highest known
  std::uint64_t value = 0;
};

struct ExpirySpec {
  bool relative = false;    // expires_in: seconds after the signing clock
  std::uint64_t value = 0;  // exp (unix seconds) or expires_in (seconds)
};

struct UnsignedRecord {
  // Record fields as given; the signing key (operator_spk / signer_spk), seq
  // and exp are filled in by resolve().
  Record record;
  bool signing_key_given = false;
  SeqSpec seq;
  ExpirySpec expiry;
  // "previous": the published record this one replaces (what `dmp-sign
  // draft` embeds), taken by sign as if given with --previous.
  std::optional<std::string> previous;
};

Result<UnsignedRecord> parse_unsigned_record(std::string_view json_text);

// Signer policy, not the verifier's: every text field of a record to sign
// is refused (Reason::invalid_field, naming the field, the character and its
// byte offset) when it holds a character the terminal renderer would have
// to escape (controls, bidi controls, invisible characters, bytes that are
// not UTF-8): what the operator reviews must be exactly what is signed.
Status check_terminal_safe_fields(const Record& record);

// "365d", "12h", "30m", "90s", "2w": a positive whole number and one unit.
Result<std::uint64_t> parse_duration(std::string_view text, std::string_view field);

// The record to sign: the signing key filled in (or checked when given:
// Reason::key_mismatch), seq (auto = `auto_seq`) and exp (relative to `now`).
Result<Record> resolve(const UnsignedRecord& input, const PublicKey& signing_key,
                       std::uint64_t auto_seq, std::uint64_t now);

}  // namespace dmp::input
