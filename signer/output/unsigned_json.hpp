// Writes the unsigned input of `dmp-sign sign` (examples/README.md), the
// format input/unsigned_record parses: what `dmp-sign draft` produces. Pure:
// values in, text out; the caller parses the text back before it writes it,
// so a draft is only ever what sign accepts.
#pragma once

#include <optional>
#include <string>

#include "dmp/records.hpp"
#include "input/unsigned_record.hpp"

namespace dmp::output {

struct UnsignedJson {
  Record record;  // its fields; seq, exp and the signing key come from below
  input::SeqSpec seq;
  input::ExpirySpec expiry;
  // operator_spk_hex / signer_spk_hex: written only when the laptop must sign
  // with this key (sign refuses another); otherwise the laptop's key is used.
  std::optional<PublicKey> signing_key;
  std::optional<std::string> previous;  // the published wire this record replaces
};

// A JSON object, members in the order of examples/README.md, two-space
// indent, a final newline. A relative expiry is written in the largest unit
// that divides it (31536000 s as "365d").
std::string unsigned_record_json(const UnsignedJson& draft);

// "365d", "12h", "90m", "45s".
std::string duration_text(std::uint64_t seconds);

}  // namespace dmp::output
