// The key file v1 codec (signer/keyfile/key_file_format.hpp): the binary
// layout, the text armour, and the limits a hostile file meets. No crypto:
// these files are never opened (see key_file_crypto_test.cpp for that).
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "key_test_support.hpp"
#include "keyfile/key_file_format.hpp"

namespace dmp::keyfile {
namespace {

using test::bytes_of;

// A structurally valid key file with every field distinct, so a field read
// from the wrong offset shows up.
KeyFile sample_key_file(std::string comment = "prod 2026") {
  KeyFile k;
  k.kdf = kdf_params(KdfLevel::interactive);
  for (std::size_t i = 0; i < k.salt.size(); ++i)
    k.salt[i] = static_cast<std::uint8_t>(0x10 + i);
  for (std::size_t i = 0; i < k.nonce.size(); ++i) {
    k.nonce[i] = static_cast<std::uint8_t>(0x30 + i);
  }
  for (std::size_t i = 0; i < k.public_key.size(); ++i) {
    k.public_key[i] = static_cast<std::uint8_t>(0x60 + i);
  }
  k.created = 0x0102030405060708ULL;
  k.comment = std::move(comment);
  for (std::size_t i = 0; i < k.sealed_seed.size(); ++i) {
    k.sealed_seed[i] = static_cast<std::uint8_t>(0xa0 + i);
  }
  return k;
}

std::optional<std::uint64_t> read_be(const Bytes& b, std::size_t off, std::size_t width) {
  return encoding::read_be(std::span(b).subspan(off), width);
}

std::string_view as_text(const Bytes& b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// --- Layout -------------------------------------------------------------

TEST(KeyFileLayout, FieldsAtTheDocumentedOffsets) {
  const KeyFile k = sample_key_file();
  const Bytes b = encode_key_file(k);
  ASSERT_EQ(b.size(), kFixedHeaderLen + k.comment.size() + kSealedSeedLen);
  EXPECT_EQ(std::string(b.begin(), b.begin() + 6), "DMPKEY");
  EXPECT_EQ(b[6], 1);
  EXPECT_EQ(b[7], 1);
  EXPECT_EQ(read_be(b, 8, 8), k.kdf.opslimit);
  EXPECT_EQ(read_be(b, 16, 8), k.kdf.memlimit);
  EXPECT_TRUE(std::equal(k.salt.begin(), k.salt.end(), b.begin() + 24));
  EXPECT_TRUE(std::equal(k.nonce.begin(), k.nonce.end(), b.begin() + 40));
  EXPECT_TRUE(std::equal(k.public_key.begin(), k.public_key.end(), b.begin() + 64));
  EXPECT_EQ(read_be(b, 96, 8), k.created);
  EXPECT_EQ(read_be(b, 104, 2), k.comment.size());
  EXPECT_EQ(std::string(b.begin() + 106, b.begin() + 106 + 9), "prod 2026");
  EXPECT_TRUE(std::equal(k.sealed_seed.begin(), k.sealed_seed.end(), b.begin() + 115));
}

TEST(KeyFileLayout, HeaderIsEverythingBeforeTheSealedSeed) {
  const KeyFile k = sample_key_file();
  const Bytes header = encode_header(k);
  const Bytes file = encode_key_file(k);
  ASSERT_EQ(header.size(), file.size() - kSealedSeedLen);
  EXPECT_TRUE(std::equal(header.begin(), header.end(), file.begin()));
}

TEST(KeyFileLayout, EncodeDecodeRoundTrip) {
  for (const std::string& comment :
       std::vector<std::string>{"", "x", "prod 2026 \xc3\xa9t\xc3\xa9", std::string(1024, 'c')}) {
    const KeyFile k = sample_key_file(comment);
    auto decoded = decode_key_file(encode_key_file(k));
    ASSERT_TRUE(decoded) << decoded.error().message();
    EXPECT_EQ(*decoded, k);
  }
}

// --- Armour -------------------------------------------------------------

TEST(KeyFileArmor, ShapeIsBeginBase64In64ColumnsEnd) {
  const std::string text = format_key_file_text(sample_key_file(std::string(200, 'c')));
  const auto lines = test::lines_of(text);
  ASSERT_GE(lines.size(), 4u);
  EXPECT_EQ(lines.front(), "-----BEGIN DMP SIGNING KEY-----");
  EXPECT_EQ(lines.back(), "-----END DMP SIGNING KEY-----");
  for (std::size_t i = 1; i + 2 < lines.size(); ++i)
    EXPECT_EQ(lines[i].size(), 64u) << i;
  EXPECT_LE(lines[lines.size() - 2].size(), 64u);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find('\r'), std::string::npos);
}

TEST(KeyFileArmor, ArmorDearmorRoundTrip) {
  for (std::size_t n : {0u, 1u, 2u, 3u, 47u, 48u, 49u, 154u, 1178u}) {
    Bytes data(n);
    for (std::size_t i = 0; i < n; ++i)
      data[i] = static_cast<std::uint8_t>(i * 7 + 3);
    auto back = dearmor(armor(data));
    if (n == 0) {
      // Nothing between BEGIN and END: refused, never an empty key file.
      EXPECT_FALSE(back);
      continue;
    }
    ASSERT_TRUE(back) << n << ": " << back.error().message();
    EXPECT_EQ(*back, data) << n;
  }
}

TEST(KeyFileArmor, AcceptsCrlfLineEndings) {
  const KeyFile k = sample_key_file();
  std::string crlf;
  for (const auto& line : test::lines_of(format_key_file_text(k)))
    crlf += line + "\r\n";
  auto parsed = parse_key_file_text(crlf);
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(*parsed, k);
}

TEST(KeyFileArmor, AcceptsAMissingFinalNewline) {
  const KeyFile k = sample_key_file();
  std::string text = format_key_file_text(k);
  text.pop_back();
  auto parsed = parse_key_file_text(text);
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(*parsed, k);
  // CRLF without the final one, too.
  std::string crlf;
  for (const auto& line : test::lines_of(text))
    crlf += line + "\r\n";
  crlf.resize(crlf.size() - 2);
  auto parsed_crlf = parse_key_file_text(crlf);
  ASSERT_TRUE(parsed_crlf) << parsed_crlf.error().message();
  EXPECT_EQ(*parsed_crlf, k);
}

TEST(KeyFileArmor, RefusesMissingOrWrongBeginAndEndLines) {
  const std::string good = format_key_file_text(sample_key_file());
  const auto lines = test::lines_of(good);
  auto join = [](const std::vector<std::string>& ls) {
    std::string out;
    for (const auto& l : ls)
      out += l + "\n";
    return out;
  };
  std::vector<std::string> no_begin(lines.begin() + 1, lines.end());
  std::vector<std::string> no_end(lines.begin(), lines.end() - 1);
  std::vector<std::string> wrong_label = lines;
  wrong_label.front() = "-----BEGIN OPENSSH PRIVATE KEY-----";
  std::vector<std::string> indented = lines;
  indented.front() = " " + indented.front();
  for (const auto& text : {join(no_begin), join(no_end), join(wrong_label), join(indented),
                           good + "trailing text\n", std::string(), std::string("\n\n")}) {
    auto parsed = parse_key_file_text(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().reason, Reason::key_format) << text;
  }
}

TEST(KeyFileArmor, RefusesBadBase64) {
  const std::string good = format_key_file_text(sample_key_file());
  auto lines = test::lines_of(good);
  for (const char bad : {'*', ' ', '-', '.'}) {
    auto edited = lines;
    edited[1][5] = bad;
    std::string text;
    for (const auto& l : edited)
      text += l + "\n";
    auto parsed = parse_key_file_text(text);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().reason, Reason::key_format);
  }
  // Padding missing (the body length is not a multiple of 3 here).
  const Bytes data{1, 2, 3, 4};
  std::string text = armor(data);
  ASSERT_NE(text.find("=="), std::string::npos);
  text.erase(text.find("=="), 2);
  EXPECT_FALSE(dearmor(text));
}

TEST(KeyFileArmor, RefusesMoreThan8KiB) {
  std::string text = format_key_file_text(sample_key_file());
  text.insert(0, kMaxArmoredLen, '\n');
  auto parsed = parse_key_file_text(text);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().reason, Reason::key_format);
}

