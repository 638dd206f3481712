// One test per rule of §4.2-§4.4 (rotation and revocation, DRAFT), each at
// its limit and one past it, plus the order in which the rules are checked
// and truncation at every offset. Bodies are built byte by byte and signed,
// so the rule under test is the first one a wire breaks.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "dmp/codec.hpp"
#include "dmp/key_records.hpp"
#include "dmp/verify.hpp"
#include "support/raw_bytes.hpp"
#include "unit_helpers.hpp"

namespace dmp::unit {
namespace {

const test::TestKey& old_key() {
  return operator_key();
}
const test::TestKey& new_key() {
  return signer_key();
}

using dmp::test::put;

struct RotationBytes {
  std::string magic = "DMPROT1";
  std::uint8_t type = 2;
  std::string subject = "mesh.example.com";
  std::optional<std::size_t> subject_len;  // default: subject.size()
  PublicKey old_spk = old_key().public_key;
  PublicKey new_spk = new_key().public_key;
  std::uint64_t seq = 7, ts = kNow, exp = kExp;
  std::size_t extra_tail = 0;  // bytes appended after exp

  Bytes body() const {
    Bytes b;
    put(b, magic);
    put(b, type, 1);
    put(b, subject_len.value_or(subject.size()), 1);
    put(b, subject);
    put(b, old_spk);
    put(b, new_spk);
    put(b, seq, 8);
    put(b, ts, 8);
    put(b, exp, 8);
    b.insert(b.end(), extra_tail, 0);
    return b;
  }
};

std::string rotation_wire(std::span<const std::uint8_t> body,
                          const test::TestKey& first = old_key(),
                          const test::TestKey& second = new_key()) {
  Bytes blob(body.begin(), body.end());
  const Signature a = test::sign_bytes(first, body), b = test::sign_bytes(second, body);
  blob.insert(blob.end(), a.begin(), a.end());
  blob.insert(blob.end(), b.begin(), b.end());
  return raw_wire(RecordType::rotation, blob);
}
std::string rotation_wire(const RotationBytes& r) {
  return rotation_wire(r.body());
}

struct RevocationBytes {
  std::string magic = "DMPRV01";
  std::uint8_t type = 2;
  std::string subject = "mesh.example.com";
  std::optional<std::size_t> subject_len;
  PublicKey revoked = old_key().public_key;
  std::uint8_t reason = 1;
  std::uint64_t ts = kNow;
  std::size_t extra_tail = 0;

