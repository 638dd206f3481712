// dmp-sign with keys on a PKCS#11 token, end to end: the real dmp-sign, the
// real dmp-sign-pkcs11 and a real SoftHSM2 token initialised by each test in
// its own directory (SOFTHSM2_CONF). Every wire is checked with the real
// dmp-verify. Two test-only modules over SoftHSM2 (wrap_module.c) stand in
// for a token that signs wrongly and one whose PIN is locked.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "sign/sign_test_support.hpp"

namespace dmp::test {
namespace {

constexpr int kExitPassphrase = 5;
constexpr int kExitIo = 7;
constexpr int kExitToken = 14;
const std::string kPin = "123456";
const std::string kModule = DMP_SOFTHSM_MODULE;

class Pkcs11Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::access(kModule.c_str(), R_OK), 0) << "SoftHSM2 is not installed: " << kModule;
    ASSERT_EQ(::access(DMP_SOFTHSM2_UTIL, X_OK), 0)
        << "softhsm2-util not found (apt-get install softhsm2)";
    fs::create_directory(ws_.path("tokens"));
    write_file(ws_.path("softhsm2.conf"), "directories.tokendir = " + ws_.path("tokens").string() +
                                              "\nobjectstore.backend = file\nlog.level = ERROR\n");
    env_ = environment_with(
        {"SOFTHSM2_CONF=" + ws_.path("softhsm2.conf").string(),
         // ASan builds: see lsan_helper.supp for why.
         "LSAN_OPTIONS=print_suppressions=0:suppressions=" DMP_P11_LSAN_SUPPRESSIONS});
    auto init = run_process({DMP_SOFTHSM2_UTIL, "--init-token", "--free", "--label", "dmp", "--pin",
                             kPin, "--so-pin", "12345678"},
                            "", env_);
    ASSERT_EQ(init.exit_code, 0) << init.out << init.err;
    write_private_file(ws_.path("pin"), kPin + "\n");
    write_private_file(ws_.path("wrong-pin"), "654321\n");
  }

  std::string uri(const std::string& object = "operator", const std::string& module = kModule,
                  const std::string& token = "dmp") const {
    return "pkcs11:token=" + token + ";object=" + object + "?module-path=" + module;
  }

  ProcessResult run(std::vector<std::string> args,
                    const std::string& program = DMP_SIGN_BIN) const {
    args.insert(args.begin(), program);
    return run_process(args, "", env_);
  }

  ProcessResult pkcs11(const std::string& sub, std::vector<std::string> extra) const {
    std::vector<std::string> args{"pkcs11", sub, "--pkcs11-helper", DMP_SIGN_PKCS11_BIN};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }

  // A new Ed25519 key on the token; its public key from the summary.
  std::string keygen(const std::string& object = "operator") {
    auto r = pkcs11("keygen", {"--key", uri(object), "--pin-file", ws_.path("pin")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return SignWorkspace::public_key_in_summary(r.out);
  }

  ProcessResult sign(const std::string& key, const std::string& out, int seq,
                     const std::string& pin_file = "pin", int nodes = 3) const {
    const auto input =
        ws_.write_input(out + ".json", cluster_input("mesh.example.com", seq, nodes));
    std::vector<std::string> args{
        "sign",   "--first",   "--key",       key,         "--yes",           "--now",
        kNowText, "--state-dir", ws_.state(), "--pkcs11-helper", DMP_SIGN_PKCS11_BIN,
        "--out",  ws_.path(out)};
    if (!pin_file.empty()) args.insert(args.end(), {"--pin-file", ws_.path(pin_file)});
    args.push_back(input);
    return run(args);
  }

  void expect_nothing_signed(const std::string& out) const {
    EXPECT_FALSE(fs::exists(ws_.path(out))) << "no wire may be written";
    EXPECT_TRUE(ws_.ledger_entries().empty()) << "no ledger entry may be made";
  }

  SignWorkspace ws_;
  std::vector<std::string> env_;
};

TEST_F(Pkcs11Cli, HelperReportsItsVersionAndRefusesATerminalUse) {
  auto r = run({"--version"}, DMP_SIGN_PKCS11_BIN);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("dmp-sign-pkcs11 "), std::string::npos) << r.out;
  auto extra = run({"list"}, DMP_SIGN_PKCS11_BIN);
  EXPECT_EQ(extra.exit_code, 2) << "an argument other than --version is refused";
}