TEST(KeyFileArmor, TruncatedTextIsRefusedAtEveryLength) {
  const std::string text = format_key_file_text(sample_key_file());
  // Dropping only the final newline is allowed (see above); anything more is not.
  for (std::size_t len = 0; len + 1 < text.size(); ++len) {
    auto parsed = parse_key_file_text(std::string_view(text).substr(0, len));
    ASSERT_FALSE(parsed) << "length " << len;
    EXPECT_EQ(parsed.error().reason, Reason::key_format) << "length " << len;
  }
}

// --- Refusals of the binary format -----------------------------------------

TEST(KeyFileDecode, TruncatedAtEveryLengthIsKeyFormat) {
  const Bytes b = encode_key_file(sample_key_file());
  for (std::size_t len = 0; len < b.size(); ++len) {
    auto decoded = decode_key_file(std::span(b.data(), len));
    ASSERT_FALSE(decoded) << "length " << len;
    EXPECT_EQ(decoded.error().reason, Reason::key_format) << "length " << len;
  }
}

TEST(KeyFileDecode, OneExtraByteIsKeyFormat) {
  for (const int extra : {0x00, 0x0a, 0xff}) {
    Bytes b = encode_key_file(sample_key_file());
    b.push_back(static_cast<std::uint8_t>(extra));
    auto decoded = decode_key_file(b);
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error().reason, Reason::key_format);
    EXPECT_NE(decoded.error().message().find("trailing"), std::string::npos)
        << decoded.error().message();
  }
}