  Bytes body() const {
    Bytes b;
    put(b, magic);
    put(b, type, 1);
    put(b, subject_len.value_or(subject.size()), 1);
    put(b, subject);
    put(b, revoked);
    put(b, reason, 1);
    put(b, ts, 8);
    b.insert(b.end(), extra_tail, 0);
    return b;
  }
};

std::string revocation_wire(std::span<const std::uint8_t> body,
                            const test::TestKey& key = old_key()) {
  return signed_wire(RecordType::revocation, body, key);
}
std::string revocation_wire(const RevocationBytes& r) {
  return revocation_wire(r.body());
}

RotationVerifyOptions rot_at(std::uint64_t now) {
  RotationVerifyOptions o;
  o.now = now;
  return o;
}
RevocationVerifyOptions rev_at(std::uint64_t now) {
  RevocationVerifyOptions o;
  o.now = now;
  return o;
}
Bytes bytes_of(const PublicKey& key) {
  return Bytes(key.begin(), key.end());
}

// ---- envelope (steps 1-4) --------------------------------------------------

TEST(RotationEnvelope, PrefixMustBeRotation) {
  const std::string wire = rotation_wire(RotationBytes{});
  EXPECT_REASON(verify_rotation(wire, rot_at(kNow)), Reason::ok);
  EXPECT_REASON(verify_rotation("v=dmp1;t=revocation;" + wire.substr(18), rot_at(kNow)),
                Reason::bad_prefix);
  EXPECT_REASON(verify_revocation(wire, rev_at(kNow)), Reason::bad_prefix);
  // Nor does the manifest verifier take it, under the very key that signed
  // it: refused at the prefix, naming the verifier that reads it.
  const PublicKey old_spk = old_key().public_key;
  const auto as_manifest = verify(
      wire, old_spk, VerifyOptions{.now = kNow, .expected_name = std::nullopt, .strict = false});
  EXPECT_REASON(as_manifest, Reason::bad_prefix);
  ASSERT_FALSE(as_manifest);
  EXPECT_NE(as_manifest.error().message().find("verify_rotation"), std::string::npos)
      << as_manifest.error().message();
}

TEST(RotationEnvelope, WireCapIs1200Bytes) {
  // A type-1 subject of 255 bytes keeps the body within the cap; the cap
  // itself is checked on the text before decoding, so pad with base64.
  const std::string wire = rotation_wire(RotationBytes{});
  const std::string at_cap = wire + std::string(1200 - wire.size(), 'A');
  EXPECT_NE(reason_of(verify_rotation(at_cap, rot_at(kNow))), Reason::too_long);
  EXPECT_REASON(verify_rotation(at_cap + "A", rot_at(kNow)), Reason::too_long);
}

TEST(RotationEnvelope, BlobNeedsMagicAndTwoSignatures) {
  EXPECT_REASON(verify_rotation(raw_wire(RecordType::rotation, Bytes(134, 1)), rot_at(kNow)),
                Reason::too_short);
  // 135 bytes split into a 7-byte body and two signatures: the body is short.
  EXPECT_REASON(verify_rotation(raw_wire(RecordType::rotation, Bytes(135, 1)), rot_at(kNow)),
                Reason::malformed);
}

TEST(RevocationEnvelope, BlobNeedsMagicAndOneSignature) {
  EXPECT_REASON(verify_revocation(raw_wire(RecordType::revocation, Bytes(70, 1)), rev_at(kNow)),
                Reason::too_short);
  EXPECT_REASON(verify_revocation(raw_wire(RecordType::revocation, Bytes(71, 1)), rev_at(kNow)),
                Reason::malformed);
}

TEST(KeyRecordEnvelope, NonCanonicalBase64OnlyRefusedInStrictMode) {
  // §1.4: surplus padding after a complete quantum is accepted by default.
  RotationBytes r;
  r.subject = "mesh12.example.com";  // blob 97 + 18 + 128 = 243 bytes: no padding
  std::string wire = rotation_wire(r);
  ASSERT_FALSE(wire.ends_with('='));
  wire += "=";
  RotationVerifyOptions o = rot_at(kNow);
  EXPECT_REASON(verify_rotation(wire, o), Reason::ok);
  o.strict = true;
  EXPECT_REASON(verify_rotation(wire, o), Reason::non_canonical);
}

// ---- rotation body (step 5) -------------------------------------------------

TEST(RotationBody, MinimumLengthIs97) {
  Bytes body = RotationBytes{}.body();
  body.resize(96);
  EXPECT_REASON(verify_rotation(rotation_wire(body), rot_at(kNow)), Reason::malformed);
}

TEST(RotationBody, MagicMustBeDMPROT1) {
  RotationBytes r;
  r.magic = "DMPROT2";
  EXPECT_REASON(verify_rotation(rotation_wire(r), rot_at(kNow)), Reason::malformed);
}

TEST(RotationBody, SubjectTypeIs1To3) {
  for (std::uint8_t type : {std::uint8_t{0}, std::uint8_t{4}, std::uint8_t{255}}) {
    RotationBytes r;
    r.type = type;
    EXPECT_REASON(verify_rotation(rotation_wire(r), rot_at(kNow)), Reason::malformed) << int{type};
  }
  RotationBytes bootstrap;
  bootstrap.type = 3;
  EXPECT_REASON(verify_rotation(rotation_wire(bootstrap), rot_at(kNow)), Reason::ok);
}

TEST(RotationBody, OperatorSubjectIsAtMost64Bytes) {
  RotationBytes r;
  r.subject = std::string(63, 'a') + ".";  // 64 raw bytes, dot included
  EXPECT_REASON(verify_rotation(rotation_wire(r), rot_at(kNow)), Reason::ok);
  r.subject = std::string(60, 'a') + ".com";
  EXPECT_REASON(verify_rotation(rotation_wire(r), rot_at(kNow)), Reason::ok);
  r.subject = std::string(61, 'a') + ".com";  // 65
  const auto refused = verify_rotation(rotation_wire(r), rot_at(kNow));
  EXPECT_REASON(refused, Reason::malformed);
  // By the length byte, as the body is decoded, not by a later rule.
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("length must be 1..64"), std::string::npos)
      << refused.error().message();
}

TEST(RotationBody, UserSubjectIsAtMost255Bytes) {
  RotationBytes r;
  r.type = 1;
  r.subject = std::string(243, 'u') + "@example.com";
  ASSERT_EQ(r.subject.size(), 255u);  // the u8 length's maximum: no "one past" exists
  EXPECT_REASON(verify_rotation(rotation_wire(r), rot_at(kNow)), Reason::ok);
  RotationRecord record{SubjectType::user_identity,
                        r.subject + "m",
                        old_key().public_key,
                        new_key().public_key,
                        1,
                        1,
                        1};
  EXPECT_REASON(encode_body(record), Reason::invalid_field);  // 256 bytes cannot be encoded
}

TEST(RotationBody, SubjectLengthZeroIsRefused) {
  RotationBytes r;
  r.subject = "";
  EXPECT_REASON(verify_rotation(rotation_wire(r), rot_at(kNow)), Reason::malformed);
}

TEST(RotationBody, SubjectMustBePresentAndExactTail) {
  RotationBytes r;
  r.subject_len = 17;  // one byte more than the subject: the tail is 87 bytes
  EXPECT_REASON(verify_rotation(rotation_wire(r), rot_at(kNow)), Reason::malformed);
  RotationBytes longer;
  longer.extra_tail = 1;  // 89 bytes after the subject
  EXPECT_REASON(verify_rotation(rotation_wire(longer), rot_at(kNow)), Reason::malformed);
  RotationBytes overrun;
  overrun.subject_len = 64;  // claims more than the body holds after the header
  overrun.subject = "a.b";
  Bytes body = overrun.body();
  body.resize(9 + 3);  // cut right after the subject bytes present
  body.resize(std::max<std::size_t>(body.size(), 97), 0);
  EXPECT_REASON(verify_rotation(rotation_wire(body), rot_at(kNow)), Reason::malformed);
}

TEST(RotationBody, SubjectMustBeUtf8) {
  RotationBytes r;
  r.subject = "mesh.example.c\xC3";  // truncated two-byte sequence
  const auto refused = verify_rotation(rotation_wire(r), rot_at(kNow));
  EXPECT_REASON(refused, Reason::malformed);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("UTF-8"), std::string::npos)
      << refused.error().message();
  // As the body is decoded, before its tail: a wrong tail after the bad
  // subject is not what is reported.
  r.extra_tail = 1;
  const auto first = verify_rotation(rotation_wire(r), rot_at(kNow));
  ASSERT_FALSE(first);
  EXPECT_NE(first.error().message().find("UTF-8"), std::string::npos) << first.error().message();
}

