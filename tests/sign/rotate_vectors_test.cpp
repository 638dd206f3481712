// The rotation and revocation vectors (DRAFT, spec §4) signed end to end:
// every cluster-operator and bootstrap-signer case with `inputs`, through the
// real dmp-sign with keys imported from the vector's seeds, gives exactly
// expected_wire_hex, and dmp-verify accepts it. The two-step ceremony runs
// with two state directories, as on two laptops; the one-step form must give
// the same bytes. (User-identity cases are out of scope for the signer; the
// verifier's side of every case is tests/unit/key_records_vectors_test.cpp.)
#include <gtest/gtest.h>

#include <string>

#include "sign/sign_test_support.hpp"
#include "support/vectors.hpp"

namespace dmp::test {
namespace {

std::string subject_type_option(int subject_type) {
  return subject_type == 2 ? "cluster-operator" : "bootstrap-signer";
}

TEST(RotateVectors, OperatorRotationsAreByteExactInBothForms) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "rotation_record.json");
  SignWorkspace ws;
  int signed_cases = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    if (!c.contains("inputs") || c["inputs"]["subject_type"] == 1) continue;
    SCOPED_TRACE(c["description"].get<std::string>());
    const auto& in = c["inputs"];
    const std::string n = std::to_string(i);
    const fs::path old_key = ws.path("old-" + n + ".key"), new_key = ws.path("new-" + n + ".key");
    ASSERT_EQ(ws.import_x25519_seed(c["old_seed_hex"], old_key), in["old_spk_hex"]);
    ASSERT_EQ(ws.import_x25519_seed(c["new_seed_hex"], new_key), in["new_spk_hex"]);
    const std::vector<std::string> fields{
        "--subject-type", subject_type_option(in["subject_type"]),
        "--subject",      in["subject"].get<std::string>(),
        "--seq",          std::to_string(in["seq"].get<std::uint64_t>()),
        "--ts",           std::to_string(in["ts"].get<std::uint64_t>()),
        "--exp",          std::to_string(in["exp"].get<std::uint64_t>()),
        "--now",          kNowText};
    const std::string expected = hex_to_text(c["expected_wire_hex"].get<std::string>());

    // Two laptops: prepare and sign-old on A, sign-new on B, assemble.
    const fs::path request = ws.path("request-" + n + ".json");
    std::vector<std::string> prepare{"rotate",      "prepare",        "--old-key", old_key,
                                     "--new-key",   new_key,          "--out",     request,
                                     "--state-dir", ws.path("A-" + n)};
    prepare.insert(prepare.end(), fields.begin(), fields.end());
    auto r = ws.run(prepare);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const auto& [half, key, laptop] :
         {std::tuple("sign-old", old_key, "A-"), std::tuple("sign-new", new_key, "B-")}) {
      r = ws.run({"rotate", half, "--key", key, "--passphrase-file", ws.pass_file(), "--state-dir",
                  ws.path(laptop + n), "--now", kNowText, "--yes", request});
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    const fs::path two_step = ws.path("two-step-" + n + ".wire");
    r = ws.run({"rotate", "assemble", request, "--now", kNowText, "--out", two_step});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(two_step), expected);

    // One laptop, one step.
    const fs::path one_step = ws.path("one-step-" + n + ".wire");
    std::vector<std::string> rotate{"rotate",          "--old-key",
                                    old_key,           "--new-key",
                                    new_key,           "--old-passphrase-file",
                                    ws.pass_file(),    "--new-passphrase-file",
                                    ws.pass_file(),    "--state-dir",
                                    ws.path("C-" + n), "--yes",
                                    "--out",           one_step};
    rotate.insert(rotate.end(), fields.begin(), fields.end());
    r = ws.run(rotate);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(one_step), expected);

    auto v = ws.verify(in["old_spk_hex"], one_step, {"--name", in["subject"]});
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
    ++signed_cases;
  }
  EXPECT_EQ(signed_cases, 2);  // cluster-operator and bootstrap-signer
}

TEST(RotateVectors, OperatorRevocationsAreByteExact) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "revocation_record.json");
  const std::map<int, std::string> reasons{
      {1, "compromise"}, {2, "superseded"}, {3, "lost-key"}, {4, "other"}};
  SignWorkspace ws;
  int signed_cases = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    if (!c.contains("inputs") || c["inputs"]["subject_type"] == 1) continue;
    SCOPED_TRACE(c["description"].get<std::string>());
    const auto& in = c["inputs"];
    const std::string n = std::to_string(i);
    const fs::path key = ws.path("revoked-" + n + ".key");
    ASSERT_EQ(ws.import_x25519_seed(c["revoked_seed_hex"], key), in["revoked_spk_hex"]);
    const std::string now = std::to_string(c["verify_with_now"].get<std::uint64_t>());
    const fs::path out = ws.path("revocation-" + n + ".wire");
    auto r = ws.run({"revoke",
                     "--key",
                     key,
                     "--passphrase-file",
                     ws.pass_file(),
                     "--state-dir",
                     ws.path("state-" + n),
                     "--subject-type",
                     subject_type_option(in["subject_type"]),
                     "--subject",
                     in["subject"],
                     "--reason",
                     reasons.at(in["reason_code"]),
                     "--ts",
                     std::to_string(in["ts"].get<std::uint64_t>()),
                     "--now",
                     now,
                     "--yes-i-mean-it",
                     "--out",
                     out});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(out), hex_to_text(c["expected_wire_hex"].get<std::string>()));
    auto v = run_process({DMP_VERIFY_BIN, "--pubkey", in["revoked_spk_hex"], "--now", now, "--name",
                          in["subject"], out});
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
    ++signed_cases;
  }
  EXPECT_EQ(signed_cases, 1);  // the cluster-operator case
}

}  // namespace
}  // namespace dmp::test
