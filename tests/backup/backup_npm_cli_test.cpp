// dmp-sign backup against the npm package slip39 (github.com/ilap/slip39-js, the version
// tests/backup/npm/package-lock.json pins), end to end through both command lines: the sheets
// `backup split` writes are combined by the package to the key's own Ed25519 seed (its public key
// computed here with libsodium, not by dmp-sign), a SLIP-39 passphrase given with
// --slip39-passphrase-file is the package's passphrase too, and the package's shares of a seed
// dmp-sign never saw restore (and pass the drill) with `backup restore` and `backup check`.
// slip39_npm_test.cpp compares the two SLIP-39 implementations in process; this file compares
// what an operator gets from the binary: the sheet's one uncommented line, the files, the
// --expect-public pin.
//
// ctest installs the package first (backup.slip39_npm_install in tests/backup/npm.cmake); without
// node or the package these tests skip, and fail under CI.
#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "backup/slip39.hpp"
#include "backup/slip39_npm_support.hpp"
#include "sign/sign_test_support.hpp"
#include "support/prerequisite.hpp"

namespace dmp::test {
namespace {

// A share of a 32-byte seed, the only secret dmp-sign splits.
constexpr std::size_t kShareWords = 33;
// Printable ASCII with spaces, as SLIP-39 allows; not the vectors' "TREZOR", so nothing here
// passes by a default of either side.
const std::string kSlip39Passphrase = "paper backup, second factor";

bool is_hex_seed(const std::string& text) {
  return text.size() == 2 * crypto_sign_SEEDBYTES &&
         std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// The Ed25519 public key of a seed, in hex, by libsodium: what the seed a share set holds must
// give for it to be the key's seed.
std::string public_key_of_seed(const std::string& seed_hex) {
  std::array<unsigned char, crypto_sign_SEEDBYTES> seed{};
  std::size_t length = 0;
  if (sodium_hex2bin(seed.data(), seed.size(), seed_hex.data(), seed_hex.size(), nullptr, &length,
                     nullptr) != 0 ||
      length != seed.size()) {
    ADD_FAILURE() << "not a 32-byte seed in hex: " << seed_hex;
    return {};
  }
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk{};
  crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
  sodium_memzero(sk.data(), sk.size());
  sodium_memzero(seed.data(), seed.size());
  std::array<char, 2 * crypto_sign_PUBLICKEYBYTES + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), pk.data(), pk.size());
  return hex.data();
}

// The one line of a sheet that does not start with '#', as its holder would copy it.
std::string sheet_mnemonic(const fs::path& sheet) {
  std::vector<std::string> uncommented;
  for (const auto& line : lines_of(read_file(sheet))) {
    if (!line.empty() && line[0] != '#') uncommented.push_back(line);
  }
  EXPECT_EQ(uncommented.size(), 1u) << sheet;
  if (uncommented.size() != 1) return {};
  EXPECT_EQ(split_fields(uncommented[0]).size(), kShareWords) << uncommented[0];
  return uncommented[0];
}

class BackupNpmCli : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    node_ = ::dmp::test::npm::find_node();
    DMP_REQUIRE_PREREQUISITE(!node_.empty(), "node (Debian's nodejs) on PATH or in /usr/bin");
    DMP_REQUIRE_PREREQUISITE(::dmp::test::npm::package_installed(),
                             "the npm package slip39 and slip39_tool.js in " DMP_SLIP39_NPM_DIR
                             " (ctest's backup.slip39_npm_install runs npm ci there)");
    pub_ = ws_.keygen();
    ASSERT_EQ(pub_.size(), 64u);
  }

  ProcessResult tool(const std::vector<std::string>& args, const std::string& input = "") const {
    std::vector<std::string> argv = {node_,
                                     (::dmp::test::npm::tool_dir() / "slip39_tool.js").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, input);
  }

  // The package's master secret from `mnemonics`, in hex; "" after a refusal (exit 1).
  std::string npm_combine(const std::vector<std::string>& mnemonics,
                          const std::string& passphrase = "") const {
    std::string input;
    for (const auto& m : mnemonics)
      input += m + "\n";
    const auto r = tool({"combine", "--passphrase", passphrase}, input);
    if (r.exit_code != 0) {
      EXPECT_EQ(r.exit_code, 1) << "the package's refusal is 1, usage 2: " << r.err;
      return {};
    }
    if (r.out.empty() || r.out.back() != '\n') {
      ADD_FAILURE() << "slip39_tool.js combine printed " << r.out;
      return {};
    }
    return r.out.substr(0, r.out.size() - 1);
  }

  // The package's 2-of-3 shares of `seed_hex`, iteration exponent 1 (dmp-sign's default and the
  // reference's, not the package's 0), members in order.
  std::vector<std::string> npm_split_two_of_three(const std::string& seed_hex,
                                                  bool extendable) const {
    const auto r = tool({"split", "--secret", seed_hex, "--group-threshold", "1", "--group", "2/3",
                         "--iteration-exponent", "1", "--extendable", extendable ? "1" : "0"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto lines = lines_of(r.out);
    EXPECT_EQ(lines.size(), 3u) << r.out;
    return lines;
  }

  // `backup split` of the workspace key into `dir` (text sheets only), then `extra`.
  void split(const std::string& dir, const std::vector<std::string>& layout,
             const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args = {
        "backup",        "split",    "--key",     ws_.key_file(), "--passphrase-file",
        ws_.pass_file(), "--no-png", "--out-dir", ws_.path(dir)};
    args.insert(args.end(), layout.begin(), layout.end());
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = ws_.run(args);
    ASSERT_EQ(r.exit_code, kExitOk) << r.err;
    ASSERT_NE(r.out.find("(" + pub_ + ")"), std::string::npos) << r.out;
  }

  std::string mnemonic_of(const std::string& dir, int group, int member) const {
    return sheet_mnemonic(
        ws_.path(dir) / ("share-" + std::to_string(group) + "-" + std::to_string(member) + ".txt"));
  }

  // `dmp-sign pubkey --format hex`: the public key a key file records.
  std::string public_key_of(const fs::path& key) const {
    const auto r = ws_.run({"pubkey", "--key", key, "--format", "hex"});
    EXPECT_EQ(r.exit_code, kExitOk) << r.err;
    if (r.out.empty() || r.out.back() != '\n') return r.out;
    return r.out.substr(0, r.out.size() - 1);
  }

  // The package's shares of a fresh random seed, each in a file of its own (0600, the mnemonic
  // alone), restored and checked with dmp-sign.
  void restore_package_shares(bool extendable) {
    std::array<unsigned char, crypto_sign_SEEDBYTES> seed{};
    randombytes_buf(seed.data(), seed.size());
    std::array<char, 2 * crypto_sign_SEEDBYTES + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), seed.data(), seed.size());
    const std::string seed_hex = hex.data();
    SCOPED_TRACE("seed " + seed_hex);  // test data, to repeat a failure
    const std::string expected = public_key_of_seed(seed_hex);
    ASSERT_EQ(expected.size(), 64u);
    ASSERT_NE(expected, pub_);

    const auto mnemonics = npm_split_two_of_three(seed_hex, extendable);
    ASSERT_EQ(mnemonics.size(), 3u);
    std::vector<fs::path> files;
    for (std::size_t i = 0; i < mnemonics.size(); ++i) {
      // The package made what it was asked for: the flag picks the cipher's salt, so both kinds
      // must restore.
      auto share = backup::slip39::decode_mnemonic(mnemonics[i]);
      ASSERT_TRUE(share) << share.error().message();
      EXPECT_EQ(share->extendable, extendable);
      EXPECT_EQ(share->iteration_exponent, 1);
      EXPECT_EQ(share->member_index, static_cast<int>(i));
      files.push_back(ws_.path("npm-share-" + std::to_string(i + 1) + ".txt"));
      write_private_file(files.back(), mnemonics[i] + "\n");
    }

    // Pinned to another key: refused, nothing written. The pin is compared, not just parsed.
    const fs::path out = ws_.path("restored.key");
    const std::vector<std::string> restore = {"backup",
                                              "restore",
                                              "--out",
                                              out,
                                              "--kdf",
                                              "interactive",
                                              "--passphrase-file",
                                              ws_.pass_file(),
                                              "--share-file",
                                              files[0],
                                              "--share-file",
                                              files[2],
                                              "--expect-public"};
    auto args = restore;
    args.push_back(pub_);
    auto r = ws_.run(args);
    EXPECT_EQ(r.exit_code, kExitKeyFile) << r.err;
    EXPECT_TRUE(ends_with_reason(r, "key_mismatch"));
    EXPECT_NE(r.err.find("(" + expected + "), not the expected key; nothing written"),
              std::string::npos)
        << r.err;
    EXPECT_FALSE(fs::exists(out));

    args = restore;
    args.push_back(expected);
    r = ws_.run(args);
    ASSERT_EQ(r.exit_code, kExitOk) << r.err;
    EXPECT_NE(r.out.find("public key:  " + expected + "\n"), std::string::npos) << r.out;
    EXPECT_EQ(public_key_of(out), expected);

    // The other pair passes the drill: every share the package made is used once.
    r = ws_.run({"backup", "check", "--expect-public", expected, "--share-file", files[1],
                 "--share-file", files[2]});
    EXPECT_EQ(r.exit_code, kExitOk) << r.err;
    EXPECT_EQ(r.out.rfind("backup check passed: the shares restore the pinned key ", 0), 0u)
        << r.out;
    EXPECT_NE(r.out.find("(" + expected + ")\n"), std::string::npos) << r.out;
  }

  SignWorkspace ws_;
  std::string pub_;
  std::string node_;
};

