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

#include <algorithm>
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
// Every step of `ledger import`'s group commit of two marks: the announcing
// head's replace (#1), the ledger write, the final head's replace (#2).
const char* const kImportSteps[] = {"locked",
                                    "replace_temp_created",
                                    "replace_temp_synced",
                                    "replace_renamed",
                                    "head_announced",
                                    "ledger_written",
                                    "ledger_synced",
                                    "replace_temp_created#2",
                                    "replace_temp_written#2",
                                    "replace_temp_synced#2",
                                    "replace_renamed#2",
                                    "replace_dir_synced#2",
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

// A batch (`sign --out-dir` with three inputs) is one group commit: the head
// announces the batch (" +3"), the three entries are written with one fsync,
// the head moves past them, and only then are the wires written. A crash at
// any step leaves all three entries or none, each wire beside its entry, and
// a state the next run accepts; signing the batch again completes it.
struct BatchCrash {
  const char* name;
  const char* crash_at;  // DMP_TEST_CRASH_AT; "#K": the K-th time
  bool fresh;            // on a ledger without entries (the head is created)
  bool recorded;         // the three entries are in the ledger
  bool announced;        // the head still announces the batch
  bool head_temporary;   // a .head.tmp-* left by a crash inside a replace
  int wires;             // wires written before the crash
};

const BatchCrash kBatchCrashes[] = {
    {"fresh_head_announced", "head_announced", true, false, true, false, 0},
    {"fresh_ledger_synced", "ledger_synced", true, true, true, false, 0},
    {"fresh_head_written", "head_written", true, true, false, false, 0},
    {"verified", "verified", false, false, false, false, 0},
    {"announce_temp_created", "replace_temp_created", false, false, false, true, 0},
    {"announce_temp_synced", "replace_temp_synced", false, false, false, true, 0},
    {"announce_renamed", "replace_renamed", false, false, true, false, 0},
    {"head_announced", "head_announced", false, false, true, false, 0},
    {"ledger_written", "ledger_written", false, true, true, false, 0},
    {"ledger_synced", "ledger_synced", false, true, true, false, 0},
    {"head_temp_created", "replace_temp_created#2", false, true, true, true, 0},
    {"head_temp_written", "replace_temp_written#2", false, true, true, true, 0},
    {"head_renamed", "replace_renamed#2", false, true, false, false, 0},
    {"head_dir_synced", "replace_dir_synced#2", false, true, false, false, 0},
    {"head_written", "head_written", false, true, false, false, 0},
    {"first_wire", "wire_written", false, true, false, false, 1},
    {"second_wire", "wire_written#2", false, true, false, false, 2},
    {"third_wire", "wire_written#3", false, true, false, false, 3},
};

class BatchCrashAt : public ::testing::TestWithParam<BatchCrash> {};

std::vector<fs::path> wires_in(const fs::path& dir) {
  std::vector<fs::path> found;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".wire") found.push_back(e.path());
  std::sort(found.begin(), found.end());
  return found;
}