TEST(RotationBody, OperatorSubjectFollowsDnsNameRule) {
  RotationBytes r;
  r.subject = "mesh_1.example.com";
  EXPECT_REASON(verify_rotation(rotation_wire(r), rot_at(kNow)), Reason::malformed);
  r.subject = "-mesh.example.com";
  EXPECT_REASON(verify_rotation(rotation_wire(r), rot_at(kNow)), Reason::malformed);
  r.subject = ".";
  EXPECT_REASON(verify_rotation(rotation_wire(r), rot_at(kNow)), Reason::malformed);
}

TEST(RotationBody, OperatorSubjectAcceptsDoubleTrailingDot) {
  // §4.2 quirk (§10 item 5): one dot is removed, then §1.5 tolerates another.
  RotationBytes r;
  r.subject = "mesh.example.com..";
  EXPECT_REASON(verify_rotation(rotation_wire(r), rot_at(kNow)), Reason::ok);
  r.subject = "mesh.example.com...";
  EXPECT_REASON(verify_rotation(rotation_wire(r), rot_at(kNow)), Reason::malformed);
}

TEST(RotationBody, UserSubjectIsUserAtHost) {
  RotationBytes r;
  r.type = 1;
  for (const char* bad : {"alice", "@example.com", "alice@", " @example.com", "alice@ex_ample.com",
                          "alice@.", "a@b@example.com"}) {
    r.subject = bad;
    EXPECT_REASON(verify_rotation(rotation_wire(r), rot_at(kNow)), Reason::malformed) << bad;
  }
  // An empty half is named as such, not as a host without labels.
  for (const char* half : {"alice@", "alice@ ", " @example.com"}) {
    r.subject = half;
    const auto refused = verify_rotation(rotation_wire(r), rot_at(kNow));
    ASSERT_FALSE(refused) << half;
    EXPECT_NE(refused.error().message().find("non-empty user and host"), std::string::npos)
        << half << ": " << refused.error().message();
  }
  // str.strip() on both halves, Unicode whitespace included (U+00A0).
  for (const char* good : {"alice@example.com", " alice @ example.com ", "alice@example.com..",
                           "alice@\xC2\xA0"
                           "example.com"}) {
    r.subject = good;
    EXPECT_REASON(verify_rotation(rotation_wire(r), rot_at(kNow)), Reason::ok) << good;
  }
}

