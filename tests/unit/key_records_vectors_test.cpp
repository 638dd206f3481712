// The rotation and revocation reference vectors (../shared/vectors, spec §4,
// §9): byte-exact signing of every case with inputs, acceptance of every
// round-trip case with its expected fields, and rejection of every "none"
// case under its own verify_with_* context, with the reason that context
// provokes. The wires are always expected_wire_hex (vectors README).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "dmp/codec.hpp"
#include "dmp/key_records.hpp"
#include "dmp/verify.hpp"
#include "support/test_keys.hpp"
#include "support/vectors.hpp"
#include "unit_helpers.hpp"

namespace dmp::unit {
namespace {

using nlohmann::json;

constexpr std::uint64_t kVectorExp = 2'051'222'400;
constexpr std::uint64_t kVectorTs = 1'893'456'000;

test::TestKey key_of(const json& c, const char* seed_field) {
  return test::key_from_x25519_seed(test::from_hex(c.at(seed_field).get<std::string>()));
}
std::string wire_of(const json& c) {
  return test::hex_to_text(c.at("expected_wire_hex").get<std::string>());
}
bool is_round_trip(const json& c) {
  return !c.contains("expected_parse_result");
}
Bytes bytes_of_hex(const json& value) {
  return test::from_hex(value.get<std::string>());
}

RotationRecord rotation_from_inputs(const json& in) {
  RotationRecord r;
  r.subject_type = static_cast<SubjectType>(in.at("subject_type").get<int>());
  r.subject = in.at("subject").get<std::string>();
  r.old_spk = key_from_hex(in.at("old_spk_hex").get<std::string>());
  r.new_spk = key_from_hex(in.at("new_spk_hex").get<std::string>());
  r.seq = in.at("seq").get<std::uint64_t>();
  r.ts = in.at("ts").get<std::uint64_t>();
  r.exp = in.at("exp").get<std::uint64_t>();
  return r;
}

RevocationRecord revocation_from_inputs(const json& in) {
  RevocationRecord r;
  r.subject_type = static_cast<SubjectType>(in.at("subject_type").get<int>());
  r.subject = in.at("subject").get<std::string>();
  r.revoked_spk = key_from_hex(in.at("revoked_spk_hex").get<std::string>());
  r.reason = static_cast<RevocationReason>(in.at("reason_code").get<int>());
  r.ts = in.at("ts").get<std::uint64_t>();
  return r;
}

// §4.3: one body, signed by the old key and then by the new one.
std::string sign_rotation(const RotationRecord& r, const test::TestKey& old_key,
                          const test::TestKey& new_key) {
  auto body = encode_body(r);
  if (!body) return "encode_body failed: " + body.error().message();
  auto wire = assemble_rotation_wire(*body, test::sign_bytes(old_key, *body),
                                     test::sign_bytes(new_key, *body));
  return wire ? *wire : "assemble failed: " + wire.error().message();
}

std::string sign_revocation(const RevocationRecord& r, const test::TestKey& key) {
  auto body = encode_body(r);
  if (!body) return "encode_body failed: " + body.error().message();
  auto wire = assemble_revocation_wire(*body, test::sign_bytes(key, *body));
  return wire ? *wire : "assemble failed: " + wire.error().message();
}

TEST(RotationVectors, CasesWithInputsSignByteExact) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "rotation_record.json");
  int checked = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const json& c = cases[i];
    if (!c.contains("inputs")) continue;
    SCOPED_TRACE("rotation case " + std::to_string(i) + ": " + c.value("description", ""));
    const auto old_key = key_of(c, "old_seed_hex");
    const auto new_key = key_of(c, "new_seed_hex");
    EXPECT_EQ(hex_encode(old_key.public_key), c.at("inputs").at("old_spk_hex").get<std::string>());
    EXPECT_EQ(hex_encode(new_key.public_key), c.at("inputs").at("new_spk_hex").get<std::string>());
    EXPECT_EQ(sign_rotation(rotation_from_inputs(c.at("inputs")), old_key, new_key), wire_of(c));
    ++checked;
  }
  EXPECT_EQ(checked, 4);  // cases 0, 1, 2 and 4 (spec §9)
}

TEST(RevocationVectors, CasesWithInputsSignByteExact) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "revocation_record.json");
  int checked = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const json& c = cases[i];
    if (!c.contains("inputs")) continue;
    SCOPED_TRACE("revocation case " + std::to_string(i) + ": " + c.value("description", ""));
    const auto key = key_of(c, "revoked_seed_hex");
    EXPECT_EQ(hex_encode(key.public_key), c.at("inputs").at("revoked_spk_hex").get<std::string>());
    EXPECT_EQ(sign_revocation(revocation_from_inputs(c.at("inputs")), key), wire_of(c));
    ++checked;
  }
  EXPECT_EQ(checked, 3);  // cases 0, 1 and 3
}

