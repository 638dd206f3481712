// The envelope (§1.1): exact prefixes, the 1200-byte wire cap on both sides,
// the 71-byte minimum blob, and the time rules of §1.6.
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <string>
#include <vector>

#include "dmp/codec.hpp"
#include "dmp/verify.hpp"
#include "unit_helpers.hpp"

namespace dmp::unit {
namespace {

// A valid manifest whose body is exactly `body_len` bytes (>= 81).
ClusterManifest manifest_with_body_length(std::size_t body_len) {
  ClusterManifest m = sample_manifest();
  m.nodes.clear();
  constexpr std::size_t kMaxNode = 5 + 2 + kMaxHttpEndpointLen;  // lengths, "nX", http
  constexpr std::size_t kMinNode = 5 + 2 + 1;
  std::size_t remaining = body_len - (kHeaderLen + m.cluster_name.size() + 1);
  for (int i = 10; remaining > 0; ++i) {
    std::size_t size = std::min(kMaxNode, remaining);
    if (remaining - size > 0 && remaining - size < kMinNode) size = remaining - kMinNode;
    m.nodes.push_back(node(std::to_string(i), std::string(size - 7, 'h')));
    remaining -= size;
  }
  return m;
}

// A valid bootstrap record whose body is exactly `body_len` bytes (>= 104).
BootstrapRecord bootstrap_with_body_length(std::size_t body_len) {
  BootstrapRecord r = sample_bootstrap();
  r.entries.clear();
  constexpr std::size_t kMaxEntry = 35 + kMaxNameLen, kMinEntry = 35 + 1;
  std::size_t remaining = body_len - (kHeaderLen + r.user_domain.size() + 1);
  for (std::uint16_t priority = 0; remaining > 0; ++priority) {
    std::size_t size = std::min(kMaxEntry, remaining);
    if (remaining - size > 0 && remaining - size < kMinEntry) size = remaining - kMinEntry;
    r.entries.push_back(entry(priority, dns_name_of_length(size - 35)));
    remaining -= size;
  }
  return r;
}

Bytes body_of(const Record& record) {
  auto body = encode_body(record);
  EXPECT_REASON(body, Reason::ok);
  return body ? *body : Bytes{};
}

// ---- prefixes ---------------------------------------------------------------------

TEST(WirePrefix, ExactAsciiPrefixes) {
  EXPECT_EQ(wire_prefix(RecordType::cluster), "v=dmp1;t=cluster;");
  EXPECT_EQ(wire_prefix(RecordType::cluster).size(), 17u);
  EXPECT_EQ(wire_prefix(RecordType::bootstrap), "v=dmp1;t=bootstrap;");
  EXPECT_EQ(wire_prefix(RecordType::bootstrap).size(), 19u);
  EXPECT_EQ(record_type_of_wire("v=dmp1;t=cluster;AAAA"), RecordType::cluster);
  EXPECT_EQ(record_type_of_wire("v=dmp1;t=bootstrap;AAAA"), RecordType::bootstrap);
  // §1.1: the DRAFT key-lifecycle types have prefixes of 18 and 20 bytes.
  EXPECT_EQ(wire_prefix(RecordType::rotation), "v=dmp1;t=rotation;");
  EXPECT_EQ(wire_prefix(RecordType::rotation).size(), 18u);
  EXPECT_EQ(wire_prefix(RecordType::revocation), "v=dmp1;t=revocation;");
  EXPECT_EQ(wire_prefix(RecordType::revocation).size(), 20u);
  EXPECT_EQ(record_type_of_wire("v=dmp1;t=rotation;AAAA"), RecordType::rotation);
  EXPECT_EQ(record_type_of_wire("v=dmp1;t=revocation;AAAA"), RecordType::revocation);
  // Heartbeats are signed online by nodes (§5): not a type this library reads.
  EXPECT_EQ(record_type_of_wire("v=dmp1;t=heartbeat;AAAA"), std::nullopt);
  EXPECT_EQ(record_type_of_wire("v=dmp1;t=cluster"), std::nullopt);
}

TEST(WirePrefix, WrongPrefixRefused) {
  const std::string cluster = sign_manifest(sample_manifest());
  const std::string bootstrap = sign_bootstrap(sample_bootstrap());
  const auto& op = operator_key().public_key;
  EXPECT_REASON(verify_cluster(bootstrap, op, at(kNow)), Reason::bad_prefix);
  EXPECT_REASON(verify_bootstrap(cluster, signer_key().public_key, at(kNow)), Reason::bad_prefix);
  const std::string payload = cluster.substr(17);
  for (const std::string& prefix :
       {std::string("V=DMP1;T=CLUSTER;"), std::string(" v=dmp1;t=cluster;"),
        std::string("v=dmp1;t=rotation;"), std::string("v=dmp1;t=heartbeat;"),
        std::string("v=dmp2;t=cluster;"), std::string("v=dmp1 t=cluster;"), std::string()}) {
    EXPECT_REASON(verify_cluster(prefix + payload, op, at(kNow)), Reason::bad_prefix) << prefix;
    EXPECT_REASON(verify(prefix + payload, op, at(kNow)), Reason::bad_prefix) << prefix;
  }
  EXPECT_REASON(verify("", op, at(kNow)), Reason::bad_prefix);
}

TEST(WirePrefix, NoDKeyAfterThePrefix) {
  // §1.1: unlike older record types there is no "d=" key; "d=..." is not base64.
  const std::string wire = sign_manifest(sample_manifest());
  EXPECT_REASON(
      verify_cluster("v=dmp1;t=cluster;d=" + wire.substr(17), operator_key().public_key, at(kNow)),
      Reason::bad_base64);
}

TEST(WirePrefix, GenericVerifyDispatchesOnThePrefix) {
  auto cluster = verify(sign_manifest(sample_manifest()), operator_key().public_key, at(kNow));
  ASSERT_REASON(cluster, Reason::ok);
  EXPECT_EQ(std::get<ClusterManifest>(*cluster), sample_manifest());
  auto bootstrap = verify(sign_bootstrap(sample_bootstrap()), signer_key().public_key, at(kNow));
  ASSERT_REASON(bootstrap, Reason::ok);
  EXPECT_EQ(std::get<BootstrapRecord>(*bootstrap), sample_bootstrap());
}

TEST(WireEnvelope, OpenWireSplitsBodyAndSignature) {
  const Bytes body = body_of(sample_manifest());
  const Signature sig = test::sign_bytes(operator_key(), body);
  auto wire = assemble_wire(RecordType::cluster, body, sig);
  ASSERT_REASON(wire, Reason::ok);
  EXPECT_EQ(*wire, raw_wire(RecordType::cluster, blob_of(body, sig)));
  auto opened = open_wire(*wire, RecordType::cluster);
  ASSERT_REASON(opened, Reason::ok);
  EXPECT_EQ(opened->blob.type, RecordType::cluster);
  EXPECT_EQ(opened->blob.body, body);
  EXPECT_EQ(opened->blob.signature, sig);
  EXPECT_TRUE(opened->canonical_base64);
  EXPECT_REASON(open_wire(*wire, RecordType::bootstrap), Reason::bad_prefix);
}

// ---- the 71-byte minimum blob (§2.4 step 4) ------------------------------------------

TEST(WireEnvelope, BlobShorterThan71BytesRefused) {
  const auto& op = operator_key().public_key;
  EXPECT_REASON(verify_cluster("v=dmp1;t=cluster;", op, at(kNow)), Reason::too_short);
  EXPECT_REASON(verify_cluster(raw_wire(RecordType::cluster, Bytes(70, 0x41)), op, at(kNow)),
                Reason::too_short);
  // 71 bytes pass the length check and reach the signature...
  EXPECT_REASON(verify_cluster(raw_wire(RecordType::cluster, Bytes(71, 0x41)), op, at(kNow)),
                Reason::bad_signature);
  // ...and a 7-byte body with a valid signature reaches the parser.
  const Bytes magic_only = Body().text("DMPCL01");
  EXPECT_REASON(verify_cluster(signed_cluster_wire(magic_only), op, at(kNow)), Reason::malformed);
  // A signed empty body is a 64-byte blob: too short.
  EXPECT_REASON(verify_cluster(signed_cluster_wire(Bytes{}), op, at(kNow)), Reason::too_short);
}

// ---- the 1200-byte cap (§1.1) -----------------------------------------------------------

TEST(WireCap, ClusterBodyOf821BytesFits822DoesNot) {
  const ClusterManifest fits = manifest_with_body_length(821);
  ASSERT_EQ(body_of(fits).size(), 821u);
  const std::string wire = sign_manifest(fits);
  EXPECT_EQ(wire.size(), 1197u);  // 17 + 4 * ceil(885 / 3)
  EXPECT_REASON(verify_cluster(wire, operator_key().public_key, at(kNow)), Reason::ok);

  const ClusterManifest too_big = manifest_with_body_length(822);
  const Bytes body = body_of(too_big);
  ASSERT_EQ(body.size(), 822u);
  const Signature sig = test::sign_bytes(operator_key(), body);
  EXPECT_REASON(assemble_wire(RecordType::cluster, body, sig), Reason::too_long);
  // The same record, correctly signed but 1201 bytes long, fails verification.
  const std::string long_wire = raw_wire(RecordType::cluster, blob_of(body, sig));
  ASSERT_EQ(long_wire.size(), 1201u);
  EXPECT_REASON(verify_cluster(long_wire, operator_key().public_key, at(kNow)), Reason::too_long);
}

TEST(WireCap, BootstrapBodyOf821BytesFits822DoesNot) {
  const BootstrapRecord fits = bootstrap_with_body_length(821);
  ASSERT_EQ(body_of(fits).size(), 821u);
  const std::string wire = sign_bootstrap(fits);
  EXPECT_EQ(wire.size(), 1199u);
  EXPECT_REASON(verify_bootstrap(wire, signer_key().public_key, at(kNow)), Reason::ok);

  const Bytes body = body_of(bootstrap_with_body_length(822));
  ASSERT_EQ(body.size(), 822u);
  const Signature sig = test::sign_bytes(signer_key(), body);
  EXPECT_REASON(assemble_wire(RecordType::bootstrap, body, sig), Reason::too_long);
  const std::string long_wire = raw_wire(RecordType::bootstrap, blob_of(body, sig));
  ASSERT_EQ(long_wire.size(), 1203u);
  EXPECT_REASON(verify_bootstrap(long_wire, signer_key().public_key, at(kNow)), Reason::too_long);
}

TEST(WireCap, Verify1200BytesAccepted1201Refused) {
  // Canonical bootstrap wires are 19 + 4k bytes, so a 1200-byte wire needs the
  // reference's surplus '=' (§1.4): 1199 + "=" is accepted, + "==" is 1201.
  const std::string wire = sign_bootstrap(bootstrap_with_body_length(821));
  ASSERT_EQ(wire.size(), 1199u);
  ASSERT_EQ(wire.back() == '=', false);  // 885-byte blob: a complete final quantum
  const std::string w1200 = wire + "=", w1201 = wire + "==";
  EXPECT_REASON(verify_bootstrap(w1200, signer_key().public_key, at(kNow)), Reason::ok);
  EXPECT_REASON(verify_bootstrap(w1201, signer_key().public_key, at(kNow)), Reason::too_long);
}

TEST(WireCap, VerifyRefusesLongWiresBeforeDecoding) {
  // 1201 bytes of non-base64 is too_long, not bad_base64; 1200 bytes of it
  // passes the cap and fails decoding.
  const auto& op = operator_key().public_key;
  const std::string prefix(wire_prefix(RecordType::cluster));
  EXPECT_REASON(verify_cluster(prefix + std::string(1201 - prefix.size(), '!'), op, at(kNow)),
                Reason::too_long);
  EXPECT_REASON(verify_cluster(prefix + std::string(1200 - prefix.size(), '!'), op, at(kNow)),
                Reason::bad_base64);
  // Canonical cluster wires are 17 + 4k bytes; surplus '=' after the final
  // complete quantum (§1.4) reach the cap exactly, and one more passes it.
  const std::string wire = sign_manifest(manifest_with_body_length(821));
  ASSERT_EQ(wire.size(), 1197u);
  EXPECT_REASON(verify_cluster(wire + "===", op, at(kNow)), Reason::ok);         // 1200
  EXPECT_REASON(verify_cluster(wire + "====", op, at(kNow)), Reason::too_long);  // 1201
  EXPECT_REASON(verify(prefix + std::string(5000, 'A'), op, at(kNow)), Reason::too_long);
}

// ---- time rules (§1.6) ---------------------------------------------------------------

// Verify a fresh record with the given exp at the given now, for both types.
void expect_time_verdict(std::uint64_t exp, std::uint64_t now, Reason want) {
  ClusterManifest m = sample_manifest();
  m.exp = exp;
  EXPECT_REASON(verify_cluster(sign_manifest(m), operator_key().public_key, at(now)), want)
      << "cluster exp " << exp << " now " << now;
  BootstrapRecord r = sample_bootstrap();
  r.exp = exp;
  EXPECT_REASON(verify_bootstrap(sign_bootstrap(r), signer_key().public_key, at(now)), want)
      << "bootstrap exp " << exp << " now " << now;
}

TEST(ExpiryRule, ExpEqualToNowAccepted) {
  expect_time_verdict(kNow, kNow, Reason::ok);
}

TEST(ExpiryRule, ExpOneSecondBeforeNowExpired) {
  expect_time_verdict(kNow - 1, kNow, Reason::expired);
  expect_time_verdict(100, 101, Reason::expired);
}

TEST(ExpiryRule, ExactlyFiveYearsAheadAccepted) {
  ASSERT_EQ(kMaxExpAhead, 157'680'000u);  // 5 x 365 x 86400, no leap days
  expect_time_verdict(kNow + 157'680'000, kNow, Reason::ok);
}

TEST(ExpiryRule, OneSecondPastFiveYearsRefused) {
  expect_time_verdict(kNow + 157'680'001, kNow, Reason::expiry_too_far);
  expect_time_verdict(~std::uint64_t{0}, kNow, Reason::expiry_too_far);
}

TEST(ExpiryRule, BoundsHoldAtTheEndsOfTheU64Range) {
  expect_time_verdict(0, 0, Reason::ok);
  expect_time_verdict(kMaxExpAhead, 0, Reason::ok);
  expect_time_verdict(kMaxExpAhead + 1, 0, Reason::expiry_too_far);
  expect_time_verdict(~std::uint64_t{0}, ~std::uint64_t{0}, Reason::ok);
  expect_time_verdict(~std::uint64_t{0} - 1, ~std::uint64_t{0}, Reason::expired);
  expect_time_verdict(0, ~std::uint64_t{0}, Reason::expired);
}

TEST(ExpiryRule, SignerDoesNoTimeChecks) {
  // §1.6: the sign path signs exp in the past or far in the future.
  for (std::uint64_t exp : {std::uint64_t{0}, std::uint64_t{100}, ~std::uint64_t{0}}) {
    ClusterManifest m = sample_manifest();
    m.exp = exp;
    EXPECT_REASON(encode_body(m), Reason::ok);
    BootstrapRecord r = sample_bootstrap();
    r.exp = exp;
    EXPECT_REASON(encode_body(r), Reason::ok);
  }
}

TEST(ExpiryRule, WallClockUsedWhenNowIsNotGiven) {
  const VerifyOptions wall_clock;
  ASSERT_FALSE(wall_clock.now.has_value());
  ClusterManifest m = sample_manifest();
  m.exp = 0;
  EXPECT_REASON(verify_cluster(sign_manifest(m), operator_key().public_key, wall_clock),
                Reason::expired);
  m.exp = ~std::uint64_t{0};
  EXPECT_REASON(verify_cluster(sign_manifest(m), operator_key().public_key, wall_clock),
                Reason::expiry_too_far);
  m.exp = static_cast<std::uint64_t>(std::time(nullptr)) + 86'400;
  EXPECT_REASON(verify_cluster(sign_manifest(m), operator_key().public_key, wall_clock),
                Reason::ok);
}

}  // namespace
}  // namespace dmp::unit