TEST(RotationBody, OldAndNewKeyMustDiffer) {
  RotationBytes r;
  r.new_spk = r.old_spk;
  EXPECT_REASON(verify_rotation(rotation_wire(r.body(), old_key(), old_key()), rot_at(kNow)),
                Reason::malformed);
}

// ---- rotation signatures, pins, time (steps 6-9) ---------------------------

TEST(RotationSignatures, BothMustVerifyOldFirst) {
  const Bytes body = RotationBytes{}.body();
  auto forged_new = verify_rotation(rotation_wire(body, old_key(), other_key()), rot_at(kNow));
  EXPECT_REASON(forged_new, Reason::bad_signature);
  EXPECT_EQ(forged_new.error().field, "sig_new");
  auto forged_old = verify_rotation(rotation_wire(body, other_key(), new_key()), rot_at(kNow));
  EXPECT_REASON(forged_old, Reason::bad_signature);
  EXPECT_EQ(forged_old.error().field, "sig_old");
  // Both wrong: the old signature is reported, it is checked first.
  auto both = verify_rotation(rotation_wire(body, other_key(), other_key()), rot_at(kNow));
  EXPECT_EQ(both.error().field, "sig_old");
}

TEST(RotationSignatures, SwappedSignatureOrderIsRefused) {
  const Bytes body = RotationBytes{}.body();
  EXPECT_REASON(verify_rotation(rotation_wire(body, new_key(), old_key()), rot_at(kNow)),
                Reason::bad_signature);
}

TEST(RotationSignatures, LowOrderKeysAreRefusedBeforeVerifying) {
  RotationBytes r;
  r.old_spk = PublicKey{1};  // 0100...00, the identity point
  auto old_low = verify_rotation(rotation_wire(r), rot_at(kNow));
  EXPECT_REASON(old_low, Reason::bad_key);
  EXPECT_EQ(old_low.error().field, "old_spk");
  RotationBytes s;
  s.new_spk = PublicKey{};  // all zeros
  auto new_low = verify_rotation(rotation_wire(s), rot_at(kNow));
  EXPECT_REASON(new_low, Reason::bad_key);
  EXPECT_EQ(new_low.error().field, "new_spk");
}

TEST(RotationPins, ExpectedOldKeyMustMatch) {
  const std::string wire = rotation_wire(RotationBytes{});
  RotationVerifyOptions o = rot_at(kNow);
  o.expected_old_spk = bytes_of(old_key().public_key);
  EXPECT_REASON(verify_rotation(wire, o), Reason::ok);
  o.expected_old_spk = bytes_of(new_key().public_key);  // pinning the new key is a mistake
  EXPECT_REASON(verify_rotation(wire, o), Reason::key_mismatch);
  o.expected_old_spk = Bytes(31, 1);
  EXPECT_REASON(verify_rotation(wire, o), Reason::key_mismatch);
}

