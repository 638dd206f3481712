// The reference vectors (../shared/vectors, spec §9): byte-exact signing of
// every case with inputs, acceptance of every round-trip case, rejection of
// every "none" case under its context, and the 5-year ceiling (§1.6) on the
// round-trip wires.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "dmp/codec.hpp"
#include "dmp/verify.hpp"
#include "dmp/zone.hpp"
#include "support/test_keys.hpp"
#include "support/vectors.hpp"
#include "unit_helpers.hpp"

namespace dmp::unit {
namespace {

using nlohmann::json;

// The window in which the round-trip wires verify (vectors README, "Verifier").
constexpr std::uint64_t kVectorExp = 2'051'222'400;
constexpr std::uint64_t kEarliestAcceptingNow = kVectorExp - kMaxExpAhead;  // 1893542400

test::TestKey key_of_case(const json& c, const char* seed_field) {
  return test::key_from_x25519_seed(test::from_hex(c.at(seed_field).get<std::string>()));
}

ClusterManifest manifest_from_inputs(const json& in) {
  ClusterManifest m;
  m.cluster_name = in.at("cluster_name").get<std::string>();
  m.operator_spk = key_from_hex(in.at("operator_spk_hex").get<std::string>());
  m.seq = in.at("seq").get<std::uint64_t>();
  m.exp = in.at("exp").get<std::uint64_t>();
  for (const json& n : in.at("nodes")) {
    ClusterNode out;
    out.node_id = n.at("node_id").get<std::string>();
    out.http_endpoint = n.at("http_endpoint").get<std::string>();
    if (!n.at("dns_endpoint").is_null()) out.dns_endpoint = n.at("dns_endpoint").get<std::string>();
    m.nodes.push_back(out);
  }
  return m;
}

BootstrapRecord bootstrap_from_inputs(const json& in) {
  BootstrapRecord r;
  r.user_domain = in.at("user_domain").get<std::string>();
  r.signer_spk = key_from_hex(in.at("signer_spk_hex").get<std::string>());
  r.seq = in.at("seq").get<std::uint64_t>();
  r.exp = in.at("exp").get<std::uint64_t>();
  for (const json& e : in.at("entries")) {
    r.entries.push_back(entry(e.at("priority").get<std::uint16_t>(),
                              e.at("cluster_base_domain").get<std::string>(),
                              key_from_hex(e.at("operator_spk_hex").get<std::string>())));
  }
  return r;
}

std::string wire_of(const json& c) {
  return test::hex_to_text(c.at("expected_wire_hex").get<std::string>());
}

bool is_round_trip(const json& c) {
  return !c.contains("expected_parse_result");
}

// §2.3 steps 1-5: encode_body, Ed25519 over the body, prefix || base64.
std::string sign_like_reference(const Record& record, const test::TestKey& key) {
  auto body = encode_body(record);
  if (!body) return "encode_body failed: " + body.error().message();
  auto wire = assemble_wire(type_of(record), *body, test::sign_bytes(key, *body));
  if (!wire) return "assemble_wire failed: " + wire.error().message();
  return *wire;
}

TEST(ReferenceVectors, SeedDerivationCheckValue) {
  // §6.1 check value for label vectors/cluster/operator.
  const auto key = test::key_from_x25519_seed(
      test::from_hex("d373740143cc05dbf6a52d29cd418d44a21b5cada8db6a1eba2cdcaa2d10a9ac"));
  EXPECT_EQ(hex_encode(key.public_key),
            "2ec2785b7b2e0f5cf5a3bf6fc620cb9e1e67fa798577cfbfea34c46a20fc168b");
  // §6.2: the same bytes used as a raw Ed25519 seed give a different key.
  const auto raw = test::key_from_ed25519_seed(std::span<const std::uint8_t, 32>(
      test::from_hex("d373740143cc05dbf6a52d29cd418d44a21b5cada8db6a1eba2cdcaa2d10a9ac").data(),
      32));
  EXPECT_EQ(hex_encode(raw.public_key),
            "0245d16b4755a38f7026c4662578605065a1c1094c61bb43dc2f2ff698b9aeb4");
}

TEST(ReferenceVectors, ClusterCasesWithInputsSignByteExact) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "cluster_manifest.json");
  int checked = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const json& c = cases[i];
    if (!c.contains("inputs")) continue;
    SCOPED_TRACE("cluster case " + std::to_string(i) + ": " + c.value("description", ""));
    const auto key = key_of_case(c, "operator_seed_hex");
    EXPECT_EQ(hex_encode(key.public_key), c.at("inputs").at("operator_spk_hex").get<std::string>());
    EXPECT_EQ(sign_like_reference(manifest_from_inputs(c.at("inputs")), key), wire_of(c));
    ++checked;
  }
  EXPECT_EQ(checked, 3);  // cases 0, 1 and 3 (README)
}

