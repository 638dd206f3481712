// How Ed25519 keys look in PKCS#11 attributes (hsm/pkcs11/ed25519_encoding):
// both CKA_EC_PARAMS spellings and both CKA_EC_POINT forms are read, nothing
// else. SoftHSM2 exercises only the printable string and the wrapped point;
// ykcs11's OID and bare points are covered here.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "ed25519_encoding.hpp"

namespace dmp::hsm::pkcs11 {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(Ed25519Encoding, BothCurveSpellingsAreEd25519) {
  EXPECT_TRUE(is_ed25519_params(
      Bytes{0x13, 0x0c, 'e', 'd', 'w', 'a', 'r', 'd', 's', '2', '5', '5', '1', '9'}));
  EXPECT_TRUE(is_ed25519_params(Bytes{0x06, 0x03, 0x2b, 0x65, 0x70}));  // 1.3.101.112
}

TEST(Ed25519Encoding, OtherCurvesAndNearMissesAreNot) {
  EXPECT_FALSE(is_ed25519_params(Bytes{0x06, 0x03, 0x2b, 0x65, 0x71}));  // Ed448
  EXPECT_FALSE(is_ed25519_params(
      Bytes{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}));  // P-256
  EXPECT_FALSE(is_ed25519_params(
      Bytes{0x13, 0x0a, 'c', 'u', 'r', 'v', 'e', '2', '5', '5', '1', '9'}));  // X25519's name
  EXPECT_FALSE(is_ed25519_params(Bytes{0x06, 0x03, 0x2b, 0x65}));             // truncated
  EXPECT_FALSE(is_ed25519_params(Bytes{}));
}

TEST(Ed25519Encoding, PointWrappedOrBare) {
  Bytes raw(32);
  for (std::size_t i = 0; i < raw.size(); ++i)
    raw[i] = static_cast<std::uint8_t>(i + 1);
  Bytes wrapped{0x04, 0x20};
  wrapped.insert(wrapped.end(), raw.begin(), raw.end());
  for (const Bytes& point : {wrapped, raw}) {
    auto key = public_key_from_ec_point(point);
    ASSERT_TRUE(key.has_value());
    EXPECT_TRUE(std::equal(key->begin(), key->end(), raw.begin()));
  }
}

TEST(Ed25519Encoding, OtherPointShapesAreRefused) {
  EXPECT_FALSE(public_key_from_ec_point(Bytes(31, 1)).has_value());
  EXPECT_FALSE(public_key_from_ec_point(Bytes(33, 1)).has_value());
  Bytes wrong_tag(34, 1);
  wrong_tag[0] = 0x03;  // a BIT STRING, not an OCTET STRING
  wrong_tag[1] = 0x20;
  EXPECT_FALSE(public_key_from_ec_point(wrong_tag).has_value());
  Bytes wrong_length(34, 1);
  wrong_length[0] = 0x04;
  wrong_length[1] = 0x21;
  EXPECT_FALSE(public_key_from_ec_point(wrong_length).has_value());
  Bytes p256_point(65, 1);
  p256_point[0] = 0x04;  // an uncompressed P-256 point
  EXPECT_FALSE(public_key_from_ec_point(p256_point).has_value());
}

}  // namespace
}  // namespace dmp::hsm::pkcs11