TEST(RotationPins, ExpectedSubjectIgnoresCaseAndOneDot) {
  const std::string wire = rotation_wire(RotationBytes{});
  RotationVerifyOptions o = rot_at(kNow);
  o.expected_subject = "MESH.Example.com.";
  EXPECT_REASON(verify_rotation(wire, o), Reason::ok);
  o.expected_subject = "mesh.example.com..";
  EXPECT_REASON(verify_rotation(wire, o), Reason::name_mismatch);
  o.expected_subject = "other.example.com";
  EXPECT_REASON(verify_rotation(wire, o), Reason::name_mismatch);
}

TEST(RotationPins, UserSubjectFoldsOnlyTheHost) {
  RotationBytes r;
  r.type = 1;
  r.subject = "Alice@Example.com";
  const std::string wire = rotation_wire(r);
  RotationVerifyOptions o = rot_at(kNow);
  o.expected_subject = " Alice @example.COM.";
  EXPECT_REASON(verify_rotation(wire, o), Reason::ok);
  o.expected_subject = "alice@example.com";
  EXPECT_REASON(verify_rotation(wire, o), Reason::name_mismatch);
}

// A subject without '@' on either side is compared whole, as written: the
// reference splits user@host only when both sides have the '@'.
TEST(RotationPins, UserSubjectWithoutAtIsComparedWhole) {
  constexpr auto user = SubjectType::user_identity;
  EXPECT_TRUE(subject_matches_expected(user, "alice@example.com", "alice@example.com"));
  EXPECT_FALSE(subject_matches_expected(user, "alice@example.com", "bob"));
  EXPECT_FALSE(subject_matches_expected(user, "alice@example.com", "alice"));
  EXPECT_FALSE(subject_matches_expected(user, "alice@example.com", "example.com"));
  EXPECT_FALSE(subject_matches_expected(user, "alice@example.com", ""));
  EXPECT_FALSE(subject_matches_expected(user, "bob", "alice@example.com"));
  EXPECT_TRUE(subject_matches_expected(user, "bob", "bob"));
  EXPECT_FALSE(subject_matches_expected(user, "bob", "Bob"));  // no folding without a host
  EXPECT_FALSE(subject_matches_expected(user, "bob", "bob "));
  EXPECT_FALSE(subject_matches_expected(user, "alice@example.com", "bob@example.com"));
  EXPECT_FALSE(subject_matches_expected(user, "alice@example.com", "alice@example.org"));

  RotationBytes r;
  r.type = 1;
  r.subject = "alice@example.com";
  const std::string wire = rotation_wire(r);
  RotationVerifyOptions o = rot_at(kNow);
  o.expected_subject = "bob";
  EXPECT_REASON(verify_rotation(wire, o), Reason::name_mismatch);
}

TEST(RotationTime, ExpAtNowIsAcceptedOneSecondEarlierExpired) {
  RotationBytes r;
  r.exp = kNow;
  const std::string wire = rotation_wire(r);
  EXPECT_REASON(verify_rotation(wire, rot_at(kNow)), Reason::ok);
  EXPECT_REASON(verify_rotation(wire, rot_at(kNow + 1)), Reason::expired);
}

TEST(RotationTime, ExpAtMostFiveYearsAhead) {
  RotationBytes r;
  r.exp = kNow + kMaxExpAhead;
  EXPECT_REASON(verify_rotation(rotation_wire(r), rot_at(kNow)), Reason::ok);
  r.exp = kNow + kMaxExpAhead + 1;
  EXPECT_REASON(verify_rotation(rotation_wire(r), rot_at(kNow)), Reason::expiry_too_far);
}

TEST(RotationTime, TsIsNeverChecked) {
  RotationBytes r;
  r.ts = UINT64_MAX;
  EXPECT_REASON(verify_rotation(rotation_wire(r), rot_at(kNow)), Reason::ok);
}

TEST(RotationOrder, BodyIsParsedBeforeSignatures) {
  RotationBytes r;
  r.magic = "XXXXXXX";
  // Signed by unrelated keys AND malformed: the parse failure comes first.
  EXPECT_REASON(verify_rotation(rotation_wire(r.body(), other_key(), other_key()), rot_at(kNow)),
                Reason::malformed);
}