// Every pair of a 2-of-3 split, in either order, gives the package the one seed whose public key
// is the key's; one sheet alone gives it nothing.
TEST_F(BackupNpmCli, PackageCombinesOurTwoOfThreeSheetsToTheKeysSeed) {
  split("shares", {"--threshold", "2", "--shares", "3"});
  const std::vector<std::string> m = {mnemonic_of("shares", 1, 1), mnemonic_of("shares", 1, 2),
                                      mnemonic_of("shares", 1, 3)};
  const std::string seed = npm_combine({m[0], m[1]});
  ASSERT_TRUE(is_hex_seed(seed)) << seed;
  EXPECT_EQ(public_key_of_seed(seed), pub_);
  EXPECT_EQ(npm_combine({m[2], m[0]}), seed);
  EXPECT_EQ(npm_combine({m[1], m[2]}), seed);
  EXPECT_EQ(npm_combine({m[1]}), "");
}

// Two levels: 2 of 2 groups, 2 of 3 and 3 of 5 members. A threshold of each group gives the seed
// (the groups given in either order); one complete group alone does not.
TEST_F(BackupNpmCli, PackageCombinesOurGroupSheetsToTheKeysSeed) {
  split("groups", {"--group", "2of3", "--group", "3of5", "--group-threshold", "2"});
  const std::string seed = npm_combine({mnemonic_of("groups", 1, 1), mnemonic_of("groups", 1, 3),
                                        mnemonic_of("groups", 2, 2), mnemonic_of("groups", 2, 4),
                                        mnemonic_of("groups", 2, 5)});
  ASSERT_TRUE(is_hex_seed(seed)) << seed;
  EXPECT_EQ(public_key_of_seed(seed), pub_);
  EXPECT_EQ(npm_combine({mnemonic_of("groups", 2, 1), mnemonic_of("groups", 2, 2),
                         mnemonic_of("groups", 2, 3), mnemonic_of("groups", 1, 2),
                         mnemonic_of("groups", 1, 3)}),
            seed);
  EXPECT_EQ(npm_combine({mnemonic_of("groups", 1, 1), mnemonic_of("groups", 1, 2)}), "");
}

