// Key-lifecycle records (spec §4, DRAFT wire format: the reference may
// replace it with a v=dmp2 form after its audit): the RotationRecord, in
// which the old and the new key both sign one body ("new_spk succeeds
// old_spk for this subject"), and the self-signed RevocationRecord ("this key
// is permanently invalid"). Plain values and their body codec; no I/O.
//
// Encode side (encode_*) refuses what the reference's sign() refuses with
// Reason::invalid_field. Parse side (decode_*) applies §4.3/§4.4 step 5 in
// the reference's order with Reason::malformed; signatures, pins and time
// are checked by verify_rotation / verify_revocation (dmp/verify.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "dmp/api.hpp"
#include "dmp/records.hpp"
#include "dmp/result.hpp"

DMP_API_BEGIN
namespace dmp {

// §4.1. The toolkit signs types 2 and 3; type 1 (user identity) is parsed
// and verified as the reference does, so its vectors pass, but its owner
// name (rotate.dmp.<hash>...) is out of scope.
enum class SubjectType : std::uint8_t {
  user_identity = 1,
  cluster_operator = 2,
  bootstrap_signer = 3,
};

// §4.4 reason codes; any other value is refused on both sides.
enum class RevocationReason : std::uint8_t {
  compromise = 1,
  routine = 2,  // "superseded": the replacement key was already published
  lost_key = 3,
  other = 4,  // clients treat it like compromise
};

inline constexpr std::size_t kMaxSubjectLen = 64;       // types 2, 3: raw bytes, dot included
inline constexpr std::size_t kMaxUserSubjectLen = 255;  // type 1
// Fixed parts of the bodies: magic, type, length, then the tail after the subject.
inline constexpr std::size_t kRotationTailLen = 2 * kPublicKeyLen + 3 * 8;  // keys, seq, ts, exp
inline constexpr std::size_t kRevocationTailLen = kPublicKeyLen + 1 + 8;    // key, reason, ts
inline constexpr std::size_t kRotationMinBody = kMagicLen + 2 + kRotationTailLen;      // 97
inline constexpr std::size_t kRevocationMinBody = kMagicLen + 2 + kRevocationTailLen;  // 50
// §4.4 step 10: a revocation ts more than this ahead of now is refused.
inline constexpr std::uint64_t kRevocationFutureSkew = 300;
// That rule, for the verifier and for a signer checking before it signs
// (ts > now + 300, computed without wrapping).
constexpr bool revocation_ts_in_future(std::uint64_t ts, std::uint64_t now) noexcept {
  return ts > now && ts - now > kRevocationFutureSkew;
}

struct RotationRecord {
  SubjectType subject_type = SubjectType::cluster_operator;
  std::string subject;  // serialised exactly as given (no dot stripped, case kept)
  PublicKey old_spk{};  // signs first
  PublicKey new_spk{};  // signs second; must differ from old_spk
  std::uint64_t seq = 0;
  std::uint64_t ts = 0;  // informational, never checked against now
  std::uint64_t exp = 0;

  bool operator==(const RotationRecord&) const = default;
};

struct RevocationRecord {
  SubjectType subject_type = SubjectType::cluster_operator;
  std::string subject;
  PublicKey revoked_spk{};  // also the signing key: revocations are self-signed
  RevocationReason reason = RevocationReason::compromise;
  std::uint64_t ts = 0;  // there is no exp: a revocation never expires

  bool operator==(const RevocationRecord&) const = default;
};

// "user-identity" / "cluster-operator" / "bootstrap-signer".
std::string_view subject_type_name(SubjectType type) noexcept;
// "compromise" / "routine" / "lost-key" / "other".
std::string_view revocation_reason_name(RevocationReason reason) noexcept;
// The byte values 1..3 / 1..4, or nullopt for any other byte.
std::optional<SubjectType> subject_type_from_byte(std::uint8_t value) noexcept;
std::optional<RevocationReason> revocation_reason_from_byte(std::uint8_t value) noexcept;

// §4.2 (and, for type 1, the reference's user@host rule): Reason::invalid_field
// naming `field`. The cap is measured on the raw UTF-8 bytes.
Status check_subject(SubjectType type, std::string_view subject, std::string_view field);

// The reference's subject comparison: types 2/3 strip one trailing dot and
// compare case folds (as name_matches_expected); type 1 trims both halves
// and folds only the host.
bool subject_matches_expected(SubjectType type, std::string_view stored, std::string_view expected);

// §4.1 owner name of the rotate RRset (rotations and revocations share it):
// "rotate.cluster.<base>" / "rotate._dmp.<domain>", one trailing dot removed,
// case kept. nullopt for type 1, whose name needs the identity hash.
std::optional<std::string> rotation_rrset_name(SubjectType type, std::string_view subject);

Result<Bytes> encode_body(const RotationRecord& record);
Result<Bytes> encode_body(const RevocationRecord& record);
Result<RotationRecord> decode_rotation_body(std::span<const std::uint8_t> body);
Result<RevocationRecord> decode_revocation_body(std::span<const std::uint8_t> body);

// prefix || base64(body || sig_old || sig_new) / prefix || base64(body || sig).
Result<std::string> assemble_rotation_wire(std::span<const std::uint8_t> body,
                                           const Signature& sig_old, const Signature& sig_new);
Result<std::string> assemble_revocation_wire(std::span<const std::uint8_t> body,
                                             const Signature& signature);

}  // namespace dmp
DMP_API_END