TEST(RotationOrder, SignatureBeforePinBeforeSubjectBeforeTime) {
  RotationBytes r;
  r.exp = kNow - 1;  // expired
  const Bytes body = r.body();
  RotationVerifyOptions o = rot_at(kNow);
  o.expected_old_spk = bytes_of(other_key().public_key);
  o.expected_subject = "other.example.com";
  EXPECT_REASON(verify_rotation(rotation_wire(body, old_key(), other_key()), o),
                Reason::bad_signature);
  EXPECT_REASON(verify_rotation(rotation_wire(body), o), Reason::key_mismatch);
  o.expected_old_spk.reset();
  EXPECT_REASON(verify_rotation(rotation_wire(body), o), Reason::name_mismatch);
  o.expected_subject.reset();
  EXPECT_REASON(verify_rotation(rotation_wire(body), o), Reason::expired);
}

TEST(RotationTruncation, EveryShorterBodyIsRefused) {
  const Bytes body = RotationBytes{}.body();
  for (std::size_t n = 0; n < body.size(); ++n) {
    const Bytes cut(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(n));
    const Reason got = reason_of(verify_rotation(rotation_wire(cut), rot_at(kNow)));
    EXPECT_TRUE(got == Reason::malformed || got == Reason::too_short) << n;
  }
}

TEST(RotationTruncation, EveryShorterWireIsRefused) {
  const std::string wire = rotation_wire(RotationBytes{});
  for (std::size_t n = 0; n < wire.size(); ++n) {
    EXPECT_FALSE(verify_rotation(wire.substr(0, n), rot_at(kNow))) << n;
  }
}

// ---- revocation body (step 5) -----------------------------------------------

TEST(RevocationBody, MinimumLengthIs50) {
  Bytes body = RevocationBytes{}.body();
  body.resize(49);
  EXPECT_REASON(verify_revocation(revocation_wire(body), rev_at(kNow)), Reason::malformed);
}

TEST(RevocationBody, MagicMustBeDMPRV01) {
  RevocationBytes r;
  r.magic = "DMPRV02";
  EXPECT_REASON(verify_revocation(revocation_wire(r), rev_at(kNow)), Reason::malformed);
}

TEST(RevocationBody, SubjectTypeIs1To3) {
  RevocationBytes r;
  r.type = 0;
  EXPECT_REASON(verify_revocation(revocation_wire(r), rev_at(kNow)), Reason::malformed);
  r.type = 4;
  EXPECT_REASON(verify_revocation(revocation_wire(r), rev_at(kNow)), Reason::malformed);
}

TEST(RevocationBody, SubjectIsAtMost64BytesForOperators) {
  RevocationBytes r;
  r.subject = std::string(60, 'a') + ".com";
  EXPECT_REASON(verify_revocation(revocation_wire(r), rev_at(kNow)), Reason::ok);
  r.subject = std::string(61, 'a') + ".com";
  EXPECT_REASON(verify_revocation(revocation_wire(r), rev_at(kNow)), Reason::malformed);
}

TEST(RevocationBody, TailIsExactly41Bytes) {
  RevocationBytes r;
  r.extra_tail = 1;
  EXPECT_REASON(verify_revocation(revocation_wire(r), rev_at(kNow)), Reason::malformed);
  RevocationBytes shorter;
  shorter.subject_len = 17;
  EXPECT_REASON(verify_revocation(revocation_wire(shorter), rev_at(kNow)), Reason::malformed);
}

TEST(RevocationBody, ReasonCodeIs1To4) {
  for (std::uint8_t reason = 0; reason < 6; ++reason) {
    RevocationBytes r;
    r.reason = reason;
    const Reason want = reason >= 1 && reason <= 4 ? Reason::ok : Reason::malformed;
    EXPECT_REASON(verify_revocation(revocation_wire(r), rev_at(kNow)), want) << int{reason};
  }
}

TEST(RevocationBody, SubjectFollowsDnsNameRule) {
  RevocationBytes r;
  r.subject = "mesh example.com";
  EXPECT_REASON(verify_revocation(revocation_wire(r), rev_at(kNow)), Reason::malformed);
}

