// The soft authenticator through the real libfido2: every exchange below is
// libfido2's own CTAPHID framing, CBOR, PIN protocol and hmac-secret code
// talking to the token via fido_dev_set_io_functions(). Only the framing
// tests at the end write raw HID reports.
#include "soft_authenticator.hpp"

#include <fido.h>
#include <fido/es256.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ctap_hid.hpp"
#include "support/process.hpp"

namespace dmp::soft_fido2 {
namespace {

constexpr char kRp[] = "dmp-signer";
constexpr char kPin[] = "correct horse";

struct DevFree {
  void operator()(fido_dev_t* dev) const {
    fido_dev_close(dev);  // harmless (an error) when it was never opened
    fido_dev_free(&dev);
  }
};
struct CredFree {
  void operator()(fido_cred_t* cred) const { fido_cred_free(&cred); }
};
struct AssertFree {
  void operator()(fido_assert_t* assertion) const { fido_assert_free(&assertion); }
};
struct InfoFree {
  void operator()(fido_cbor_info_t* info) const { fido_cbor_info_free(&info); }
};
struct PkFree {
  void operator()(es256_pk_t* pk) const { es256_pk_free(&pk); }
};
using Device = std::unique_ptr<fido_dev_t, DevFree>;
using Cred = std::unique_ptr<fido_cred_t, CredFree>;
using Assert = std::unique_ptr<fido_assert_t, AssertFree>;

const std::array<uint8_t, 32> kClientDataHash = {1, 2, 3, 4, 5, 6, 7, 8};

Bytes salt(uint8_t fill) {
  return Bytes(32, fill);
}

class SoftAuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fido_init(0);
    auto made = SoftAuthenticator::open_or_create(dir_.path() / "token-a");
    ASSERT_TRUE(made);
    token_.emplace(*made);
  }

  // A libfido2 device on the token, or null (with a test failure) if it did not open.
  Device open(const SoftAuthenticator& token, int expected = FIDO_OK) {
    Device dev(fido_dev_new());
    EXPECT_EQ(open_soft_device(dev.get(), token.state_file()), expected);
    return dev;
  }

  // An ES256 credential with hmac-secret for kRp; `result` gets libfido2's code.
  Cred make_cred(fido_dev_t* dev, const char* pin, int* result = nullptr, const char* rp = kRp) {
    Cred cred(fido_cred_new());
    const uint8_t user_id[] = {42};
    EXPECT_EQ(fido_cred_set_type(cred.get(), COSE_ES256), FIDO_OK);
    EXPECT_EQ(fido_cred_set_clientdata_hash(cred.get(), kClientDataHash.data(), 32), FIDO_OK);
    EXPECT_EQ(fido_cred_set_rp(cred.get(), rp, "DMP signer"), FIDO_OK);
    EXPECT_EQ(fido_cred_set_user(cred.get(), user_id, 1, "operator", nullptr, nullptr), FIDO_OK);
    EXPECT_EQ(fido_cred_set_extensions(cred.get(), FIDO_EXT_HMAC_SECRET), FIDO_OK);
    const int r = fido_dev_make_cred(dev, cred.get(), pin);
    if (result != nullptr) {
      *result = r;
    } else {
      EXPECT_EQ(r, FIDO_OK) << fido_strerr(r);
    }
    return cred;
  }

  // A get-assertion for `cred` with the hmac-secret salt; `result` gets libfido2's code.
  Assert get_assert(fido_dev_t* dev, const fido_cred_t* cred, const Bytes& salt_bytes,
                    const char* pin, int* result = nullptr, fido_opt_t up = FIDO_OPT_OMIT) {
    Assert assertion(fido_assert_new());
    EXPECT_EQ(fido_assert_set_rp(assertion.get(), kRp), FIDO_OK);
    EXPECT_EQ(fido_assert_set_clientdata_hash(assertion.get(), kClientDataHash.data(), 32),
              FIDO_OK);
    EXPECT_EQ(
        fido_assert_allow_cred(assertion.get(), fido_cred_id_ptr(cred), fido_cred_id_len(cred)),
        FIDO_OK);
    EXPECT_EQ(fido_assert_set_extensions(assertion.get(), FIDO_EXT_HMAC_SECRET), FIDO_OK);
    EXPECT_EQ(fido_assert_set_hmac_salt(assertion.get(), salt_bytes.data(), salt_bytes.size()),
              FIDO_OK);
    EXPECT_EQ(fido_assert_set_up(assertion.get(), up), FIDO_OK);
    const int r = fido_dev_get_assert(dev, assertion.get(), pin);
    if (result != nullptr) {
      *result = r;
    } else {
      EXPECT_EQ(r, FIDO_OK) << fido_strerr(r);
    }
    return assertion;
  }

