// The ledger's custody through the real dmp-sign: a deleted head is never
// repaired silently (only `ledger repair`, with consent), the anchor that the
// operator writes in the paper log catches a rolled-back or restored state
// dir, the ledger, head and lock are checked on their descriptors (owner,
// mode, links, symlinks, FIFOs), and `ledger import` refuses, all or nothing,
// what the ledger could not read back.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

#include "sign/sign_test_support.hpp"

namespace dmp::test {
namespace {

constexpr int kExitInsecure = 6;
constexpr int kExitIo = 7;

class LedgerCustody : public ::testing::Test {
 protected:
  void SetUp() override {
    pub_ = ws_.keygen();
    for (int seq = 1; seq <= 3; ++seq) {
      ws_.sign_ok(cluster_input("mesh.example.com", seq),
                  std::string("s").append(std::to_string(seq)) + ".wire");
    }
    ASSERT_EQ(ws_.ledger_entries().size(), 3u);
  }

  ProcessResult sign_seq(int seq, const std::string& out) {
    return ws_.sign({"--out", ws_.path(out).string(),
                     ws_.write_input(out + ".json", cluster_input("mesh.example.com", seq))});
  }

  // The attack: drop the last ledger line and delete head. Returns the
  // ledger's new text.
  std::string drop_last_entry_and_head() {
    auto lines = lines_of(read_file(ws_.ledger_file()));
    lines.pop_back();
    std::string text;
    for (const auto& l : lines)
      text += l + "\n";
    write_file(ws_.ledger_file(), text);
    fs::remove(ws_.head_file());
    return text;
  }

  std::string anchor() {
    auto r = ws_.ledger("anchor");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string text = r.out;
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  }