TEST_P(BatchCrashAt, BatchIsAllOrNothing) {
  const BatchCrash& c = GetParam();
  ASSERT_GE(sodium_init(), 0);
  SignWorkspace ws;
  const std::string pub = ws.keygen();
  if (!c.fresh) ws.sign_ok(cluster_input("pre.example.com", 1), "pre.wire");
  const std::vector<std::string> names{"a.example.com", "b.example.com", "c.example.com"};
  std::vector<std::string> args{"--out-dir", ws.path("out")};
  for (const auto& name : names)
    args.push_back(ws.write_input(name + ".json", cluster_input(name, 4)));
  fs::create_directory(ws.path("out"));
  const auto before = ws.ledger_entries();

  auto crashed = ws.run(ws.sign_args(args), "", DMP_SIGN_FAULTY_BIN,
                        environment_with({"DMP_TEST_CRASH_AT=" + std::string(c.crash_at)}));
  ASSERT_EQ(crashed.exit_code, kKilled) << "did not crash at " << c.crash_at << ": " << crashed.err;

  // All three entries or none, after the earlier ones unchanged.
  const auto entries = ws.ledger_entries();
  ASSERT_EQ(entries.size(), before.size() + (c.recorded ? 3 : 0));
  EXPECT_TRUE(std::equal(before.begin(), before.end(), entries.begin())) << "earlier entries";
  const auto head = split_fields(read_file(ws.head_file()));
  ASSERT_EQ(head.size(), c.announced ? 3u : 2u) << read_file(ws.head_file());
  if (c.announced) {
    EXPECT_EQ(head[2], "+3");
  }
  EXPECT_EQ(head[0], std::to_string(c.recorded && !c.announced ? entries.size() : before.size()));
  // Each wire written is verified and has its own entry, for its body.
  const auto wires = wires_in(ws.path("out"));
  ASSERT_EQ(wires.size(), static_cast<std::size_t>(c.wires));
  for (const auto& wire : wires) {
    EXPECT_EQ(ws.verify(pub, wire).exit_code, 0) << wire;
    const std::string body = body_sha256_hex(read_file(wire));
    EXPECT_EQ(
        std::count_if(entries.begin() + static_cast<std::ptrdiff_t>(before.size()), entries.end(),
                      [&](const std::string& e) { return entry_field(e, 8) == body; }),
        1)
        << wire;
  }
  EXPECT_EQ(temporary_files(ws.path("out")), std::vector<std::string>{});
  const auto left = temporary_files(ws.state());
  ASSERT_EQ(left.size(), c.head_temporary ? 1u : 0u);
  if (c.head_temporary) {
    EXPECT_NE(left[0].find("/.head.tmp-"), std::string::npos) << left[0];
  }

  // The batch again: the state is accepted, every wire is written, the
  // recorded entries are re-emitted (same seq, same bodies), the rest signed.
  auto retry =
      ws.sign({"--lock-wait", "5", "--out-dir", ws.path("out"), args[2], args[3], args[4]});
  ASSERT_EQ(retry.exit_code, 0) << retry.err;
  const auto after = ws.ledger_entries();
  ASSERT_EQ(after.size(), entries.size() + 3);
  for (std::size_t i = entries.size(); i < after.size(); ++i) {
    EXPECT_EQ(entry_field(after[i], 2), c.recorded ? "reemit" : "sign") << after[i];
    EXPECT_EQ(entry_field(after[i], 6), "4");
  }
  ASSERT_EQ(wires_in(ws.path("out")).size(), 3u);
  for (const auto& wire : wires_in(ws.path("out")))
    EXPECT_EQ(ws.verify(pub, wire).exit_code, 0);
  EXPECT_EQ(ws.ledger("verify").exit_code, 0);
  EXPECT_EQ(
      split_fields(read_file(ws.head_file())),
      (std::vector<std::string>{std::to_string(after.size()), entry_field(after.back(), 11)}));
  EXPECT_EQ(temporary_files(ws.state()), std::vector<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(EveryStep, BatchCrashAt, ::testing::ValuesIn(kBatchCrashes),
                         [](const auto& param) { return std::string(param.param.name); });

// `ledger import` appends its raised marks as one group commit: a crash at
// any step leaves a ledger the next run accepts, with every mark imported or
// none; importing again completes it.
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
  const std::string base = step.substr(0, step.find('#'));
  expect_crash_leftovers(base, ws.state());
  // Recorded once the lines are written (the ledger write comes after the
  // announcing replace, before the second).
  const bool recorded = step.find('#') != std::string::npos || step == "ledger_written" ||
                        step == "ledger_synced" || step == "head_written";
  EXPECT_EQ(imports(), recorded ? 2 : 0);

  // Signing goes on: a mark is either raised or not.
  auto next = ws.sign({"--out", ws.path("b.wire"),
                       ws.write_input("b.json", cluster_input("mesh.example.com", "auto"))});
  ASSERT_EQ(next.exit_code, 0) << next.err;
  const auto seq =
      nlohmann::json::parse(ws.run({"inspect", "--json", ws.path("b.wire")}).out)["seq"];
  EXPECT_EQ(seq, recorded ? "51" : "2");
  EXPECT_EQ(ws.ledger("verify").exit_code, 0);
  EXPECT_EQ(temporary_files(ws.state()), std::vector<std::string>{});

  // The import again raises what is left (nothing, when the crash came after
  // the commit); the bootstrap mark is at 50.
  auto again = ws.ledger("import", {ws.path("raise.json").string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto boot = ws.sign({"--out", ws.path("b-boot.wire"),
                       ws.write_input("b-boot.json", bootstrap_input("example.com", "auto"))});
  ASSERT_EQ(boot.exit_code, 0) << boot.err;
  EXPECT_EQ(nlohmann::json::parse(ws.run({"inspect", "--json", ws.path("b-boot.wire")}).out)["seq"],
            "51");
  EXPECT_EQ(ws.ledger("verify").exit_code, 0);
}

INSTANTIATE_TEST_SUITE_P(AppendSteps, ImportCrashAt, ::testing::ValuesIn(kImportSteps),
                         [](const auto& param) {
                           std::string name = param.param;
                           std::replace(name.begin(), name.end(), '#', '_');
                           return name;
                         });

}  // namespace
}  // namespace dmp::test