  // The hmac-secret output, or nullopt if the assertion failed.
  std::optional<Bytes> hmac_secret(fido_dev_t* dev, const fido_cred_t* cred, const Bytes& s,
                                   const char* pin) {
    int r = 0;
    const Assert assertion = get_assert(dev, cred, s, pin, &r);
    if (r != FIDO_OK || fido_assert_count(assertion.get()) != 1) return std::nullopt;
    const uint8_t* p = fido_assert_hmac_secret_ptr(assertion.get(), 0);
    return Bytes(p, p + fido_assert_hmac_secret_len(assertion.get(), 0));
  }

  int retries(fido_dev_t* dev) {
    int n = -1;
    EXPECT_EQ(fido_dev_get_retry_count(dev, &n), FIDO_OK);
    return n;
  }

  test::TempDir dir_;
  std::optional<SoftAuthenticator> token_;
};

TEST_F(SoftAuthenticatorTest, GetInfoAdvertisesHmacSecretAndPinProtocolOne) {
  const Device dev = open(*token_);
  ASSERT_TRUE(fido_dev_is_fido2(dev.get()));
  EXPECT_TRUE(fido_dev_supports_pin(dev.get()));
  EXPECT_FALSE(fido_dev_has_pin(dev.get()));

  std::unique_ptr<fido_cbor_info_t, InfoFree> info(fido_cbor_info_new());
  ASSERT_EQ(fido_dev_get_cbor_info(dev.get(), info.get()), FIDO_OK);
  const std::vector<std::string> versions(
      fido_cbor_info_versions_ptr(info.get()),
      fido_cbor_info_versions_ptr(info.get()) + fido_cbor_info_versions_len(info.get()));
  EXPECT_EQ(versions, std::vector<std::string>{"FIDO_2_0"});
  ASSERT_EQ(fido_cbor_info_extensions_len(info.get()), 1u);
  EXPECT_STREQ(fido_cbor_info_extensions_ptr(info.get())[0], "hmac-secret");
  EXPECT_EQ(fido_cbor_info_aaguid_len(info.get()), 16u);
  EXPECT_EQ(fido_cbor_info_maxmsgsiz(info.get()), 1200u);
  ASSERT_EQ(fido_cbor_info_protocols_len(info.get()), 1u);
  EXPECT_EQ(fido_cbor_info_protocols_ptr(info.get())[0], 1);
}

TEST_F(SoftAuthenticatorTest, SetPinChangePinAndRetryCount) {
  Device dev = open(*token_);
  ASSERT_EQ(fido_dev_set_pin(dev.get(), kPin, nullptr), FIDO_OK);
  EXPECT_EQ(retries(dev.get()), 8);
  EXPECT_EQ(fido_dev_set_pin(dev.get(), "another", nullptr), FIDO_ERR_PIN_AUTH_INVALID);

  EXPECT_EQ(fido_dev_set_pin(dev.get(), "new pin", "not the pin"), FIDO_ERR_PIN_INVALID);
  EXPECT_EQ(retries(dev.get()), 7);
  EXPECT_EQ(fido_dev_set_pin(dev.get(), "new pin", kPin), FIDO_OK);
  EXPECT_EQ(retries(dev.get()), 8);

  // A fresh open sees the PIN in getInfo.
  dev = open(*token_);
  EXPECT_TRUE(fido_dev_has_pin(dev.get()));
  make_cred(dev.get(), "new pin");
}

