// Crash safety of `dmp-sign passwd`: dmp-sign-faulty kills itself with
// SIGKILL at each step of the key file's atomic replace (DMP_TEST_CRASH_AT,
// signer/sign/fault_injection.hpp; the steps are in
// signer/common/private_file.cpp). After a crash at any step the key file is
// there, 0600, and opens with exactly one of the two passphrases -- the old
// one before the rename, the new one from the rename on -- giving the same
// public key.
//
// A crash before the rename leaves the temporary file (.op.key.tmp-XXXXXX,
// 0600, at most the new encryption of the same seed). Nothing removes it: a
// passwd cannot tell a stale temporary from one a concurrent passwd is still
// writing. It never blocks anything, since every run picks a fresh random
// name; the test checks that the next real passwd and a keygen next to it
// succeed.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "key_test_support.hpp"
#include "keyfile/key_store.hpp"
#include "sign/exit_codes.hpp"
#include "support/crash_steps.hpp"

namespace dmp::test {
namespace {

constexpr int kTrials = 2;

// This process's environment with DMP_TEST_CRASH_AT=step.
std::vector<std::string> crash_environment(const std::string& step) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string(*e).rfind("DMP_TEST_CRASH_AT=", 0) != 0) env.emplace_back(*e);
  }
  env.push_back("DMP_TEST_CRASH_AT=" + step);
  return env;
}

class PasswdCrashAt : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    passes_[0] = write_private(dir_, "pass-a", std::string(kPassphrase) + "\n");
    passes_[1] = write_private(dir_, "pass-b", std::string(kOtherPassphrase) + "\n");
    const auto r = run_sign(
        {"keygen", "--out", key(), "--kdf", "interactive", "--passphrase-file", passes_[0]});
    ASSERT_EQ(r.exit_code, cli::kExitOk) << r.err;
    public_key_ = printed_public_key(r.out);
    ASSERT_EQ(public_key_.size(), 64u);
  }

  std::string key() const { return (dir_.path() / "op.key").string(); }

  std::vector<std::string> temporaries() const {
    std::vector<std::string> found;
    for (const auto& name : dir_.entries()) {
      if (name.rfind(".op.key.tmp-", 0) == 0) found.push_back(name);
    }
    return found;
  }

  // The key opens with passphrase `current` (and not with the other one) and
  // gives the original public key.
  void expect_opens_with(int current) {
    EXPECT_EQ(mode_of(key()), 0600u);
    auto opened = keyfile::unlock_key_file(key(), {passes_[current], std::nullopt});
    ASSERT_TRUE(opened) << opened.error().message();
    EXPECT_EQ(hex_encode((*opened)->public_key()), public_key_);
    auto other = keyfile::unlock_key_file(key(), {passes_[1 - current], std::nullopt});
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().reason, Reason::wrong_passphrase);
  }

  TempDir dir_;
  std::string passes_[2];
  std::string public_key_;
};

TEST_P(PasswdCrashAt, KeyOpensWithTheOldOrTheNewPassphrase) {
  const std::string step = GetParam();
  int current = 0;  // index of the passphrase the key file opens with
  for (int trial = 0; trial < kTrials; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    const auto crashed =
        run_process({DMP_SIGN_FAULTY_BIN, "passwd", "--key", key(), "--passphrase-file",
                     passes_[current], "--new-passphrase-file", passes_[1 - current]},
                    "", crash_environment(step));
    ASSERT_EQ(crashed.exit_code, -1) << "did not crash at " << step << ": " << crashed.err;
    if (replaced_by(step)) current = 1 - current;
    expect_opens_with(current);
    // The temporary is left exactly when the crash came before the rename.
    const auto left = temporaries();
    EXPECT_EQ(left.size(), replaced_by(step) ? 0u : static_cast<std::size_t>(trial) + 1);
    for (const auto& name : left) {
      EXPECT_EQ(mode_of(dir_.path() / name), 0600u) << name;
    }

    // A leftover blocks nothing: the real passwd goes on.
    const auto again = run_sign({"passwd", "--key", key(), "--passphrase-file", passes_[current],
                                 "--new-passphrase-file", passes_[1 - current]});
    ASSERT_EQ(again.exit_code, cli::kExitOk) << again.err;
    current = 1 - current;
    expect_opens_with(current);
    EXPECT_EQ(temporaries().size(), left.size()) << "the real passwd left a temporary file";
  }
  // Nor does it block creating a key next to it.
  const auto keygen = run_sign({"keygen", "--out", (dir_.path() / "next.key").string(), "--kdf",
                                "interactive", "--passphrase-file", passes_[0]});
  EXPECT_EQ(keygen.exit_code, cli::kExitOk) << keygen.err;
}

INSTANTIATE_TEST_SUITE_P(EveryStep, PasswdCrashAt, ::testing::ValuesIn(kReplaceSteps),
                         [](const auto& param) { return std::string(param.param); });

}  // namespace
}  // namespace dmp::test
