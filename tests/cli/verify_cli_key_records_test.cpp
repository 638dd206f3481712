// dmp-verify on the DRAFT rotation and revocation vectors (read from
// ../shared/vectors, never copied): the real binary, as bare wire, zone line
// and JSON, with the pin meaning the OLD key (rotation) or the revoked key
// (revocation), --trust picking it from the subject, and --max-age.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_test_support.hpp"
#include "dmp/zone.hpp"
#include "support/vectors.hpp"

namespace dmp::test {
namespace {

using nlohmann::json;

PublicKey key_from_x25519_seed_hex(const json& seed_hex) {
  return key_from_x25519_seed(from_hex(seed_hex.get<std::string>())).public_key;
}

std::string wire_of(const json& c) {
  return hex_to_text(c.at("expected_wire_hex").get<std::string>());
}

TEST(VerifyCliKeyRecords, RotationVectorsWithOldKeyPin) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "rotation_record.json");
  TempDir dir;
  int round_trips = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const json& c = cases[i];
    SCOPED_TRACE("rotation case " + std::to_string(i));
    const std::string file = dir.write("rot" + std::to_string(i) + ".wire", wire_of(c)).string();
    const std::string now = std::to_string(c.value("verify_with_now", kNow));
    if (c.contains("expected_parse_result")) {
      // Cases 3 (forged sig_new) and 4 (expired), pinned to their old key.
      const std::string old_key =
          encoding::hex_encode(key_from_x25519_seed_hex(c.at("old_seed_hex")));
      auto run = run_verify({"--pubkey", old_key, "--now", now, file});
      EXPECT_EQ(run.exit_code, 1) << run.out;
      const std::string why = c.contains("verify_with_now") ? "expired" : "bad_signature";
      EXPECT_NE(run.out.find(": invalid " + why + ": "), std::string::npos) << run.out;
      continue;
    }
    ++round_trips;
    const json& in = c.at("inputs");
    const std::string old_key = in.at("old_spk_hex"), new_key = in.at("new_spk_hex");
    auto run = run_verify({"--pubkey", old_key, "--now", now, "--json", file});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    const auto object = json::parse(lines_of(run.out).at(0));
    EXPECT_EQ(object["verdict"], "valid");
    EXPECT_EQ(object["type"], "rotation");
    EXPECT_EQ(object["draft"], true);
    EXPECT_EQ(object["name"], c.at("expected_parse_subject"));
    // u64 values are strings (docs/json.md).
    EXPECT_EQ(object["seq"], std::to_string(c.at("expected_parse_seq").get<std::uint64_t>()));
    EXPECT_EQ(object["old_spk_hex"], old_key);
    EXPECT_EQ(object["new_spk_hex"], new_key);
    EXPECT_EQ(object["signing_key_hex"], old_key);
    EXPECT_EQ(object["exp"], std::to_string(in.at("exp").get<std::uint64_t>()));
    EXPECT_EQ(object["ts"], std::to_string(in.at("ts").get<std::uint64_t>()));
    EXPECT_EQ(object["subject_type"], in.at("subject_type") == 1   ? "user-identity"
                                      : in.at("subject_type") == 2 ? "cluster-operator"
                                                                   : "bootstrap-signer");
    EXPECT_TRUE(object["revoked_spk_hex"].is_null());
    EXPECT_TRUE(object["nodes"].is_null());
    const int type = in.at("subject_type");
    const std::string subject = in.at("subject");
    if (type == 1) {
      EXPECT_TRUE(object["rrset"].is_null());
    } else {
      EXPECT_EQ(object["rrset"], (type == 2 ? "rotate.cluster." : "rotate._dmp.") + subject);
    }
    // Pinning the NEW key is the classic mistake: refused.
    auto wrong = run_verify({"--pubkey", new_key, "--now", now, file});
    EXPECT_EQ(wrong.exit_code, 1);
    EXPECT_NE(wrong.out.find("invalid key_mismatch: old_spk"), std::string::npos) << wrong.out;
  }
  EXPECT_EQ(round_trips, 3);
}

TEST(VerifyCliKeyRecords, RotationZoneLineOwnerIsChecked) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "rotation_record.json");
  const json& c = cases.at(1);  // cluster operator, mesh.example.com
  const std::string key = c.at("inputs").at("old_spk_hex");
  TempDir dir;
  const std::string good = dir.write("good.zone", "rotate.cluster.mesh.example.com. 300 IN TXT " +
                                                      quote_txt_strings(wire_of(c)) + "\n")
                               .string();
  const std::string bad = dir.write("bad.zone", "cluster.mesh.example.com. 300 IN TXT " +
                                                    quote_txt_strings(wire_of(c)) + "\n")
                              .string();
  auto ok = run_verify({"--pubkey", key, "--now", std::to_string(kNow), good});
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("valid rotation rotate.cluster.mesh.example.com subject=mesh.example.com "
                        "(cluster-operator) seq=7"),
            std::string::npos)
      << ok.out;
  auto wrong = run_verify({"--pubkey", key, "--now", std::to_string(kNow), bad});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.out.find("invalid owner_mismatch"), std::string::npos) << wrong.out;
}

