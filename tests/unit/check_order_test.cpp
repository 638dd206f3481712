// The order of the verifier's checks (§2.4, §3.5): a wire that breaks two
// rules is rejected for the one the reference checks first.
//
//   1 prefix, 2 length, 3 base64, 4 blob >= 71, 5 key then signature,
//   6 structure, 7 embedded key, 8 exp, 9 expected name; strict extras last.
#include <gtest/gtest.h>

#include <string>

#include "dmp/codec.hpp"
#include "dmp/verify.hpp"
#include "unit_helpers.hpp"

namespace dmp::unit {
namespace {

const PublicKey& pinned() {
  return operator_key().public_key;
}

const Bytes kShortKey(31, 0x42);

VerifyOptions expecting(std::string name, std::uint64_t now = kNow, bool strict = false) {
  VerifyOptions options = at(now, strict);
  options.expected_name = std::move(name);
  return options;
}

// A body that breaks a structural rule (trailing byte) and names `embedded`.
Bytes malformed_body(const PublicKey& embedded = operator_key().public_key) {
  Bytes body = cluster_body("mesh.example.com", {{"n01", "https://n1", ""}}, 1, kExp, embedded);
  body.push_back(0);
  return body;
}

TEST(CheckOrder, PrefixBeforeLength) {
  const std::string wire = "v=dmp1;t=clusterX" + std::string(2000, 'A');
  EXPECT_REASON(verify_cluster(wire, pinned(), at(kNow)), Reason::bad_prefix);
  EXPECT_REASON(verify(wire, pinned(), at(kNow)), Reason::bad_prefix);
}

TEST(CheckOrder, LengthBeforeBase64) {
  EXPECT_REASON(verify_cluster("v=dmp1;t=cluster;" + std::string(1200, '*'), pinned(), at(kNow)),
                Reason::too_long);
}

TEST(CheckOrder, Base64BeforeKeyCheck) {
  EXPECT_REASON(verify_cluster("v=dmp1;t=cluster;QUI", kShortKey, at(kNow)), Reason::bad_base64);
}

TEST(CheckOrder, BlobLengthBeforeKeyCheck) {
  EXPECT_REASON(verify_cluster(raw_wire(RecordType::cluster, Bytes(70, 1)), kShortKey, at(kNow)),
                Reason::too_short);
}

TEST(CheckOrder, KeyCheckBeforeSignature) {
  // A garbage signature under a blocklisted or short key: bad_key.
  const std::string wire = raw_wire(RecordType::cluster, Bytes(200, 7));
  PublicKey identity{};
  identity[0] = 1;
  EXPECT_REASON(verify_cluster(wire, identity, at(kNow)), Reason::bad_key);
  EXPECT_REASON(verify_cluster(wire, kShortKey, at(kNow)), Reason::bad_key);
}

TEST(CheckOrder, SignatureBeforeParsing) {
  // Malformed body AND signed by the wrong key: the signature is checked
  // before any field is parsed (§2.4 step 5).
  const std::string wire = signed_cluster_wire(malformed_body(), other_key());
  EXPECT_REASON(verify_cluster(wire, pinned(), at(kNow)), Reason::bad_signature);
  // Even garbage after the magic.
  const std::string garbage = signed_cluster_wire(Bytes(100, 0xEE), other_key());
  EXPECT_REASON(verify_cluster(garbage, pinned(), at(kNow)), Reason::bad_signature);
}

TEST(CheckOrder, ParsingBeforeEmbeddedKeyMatch) {
  // Malformed AND the embedded key differs from the pinned one: malformed.
  const std::string wire = signed_cluster_wire(malformed_body(other_key().public_key));
  EXPECT_REASON(verify_cluster(wire, pinned(), at(kNow)), Reason::malformed);
}

TEST(CheckOrder, EmbeddedKeyMatchBeforeExpiry) {
  const Bytes body =
      cluster_body("mesh.example.com", {{"n01", "h", ""}}, 1, 100, other_key().public_key);
  EXPECT_REASON(verify_cluster(signed_cluster_wire(body), pinned(), at(kNow)),
                Reason::key_mismatch);
  const Bytes far = cluster_body("mesh.example.com", {{"n01", "h", ""}}, 1, ~std::uint64_t{0},
                                 other_key().public_key);
  EXPECT_REASON(verify_cluster(signed_cluster_wire(far), pinned(), at(kNow)), Reason::key_mismatch);
}

TEST(CheckOrder, ExpiryBeforeNameBinding) {
  ClusterManifest m = sample_manifest();
  m.exp = kNow - 1;
  EXPECT_REASON(verify_cluster(sign_manifest(m), pinned(), expecting("other.example")),
                Reason::expired);
  m.exp = kNow + kMaxExpAhead + 1;
  EXPECT_REASON(verify_cluster(sign_manifest(m), pinned(), expecting("other.example")),
                Reason::expiry_too_far);
  m.exp = kExp;
  EXPECT_REASON(verify_cluster(sign_manifest(m), pinned(), expecting("other.example")),
                Reason::name_mismatch);
}

TEST(CheckOrder, ReferenceRulesBeforeStrictExtras) {
  // Strict mode only adds rejections after the reference's own checks.
  const Bytes zero_nodes = cluster_body("mesh.example.com", {}, 1, kNow - 1);
  EXPECT_REASON(verify_cluster(signed_cluster_wire(zero_nodes), pinned(), strict_at(kNow)),
                Reason::expired);
  const Bytes dotted = cluster_body("mesh.example.com.", {{"n01", "h", ""}});
  EXPECT_REASON(
      verify_cluster(signed_cluster_wire(dotted), pinned(), expecting("other.example", kNow, true)),
      Reason::name_mismatch);
  EXPECT_REASON(verify_cluster(signed_cluster_wire(dotted), pinned(), strict_at(kNow)),
                Reason::non_canonical);
}

TEST(CheckOrder, BootstrapFollowsTheSameOrder) {
  const auto& spk = signer_key().public_key;
  Bytes bad = bootstrap_body("example.com", {}, 1, 100, other_key().public_key);  // 0 entries
  EXPECT_REASON(verify_bootstrap(signed_bootstrap_wire(bad, other_key()), spk, at(kNow)),
                Reason::bad_signature);
  EXPECT_REASON(verify_bootstrap(signed_bootstrap_wire(bad), spk, at(kNow)), Reason::malformed);
  Bytes mismatch =
      bootstrap_body("example.com", {{10, "mesh.example.com"}}, 1, 100, other_key().public_key);
  EXPECT_REASON(verify_bootstrap(signed_bootstrap_wire(mismatch), spk, at(kNow)),
                Reason::key_mismatch);
  Bytes expired = bootstrap_body("example.com", {{10, "mesh.example.com"}}, 1, 100);
  VerifyOptions options = at(kNow);
  options.expected_name = "other.example";
  EXPECT_REASON(verify_bootstrap(signed_bootstrap_wire(expired), spk, options), Reason::expired);
  EXPECT_REASON(verify_bootstrap("v=dmp1;t=bootstrapX" + std::string(1300, 'A'), spk, at(kNow)),
                Reason::bad_prefix);
}

}  // namespace
}  // namespace dmp::unit