// ---- revocation signature, pins, time (steps 6-10) -------------------------

TEST(RevocationSignature, SelfSignedByTheRevokedKey) {
  const Bytes body = RevocationBytes{}.body();
  auto other = verify_revocation(revocation_wire(body, other_key()), rev_at(kNow));
  EXPECT_REASON(other, Reason::bad_signature);
  RevocationBytes low;
  low.revoked = PublicKey{1};
  EXPECT_REASON(verify_revocation(revocation_wire(low), rev_at(kNow)), Reason::bad_key);
}

TEST(RevocationPins, ExpectedRevokedKeyMustMatch) {
  const std::string wire = revocation_wire(RevocationBytes{});
  RevocationVerifyOptions o = rev_at(kNow);
  o.expected_revoked_spk = bytes_of(old_key().public_key);
  EXPECT_REASON(verify_revocation(wire, o), Reason::ok);
  o.expected_revoked_spk = bytes_of(other_key().public_key);
  EXPECT_REASON(verify_revocation(wire, o), Reason::key_mismatch);
  o.expected_revoked_spk = Bytes(33, 1);
  EXPECT_REASON(verify_revocation(wire, o), Reason::key_mismatch);
}

TEST(RevocationPins, ExpectedSubjectMustMatch) {
  const std::string wire = revocation_wire(RevocationBytes{});
  RevocationVerifyOptions o = rev_at(kNow);
  o.expected_subject = "Mesh.Example.Com";
  EXPECT_REASON(verify_revocation(wire, o), Reason::ok);
  o.expected_subject = "example.com";
  EXPECT_REASON(verify_revocation(wire, o), Reason::name_mismatch);
}

TEST(RevocationTime, NoMaxAgeMeansPermanent) {
  RevocationBytes r;
  r.ts = 0;
  EXPECT_REASON(verify_revocation(revocation_wire(r), rev_at(UINT64_MAX)), Reason::ok);
}

TEST(RevocationTime, MaxAgeLimit) {
  RevocationBytes r;
  r.ts = kNow - 1000;
  const std::string wire = revocation_wire(r);
  RevocationVerifyOptions o = rev_at(kNow);
  o.max_age_seconds = 1000;  // ts + max_age == now: fresh
  EXPECT_REASON(verify_revocation(wire, o), Reason::ok);
  o.max_age_seconds = 999;
  EXPECT_REASON(verify_revocation(wire, o), Reason::revocation_stale);
  o.max_age_seconds = UINT64_MAX;  // no wrap-around
  EXPECT_REASON(verify_revocation(wire, o), Reason::ok);
}

TEST(RevocationTime, TsAtMost300SecondsAhead) {
  RevocationBytes r;
  r.ts = kNow + 300;
  EXPECT_REASON(verify_revocation(revocation_wire(r), rev_at(kNow)), Reason::ok);
  r.ts = kNow + 301;
  EXPECT_REASON(verify_revocation(revocation_wire(r), rev_at(kNow)), Reason::timestamp_in_future);
  r.ts = UINT64_MAX;  // now + 300 does not wrap
  EXPECT_REASON(verify_revocation(revocation_wire(r), rev_at(UINT64_MAX - 100)), Reason::ok);
}

TEST(RevocationOrder, PinBeforeSubjectBeforeTime) {
  RevocationBytes r;
  r.ts = kNow + 10'000;  // in the future
  const std::string wire = revocation_wire(r);
  RevocationVerifyOptions o = rev_at(kNow);
  o.expected_revoked_spk = bytes_of(other_key().public_key);
  o.expected_subject = "example.org";
  EXPECT_REASON(verify_revocation(wire, o), Reason::key_mismatch);
  o.expected_revoked_spk.reset();
  EXPECT_REASON(verify_revocation(wire, o), Reason::name_mismatch);
  o.expected_subject.reset();
  EXPECT_REASON(verify_revocation(wire, o), Reason::timestamp_in_future);
}