  SignWorkspace ws_;
  std::string pub_;
};

// --- the head is never recreated behind the operator's back -----------------------

TEST_F(LedgerCustody, DroppedLastEntryAndDeletedHeadAreRefusedNotRepaired) {
  // The reproduction: drop the last line, delete head, sign seq 3 again.
  const std::string text = drop_last_entry_and_head();

  auto r = sign_seq(3, "again.wire");
  EXPECT_EQ(r.exit_code, kExitLedger) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "ledger_corrupt"));
  EXPECT_NE(r.err.find("head"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ledger repair"), std::string::npos) << r.err;  // says what to do
  EXPECT_FALSE(fs::exists(ws_.path("again.wire")));
  EXPECT_FALSE(fs::exists(ws_.head_file()));
  EXPECT_EQ(read_file(ws_.ledger_file()), text);
  EXPECT_EQ(ws_.ledger("verify").exit_code, kExitLedger);
}

TEST_F(LedgerCustody, RepairNeedsConsentAndTheAnchorStillCatchesTheRollback) {
  const std::string before = anchor();
  ASSERT_EQ(before.rfind("3:", 0), 0u) << before;
  const std::string text = drop_last_entry_and_head();

  // Without a terminal and without --yes nothing is rewritten.
  auto r = ws_.ledger("repair");
  EXPECT_EQ(r.exit_code, kExitNotConfirmed) << r.out << r.err;
  EXPECT_NE(r.out.find("old head: missing"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("WARNING"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(ws_.head_file()));

  r = ws_.ledger("repair", {"--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("head rewritten: 2 entries"), std::string::npos) << r.out;
  EXPECT_EQ(ws_.ledger("verify").exit_code, 0);
  EXPECT_EQ(anchor().rfind("2:", 0), 0u);

  // The paper log's anchor is what proves the rollback now.
  r = ws_.ledger("verify", {"--expect-head", before});
  EXPECT_EQ(r.exit_code, kExitLedger) << r.out << r.err;
  EXPECT_TRUE(one_line_refusal(r, "ledger_corrupt"));
  EXPECT_NE(r.err.find("rolled back"), std::string::npos) << r.err;

  // A second repair has nothing to do.
  r = ws_.ledger("repair", {"--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("nothing to repair"), std::string::npos) << r.out;
}

TEST_F(LedgerCustody, RepairRefusesABrokenChain) {
  auto lines = lines_of(read_file(ws_.ledger_file()));
  std::swap(lines[1], lines[2]);  // entries 1 and 2 out of order
  std::string text;
  for (const auto& l : lines)
    text += l + "\n";
  write_file(ws_.ledger_file(), text);
  const std::string head = read_file(ws_.head_file());
  auto r = ws_.ledger("repair", {"--yes"});
  EXPECT_EQ(r.exit_code, kExitLedger) << r.out << r.err;
  EXPECT_EQ(read_file(ws_.head_file()), head);
  EXPECT_EQ(read_file(ws_.ledger_file()), text);
}

TEST_F(LedgerCustody, TornTailDropIsReportedOnStderr) {
  const std::string intact = read_file(ws_.ledger_file());
  write_file(ws_.ledger_file(), intact + "4 1900000000 sign clus");
  auto r = sign_seq(4, "s4.wire");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("dropped a torn last line"), std::string::npos) << r.err;
  EXPECT_EQ(ws_.ledger("verify").exit_code, 0);
}

// --- the anchor -------------------------------------------------------------------

TEST_F(LedgerCustody, AnchorIsPrintedBySignShowAndAnchorAlike) {
  const std::string a = anchor();
  const auto colon = a.find(':');
  ASSERT_NE(colon, std::string::npos) << a;
  EXPECT_EQ(a.substr(0, colon), "3");
  EXPECT_EQ(a.size(), colon + 1 + 64);

  auto show = ws_.ledger("show");
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("anchor " + a), std::string::npos) << show.out;

  auto json = ws_.ledger("anchor", {"--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["count"], 3);
  EXPECT_EQ(j["head"], a.substr(colon + 1));

  auto r = sign_seq(4, "s4.wire");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string now = anchor();
  EXPECT_NE(now, a);
  EXPECT_NE(r.err.find("ledger anchor before: " + a), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ledger anchor now " + now), std::string::npos) << r.err;
}

TEST_F(LedgerCustody, ExpectHeadAcceptsTheSameOrAGrownLedger) {
  const std::string a = anchor();
  auto r = ws_.ledger("verify", {"--expect-head", a});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("matches the expected anchor"), std::string::npos) << r.out;

  ASSERT_EQ(sign_seq(4, "s4.wire").exit_code, 0);
  ASSERT_EQ(sign_seq(5, "s5.wire").exit_code, 0);
  r = ws_.ledger("verify", {"--expect-head", a});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2 entries added since"), std::string::npos) << r.out;
  // The hash alone (without N:) is found wherever it is in the chain.
  r = ws_.ledger("verify", {"--expect-head", a.substr(a.find(':') + 1)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2 entries added since"), std::string::npos) << r.out;
  // The empty ledger's anchor is contained in every ledger.
  r = ws_.ledger("verify", {"--expect-head", "0:" + std::string(64, '0')});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(LedgerCustody, ARestoredOlderStateDirFailsTheAnchor) {
  // A copy of the state dir taken at 3 entries, restored after 2 more.
  const fs::path saved = ws_.path("state-backup");
  fs::copy(ws_.state(), saved, fs::copy_options::recursive);
  ASSERT_EQ(sign_seq(4, "s4.wire").exit_code, 0);
  ASSERT_EQ(sign_seq(5, "s5.wire").exit_code, 0);
  const std::string paper_log = anchor();
  fs::remove_all(ws_.state());
  fs::rename(saved, ws_.state());
  fs::permissions(ws_.state(), fs::perms::owner_all);
  EXPECT_EQ(ws_.ledger("verify").exit_code, 0);  // self-consistent, only the anchor knows
  auto r = ws_.ledger("verify", {"--expect-head", paper_log});
  EXPECT_EQ(r.exit_code, kExitLedger) << r.out << r.err;
  EXPECT_TRUE(one_line_refusal(r, "ledger_corrupt"));
  EXPECT_NE(r.err.find("rolled back or rewritten"), std::string::npos) << r.err;
}

TEST_F(LedgerCustody, MalformedExpectedAnchorsAreUsageErrors) {
  for (const std::string& bad :
       {std::string("3:abc"), std::string("x:") + std::string(64, 'a'), std::string(63, 'a'),
        "0:" + std::string(64, 'a'), "3:" + std::string(64, '0'), std::string("")}) {
    if (bad.empty()) continue;
    auto r = ws_.ledger("verify", {"--expect-head", bad});
    EXPECT_EQ(r.exit_code, kExitUsage) << bad << ": " << r.err;
    EXPECT_NE(r.err.find("--expect-head"), std::string::npos) << r.err;
  }
  // An anchor of the right shape that this chain never had.
  auto r = ws_.ledger("verify", {"--expect-head", "2:" + std::string(64, 'a')});
  EXPECT_EQ(r.exit_code, kExitLedger) << r.err;
}

// --- the state files are checked on their descriptors -----------------------------

class StateFileChecks : public LedgerCustody, public ::testing::WithParamInterface<const char*> {
 protected:
  fs::path file() const { return ws_.state() / GetParam(); }

  // sign refuses with `code`; nothing is written.
  void expect_sign_refused(int code, const std::string& what) {
    // (Reading a FIFO planted at the ledger's path would block this test.)
    const bool is_ledger = std::string(GetParam()) == "ledger";
    const std::string ledger_before = is_ledger ? "" : read_file(ws_.ledger_file());
    auto r = sign_seq(4, "x.wire");
    EXPECT_EQ(r.exit_code, code) << r.err;
    EXPECT_EQ(lines_of(r.err).size(), 1u) << r.err;
    EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(ws_.path("x.wire")));
    if (!is_ledger) {
      EXPECT_EQ(read_file(ws_.ledger_file()), ledger_before);
    }
  }
};

TEST_P(StateFileChecks, GroupReadableIsRefused) {
  ASSERT_EQ(::chmod(file().c_str(), 0640), 0);
  expect_sign_refused(kExitInsecure, "chmod 600");
}

TEST_P(StateFileChecks, HardLinkIsRefused) {
  fs::create_hard_link(file(), ws_.path("other-name"));
  expect_sign_refused(kExitInsecure, "hard links");
}

TEST_P(StateFileChecks, SymlinkIsRefused) {
  const fs::path real = ws_.path(std::string("real-") + GetParam());
  fs::rename(file(), real);
  fs::create_symlink(real, file());
  expect_sign_refused(kExitInsecure, "symbolic link");
}

TEST_P(StateFileChecks, FifoIsRefusedWithoutHanging) {
  fs::remove(file());
  ASSERT_EQ(::mkfifo(file().c_str(), 0600), 0);
  expect_sign_refused(kExitIo, "not a regular file");
}

TEST_P(StateFileChecks, ForeignOwnerIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to chown the file to another user";
  ASSERT_EQ(::chown(file().c_str(), 65534, 65534), 0);
  expect_sign_refused(kExitInsecure, "owned by uid 65534");
}

INSTANTIATE_TEST_SUITE_P(LedgerHeadLock, StateFileChecks,
                         ::testing::Values("ledger", "head", "lock"));

TEST_F(LedgerCustody, AStateDirectoryOthersCanEnterIsRefused) {
  const std::string ledger_before = read_file(ws_.ledger_file());
  for (const mode_t mode : {0750, 0705, 0701}) {
    ASSERT_EQ(::chmod(ws_.state().c_str(), mode), 0);
    auto r = sign_seq(4, "x.wire");
    EXPECT_EQ(r.exit_code, kExitInsecure) << std::oct << mode << ": " << r.err;
    EXPECT_TRUE(one_line_refusal(r, "insecure_file")) << r.err;
    EXPECT_NE(r.err.find("chmod 700"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(ws_.path("x.wire")));
  }
  EXPECT_EQ(read_file(ws_.ledger_file()), ledger_before);
  ASSERT_EQ(::chmod(ws_.state().c_str(), 0700), 0);
  EXPECT_EQ(sign_seq(4, "x.wire").exit_code, 0);
}

TEST_F(LedgerCustody, VerifyChecksTheLedgerAndHeadToo) {
  ASSERT_EQ(::chmod(ws_.head_file().c_str(), 0644), 0);
  auto r = ws_.ledger("verify");
  EXPECT_EQ(r.exit_code, kExitInsecure) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "insecure_file"));
}

// --- import refuses what the ledger could not read back ---------------------------

class LedgerImportLimits : public LedgerCustody {
 protected:
  nlohmann::json marks() {
    auto r = ws_.ledger("export", {"--out", "-"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }

  void expect_import_refused(const nlohmann::json& doc, const std::string& what) {
    const std::string ledger_before = read_file(ws_.ledger_file());
    const std::string head_before = read_file(ws_.head_file());
    write_file(ws_.path("import.json"), doc.dump());
    auto r = ws_.run({"ledger", "import", "--state-dir", ws_.state(), ws_.path("import.json")});
    EXPECT_EQ(r.exit_code, kExitInvalid) << r.out << r.err;
    EXPECT_TRUE(one_line_refusal(r, "invalid_field"));
    EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
    EXPECT_EQ(read_file(ws_.ledger_file()), ledger_before);
    EXPECT_EQ(read_file(ws_.head_file()), head_before);
    // And the ledger still reads and signs.
    EXPECT_EQ(ws_.ledger("verify").exit_code, 0);
  }
};

TEST_F(LedgerImportLimits, ANameLongerThanTheFormatAllowsIsRefused) {
  auto doc = marks();
  ASSERT_EQ(doc["marks"].size(), 1u);
  std::string huge;
  while (huge.size() < 3967)
    huge += "a.";
  huge.resize(3967);
  huge.back() = 'a';
  doc["marks"][0]["name"] = huge;
  doc["marks"][0]["seq"] = "50";
  expect_import_refused(doc, "longer than 64 bytes");
  EXPECT_EQ(sign_seq(4, "s4.wire").exit_code, 0);
}

TEST_F(LedgerImportLimits, AControlByteInANameIsRefused) {
  auto doc = marks();
  doc["marks"][0]["name"] = "mesh\x1b[2J.example.com";
  doc["marks"][0]["seq"] = "50";
  expect_import_refused(doc, "name");
}

TEST_F(LedgerImportLimits, OneBadMarkRefusesTheWholeDocument) {
  auto doc = marks();
  auto good = doc["marks"][0];
  good["name"] = "other.example.com";
  good["seq"] = "7";
  auto bad = doc["marks"][0];
  bad["name"] = std::string(40, 'a') + "." + std::string(40, 'b');  // 81 bytes
  bad["seq"] = "8";
  doc["marks"] = nlohmann::json::array({good, bad});
  expect_import_refused(doc, "marks[1].name: longer than 64 bytes");
  auto show = ws_.ledger("show");
  EXPECT_EQ(show.out.find("other.example.com"), std::string::npos) << show.out;
}

}  // namespace
}  // namespace dmp::test