TEST(ReferenceVectors, BootstrapCasesWithInputsSignByteExact) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "bootstrap_record.json");
  int checked = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const json& c = cases[i];
    if (!c.contains("inputs")) continue;
    SCOPED_TRACE("bootstrap case " + std::to_string(i) + ": " + c.value("description", ""));
    const auto key = key_of_case(c, "signer_seed_hex");
    EXPECT_EQ(hex_encode(key.public_key), c.at("inputs").at("signer_spk_hex").get<std::string>());
    EXPECT_EQ(sign_like_reference(bootstrap_from_inputs(c.at("inputs")), key), wire_of(c));
    ++checked;
  }
  EXPECT_EQ(checked, 3);
}

TEST(ReferenceVectors, WorkedExampleBodyLayout) {
  // §2.3 worked example: case 0 has a 108-byte body and a 249-byte wire.
  DMP_LOAD_VECTORS_OR_SKIP(cases, "cluster_manifest.json");
  const json& c = cases.at(0);
  auto body = encode_body(manifest_from_inputs(c.at("inputs")));
  ASSERT_TRUE(body);
  ASSERT_EQ(body->size(), 108u);
  EXPECT_EQ(hex_encode(std::span(*body).first(23)),
            "444d50434c3031"
            "0000000000000001"
            "000000007a432b80");
  EXPECT_EQ(hex_encode(std::span(*body).subspan(23, 32)), c.at("inputs").at("operator_spk_hex"));
  EXPECT_EQ(hex_encode(std::span(*body).subspan(55)),
            "10"
            "6d6573682e6578616d706c652e636f6d"
            "01"
            "03"
            "6e3031"
            "001b"
            "68747470733a2f2f6e312e6578616d706c652e636f6d3a38303533"
            "0000");
  EXPECT_EQ(wire_of(c).size(), 249u);
}

TEST(ReferenceVectors, UnsortedBootstrapInputGivesReferenceBytes) {
  // §3.3: the signer sorts entries stably by priority before serialising, so
  // case 1's entries in reverse order still give the reference wire.
  DMP_LOAD_VECTORS_OR_SKIP(cases, "bootstrap_record.json");
  const json& c = cases.at(1);
  BootstrapRecord r = bootstrap_from_inputs(c.at("inputs"));
  std::reverse(r.entries.begin(), r.entries.end());
  EXPECT_EQ(sign_like_reference(r, key_of_case(c, "signer_seed_hex")), wire_of(c));
}

TEST(ReferenceVectors, ClusterRoundTripCasesVerify) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "cluster_manifest.json");
  int checked = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const json& c = cases[i];
    if (!is_round_trip(c)) continue;
    SCOPED_TRACE("cluster case " + std::to_string(i));
    const PublicKey pinned = key_from_hex(c.at("inputs").at("operator_spk_hex"));
    auto m = verify_cluster(wire_of(c), pinned, at(kNow));
    ASSERT_REASON(m, Reason::ok);
    EXPECT_EQ(m->cluster_name, c.at("expected_parse_cluster_name").get<std::string>());
    EXPECT_EQ(m->seq, c.at("expected_parse_seq").get<std::uint64_t>());
    EXPECT_EQ(*m, manifest_from_inputs(c.at("inputs")));
    // Canonical wires pass strict mode too.
    EXPECT_REASON(verify_cluster(wire_of(c), pinned, strict_at(kNow)), Reason::ok);
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

TEST(ReferenceVectors, BootstrapRoundTripCasesVerify) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "bootstrap_record.json");
  int checked = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const json& c = cases[i];
    if (!is_round_trip(c)) continue;
    SCOPED_TRACE("bootstrap case " + std::to_string(i));
    const PublicKey pinned = key_from_hex(c.at("inputs").at("signer_spk_hex"));
    auto r = verify_bootstrap(wire_of(c), pinned, at(kNow));
    ASSERT_REASON(r, Reason::ok);
    EXPECT_EQ(r->user_domain, c.at("expected_parse_user_domain").get<std::string>());
    EXPECT_EQ(r->seq, c.at("expected_parse_seq").get<std::uint64_t>());
    EXPECT_EQ(*r, bootstrap_from_inputs(c.at("inputs")));
    EXPECT_REASON(verify_bootstrap(wire_of(c), pinned, strict_at(kNow)), Reason::ok);
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

// A "none" case is rejected with the reason its context provokes: a wrong
// pinned key gives bad_signature, a verify_with_now past exp gives expired.
template <class VerifyFn>
void expect_none_cases_rejected(const json& cases, const char* spk_override, const char* seed,
                                VerifyFn verify_fn) {
  int checked = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const json& c = cases[i];
    if (is_round_trip(c)) continue;
    SCOPED_TRACE("case " + std::to_string(i) + ": " + c.value("description", ""));
    ASSERT_EQ(c.at("expected_parse_result"), "none");
    PublicKey pinned = key_of_case(c, seed).public_key;
    Reason expected = Reason::ok;
    if (c.contains(spk_override)) {
      pinned = key_from_hex(c.at(spk_override));
      expected = Reason::bad_signature;
    }
    const std::uint64_t now = c.value("verify_with_now", kNow);
    if (c.contains("verify_with_now")) expected = Reason::expired;
    ASSERT_NE(expected, Reason::ok) << "case has no rejection context";
    EXPECT_REASON(verify_fn(wire_of(c), pinned, at(now)), expected);
    // The generic entry point agrees.
    EXPECT_REASON(verify(wire_of(c), pinned, at(now)), expected);
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

TEST(ReferenceVectors, ClusterNoneCasesRejectedWithReason) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "cluster_manifest.json");
  expect_none_cases_rejected(cases, "verify_with_operator_spk_hex", "operator_seed_hex",
                             [](auto&&... a) { return verify_cluster(a...); });
}

