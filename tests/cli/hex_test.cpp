// signer/common/hex: the key text typed on command lines and kept in files.
#include "common/hex.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <string>

namespace {

using dmp::Reason;
using dmp::cli::hex_decode;
using dmp::cli::hex_encode;
using dmp::cli::parse_public_key_hex;

const std::string kKey = "2ec2785b7b2e0f5cf5a3bf6fc620cb9e1e67fa798577cfbfea34c46a20fc168b";

TEST(Hex, EncodesLowerCase) {
  const dmp::Bytes bytes = {0x00, 0x0f, 0xa0, 0xff};
  EXPECT_EQ(hex_encode(bytes), "000fa0ff");
  EXPECT_EQ(hex_encode({}), "");
}

TEST(Hex, DecodesEitherCase) {
  auto bytes = hex_decode("00fFaB", "x");
  ASSERT_TRUE(bytes);
  EXPECT_EQ(*bytes, (dmp::Bytes{0x00, 0xff, 0xab}));
  auto empty = hex_decode("", "x");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(Hex, RefusesOddLength) {
  auto bytes = hex_decode("abc", "--pubkey");
  ASSERT_FALSE(bytes);
  EXPECT_EQ(bytes.error().reason, Reason::invalid_field);
  EXPECT_EQ(bytes.error().message.rfind("--pubkey: ", 0), 0u) << bytes.error().message;
}

TEST(Hex, RefusesEverythingButHexDigits) {
  for (const char* text : {"0g", "g0", " 0", "0 ", "0x00", "-1", "+1", "\n0", "00\n"}) {
    EXPECT_FALSE(hex_decode(text, "x")) << '"' << text << '"';
  }
  auto bad = hex_decode("00zz", "k");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("'z' at position 3"), std::string::npos)
      << bad.error().message;
  auto control = hex_decode(std::string("0\x01", 2), "k");
  ASSERT_FALSE(control);
  EXPECT_NE(control.error().message.find("byte 1 at position 2"), std::string::npos);
}

TEST(Hex, PublicKeyIsExactly64Digits) {
  auto key = parse_public_key_hex(kKey, "--pubkey");
  ASSERT_TRUE(key);
  EXPECT_EQ(hex_encode(*key), kKey);

  std::string upper = kKey;
  for (char& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto upper_key = parse_public_key_hex(upper, "--pubkey");
  ASSERT_TRUE(upper_key);
  EXPECT_EQ(*upper_key, *key);

  auto short_key = parse_public_key_hex(kKey.substr(0, 63), "--pubkey");  // one short
  ASSERT_FALSE(short_key);
  EXPECT_NE(short_key.error().message.find("found 63 characters"), std::string::npos);
  EXPECT_FALSE(parse_public_key_hex(kKey + "0", "--pubkey"));   // one past
  EXPECT_FALSE(parse_public_key_hex(kKey + "00", "--pubkey"));  // 33 bytes
  EXPECT_FALSE(parse_public_key_hex(kKey.substr(0, 62), "--pubkey"));
  EXPECT_FALSE(parse_public_key_hex("", "--pubkey"));
  std::string bad_digit = kKey;
  bad_digit[10] = 'g';
  EXPECT_FALSE(parse_public_key_hex(bad_digit, "--pubkey"));
  EXPECT_FALSE(
      parse_public_key_hex(std::string(" ").append(kKey.substr(1)), "--pubkey"));  // no trimming
}

}  // namespace
