// What a dmp-verify input file holds: a bare wire, or one zone-file TXT
// record carrying it. Parsing only; the caller reads the bytes.
//
//  - Content starting with "v=dmp1;" is a bare wire. Exactly one trailing
//    "\n" is dropped (editors and `echo` add it); anything else stays, so
//    "\r\n" or a second newline reaches the verifier and fails as bad_base64,
//    just as the reference rejects any whitespace in a wire (spec §1.4).
//  - Anything else is read as one TXT record in master-file syntax
//    (dmp::parse_txt_record): `owner [ttl] [IN] TXT "piece" "piece" ...`,
//    also in the parenthesised multi-line form. The character-strings are
//    joined with no separator (§8) and the owner is kept so the caller can
//    check it against the record's rrset name once the record is verified.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "dmp/result.hpp"

namespace dmp::cli {

struct RecordInput {
  std::string wire;
  std::optional<std::string> owner;  // set when the input was a zone TXT record
};

// Fails only for zone text that parse_txt_record refuses (its error, which
// names the broken rule, is passed through).
Result<RecordInput> parse_record_input(std::string_view content);

}  // namespace dmp::cli