TEST(RevocationTruncation, EveryShorterBodyAndWireIsRefused) {
  const Bytes body = RevocationBytes{}.body();
  for (std::size_t n = 0; n < body.size(); ++n) {
    const Bytes cut(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_FALSE(verify_revocation(revocation_wire(cut), rev_at(kNow))) << n;
  }
  const std::string wire = revocation_wire(body);
  for (std::size_t n = 0; n < wire.size(); ++n) {
    EXPECT_FALSE(verify_revocation(wire.substr(0, n), rev_at(kNow))) << n;
  }
}

// ---- encode side -------------------------------------------------------------

TEST(KeyRecordEncode, RefusesWhatTheReferenceSignRefuses) {
  RotationRecord r;
  r.subject = "mesh.example.com";
  r.old_spk = old_key().public_key;
  r.new_spk = old_key().public_key;
  EXPECT_REASON(encode_body(r), Reason::invalid_field);  // same key
  r.new_spk = new_key().public_key;
  EXPECT_REASON(encode_body(r), Reason::ok);
  r.subject = "mesh.example.com.";  // serialised as given
  auto body = encode_body(r);
  ASSERT_TRUE(body);
  EXPECT_EQ(body->size(), kRotationMinBody + r.subject.size());
  r.subject = std::string(65, 'a');
  EXPECT_REASON(encode_body(r), Reason::invalid_field);
  r.subject = "mesh.example.com";
  r.subject_type = static_cast<SubjectType>(4);
  EXPECT_REASON(encode_body(r), Reason::invalid_field);

  RevocationRecord v;
  v.subject = "mesh.example.com";
  v.revoked_spk = old_key().public_key;
  EXPECT_REASON(encode_body(v), Reason::ok);
  v.reason = static_cast<RevocationReason>(5);
  EXPECT_REASON(encode_body(v), Reason::invalid_field);
}

TEST(KeyRecordEncode, DecodeOfEncodeIsIdentity) {
  RotationRecord r{SubjectType::bootstrap_signer,
                   "Example.COM.",
                   old_key().public_key,
                   new_key().public_key,
                   1,
                   2,
                   3};
  auto body = encode_body(r);
  ASSERT_TRUE(body);
  auto back = decode_rotation_body(*body);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, r);
  RevocationRecord v{SubjectType::cluster_operator, "mesh.example.com", old_key().public_key,
                     RevocationReason::lost_key, 9};
  auto vbody = encode_body(v);
  ASSERT_TRUE(vbody);
  auto vback = decode_revocation_body(*vbody);
  ASSERT_TRUE(vback);
  EXPECT_EQ(*vback, v);
}

TEST(KeyRecordEncode, RotationWireCapHolds) {
  // §1.1: a rotation body of at most 757 bytes fits; the subject cap keeps
  // every valid rotation far below it, so check the envelope directly.
  const Signature sig{};
  EXPECT_REASON(assemble_rotation_wire(Bytes(757, 0), sig, sig), Reason::ok);
  EXPECT_REASON(assemble_rotation_wire(Bytes(758, 0), sig, sig), Reason::too_long);
  EXPECT_REASON(assemble_revocation_wire(Bytes(821, 0), sig), Reason::ok);
  EXPECT_REASON(assemble_revocation_wire(Bytes(822, 0), sig), Reason::too_long);
}

// §4.4 step 10 as one function (the verifier and `dmp-sign revoke` share
// it): exactly 300 s ahead passes, 301 s does not, and nothing wraps.
TEST(KeyRecordTime, FutureTimestampRuleAtItsEdges) {
  EXPECT_FALSE(revocation_ts_in_future(1000 + 300, 1000));
  EXPECT_TRUE(revocation_ts_in_future(1000 + 301, 1000));
  EXPECT_FALSE(revocation_ts_in_future(0, 1000));
  EXPECT_FALSE(revocation_ts_in_future(UINT64_MAX, UINT64_MAX - 300));
  EXPECT_TRUE(revocation_ts_in_future(UINT64_MAX, UINT64_MAX - 301));
  EXPECT_FALSE(revocation_ts_in_future(UINT64_MAX, UINT64_MAX));
}

}  // namespace
}  // namespace dmp::unit