TEST_F(Pkcs11Cli, KeygenListPubkeySignVerifyRoundTrip) {
  const std::string pubkey = keygen();
  ASSERT_EQ(pubkey.size(), 64u);

  auto list = pkcs11("list", {"--module", kModule});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("token \"dmp\""), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("Ed25519 key \"operator\""), std::string::npos) << list.out;
  EXPECT_NE(list.out.find(pubkey), std::string::npos) << list.out;

  auto pub = pkcs11("pubkey", {"--key", uri()});
  EXPECT_EQ(pub.out, pubkey + "\n") << pub.err;
  auto env = pkcs11("pubkey", {"--key", uri(), "--format", "dmp-env"});
  EXPECT_EQ(env.out, "operator_public_hex=" + pubkey + "\n") << env.err;

  auto r = sign(uri(), "cluster.wire", 1);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("PKCS#11 key"), std::string::npos) << "the review names the key kind";
  auto v = ws_.verify(pubkey, ws_.path("cluster.wire"));
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_EQ(ws_.ledger_entries().size(), 1u);
}

TEST_F(Pkcs11Cli, LedgerEnforcesSeqAsForKeyFiles) {
  keygen();
  ASSERT_EQ(sign(uri(), "one.wire", 1).exit_code, 0);
  // Other content under the same seq (the same body would be a re-emit).
  auto again = sign(uri(), "two.wire", 1, "pin", 2);
  EXPECT_EQ(again.exit_code, kExitSeq) << again.err;
  EXPECT_FALSE(fs::exists(ws_.path("two.wire")));
  EXPECT_EQ(ws_.ledger_entries().size(), 1u);
}

TEST_F(Pkcs11Cli, RenewSignsWithTheTokenKey) {
  const std::string pubkey = keygen();
  ASSERT_EQ(sign(uri(), "cluster.wire", 1).exit_code, 0);
  auto r = run({"renew", "--key", uri(), "--from", ws_.path("cluster.wire"), "--yes", "--now",
                kNowText, "--state-dir", ws_.state(), "--pkcs11-helper", DMP_SIGN_PKCS11_BIN,
                "--pin-file", ws_.path("pin"), "--out", ws_.path("renewed.wire")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ws_.verify(pubkey, ws_.path("renewed.wire")).exit_code, 0);
  EXPECT_EQ(ws_.ledger_entries().size(), 2u);
}

TEST_F(Pkcs11Cli, PinSourceInTheUriIsUsed) {
  const std::string pubkey = keygen();
  const std::string with_pin = uri() + "&pin-source=file:" + ws_.path("pin").string();
  auto r = sign(with_pin, "cluster.wire", 1, "");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ws_.verify(pubkey, ws_.path("cluster.wire")).exit_code, 0);
  auto both = sign(with_pin, "both.wire", 2);
  EXPECT_EQ(both.exit_code, kExitUsage) << both.err;
  EXPECT_TRUE(ends_with_reason(both, "usage"));
}

TEST_F(Pkcs11Cli, WrongPinExits5WithoutWireOrLedgerEntry) {
  keygen();
  auto r = sign(uri(), "cluster.wire", 1, "wrong-pin");
  EXPECT_EQ(r.exit_code, kExitPassphrase) << r.err;
  EXPECT_TRUE(ends_with_reason(r, "wrong_passphrase"));
  EXPECT_NE(r.err.find("CKR_PIN_INCORRECT"), std::string::npos) << r.err;
  expect_nothing_signed("cluster.wire");
}

TEST_F(Pkcs11Cli, LockedPinIsTokenDenied) {
  keygen();
  auto r = sign(uri("operator", DMP_P11_PIN_LOCKED_MODULE), "cluster.wire", 1);
  EXPECT_EQ(r.exit_code, kExitToken) << r.err;
  EXPECT_TRUE(ends_with_reason(r, "token_denied"));
  EXPECT_NE(r.err.find("locked"), std::string::npos) << r.err;
  expect_nothing_signed("cluster.wire");
}

