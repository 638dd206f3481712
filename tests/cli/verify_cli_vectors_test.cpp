// dmp-verify against the reference vectors (read from ../shared/vectors, never
// copied): every round-trip wire is accepted, every failure case is refused
// with the rule the case is about, as bare wire, zone record and JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/cli_test_support.hpp"
#include "dmp/zone.hpp"
#include "support/vectors.hpp"

namespace dmp::test {
namespace {

// Per vector file: the key fields and the rrset label, so cluster and
// bootstrap cases run through the same tests.
struct VectorKind {
  std::string file;
  std::string type;             // as printed by dmp-verify
  std::string rrset_label;      // "cluster." / "_dmp."
  std::string key_field;        // inputs.<key_field>
  std::string wrong_key_field;  // verify_with_<...>
  std::string name_field;       // expected_parse_<...>
};

const std::vector<VectorKind>& kinds() {
  static const std::vector<VectorKind> all = {
      {"cluster_manifest.json", "cluster", "cluster.", "operator_spk_hex",
       "verify_with_operator_spk_hex", "expected_parse_cluster_name"},
      {"bootstrap_record.json", "bootstrap", "_dmp.", "signer_spk_hex",
       "verify_with_signer_spk_hex", "expected_parse_user_domain"},
  };
  return all;
}

class VerifyCliVectors : public ::testing::TestWithParam<VectorKind> {};

// The signer key of a file's cases: the first case with inputs carries it.
std::string pinned_key_of(const nlohmann::json& cases, const VectorKind& kind) {
  for (const auto& c : cases) {
    if (c.contains("inputs")) return c["inputs"][kind.key_field].get<std::string>();
  }
  ADD_FAILURE() << "no case with inputs in " << kind.file;
  return {};
}

TEST_P(VerifyCliVectors, RoundTripWiresAreValid) {
  const VectorKind& kind = GetParam();
  DMP_LOAD_VECTORS_OR_SKIP(cases, kind.file);
  TempDir dir;
  const std::string key = pinned_key_of(cases, kind);
  int round_trips = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    if (c.contains("expected_parse_result")) continue;
    ++round_trips;
    const std::string wire = hex_to_text(c["expected_wire_hex"].get<std::string>());
    const std::string name = c[kind.name_field].get<std::string>();
    const auto seq = c["expected_parse_seq"].get<std::uint64_t>();
    const std::string file = dir.write("case" + std::to_string(i) + ".wire", wire).string();

    auto plain = run_verify({"--pubkey", key, "--now", std::to_string(kNow), file});
    EXPECT_EQ(plain.exit_code, 0) << kind.file << " case " << i << ": " << plain.out << plain.err;
    EXPECT_EQ(plain.out, file + ": valid " + kind.type + " " + kind.rrset_label + name + " seq=" +
                             std::to_string(seq) + " exp=2035-01-01T00:00:00Z (in 1750 days)\n");
    EXPECT_EQ(plain.err, "");

    auto json = run_verify({"--pubkey", key, "--now", std::to_string(kNow), "--json", file});
    EXPECT_EQ(json.exit_code, 0) << json.err;
    const auto lines = lines_of(json.out);
    ASSERT_EQ(lines.size(), 1u) << json.out;
    const auto object = nlohmann::json::parse(lines[0]);
    EXPECT_EQ(object["file"], file);
    EXPECT_EQ(object["verdict"], "valid");
    EXPECT_TRUE(object["reason"].is_null());
    EXPECT_TRUE(object["message"].is_null());
    EXPECT_EQ(object["type"], kind.type);
    EXPECT_EQ(object["rrset"], kind.rrset_label + name);
    EXPECT_EQ(object["name"], name);
    // u64 values are decimal strings, so no JSON reader rounds them.
    EXPECT_EQ(object["seq"], std::to_string(seq));
    EXPECT_EQ(object["exp"], std::to_string(c["inputs"]["exp"].get<std::uint64_t>()));
    EXPECT_EQ(object["signing_key_hex"], key);
    EXPECT_EQ(object["draft"], false);
    EXPECT_EQ(object.size(), 20u);
    const char* items = kind.type == "cluster" ? "nodes" : "entries";
    const auto& expected_items = c["inputs"][kind.type == "cluster" ? "nodes" : "entries"];
    ASSERT_TRUE(object[items].is_array());
    ASSERT_EQ(object[items].size(), expected_items.size());
    for (std::size_t n = 0; n < expected_items.size(); ++n) {
      if (kind.type == "cluster") {
        EXPECT_EQ(object[items][n]["node_id"], expected_items[n]["node_id"]);
        EXPECT_EQ(object[items][n]["http_endpoint"], expected_items[n]["http_endpoint"]);
        EXPECT_EQ(object[items][n]["dns_endpoint"], expected_items[n]["dns_endpoint"]);
      } else {  // the vectors' entries are already sorted by priority
        EXPECT_EQ(object[items][n]["priority"], expected_items[n]["priority"]);
        EXPECT_EQ(object[items][n]["cluster_base_domain"],
                  expected_items[n]["cluster_base_domain"]);
        EXPECT_EQ(object[items][n]["operator_spk_hex"], expected_items[n]["operator_spk_hex"]);
      }
    }
  }
  EXPECT_EQ(round_trips, 2) << kind.file;
}

TEST_P(VerifyCliVectors, RoundTripWiresAsZoneRecords) {
  const VectorKind& kind = GetParam();
  DMP_LOAD_VECTORS_OR_SKIP(cases, kind.file);
  TempDir dir;
  std::vector<std::string> args = {"--pubkey", pinned_key_of(cases, kind), "--now",
                                   std::to_string(kNow)};
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    if (c.contains("expected_parse_result")) continue;
    const std::string wire = hex_to_text(c["expected_wire_hex"].get<std::string>());
    const std::string owner = kind.rrset_label + c[kind.name_field].get<std::string>() + ".";
    // The form every reference writer produces: 255-byte pieces in one RR.
    const std::string zone = owner + " 3600 IN TXT " + quote_txt_strings(wire) + "\n";
    if (c.value("expected_multi_string", false)) {
      ASSERT_GE(split_txt_strings(wire).size(), 2u);
    }
    args.push_back(dir.write("case" + std::to_string(i) + ".zone", zone).string());
  }
  auto result = run_verify(args);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 2u) << result.out;
  for (const auto& line : lines) {
    EXPECT_NE(line.find(": valid " + kind.type + " "), std::string::npos) << line;
  }
}

