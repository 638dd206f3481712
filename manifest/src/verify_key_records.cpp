// Verification of the DRAFT key-lifecycle records (§4.3, §4.4), check for
// check in the reference's order. Unlike §2.4/§3.5 the body is parsed before
// any signature is checked, because the verifying keys are in the body.
#include <algorithm>
#include <cstdint>

#include "clock.hpp"
#include "dmp/codec.hpp"
#include "dmp/verify.hpp"
#include "expiry_check.hpp"

namespace dmp {
namespace {

// check_signature's errors name a generic "public_key"/"signature"; here the
// record has several keys, so the message says which one failed.
Status check_named_signature(std::span<const std::uint8_t> body, const Signature& signature,
                             const PublicKey& key, const std::string& key_field,
                             const std::string& sig_field) {
  auto checked = check_signature(body, signature, key);
  if (checked) return ok();
  if (checked.error().reason == Reason::bad_key) {
    return fail(Reason::bad_key, key_field, "is a low-order point (blocklisted)");
  }
  return fail(checked.error().reason, sig_field, "does not verify under " + key_field);
}

Status check_expected_key(const std::optional<Bytes>& expected, const PublicKey& key,
                          const std::string& field) {
  if (!expected) return ok();
  if (expected->size() != kPublicKeyLen) {
    return fail(Reason::key_mismatch, field,
                "the pinned key must be 32 bytes (is " + std::to_string(expected->size()) + ")");
  }
  if (!std::equal(expected->begin(), expected->end(), key.begin(), key.end())) {
    return fail(Reason::key_mismatch, field, "differs from the pinned key");
  }
  return ok();
}

Status check_expected_subject(const std::optional<std::string>& expected, SubjectType type,
                              const std::string& subject) {
  if (!expected || subject_matches_expected(type, subject, *expected)) return ok();
  return fail(Reason::name_mismatch, "subject",
              "signed subject '" + subject + "' is not the expected '" + *expected + "'");
}

Status check_canonical(const OpenedEnvelope& opened, bool strict) {
  if (!strict || opened.canonical_base64) return ok();
  return fail(Reason::non_canonical, "wire", "base64 is not in canonical padded form");
}

}  // namespace

Result<RotationRecord> verify_rotation(std::string_view wire,
                                       const RotationVerifyOptions& options) {
  auto opened = open_envelope(wire, RecordType::rotation);  // steps 1-4
  if (!opened) return opened.error();
  auto record = decode_rotation_body(opened->body);  // step 5
  if (!record) return record.error();
  // Step 6: old first, then new; either failing is a rejection.
  if (auto s = check_named_signature(opened->body, opened->signatures[0], record->old_spk,
                                     "old_spk", "sig_old");
      !s) {
    return s.error();
  }
  if (auto s = check_named_signature(opened->body, opened->signatures[1], record->new_spk,
                                     "new_spk", "sig_new");
      !s) {
    return s.error();
  }
  if (auto s = check_expected_key(options.expected_old_spk, record->old_spk, "old_spk"); !s) {
    return s.error();  // step 7
  }
  if (auto s =
          check_expected_subject(options.expected_subject, record->subject_type, record->subject);
      !s) {
    return s.error();  // step 8
  }
  const std::uint64_t now = options.now.value_or(detail::wall_clock_now());  // step 9 (§1.6)
  if (auto window = detail::check_expiry(record->exp, now, "rotation"); !window) {
    return window.error();
  }
  if (auto s = check_canonical(*opened, options.strict); !s) return s.error();
  return record;
}

Result<RevocationRecord> verify_revocation(std::string_view wire,
                                           const RevocationVerifyOptions& options) {
  auto opened = open_envelope(wire, RecordType::revocation);  // steps 1-4
  if (!opened) return opened.error();
  auto record = decode_revocation_body(opened->body);  // step 5
  if (!record) return record.error();
  if (auto s = check_named_signature(opened->body, opened->signatures[0], record->revoked_spk,
                                     "revoked_spk", "signature");
      !s) {
    return s.error();  // step 6: self-signed
  }
  if (auto s = check_expected_key(options.expected_revoked_spk, record->revoked_spk, "revoked_spk");
      !s) {
    return s.error();  // step 7
  }
  if (auto s =
          check_expected_subject(options.expected_subject, record->subject_type, record->subject);
      !s) {
    return s.error();  // step 8
  }
  // Steps 9-10, written so that nothing wraps (the reference's integers do
  // not): ts + max_age < now, and ts > now + 300.
  const std::uint64_t now = options.now.value_or(detail::wall_clock_now());
  if (options.max_age_seconds && *options.max_age_seconds < now &&
      record->ts < now - *options.max_age_seconds) {
    return fail(Reason::revocation_stale, "ts",
                "revocation older than max_age (" + std::to_string(*options.max_age_seconds) +
                    " s) at now " + std::to_string(now));
  }
  if (revocation_ts_in_future(record->ts, now)) {
    return fail(
        Reason::timestamp_in_future, "ts",
        std::to_string(record->ts) + " is more than 300 s after now " + std::to_string(now));
  }
  if (auto s = check_canonical(*opened, options.strict); !s) return s.error();
  return record;
}

}  // namespace dmp
