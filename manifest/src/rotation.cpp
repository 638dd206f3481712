// RotationRecord body codec (§4.3, DRAFT): magic, subject, old and new key,
// seq, ts, exp. Both keys sign the same body; the signatures are the
// envelope's business (assemble_rotation_wire, open_envelope).
#include <algorithm>

#include "dmp/codec.hpp"
#include "dmp/key_records.hpp"
#include "dmp/names.hpp"
#include "field_rules.hpp"
#include "subject_head.hpp"

namespace dmp {
namespace {

using namespace detail;

constexpr std::string_view kMagic = "DMPROT1";

}  // namespace

Result<Bytes> encode_body(const RotationRecord& record) {
  if (auto s = check_subject(record.subject_type, record.subject, "subject"); !s) return s.error();
  if (record.old_spk == record.new_spk) {
    return invalid("new_spk", "must differ from old_spk (a rotation to the same key)");
  }
  Bytes body;
  put_subject_head(body, kMagic, record.subject_type, record.subject);
  put_bytes(body, record.old_spk);
  put_bytes(body, record.new_spk);
  encoding::write_be(body, record.seq, 8);
  encoding::write_be(body, record.ts, 8);
  encoding::write_be(body, record.exp, 8);
  return body;
}

// §4.3 step 5, in the reference's order: length, magic, type, subject length
// and bytes (UTF-8), exact tail, then the subject rule and old != new.
Result<RotationRecord> decode_rotation_body(std::span<const std::uint8_t> body) {
  if (body.size() < kRotationMinBody) {
    return malformed(
        "body", "shorter than the 97-byte minimum (" + std::to_string(body.size()) + " bytes)");
  }
  encoding::ByteReader reader(body);
  auto head = read_subject_head(reader, kMagic, kRotationTailLen, "keys, seq, ts, exp");
  if (!head) return head.error();
  RotationRecord record;
  record.subject_type = head->type;
  record.subject = std::move(head->subject);
  const auto old_spk = reader.read_bytes(kPublicKeyLen);
  std::copy(old_spk.begin(), old_spk.end(), record.old_spk.begin());
  const auto new_spk = reader.read_bytes(kPublicKeyLen);
  std::copy(new_spk.begin(), new_spk.end(), record.new_spk.begin());
  record.seq = reader.read_uint(8);
  record.ts = reader.read_uint(8);
  record.exp = reader.read_uint(8);
  if (auto s = check_subject(record.subject_type, record.subject, "subject"); !s) {
    return fail(Reason::malformed, s.error().field, s.error().rule);
  }
  if (record.old_spk == record.new_spk) {
    return malformed("new_spk", "must differ from old_spk");
  }
  return record;
}

Result<std::string> assemble_rotation_wire(std::span<const std::uint8_t> body,
                                           const Signature& sig_old, const Signature& sig_new) {
  const Signature signatures[] = {sig_old, sig_new};  // the order is fixed: old, then new
  return assemble_envelope(RecordType::rotation, body, signatures);
}

}  // namespace dmp