TEST(KeyFileDecode, BadMagicIsKeyFormat) {
  Bytes b = encode_key_file(sample_key_file());
  b[0] = 'd';
  auto decoded = decode_key_file(b);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().reason, Reason::key_format);
  EXPECT_NE(decoded.error().message().find("DMPKEY"), std::string::npos);
}

TEST(KeyFileDecode, UnknownVersion2IsKeyVersionWithAClearMessage) {
  Bytes b = encode_key_file(sample_key_file());
  b[6] = 2;
  auto decoded = decode_key_file(b);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().reason, Reason::key_version);
  const std::string& m = decoded.error().message();
  EXPECT_NE(m.find("version 2"), std::string::npos) << m;
  EXPECT_NE(m.find("not supported"), std::string::npos) << m;
  EXPECT_NE(m.find("version 1"), std::string::npos) << m;
  EXPECT_NE(m.find("newer dmp-sign"), std::string::npos) << m;
  // Also when the rest of the file is shorter or longer than v1 expects: the
  // version is judged before the v1 layout.
  Bytes short_v2(b.begin(), b.begin() + 8);
  auto short_decoded = decode_key_file(short_v2);
  ASSERT_FALSE(short_decoded);
  EXPECT_EQ(short_decoded.error().reason, Reason::key_version);
  // And through the armour.
  auto parsed = parse_key_file_text(armor(b));
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().reason, Reason::key_version);
}

TEST(KeyFileDecode, VersionZeroAndUnknownKdfAreKeyVersion) {
  for (const std::size_t offset : {6u, 7u}) {
    for (const int value : {0, 2, 255}) {
      Bytes b = encode_key_file(sample_key_file());
      b[offset] = static_cast<std::uint8_t>(value);
      auto decoded = decode_key_file(b);
      ASSERT_FALSE(decoded);
      EXPECT_EQ(decoded.error().reason, Reason::key_version) << offset << "=" << value;
    }
  }
}

// Every single bit of the header: a flip is refused here or changes what
// decodes (so the AEAD, which authenticates the header, refuses it later);
// a flip in the sealed seed always decodes (only the AEAD can tell).
TEST(KeyFileDecode, EveryBitFlipIsRefusedOrChangesTheDecodedFile) {
  const KeyFile k = sample_key_file();
  const Bytes b = encode_key_file(k);
  const std::size_t header_len = b.size() - kSealedSeedLen;
  for (std::size_t offset = 0; offset < b.size(); ++offset) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes flipped = b;
      flipped[offset] ^= static_cast<std::uint8_t>(1u << bit);
      auto decoded = decode_key_file(flipped);
      if (!decoded) {
        EXPECT_LT(offset, header_len) << "a sealed-seed byte must not fail the parse";
        const Reason r = decoded.error().reason;
        EXPECT_TRUE(r == Reason::key_format || r == Reason::key_version || r == Reason::kdf_limits)
            << offset << ":" << bit << " " << reason_name(r);
        continue;
      }
      EXPECT_NE(*decoded, k) << offset << ":" << bit;
      EXPECT_EQ(encode_key_file(*decoded), flipped) << offset << ":" << bit;
    }
  }
}

// --- KDF bounds ------------------------------------------------------------

struct KdfCase {
  std::uint64_t opslimit;
  std::uint64_t memlimit;
  bool accepted;
};

class KdfBounds : public ::testing::TestWithParam<KdfCase> {};

TEST_P(KdfBounds, CheckAndDecodeAgree) {
  const KdfCase c = GetParam();
  KeyFile k = sample_key_file();
  k.kdf = {c.opslimit, c.memlimit};
  auto checked = check_kdf_params(k.kdf);
  auto decoded = decode_key_file(encode_key_file(k));
  if (c.accepted) {
    EXPECT_TRUE(checked) << checked.error().message();
    ASSERT_TRUE(decoded) << decoded.error().message();
    EXPECT_EQ(decoded->kdf, k.kdf);
  } else {
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error().reason, Reason::kdf_limits);
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error().reason, Reason::kdf_limits);
    EXPECT_NE(decoded.error().message().find("outside the accepted"), std::string::npos)
        << decoded.error().message();
  }
}

constexpr std::uint64_t kMiB = 1ULL << 20;
constexpr std::uint64_t kGiB = 1ULL << 30;

INSTANTIATE_TEST_SUITE_P(
    Opslimit, KdfBounds,
    ::testing::Values(KdfCase{0, 64 * kMiB, false}, KdfCase{1, 64 * kMiB, false},
                      KdfCase{2, 64 * kMiB, true}, KdfCase{16, 64 * kMiB, true},
                      KdfCase{17, 64 * kMiB, false}, KdfCase{~0ULL, 64 * kMiB, false}));
