// RevocationRecord body codec (§4.4, DRAFT): magic, subject, revoked key,
// reason code, ts. Self-signed by the revoked key; there is no exp.
#include <algorithm>

#include "dmp/codec.hpp"
#include "dmp/key_records.hpp"
#include "dmp/names.hpp"
#include "field_rules.hpp"

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
  put_bytes(body, kMagic);
  put_uint(body, static_cast<std::uint8_t>(record.subject_type), 1);
  put_uint(body, record.subject.size(), 1);
  put_bytes(body, record.subject);
  put_bytes(body, record.revoked_spk);
  put_uint(body, static_cast<std::uint8_t>(record.reason), 1);
  put_uint(body, record.ts, 8);
  return body;
}

// §4.4 step 5, in the reference's order: length, magic, type, subject length
// and bytes (UTF-8), exact tail, reason code, then the subject rule.
Result<RevocationRecord> decode_revocation_body(std::span<const std::uint8_t> body) {
  if (body.size() < kRevocationMinBody) {
    return malformed(
        "body", "shorter than the 50-byte minimum (" + std::to_string(body.size()) + " bytes)");
  }
  ByteReader reader(body);
  if (to_string(reader.read_bytes(kMagicLen)) != kMagic) {
    return malformed("magic", "must be 'DMPRV01'");
  }
  const auto type = subject_type_from_byte(static_cast<std::uint8_t>(reader.read_uint(1)));
  if (!type) return malformed("subject_type", "must be 1, 2 or 3");
  const std::size_t cap = *type == SubjectType::user_identity ? kMaxUserSubjectLen : kMaxSubjectLen;
  const std::size_t subject_len = reader.read_uint(1);
  if (subject_len == 0 || subject_len > cap) {
    return malformed("subject", "length must be 1.." + std::to_string(cap) + " bytes (is " +
                                    std::to_string(subject_len) + ")");
  }
  if (!reader.has(subject_len)) return malformed("subject", "truncated");
  RevocationRecord record;
  record.subject_type = *type;
  record.subject = to_string(reader.read_bytes(subject_len));
  if (!is_valid_utf8(record.subject)) return malformed("subject", "is not valid UTF-8");
  if (reader.remaining() != kRevocationTailLen) {
    return malformed("body", "must end exactly 41 bytes after the subject (key, reason, ts); " +
                                 std::to_string(reader.remaining()) + " remain");
  }
  const auto spk = reader.read_bytes(kPublicKeyLen);
  std::copy(spk.begin(), spk.end(), record.revoked_spk.begin());
  const auto reason = revocation_reason_from_byte(static_cast<std::uint8_t>(reader.read_uint(1)));
  if (!reason) return malformed("reason_code", "must be 1, 2, 3 or 4");
  record.reason = *reason;
  record.ts = reader.read_uint(8);
  if (auto s = check_subject(record.subject_type, record.subject, "subject"); !s) {
    return fail(Reason::malformed, "subject", s.error().message);
  }
  return record;
}

Result<std::string> assemble_revocation_wire(std::span<const std::uint8_t> body,
                                             const Signature& signature) {
  return assemble_wire(RecordType::revocation, body, signature);
}

}  // namespace dmp