TEST_F(SoftAuthenticatorTest, HmacSecretIsDeterministicPerCredentialSaltAndUv) {
  ASSERT_TRUE(token_->set_pin(kPin));
  const Device dev = open(*token_);
  const Cred cred = make_cred(dev.get(), kPin);
  EXPECT_EQ(fido_cred_verify_self(cred.get()), FIDO_OK);  // packed self attestation
  EXPECT_EQ(fido_cred_flags(cred.get()) & 0x05, 0x05);    // UP and UV
  ASSERT_EQ(fido_cred_pubkey_len(cred.get()), 64u);

  const auto a1 = hmac_secret(dev.get(), cred.get(), salt(0xa1), kPin);
  ASSERT_TRUE(a1);
  EXPECT_EQ(a1->size(), 32u);
  EXPECT_EQ(hmac_secret(dev.get(), cred.get(), salt(0xa1), kPin), a1);
  const auto b = hmac_secret(dev.get(), cred.get(), salt(0xb2), kPin);
  ASSERT_TRUE(b);
  EXPECT_NE(*b, *a1);
  // Without the PIN there is no UV, and the token uses the other CredRandom.
  const auto no_uv = hmac_secret(dev.get(), cred.get(), salt(0xa1), nullptr);
  ASSERT_TRUE(no_uv);
  EXPECT_NE(*no_uv, *a1);
  EXPECT_EQ(hmac_secret(dev.get(), cred.get(), salt(0xa1), nullptr), no_uv);

  // The assertion verifies against the credential's public key.
  const Assert assertion = get_assert(dev.get(), cred.get(), salt(0xa1), kPin);
  EXPECT_EQ(fido_assert_flags(assertion.get(), 0) & 0x05, 0x05);
  std::unique_ptr<es256_pk_t, PkFree> pk(es256_pk_new());
  ASSERT_EQ(es256_pk_from_ptr(pk.get(), fido_cred_pubkey_ptr(cred.get()), 64), FIDO_OK);
  EXPECT_EQ(fido_assert_verify(assertion.get(), 0, COSE_ES256, pk.get()), FIDO_OK);
  // ... and another credential's key does not verify it.
  const Cred other = make_cred(dev.get(), kPin);
  ASSERT_EQ(es256_pk_from_ptr(pk.get(), fido_cred_pubkey_ptr(other.get()), 64), FIDO_OK);
  EXPECT_EQ(fido_assert_verify(assertion.get(), 0, COSE_ES256, pk.get()), FIDO_ERR_INVALID_SIG);
  // Each credential has its own CredRandoms.
  EXPECT_NE(hmac_secret(dev.get(), other.get(), salt(0xa1), kPin), a1);
}

TEST_F(SoftAuthenticatorTest, MakeCredentialNeedsThePinOnceSet) {
  ASSERT_TRUE(token_->set_pin(kPin));
  const Device dev = open(*token_);
  int r = 0;
  make_cred(dev.get(), nullptr, &r);
  EXPECT_EQ(r, FIDO_ERR_PIN_REQUIRED);
}

TEST_F(SoftAuthenticatorTest, WrongPinsCountDownThenBlock) {
  ASSERT_TRUE(token_->set_pin(kPin));
  const Device dev = open(*token_);
  const Cred cred = make_cred(dev.get(), kPin);
  const auto expect_assert = [&](const char* pin, int expected) {
    int r = 0;
    get_assert(dev.get(), cred.get(), salt(1), pin, &r);
    EXPECT_EQ(r, expected) << fido_strerr(r);
  };

  expect_assert("wrong", FIDO_ERR_PIN_INVALID);
  EXPECT_EQ(retries(dev.get()), 7);
  expect_assert(kPin, FIDO_OK);  // a right PIN restores the counter
  EXPECT_EQ(retries(dev.get()), 8);

  // Three wrong PINs in a row block PIN use until the token is replugged.
  for (int round = 0; round < 2; ++round) {
    expect_assert("wrong", FIDO_ERR_PIN_INVALID);
    expect_assert("wrong", FIDO_ERR_PIN_INVALID);
    expect_assert("wrong", FIDO_ERR_PIN_AUTH_BLOCKED);
    expect_assert(kPin, FIDO_ERR_PIN_AUTH_BLOCKED);
    token_->power_cycle();
  }
  EXPECT_EQ(retries(dev.get()), 2);
  expect_assert("wrong", FIDO_ERR_PIN_INVALID);
  expect_assert("wrong", FIDO_ERR_PIN_BLOCKED);
  EXPECT_EQ(retries(dev.get()), 0);
  token_->power_cycle();
  expect_assert(kPin, FIDO_ERR_PIN_BLOCKED);
  EXPECT_EQ(retries(dev.get()), 0);
}

