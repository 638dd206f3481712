// dmp-sign with FIDO2-guarded keys, end to end: the real dmp-sign, the real
// helper code (dmp-sign-fido2-soft: the release helper's sources over
// software tokens) and the real libfido2, talking to software tokens
// (soft_authenticator.hpp) whose state files the test controls. Every wire
// is checked with the real dmp-verify.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "sign/sign_test_support.hpp"
#include "soft_authenticator.hpp"
#include "support/crash_steps.hpp"

namespace dmp::test {
namespace {

using soft_fido2::Presence;
using soft_fido2::SoftAuthenticator;

constexpr int kExitPassphrase = 5;
constexpr int kExitInternal = 1;
constexpr int kExitToken = 14;
const std::string kPin = "4711-pin";

class Fido2Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    primary_ = make_token("primary.token", true);
    backup_ = make_token("backup.token", true);
    write_private_file(ws_.path("pin"), kPin + "\n");
    write_private_file(ws_.path("wrong-pin"), "0000-bad\n");
    plug({primary_});
  }

  std::optional<SoftAuthenticator> make_token(const std::string& name, bool with_pin) {
    auto token = SoftAuthenticator::open_or_create(ws_.path(name));
    EXPECT_TRUE(token.has_value());
    if (token && with_pin) {
      EXPECT_TRUE(token->set_pin(kPin));
    }
    return token;
  }

  // Which tokens are plugged in: the helper lists exactly these.
  void plug(std::initializer_list<std::optional<SoftAuthenticator>> tokens) {
    std::vector<std::string> paths;
    for (const auto& t : tokens)
      paths.push_back(t->path());
    plugged_.clear();
    for (std::size_t i = 0; i < paths.size(); ++i) {
      if (i > 0) plugged_.push_back(':');
      plugged_.append(paths[i]);
    }
  }

  ProcessResult run(std::vector<std::string> args,
                    const std::string& program = DMP_SIGN_BIN) const {
    args.insert(args.begin(), program);
    return run_process(args, "", environment_with({"DMP_TEST_FIDO2_TOKENS=" + plugged_}));
  }

  // dmp-sign fido2 <sub> ... --fido2-helper <soft helper> --pin-file pin
  ProcessResult fido2(const std::string& sub, std::vector<std::string> extra,
                      const std::string& pin_file = "pin") const {
    std::vector<std::string> args{"fido2", sub};
    // list and remove-token never talk to a token.
    if (sub != "list" && sub != "remove-token")
      args.insert(args.end(), {"--fido2-helper", DMP_SIGN_FIDO2_SOFT_BIN});
    if (!pin_file.empty()) args.insert(args.end(), {"--pin-file", ws_.path(pin_file)});
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }

  // A fresh FIDO2 key file for the plugged-in token; its public key.
  std::string keygen(const std::string& out = "operator.fido2key",
                     std::vector<std::string> extra = {}) {
    extra.insert(extra.end(), {"--out", ws_.path(out)});
    auto r = fido2("keygen", extra);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const auto& line : lines_of(r.out)) {
      const auto fields = split_fields(line);
      if (fields.size() == 3 && fields[0] == "public" && fields[1] == "key:") return fields[2];
    }
    ADD_FAILURE() << "no public key in:\n" << r.out;
    return {};
  }

  ProcessResult sign(const std::string& key, const std::string& out, int seq,
                     const std::string& pin_file = "pin", std::vector<std::string> extra = {}) {
    const auto input = ws_.write_input(out + ".json", cluster_input("mesh.example.com", seq));
    std::vector<std::string> args{
        "sign",   "--first",   "--key",       ws_.path(key), "--yes",          "--now",
        kNowText, "--state-dir", ws_.state(),   "--fido2-helper", DMP_SIGN_FIDO2_SOFT_BIN,
        "--out",  ws_.path(out)};
    if (!pin_file.empty()) args.insert(args.end(), {"--pin-file", ws_.path(pin_file)});
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(input);
    return run(args);
  }

  void expect_signed_and_verified(const ProcessResult& r, const std::string& pubkey,
                                  const std::string& out) {
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto v = ws_.verify(pubkey, ws_.path(out));
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  }

  SignWorkspace ws_;
  std::optional<SoftAuthenticator> primary_, backup_;
  std::string plugged_;
};

