// dmp-sign backup split / restore / check with sheets on disk, through the
// real binary: the sheets' form and modes, any threshold of shares restores
// and fewer are refused (groups too), a one-word change and swapped words are
// caught, a share of another set or twice the same is named, --expect-public
// writes nothing on a mismatch, the SLIP-39 passphrase is its own option, the
// drill on a key-file copy unlocks it, and a split -> restore key signs a
// reference vector to its exact wire.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sign/sign_test_support.hpp"
#include "support/vectors.hpp"

namespace dmp::test {
namespace {

constexpr int kExitKey = 4;  // key format or key mismatch (signer/sign/exit_codes.hpp)
constexpr int kExitIo = 7;

mode_t mode_of(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// The one line of a sheet that is not a comment.
std::string mnemonic_of(const fs::path& sheet) {
  std::string found;
  int count = 0;
  for (const auto& line : lines_of(read_file(sheet))) {
    if (!line.empty() && line[0] != '#') {
      found = line;
      ++count;
    }
  }
  EXPECT_EQ(count, 1) << sheet;
  return found;
}

std::vector<std::string> words_of(const std::string& mnemonic) {
  return split_fields(mnemonic);
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words)
    out += (out.empty() ? "" : " ") + w;
  return out;
}

class BackupCli : public ::testing::Test {
 protected:
  void SetUp() override { pub_ = ws_.keygen(); }

  ProcessResult split(std::vector<std::string> layout, const std::string& dir = "shares") {
    std::vector<std::string> args{
        "backup",        "split",     "--key",      ws_.key_file(), "--passphrase-file",
        ws_.pass_file(), "--out-dir", ws_.path(dir)};
    args.insert(args.end(), layout.begin(), layout.end());
    return ws_.run(args);
  }
  fs::path sheet(const std::string& name, const std::string& dir = "shares") const {
    return ws_.path(dir) / (name + ".txt");
  }
  ProcessResult check(const std::vector<fs::path>& sheets, const std::string& pub = "") {
    std::vector<std::string> args{"backup", "check", "--expect-public", pub.empty() ? pub_ : pub};
    for (const auto& s : sheets) {
      args.push_back("--share-file");
      args.push_back(s);
    }
    return ws_.run(args);
  }
  ProcessResult restore(const std::vector<fs::path>& sheets, const fs::path& out,
                        std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"backup",      "restore",           "--out",        out, "--kdf",
                                  "interactive", "--passphrase-file", ws_.pass_file()};
    for (const auto& s : sheets) {
      args.push_back("--share-file");
      args.push_back(s);
    }
    args.insert(args.end(), extra.begin(), extra.end());
    return ws_.run(args);
  }
  // A sheet of our own making: the given mnemonic line, 0600.
  fs::path write_sheet(const std::string& name, const std::string& mnemonic) const {
    const fs::path path = ws_.path(name);
    write_private_file(path, "# hand-copied share\n" + mnemonic + "\n");
    return path;
  }

