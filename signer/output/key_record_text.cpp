#include "output/key_record_text.hpp"

#include "common/time_text.hpp"
#include "dmp/codec.hpp"
#include "dmp/encoding.hpp"
#include "dmp/names.hpp"
#include "dmp/verify.hpp"
#include "dmp/zone.hpp"
#include "output/key_text.hpp"
#include "output/record_json.hpp"

namespace dmp::output {
namespace {

// Types 2 and 3 only: the commands refuse user identities before this.
std::string rrset_of(SubjectType type, const std::string& subject) {
  return rotation_rrset_name(type, subject).value_or("-");
}

template <typename KeyRecord>
std::string format_any(Format format, const KeyRecord& record, const std::string& wire,
                       std::uint32_t ttl, const PublicKey& signing_key) {
  // Append-only: slow clients walk the whole chain, older hops must stay.
  return format_publication(format,
                            Publication{rrset_of(record.subject_type, record.subject),
                                        std::string(strip_one_dot(record.subject)), true,
                                        record_fields(record), signing_key},
                            wire, ttl);
}

// The first two lines of a key record: its type and RRset, and its subject.
void type_and_subject(MarkedText& out, const std::string& indent, const std::string& type,
                      SubjectType subject_type, const std::string& subject) {
  out.line(indent + "type:    " + type + "  rrset ").add(rrset_of(subject_type, subject));
  out.line(indent + "subject: ")
      .add(subject)
      .add(" (" + std::string(subject_type_name(subject_type)) + ")");
}

}  // namespace

MarkedText describe_rotation(const RotationRecord& r, std::uint64_t now,
                             const std::string& indent) {
  MarkedText out;
  type_and_subject(out, indent, "rotation (DRAFT format, spec §4.3)", r.subject_type, r.subject);
  out.line(indent + "old key: " + key_text(r.old_spk));
  out.line(indent + "new key: " + key_text(r.new_spk));
  out.line(indent + "seq:     " + std::to_string(r.seq));
  out.line(indent + "ts:      " + cli::format_rfc3339_utc(r.ts));
  out.line(indent + "exp:     " + cli::format_rfc3339_utc(r.exp) +
           (r.exp >= now ? "  (in " + cli::describe_duration(r.exp - now) + ")"
                         : "  (EXPIRED " + cli::describe_duration(now - r.exp) + " ago)"));
  return out;
}

MarkedText describe_revocation(const RevocationRecord& r, const std::string& indent) {
  MarkedText out;
  type_and_subject(out, indent, "revocation (DRAFT format, spec §4.4)", r.subject_type, r.subject);
  out.line(indent + "revoked: " + key_text(r.revoked_spk));
  out.line(indent + "reason:  " + std::string(revocation_reason_name(r.reason)) + " (code " +
           std::to_string(static_cast<int>(r.reason)) + ")");
  out.line(indent + "ts:      " + cli::format_rfc3339_utc(r.ts));
  return out;
}

Result<KeyRecordView> view_key_record(std::string_view wire, RecordType type, std::uint64_t now,
                                      const std::optional<PublicKey>& pin) {
  auto opened = open_envelope(wire, type);
  if (!opened) return opened.error();
  std::optional<Bytes> pinned;
  if (pin) pinned = Bytes(pin->begin(), pin->end());
  if (type == RecordType::rotation) {
    auto record = decode_rotation_body(opened->body);
    if (!record) return record.error();
    KeyRecordView view{record_fields(*record), describe_rotation(*record, now, "  "), std::nullopt,
                       record->old_spk};
    if (pin) {
      auto verified = verify_rotation(wire, {now, pinned, std::nullopt, false});
      if (!verified) view.invalid = verified.error();
    }
    return view;
  }
  auto record = decode_revocation_body(opened->body);
  if (!record) return record.error();
  KeyRecordView view{record_fields(*record), describe_revocation(*record, "  "), std::nullopt,
                     record->revoked_spk};
  if (pin) {
    auto verified = verify_revocation(wire, {now, pinned, std::nullopt, std::nullopt, false});
    if (!verified) view.invalid = verified.error();
  }
  return view;
}

std::string format_key_record_wire(Format format, const RotationRecord& record,
                                   const std::string& wire, std::uint32_t ttl) {
  return format_any(format, record, wire, ttl, record.old_spk);
}

std::string format_key_record_wire(Format format, const RevocationRecord& record,
                                   const std::string& wire, std::uint32_t ttl) {
  return format_any(format, record, wire, ttl, record.revoked_spk);
}

}  // namespace dmp::output