TEST(ReferenceVectors, BootstrapNoneCasesRejectedWithReason) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "bootstrap_record.json");
  expect_none_cases_rejected(cases, "verify_with_signer_spk_hex", "signer_seed_hex",
                             [](auto&&... a) { return verify_bootstrap(a...); });
}

TEST(ReferenceVectors, RoundTripWiresHitFiveYearCeilingBefore1893542400) {
  // §1.6 / §9 caveat: exp 2051222400 is accepted from now = exp - 157680000
  // on, and rejected with expiry_too_far one second earlier.
  ASSERT_EQ(kEarliestAcceptingNow, 1'893'542'400u);
  DMP_LOAD_VECTORS_OR_SKIP(clusters, "cluster_manifest.json");
  DMP_LOAD_VECTORS_OR_SKIP(bootstraps, "bootstrap_record.json");
  for (const json* cases : {&clusters, &bootstraps}) {
    for (const json& c : *cases) {
      if (!is_round_trip(c)) continue;
      SCOPED_TRACE(c.value("description", ""));
      const json& in = c.at("inputs");
      const PublicKey pinned = key_from_hex(
          in.contains("operator_spk_hex") ? in.at("operator_spk_hex") : in.at("signer_spk_hex"));
      ASSERT_EQ(in.at("exp").get<std::uint64_t>(), kVectorExp);
      EXPECT_REASON(verify(wire_of(c), pinned, at(kEarliestAcceptingNow - 1)),
                    Reason::expiry_too_far);
      EXPECT_REASON(verify(wire_of(c), pinned, at(1'893'456'000)), Reason::expiry_too_far);
      EXPECT_REASON(verify(wire_of(c), pinned, at(kEarliestAcceptingNow)), Reason::ok);
      EXPECT_REASON(verify(wire_of(c), pinned, at(kVectorExp)), Reason::ok);
      EXPECT_REASON(verify(wire_of(c), pinned, at(kVectorExp + 1)), Reason::expired);
    }
  }
}

TEST(ReferenceVectors, MultiStringCasesSplitInto255BytePieces) {
  DMP_LOAD_VECTORS_OR_SKIP(clusters, "cluster_manifest.json");
  DMP_LOAD_VECTORS_OR_SKIP(bootstraps, "bootstrap_record.json");
  // A case flagged expected_multi_string needs more than one 255-byte
  // character-string (unflagged cases may need one too: bootstrap case 0 is
  // 263 bytes).
  for (const json* cases : {&clusters, &bootstraps}) {
    for (const json& c : *cases) {
      const std::string wire = wire_of(c);
      const auto pieces = split_txt_strings(wire);
      EXPECT_EQ(pieces.size(), (wire.size() + kMaxTxtStringLen - 1) / kMaxTxtStringLen);
      if (c.value("expected_multi_string", false)) {
        EXPECT_GT(pieces.size(), 1u) << c.value("description", "");
      }
    }
  }
  // §8: the 525-byte case splits 255 / 255 / 15.
  const auto pieces = split_txt_strings(wire_of(clusters.at(1)));
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_EQ(pieces[0].size(), 255u);
  EXPECT_EQ(pieces[1].size(), 255u);
  EXPECT_EQ(pieces[2].size(), 15u);
}

TEST(ReferenceVectors, RegeneratedFromLabelsWithoutReadingFiles) {
  // The vector keys are x = SHA-256(label) (vectors README), so case 0 can be
  // rebuilt from its description alone; this keeps a byte-exact check alive
  // even where the vector files are not available.
  const auto key = test::key_for_label("vectors/cluster/operator");
  ClusterManifest m;
  m.cluster_name = "mesh.example.com";
  m.operator_spk = key.public_key;
  m.nodes = {node("n01", "https://n1.example.com:8053")};
  m.seq = 1;
  m.exp = kVectorExp;
  const std::string wire = sign_like_reference(m, key);
  EXPECT_EQ(wire.size(), 249u);
  EXPECT_TRUE(wire.starts_with("v=dmp1;t=cluster;RE1QQ0wwMQAAAAAAAAAB"));
  EXPECT_REASON(verify_cluster(wire, key.public_key, at(kNow)), Reason::ok);
}

}  // namespace
}  // namespace dmp::unit