TEST_P(VerifyCliVectors, FailureCasesAreRefusedWithTheirReason) {
  const VectorKind& kind = GetParam();
  DMP_LOAD_VECTORS_OR_SKIP(cases, kind.file);
  TempDir dir;
  const std::string key = pinned_key_of(cases, kind);
  int failures = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    if (!c.contains("expected_parse_result")) continue;
    ++failures;
    const std::string wire = hex_to_text(c["expected_wire_hex"].get<std::string>());
    const std::string file = dir.write("case" + std::to_string(i) + ".wire", wire).string();
    std::string pinned = key;
    std::string expected_reason;
    std::uint64_t now = kNow;
    if (c.contains(kind.wrong_key_field)) {  // signature failure: wrong pinned key
      pinned = c[kind.wrong_key_field].get<std::string>();
      expected_reason = "bad_signature";
    }
    if (c.contains("verify_with_now")) {  // expired: exp 100, now 101
      now = c["verify_with_now"].get<std::uint64_t>();
      expected_reason = "expired";
    }
    ASSERT_FALSE(expected_reason.empty()) << kind.file << " case " << i << " is not understood";

    auto plain = run_verify({"--pubkey", pinned, "--now", std::to_string(now), file});
    EXPECT_EQ(plain.exit_code, 1) << plain.out << plain.err;
    EXPECT_EQ(plain.out.rfind(file + ": invalid " + expected_reason + ": ", 0), 0u) << plain.out;
    EXPECT_EQ(lines_of(plain.out).size(), 1u);

    auto json = run_verify({"--pubkey", pinned, "--now", std::to_string(now), "--json", file});
    EXPECT_EQ(json.exit_code, 1);
    const auto object = nlohmann::json::parse(json.out);
    EXPECT_EQ(object["verdict"], "invalid");
    EXPECT_EQ(object["reason"], expected_reason);
    EXPECT_TRUE(object["message"].is_string());
    // Nothing from a refused record is reported: its keys are all null.
    for (const char* member :
         {"type", "rrset", "name", "seq", "exp", "signing_key_hex", "nodes", "entries"}) {
      EXPECT_TRUE(object.at(member).is_null()) << member;
    }
  }
  EXPECT_EQ(failures, 2) << kind.file;
}

TEST_P(VerifyCliVectors, WholeFileInOneBatch) {
  const VectorKind& kind = GetParam();
  DMP_LOAD_VECTORS_OR_SKIP(cases, kind.file);
  TempDir dir;
  // Under the right key at kNow: round trips valid, the expired case invalid;
  // the wrong-key case carries the case-0 wire, so it is valid here too.
  std::vector<std::string> args = {"--pubkey", pinned_key_of(cases, kind), "--now",
                                   std::to_string(kNow), "--json"};
  std::vector<std::string> expected;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    args.push_back(
        dir.write("c" + std::to_string(i), hex_to_text(c["expected_wire_hex"].get<std::string>()))
            .string());
    expected.push_back(c.contains("verify_with_now") ? "invalid" : "valid");
  }
  auto result = run_verify(args);
  EXPECT_EQ(result.exit_code, 1);
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), cases.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(nlohmann::json::parse(lines[i])["verdict"], expected[i]) << lines[i];
  }
}

INSTANTIATE_TEST_SUITE_P(Vectors, VerifyCliVectors, ::testing::ValuesIn(kinds()),
                         [](const auto& param_info) { return param_info.param.type; });

// Rotation and revocation wires (DRAFT types, spec §4) are verified, but
// only under their own pin (the old / revoked key): an unrelated pinned key
// never makes them valid. (verify_cli_key_records_test.cpp has the rest.)
TEST(VerifyCliVectorsDraftTypes, RotationAndRevocationWiresNeedTheirOwnPin) {
  for (const char* file : {"rotation_record.json", "revocation_record.json"}) {
    DMP_LOAD_VECTORS_OR_SKIP(cases, file);
    TempDir dir;
    const std::string path =
        dir.write("w", hex_to_text(cases[0]["expected_wire_hex"].get<std::string>())).string();
    auto result =
        run_verify({"--pubkey", std::string(64, '1'), "--now", std::to_string(kNow), path});
    EXPECT_EQ(result.exit_code, 1) << file;
    EXPECT_EQ(result.out.rfind(path + ": invalid key_mismatch: ", 0), 0u) << result.out;
  }
}

}  // namespace
}  // namespace dmp::test