INSTANTIATE_TEST_SUITE_P(Memlimit, KdfBounds,
                         ::testing::Values(KdfCase{2, 0, false}, KdfCase{2, 64 * kMiB - 1, false},
                                           KdfCase{2, 64 * kMiB, true}, KdfCase{2, 4 * kGiB, true},
                                           KdfCase{2, 4 * kGiB + 1, false},
                                           KdfCase{2, ~0ULL, false}));

TEST(KdfLevels, NamedLevelsAreInsideTheBounds) {
  for (const KdfLevel level : {KdfLevel::sensitive, KdfLevel::moderate, KdfLevel::interactive}) {
    auto checked = check_kdf_params(kdf_params(level));
    EXPECT_TRUE(checked) << checked.error().message();
  }
}

TEST(KdfLevels, DefaultIsAtLeastOneGiB) {
  EXPECT_EQ(kDefaultKdfLevel, KdfLevel::sensitive);
  EXPECT_GE(kdf_params(kDefaultKdfLevel).memlimit, 1ULL << 30);
  EXPECT_GE(kdf_params(kDefaultKdfLevel).opslimit, 4u);
}

// --- Comment rules ---------------------------------------------------------

TEST(KeyFileComment, UpTo1024BytesAccepted) {
  EXPECT_TRUE(check_comment(""));
  EXPECT_TRUE(check_comment(std::string(1024, 'a')));
  // 1024 bytes of UTF-8, not 1024 characters.
  std::string utf8;
  while (utf8.size() < 1024)
    utf8 += "\xc3\xa9";
  EXPECT_TRUE(check_comment(utf8));
  utf8 += "e";
  EXPECT_FALSE(check_comment(utf8));
}

TEST(KeyFileComment, Over1024BytesRefused) {
  auto checked = check_comment(std::string(1025, 'a'));
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().reason, Reason::invalid_field);
  EXPECT_EQ(checked.error().field, "comment");
  // In a file: the length field is judged first.
  KeyFile k = sample_key_file(std::string(1025, 'a'));
  auto decoded = decode_key_file(encode_key_file(k));
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().reason, Reason::key_format);
}

TEST(KeyFileComment, ControlCharactersRefused) {
  for (const std::string& bad : std::vector<std::string>{
           std::string("a\nb"), std::string("tab\there"), std::string("cr\r"), std::string(1, '\0'),
           std::string("\x1b[31m"), std::string("del\x7f")}) {
    auto checked = check_comment(bad);
    ASSERT_FALSE(checked) << bad;
    EXPECT_EQ(checked.error().reason, Reason::invalid_field);
    auto decoded = decode_key_file(encode_key_file(sample_key_file(bad)));
    ASSERT_FALSE(decoded) << bad;
    EXPECT_EQ(decoded.error().reason, Reason::key_format);
  }
}

TEST(KeyFileComment, InvalidUtf8Refused) {
  for (const std::string& bad :
       std::vector<std::string>{std::string("\xff"), std::string("\xc3"), std::string("\xc0\xaf"),
                                std::string("\xed\xa0\x80")}) {
    EXPECT_FALSE(check_comment(bad)) << test::hex_encode(bytes_of(bad));
    EXPECT_FALSE(decode_key_file(encode_key_file(sample_key_file(bad))));
  }
}

TEST(KeyFileDecode, ParseKeyFileTextIsDearmorThenDecode) {
  const KeyFile k = sample_key_file();
  const Bytes b = encode_key_file(k);
  auto from_text = parse_key_file_text(armor(b));
  ASSERT_TRUE(from_text);
  EXPECT_EQ(*from_text, k);
  // The binary form itself is not a text key file.
  auto raw = parse_key_file_text(as_text(b));
  ASSERT_FALSE(raw);
  EXPECT_EQ(raw.error().reason, Reason::key_format);
}

// What "unlocking key (...)" says before the KDF runs for seconds.
TEST(KdfCostText, NamesTheMemoryTheKdfTakes) {
  EXPECT_EQ(kdf_cost_text(kdf_params(KdfLevel::sensitive)), "Argon2id, 1 GiB");
  EXPECT_EQ(kdf_cost_text(kdf_params(KdfLevel::moderate)), "Argon2id, 256 MiB");
  EXPECT_EQ(kdf_cost_text(kdf_params(KdfLevel::interactive)), "Argon2id, 64 MiB");
  EXPECT_EQ(kdf_cost_text({3, std::uint64_t{4} << 30}), "Argon2id, 4 GiB");
  EXPECT_EQ(kdf_cost_text({3, (std::uint64_t{3} << 29)}), "Argon2id, 1536 MiB");
}

}  // namespace
}  // namespace dmp::keyfile