TEST_F(SoftAuthenticatorTest, AnotherTokenOrRpCannotUseTheCredential) {
  const Device dev = open(*token_);
  const Cred cred = make_cred(dev.get(), nullptr);
  ASSERT_TRUE(hmac_secret(dev.get(), cred.get(), salt(7), nullptr));

  const auto token_b = SoftAuthenticator::open_or_create(dir_.path() / "token-b");
  ASSERT_TRUE(token_b);
  const Device dev_b = open(*token_b);
  int r = 0;
  get_assert(dev_b.get(), cred.get(), salt(7), nullptr, &r);
  EXPECT_EQ(r, FIDO_ERR_NO_CREDENTIALS);

  // Same token, credential made for another RP.
  const Cred foreign = make_cred(dev.get(), nullptr, nullptr, "example.org");
  get_assert(dev.get(), foreign.get(), salt(7), nullptr, &r);
  EXPECT_EQ(r, FIDO_ERR_NO_CREDENTIALS);
}

TEST_F(SoftAuthenticatorTest, UserPresenceTimeoutDenialAndUpFalse) {
  const Device dev = open(*token_);
  const Cred cred = make_cred(dev.get(), nullptr);
  int r = 0;

  ASSERT_TRUE(token_->set_presence(Presence::kNoTouch));
  make_cred(dev.get(), nullptr, &r);
  EXPECT_EQ(r, FIDO_ERR_USER_ACTION_TIMEOUT);
  get_assert(dev.get(), cred.get(), salt(3), nullptr, &r);
  EXPECT_EQ(r, FIDO_ERR_USER_ACTION_TIMEOUT);

  // With up=false the token does not wait for a touch, and says so in the flags.
  const Assert silent = get_assert(dev.get(), cred.get(), salt(3), nullptr, &r, FIDO_OPT_FALSE);
  ASSERT_EQ(r, FIDO_OK) << fido_strerr(r);
  EXPECT_EQ(fido_assert_flags(silent.get(), 0) & 0x01, 0);

  ASSERT_TRUE(token_->set_presence(Presence::kDeny));
  get_assert(dev.get(), cred.get(), salt(3), nullptr, &r);
  EXPECT_EQ(r, FIDO_ERR_OPERATION_DENIED);

  ASSERT_TRUE(token_->set_presence(Presence::kTouch));
  get_assert(dev.get(), cred.get(), salt(3), nullptr, &r);
  EXPECT_EQ(r, FIDO_OK);
}

TEST_F(SoftAuthenticatorTest, UnpluggedTokenFailsToOpenAndMidSession) {
  Device dev = open(*token_);
  const Cred cred = make_cred(dev.get(), nullptr);
  ASSERT_TRUE(token_->set_plugged_in(false));
  int r = 0;
  make_cred(dev.get(), nullptr, &r);
  EXPECT_EQ(r, FIDO_ERR_TX);
  get_assert(dev.get(), cred.get(), salt(9), nullptr, &r);
  EXPECT_NE(r, FIDO_OK);             // the key agreement for hmac-secret fails first
  open(*token_, FIDO_ERR_INTERNAL);  // libfido2's code for io.open() returning NULL

  ASSERT_TRUE(token_->set_plugged_in(true));
  dev = open(*token_);
  EXPECT_TRUE(hmac_secret(dev.get(), cred.get(), salt(9), nullptr));
}

TEST_F(SoftAuthenticatorTest, StatePersistsAcrossReopeningAndProcesses) {
  ASSERT_TRUE(token_->set_pin(kPin));
  Device dev = open(*token_);
  const Cred cred = make_cred(dev.get(), kPin);
  const auto before = hmac_secret(dev.get(), cred.get(), salt(5), kPin);
  ASSERT_TRUE(before);

  dev = open(*token_);
  EXPECT_EQ(hmac_secret(dev.get(), cred.get(), salt(5), kPin), before);

  // A child process opens the token by its state file alone, derives the same
  // secret, and spends one PIN retry that the parent then sees.
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(pipe_fds[0]);
    Device child(fido_dev_new());
    int code = 1;
    if (open_soft_device(child.get(), token_->state_file()) == FIDO_OK) {
      const auto secret = hmac_secret(child.get(), cred.get(), salt(5), kPin);
      int r = 0;
      get_assert(child.get(), cred.get(), salt(5), "wrong", &r);
      if (secret && r == FIDO_ERR_PIN_INVALID &&
          write(pipe_fds[1], secret->data(), secret->size()) == 32) {
        code = 0;
      }
    }
    _exit(code);
  }
  close(pipe_fds[1]);
  Bytes from_child(32);
  EXPECT_EQ(read(pipe_fds[0], from_child.data(), from_child.size()), 32);
  close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(from_child, *before);
  EXPECT_EQ(retries(dev.get()), 7);
}

