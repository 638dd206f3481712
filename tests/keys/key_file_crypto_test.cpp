// Sealing and opening key files (signer/keyfile/key_file_crypto.hpp):
// Argon2id + XChaCha20-Poly1305 with the whole header as associated data.
// Every file here uses the interactive KDF level (64 MiB, 2 passes).
#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dmp/hsm/file_key.hpp"
#include "key_test_support.hpp"
#include "keyfile/key_file_crypto.hpp"
#include "keyfile/key_file_format.hpp"

namespace dmp::keyfile {
namespace {

using test::kOtherPassphrase;
using test::kPassphrase;
using test::secret;

constexpr std::uint64_t kCreated = 1'795'000'000;

hsm::SecretBuffer test_seed(std::uint8_t first = 0x42) {
  hsm::SecretBuffer seed(32);
  for (std::size_t i = 0; i < 32; ++i)
    seed.data()[i] = static_cast<std::uint8_t>(first + i);
  return seed;
}

KeyFile sealed(const hsm::SecretBuffer& seed, std::string comment = "test key") {
  auto key_file = seal_seed(seed, secret(kPassphrase), kdf_params(KdfLevel::interactive),
                            std::move(comment), kCreated);
  if (!key_file) {
    ADD_FAILURE() << key_file.error().message();
    return {};
  }
  return *key_file;
}

TEST(KeyFileSeal, SealOpenRoundTrip) {
  const auto seed = test_seed();
  const KeyFile k = sealed(seed);
  EXPECT_EQ(k.kdf, kdf_params(KdfLevel::interactive));
  EXPECT_EQ(k.comment, "test key");
  EXPECT_EQ(k.created, kCreated);
  EXPECT_EQ(k.public_key, hsm::public_key_of_seed(seed));
  auto opened = open_seed(k, secret(kPassphrase));
  ASSERT_TRUE(opened) << opened.error().message();
  EXPECT_TRUE(opened->equals(seed));
}

TEST(KeyFileSeal, RoundTripThroughTheArmouredText) {
  const auto seed = test_seed(7);
  const std::string text = format_key_file_text(sealed(seed, ""));
  auto parsed = parse_key_file_text(text);
  ASSERT_TRUE(parsed) << parsed.error().message();
  auto opened = open_seed(*parsed, secret(kPassphrase));
  ASSERT_TRUE(opened) << opened.error().message();
  EXPECT_TRUE(opened->equals(seed));
}

TEST(KeyFileSeal, SealedSeedIsNotThePlainSeed) {
  const auto seed = test_seed();
  const KeyFile k = sealed(seed);
  EXPECT_NE(sodium_memcmp(k.sealed_seed.data(), seed.data(), 32), 0);
  const Bytes file = encode_key_file(k);
  const std::string file_hex = test::hex_encode(file);
  EXPECT_EQ(file_hex.find(test::hex_encode(seed.span())), std::string::npos);
}

TEST(KeyFileSeal, FreshSaltAndNonceEveryTime) {
  const auto seed = test_seed();
  const KeyFile a = sealed(seed);
  const KeyFile b = sealed(seed);
  EXPECT_NE(a.salt, b.salt);
  EXPECT_NE(a.nonce, b.nonce);
  EXPECT_NE(a.sealed_seed, b.sealed_seed);
  EXPECT_EQ(a.public_key, b.public_key);
}

TEST(KeyFileSeal, WrongPassphraseIsRefused) {
  const KeyFile k = sealed(test_seed());
  for (const std::string_view wrong :
       {kOtherPassphrase, std::string_view(kPassphrase).substr(0, kPassphrase.size() - 1),
        std::string_view("correct horse battery staple 4711 "), std::string_view("x")}) {
    auto opened = open_seed(k, secret(wrong));
    ASSERT_FALSE(opened) << wrong;
    EXPECT_EQ(opened.error().reason, Reason::wrong_passphrase);
    EXPECT_EQ(opened.error().message().find(std::string(kPassphrase)), std::string::npos);
  }
}

TEST(KeyFileSeal, OpenSeedGivesTheSameSeedAsSealed) {
  // Two unrelated seeds, two files: each opens to its own seed.
  const auto a = test_seed(1);
  const auto b = test_seed(100);
  auto opened_a = open_seed(sealed(a), secret(kPassphrase));
  auto opened_b = open_seed(sealed(b), secret(kPassphrase));
  ASSERT_TRUE(opened_a && opened_b);
  EXPECT_TRUE(opened_a->equals(a));
  EXPECT_TRUE(opened_b->equals(b));
  EXPECT_FALSE(opened_a->equals(b));
}

TEST(KeyFileSeal, RefusesParametersOutsideTheBoundsBeforeDerivingAnything) {
  const auto seed = test_seed();
  for (const KdfParams kdf : {KdfParams{1, 64ULL << 20}, KdfParams{17, 64ULL << 20},
                              KdfParams{2, (64ULL << 20) - 1}, KdfParams{2, (4ULL << 30) + 1}}) {
    auto key_file = seal_seed(seed, secret(kPassphrase), kdf, "", kCreated);
    ASSERT_FALSE(key_file);
    EXPECT_EQ(key_file.error().reason, Reason::kdf_limits);
  }
}

TEST(KeyFileSeal, RefusesABadComment) {
  auto key_file = seal_seed(test_seed(), secret(kPassphrase), kdf_params(KdfLevel::interactive),
                            std::string(1025, 'c'), kCreated);
  ASSERT_FALSE(key_file);
  EXPECT_EQ(key_file.error().reason, Reason::invalid_field);
  key_file = seal_seed(test_seed(), secret(kPassphrase), kdf_params(KdfLevel::interactive),
                       "line\nbreak", kCreated);
  ASSERT_FALSE(key_file);
  EXPECT_EQ(key_file.error().reason, Reason::invalid_field);
}

// A file whose AEAD authenticates but whose stored public key is not the
// seed's: only someone holding the passphrase can make one, and it is still
// refused (the clear public key is what `pubkey` shows and verifiers pin).
TEST(KeyFileSeal, AuthenticatedButMismatchingPublicKeyIsKeyMismatch) {
  const auto seed = test_seed();
  KeyFile k = sealed(seed);
  k.public_key = hsm::public_key_of_seed(test_seed(9));
  std::uint8_t key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
  const std::string pass(kPassphrase);
  ASSERT_EQ(crypto_pwhash(key, sizeof key, pass.data(), pass.size(), k.salt.data(), k.kdf.opslimit,
                          static_cast<std::size_t>(k.kdf.memlimit), crypto_pwhash_ALG_ARGON2ID13),
            0);
  const Bytes header = encode_header(k);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(k.sealed_seed.data(), &len, seed.data(), 32,
                                             header.data(), header.size(), nullptr, k.nonce.data(),
                                             key);
  ASSERT_EQ(len, kSealedSeedLen);
  auto opened = open_seed(k, secret(kPassphrase));
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().reason, Reason::key_mismatch);
}

// Every byte of a real key file, flipped (lowest bit): refused when parsed
// (magic, version, KDF id, KDF bounds, lengths) or when opened with the right
// passphrase (everything the AEAD covers: the rest of the header as
// associated data, the sealed seed as ciphertext and tag).
Reason expected_reason_for_flip(std::size_t offset, std::size_t comment_len) {
  if (offset < 6) return Reason::key_format;                        // magic
  if (offset < 8) return Reason::key_version;                       // version, KDF id
  if (offset < 15) return Reason::kdf_limits;                       // opslimit 2 -> >= 258
  if (offset == 15) return Reason::wrong_passphrase;                // opslimit 2 -> 3
  if (offset < 20) return Reason::kdf_limits;                       // memlimit -> > 4 GiB
  if (offset < 24) return Reason::wrong_passphrase;                 // memlimit 64 -> 64..80 MiB
  if (offset < 104) return Reason::wrong_passphrase;                // salt, nonce, key, created
  if (offset < 106) return Reason::key_format;                      // comment length
  if (offset < 106 + comment_len) return Reason::wrong_passphrase;  // comment
  return Reason::wrong_passphrase;                                  // sealed seed + tag
}

class KeyFileByteFlip : public ::testing::TestWithParam<std::pair<std::size_t, std::size_t>> {
 protected:
  static void SetUpTestSuite() {
    seed_ = new hsm::SecretBuffer(test_seed());
    file_ = new Bytes(encode_key_file(sealed(*seed_)));
  }
  static void TearDownTestSuite() {
    delete seed_;
    delete file_;
  }
  static inline hsm::SecretBuffer* seed_ = nullptr;
  static inline Bytes* file_ = nullptr;
};

TEST_P(KeyFileByteFlip, EveryByteFlippedIsRefused) {
  const std::size_t comment_len = std::string("test key").size();
  ASSERT_EQ(file_->size(), kFixedHeaderLen + comment_len + kSealedSeedLen);
  const auto [begin, end] = GetParam();
  {
    // The unmodified file opens: the refusals below are the flips' doing.
    auto decoded = decode_key_file(*file_);
    ASSERT_TRUE(decoded);
    auto opened = open_seed(*decoded, secret(kPassphrase));
    ASSERT_TRUE(opened) << opened.error().message();
  }
  for (std::size_t offset = begin; offset < std::min(end, file_->size()); ++offset) {
    Bytes flipped = *file_;
    flipped[offset] ^= 0x01;
    const Reason expected = expected_reason_for_flip(offset, comment_len);
    auto decoded = decode_key_file(flipped);
    if (!decoded) {
      EXPECT_EQ(decoded.error().reason, expected)
          << "offset " << offset << ": " << decoded.error().message();
      continue;
    }
    EXPECT_EQ(expected, Reason::wrong_passphrase) << "offset " << offset << " parsed";
    auto opened = open_seed(*decoded, secret(kPassphrase));
    ASSERT_FALSE(opened) << "offset " << offset << " still opens";
    EXPECT_EQ(opened.error().reason, Reason::wrong_passphrase) << "offset " << offset;
  }
}

// Split so ctest can run the ranges in parallel (each open is one Argon2id).
INSTANTIATE_TEST_SUITE_P(Ranges, KeyFileByteFlip,
                         ::testing::Values(std::pair<std::size_t, std::size_t>{0, 40},
                                           std::pair<std::size_t, std::size_t>{40, 80},
                                           std::pair<std::size_t, std::size_t>{80, 114},
                                           std::pair<std::size_t, std::size_t>{114, 140},
                                           std::pair<std::size_t, std::size_t>{140, 1000}));

// Only 32-byte seeds exist; anything else is a programming error that must
// stop the process rather than overrun the 48-byte sealed seed.
TEST(KeyFileSealDeathTest, SeedOfTheWrongSizeAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        hsm::SecretBuffer seed(33);
        (void)seal_seed(seed, secret(kPassphrase), kdf_params(KdfLevel::interactive), "", 0);
      },
      "");
  EXPECT_DEATH(
      {
        hsm::SecretBuffer seed(31);
        (void)hsm::public_key_of_seed(seed);
      },
      "");
}

TEST(KeyFileSeal, PublicKeyIsTheSeedsEd25519Key) {
  // RFC 8032 test 1: the seed 9d61b1...7f60 has public key d75a98...511a.
  const auto seed =
      test::secret_from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  const KeyFile k = sealed(seed);
  EXPECT_EQ(test::hex_encode(k.public_key),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
}

}  // namespace
}  // namespace dmp::keyfile
