// dmp/encoding.hpp: the one encoding module (hex, base64 in both flavours,
// big-endian integers). Expected values are written out by hand, never
// produced by the module itself.
#include "dmp/encoding.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <limits>
#include <string>

#include "dmp/expiry.hpp"

namespace dmp::encoding {
namespace {

const std::string kKey = "2ec2785b7b2e0f5cf5a3bf6fc620cb9e1e67fa798577cfbfea34c46a20fc168b";

// ---- hex --------------------------------------------------------------------

TEST(Hex, EncodesLowerCase) {
  const Bytes bytes = {0x00, 0x0f, 0xa0, 0xff};
  EXPECT_EQ(hex_encode(bytes), "000fa0ff");
  EXPECT_EQ(hex_encode({}), "");
}

TEST(Hex, DecodesEitherCase) {
  auto bytes = hex_decode("00fFaB", "x");
  ASSERT_TRUE(bytes);
  EXPECT_EQ(*bytes, (Bytes{0x00, 0xff, 0xab}));
  auto empty = hex_decode("", "x");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(Hex, RoundTripsEveryByte) {
  Bytes all;
  for (int b = 0; b < 256; ++b)
    all.push_back(static_cast<std::uint8_t>(b));
  const std::string text = hex_encode(all);
  ASSERT_EQ(text.size(), 512u);
  EXPECT_EQ(text.substr(0, 8), "00010203");
  EXPECT_EQ(text.substr(504), "fcfdfeff");
  auto back = hex_decode(text, "x");
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, all);
}

TEST(Hex, RefusesOddLength) {
  auto bytes = hex_decode("abc", "--pubkey");
  ASSERT_FALSE(bytes);
  EXPECT_EQ(bytes.error().reason, Reason::invalid_field);
  EXPECT_EQ(bytes.error().field, "--pubkey");
  EXPECT_EQ(bytes.error().message(), "--pubkey: hex must have an even number of digits (has 3)");
}

TEST(Hex, RefusesEverythingButHexDigits) {
  for (const char* text : {"0g", "g0", " 0", "0 ", "0x00", "0X00", "-1", "+1", "\n0", "00\n", "\t0",
                           "00:11", "00 11", "0,"}) {
    EXPECT_FALSE(hex_decode(text, "x")) << '"' << text << '"';
    EXPECT_FALSE(is_hex(text) && std::string_view(text).size() % 2 == 0) << text;
  }
  auto bad = hex_decode("00zz", "k");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().reason, Reason::invalid_field);
  EXPECT_EQ(bad.error().message(), "k: 'z' at position 3 is not a hex digit");
  auto control = hex_decode(std::string("0\x01", 2), "k");
  ASSERT_FALSE(control);
  EXPECT_EQ(control.error().message(), "k: byte 1 at position 2 is not a hex digit");
  auto high = hex_decode(std::string("\xff"
                                     "0",
                                     2),
                         "k");
  ASSERT_FALSE(high);
  EXPECT_EQ(high.error().message(), "k: byte 255 at position 1 is not a hex digit");
  auto nul = hex_decode(std::string("0\0", 2), "k");  // libsodium would stop here
  ASSERT_FALSE(nul);
  EXPECT_EQ(nul.error().message(), "k: byte 0 at position 2 is not a hex digit");
}

TEST(Hex, IsHexTakesDigitsOfEitherCaseOnly) {
  EXPECT_TRUE(is_hex(""));
  EXPECT_TRUE(is_hex("0123456789abcdefABCDEF"));
  EXPECT_TRUE(is_hex("abc"));  // any length: digits only
  EXPECT_FALSE(is_hex("0x"));
  EXPECT_FALSE(is_hex("g"));
  EXPECT_FALSE(is_hex(" "));
  EXPECT_FALSE(is_hex(std::string(1, '\0')));
}

TEST(Hex, DecodeIntoNeedsExactlyTwiceTheBufferSize) {
  std::uint8_t out[2] = {};
  EXPECT_TRUE(hex_decode_into("a0FF", out));
  EXPECT_EQ(out[0], 0xa0);
  EXPECT_EQ(out[1], 0xff);
  EXPECT_FALSE(hex_decode_into("a0f", out));     // short
  EXPECT_FALSE(hex_decode_into("a0ff00", out));  // long
  EXPECT_FALSE(hex_decode_into("a0fg", out));    // not a digit
  EXPECT_FALSE(hex_decode_into("a0 f", out));
  EXPECT_FALSE(hex_decode_into(" a0ff", out));
  EXPECT_TRUE(hex_decode_into("", std::span<std::uint8_t>()));
  EXPECT_FALSE(hex_decode_into("00", std::span<std::uint8_t>()));
}

TEST(Hex, PublicKeyIsExactly64Digits) {
  auto key = public_key_from_hex(kKey, "--pubkey");
  ASSERT_TRUE(key);
  EXPECT_EQ(hex_encode(*key), kKey);
  EXPECT_EQ((*key)[0], 0x2e);
  EXPECT_EQ((*key)[31], 0x8b);

  std::string upper = kKey;
  for (char& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto upper_key = public_key_from_hex(upper, "--pubkey");
  ASSERT_TRUE(upper_key);
  EXPECT_EQ(*upper_key, *key);

  auto short_key = public_key_from_hex(kKey.substr(0, 63), "--pubkey");  // one short
  ASSERT_FALSE(short_key);
  EXPECT_EQ(short_key.error().message(),
            "--pubkey: a public key is 64 hex digits (32 bytes); found 63 characters");
  EXPECT_FALSE(public_key_from_hex(kKey + "0", "--pubkey"));   // one past
  EXPECT_FALSE(public_key_from_hex(kKey + "00", "--pubkey"));  // 33 bytes
  EXPECT_FALSE(public_key_from_hex(kKey.substr(0, 62), "--pubkey"));
  EXPECT_FALSE(public_key_from_hex("", "--pubkey"));
  std::string bad_digit = kKey;
  bad_digit[10] = 'g';
  auto bad = public_key_from_hex(bad_digit, "--pubkey");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(), "--pubkey: 'g' at position 11 is not a hex digit");
  EXPECT_FALSE(
      public_key_from_hex(std::string(" ").append(kKey.substr(1)), "--pubkey"));  // no trimming
}

// ---- base64, strict ---------------------------------------------------------

Bytes bytes_of(std::string_view text) {
  return Bytes(text.begin(), text.end());
}

TEST(Base64, EncodesRfc4648TestVectors) {  // RFC 4648 section 10
  EXPECT_EQ(base64_encode(bytes_of("")), "");
  EXPECT_EQ(base64_encode(bytes_of("f")), "Zg==");
  EXPECT_EQ(base64_encode(bytes_of("fo")), "Zm8=");
  EXPECT_EQ(base64_encode(bytes_of("foo")), "Zm9v");
  EXPECT_EQ(base64_encode(bytes_of("foob")), "Zm9vYg==");
  EXPECT_EQ(base64_encode(bytes_of("fooba")), "Zm9vYmE=");
  EXPECT_EQ(base64_encode(bytes_of("foobar")), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(Bytes{0xfb, 0xff, 0xbf}), "+/+/");  // the standard alphabet, not url-safe
}

TEST(Base64, StrictRoundTripsEveryLength) {
  Bytes bytes;
  for (std::size_t n = 0; n < 70; ++n) {
    auto back = base64_decode(base64_encode(bytes), "b");
    ASSERT_TRUE(back) << n;
    EXPECT_EQ(*back, bytes);
    bytes.push_back(static_cast<std::uint8_t>(n * 37 + 200));
  }
}

TEST(Base64, StrictDecodesOnlyTheCanonicalForm) {
  auto foob = base64_decode("Zm9vYg==", "b");
  ASSERT_TRUE(foob);
  EXPECT_EQ(*foob, bytes_of("foob"));
  for (const char* text : {"Zm9vYg",   "Zm9vYg=",  "Zm9vYg===", "Zm9vYmE",  "Zm9vYmE==",
                           "Zm9v=",    "Zm9v====", "Zh==",      "Zm9=",     "Z",
                           "Zm9vY",    "=Zm9",     "Zm=9v",     "Zg==Zg==", "Zm9v\n",
                           "Zm9v\r\n", " Zm9v",    "Zm 9v",     "Zm9v-_",   "Zm9v\t"}) {
    auto decoded = base64_decode(text, "b");
    EXPECT_FALSE(decoded) << '"' << text << '"';
    if (!decoded) {
      EXPECT_EQ(decoded.error().reason, Reason::bad_base64);
      EXPECT_EQ(decoded.error().field, "b");
    }
  }
}

TEST(Base64, StrictRefusesBytesOutsideTheAlphabet) {
  // libsodium alone would read every byte >= 0x80 as '/'.
  for (int byte = 0x80; byte <= 0xff; ++byte) {
    const std::string text = std::string("Zm9") + static_cast<char>(byte);
    EXPECT_FALSE(base64_decode(text, "b")) << byte;
  }
  auto bad = base64_decode("Zm!v", "armoured body");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(), "armoured body: '!' is outside the base64 alphabet");
  auto high = base64_decode("Zm9\x80", "b");
  ASSERT_FALSE(high);
  EXPECT_EQ(high.error().message(), "b: byte 128 is outside the base64 alphabet");
  auto form = base64_decode("Zh==", "b");
  ASSERT_FALSE(form);
  EXPECT_EQ(form.error().message(), "b: not canonical base64 (length, '=' padding or unused bits)");
}

