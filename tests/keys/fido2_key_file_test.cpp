// The FIDO2-wrapped key file (signer/keyfile/fido2_key_format.hpp and
// fido2_key_crypto.hpp): layout round trips, every limit, one slot per token
// with independent authentication, and refusal of every edited byte. The
// hmac-secret outputs here are fixed test values standing in for tokens.
#include <gtest/gtest.h>
#include <sodium.h>

#include <cstring>
#include <string>

#include "dmp/hsm/file_key.hpp"
#include "keyfile/fido2_key_crypto.hpp"
#include "keyfile/fido2_key_format.hpp"
#include "keyfile/key_file_format.hpp"

namespace dmp::keyfile::fido2 {
namespace {

hsm::SecretBuffer filled(std::size_t size, std::uint8_t value) {
  hsm::SecretBuffer b(size);
  std::memset(b.data(), value, size);
  return b;
}

TokenSlot slot(std::string label, std::uint8_t salt_byte, std::size_t credential_len = 64) {
  TokenSlot s;
  s.rp_id = std::string(kDefaultRpId);
  s.credential_id.assign(credential_len, salt_byte);
  s.salt.fill(salt_byte);
  s.flags = kFlagUserVerification | kFlagUserPresence;
  s.label = std::move(label);
  return s;
}

class Fido2KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    file_.public_key = hsm::public_key_of_seed(seed_);
    file_.created = 1'900'000'000;
    file_.comment = "prod 2026";
    file_.tokens = {slot("YubiKey primary", 0x11), slot("YubiKey backup", 0x22)};
    ASSERT_TRUE(wrap_seed(seed_, primary_, file_, file_.tokens[0]).has_value());
    ASSERT_TRUE(wrap_seed(seed_, backup_, file_, file_.tokens[1]).has_value());
  }

  Bytes encoded() const {
    auto bytes = encode_fido2_key_file(file_);
    EXPECT_TRUE(bytes.has_value());
    return bytes ? *bytes : Bytes{};
  }

  hsm::SecretBuffer seed_ = filled(32, 0x5a);
  hsm::SecretBuffer primary_ = filled(kHmacSecretLen, 0xa1);
  hsm::SecretBuffer backup_ = filled(kHmacSecretLen, 0xb2);
  Fido2KeyFile file_;
};

TEST_F(Fido2KeyFileTest, RoundTripsInBinaryAndArmour) {
  auto back = decode_fido2_key_file(encoded());
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(*back, file_);
  auto text = format_fido2_key_file_text(file_);
  ASSERT_TRUE(text.has_value());
  EXPECT_TRUE(text->starts_with("-----BEGIN DMP FIDO2 SIGNING KEY-----\n"));
  EXPECT_TRUE(looks_like_fido2_key_file(*text));
  auto parsed = parse_fido2_key_file_text(*text);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message();
  EXPECT_EQ(*parsed, file_);
}

TEST_F(Fido2KeyFileTest, FixedLayoutOffsets) {
  const Bytes b = encoded();
  EXPECT_EQ(std::string(b.begin(), b.begin() + 8), "DMPFIDO2");
  EXPECT_EQ(b[8], 1);
  EXPECT_TRUE(std::equal(file_.public_key.begin(), file_.public_key.end(), b.begin() + 9));
  EXPECT_EQ(b[49], 0);
  EXPECT_EQ(b[50], file_.comment.size());
  EXPECT_EQ(b[kCommonFixedLen + file_.comment.size()], 2);  // token count
  const std::size_t slot_size = 1 + 10 + 2 + 64 + 32 + 1 + 1 + 15 + 24 + 48;
  EXPECT_EQ(b.size(), kCommonFixedLen + file_.comment.size() + 1 + slot_size + (slot_size - 1));
}

TEST_F(Fido2KeyFileTest, EachTokenUnwrapsOnlyItsOwnSlot) {
  auto from_primary = unwrap_seed(file_, 0, primary_);
  ASSERT_TRUE(from_primary.has_value()) << from_primary.error().message();
  EXPECT_TRUE(from_primary->equals(seed_));
  auto from_backup = unwrap_seed(file_, 1, backup_);
  ASSERT_TRUE(from_backup.has_value());
  EXPECT_TRUE(from_backup->equals(seed_));
  EXPECT_EQ(unwrap_seed(file_, 0, backup_).error().reason, Reason::wrong_passphrase);
  EXPECT_EQ(unwrap_seed(file_, 1, primary_).error().reason, Reason::wrong_passphrase);
  EXPECT_EQ(unwrap_seed(file_, 2, primary_).error().reason, Reason::usage);
}

TEST_F(Fido2KeyFileTest, RemovingAnotherTokenKeepsASlotValid) {
  file_.tokens.erase(file_.tokens.begin());
  auto back = decode_fido2_key_file(encoded());
  ASSERT_TRUE(back.has_value());
  EXPECT_TRUE(unwrap_seed(*back, 0, backup_).has_value());
}

TEST_F(Fido2KeyFileTest, WrappingRefusesASeedOfAnotherKey) {
  TokenSlot extra = slot("other", 0x33);
  auto other_seed = filled(32, 0x01);
  EXPECT_EQ(wrap_seed(other_seed, primary_, file_, extra).error().reason, Reason::key_mismatch);
}