// The passphrase read from --slip39-passphrase-file is the standard's passphrase: the package
// gets the key's seed with it, and without it another valid-looking seed (SLIP-39 cannot tell a
// wrong passphrase); dmp-sign's drill tells them apart by the pinned key.
TEST_F(BackupNpmCli, Slip39PassphraseFileIsThePackagesPassphrase) {
  const fs::path passphrase_file = ws_.path("slip39-pass");
  write_private_file(passphrase_file, kSlip39Passphrase + "\n");
  split("shares", {"--threshold", "2", "--shares", "3"},
        {"--slip39-passphrase-file", passphrase_file});
  const std::vector<std::string> pair = {mnemonic_of("shares", 1, 3), mnemonic_of("shares", 1, 1)};
  const std::string seed = npm_combine(pair, kSlip39Passphrase);
  ASSERT_TRUE(is_hex_seed(seed)) << seed;
  EXPECT_EQ(public_key_of_seed(seed), pub_);

  const std::string without = npm_combine(pair, "");
  ASSERT_TRUE(is_hex_seed(without)) << without;
  EXPECT_NE(without, seed);
  const std::string without_pub = public_key_of_seed(without);
  EXPECT_NE(without_pub, pub_);

  const std::vector<std::string> check = {
      "backup",          "check",
      "--expect-public", pub_,
      "--share-file",    (ws_.path("shares") / "share-1-3.txt").string(),
      "--share-file",    (ws_.path("shares") / "share-1-1.txt").string()};
  auto args = check;
  args.insert(args.end(), {"--slip39-passphrase-file", passphrase_file});
  auto r = ws_.run(args);
  EXPECT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.out.rfind("backup check passed: ", 0), 0u) << r.out;
  r = ws_.run(check);
  EXPECT_EQ(r.exit_code, kExitKeyFile) << r.out;
  EXPECT_TRUE(ends_with_reason(r, "key_mismatch"));
  EXPECT_NE(r.err.find("(" + without_pub + "), not the pinned key"), std::string::npos) << r.err;
}

TEST_F(BackupNpmCli, PackageExtendableSharesOfASeedRestoreWithDmpSign) {
  restore_package_shares(true);
}

TEST_F(BackupNpmCli, PackageNonExtendableSharesOfASeedRestoreWithDmpSign) {
  restore_package_shares(false);
}

}  // namespace
}  // namespace dmp::test