TEST(RotationVectors, RoundTripCasesVerifyWithExpectedFields) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "rotation_record.json");
  int checked = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const json& c = cases[i];
    if (!is_round_trip(c)) continue;
    SCOPED_TRACE("rotation case " + std::to_string(i));
    const json& in = c.at("inputs");
    RotationVerifyOptions options;
    options.now = kNow;
    options.expected_old_spk = bytes_of_hex(in.at("old_spk_hex"));
    options.expected_subject = c.at("expected_parse_subject").get<std::string>();
    auto r = verify_rotation(wire_of(c), options);
    ASSERT_REASON(r, Reason::ok);
    EXPECT_EQ(r->seq, c.at("expected_parse_seq").get<std::uint64_t>());
    EXPECT_EQ(r->subject, c.at("expected_parse_subject").get<std::string>());
    EXPECT_EQ(*r, rotation_from_inputs(in));
    options.strict = true;
    EXPECT_REASON(verify_rotation(wire_of(c), options), Reason::ok);
    // Without any pin the signatures alone decide (the reference's default).
    EXPECT_REASON(verify_rotation(wire_of(c), {kNow, {}, {}, false}), Reason::ok);
    ++checked;
  }
  EXPECT_EQ(checked, 3);
}

TEST(RevocationVectors, RoundTripCasesVerifyWithExpectedFields) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "revocation_record.json");
  int checked = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const json& c = cases[i];
    if (!is_round_trip(c)) continue;
    SCOPED_TRACE("revocation case " + std::to_string(i));
    const json& in = c.at("inputs");
    RevocationVerifyOptions options;
    options.now = c.at("verify_with_now").get<std::uint64_t>();
    options.expected_revoked_spk = bytes_of_hex(in.at("revoked_spk_hex"));
    options.expected_subject = c.at("expected_parse_subject").get<std::string>();
    auto r = verify_revocation(wire_of(c), options);
    ASSERT_REASON(r, Reason::ok);
    EXPECT_EQ(static_cast<int>(r->reason), c.at("expected_parse_reason_code").get<int>());
    EXPECT_EQ(r->subject, c.at("expected_parse_subject").get<std::string>());
    EXPECT_EQ(*r, revocation_from_inputs(in));
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

// Each "none" case with the reason its context provokes: a forged sig_new is
// bad_signature, verify_with_now past exp is expired.
TEST(RotationVectors, NoneCasesRejectedWithReason) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "rotation_record.json");
  int checked = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const json& c = cases[i];
    if (is_round_trip(c)) continue;
    SCOPED_TRACE("rotation case " + std::to_string(i) + ": " + c.value("description", ""));
    ASSERT_EQ(c.at("expected_parse_result"), "none");
    RotationVerifyOptions options;
    options.now = c.value("verify_with_now", kNow);
    const PublicKey old_spk = key_of(c, "old_seed_hex").public_key;
    options.expected_old_spk = Bytes(old_spk.begin(), old_spk.end());
    const Reason expected = c.contains("verify_with_now") ? Reason::expired : Reason::bad_signature;
    auto r = verify_rotation(wire_of(c), options);
    ASSERT_REASON(r, expected);  // r.error() below needs the failure
    if (expected == Reason::bad_signature) {
      EXPECT_EQ(r.error().field, "sig_new");
    }
    ++checked;
  }
  EXPECT_EQ(checked, 2);  // cases 3 and 4
}

TEST(RevocationVectors, NoneCasesRejectedWithReason) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "revocation_record.json");
  int checked = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const json& c = cases[i];
    if (is_round_trip(c)) continue;
    SCOPED_TRACE("revocation case " + std::to_string(i) + ": " + c.value("description", ""));
    RevocationVerifyOptions options;
    options.now = c.at("verify_with_now").get<std::uint64_t>();
    Reason expected = Reason::ok;
    if (c.contains("verify_with_expected_revoked_spk_hex")) {
      options.expected_revoked_spk = bytes_of_hex(c.at("verify_with_expected_revoked_spk_hex"));
      expected = Reason::key_mismatch;
    }
    if (c.contains("verify_with_max_age_seconds")) {
      options.max_age_seconds = c.at("verify_with_max_age_seconds").get<std::uint64_t>();
      expected = Reason::revocation_stale;
    }
    ASSERT_NE(expected, Reason::ok) << "case has no rejection context";
    EXPECT_REASON(verify_revocation(wire_of(c), options), expected);
    ++checked;
  }
  EXPECT_EQ(checked, 2);  // cases 2 and 3
}