TEST_F(Fido2KeyFileTest, ASlotGraftedFromAnotherKeysFileIsRefused) {
  // Someone without our seed wraps their own seed under the same header
  // fields except the key: the slot's associated data binds the public key.
  Fido2KeyFile theirs = file_;
  auto their_seed = filled(32, 0x02);
  theirs.public_key = hsm::public_key_of_seed(their_seed);
  TokenSlot grafted = slot("grafted", 0x44);
  ASSERT_TRUE(wrap_seed(their_seed, primary_, theirs, grafted).has_value());
  file_.tokens.push_back(grafted);
  EXPECT_EQ(unwrap_seed(file_, 2, primary_).error().reason, Reason::wrong_passphrase);
}

// Every single-byte edit of the common header or of slot 1's bytes is
// refused for slot 1 (by the decoder or by the AEAD); slot 2 is unaffected
// by edits inside slot 1.
TEST_F(Fido2KeyFileTest, EveryEditedByteIsRefused) {
  const Bytes original = encoded();
  const std::size_t slot1_start = kCommonFixedLen + file_.comment.size() + 1;
  const std::size_t slot1_end = slot1_start + (1 + 10 + 2 + 64 + 32 + 1 + 1 + 15 + 24 + 48);
  for (std::size_t i = 0; i < slot1_end; ++i) {
    Bytes edited = original;
    edited[i] ^= 0x01;
    auto decoded = decode_fido2_key_file(edited);
    if (!decoded) {
      EXPECT_TRUE(decoded.error().reason == Reason::key_format ||
                  decoded.error().reason == Reason::key_version)
          << i;
      continue;
    }
    EXPECT_FALSE(unwrap_seed(*decoded, 0, primary_).has_value()) << "byte " << i;
    if (i >= slot1_start && decoded->tokens.size() == 2) {
      EXPECT_TRUE(unwrap_seed(*decoded, 1, backup_).has_value()) << "byte " << i;
    }
  }
}

TEST_F(Fido2KeyFileTest, TruncationAtEveryOffsetIsRefused) {
  const Bytes original = encoded();
  for (std::size_t n = 0; n < original.size(); ++n) {
    auto r = decode_fido2_key_file(std::span(original.data(), n));
    ASSERT_FALSE(r.has_value()) << n;
    EXPECT_EQ(r.error().reason, Reason::key_format) << n;
  }
  Bytes longer = original;
  longer.push_back(0);
  EXPECT_NE(decode_fido2_key_file(longer).error().message().find("1 unexpected trailing bytes"),
            std::string::npos);
}

TEST_F(Fido2KeyFileTest, UnknownVersionNamesTheVersion) {
  Bytes b = encoded();
  b[8] = 2;
  auto r = decode_fido2_key_file(b);
  EXPECT_EQ(r.error().reason, Reason::key_version);
  EXPECT_NE(r.error().message().find("format version 2 is not supported"), std::string::npos);
}

TEST_F(Fido2KeyFileTest, LimitsAtTheEdgeAndOnePast) {
  const auto refused = [&](const char* field) {
    auto bytes = encode_fido2_key_file(file_);
    if (bytes) return ::testing::AssertionFailure() << "encoded";
    if (bytes.error().field != field) return ::testing::AssertionFailure() << bytes.error().field;
    return ::testing::AssertionSuccess();
  };
  file_.tokens.assign(kMaxTokens, file_.tokens[0]);
  EXPECT_TRUE(decode_fido2_key_file(encoded()).has_value());
  file_.tokens.push_back(file_.tokens[0]);
  EXPECT_TRUE(refused("tokens"));
  file_.tokens.clear();
  EXPECT_TRUE(refused("tokens"));

  file_.tokens = {slot("x", 0x11, kMaxCredentialIdLen)};
  EXPECT_TRUE(decode_fido2_key_file(encoded()).has_value());
  file_.tokens = {slot("x", 0x11, kMaxCredentialIdLen + 1)};
  EXPECT_TRUE(refused("credential_id"));
  file_.tokens = {slot("x", 0x11, 0)};
  EXPECT_TRUE(refused("credential_id"));

  file_.tokens = {slot(std::string(kMaxLabelLen, 'l'), 0x11)};
  EXPECT_TRUE(decode_fido2_key_file(encoded()).has_value());
  file_.tokens = {slot(std::string(kMaxLabelLen + 1, 'l'), 0x11)};
  EXPECT_TRUE(refused("label"));
  file_.tokens = {slot("tab\there", 0x11)};
  EXPECT_TRUE(refused("label"));

  file_.tokens = {slot("x", 0x11)};
  file_.tokens[0].rp_id = std::string(kMaxRpIdLen, 'r');
  EXPECT_TRUE(decode_fido2_key_file(encoded()).has_value());
  file_.tokens[0].rp_id = "";
  EXPECT_TRUE(refused("rp_id"));
  file_.tokens[0].rp_id = "dmp signer";
  EXPECT_TRUE(refused("rp_id"));

  file_.tokens = {slot("x", 0x11)};
  file_.tokens[0].flags = 0x04;
  EXPECT_TRUE(refused("flags"));
  file_.tokens[0].flags = 0;
  EXPECT_TRUE(decode_fido2_key_file(encoded()).has_value());

  file_.comment = "\x1b[31m";
  EXPECT_TRUE(refused("comment"));
}

TEST_F(Fido2KeyFileTest, APassphraseKeyFileIsNotReadAsAFido2OneNorTheOtherWay) {
  auto text = format_fido2_key_file_text(file_);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(keyfile::parse_key_file_text(*text).error().reason, Reason::key_format);
  const std::string plain = keyfile::armor(encoded());  // a DMP SIGNING KEY armour
  EXPECT_FALSE(looks_like_fido2_key_file(plain));
  auto r = parse_fido2_key_file_text(plain);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("BEGIN DMP FIDO2 SIGNING KEY"), std::string::npos);
}

}  // namespace
}  // namespace dmp::keyfile::fido2
