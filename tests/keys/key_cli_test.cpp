// The key lifecycle end to end, with the real dmp-sign binary in a temporary
// directory: keygen, pubkey, passwd, import, and every refusal (one stderr
// line ending in "[reason]", the documented exit code, nothing left behind,
// no secret in the output).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dmp/codec.hpp"
#include "key_test_support.hpp"
#include "keyfile/key_file_format.hpp"
#include "keyfile/key_store.hpp"
#include "sign/exit_codes.hpp"
#include "support/vectors.hpp"

namespace dmp::test {
namespace {

using Entries = std::vector<std::string>;

class KeyCli : public ::testing::Test {
 protected:
  void SetUp() override {
    pass_ = write_private(dir_, "pass", std::string(kPassphrase) + "\n");
    other_pass_ = write_private(dir_, "other-pass", std::string(kOtherPassphrase) + "\n");
  }

  std::string path(const std::string& name) const { return (dir_.path() / name).string(); }

  // keygen with the interactive KDF and the passphrase file; returns the public key.
  std::string keygen(const std::string& name, const std::string& comment = "") {
    std::vector<std::string> args{
        "keygen", "--out", path(name), "--kdf", "interactive", "--passphrase-file", pass_};
    if (!comment.empty()) {
      args.push_back("--comment");
      args.push_back(comment);
    }
    const auto r = run_sign(args);
    EXPECT_EQ(r.exit_code, cli::kExitOk) << r.err;
    return printed_public_key(r.out);
  }

  std::string pubkey(const std::string& name, const std::string& format = "hex") {
    const auto r = run_sign({"pubkey", "--key", path(name), "--format", format});
    EXPECT_EQ(r.exit_code, cli::kExitOk) << r.err;
    EXPECT_EQ(r.err, "");
    return r.out;
  }

  // The secrets no output may contain: both passphrases and any seed used.
  std::vector<std::string> secrets() const {
    std::vector<std::string> all{std::string(kPassphrase), std::string(kOtherPassphrase)};
    all.insert(all.end(), seeds_.begin(), seeds_.end());
    return all;
  }