TEST_F(Fido2Cli, HelperReportsItsVersion) {
  auto r = run({"--version"}, DMP_SIGN_FIDO2_SOFT_BIN);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("dmp-sign-fido2 "), std::string::npos) << r.out;
  auto release = run({"--version"}, DMP_SIGN_FIDO2_BIN);
  EXPECT_EQ(release.exit_code, 0) << release.err;
}

TEST_F(Fido2Cli, DevicesListsThePluggedInTokens) {
  plug({primary_, backup_});
  auto r = fido2("devices", {}, "");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines_of(r.out).size(), 2u) << r.out;
  EXPECT_NE(r.out.find(primary_->path()), std::string::npos);
}

TEST_F(Fido2Cli, KeygenSignVerifyRoundTrip) {
  const std::string pubkey = keygen();
  struct stat st {};
  ASSERT_EQ(::stat(ws_.path("operator.fido2key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  auto pub = run({"pubkey", "--key", ws_.path("operator.fido2key")});
  EXPECT_EQ(pub.out, pubkey + "\n") << pub.err;

  auto r = sign("operator.fido2key", "cluster.wire", 1);
  expect_signed_and_verified(r, pubkey, "cluster.wire");
  EXPECT_NE(r.err.find("FIDO2 key file"), std::string::npos) << "the review names the key kind";
  EXPECT_NE(r.err.find("touch the token"), std::string::npos) << "the operator is told to touch";
  EXPECT_EQ(ws_.ledger_entries().size(), 1u);
}

TEST_F(Fido2Cli, EnrollKeepsThePassphraseKeysPublicKey) {
  const std::string pubkey = ws_.keygen();
  auto r = fido2("enroll", {"--key", ws_.key_file(), "--passphrase-file", ws_.pass_file(), "--out",
                            ws_.path("op.fido2key"), "--label", "primary"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(SignWorkspace::public_key_in_summary(r.out.substr(r.out.find("public key:"))), pubkey);
  expect_signed_and_verified(sign("op.fido2key", "c.wire", 1), pubkey, "c.wire");
}

TEST_F(Fido2Cli, WrongPinIsRefusedWithRetriesLeftAndNothingSigned) {
  keygen();
  auto r = sign("operator.fido2key", "c.wire", 1, "wrong-pin");
  EXPECT_EQ(r.exit_code, kExitPassphrase) << r.err;
  EXPECT_TRUE(ends_with_reason(r, "wrong_passphrase"));
  EXPECT_NE(r.err.find("PIN incorrect, 7 retries left"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(ws_.path("c.wire")));
  EXPECT_TRUE(ws_.ledger_entries().empty());
}

TEST_F(Fido2Cli, BlockedPinIsATokenRefusal) {
  keygen();
  ASSERT_TRUE(primary_->set_pin_retries(2));
  auto r = sign("operator.fido2key", "c.wire", 1, "wrong-pin");
  EXPECT_EQ(r.exit_code, kExitPassphrase) << r.err;
  EXPECT_NE(r.err.find("1 retries left"), std::string::npos) << r.err;
  // The last retry spent: the token blocks its PIN, the right one included.
  for (const char* pin : {"wrong-pin", "pin"}) {
    r = sign("operator.fido2key", "c.wire", 1, pin);
    EXPECT_EQ(r.exit_code, kExitToken) << r.err;
    EXPECT_TRUE(ends_with_reason(r, "token_denied"));
    EXPECT_NE(r.err.find("PIN is blocked"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(ws_.path("c.wire")));
}

TEST_F(Fido2Cli, NoTouchIsATokenRefusal) {
  keygen();
  ASSERT_TRUE(primary_->set_presence(Presence::kNoTouch));
  auto r = sign("operator.fido2key", "c.wire", 1);
  EXPECT_EQ(r.exit_code, kExitToken) << r.err;
  EXPECT_TRUE(ends_with_reason(r, "token_denied"));
  EXPECT_NE(r.err.find("not touched in time"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(ws_.path("c.wire")));
  EXPECT_TRUE(ws_.ledger_entries().empty());
}

TEST_F(Fido2Cli, AnotherTokenCannotUnwrapButAnEnrolledBackupCan) {
  const std::string pubkey = keygen();
  plug({backup_});
  auto r = sign("operator.fido2key", "c.wire", 1);
  EXPECT_EQ(r.exit_code, kExitToken) << r.err;
  EXPECT_TRUE(ends_with_reason(r, "token_unavailable"));
  EXPECT_NE(r.err.find("not enrolled"), std::string::npos) << r.err;

  // Enrol the backup with both plugged in: unlock with the primary.
  plug({primary_, backup_});
  r = fido2("add-token", {"--key", ws_.path("operator.fido2key"), "--unlock-device",
                          primary_->path(), "--unlock-pin-file", ws_.path("pin"), "--device",
                          backup_->path(), "--label", "backup"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto list = fido2("list", {"--key", ws_.path("operator.fido2key")}, "");
  EXPECT_NE(list.out.find("token 2: backup"), std::string::npos) << list.out;

  plug({backup_});  // the primary is lost
  expect_signed_and_verified(sign("operator.fido2key", "c.wire", 1), pubkey, "c.wire");

  // Retire the primary's slot: still signs with the backup.
  r = fido2("remove-token", {"--key", ws_.path("operator.fido2key"), "--token", "1"}, "");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_signed_and_verified(sign("operator.fido2key", "c2.wire", 2), pubkey, "c2.wire");
  plug({primary_});
  r = sign("operator.fido2key", "c3.wire", 3);
  EXPECT_EQ(r.exit_code, kExitToken) << r.err;
  r = fido2("remove-token", {"--key", ws_.path("operator.fido2key"), "--token", "1"}, "");
  EXPECT_EQ(r.exit_code, 2) << "the last token is never removed: " << r.err;
}

TEST_F(Fido2Cli, TouchOnlyEnrolmentNeedsNoPinToSign) {
  const std::string pubkey = keygen("touch.fido2key", {"--no-pin"});
  expect_signed_and_verified(sign("touch.fido2key", "c.wire", 1, ""), pubkey, "c.wire");
}

TEST_F(Fido2Cli, EditedKeyFileIsRefused) {
  keygen();
  std::string text = read_file(ws_.path("operator.fido2key"));
  const auto pos = text.find('\n') + 20;  // inside the base64 body
  text[pos] = text[pos] == 'A' ? 'B' : 'A';
  write_private_file(ws_.path("operator.fido2key"), text);
  auto r = sign("operator.fido2key", "c.wire", 1);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(r.exit_code == 4 || r.exit_code == kExitPassphrase) << r.err;
  EXPECT_TRUE(ends_with_reason(r, "key_format") || ends_with_reason(r, "wrong_passphrase"))
      << r.err;
  EXPECT_FALSE(fs::exists(ws_.path("c.wire")));
}

TEST_F(Fido2Cli, WorldReadableKeyFileIsRefused) {
  keygen();
  ::chmod(ws_.path("operator.fido2key").c_str(), 0644);
  auto r = sign("operator.fido2key", "c.wire", 1);
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "insecure_file"));
}

TEST_F(Fido2Cli, NoTokenPluggedIn) {
  keygen();
  plugged_.clear();
  auto r = sign("operator.fido2key", "c.wire", 1);
  EXPECT_EQ(r.exit_code, kExitToken) << r.err;
  EXPECT_NE(r.err.find("no FIDO2 token found"), std::string::npos) << r.err;
}

TEST_F(Fido2Cli, AHelperThatBreaksTheProtocolIsRefused) {
  keygen();
  // /bin/true reads nothing and answers nothing.
  auto r =
      run({"sign", "--first", "--key", ws_.path("operator.fido2key"), "--yes", "--now", kNowText,
           "--state-dir", ws_.state(), "--fido2-helper", "/bin/true", "--pin-file", ws_.path("pin"),
           "--out", ws_.path("c.wire"), ws_.write_input("c.json", cluster_input())});
  EXPECT_EQ(r.exit_code, kExitInternal) << r.err;
  EXPECT_TRUE(ends_with_reason(r, "helper_protocol"));
  EXPECT_FALSE(fs::exists(ws_.path("c.wire")));
  r = run({"sign", "--first", "--key", ws_.path("operator.fido2key"), "--yes", "--now", kNowText,
           "--state-dir", ws_.state(), "--fido2-helper", ws_.path("missing-helper"), "--out",
           ws_.path("c.wire"), ws_.write_input("c.json", cluster_input())});
  EXPECT_EQ(r.exit_code, kExitToken) << r.err;
  EXPECT_NE(r.err.find("not an executable file"), std::string::npos) << r.err;
}

TEST_F(Fido2Cli, KeygenRefusesAnExistingFileAndATokenWithoutPin) {
  keygen();
  auto r = fido2("keygen", {"--out", ws_.path("operator.fido2key")});
  EXPECT_EQ(r.exit_code, 7) << r.err;
  auto bare = make_token("bare.token", false);
  plug({bare});
  r = fido2("keygen", {"--out", ws_.path("bare.fido2key")});
  EXPECT_EQ(r.exit_code, kExitToken) << r.err;
  EXPECT_NE(r.err.find("has no PIN"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(ws_.path("bare.fido2key")));
}

// SIGKILL at every step of add-token's atomic replace of the key file
// (DMP_TEST_CRASH_AT, the dmp-sign-faulty build): the file is always the old
// one (one token) or the new one (two), 0600, and the enrolled token still
// signs; a later add-token completes the enrolment.
class Fido2AddTokenCrash : public Fido2Cli, public ::testing::WithParamInterface<const char*> {};

TEST_P(Fido2AddTokenCrash, KeyFileIsTheOldOrTheNewOne) {
  const std::string step = GetParam();
  const std::string pubkey = keygen();
  const std::string key = ws_.path("operator.fido2key");
  plug({primary_, backup_});
  const std::vector<std::string> add{
      "fido2",    "add-token",       "--fido2-helper", DMP_SIGN_FIDO2_SOFT_BIN, "--key",
      key,        "--unlock-device", primary_->path(), "--unlock-pin-file",     ws_.path("pin"),
      "--device", backup_->path(),   "--pin-file",     ws_.path("pin")};
  // The soft tokens as run() passes them, plus the crash step.
  auto crashed = run_process(
      [&] {
        std::vector<std::string> args = add;
        args.insert(args.begin(), DMP_SIGN_FAULTY_BIN);
        return args;
      }(),
      "", environment_with({"DMP_TEST_FIDO2_TOKENS=" + plugged_, "DMP_TEST_CRASH_AT=" + step}));
  ASSERT_EQ(crashed.exit_code, -1) << "killed at " << step << ": " << crashed.err;

  auto list = run({"fido2", "list", "--key", key});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  const bool replaced = replaced_by(step);
  EXPECT_EQ(list.out.find("token 2:") != std::string::npos, replaced) << list.out;
  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);

  plug({primary_});
  expect_signed_and_verified(sign("operator.fido2key", "c.wire", 1), pubkey, "c.wire");
  if (!replaced) {
    plug({primary_, backup_});
    auto again = run(add);
    ASSERT_EQ(again.exit_code, 0) << again.err;
  }
  plug({backup_});
  expect_signed_and_verified(sign("operator.fido2key", "c2.wire", 2), pubkey, "c2.wire");
}

INSTANTIATE_TEST_SUITE_P(EveryReplaceStep, Fido2AddTokenCrash, ::testing::ValuesIn(kReplaceSteps));

}  // namespace
}  // namespace dmp::test