TEST_F(Pkcs11Cli, WrongSignatureFromTheTokenNeverYieldsAWire) {
  keygen();
  auto r = sign(uri("operator", DMP_P11_BAD_SIGNATURE_MODULE), "cluster.wire", 1);
  EXPECT_NE(r.exit_code, 0) << r.err;
  EXPECT_TRUE(ends_with_reason(r, "bad_signature"));
  EXPECT_NE(r.err.find("self-check failed"), std::string::npos) << r.err;
  expect_nothing_signed("cluster.wire");
}

TEST_F(Pkcs11Cli, MissingTokenIsOneClearLine) {
  keygen();
  auto r = pkcs11("pubkey", {"--key", uri("operator", kModule, "absent")});
  EXPECT_EQ(r.exit_code, kExitToken);
  EXPECT_TRUE(one_line_refusal(r, "token_unavailable"));
  EXPECT_NE(r.err.find("no token matches token=absent"), std::string::npos) << r.err;
}

TEST_F(Pkcs11Cli, MissingKeyIsOneClearLine) {
  keygen();
  auto r = pkcs11("pubkey", {"--key", uri("absent")});
  EXPECT_EQ(r.exit_code, kExitToken);
  EXPECT_TRUE(one_line_refusal(r, "token_unavailable"));
  EXPECT_NE(r.err.find("object=absent"), std::string::npos) << r.err;
  auto s = sign(uri("absent"), "cluster.wire", 1);
  EXPECT_EQ(s.exit_code, kExitToken) << s.err;
  expect_nothing_signed("cluster.wire");
}

TEST_F(Pkcs11Cli, KeyOfAnotherTypeIsRefused) {
  // A P-256 key made by another tool, as an operator might find on a token.
  auto made =
      run_process({DMP_PKCS11_TOOL, "--module", kModule, "--token-label", "dmp", "--login", "--pin",
                   kPin, "--keypairgen", "--key-type", "EC:prime256v1", "--label", "p256"},
                  "", env_);
  ASSERT_EQ(made.exit_code, 0) << "pkcs11-tool (opensc) is needed: " << made.err;
  auto r = pkcs11("pubkey", {"--key", uri("p256")});
  EXPECT_EQ(r.exit_code, kExitKeyFile);
  EXPECT_TRUE(one_line_refusal(r, "key_format"));
  EXPECT_NE(r.err.find("not Ed25519"), std::string::npos) << r.err;
  auto s = sign(uri("p256"), "cluster.wire", 1);
  EXPECT_EQ(s.exit_code, kExitKeyFile) << s.err;
  expect_nothing_signed("cluster.wire");
}

TEST_F(Pkcs11Cli, ModuleThatCannotBeLoadedIsOneClearLine) {
  auto missing = pkcs11("list", {"--module", ws_.path("no-such-module.so")});
  EXPECT_EQ(missing.exit_code, kExitToken);
  EXPECT_TRUE(one_line_refusal(missing, "token_unavailable"));
  EXPECT_NE(missing.err.find("cannot load the PKCS#11 module"), std::string::npos) << missing.err;
  // A shared library that is not a PKCS#11 module.
  auto not_module = pkcs11("list", {"--module", "/lib/x86_64-linux-gnu/libc.so.6"});
  EXPECT_EQ(not_module.exit_code, kExitToken);
  EXPECT_NE(not_module.err.find("no C_GetFunctionList"), std::string::npos) << not_module.err;
  auto s = sign(uri("operator", ws_.path("no-such-module.so")), "cluster.wire", 1);
  EXPECT_EQ(s.exit_code, kExitToken) << s.err;
  expect_nothing_signed("cluster.wire");
}

TEST_F(Pkcs11Cli, KeygenRefusesASecondKeyWithTheSameLabel) {
  keygen();
  auto r = pkcs11("keygen", {"--key", uri(), "--pin-file", ws_.path("pin")});
  EXPECT_EQ(r.exit_code, kExitIo);
  EXPECT_TRUE(one_line_refusal(r, "already_exists"));
}

TEST_F(Pkcs11Cli, HelperMustBeAnExecutable) {
  auto r = run({"pkcs11", "list", "--module", kModule, "--pkcs11-helper", ws_.path("nothing")});
  EXPECT_EQ(r.exit_code, kExitToken);
  EXPECT_TRUE(one_line_refusal(r, "token_unavailable"));
}

}  // namespace
}  // namespace dmp::test