  TempDir dir_;
  std::string pass_;
  std::string other_pass_;
  std::vector<std::string> seeds_{std::string(kCheckX)};
  Entries base_entries_{"other-pass", "pass"};
};

Entries with(Entries entries, std::initializer_list<std::string> more) {
  entries.insert(entries.end(), more);
  std::sort(entries.begin(), entries.end());
  return entries;
}

// --- keygen and pubkey -----------------------------------------------------

TEST_F(KeyCli, KeygenWritesAPrivateArmouredFileAndPrintsItsKey) {
  const auto r = run_sign({"keygen", "--out", path("op.key"), "--kdf", "interactive",
                           "--passphrase-file", pass_, "--comment", "prod 2026"});
  ASSERT_EQ(r.exit_code, cli::kExitOk) << r.err;
  const std::string key = printed_public_key(r.out);
  ASSERT_EQ(key.size(), 64u) << r.out;
  EXPECT_NE(r.out.find("fingerprint: dmp1:"), std::string::npos) << r.out;
  EXPECT_EQ(mode_of(path("op.key")), 0600u);
  const std::string text = read_file(path("op.key"));
  EXPECT_EQ(text.rfind("-----BEGIN DMP SIGNING KEY-----\n", 0), 0u) << text;
  EXPECT_EQ(sorted_entries(dir_), with(base_entries_, {"op.key"}));
  // Two keygens make two different keys.
  EXPECT_NE(keygen("second.key"), key);
}

TEST_F(KeyCli, PubkeyFormats) {
  const std::string key = keygen("op.key", "prod 2026");
  EXPECT_EQ(pubkey("op.key"), key + "\n");
  EXPECT_EQ(pubkey("op.key", "dmp-env"), "operator_public_hex=" + key + "\n");
  const auto json = nlohmann::json::parse(pubkey("op.key", "json"));
  EXPECT_EQ(json["public_key"], key);
  EXPECT_EQ(json["comment"], "prod 2026");
  EXPECT_EQ(json["kdf"]["algorithm"], "argon2id13");
  EXPECT_EQ(json["kdf"]["opslimit"], 2);
  EXPECT_EQ(json["kdf"]["memlimit"], 64 << 20);
  EXPECT_EQ(json["fingerprint"].get<std::string>().rfind("dmp1:", 0), 0u);
  EXPECT_GT(json["created"].get<std::uint64_t>(), 1'700'000'000u);
  // No passphrase was needed, and the default format is hex.
  const auto r = run_sign({"pubkey", "--key", path("op.key")});
  EXPECT_EQ(r.out, key + "\n");
}

TEST_F(KeyCli, KeygenPassphraseFromAPipe) {
  const auto r =
      run_sign({"keygen", "--out", path("op.key"), "--kdf", "interactive", "--passphrase-fd", "0"},
               std::string(kPassphrase) + "\n");
  ASSERT_EQ(r.exit_code, cli::kExitOk) << r.err;
  // The same passphrase from the file unlocks it.
  auto key = keyfile::unlock_key_file(path("op.key"), {pass_, std::nullopt});
  ASSERT_TRUE(key) << key.error().message();
  EXPECT_EQ(hex_encode((*key)->public_key()), printed_public_key(r.out));
}

// The default cost is the sensitive level: at least 1 GiB of Argon2id memory.
TEST_F(KeyCli, DefaultKdfIsAtLeastOneGiB) {
  const auto r = run_sign({"keygen", "--out", path("op.key"), "--passphrase-file", pass_});
  ASSERT_EQ(r.exit_code, cli::kExitOk) << r.err;
  EXPECT_EQ(r.err, "") << "no cheap-KDF warning for the default";
  const auto json = nlohmann::json::parse(pubkey("op.key", "json"));
  EXPECT_GE(json["kdf"]["memlimit"].get<std::uint64_t>(), 1073741824u);
  EXPECT_GE(json["kdf"]["opslimit"].get<std::uint64_t>(), 4u);
}

// --- passwd ----------------------------------------------------------------

TEST_F(KeyCli, PasswdWithTheWrongOldPassphraseChangesNothing) {
  keygen("op.key");
  const std::string before = read_file(path("op.key"));
  const auto r = run_sign({"passwd", "--key", path("op.key"), "--passphrase-file", other_pass_,
                           "--new-passphrase-file", pass_});
  expect_refusal(r, cli::kExitPassphrase, "wrong_passphrase", secrets());
  EXPECT_EQ(read_file(path("op.key")), before);
  EXPECT_EQ(sorted_entries(dir_), with(base_entries_, {"op.key"}));
}

TEST_F(KeyCli, PasswdReencryptsUnderTheNewPassphrase) {
  const std::string key = keygen("op.key", "keep me");
  const std::string before = read_file(path("op.key"));
  const auto r = run_sign({"passwd", "--key", path("op.key"), "--passphrase-file", pass_,
                           "--new-passphrase-file", other_pass_});
  ASSERT_EQ(r.exit_code, cli::kExitOk) << r.err;
  EXPECT_NE(read_file(path("op.key")), before);
  EXPECT_EQ(mode_of(path("op.key")), 0600u);
  EXPECT_EQ(sorted_entries(dir_), with(base_entries_, {"op.key"})) << "temporary file left";
  EXPECT_EQ(pubkey("op.key"), key + "\n");
  const auto json = nlohmann::json::parse(pubkey("op.key", "json"));
  EXPECT_EQ(json["comment"], "keep me");
  EXPECT_EQ(json["kdf"]["memlimit"], 64 << 20) << "passwd keeps the file's KDF cost";

  auto with_new = keyfile::unlock_key_file(path("op.key"), {other_pass_, std::nullopt});
  ASSERT_TRUE(with_new) << with_new.error().message();
  EXPECT_EQ(hex_encode((*with_new)->public_key()), key);
  auto with_old = keyfile::unlock_key_file(path("op.key"), {pass_, std::nullopt});
  ASSERT_FALSE(with_old);
  EXPECT_EQ(with_old.error().reason, Reason::wrong_passphrase);

  // And back again, both passphrases on one pipe (one line each).
  const auto back = run_sign(
      {"passwd", "--key", path("op.key"), "--passphrase-fd", "0", "--new-passphrase-fd", "0"},
      std::string(kOtherPassphrase) + "\n" + std::string(kPassphrase) + "\n");
  ASSERT_EQ(back.exit_code, cli::kExitOk) << back.err;
  EXPECT_TRUE(keyfile::unlock_key_file(path("op.key"), {pass_, std::nullopt}));
  EXPECT_EQ(sorted_entries(dir_), with(base_entries_, {"op.key"}));
}

TEST_F(KeyCli, PasswdRefusesAnEmptyNewPassphraseAndKeepsTheFile) {
  keygen("op.key");
  const std::string before = read_file(path("op.key"));
  const auto empty = write_private(dir_, "empty", "\n");
  const auto r = run_sign({"passwd", "--key", path("op.key"), "--passphrase-file", pass_,
                           "--new-passphrase-file", empty});
  expect_refusal(r, cli::kExitBadPassphrase, "weak_passphrase", secrets());
  EXPECT_EQ(read_file(path("op.key")), before);
  EXPECT_EQ(sorted_entries(dir_), with(base_entries_, {"op.key", "empty"}));
}

// --- import ----------------------------------------------------------------

TEST_F(KeyCli, ImportOfTheGeneratorsKeyFilePrintsTheVectorsKey) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "cluster_manifest.json");
  const std::string seed = cases[0]["operator_seed_hex"];
  const std::string spk = cases[0]["inputs"]["operator_spk_hex"];
  seeds_.push_back(seed);
  const auto ref = write_private(dir_, "operator-ed25519.hex", reference_key_file(seed, spk));
  for (const bool positional : {false, true}) {
    const std::string out = positional ? "positional.key" : "op.key";
    std::vector<std::string> args{
        "import", "--out", path(out), "--kdf", "interactive", "--passphrase-file", pass_};
    if (positional) {
      args.push_back(ref);
    } else {
      args.insert(args.end(), {"--dmp-key-file", ref});
    }
    const auto r = run_sign(args);
    ASSERT_EQ(r.exit_code, cli::kExitOk) << r.err;
    EXPECT_EQ(printed_public_key(r.out), spk) << r.out;
    EXPECT_EQ(r.out.find(seed), std::string::npos) << "stdout shows the seed";
    EXPECT_EQ(pubkey(out), spk + "\n");
    EXPECT_EQ(mode_of(path(out)), 0600u);
  }
  EXPECT_EQ(sorted_entries(dir_),
            with(base_entries_, {"operator-ed25519.hex", "op.key", "positional.key"}));
}

TEST_F(KeyCli, ImportSeedKindsGiveTheTwoKeysOfTheSpecCheckValue) {
  const auto seed_file = write_private(dir_, "seed.hex", std::string(kCheckX) + "\n");
  const auto x = run_sign({"import", "--x25519-seed-hex-file", seed_file, "--out", path("x.key"),
                           "--kdf", "interactive", "--passphrase-file", pass_});
  ASSERT_EQ(x.exit_code, cli::kExitOk) << x.err;
  EXPECT_EQ(printed_public_key(x.out), kCheckSpkX25519);
  EXPECT_EQ(pubkey("x.key"), std::string(kCheckSpkX25519) + "\n");

  const auto ed = run_sign({"import", "--ed25519-seed-hex-file", seed_file, "--out", path("ed.key"),
                            "--kdf", "interactive", "--passphrase-file", pass_});
  ASSERT_EQ(ed.exit_code, cli::kExitOk) << ed.err;
  EXPECT_EQ(printed_public_key(ed.out), kCheckSpkEd25519);
  EXPECT_EQ(pubkey("ed.key"), std::string(kCheckSpkEd25519) + "\n");

  // The key files hold what the spec says: raw Ed25519 seeds that sign.
  auto x_key = keyfile::unlock_key_file(path("x.key"), {pass_, std::nullopt});
  ASSERT_TRUE(x_key);
  EXPECT_EQ(hex_encode((*x_key)->public_key()), kCheckSpkX25519);
}

TEST_F(KeyCli, ImportWithExpectPublic) {
  const auto seed_file = write_private(dir_, "seed.hex", std::string(kCheckX) + "\n");
  // Matching (in upper case, too): accepted.
  std::string upper(kCheckSpkX25519);
  for (char& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto good =
      run_sign({"import", "--x25519-seed-hex-file", seed_file, "--expect-public", upper, "--out",
                path("x.key"), "--kdf", "interactive", "--passphrase-file", pass_});
  ASSERT_EQ(good.exit_code, cli::kExitOk) << good.err;
  // Not matching: the other seed kind's key.
  const auto bad = run_sign({"import", "--ed25519-seed-hex-file", seed_file, "--expect-public",
                             std::string(kCheckSpkX25519), "--out", path("ed.key"), "--kdf",
                             "interactive", "--passphrase-file", pass_});
  expect_refusal(bad, cli::kExitKeyFile, "key_mismatch", secrets());
  EXPECT_EQ(sorted_entries(dir_), with(base_entries_, {"seed.hex", "x.key"}));
}

TEST_F(KeyCli, ImportRefusesABareSeedWithoutItsKind) {
  const auto seed_file = write_private(dir_, "seed.hex", std::string(kCheckX) + "\n");
  const auto r = run_sign({"import", seed_file, "--out", path("op.key"), "--kdf", "interactive",
                           "--passphrase-file", pass_});
  expect_refusal(r, cli::kExitUsage, "usage", secrets());
  EXPECT_NE(r.err.find("--x25519-seed-hex-file"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--ed25519-seed-hex-file"), std::string::npos) << r.err;
  EXPECT_EQ(sorted_entries(dir_), with(base_entries_, {"seed.hex"}));
}

TEST_F(KeyCli, ImportRefusesAMismatchingReferenceKeyFile) {
  const auto ref =
      write_private(dir_, "operator-ed25519.hex", reference_key_file(kCheckX, kCheckSpkEd25519));
  for (const bool positional : {false, true}) {
    std::vector<std::string> args{
        "import", "--out", path("op.key"), "--kdf", "interactive", "--passphrase-file", pass_};
    if (positional) {
      args.push_back(ref);
    } else {
      args.insert(args.end(), {"--dmp-key-file", ref});
    }
    expect_refusal(run_sign(args), cli::kExitKeyFile, "key_mismatch", secrets());
    EXPECT_EQ(sorted_entries(dir_), with(base_entries_, {"operator-ed25519.hex"}));
  }
}

TEST_F(KeyCli, ImportRefusesMalformedSeedFiles) {
  for (const std::string& content :
       std::vector<std::string>{std::string(kCheckX).substr(1), std::string(kCheckX) + "00",
                                "zz" + std::string(kCheckX).substr(2), std::string()}) {
    const auto seed_file = write_private(dir_, "seed.hex", content + "\n");
    const auto r = run_sign({"import", "--x25519-seed-hex-file", seed_file, "--out", path("op.key"),
                             "--kdf", "interactive", "--passphrase-file", pass_});
    expect_refusal(r, cli::kExitKeyFile, "key_format", secrets());
    if (!content.empty()) {
      EXPECT_EQ(r.err.find(content.substr(2, 40)), std::string::npos);
    }
    EXPECT_EQ(sorted_entries(dir_), with(base_entries_, {"seed.hex"}));
  }
}

TEST_F(KeyCli, ImportWithoutASourceIsUsage) {
  const auto r = run_sign(
      {"import", "--out", path("op.key"), "--kdf", "interactive", "--passphrase-file", pass_});
  expect_refusal(r, cli::kExitUsage, "usage", secrets());
  EXPECT_EQ(sorted_entries(dir_), base_entries_);
}

TEST_F(KeyCli, ImportRefusesAGroupReadableSeedFile) {
  const auto seed_file = write_private(dir_, "seed.hex", std::string(kCheckX) + "\n", 0644);
  const auto r = run_sign({"import", "--x25519-seed-hex-file", seed_file, "--out", path("op.key"),
                           "--kdf", "interactive", "--passphrase-file", pass_});
  expect_refusal(r, cli::kExitInsecure, "insecure_file", secrets());
  EXPECT_NE(r.err.find("chmod 600"), std::string::npos) << r.err;
  EXPECT_EQ(sorted_entries(dir_), with(base_entries_, {"seed.hex"}));
}

// --- Refusals ----------------------------------------------------------------

TEST_F(KeyCli, KeygenOntoAnExistingFileIsRefusedAndTheFileUntouched) {
  keygen("op.key");
  const std::string before = read_file(path("op.key"));
  const auto r = run_sign(
      {"keygen", "--out", path("op.key"), "--kdf", "interactive", "--passphrase-file", pass_});
  expect_refusal(r, cli::kExitIo, "already_exists", secrets());
  EXPECT_EQ(read_file(path("op.key")), before);
  EXPECT_EQ(sorted_entries(dir_), with(base_entries_, {"op.key"}));
  // import onto it too.
  const auto seed_file = write_private(dir_, "seed.hex", std::string(kCheckX) + "\n");
  expect_refusal(run_sign({"import", "--x25519-seed-hex-file", seed_file, "--out", path("op.key"),
                           "--kdf", "interactive", "--passphrase-file", pass_}),
                 cli::kExitIo, "already_exists", secrets());
  EXPECT_EQ(read_file(path("op.key")), before);
}

TEST_F(KeyCli, KeyFileReadableByOthersIsRefused) {
  keygen("op.key");
  for (const unsigned mode : {0644u, 0640u, 0604u}) {
    std::filesystem::permissions(path("op.key"), static_cast<std::filesystem::perms>(mode),
                                 std::filesystem::perm_options::replace);
    const auto r = run_sign({"pubkey", "--key", path("op.key")});
    expect_refusal(r, cli::kExitInsecure, "insecure_file", secrets());
    EXPECT_NE(r.err.find("chmod 600"), std::string::npos) << r.err;
    const std::string before = read_file(path("op.key"));
    const auto p = run_sign({"passwd", "--key", path("op.key"), "--passphrase-file", pass_,
                             "--new-passphrase-file", other_pass_});
    expect_refusal(p, cli::kExitInsecure, "insecure_file", secrets());
    EXPECT_EQ(read_file(path("op.key")), before);
    EXPECT_EQ(mode_of(path("op.key")), mode) << "the refusal must not chmod for the operator";
    EXPECT_EQ(sorted_entries(dir_), with(base_entries_, {"op.key"}));
  }
}

TEST_F(KeyCli, PassphraseFileReadableByOthersIsRefused) {
  const auto loose = write_private(dir_, "loose-pass", std::string(kPassphrase) + "\n", 0644);
  const auto r = run_sign(
      {"keygen", "--out", path("op.key"), "--kdf", "interactive", "--passphrase-file", loose});
  expect_refusal(r, cli::kExitInsecure, "insecure_file", secrets());
  EXPECT_NE(r.err.find("chmod 600"), std::string::npos) << r.err;
  EXPECT_EQ(sorted_entries(dir_), with(base_entries_, {"loose-pass"}));
}

TEST_F(KeyCli, SharedParentDirectoryIsRefused) {
  const auto shared = dir_.path() / "shared";
  std::filesystem::create_directory(shared);
  for (const unsigned mode : {0777u, 0770u, 0703u}) {
    std::filesystem::permissions(shared, static_cast<std::filesystem::perms>(mode),
                                 std::filesystem::perm_options::replace);
    const auto r = run_sign({"keygen", "--out", (shared / "op.key").string(), "--kdf",
                             "interactive", "--passphrase-file", pass_});
    expect_refusal(r, cli::kExitInsecure, "insecure_file", secrets());
    EXPECT_TRUE(std::filesystem::is_empty(shared)) << std::oct << mode;
  }
  EXPECT_EQ(sorted_entries(dir_), with(base_entries_, {"shared"}));
}

TEST_F(KeyCli, EmptyPassphraseIsRefused) {
  const auto empty = write_private(dir_, "empty", "\n");
  expect_refusal(run_sign({"keygen", "--out", path("op.key"), "--kdf", "interactive",
                           "--passphrase-file", empty}),
                 cli::kExitBadPassphrase, "weak_passphrase", secrets());
  expect_refusal(
      run_sign({"keygen", "--out", path("op.key"), "--kdf", "interactive", "--passphrase-fd", "0"},
               "\n"),
      cli::kExitBadPassphrase, "weak_passphrase", secrets());
  EXPECT_EQ(sorted_entries(dir_), with(base_entries_, {"empty"}));
}

TEST_F(KeyCli, NoTerminalAndNoPassphraseOptionIsUsage) {
  const int tty = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (tty >= 0) {
    ::close(tty);
    GTEST_SKIP() << "this process has a controlling terminal (/dev/tty opens), so dmp-sign "
                    "would prompt on it; run the test without a terminal (e.g. under setsid)";
  }
  // stdin is an empty pipe (EOF at once, like /dev/null): dmp-sign must not
  // fall back to it without --passphrase-fd 0.
  const auto r = run_sign({"keygen", "--out", path("op.key"), "--kdf", "interactive"});
  expect_refusal(r, cli::kExitUsage, "usage", secrets());
  EXPECT_NE(r.err.find("--passphrase-file"), std::string::npos) << r.err;
  EXPECT_EQ(sorted_entries(dir_), base_entries_);
}

TEST_F(KeyCli, SymlinkedKeyFileIsRefused) {
  keygen("op.key");
  std::filesystem::create_symlink(path("op.key"), path("link.key"));
  expect_refusal(run_sign({"pubkey", "--key", path("link.key")}), cli::kExitInsecure,
                 "insecure_file", secrets());
  const std::string before = read_file(path("op.key"));
  expect_refusal(run_sign({"passwd", "--key", path("link.key"), "--passphrase-file", pass_,
                           "--new-passphrase-file", other_pass_}),
                 cli::kExitInsecure, "insecure_file", secrets());
  EXPECT_EQ(read_file(path("op.key")), before);
  EXPECT_TRUE(std::filesystem::is_symlink(path("link.key")));
  EXPECT_EQ(sorted_entries(dir_), with(base_entries_, {"link.key", "op.key"}));
}

TEST_F(KeyCli, UnknownFormatIsKeyFile) {
  const auto text = write_private(dir_, "notes.txt", "just some notes\nnothing to see\n");
  expect_refusal(run_sign({"pubkey", "--key", text}), cli::kExitKeyFile, "key_format", secrets());
  const auto bare = write_private(dir_, "seed.hex", std::string(kCheckX) + "\n");
  expect_refusal(run_sign({"pubkey", "--key", bare}), cli::kExitKeyFile, "key_format", secrets());
  EXPECT_EQ(sorted_entries(dir_), with(base_entries_, {"notes.txt", "seed.hex"}));
}

TEST_F(KeyCli, ReferenceKeyFileGivenToPubkeyGetsTheImportHint) {
  const auto ref =
      write_private(dir_, "operator-ed25519.hex", reference_key_file(kCheckX, kCheckSpkX25519));
  const auto r = run_sign({"pubkey", "--key", ref});
  expect_refusal(r, cli::kExitKeyFile, "key_format", secrets());
  EXPECT_NE(r.err.find("dmp-sign import --dmp-key-file"), std::string::npos) << r.err;
  EXPECT_EQ(sorted_entries(dir_), with(base_entries_, {"operator-ed25519.hex"}));
}

TEST_F(KeyCli, UnknownVersionAndKdfBoundsAreKeyFile) {
  keygen("op.key");
  auto bytes = keyfile::dearmor(read_file(path("op.key")));
  ASSERT_TRUE(bytes);
  Bytes v2 = *bytes;
  v2[6] = 2;
  write_private(dir_, "v2.key", keyfile::armor(v2));
  const auto r = run_sign({"pubkey", "--key", path("v2.key")});
  expect_refusal(r, cli::kExitKeyFile, "key_version", secrets());
  EXPECT_NE(r.err.find("version 2"), std::string::npos) << r.err;
  Bytes heavy = *bytes;
  heavy[15] = 17;  // opslimit 17
  write_private(dir_, "heavy.key", keyfile::armor(heavy));
  expect_refusal(run_sign({"pubkey", "--key", path("heavy.key")}), cli::kExitKeyFile, "kdf_limits",
                 secrets());
}

TEST_F(KeyCli, EditedKeyFileIsWrongPassphrase) {
  keygen("op.key", "before");
  auto bytes = keyfile::dearmor(read_file(path("op.key")));
  ASSERT_TRUE(bytes);
  (*bytes)[106] = 'B';  // the comment: still a valid file, no longer authentic
  write_private(dir_, "edited.key", keyfile::armor(*bytes));
  const auto r = run_sign({"passwd", "--key", path("edited.key"), "--passphrase-file", pass_,
                           "--new-passphrase-file", other_pass_});
  expect_refusal(r, cli::kExitPassphrase, "wrong_passphrase", secrets());
}

TEST_F(KeyCli, BadKdfValueIsUsage) {
  const auto r =
      run_sign({"keygen", "--out", path("op.key"), "--kdf", "fast", "--passphrase-file", pass_});
  EXPECT_EQ(r.exit_code, cli::kExitUsage) << r.err;
  EXPECT_NE(r.err.find("--kdf"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  const auto p = run_sign({"passwd", "--key", path("op.key"), "--kdf", "fast", "--passphrase-file",
                           pass_, "--new-passphrase-file", other_pass_});
  EXPECT_EQ(p.exit_code, cli::kExitUsage) << p.err;
  EXPECT_EQ(sorted_entries(dir_), base_entries_);
}

TEST_F(KeyCli, OverlongCommentIsInvalidInput) {
  const auto r = run_sign({"keygen", "--out", path("op.key"), "--kdf", "interactive",
                           "--passphrase-file", pass_, "--comment", std::string(1025, 'c')});
  expect_refusal(r, cli::kExitInvalidInput, "invalid_field", secrets());
  EXPECT_EQ(sorted_entries(dir_), base_entries_);
}

// --- Secret hygiene ----------------------------------------------------------

TEST_F(KeyCli, NoOutputEverContainsThePassphraseOrTheSeed) {
  // Successful commands too: keygen, import, pubkey, passwd.
  const auto seed_file = write_private(dir_, "seed.hex", std::string(kCheckX) + "\n");
  std::vector<ProcessResult> results;
  results.push_back(run_sign({"import", "--x25519-seed-hex-file", seed_file, "--out",
                              path("op.key"), "--kdf", "interactive", "--passphrase-file", pass_}));
  results.push_back(run_sign({"pubkey", "--key", path("op.key"), "--format", "json"}));
  results.push_back(run_sign(
      {"passwd", "--key", path("op.key"), "--passphrase-fd", "0", "--new-passphrase-fd", "0"},
      std::string(kPassphrase) + "\n" + std::string(kOtherPassphrase) + "\n"));
  results.push_back(run_sign(
      {"passwd", "--key", path("op.key"), "--passphrase-fd", "0", "--new-passphrase-fd", "0"},
      std::string(kPassphrase) + "\n" + std::string(kOtherPassphrase) +
          "\n"));  // wrong old passphrase now
  EXPECT_EQ(results.back().exit_code, cli::kExitPassphrase);
  for (const auto& r : results) {
    for (const auto& s : secrets()) {
      EXPECT_EQ(r.out.find(s), std::string::npos) << r.out;
      EXPECT_EQ(r.err.find(s), std::string::npos) << r.err;
    }
  }
  // Nor does the key file hold the seed or the passphrase in clear.
  const std::string file = read_file(path("op.key"));
  auto bytes = keyfile::dearmor(file);
  ASSERT_TRUE(bytes);
  for (const auto& s : secrets()) {
    EXPECT_EQ(file.find(s), std::string::npos);
    EXPECT_EQ(hex_encode(*bytes).find(s), std::string::npos);
  }
}

// --- Signing with an imported key -------------------------------------------

TEST_F(KeyCli, KeyImportedByTheCliSignsLikeTheVectorSeed) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "bootstrap_record.json");
  const std::string seed = cases[0]["signer_seed_hex"];
  seeds_.push_back(seed);
  const auto seed_file = write_private(dir_, "signer.hex", seed + "\n");
  const auto r = run_sign({"import", "--x25519-seed-hex-file", seed_file, "--expect-public",
                           cases[0]["inputs"]["signer_spk_hex"].get<std::string>(), "--out",
                           path("signer.key"), "--kdf", "interactive", "--passphrase-file", pass_});
  ASSERT_EQ(r.exit_code, cli::kExitOk) << r.err;
  auto key = keyfile::unlock_key_file(path("signer.key"), {pass_, std::nullopt});
  ASSERT_TRUE(key) << key.error().message();
  // Sign the vector's body bytes (taken from its wire) and compare signatures.
  const std::string wire = hex_to_text(cases[0]["expected_wire_hex"]);
  auto opened = open_wire(wire, RecordType::bootstrap);
  ASSERT_TRUE(opened) << opened.error().message();
  auto signature = (*key)->sign(opened->blob.body);
  ASSERT_TRUE(signature);
  EXPECT_EQ(*signature, opened->blob.signature);
  auto remade = assemble_wire(RecordType::bootstrap, opened->blob.body, *signature);
  ASSERT_TRUE(remade);
  EXPECT_EQ(*remade, wire);
}

}  // namespace
}  // namespace dmp::test