// CTAPHID framing, below libfido2: raw reports through the same I/O hooks.
class CtapHidFramingTest : public SoftAuthenticatorTest {
 protected:
  void SetUp() override {
    SoftAuthenticatorTest::SetUp();
    handle_ = soft_authenticator_io().open(token_->path().c_str());
  }
  void TearDown() override {
    if (handle_ != nullptr) soft_authenticator_io().close(handle_);
  }
  void write(std::array<uint8_t, 64> report) {
    std::array<uint8_t, 65> out{};  // report ID 0, then the report
    std::copy(report.begin(), report.end(), out.begin() + 1);
    ASSERT_EQ(soft_authenticator_io().write(handle_, out.data(), out.size()), 65);
  }
  std::optional<std::array<uint8_t, 64>> read() {
    std::array<uint8_t, 64> in{};
    if (soft_authenticator_io().read(handle_, in.data(), in.size(), 0) != 64) return std::nullopt;
    return in;
  }
  // A channel from CTAPHID_INIT on the broadcast channel.
  std::array<uint8_t, 4> init_channel() {
    std::array<uint8_t, 64> init{0xff, 0xff, 0xff, 0xff, 0x86, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8};
    write(init);
    const auto reply = read();
    EXPECT_TRUE(reply);
    if (!reply) return {};
    EXPECT_EQ((*reply)[4], 0x86);
    EXPECT_EQ((*reply)[6], 17);
    EXPECT_TRUE(std::equal(reply->begin() + 7, reply->begin() + 15, init.begin() + 7));
    EXPECT_EQ((*reply)[7 + 16] & 0x0c, 0x0c);  // CBOR, no CTAP1 MSG
    return {(*reply)[15], (*reply)[16], (*reply)[17], (*reply)[18]};
  }

  void* handle_ = nullptr;
};

TEST_F(CtapHidFramingTest, PingEchoesAcrossContinuationPackets) {
  ASSERT_NE(handle_, nullptr);
  const auto cid = init_channel();
  std::array<uint8_t, 64> first{cid[0], cid[1], cid[2], cid[3], 0x81, 0, 100};
  for (int i = 7; i < 64; ++i)
    first[i] = static_cast<uint8_t>(i);
  std::array<uint8_t, 64> second{cid[0], cid[1], cid[2], cid[3], 0};
  for (int i = 5; i < 64; ++i)
    second[i] = static_cast<uint8_t>(i + 52);
  write(first);
  EXPECT_FALSE(read());  // nothing until the message is complete
  write(second);
  const auto r1 = read();
  const auto r2 = read();
  ASSERT_TRUE(r1 && r2);
  EXPECT_EQ(*r1, first);
  EXPECT_EQ((*r2)[4], 0);
  EXPECT_TRUE(std::equal(r2->begin() + 5, r2->begin() + 5 + 43, second.begin() + 5));
}

TEST_F(CtapHidFramingTest, BadFramesGetErrorReplies) {
  ASSERT_NE(handle_, nullptr);
  const auto cid = init_channel();
  const auto expect_error = [&](uint8_t code) {
    const auto reply = read();
    ASSERT_TRUE(reply);
    EXPECT_EQ((*reply)[4], 0xbf);  // CTAPHID_ERROR
    EXPECT_EQ((*reply)[7], code);
  };
  write({0x12, 0x34, 0x56, 0x78, 0x81, 0, 1, 0});  // unallocated channel
  expect_error(0x0b);
  write({cid[0], cid[1], cid[2], cid[3], 0x81, 0, 100});  // two-packet ping ...
  write({cid[0], cid[1], cid[2], cid[3], 5});             // ... wrong sequence number
  expect_error(0x04);
  write({cid[0], cid[1], cid[2], cid[3], 0x83, 0, 0});  // CTAPHID_MSG: no CTAP1 here
  expect_error(0x01);
  write({cid[0], cid[1], cid[2], cid[3], 0x81, 0x20, 0});  // longer than any message
  expect_error(0x03);
}

}  // namespace
}  // namespace dmp::soft_fido2
