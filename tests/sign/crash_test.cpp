// Crash safety: dmp-sign-faulty kills itself with SIGKILL at a named step
// (DMP_TEST_CRASH_AT, signer/sign/fault_injection.hpp). After a crash at any
// step: no wire exists without a ledger entry for its body, nothing is written
// before the ledger entry, no temporary file is left behind, the key file is
// intact, the lock is free, and the next run repairs whatever the crash left
// (torn tail, lagging head) so that `ledger verify` passes and signing goes on.
// The replace_* steps are inside the head's atomic replace
// (signer/common/private_file.cpp): a crash before its rename leaves the
// temporary .head.tmp-XXXXXX, which the next run removes under the lock.
#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

#include "dmp/codec.hpp"
#include "sign/sign_test_support.hpp"

namespace dmp::test {
namespace {

const char* const kSignSteps[] = {"locked",
                                  "confirmed",
                                  "unlocked",
                                  "signed",
                                  "verified",
                                  "ledger_written",
                                  "ledger_synced",
                                  "replace_temp_created",
                                  "replace_temp_written",
                                  "replace_temp_synced",
                                  "replace_renamed",
                                  "replace_dir_synced",
                                  "head_written",
                                  "wire_written"};
// Every step of one ledger append, as `ledger import` reaches them.
const char* const kAppendSteps[] = {"locked",
                                    "ledger_written",
                                    "ledger_synced",
                                    "replace_temp_created",
                                    "replace_temp_written",
                                    "replace_temp_synced",
                                    "replace_renamed",
                                    "replace_dir_synced",
                                    "head_written"};
constexpr int kTrials = 2;

bool entry_recorded(const std::string& step) {
  return step != "locked" && step != "confirmed" && step != "unlocked" && step != "signed" &&
         step != "verified";
}

// Right after the crash: a crash inside the head's replace, before its
// rename, leaves exactly that temporary; any other step leaves none.
void expect_crash_leftovers(const std::string& step, const fs::path& state) {
  const auto left = temporary_files(state);
  if (step == "replace_temp_created" || step == "replace_temp_written" ||
      step == "replace_temp_synced") {
    ASSERT_EQ(left.size(), 1u);
    EXPECT_NE(left[0].find("/.head.tmp-"), std::string::npos) << left[0];
  } else {
    EXPECT_EQ(left, std::vector<std::string>{});
  }
}

std::string body_sha256_hex(const std::string& wire) {
  auto opened = open_wire(wire, RecordType::cluster);
  if (!opened) {
    ADD_FAILURE() << "output is not a cluster wire: " << opened.error().message();
    return {};
  }
  std::uint8_t hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, opened->blob.body.data(), opened->blob.body.size());
  return encoding::hex_encode(hash);
}

class CrashAt : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    pub_ = ws_.keygen();
    key_bytes_ = read_file(ws_.key_file());
  }

  SignWorkspace ws_;
  std::string pub_;
  std::string key_bytes_;
};

TEST_P(CrashAt, SignLeavesAConsistentState) {
  const std::string step = GetParam();
  const std::vector<std::string> crash_env = environment_with({"DMP_TEST_CRASH_AT=" + step});
  for (int trial = 0; trial < kTrials; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    const std::string t = std::to_string(trial);
    // Trial 0 crashes on the first append (the ledger is created); later
    // trials on a ledger that already has entries.
    const fs::path state = ws_.path("state-" + t);
    for (int i = 0; i < trial; ++i) {
      auto pre = ws_.sign({"--out", ws_.path("pre-" + t + "-" + std::to_string(i) + ".wire"),
                           ws_.write_input("pre.json", cluster_input("mesh.example.com", i + 1))},
                          {}, state);
      ASSERT_EQ(pre.exit_code, 0) << pre.err;
    }
    const std::uint64_t seq = static_cast<std::uint64_t>(trial) + 1;
    const fs::path in =
        ws_.write_input("crash-" + t + ".json", cluster_input("mesh.example.com", seq));
    const fs::path out_dir = ws_.path("out-" + t);
    fs::create_directory(out_dir);
    const fs::path out = out_dir / "cluster.wire";
    const std::string ledger_before = read_file(state / "ledger");

    auto crashed =
        ws_.run(ws_.sign_args({"--out", out, in}, {}, state), "", DMP_SIGN_FAULTY_BIN, crash_env);
    ASSERT_EQ(crashed.exit_code, kKilled) << "did not crash at " << step << ": " << crashed.err;

    // What the crash left behind.
    const std::string ledger_after = read_file(state / "ledger");
    const auto entries = lines_of(ledger_after);
    const std::size_t before_count = lines_of(ledger_before).size();
    if (entry_recorded(step)) {
      ASSERT_EQ(entries.size(), (before_count == 0 ? 1 : before_count) + 1) << ledger_after;
      EXPECT_EQ(ledger_after.rfind(ledger_before, 0), 0u) << "earlier entries changed";
    } else {
      EXPECT_EQ(ledger_after, ledger_before) << "ledger written before the signature was made";
    }
    // No wire without a ledger entry for exactly its body.
    EXPECT_EQ(fs::exists(out), step == "wire_written");
    if (fs::exists(out)) {
      const std::string wire = read_file(out);
      EXPECT_EQ(ws_.verify(pub_, out).exit_code, 0);
      ASSERT_FALSE(entries.empty());
      EXPECT_EQ(entry_field(entries.back(), 8), body_sha256_hex(wire));
      EXPECT_EQ(entry_field(entries.back(), 6), std::to_string(seq));
    }
    expect_crash_leftovers(step, state);
    EXPECT_EQ(temporary_files(out_dir), std::vector<std::string>{});
    EXPECT_EQ(read_file(ws_.key_file()), key_bytes_) << "key file changed";

    // The same input again: signed (or re-emitted when the crash came after
    // its ledger entry), the lock is free and the ledger is whole.
    auto retry = ws_.sign({"--lock-wait", "5", "--out", out, in}, {}, state);
    ASSERT_EQ(retry.exit_code, 0) << retry.err;
    EXPECT_EQ(ws_.verify(pub_, out).exit_code, 0);
    const auto after_retry = lines_of(read_file(state / "ledger"));
    ASSERT_FALSE(after_retry.empty());
    EXPECT_EQ(entry_field(after_retry.back(), 2), entry_recorded(step) ? "reemit" : "sign");
    EXPECT_EQ(entry_field(after_retry.back(), 8), body_sha256_hex(read_file(out)));

    // And the next seq.
    auto next = ws_.sign(
        {"--out", out_dir / "next.wire",
         ws_.write_input("next-" + t + ".json", cluster_input("mesh.example.com", seq + 1))},
        {}, state);
    ASSERT_EQ(next.exit_code, 0) << next.err;
    auto verify = ws_.run({"ledger", "verify", "--state-dir", state});
    EXPECT_EQ(verify.exit_code, 0) << verify.err;
    // The head caught up with the ledger.
    const auto head = split_fields(read_file(state / "head"));
    ASSERT_EQ(head.size(), 2u);
    EXPECT_EQ(head[0], std::to_string(lines_of(read_file(state / "ledger")).size() - 1));
    EXPECT_EQ(temporary_files(state), std::vector<std::string>{});
  }
}