TEST(RevocationVectors, StaleCaseIsAcceptedWithoutTheOptInCap) {
  // Case 3 (vectors README): "the same wire with no cap must be accepted".
  DMP_LOAD_VECTORS_OR_SKIP(cases, "revocation_record.json");
  const json& c = cases.at(3);
  ASSERT_TRUE(c.contains("verify_with_max_age_seconds"));
  RevocationVerifyOptions options;
  options.now = c.at("verify_with_now").get<std::uint64_t>();
  EXPECT_REASON(verify_revocation(wire_of(c), options), Reason::ok);
  // At the cap's limit: ts + max_age == now is still fresh, one second later stale.
  const std::uint64_t max_age = c.at("verify_with_max_age_seconds").get<std::uint64_t>();
  options.max_age_seconds = max_age;
  options.now = kVectorTs + max_age;
  EXPECT_REASON(verify_revocation(wire_of(c), options), Reason::ok);
  options.now = kVectorTs + max_age + 1;
  EXPECT_REASON(verify_revocation(wire_of(c), options), Reason::revocation_stale);
}

TEST(RotationVectors, RoundTripWiresHitFiveYearCeiling) {
  // §4.3 step 9 applies §1.6: exp - now > 157680000 is refused.
  DMP_LOAD_VECTORS_OR_SKIP(cases, "rotation_record.json");
  const std::string wire = wire_of(cases.at(1));
  ASSERT_EQ(cases.at(1).at("inputs").at("exp").get<std::uint64_t>(), kVectorExp);
  EXPECT_REASON(verify_rotation(wire, {kVectorExp - kMaxExpAhead - 1, {}, {}, false}),
                Reason::expiry_too_far);
  EXPECT_REASON(verify_rotation(wire, {kVectorExp - kMaxExpAhead, {}, {}, false}), Reason::ok);
  EXPECT_REASON(verify_rotation(wire, {kVectorExp, {}, {}, false}), Reason::ok);
  EXPECT_REASON(verify_rotation(wire, {kVectorExp + 1, {}, {}, false}), Reason::expired);
}

TEST(KeyRecordVectors, OwnerNamesOfOperatorSubjects) {
  // §4.1: both record types for a subject share one rotate RRset.
  DMP_LOAD_VECTORS_OR_SKIP(rotations, "rotation_record.json");
  DMP_LOAD_VECTORS_OR_SKIP(revocations, "revocation_record.json");
  auto cluster = verify_rotation(wire_of(rotations.at(1)), {kNow, {}, {}, false});
  auto bootstrap = verify_rotation(wire_of(rotations.at(2)), {kNow, {}, {}, false});
  auto user = verify_rotation(wire_of(rotations.at(0)), {kNow, {}, {}, false});
  ASSERT_TRUE(cluster && bootstrap && user);
  EXPECT_EQ(rotation_rrset_name(cluster->subject_type, cluster->subject),
            "rotate.cluster.mesh.example.com");
  EXPECT_EQ(rotation_rrset_name(bootstrap->subject_type, bootstrap->subject),
            "rotate._dmp.example.com");
  EXPECT_EQ(rotation_rrset_name(user->subject_type, user->subject), std::nullopt);
  RevocationVerifyOptions options;
  options.now = revocations.at(1).at("verify_with_now").get<std::uint64_t>();
  auto revoked = verify_revocation(wire_of(revocations.at(1)), options);
  ASSERT_TRUE(revoked);
  EXPECT_EQ(rotation_rrset_name(revoked->subject_type, revoked->subject),
            "rotate.cluster.mesh.example.com");
}

TEST(KeyRecordVectors, GenericVerifyRefusesKeyRecordWires) {
  // A rotation signed by the operator's old key must not pass for a
  // manifest under that key: verify() only takes cluster/bootstrap wires.
  DMP_LOAD_VECTORS_OR_SKIP(rotations, "rotation_record.json");
  const json& c = rotations.at(1);
  const PublicKey old_key = key_from_hex(c.at("inputs").at("old_spk_hex").get<std::string>());
  EXPECT_REASON(verify(wire_of(c), old_key, at(kNow)), Reason::bad_prefix);
}

}  // namespace
}  // namespace dmp::unit
