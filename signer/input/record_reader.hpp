// The one reader of published records, shared by dmp-verify, `inspect`,
// `renew --from` and `sign --previous`: whatever an operator has at hand
// after publishing. Parsing only; the caller reads the bytes.
//
//  - Content starting with "v=dmp" is a bare wire. Exactly one trailing
//    "\n" is dropped (editors and `echo` add it); anything else stays, so
//    "\r\n" or a second newline reaches the verifier and fails as bad_base64,
//    just as the reference rejects any whitespace in a wire (spec §1.4).
//  - Anything else is zone text, `dig` output or `dig +short` output
//    (dmp::parse_txt_records): the character-strings of each TXT record are
//    joined with no separator (§8) and its owner is kept so the caller can
//    check it against the record's rrset name once the record is verified.
//    TXT records that are not DMP records (SPF, site verification) and
//    records of other types are passed over.
//  - An RRset may hold more than one DMP record (a rollout caught half way,
//    or a stale record left behind): it is refused unless the caller names
//    one (`--record N`, counted from 1 in the order of the text).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dmp/result.hpp"

namespace dmp::cli {

struct RecordInput {
  std::string wire;
  std::optional<std::string> owner;  // set when the input was a zone or `dig` TXT record
};

// Every DMP record in `content`, in order; a lone TXT record that is not one
// is returned too, for the verifier to refuse by its prefix. Fails with
// Reason::bad_prefix when `content` holds no TXT record at all (not a record
// in any form), Reason::malformed (field "zone") for broken zone text or
// several TXT records none of which is a DMP record.
Result<std::vector<RecordInput>> read_records(std::string_view content);

// The one DMP record of `content`, or the `choose`-th (from 1) of several.
Result<RecordInput> read_record(std::string_view content,
                                std::optional<std::size_t> choose = std::nullopt);

// The same choice over records read already (at least one).
Result<RecordInput> choose_record(std::vector<RecordInput> records,
                                  std::optional<std::size_t> choose);

}  // namespace dmp::cli