// ---- base64, the reference's lenient acceptance (§1.4) ------------------------

TEST(Base64Reference, AcceptsTheCanonicalForm) {
  auto foob = base64_decode_reference("Zm9vYg==");
  ASSERT_TRUE(foob);
  EXPECT_EQ(*foob, bytes_of("foob"));
  auto empty = base64_decode_reference("");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(Base64Reference, AcceptsWhatCpython311Accepts) {
  auto surplus = base64_decode_reference("Zm9v=====");  // '=' after a full quantum: ignored
  ASSERT_TRUE(surplus);
  EXPECT_EQ(*surplus, bytes_of("foo"));
  auto one_bits = base64_decode_reference("Zh==");  // unused bits ignored ("Zg==")
  ASSERT_TRUE(one_bits);
  EXPECT_EQ(*one_bits, bytes_of("f"));
  auto two_bits = base64_decode_reference("Zm9=");  // unused bits ignored ("Zm8=")
  ASSERT_TRUE(two_bits);
  EXPECT_EQ(*two_bits, bytes_of("fo"));
}

TEST(Base64Reference, RefusesWhatCpython311Refuses) {
  for (const char* text : {"=", "=Zm9v", "Zm9vYg", "Zm9vYg=", "Zm9vYg===", "Zm9vYmE", "Zm9vYmE==",
                           "Zm9vY", "Zm9vY===", "Zg==Zg==", "Zm=9v", "Zm9v\n", " Zm9v", "Zm9v-_"}) {
    EXPECT_FALSE(base64_decode_reference(text)) << '"' << text << '"';
  }
}

TEST(Base64Reference, RefusesACharacterOutsideTheAlphabetInLastPosition) {
  // The last character's unused bits are masked off: an invalid one must be
  // refused before, not masked into a valid one.
  EXPECT_FALSE(base64_decode_reference("Z!=="));
  EXPECT_FALSE(base64_decode_reference("Zm!="));
  EXPECT_FALSE(base64_decode_reference(std::string("Zm\x80=")));
  EXPECT_FALSE(base64_decode_reference(std::string("Z\xff==")));
}

// ---- big-endian -------------------------------------------------------------

TEST(BigEndian, WritesEveryWidthMostSignificantFirst) {
  Bytes out;
  write_be(out, 0x0102030405060708, 8);
  EXPECT_EQ(out, (Bytes{1, 2, 3, 4, 5, 6, 7, 8}));
  out.clear();
  write_be(out, 0x0102030405060708, 3);  // the low three bytes
  EXPECT_EQ(out, (Bytes{6, 7, 8}));
  out.clear();
  write_be(out, 0xab, 1);
  write_be(out, 0x1234, 2);
  EXPECT_EQ(out, (Bytes{0xab, 0x12, 0x34}));
  out.clear();
  write_be(out, 7, 10);  // wider than 8: leading zeros
  EXPECT_EQ(out, (Bytes{0, 0, 0, 0, 0, 0, 0, 0, 0, 7}));
  out.clear();
  write_be(out, 7, 0);
  EXPECT_TRUE(out.empty());
}

TEST(BigEndian, RoundTripsMaxValuesOfEveryWidth) {
  for (std::size_t width = 1; width <= 8; ++width) {
    const std::uint64_t max = width == 8 ? std::numeric_limits<std::uint64_t>::max()
                                         : (std::uint64_t{1} << (8 * width)) - 1;
    for (const std::uint64_t value : {std::uint64_t{0}, std::uint64_t{1}, max - 1, max}) {
      Bytes out;
      write_be(out, value, width);
      ASSERT_EQ(out.size(), width);
      EXPECT_EQ(read_be(out, width), value) << width;
    }
    Bytes ones(width, 0xff);
    EXPECT_EQ(read_be(ones, width), max);
  }
}

TEST(BigEndian, ReadsTheFirstWidthBytesAndRefusesShortInput) {
  const Bytes bytes = {0x12, 0x34, 0x56};
  EXPECT_EQ(read_be(bytes, 1), 0x12u);
  EXPECT_EQ(read_be(bytes, 2), 0x1234u);
  EXPECT_EQ(read_be(bytes, 3), 0x123456u);
  EXPECT_EQ(read_be(bytes, 4), std::nullopt);  // short
  EXPECT_EQ(read_be({}, 1), std::nullopt);
  EXPECT_EQ(read_be(bytes, 0), std::nullopt);  // widths are 1..8
  EXPECT_EQ(read_be(Bytes(9, 0), 9), std::nullopt);
}

TEST(BigEndian, StoreFillsAFixedSlot) {
  std::uint8_t slot[4] = {9, 9, 9, 9};
  store_be(slot, 0xdeadbeef);
  EXPECT_EQ(read_be(slot, 4), 0xdeadbeefu);
  EXPECT_EQ(slot[0], 0xde);
  std::uint8_t two[2] = {};
  store_be(two, 0x123456);  // high byte dropped
  EXPECT_EQ(two[0], 0x34);
  EXPECT_EQ(two[1], 0x56);
}

TEST(ByteReader, ReadsFrontToBackAndFailsClosedWhenShort) {
  const Bytes bytes = {0x01, 0x00, 0x02, 'a', 'b', 0xff};
  ByteReader in(bytes);
  EXPECT_EQ(in.remaining(), 6u);
  EXPECT_EQ(in.read_uint(1), 1u);
  EXPECT_EQ(in.read_uint(2), 2u);
  EXPECT_TRUE(in.has(3));
  EXPECT_FALSE(in.has(4));
  const auto peeked = in.peek_bytes(2);
  ASSERT_EQ(peeked.size(), 2u);
  EXPECT_EQ(in.remaining(), 3u);  // peeking consumes nothing
  const auto text = in.read_bytes(2);
  ASSERT_EQ(text.size(), 2u);
  EXPECT_EQ(text[1], 'b');
  EXPECT_EQ(in.read_uint(2), 0u);  // short: zero, nothing consumed
  EXPECT_TRUE(in.read_bytes(2).empty());
  EXPECT_TRUE(in.peek_bytes(2).empty());
  EXPECT_EQ(in.remaining(), 1u);
  EXPECT_EQ(in.read_uint(1), 0xffu);
  EXPECT_EQ(in.remaining(), 0u);
  EXPECT_TRUE(in.read_bytes(0).empty());
}

// ---- the §1.6 window --------------------------------------------------------

TEST(ExpiryWindow, IsStatedOnce) {
  EXPECT_EQ(kMaxExpAhead, 5u * 365 * 86'400);
  EXPECT_EQ(expiry_verdict(100, 100), ExpiryVerdict::within);  // exp == now accepted
  EXPECT_EQ(expiry_verdict(99, 100), ExpiryVerdict::expired);
  EXPECT_EQ(expiry_verdict(100 + kMaxExpAhead, 100), ExpiryVerdict::within);
  EXPECT_EQ(expiry_verdict(101 + kMaxExpAhead, 100), ExpiryVerdict::too_far);
  EXPECT_EQ(now_within_window(50, 100), 50u);
  EXPECT_EQ(now_within_window(150, 100), 100u);
  EXPECT_EQ(now_within_window(0, 2 * kMaxExpAhead), kMaxExpAhead);
}

}  // namespace
}  // namespace dmp::encoding
