// The verifier: the reference's parse_and_verify (§2.4, §3.5), check for
// check and in the same order, with a reason for every rejection.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "dmp/api.hpp"
#include "dmp/key_records.hpp"
#include "dmp/records.hpp"
#include "dmp/result.hpp"

DMP_API_BEGIN
namespace dmp {

struct VerifyOptions {
  // The verifier's clock in unix seconds; nullopt reads the wall clock, as
  // the reference does. Offline tools should pass it explicitly.
  std::optional<std::uint64_t> now;
  // Bind the record to this cluster_name / user_domain (one trailing dot and
  // case ignored, §2.4 step 9).
  std::optional<std::string> expected_name;
  // Opt-in: also refuse encodings that a conforming signer never emits
  // (non-canonical base64, trailing-dot names, unsorted entries, zero nodes)
  // with Reason::non_canonical. Off = the reference's accept set exactly.
  bool strict = false;
};

// True when `key` is not 32 bytes or is one of the 14 low-order encodings
// the reference refuses before every verification (§1.2.1).
bool is_rejected_public_key(std::span<const std::uint8_t> key) noexcept;

Result<ClusterManifest> verify_cluster(std::string_view wire,
                                       std::span<const std::uint8_t> pinned_operator_spk,
                                       const VerifyOptions& options);
Result<BootstrapRecord> verify_bootstrap(std::string_view wire,
                                         std::span<const std::uint8_t> pinned_signer_spk,
                                         const VerifyOptions& options);
// Dispatches on the wire's prefix; an unknown prefix is Reason::bad_prefix.
Result<Record> verify(std::string_view wire, std::span<const std::uint8_t> pinned_key,
                      const VerifyOptions& options);

// §4.3 verification of a RotationRecord (DRAFT), in the reference's order:
// envelope (1-4), body parse (5: the keys live in the body), sig_old under
// old_spk then sig_new under new_spk, each after the blocklist (6), the
// pinned old key (7), the subject (8), the exp rules of §1.6 (9).
struct RotationVerifyOptions {
  std::optional<std::uint64_t> now;  // nullopt: the wall clock
  // The key the caller trusts today: the rotation must start from it.
  // Anything but 32 bytes, or another key, is Reason::key_mismatch.
  std::optional<Bytes> expected_old_spk;
  std::optional<std::string> expected_subject;  // subject_matches_expected
  bool strict = false;                          // also refuse non-canonical base64
};
Result<RotationRecord> verify_rotation(std::string_view wire, const RotationVerifyOptions& options);

// §4.4 verification of a RevocationRecord (DRAFT): envelope, body parse,
// the self-signature under revoked_spk, the pinned key, the subject, then
// the two time rules: Reason::revocation_stale when the caller opted into a
// max_age and ts + max_age < now; Reason::timestamp_in_future when
// ts > now + 300 (always).
struct RevocationVerifyOptions {
  std::optional<std::uint64_t> now;
  std::optional<Bytes> expected_revoked_spk;  // as expected_old_spk above
  std::optional<std::string> expected_subject;
  std::optional<std::uint64_t> max_age_seconds;  // default none: revocations are permanent
  bool strict = false;
};
Result<RevocationRecord> verify_revocation(std::string_view wire,
                                           const RevocationVerifyOptions& options);

// Ed25519 check of `signature` over `message` with the blocklist applied
// first: Reason::bad_key or Reason::bad_signature. Exposed for the signer's
// self-check and for tests.
Status check_signature(std::span<const std::uint8_t> message, const Signature& signature,
                       std::span<const std::uint8_t> public_key);

}  // namespace dmp
DMP_API_END
