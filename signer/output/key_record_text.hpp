// How rotation and revocation records (spec §4, DRAFT) are shown and handed
// out: the review summary, JSON, and the publishing formats. Their RRset,
// rotate.cluster.<base> / rotate._dmp.<domain>, is append-only (slow clients
// walk the whole chain), so the nsupdate script only ever adds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dmp/key_records.hpp"
#include "dmp/result.hpp"
#include "output/marked_text.hpp"
#include "output/record_json.hpp"
#include "output/wire_formats.hpp"

namespace dmp::output {

// Multi-line summaries; each line starts with `indent`.
MarkedText describe_rotation(const RotationRecord& record, std::uint64_t now,
                             const std::string& indent);
MarkedText describe_revocation(const RevocationRecord& record, const std::string& indent);

// What `dmp-sign inspect` shows of a wire: its fields as JSON and text, and
// with a pinned key the verifier's refusal, if any.
struct KeyRecordView {
  OrderedJson fields;  // record_fields()
  MarkedText text;
  std::optional<Error> invalid;
  PublicKey signing_key{};  // the embedded key, a rotation's old one, the revoked one
};
// A rotation or revocation wire: decoded, and with `pin` (the old key, the
// revoked key) verified at `now`. Fails only when it cannot be decoded.
Result<KeyRecordView> view_key_record(std::string_view wire, RecordType type, std::uint64_t now,
                                      const std::optional<PublicKey>& pin);

// The text for `format`, as format_wire does for manifests.
std::string format_key_record_wire(Format format, const RotationRecord& record,
                                   const std::string& wire, std::uint32_t ttl);
std::string format_key_record_wire(Format format, const RevocationRecord& record,
                                   const std::string& wire, std::uint32_t ttl);

}  // namespace dmp::output
