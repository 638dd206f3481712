// The rotation request: the file that carries one RotationRecord body across
// air gaps while its two signatures are collected (spec §4.3: "export the
// body, collect the two detached signatures, assemble"). Parsed and written
// here without any I/O; the body is the single source of truth (the fields
// are shown by decoding it, never stored twice).
//
//   {"dmp_rotation_request": 1,
//    "body": "<lower-case hex of the DMPROT1 body>",
//    "sig_old": "<128 hex>",   (once the old key has signed)
//    "sig_new": "<128 hex>"}   (once the new key has signed)
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "dmp/key_records.hpp"
#include "dmp/result.hpp"

namespace dmp::input {

inline constexpr std::size_t kMaxRotationRequestLen = 16 * 1024;

struct RotationRequest {
  Bytes body;
  RotationRecord record;  // decode_rotation_body(body)
  std::optional<Signature> sig_old;
  std::optional<Signature> sig_new;
};

// Strict: unknown or repeated members, another version, upper-case or odd
// hex, a body the verifier would not parse, are Reason::invalid_field naming
// the member and the rule. Signatures are not checked here (see below).
Result<RotationRequest> parse_rotation_request(std::string_view text);

// The canonical text (fixed member order, trailing newline).
std::string format_rotation_request(const RotationRequest& request);

// Each signature present must verify under its key in the body (sig_old
// under old_spk, sig_new under new_spk): Reason::bad_signature naming it.
Status check_request_signatures(const RotationRequest& request);

}  // namespace dmp::input
