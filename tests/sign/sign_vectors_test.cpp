// The reference vectors, signed end to end: every cluster/bootstrap case with
// `inputs`, plus "type", through `dmp-sign sign` with a key imported from the
// vector's seed, gives exactly expected_wire_hex, and dmp-verify accepts it.
#include <gtest/gtest.h>

#include <string>

#include "sign/sign_test_support.hpp"
#include "support/vectors.hpp"

namespace dmp::test {
namespace {

void sign_every_case(const nlohmann::json& cases, const std::string& type,
                     const std::string& seed_field, const std::string& key_field) {
  SignWorkspace ws;
  const fs::path key = ws.path("vector.key");
  std::string public_hex;
  int signed_cases = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    if (!c.contains("inputs")) continue;
    SCOPED_TRACE(c["description"].get<std::string>());
    if (public_hex.empty()) {
      public_hex = ws.import_x25519_seed(c[seed_field].get<std::string>(), key);
      ASSERT_EQ(public_hex, c["inputs"][key_field].get<std::string>());
    }
    nlohmann::json input = c["inputs"];
    input["type"] = type;
    const std::uint64_t exp = input["exp"].get<std::uint64_t>();
    // A state directory per case: the expired case reuses seq 1 of case 0.
    const fs::path state = ws.path("state-" + std::to_string(i));
    const fs::path in = ws.write_input("case-" + std::to_string(i) + ".json", input);
    const fs::path out = ws.path("case-" + std::to_string(i) + ".wire");
    std::vector<std::string> args{
        "sign",         "--first",     "--key", key,     "--passphrase-file",
        ws.pass_file(), "--state-dir", state,   "--yes", "--now",
        kNowText,       "--out",       out};
    if (exp < kNow) args.push_back("--allow-expired");
    args.push_back(in);
    auto r = ws.run(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string wire = read_file(out);
    EXPECT_EQ(wire, hex_to_text(c["expected_wire_hex"].get<std::string>()));
    EXPECT_NE(wire.back(), '\n');  // the reference writes no newline
    ++signed_cases;

    // dmp-verify accepts it at a clock inside its validity window.
    const std::string now = std::to_string(exp < kNow ? exp : kNow);
    auto v = run_process({DMP_VERIFY_BIN, "--pubkey", public_hex, "--now", now, out});
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  }
  EXPECT_EQ(signed_cases, 3);
}

TEST(SignVectors, ClusterCasesAreByteExact) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "cluster_manifest.json");
  sign_every_case(cases, "cluster", "operator_seed_hex", "operator_spk_hex");
}

TEST(SignVectors, BootstrapCasesAreByteExact) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "bootstrap_record.json");
  sign_every_case(cases, "bootstrap", "signer_seed_hex", "signer_spk_hex");
}

// The vectors only have sorted entries; signing them reversed must give the
// same bytes (stable sort by priority before serialising, spec §3.3).
TEST(SignVectors, UnsortedBootstrapEntriesGiveTheSortedWire) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "bootstrap_record.json");
  const auto& c = cases[1];
  ASSERT_EQ(c["inputs"]["entries"].size(), 4u);
  SignWorkspace ws;
  const fs::path key = ws.path("vector.key");
  ws.import_x25519_seed(c["signer_seed_hex"].get<std::string>(), key);
  nlohmann::json input = c["inputs"];
  input["type"] = "bootstrap";
  input.erase("signer_spk_hex");  // taken from the key
  auto& entries = input["entries"];
  std::reverse(entries.begin(), entries.end());
  const fs::path in = ws.write_input("reversed.json", input);
  auto r = ws.sign({"--out", ws.path("reversed.wire"), in}, key);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(ws.path("reversed.wire")),
            hex_to_text(c["expected_wire_hex"].get<std::string>()));
}

// A trailing dot and the case of the name: the dot is stripped before
// signing (spec §2.2), so the wire equals the vector's.
TEST(SignVectors, TrailingDotIsStrippedBeforeSigning) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "cluster_manifest.json");
  const auto& c = cases[0];
  SignWorkspace ws;
  const fs::path key = ws.path("vector.key");
  ws.import_x25519_seed(c["operator_seed_hex"].get<std::string>(), key);
  nlohmann::json input = c["inputs"];
  input["type"] = "cluster";
  input["cluster_name"] = "mesh.example.com.";
  const fs::path in = ws.write_input("dot.json", input);
  auto r = ws.sign({"--out", ws.path("dot.wire"), in}, key);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(ws.path("dot.wire")), hex_to_text(c["expected_wire_hex"].get<std::string>()));
}

}  // namespace
}  // namespace dmp::test