TEST(VerifyCliKeyRecords, TrustFilePinsTheOldKeyBySubject) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "rotation_record.json");
  TempDir dir;
  const json& cluster = cases.at(1);
  const json& bootstrap = cases.at(2);
  const std::string trust =
      dir.write("trust", "cluster mesh.example.com " +
                             cluster.at("inputs").at("old_spk_hex").get<std::string>() +
                             "\nbootstrap example.com " +
                             bootstrap.at("inputs").at("old_spk_hex").get<std::string>() + "\n")
          .string();
  const std::string a = dir.write("a.wire", wire_of(cluster)).string();
  const std::string b = dir.write("b.wire", wire_of(bootstrap)).string();
  auto run = run_verify({"--trust", trust, "--now", std::to_string(kNow), a, b});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  // A cluster pin does not vouch for a bootstrap-signer subject of the same name.
  const std::string only_cluster =
      dir.write("trust2", "cluster example.com " +
                              bootstrap.at("inputs").at("old_spk_hex").get<std::string>() + "\n")
          .string();
  auto refused = run_verify({"--trust", only_cluster, "--now", std::to_string(kNow), b});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.out.find("invalid no_trusted_key"), std::string::npos) << refused.out;
}

TEST(VerifyCliKeyRecords, RevocationVectorsWithRevokedKeyPinAndMaxAge) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "revocation_record.json");
  TempDir dir;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const json& c = cases[i];
    SCOPED_TRACE("revocation case " + std::to_string(i));
    const std::string file = dir.write("rev" + std::to_string(i) + ".wire", wire_of(c)).string();
    const std::string now = std::to_string(c.at("verify_with_now").get<std::uint64_t>());
    const std::string revoked =
        encoding::hex_encode(key_from_x25519_seed_hex(c.at("revoked_seed_hex")));
    if (c.contains("verify_with_expected_revoked_spk_hex")) {
      auto run = run_verify(
          {"--pubkey", c.at("verify_with_expected_revoked_spk_hex"), "--now", now, file});
      EXPECT_EQ(run.exit_code, 1);
      EXPECT_NE(run.out.find("invalid key_mismatch: revoked_spk"), std::string::npos) << run.out;
      continue;
    }
    if (c.contains("verify_with_max_age_seconds")) {
      const std::string max_age = std::to_string(c.at("verify_with_max_age_seconds").get<int>());
      auto stale = run_verify({"--pubkey", revoked, "--now", now, "--max-age", max_age, file});
      EXPECT_EQ(stale.exit_code, 1);
      EXPECT_NE(stale.out.find("invalid revocation_stale"), std::string::npos) << stale.out;
    }
    auto run = run_verify({"--pubkey", revoked, "--now", now, "--json", file});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    const auto object = json::parse(lines_of(run.out).at(0));
    EXPECT_EQ(object["type"], "revocation");
    EXPECT_EQ(object["revoked_spk_hex"], revoked);
    EXPECT_EQ(object["ts"], std::to_string(c.at("inputs").at("ts").get<std::uint64_t>()));
    EXPECT_EQ(object["revocation_reason_code"], c.at("inputs").at("reason_code"));
    EXPECT_EQ(object["revocation_reason"],
              c.at("inputs").at("reason_code") == 1 ? "compromise" : "routine");
    EXPECT_EQ(object["name"], c.at("inputs").at("subject"));
    EXPECT_TRUE(object["seq"].is_null());
    EXPECT_TRUE(object["exp"].is_null());
  }
}

TEST(VerifyCliKeyRecords, RevocationFromTheFutureIsInvalid) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "revocation_record.json");
  const json& c = cases.at(1);
  TempDir dir;
  const std::string file = dir.write("rev.wire", wire_of(c)).string();
  const std::uint64_t ts = c.at("inputs").at("ts");
  const std::string key = c.at("inputs").at("revoked_spk_hex");
  EXPECT_EQ(run_verify({"--pubkey", key, "--now", std::to_string(ts - 300), file}).exit_code, 0);
  auto run = run_verify({"--pubkey", key, "--now", std::to_string(ts - 301), file});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("invalid timestamp_in_future"), std::string::npos) << run.out;
  EXPECT_EQ(run_verify({"--pubkey", key, "--max-age", "soon", file}).exit_code, 2);
}

}  // namespace
}  // namespace dmp::test