INSTANTIATE_TEST_SUITE_P(EveryStep, CrashAt, ::testing::ValuesIn(kSignSteps),
                         [](const auto& param) { return std::string(param.param); });

// `ledger import` appends through the same code, one entry per raised mark:
// a crash at any step of the first append leaves a ledger the next run
// accepts, that mark either fully imported or not, the second one not yet;
// importing again completes it.
class ImportCrashAt : public ::testing::TestWithParam<const char*> {};

TEST_P(ImportCrashAt, ImportLeavesAConsistentState) {
  const std::string step = GetParam();
  SignWorkspace ws;
  ws.keygen();
  ws.sign_ok(cluster_input("mesh.example.com", 1), "a.wire");
  ws.sign_ok(bootstrap_input("example.com", 1), "a-boot.wire");
  ASSERT_EQ(ws.ledger("export", {"--out", ws.path("marks.json").string()}).exit_code, 0);
  auto doc = nlohmann::json::parse(read_file(ws.path("marks.json")));
  ASSERT_EQ(doc["marks"].size(), 2u);
  for (auto& mark : doc["marks"])
    mark["seq"] = "50";
  write_file(ws.path("raise.json"), doc.dump());
  const auto imports = [&ws] {
    const auto entries = ws.ledger_entries();
    return std::count_if(entries.begin(), entries.end(),
                         [](const auto& e) { return entry_field(e, 2) == "import"; });
  };

  auto crashed = ws.run({"ledger", "import", "--state-dir", ws.state(), ws.path("raise.json")}, "",
                        DMP_SIGN_FAULTY_BIN, environment_with({"DMP_TEST_CRASH_AT=" + step}));
  ASSERT_EQ(crashed.exit_code, kKilled) << crashed.out << crashed.err;
  expect_crash_leftovers(step, ws.state());
  EXPECT_EQ(imports(), entry_recorded(step) ? 1 : 0);

  // Signing goes on: a mark is either raised or not.
  auto next = ws.sign({"--out", ws.path("b.wire"),
                       ws.write_input("b.json", cluster_input("mesh.example.com", "auto"))});
  ASSERT_EQ(next.exit_code, 0) << next.err;
  const auto seq =
      nlohmann::json::parse(ws.run({"inspect", "--json", ws.path("b.wire")}).out)["seq"];
  EXPECT_TRUE(seq == "2" || (entry_recorded(step) && seq == "51")) << seq;
  EXPECT_EQ(ws.ledger("verify").exit_code, 0);
  EXPECT_EQ(temporary_files(ws.state()), std::vector<std::string>{});

  // The import again raises what is left; the bootstrap mark goes to 50.
  auto again = ws.ledger("import", {ws.path("raise.json").string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto boot = ws.sign({"--out", ws.path("b-boot.wire"),
                       ws.write_input("b-boot.json", bootstrap_input("example.com", "auto"))});
  ASSERT_EQ(boot.exit_code, 0) << boot.err;
  EXPECT_EQ(nlohmann::json::parse(ws.run({"inspect", "--json", ws.path("b-boot.wire")}).out)["seq"],
            "51");
  EXPECT_EQ(ws.ledger("verify").exit_code, 0);
}

INSTANTIATE_TEST_SUITE_P(AppendSteps, ImportCrashAt, ::testing::ValuesIn(kAppendSteps),
                         [](const auto& param) { return std::string(param.param); });

}  // namespace
}  // namespace dmp::test
