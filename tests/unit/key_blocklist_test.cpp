// §1.2.1: the low-order key blocklist and the 32-byte key length, checked
// before every verification (Reason::bad_key).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dmp/verify.hpp"
#include "support/vectors.hpp"
#include "unit_helpers.hpp"

namespace dmp::unit {
namespace {

// The 14 encodings listed in §1.2.1, as written there.
const std::vector<std::string> kLowOrderKeysHex = {
    "0100000000000000000000000000000000000000000000000000000000000000",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "0100000000000000000000000000000000000000000000000000000000000080",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
};

TEST(KeyBlocklist, AllFourteenLowOrderKeysRefused) {
  ASSERT_EQ(kLowOrderKeysHex.size(), 14u);
  const std::string cluster = sign_manifest(sample_manifest());
  const std::string bootstrap = sign_bootstrap(sample_bootstrap());
  const Bytes message = {1, 2, 3};
  const Signature sig = test::sign_bytes(operator_key(), message);
  for (const std::string& text : kLowOrderKeysHex) {
    SCOPED_TRACE(text);
    const Bytes key = test::from_hex(text);
    ASSERT_EQ(key.size(), 32u);
    EXPECT_TRUE(is_rejected_public_key(key));
    EXPECT_REASON(verify_cluster(cluster, key, at(kNow)), Reason::bad_key);
    EXPECT_REASON(verify_bootstrap(bootstrap, key, at(kNow)), Reason::bad_key);
    EXPECT_REASON(verify(cluster, key, at(kNow)), Reason::bad_key);
    EXPECT_REASON(check_signature(message, sig, key), Reason::bad_key);
  }
}

TEST(KeyBlocklist, NeighboursOfBlockedKeysAreNotBlocked) {
  // The list is exact: changing one bit of a blocked encoding leaves it.
  for (const std::string& text : kLowOrderKeysHex) {
    Bytes key = test::from_hex(text);
    key[5] ^= 0x10;
    EXPECT_FALSE(is_rejected_public_key(key)) << text;
  }
}

TEST(KeyBlocklist, KeysThatAreNot32BytesRefused) {
  const std::string cluster = sign_manifest(sample_manifest());
  const PublicKey& good = operator_key().public_key;
  for (std::size_t len : {0u, 1u, 31u, 33u, 64u}) {
    SCOPED_TRACE(len);
    Bytes key(good.begin(), good.begin() + std::min<std::size_t>(len, 32));
    key.resize(len, 0x00);
    EXPECT_TRUE(is_rejected_public_key(key));
    EXPECT_REASON(verify_cluster(cluster, key, at(kNow)), Reason::bad_key);
    EXPECT_REASON(verify_bootstrap(sign_bootstrap(sample_bootstrap()), key, at(kNow)),
                  Reason::bad_key);
  }
  // 33 bytes that start with the right key are still refused.
  Bytes longer(good.begin(), good.end());
  longer.push_back(0);
  EXPECT_REASON(verify_cluster(cluster, longer, at(kNow)), Reason::bad_key);
}

TEST(KeyBlocklist, OrdinaryKeysPass) {
  EXPECT_FALSE(is_rejected_public_key(operator_key().public_key));
  EXPECT_FALSE(is_rejected_public_key(signer_key().public_key));
  const Bytes message = {1, 2, 3};
  EXPECT_REASON(check_signature(message, test::sign_bytes(operator_key(), message),
                                operator_key().public_key),
                Reason::ok);
  EXPECT_REASON(
      check_signature(message, test::sign_bytes(other_key(), message), operator_key().public_key),
      Reason::bad_signature);
}

TEST(KeyBlocklist, EmbeddedBlockedKeyIsAKeyMismatchNotABadKey) {
  // The blocklist applies to the pinned key; a blocked key inside the body
  // of a record signed by the pinned key is simply not the pinned key.
  const Bytes body = cluster_body("mesh.example.com", {{"n01", "h", ""}}, 1, kExp,
                                  key_from_hex(kLowOrderKeysHex[0]));
  EXPECT_REASON(verify_cluster(signed_cluster_wire(body), operator_key().public_key, at(kNow)),
                Reason::key_mismatch);
}

}  // namespace
}  // namespace dmp::unit