  SignWorkspace ws_;
  std::string pub_;
};

TEST_F(BackupCli, SplitWritesPrivateSheetsOfOneMnemonicEach) {
  auto r = split({"--threshold", "2", "--shares", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(mode_of(ws_.path("shares")), 0700u);
  std::vector<std::string> mnemonics;
  for (const char* name : {"share-1-1", "share-1-2", "share-1-3"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(mode_of(sheet(name)), 0600u);
    EXPECT_EQ(mode_of(ws_.path("shares") / (std::string(name) + ".png")), 0600u);
    const std::string text = read_file(sheet(name));
    const std::string mnemonic = mnemonic_of(sheet(name));
    EXPECT_EQ(words_of(mnemonic).size(), 33u);
    EXPECT_EQ(joined(words_of(mnemonic)), mnemonic) << "single spaces";
    // Every other line is a comment, and the sheet says what it restores.
    for (const auto& line : lines_of(text))
      if (line != mnemonic) {
        EXPECT_EQ(line.rfind('#', 0), 0u) << line;
      }
    EXPECT_NE(text.find("# restores:    public key " + pub_), std::string::npos);
    EXPECT_NE(text.find("# fingerprint: dmp1:"), std::string::npos);
    EXPECT_NE(text.find("# threshold:   2 shares of group 1"), std::string::npos);
    EXPECT_NE(text.find("# made:        20"), std::string::npos);
    // The words numbered for copying by hand: word 12 heads the second column.
    EXPECT_NE(text.find(" 12 " + words_of(mnemonic)[11]), std::string::npos);
    mnemonics.push_back(mnemonic);
  }
  EXPECT_NE(mnemonics[0], mnemonics[1]);
  EXPECT_NE(r.out.find("into 3 SLIP-39 shares: 2 of 3 shares"), std::string::npos) << r.out;
}

TEST_F(BackupCli, QrCodeBesideTheSheetHoldsTheMnemonic) {
  DMP_REQUIRE_PREREQUISITE(fs::exists("/usr/bin/zbarimg"), "zbarimg (zbar-tools)");
  ASSERT_EQ(split({"--threshold", "2", "--shares", "2"}).exit_code, 0);
  auto z = run_process(
      {"/usr/bin/zbarimg", "--quiet", "--raw", (ws_.path("shares") / "share-1-2.png").string()});
  ASSERT_EQ(z.exit_code, 0) << z.err;
  std::string upper = mnemonic_of(sheet("share-1-2"));
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  EXPECT_EQ(z.out, upper + "\n");
  // And the scanned words restore, as typed from it would.
  const fs::path scanned = write_sheet("scanned.txt", z.out);
  EXPECT_EQ(check({scanned, sheet("share-1-1")}).exit_code, 0);
}

TEST_F(BackupCli, AnyTwoOfThreeRestoreAndOneIsRefused) {
  ASSERT_EQ(split({"--threshold", "2", "--shares", "3"}).exit_code, 0);
  const std::vector<std::pair<int, int>> pairs{{1, 2}, {1, 3}, {2, 3}, {3, 1}};
  for (const auto& [a, b] : pairs) {
    SCOPED_TRACE(std::to_string(a) + "+" + std::to_string(b));
    auto r = check({sheet("share-1-" + std::to_string(a)), sheet("share-1-" + std::to_string(b))});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("backup check passed"), std::string::npos);
  }
  auto one = check({sheet("share-1-2")});
  EXPECT_EQ(one.exit_code, kExitKey);
  EXPECT_NE(one.err.find("not enough shares to restore the key: group 1: 1 of 2 shares"),
            std::string::npos)
      << one.err;
  // A third share beyond the threshold is not needed, and does no harm.
  EXPECT_EQ(check({sheet("share-1-1"), sheet("share-1-2"), sheet("share-1-3")}).exit_code, 0);
  // But every sheet handed to the drill is read: a damaged one past the
  // threshold fails it.
  const fs::path damaged = write_sheet("damaged.txt", "garbage words here");
  auto bad = check({sheet("share-1-1"), sheet("share-1-2"), damaged});
  EXPECT_EQ(bad.exit_code, kExitKey) << bad.err;
  EXPECT_NE(bad.err.find("damaged.txt"), std::string::npos) << bad.err;
}

TEST_F(BackupCli, GroupsNeedTheirThresholdsOfShares) {
  auto r = split({"--group", "2of3", "--group", "1of2", "--group-threshold", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2 of 2 groups (2 of 3, 1 of 2)"), std::string::npos) << r.out;
  // Group 2, "1of2": the standard splits it 1-of-1 (it refuses 1-of-N
  // member shares), so its one share is written twice, each copy the group.
  for (const char* name : {"share-1-1", "share-1-2", "share-1-3", "share-2-1", "share-2-1-copy2"})
    EXPECT_TRUE(fs::exists(sheet(name))) << name;
  EXPECT_FALSE(fs::exists(sheet("share-2-2")));
  EXPECT_EQ(mnemonic_of(sheet("share-2-1")), mnemonic_of(sheet("share-2-1-copy2")));
  EXPECT_NE(read_file(sheet("share-2-1-copy2")).find("copy 2 of 2 of the group's one share"),
            std::string::npos);
  EXPECT_EQ(check({sheet("share-1-1"), sheet("share-1-3"), sheet("share-2-1-copy2")}).exit_code, 0);
  EXPECT_EQ(check({sheet("share-2-1"), sheet("share-1-2"), sheet("share-1-1")}).exit_code, 0);
  // Group 1 complete, group 2 missing: one group of the two needed.
  auto short_one = check({sheet("share-1-1"), sheet("share-1-2")});
  EXPECT_EQ(short_one.exit_code, kExitKey);
  EXPECT_NE(short_one.err.find("groups complete: 1 of 2"), std::string::npos) << short_one.err;
  // Both groups started, group 1 one share short.
  EXPECT_EQ(check({sheet("share-1-1"), sheet("share-2-1")}).exit_code, kExitKey);
}

TEST_F(BackupCli, ThresholdOneIsWarnedAndEachShareAloneRestores) {
  auto r = split({"--threshold", "1", "--shares", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: a threshold of 1"), std::string::npos) << r.err;
  // The standard's form of 1-of-N: N groups of one share, one group needed.
  EXPECT_EQ(check({ws_.path("shares") / "share-1-1.txt"}).exit_code, 0);
  EXPECT_EQ(check({ws_.path("shares") / "share-2-1.txt"}).exit_code, 0);
}

TEST_F(BackupCli, ImpossibleLayoutsAreRefusedBeforeTheKeyIsUnlocked) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--threshold", "3", "--shares", "2"}, "threshold 3 is more than the 2 shares"},
      {{"--threshold", "0", "--shares", "2"}, "give --threshold T --shares N"},
      {{"--threshold", "2", "--shares", "17"}, "SLIP-39 makes 1 to 16 shares per group"},
      {{"--group", "2of3", "--group", "3of2", "--group-threshold", "1"}, "--group 3of2"},
      {{"--group", "2of3", "--group", "1of2", "--group-threshold", "3"}, "--group-threshold"},
      {{"--group", "two", "--group-threshold", "1"}, "write a group as TofN"},
  };
  for (const auto& [layout, message] : cases) {
    SCOPED_TRACE(message);
    auto r = split(layout, "refused");
    EXPECT_EQ(r.exit_code, kExitUsage) << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
    EXPECT_FALSE(fs::exists(ws_.path("refused")));
  }
}

TEST_F(BackupCli, SheetDirectoryIs0700WhateverTheUmaskAndTrailingSlashIsTheSameName) {
  const mode_t old_umask = ::umask(0077 | 0700);  // the child inherits it
  auto r = split({"--threshold", "2", "--shares", "2"}, "shares/");
  ::umask(old_umask);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(mode_of(ws_.path("shares")), 0700u);
}

TEST_F(BackupCli, OutDirMustBeNew) {
  fs::create_directory(ws_.path("shares"));
  auto r = split({"--threshold", "2", "--shares", "3"});
  EXPECT_EQ(r.exit_code, kExitIo) << r.err;
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_empty(ws_.path("shares")));
}

TEST_F(BackupCli, ACrashWhileWritingSheetsLeavesNoPartialSet) {
  // SIGKILL after the second sheet: the set is in a temporary directory that
  // was never renamed into place, so no share directory looks complete.
  std::vector<std::string> args{
      "backup",        "split",           "--key", ws_.key_file(), "--passphrase-file",
      ws_.pass_file(), "--threshold",     "2",     "--shares",     "3",
      "--out-dir",     ws_.path("shares")};
  auto crashed = ws_.run(args, "", DMP_SIGN_FAULTY_BIN,
                         environment_with({"DMP_TEST_CRASH_AT=sheet_written#2"}));
  ASSERT_EQ(crashed.exit_code, kKilled) << crashed.err;
  EXPECT_FALSE(fs::exists(ws_.path("shares")));
  std::vector<fs::path> left;
  for (const auto& e : fs::directory_iterator(ws_.root()))
    if (e.path().filename().string().rfind(".shares.tmp-", 0) == 0) left.push_back(e.path());
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(mode_of(left[0]), 0700u);
  // The split runs again into the same name, and says what the crash left.
  auto again = split({"--threshold", "2", "--shares", "3"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find(left[0].string() + " is left from an interrupted backup split"),
            std::string::npos)
      << again.err;
  EXPECT_EQ(check({sheet("share-1-1"), sheet("share-1-2")}).exit_code, 0);
}

TEST_F(BackupCli, Pkcs11KeyIsRefusedWithItsBackupStory) {
  auto r = ws_.run({"backup", "split", "--key", "pkcs11:token=t;object=o", "--threshold", "2",
                    "--shares", "3", "--out-dir", ws_.path("shares")});
  EXPECT_EQ(r.exit_code, kExitUsage) << r.err;
  EXPECT_NE(r.err.find("non-extractable"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("second token"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(ws_.path("shares")));
}

TEST_F(BackupCli, OneChangedWordAndTwoSwappedWordsAreCaughtByTheChecksum) {
  ASSERT_EQ(split({"--threshold", "2", "--shares", "3"}).exit_code, 0);
  auto words = words_of(mnemonic_of(sheet("share-1-2")));
  auto changed = words;
  changed[20] = changed[20] == "academic" ? "acid" : "academic";
  auto swapped = words;
  std::swap(swapped[10], swapped[11]);
  ASSERT_NE(swapped, words) << "two equal words; pick others";
  for (const auto& bad : {changed, swapped}) {
    const fs::path typo = write_sheet("typo.txt", joined(bad));
    auto r = restore({sheet("share-1-1"), typo}, ws_.path("r.key"));
    EXPECT_EQ(r.exit_code, kExitKey) << r.err;
    EXPECT_NE(r.err.find("typo.txt"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("checksum"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(ws_.path("r.key")));
    fs::remove(typo);
  }
}

TEST_F(BackupCli, SharesOfAnotherSetAndDuplicatesAreNamed) {
  ASSERT_EQ(split({"--threshold", "2", "--shares", "3"}, "a").exit_code, 0);
  ASSERT_EQ(split({"--threshold", "2", "--shares", "3"}, "b").exit_code, 0);
  auto mixed = restore({sheet("share-1-1", "a"), sheet("share-1-2", "b")}, ws_.path("r.key"));
  EXPECT_EQ(mixed.exit_code, kExitKey) << mixed.err;
  EXPECT_NE(mixed.err.find("b/share-1-2.txt"), std::string::npos) << mixed.err;
  EXPECT_NE(mixed.err.find("from another set of shares"), std::string::npos) << mixed.err;
  const fs::path copy = write_sheet("copy.txt", mnemonic_of(sheet("share-1-1", "a")));
  auto twice = restore({sheet("share-1-1", "a"), copy}, ws_.path("r.key"));
  EXPECT_EQ(twice.exit_code, kExitKey) << twice.err;
  EXPECT_NE(twice.err.find("duplicate share: group 1 member 1"), std::string::npos) << twice.err;
  EXPECT_FALSE(fs::exists(ws_.path("r.key")));
}

TEST_F(BackupCli, ShareFilesMustBePrivate) {
  ASSERT_EQ(split({"--threshold", "2", "--shares", "3"}).exit_code, 0);
  fs::permissions(sheet("share-1-2"), fs::perms::group_read | fs::perms::others_read,
                  fs::perm_options::add);
  auto r = check({sheet("share-1-1"), sheet("share-1-2")});
  EXPECT_EQ(r.exit_code, 6) << r.err;  // insecure file
  EXPECT_NE(r.err.find("chmod 600"), std::string::npos) << r.err;
}

TEST_F(BackupCli, RestoreWritesAnEncryptedKeyOnlyForTheExpectedKey) {
  ASSERT_EQ(split({"--threshold", "2", "--shares", "3"}).exit_code, 0);
  const std::string other = SignWorkspace().keygen();
  auto wrong = restore({sheet("share-1-1"), sheet("share-1-3")}, ws_.path("r.key"),
                       {"--expect-public", other});
  EXPECT_EQ(wrong.exit_code, kExitKey) << wrong.err;
  EXPECT_NE(wrong.err.find("not the expected key; nothing written"), std::string::npos);
  EXPECT_FALSE(fs::exists(ws_.path("r.key")));

  auto r = restore({sheet("share-1-1"), sheet("share-1-3")}, ws_.path("r.key"),
                   {"--expect-public", pub_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(mode_of(ws_.path("r.key")), 0600u);
  EXPECT_EQ(ws_.run({"pubkey", "--key", ws_.path("r.key")}).out, pub_ + "\n");
  // An encrypted key file like keygen's: the passphrase unlocks it.
  auto drill = ws_.run({"backup", "check", "--expect-public", pub_, "--key", ws_.path("r.key"),
                        "--passphrase-file", ws_.pass_file()});
  EXPECT_EQ(drill.exit_code, 0) << drill.err;
  // Never over an existing file.
  auto again = restore({sheet("share-1-1"), sheet("share-1-3")}, ws_.path("r.key"));
  EXPECT_NE(again.exit_code, 0);
}

TEST_F(BackupCli, Slip39PassphraseIsItsOwnOption) {
  write_private_file(ws_.path("slip39-pass"), "shares passphrase\n");
  ASSERT_EQ(split({"--threshold", "2", "--shares", "3", "--slip39-passphrase-file",
                   ws_.path("slip39-pass")})
                .exit_code,
            0);
  // Without it the shares give another key (the standard's plausible
  // deniability): the drill fails, naming the passphrase.
  auto without = restore({sheet("share-1-1"), sheet("share-1-2")}, ws_.path("r.key"),
                         {"--expect-public", pub_});
  EXPECT_EQ(without.exit_code, kExitKey) << without.err;
  auto with =
      restore({sheet("share-1-1"), sheet("share-1-2")}, ws_.path("r.key"),
              {"--expect-public", pub_, "--slip39-passphrase-file", ws_.path("slip39-pass")});
  EXPECT_EQ(with.exit_code, 0) << with.err;
}

TEST_F(BackupCli, CheckOfAKeyCopyUnlocksIt) {
  auto ok = ws_.run({"backup", "check", "--expect-public", pub_, "--key", ws_.key_file(),
                     "--passphrase-file", ws_.pass_file()});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  write_private_file(ws_.path("wrong-pass"), "not the passphrase at all\n");
  auto wrong_pass = ws_.run({"backup", "check", "--expect-public", pub_, "--key", ws_.key_file(),
                             "--passphrase-file", ws_.path("wrong-pass")});
  EXPECT_EQ(wrong_pass.exit_code, 5) << wrong_pass.err;  // wrong passphrase
  const std::string other = SignWorkspace().keygen();
  auto wrong_key = ws_.run({"backup", "check", "--expect-public", other, "--key", ws_.key_file(),
                            "--passphrase-file", ws_.pass_file()});
  EXPECT_EQ(wrong_key.exit_code, kExitKey) << wrong_key.err;
  EXPECT_NE(wrong_key.err.find("FAILED"), std::string::npos) << wrong_key.err;
  EXPECT_EQ(ws_.run({"backup", "check", "--key", ws_.key_file()}).exit_code, kExitUsage);
}

TEST_F(BackupCli, SplitThenRestoredKeySignsTheVectorWire) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "cluster_manifest.json");
  const auto& c = cases[0];
  ASSERT_TRUE(c.contains("inputs"));
  const fs::path vector_key = ws_.path("vector.key");
  const std::string vector_pub =
      ws_.import_x25519_seed(c["operator_seed_hex"].get<std::string>(), vector_key);
  ASSERT_EQ(ws_.run({"backup", "split", "--key", vector_key, "--passphrase-file", ws_.pass_file(),
                     "--threshold", "2", "--shares", "3", "--out-dir", ws_.path("vshares")})
                .exit_code,
            0);
  // The original is gone; two sheets bring it back on a "fresh laptop".
  fs::remove(vector_key);
  auto r = restore({sheet("share-1-3", "vshares"), sheet("share-1-1", "vshares")},
                   ws_.path("restored.key"), {"--expect-public", vector_pub});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json input = c["inputs"];
  input["type"] = "cluster";
  const fs::path in = ws_.write_input("vector.json", input);
  std::vector<std::string> args{"--out", ws_.path("vector.wire")};
  if (input["exp"].get<std::uint64_t>() < kNow) args.push_back("--allow-expired");
  args.push_back(in);
  auto s = ws_.sign(args, ws_.path("restored.key"), ws_.path("fresh-state"));
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_EQ(read_file(ws_.path("vector.wire")),
            hex_to_text(c["expected_wire_hex"].get<std::string>()));
}

}  // namespace
}  // namespace dmp::test
