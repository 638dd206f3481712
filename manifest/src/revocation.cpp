// RevocationRecord body codec (§4.4, DRAFT): magic, subject, revoked key,
// reason code, ts. Self-signed by the revoked key; there is no exp.
#include <algorithm>

#include "dmp/codec.hpp"
#include "dmp/key_records.hpp"
#include "dmp/names.hpp"
#include "field_rules.hpp"
#include "subject_head.hpp"

namespace dmp {
namespace {

using namespace detail;

constexpr std::string_view kMagic = "DMPRV01";

}  // namespace

Result<Bytes> encode_body(const RevocationRecord& record) {
  if (auto s = check_subject(record.subject_type, record.subject, "subject"); !s) return s.error();
  if (!revocation_reason_from_byte(static_cast<std::uint8_t>(record.reason))) {
    return invalid("reason_code", "must be 1 (compromise), 2 (routine), 3 (lost key) or 4 (other)");
  }
  Bytes body;
  put_subject_head(body, kMagic, record.subject_type, record.subject);
  put_bytes(body, record.revoked_spk);
  encoding::write_be(body, static_cast<std::uint8_t>(record.reason), 1);
  encoding::write_be(body, record.ts, 8);
  return body;
}

// §4.4 step 5, in the reference's order: length, magic, type, subject length
// and bytes (UTF-8), exact tail, reason code, then the subject rule.
Result<RevocationRecord> decode_revocation_body(std::span<const std::uint8_t> body) {
  if (body.size() < kRevocationMinBody) {
    return malformed(
        "body", "shorter than the 50-byte minimum (" + std::to_string(body.size()) + " bytes)");
  }
  encoding::ByteReader reader(body);
  auto head = read_subject_head(reader, kMagic, kRevocationTailLen, "key, reason, ts");
  if (!head) return head.error();
  RevocationRecord record;
  record.subject_type = head->type;
  record.subject = std::move(head->subject);
  const auto spk = reader.read_bytes(kPublicKeyLen);
  std::copy(spk.begin(), spk.end(), record.revoked_spk.begin());
  const auto reason = revocation_reason_from_byte(static_cast<std::uint8_t>(reader.read_uint(1)));
  if (!reason) return malformed("reason_code", "must be 1, 2, 3 or 4");
  record.reason = *reason;
  record.ts = reader.read_uint(8);
  if (auto s = check_subject(record.subject_type, record.subject, "subject"); !s) {
    return fail(Reason::malformed, s.error().field, s.error().rule);
  }
  return record;
}

Result<std::string> assemble_revocation_wire(std::span<const std::uint8_t> body,
                                             const Signature& signature) {
  return assemble_wire(RecordType::revocation, body, signature);
}

}  // namespace dmp
