// dmp-verify's checks for the DRAFT key-lifecycle records (spec §4): the
// library's verify_rotation / verify_revocation with the pin as the OLD key
// (rotation) or the revoked key (revocation), then the checks only the
// command line knows about (zone owner, --min-seq, --warn-expiring). Pure.
#include <utility>
#include <vector>

#include "dmp/codec.hpp"
#include "dmp/key_records.hpp"
#include "dmp/verify.hpp"
#include "dmp/zone.hpp"
#include "verify/file_check.hpp"

namespace dmp::cli {
namespace {

// The trust-file type whose pin is the key a subject type rotates away from.
std::optional<RecordType> pin_type_of(SubjectType type) {
  if (type == SubjectType::cluster_operator) return RecordType::cluster;
  if (type == SubjectType::bootstrap_signer) return RecordType::bootstrap;
  return std::nullopt;  // user identities are not pinned in a trust file
}

// Unverified look at the subject, only to choose keys from the trust file.
struct Claimed {
  SubjectType type;
  std::string subject;
};
Result<Claimed> claimed_subject(std::string_view wire, RecordType type) {
  auto opened = open_envelope(wire, type);
  if (!opened) return opened.error();
  if (type == RecordType::rotation) {
    auto body = decode_rotation_body(opened->body);
    if (!body) return body.error();
    return Claimed{body->subject_type, body->subject};
  }
  auto body = decode_revocation_body(opened->body);
  if (!body) return body.error();
  return Claimed{body->subject_type, body->subject};
}

Result<KeyRecord> verify_one(std::string_view wire, RecordType type,
                             const std::optional<PublicKey>& pin,
                             const std::optional<std::string>& subject,
                             const CheckSettings& settings) {
  std::optional<Bytes> expected;
  if (pin) expected = Bytes(pin->begin(), pin->end());
  if (type == RecordType::rotation) {
    auto r = verify_rotation(wire, {settings.now, expected, subject, settings.strict});
    if (!r) return r.error();
    return KeyRecord(std::move(*r));
  }
  auto r =
      verify_revocation(wire, {settings.now, expected, subject, settings.max_age, settings.strict});
  if (!r) return r.error();
  return KeyRecord(std::move(*r));
}

// Either the verified record, or the verdict that refused it.
using Checked = std::variant<KeyRecord, FileVerdict>;

Checked with_key(std::string_view wire, RecordType type, const PublicKey& pin,
                 const CheckSettings& settings) {
  auto record = verify_one(wire, type, pin, settings.expected_name, settings);
  if (!record) return invalid_verdict(record.error());
  return std::move(*record);
}

Checked with_trust(std::string_view wire, RecordType type, const TrustPins& pins,
                   const CheckSettings& settings) {
  auto claimed = claimed_subject(wire, type);
  if (!claimed) return invalid_verdict(claimed.error());
  const auto pin_type = pin_type_of(claimed->type);
  const auto keys =
      pin_type ? pins.store.keys_for(*pin_type, claimed->subject) : std::span<const PublicKey>();
  if (keys.empty()) {
    return invalid_verdict(cli_reason::no_trusted_key,
                           "key: no key pinned for the " +
                               std::string(subject_type_name(claimed->type)) + " subject '" +
                               claimed->subject + "' in " + pins.source);
  }
  // Bound to the subject the key was chosen for, as for the other types.
  const std::string subject = settings.expected_name.value_or(claimed->subject);
  std::vector<Error> errors;
  for (const PublicKey& key : keys) {
    auto record = verify_one(wire, type, key, subject, settings);
    if (record) return std::move(*record);
    errors.push_back(std::move(record).error());
  }
  // A key under which the record verified but a later rule failed says more
  // than the key_mismatch of the other pins.
  for (const Error& error : errors) {
    if (error.reason != Reason::key_mismatch) return invalid_verdict(error);
  }
  return invalid_verdict(errors.front());
}

SubjectType subject_type_of(const KeyRecord& record) {
  return std::visit([](const auto& r) { return r.subject_type; }, record);
}
const std::string& subject_of(const KeyRecord& record) {
  return std::visit([](const auto& r) -> const std::string& { return r.subject; }, record);
}

}  // namespace

FileVerdict check_key_record_input(const RecordInput& input, RecordType type, const KeyPins& pins,
                                   const CheckSettings& settings) {
  Checked checked = std::holds_alternative<PublicKey>(pins)
                        ? with_key(input.wire, type, std::get<PublicKey>(pins), settings)
                        : with_trust(input.wire, type, std::get<TrustPins>(pins), settings);
  if (auto* refused = std::get_if<FileVerdict>(&checked)) return std::move(*refused);
  KeyRecord& record = std::get<KeyRecord>(checked);

  if (input.owner) {
    const auto rrset = rotation_rrset_name(subject_type_of(record), subject_of(record));
    if (!rrset) {
      return invalid_verdict(cli_reason::owner_mismatch,
                             "owner: user-identity subjects have no owner name dmp-verify can "
                             "check; give the bare wire instead of a zone line");
    }
    if (!owner_matches(*input.owner, *rrset)) {
      return invalid_verdict(
          cli_reason::owner_mismatch,
          "owner: zone owner '" + *input.owner + "' is not the record's rrset '" + *rrset + "'");
    }
  }
  FileVerdict result;
  result.verdict = Verdict::valid;
  if (const auto* rotation = std::get_if<RotationRecord>(&record)) {
    if (settings.min_seq && rotation->seq < *settings.min_seq) {
      return invalid_verdict(cli_reason::seq_rollback,
                             "seq: " + std::to_string(rotation->seq) + " is below --min-seq " +
                                 std::to_string(*settings.min_seq) + " (rollback)");
    }
    // exp >= now here: the library refused expired rotations.
    if (settings.warn_seconds && rotation->exp - settings.now < *settings.warn_seconds) {
      result.verdict = Verdict::expiring;
    }
  }
  result.key_record = std::move(record);
  return result;
}

}  // namespace dmp::cli
