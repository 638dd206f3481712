// SLIP-39 (signer/backup/slip39.hpp): the reference's vectors (python-shamir-mnemonic's
// vectors.json, passphrase "TREZOR"), the embedded word list against the standard's file, then one
// test per rule of the spec: the mnemonic format and its checksum, SplitSecret/RecoverSecret, the
// Feistel cipher, GenerateShares and the checks of combining.
#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "backup/slip39.hpp"
#include "dmp/encoding.hpp"
#include "support/prerequisite.hpp"
#include "support/vectors.hpp"

// Where the standard's own word list is kept (../shared/data beside the repository).
#ifndef DMP_SHARED_DATA_DIR
#define DMP_SHARED_DATA_DIR DMP_DEFAULT_VECTORS_DIR "/../data"
#endif

namespace dmp::backup::slip39 {
namespace {

constexpr std::string_view kWordListSha256 =
    "bcc4555340332d169718aed8bf31dd9d5248cb7da6e5d355140ef4f1e601eec3";
constexpr std::string_view kVectorPassphrase = "TREZOR";

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string_view text_of(const hsm::SecretBuffer& buffer) {
  return {reinterpret_cast<const char*>(buffer.data()), buffer.size()};
}

std::string hex_of(const hsm::SecretBuffer& buffer) {
  return encoding::hex_encode(buffer.span());
}

std::string sha256_hex(std::string_view text) {
  std::array<std::uint8_t, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), bytes_of(text).data(), text.size());
  return encoding::hex_encode(digest);
}

hsm::SecretBuffer secret_of(std::size_t length, std::uint8_t first = 0x10) {
  hsm::SecretBuffer secret(length);
  for (std::size_t i = 0; i < length; ++i)
    secret.data()[i] = static_cast<std::uint8_t>(first + i);
  return secret;
}

// A reproducible random source: block i is randombytes_buf_deterministic seeded with
// SHA-256(label || i), so one label always gives the same identifier and shares.
RandomSource seeded_random(std::string label) {
  auto calls = std::make_shared<std::uint64_t>(0);
  return [label = std::move(label), calls](std::span<std::uint8_t> out) {
    const std::string input = label + "/" + std::to_string((*calls)++);
    std::array<std::uint8_t, randombytes_SEEDBYTES> seed{};
    crypto_hash_sha256(seed.data(), bytes_of(input).data(), input.size());
    randombytes_buf_deterministic(out.data(), out.size(), seed.data());
  };
}

SplitOptions options(bool extendable, int iteration_exponent) {
  SplitOptions chosen;
  chosen.extendable = extendable;
  chosen.iteration_exponent = iteration_exponent;
  return chosen;
}

std::vector<std::vector<Share>> split_or_fail(const hsm::SecretBuffer& secret,
                                              std::string_view passphrase, int group_threshold,
                                              const std::vector<GroupSpec>& groups,
                                              SplitOptions options) {
  auto shares = split(secret.span(), bytes_of(passphrase), group_threshold, groups, options);
  if (!shares) {
    ADD_FAILURE() << shares.error().message();
    return {};
  }
  return std::move(*shares);
}

// A split's shares as mnemonics, group by group.
std::vector<std::vector<hsm::SecretBuffer>> mnemonics_of(
    const std::vector<std::vector<Share>>& groups) {
  std::vector<std::vector<hsm::SecretBuffer>> out;
  for (const auto& group : groups) {
    auto& texts = out.emplace_back();
    for (const Share& share : group) {
      auto text = encode_mnemonic(share);
      if (!text) {
        ADD_FAILURE() << text.error().message();
        return {};
      }
      texts.push_back(std::move(*text));
    }
  }
  return out;
}

// Every k-element subset of {0, ..., n − 1}, in lexicographic order.
std::vector<std::vector<std::size_t>> subsets(std::size_t n, std::size_t k) {
  std::vector<std::vector<std::size_t>> out;
  std::vector<bool> chosen(n, false);
  std::fill(chosen.begin(), chosen.begin() + static_cast<std::ptrdiff_t>(k), true);
  do {
    std::vector<std::size_t> subset;
    for (std::size_t i = 0; i < n; ++i) {
      if (chosen[i]) subset.push_back(i);
    }
    out.push_back(std::move(subset));
  } while (std::prev_permutation(chosen.begin(), chosen.end()));
  return out;
}

std::vector<std::string> words_of(std::string_view mnemonic) {
  std::vector<std::string> words;
  std::size_t pos = 0;
  while (pos <= mnemonic.size()) {
    const std::size_t end = std::min(mnemonic.find(' ', pos), mnemonic.size());
    words.emplace_back(mnemonic.substr(pos, end - pos));
    pos = end + 1;
  }
  return words;
}

std::string join(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words)
    text += (text.empty() ? "" : " ") + word;
  return text;
}

Result<hsm::SecretBuffer> combine_texts(const std::vector<std::string>& mnemonics,
                                        std::string_view passphrase = kVectorPassphrase) {
  const std::vector<std::string_view> views(mnemonics.begin(), mnemonics.end());
  return combine_mnemonics(views, bytes_of(passphrase));
}

// A valid one-share mnemonic of the vectors (no. 1: 128 bits, not extendable).
std::string vector_one() {
  return "duckling enlarge academic academic agency result length solution fridge kidney coal "
         "piece deal husband erode duke ajar critical decision keyboard";
}

// The refusal each invalid vector's description names, as our message says it.
struct ExpectedRefusal {
  std::string_view description;  // part of the vector's description
  std::string_view message;      // part of our message
};
constexpr std::array<ExpectedRefusal, 15> kExpectedRefusals = {{
    {"invalid checksum", "checksum does not match"},
    {"invalid padding", "invalid padding"},
    {"Basic sharing 2-of-3", "too few shares: 1 of the 2 needed"},
    {"different identifiers", "from another set"},
    {"different iteration exponents", "mixed iteration exponents"},
    {"mismatching group thresholds", "mixed group thresholds"},
    {"mismatching group counts", "mixed group counts"},
    {"greater group threshold than group counts", "is greater than the group count"},
    {"duplicate member indices", "duplicate share"},
    {"mismatching member thresholds", "member threshold"},
    {"invalid digest", "invalid digest"},
    {"Insufficient number of groups", "too few groups"},
    {"insufficient number of members in one group", "too few shares"},
    {"insufficient length", "at least 20"},
    {"invalid master secret length", "no valid master secret length"},
}};

// ---- the reference vectors ----------------------------------------------------------------------

TEST(Slip39Vectors, EveryVectorCombinesOrIsRefusedForItsReason) {
  DMP_LOAD_VECTORS_OR_SKIP(vectors, "slip39_vectors.json");
  ASSERT_EQ(vectors.size(), 45u);
  std::size_t valid = 0;
  for (const auto& vector : vectors) {
    const std::string description = vector.at(0).get<std::string>();
    const auto mnemonics = vector.at(1).get<std::vector<std::string>>();
    const std::string expected = vector.at(2).get<std::string>();
    SCOPED_TRACE(description);
    auto secret = combine_texts(mnemonics);
    if (!expected.empty()) {
      ++valid;
      ASSERT_TRUE(secret) << secret.error().message();
      EXPECT_EQ(hex_of(*secret), expected);
      continue;
    }
    ASSERT_FALSE(secret) << "combined to " << hex_of(*secret);
    EXPECT_EQ(secret.error().reason, Reason::key_format);
    const auto reason = std::find_if(kExpectedRefusals.begin(), kExpectedRefusals.end(),
                                     [&description](const ExpectedRefusal& r) {
                                       return description.find(r.description) != std::string::npos;
                                     });
    ASSERT_NE(reason, kExpectedRefusals.end()) << "no expected refusal for this description";
    EXPECT_NE(secret.error().message().find(reason->message), std::string::npos)
        << secret.error().message();
  }
  EXPECT_EQ(valid, 15u);
}

TEST(Slip39Vectors, EveryValidMnemonicReencodesToItself) {
  DMP_LOAD_VECTORS_OR_SKIP(vectors, "slip39_vectors.json");
  for (const auto& vector : vectors) {
    if (vector.at(2).get<std::string>().empty()) continue;
    for (const auto& mnemonic : vector.at(1).get<std::vector<std::string>>()) {
      SCOPED_TRACE(mnemonic);
      auto share = decode_mnemonic(mnemonic);
      ASSERT_TRUE(share) << share.error().message();
      auto again = encode_mnemonic(*share);
      ASSERT_TRUE(again) << again.error().message();
      EXPECT_EQ(text_of(*again), mnemonic);
    }
  }
}

TEST(Slip39Vectors, FirstVectorDecodesToItsFields) {
  auto share = decode_mnemonic(vector_one());
  ASSERT_TRUE(share) << share.error().message();
  EXPECT_FALSE(share->extendable);
  EXPECT_EQ(share->iteration_exponent, 0);
  EXPECT_EQ(share->group_index, 0);
  EXPECT_EQ(share->group_threshold, 1);
  EXPECT_EQ(share->group_count, 1);
  EXPECT_EQ(share->member_index, 0);
  EXPECT_EQ(share->member_threshold, 1);
  EXPECT_EQ(share->value.size(), 16u);
  // "duckling enlarge": 15 bits of identifier, the flag and the exponent in 20 bits.
  const auto id_exp = (*word_index("duckling") << 10) | *word_index("enlarge");
  EXPECT_EQ(share->identifier, id_exp >> 5);
}

// ---- the word list ------------------------------------------------------------------------------

TEST(Slip39WordList, IsByteForByteTheStandardsFile) {
  std::string joined;
  for (std::string_view word : wordlist()) {
    joined += word;
    joined += '\n';
  }
  EXPECT_EQ(sha256_hex(joined), kWordListSha256);

  std::ifstream in(DMP_SHARED_DATA_DIR "/slip39_wordlist.txt", std::ios::binary);
  DMP_REQUIRE_PREREQUISITE(in.good(), DMP_SHARED_DATA_DIR "/slip39_wordlist.txt");
  const std::string file{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_EQ(sha256_hex(file), sha256_hex(joined));
}

TEST(Slip39WordList, HasTheShapeTheStandardPromises) {
  const auto words = wordlist();
  ASSERT_EQ(words.size(), kWordCount);
  EXPECT_TRUE(std::is_sorted(words.begin(), words.end()));
  for (std::size_t i = 0; i < words.size(); ++i) {
    EXPECT_GE(words[i].size(), 4u) << words[i];
    EXPECT_LE(words[i].size(), 8u) << words[i];
    if (i > 0) {
      EXPECT_NE(words[i].substr(0, 4), words[i - 1].substr(0, 4)) << words[i];
    }
  }
}

TEST(Slip39WordList, WordIndexIsTheListPositionInAnyCase) {
  EXPECT_EQ(word_index("academic"), 0);
  EXPECT_EQ(word_index("zero"), 1023);
  EXPECT_EQ(word_index("ZERO"), 1023);
  EXPECT_EQ(word_index("Academic"), 0);
  for (std::size_t i = 0; i < kWordCount; ++i) {
    EXPECT_EQ(word_index(wordlist()[i]), static_cast<int>(i));
  }
}

TEST(Slip39WordList, WordIndexRefusesAnythingElse) {
  for (std::string_view text : {"", "acad", "academi", "academics", "academic ", " academic",
                                "acad3mic", "zzzz", "aaaaaaaaaaaaaaaaaaaaaa", "zero\n"}) {
    EXPECT_FALSE(word_index(text)) << "'" << text << "'";
  }
}

TEST(Slip39WordList, AutocompleteResolvesFourLettersOrMore) {
  EXPECT_EQ(autocomplete("acad"), "academic");
  EXPECT_EQ(autocomplete("ACADE"), "academic");
  EXPECT_EQ(autocomplete("academic"), "academic");
  EXPECT_EQ(autocomplete("zero"), "zero");
  for (std::string_view word : wordlist()) {
    EXPECT_EQ(autocomplete(word.substr(0, 4)), word);
    EXPECT_EQ(autocomplete(word), word);
  }
}

TEST(Slip39WordList, AutocompleteRefusesShortOrForeignPrefixes) {
  for (std::string_view text :
       {"", "a", "ac", "aca", "zer", "acadx", "academics", "zzzz", "acad ", "acid1"}) {
    EXPECT_FALSE(autocomplete(text)) << "'" << text << "'";
  }
}

// ---- the mnemonic format ------------------------------------------------------------------------

TEST(Slip39Mnemonic, WhiteSpaceAndCaseDoNotMatter) {
  std::string messy = "  \t" + vector_one() + "\n";
  std::replace(messy.begin(), messy.end(), ' ', '\n');
  std::transform(messy.begin(), messy.end(), messy.begin(),
                 [](char c) { return (c >= 'a' && c <= 'm') ? static_cast<char>(c - 32) : c; });
  auto messy_share = decode_mnemonic(messy);
  ASSERT_TRUE(messy_share) << messy_share.error().message();
  auto again = encode_mnemonic(*messy_share);
  ASSERT_TRUE(again);
  EXPECT_EQ(text_of(*again), vector_one());
}

TEST(Slip39Mnemonic, UnknownWordIsNamedByPositionNotQuoted) {
  auto words = words_of(vector_one());
  words[4] = "xylophone";
  auto share = decode_mnemonic(join(words));
  ASSERT_FALSE(share);
  EXPECT_EQ(share.error().reason, Reason::key_format);
  EXPECT_EQ(share.error().message(), "word 5: not a SLIP-39 word");
}

TEST(Slip39Mnemonic, TooFewWordsRefused) {
  auto words = words_of(vector_one());
  words.pop_back();
  auto share = decode_mnemonic(join(words));
  ASSERT_FALSE(share);
  EXPECT_EQ(share.error().reason, Reason::key_format);
  EXPECT_NE(share.error().message().find("19 words; a share has at least 20"), std::string::npos)
      << share.error().message();
  for (std::string_view empty : {"", "   ", "\n\t"}) {
    auto none = decode_mnemonic(empty);
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().message().find("no words"), std::string::npos);
  }
}

TEST(Slip39Mnemonic, TooManyWordsRefusedBeforeAnyLookUp) {
  std::string text;
  for (std::size_t i = 0; i <= kMaxMnemonicWords; ++i)
    text += "notaword ";
  auto share = decode_mnemonic(text);
  ASSERT_FALSE(share);
  EXPECT_NE(share.error().message().find("more than 1000 words"), std::string::npos)
      << share.error().message();
}

TEST(Slip39Mnemonic, WordCountWithoutAValidSecretLengthRefused) {
  // 21 words: 14 value words, 140 bits, 12 bits of padding.
  auto words = words_of(vector_one());
  words.insert(words.begin() + 5, "academic");
  auto share = decode_mnemonic(join(words));
  ASSERT_FALSE(share);
  EXPECT_NE(share.error().message().find("21 words hold no valid master secret length"),
            std::string::npos)
      << share.error().message();
}

TEST(Slip39Mnemonic, EveryOneWordChangeIsCaughtByTheChecksum) {
  const auto words = words_of(vector_one());
  for (std::size_t i = 0; i < words.size(); ++i) {
    for (int step : {1, 512, 1023}) {
      auto changed = words;
      changed[i] = std::string(wordlist()[(*word_index(words[i]) + step) % 1024]);
      auto share = decode_mnemonic(join(changed));
      ASSERT_FALSE(share) << "word " << i + 1;
      EXPECT_NE(share.error().message().find("checksum does not match"), std::string::npos)
          << "word " << i + 1 << ": " << share.error().message();
    }
  }
}

TEST(Slip39Mnemonic, EverySwapOfTwoWordsIsCaughtByTheChecksum) {
  const auto words = words_of(vector_one());
  for (std::size_t i = 0; i < words.size(); ++i) {
    for (std::size_t j = i + 1; j < words.size(); ++j) {
      if (words[i] == words[j]) continue;
      auto swapped = words;
      std::swap(swapped[i], swapped[j]);
      auto share = decode_mnemonic(join(swapped));
      ASSERT_FALSE(share) << "words " << i + 1 << " and " << j + 1;
      EXPECT_NE(share.error().message().find("checksum does not match"), std::string::npos);
    }
  }
}

TEST(Slip39Mnemonic, ChecksumUsesTheCustomizationOfTheFlag) {
  const auto words = words_of(vector_one());
  std::vector<std::uint16_t> indices;
  for (const auto& word : words)
    indices.push_back(static_cast<std::uint16_t>(*word_index(word)));
  EXPECT_TRUE(rs1024_verify(indices, false));
  EXPECT_FALSE(rs1024_verify(indices, true));
  const auto data = std::span<const std::uint16_t>(indices).first(indices.size() - 3);
  const auto checksum = rs1024_checksum(data, false);
  EXPECT_TRUE(std::equal(checksum.begin(), checksum.end(), indices.end() - 3));
  EXPECT_NE(rs1024_checksum(data, true), checksum);
}

TEST(Slip39Mnemonic, EncodeRefusesFieldsOutOfRange) {
  auto share = decode_mnemonic(vector_one());
  ASSERT_TRUE(share);
  const auto refused = [&share](auto&& change, std::string_view field) {
    Share bad = clone(*share);
    change(bad);
    auto text = encode_mnemonic(bad);
    ASSERT_FALSE(text) << field;
    EXPECT_EQ(text.error().reason, Reason::invalid_field);
    EXPECT_EQ(text.error().field, field);
  };
  refused([](Share& s) { s.identifier = 0x8000; }, "identifier");
  refused([](Share& s) { s.iteration_exponent = 16; }, "iteration exponent");
  refused([](Share& s) { s.group_index = 16; }, "group index");
  refused([](Share& s) { s.group_threshold = 2; }, "group threshold");
  refused([](Share& s) { s.group_count = 17; }, "group count");
  refused([](Share& s) { s.member_index = -1; }, "member index");
  refused([](Share& s) { s.member_threshold = 0; }, "member threshold");
  refused([](Share& s) { s.value = secret_of(15); }, "share value");
  refused([](Share& s) { s.value = secret_of(17); }, "share value");
}

TEST(Slip39Mnemonic, LongestSecretFitsTheWordLimit) {
  Share share;
  share.value = secret_of(kMaxSecretLen);
  auto text = encode_mnemonic(share);
  ASSERT_TRUE(text) << text.error().message();
  EXPECT_LE(words_of(text_of(*text)).size(), kMaxMnemonicWords);
  auto back = decode_mnemonic(text_of(*text));
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_TRUE(back->value.equals(share.value));
  share.value = secret_of(kMaxSecretLen + 2);
  EXPECT_FALSE(encode_mnemonic(share));
}

// ---- SplitSecret and RecoverSecret --------------------------------------------------------------

TEST(Slip39Shamir, AnyThresholdOfPointsRecoversTheSecret) {
  const auto secret = secret_of(32);
  auto points = split_secret(3, 5, secret.span(), seeded_random("shamir"));
  ASSERT_TRUE(points) << points.error().message();
  ASSERT_EQ(points->size(), 5u);
  for (const auto& subset : subsets(5, 3)) {
    std::vector<Point> chosen;
    for (std::size_t i : subset) {
      EXPECT_EQ((*points)[i].x, static_cast<int>(i));
      chosen.push_back(Point{(*points)[i].x, hsm::SecretBuffer((*points)[i].y.size())});
      std::copy((*points)[i].y.data(), (*points)[i].y.data() + 32, chosen.back().y.data());
    }
    auto recovered = recover_secret(3, chosen);
    ASSERT_TRUE(recovered) << recovered.error().message();
    EXPECT_TRUE(recovered->equals(secret));
  }
}

TEST(Slip39Shamir, ThresholdOneSharesAreTheSecret) {
  const auto secret = secret_of(16);
  auto points = split_secret(1, 1, secret.span());
  ASSERT_TRUE(points);
  ASSERT_EQ(points->size(), 1u);
  EXPECT_TRUE((*points)[0].y.equals(secret));
}

TEST(Slip39Shamir, AlteredPointFailsTheDigest) {
  const auto secret = secret_of(16);
  auto points = split_secret(2, 2, secret.span(), seeded_random("digest"));
  ASSERT_TRUE(points);
  (*points)[1].y.data()[7] ^= 0x01;
  auto recovered = recover_secret(2, *points);
  ASSERT_FALSE(recovered);
  EXPECT_EQ(recovered.error().reason, Reason::key_format);
  EXPECT_NE(recovered.error().message().find("invalid digest"), std::string::npos);
}

TEST(Slip39Shamir, SplitRefusesThresholdsOutsideTheSpec) {
  const auto secret = secret_of(16);
  EXPECT_FALSE(split_secret(0, 3, secret.span()));
  EXPECT_FALSE(split_secret(4, 3, secret.span()));
  EXPECT_FALSE(split_secret(2, 17, secret.span()));
  EXPECT_FALSE(split_secret(2, 3, secret_of(14).span()));
  EXPECT_FALSE(split_secret(2, 3, secret_of(18).span().first(17)));
}

TEST(Slip39Shamir, RecoverRefusesRepeatedIndexes) {
  const auto secret = secret_of(16);
  auto points = split_secret(2, 2, secret.span(), seeded_random("repeat"));
  ASSERT_TRUE(points);
  (*points)[1].x = (*points)[0].x;
  auto recovered = recover_secret(2, *points);
  ASSERT_FALSE(recovered);
  EXPECT_NE(recovered.error().message().find("same index"), std::string::npos);
}

// ---- the Feistel cipher -------------------------------------------------------------------------

TEST(Slip39Cipher, DecryptInvertsEncrypt) {
  const auto secret = secret_of(32);
  for (bool extendable : {false, true}) {
    auto encrypted = encrypt(secret.span(), bytes_of("pass"), 0, 1234, extendable);
    ASSERT_TRUE(encrypted);
    EXPECT_FALSE(encrypted->equals(secret));
    auto decrypted = decrypt(encrypted->span(), bytes_of("pass"), 0, 1234, extendable);
    ASSERT_TRUE(decrypted);
    EXPECT_TRUE(decrypted->equals(secret));
  }
}

TEST(Slip39Cipher, OnlyNonExtendableSharesSaltWithTheIdentifier) {
  const auto secret = secret_of(16);
  auto a = encrypt(secret.span(), {}, 0, 1, false);
  auto b = encrypt(secret.span(), {}, 0, 2, false);
  auto c = encrypt(secret.span(), {}, 0, 1, true);
  auto d = encrypt(secret.span(), {}, 0, 2, true);
  ASSERT_TRUE(a && b && c && d);
  EXPECT_FALSE(a->equals(*b));
  EXPECT_TRUE(c->equals(*d));
  EXPECT_FALSE(a->equals(*c));
}

TEST(Slip39Cipher, RefusesWhatTheSpecDoesNotAllow) {
  const auto secret = secret_of(16);
  auto odd = encrypt(secret.span().first(15), {}, 0, 1, true);
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().reason, Reason::invalid_field);
  EXPECT_FALSE(encrypt(secret.span(), {}, 16, 1, true));
  EXPECT_FALSE(encrypt(secret.span(), {}, -1, 1, true));
  auto unprintable = encrypt(secret.span(), bytes_of("caf\xc3\xa9"), 0, 1, true);
  ASSERT_FALSE(unprintable);
  EXPECT_EQ(unprintable.error().field, "passphrase");
}

// ---- GenerateShares and combining: round trips --------------------------------------------------

struct Layout {
  const char* name;
  int group_threshold;
  std::vector<GroupSpec> groups;
};

class Slip39RoundTrip : public ::testing::TestWithParam<std::size_t> {};

// Every way to pick the threshold of groups and, in each, the threshold of members restores the
// secret; one member fewer in any picked group, or one group fewer, is refused.
void check_layout(const Layout& layout, std::size_t secret_len) {
  SCOPED_TRACE(std::string(layout.name) + ", " + std::to_string(secret_len) + " bytes");
  const auto secret = secret_of(secret_len, static_cast<std::uint8_t>(secret_len));
  const auto shares = split_or_fail(secret, "", layout.group_threshold, layout.groups,
                                    {.random = seeded_random(layout.name)});
  const auto mnemonics = mnemonics_of(shares);
  ASSERT_EQ(mnemonics.size(), layout.groups.size());
  const auto gt = static_cast<std::size_t>(layout.group_threshold);
  for (const auto& group_pick : subsets(layout.groups.size(), gt)) {
    // One choice of members per picked group, cycling through all of them for every group.
    std::vector<std::vector<std::vector<std::size_t>>> choices;
    std::size_t rounds = 1;
    for (std::size_t g : group_pick) {
      const auto& spec = layout.groups[g];
      choices.push_back(subsets(static_cast<std::size_t>(spec.member_count),
                                static_cast<std::size_t>(spec.member_threshold)));
      rounds = std::max(rounds, choices.back().size());
    }
    for (std::size_t round = 0; round < rounds; ++round) {
      std::vector<std::string> picked;
      for (std::size_t i = 0; i < group_pick.size(); ++i) {
        for (std::size_t m : choices[i][round % choices[i].size()]) {
          picked.emplace_back(text_of(mnemonics[group_pick[i]][m]));
        }
      }
      auto recovered = combine_texts(picked, "");
      ASSERT_TRUE(recovered) << recovered.error().message();
      EXPECT_TRUE(recovered->equals(secret));
      if (round == 0) {
        // Without the first mnemonic: a group one member short, or a group missing.
        const std::vector<std::string> fewer(picked.begin() + 1, picked.end());
        auto refused = combine_texts(fewer, "");
        ASSERT_FALSE(refused);
        EXPECT_EQ(refused.error().reason, Reason::key_format);
        const std::string message = refused.error().message();
        EXPECT_TRUE(message.find("too few shares") != std::string::npos ||
                    message.find("too few groups") != std::string::npos ||
                    (fewer.empty() && message == "no shares given"))
            << message;
      }
    }
  }
}

TEST_P(Slip39RoundTrip, OneOfOne) {
  check_layout({"1-of-1", 1, {{1, 1}}}, GetParam());
}

TEST_P(Slip39RoundTrip, TwoOfThree) {
  check_layout({"2-of-3", 1, {{2, 3}}}, GetParam());
}

TEST_P(Slip39RoundTrip, ThreeOfFive) {
  check_layout({"3-of-5", 1, {{3, 5}}}, GetParam());
}

TEST_P(Slip39RoundTrip, TwoOfThreeGroups) {
  check_layout({"2 of {2-of-3, 1-of-1, 3-of-5}", 2, {{2, 3}, {1, 1}, {3, 5}}}, GetParam());
}

TEST_P(Slip39RoundTrip, SixteenGroupsOfSixteen) {
  const auto secret = secret_of(GetParam());
  const std::vector<GroupSpec> groups(16, GroupSpec{16, 16});
  const auto shares = split_or_fail(secret, "", 16, groups, {.random = seeded_random("16x16")});
  ASSERT_EQ(shares.size(), 16u);
  std::vector<Share> all;
  for (const auto& group : shares) {
    ASSERT_EQ(group.size(), 16u);
    for (const Share& share : group)
      all.push_back(clone(share));
  }
  auto recovered = combine(all, {});
  ASSERT_TRUE(recovered) << recovered.error().message();
  EXPECT_TRUE(recovered->equals(secret));
}

INSTANTIATE_TEST_SUITE_P(SecretLengths, Slip39RoundTrip, ::testing::Values(16u, 32u),
                         [](const ::testing::TestParamInfo<std::size_t>& length) {
                           return std::to_string(length.param * 8) + "bits";
                         });

TEST(Slip39Split, NewSharesFollowTheReferenceDefaults) {
  const SplitOptions defaults;
  EXPECT_TRUE(defaults.extendable);
  EXPECT_EQ(defaults.iteration_exponent, 1);
  const auto shares = split_or_fail(secret_of(16), "", 1, {{1, 1}}, {});
  ASSERT_EQ(shares.size(), 1u);
  EXPECT_TRUE(shares[0][0].extendable);
  EXPECT_EQ(shares[0][0].iteration_exponent, 1);
}

TEST(Slip39Split, SharesCarryTheirPlaceInTheScheme) {
  const auto shares =
      split_or_fail(secret_of(16), "", 2, {{2, 3}, {1, 1}, {3, 5}}, {.random = seeded_random("x")});
  ASSERT_EQ(shares.size(), 3u);
  for (std::size_t g = 0; g < shares.size(); ++g) {
    for (std::size_t m = 0; m < shares[g].size(); ++m) {
      const Share& share = shares[g][m];
      EXPECT_EQ(share.identifier, shares[0][0].identifier);
      EXPECT_EQ(share.group_index, static_cast<int>(g));
      EXPECT_EQ(share.group_threshold, 2);
      EXPECT_EQ(share.group_count, 3);
      EXPECT_EQ(share.member_index, static_cast<int>(m));
      EXPECT_EQ(share.value.size(), 16u);
    }
  }
  EXPECT_EQ(shares[0][0].member_threshold, 2);
  EXPECT_EQ(shares[1][0].member_threshold, 1);
  EXPECT_EQ(shares[2][0].member_threshold, 3);
}

TEST(Slip39Split, RefusesParametersOutsideTheSpec) {
  const auto secret = secret_of(16);
  const auto refused = [](std::span<const std::uint8_t> master, std::string_view passphrase,
                          int group_threshold, std::vector<GroupSpec> groups, SplitOptions options,
                          std::string_view field) {
    auto shares = split(master, bytes_of(passphrase), group_threshold, groups, options);
    ASSERT_FALSE(shares) << field;
    EXPECT_EQ(shares.error().reason, Reason::invalid_field);
    EXPECT_EQ(shares.error().field, field) << shares.error().message();
  };
  refused(secret_of(14).span(), "", 1, {{1, 1}}, {}, "master secret");
  refused(secret_of(18).span().first(17), "", 1, {{1, 1}}, {}, "master secret");
  refused(secret_of(kMaxSecretLen + 2).span(), "", 1, {{1, 1}}, {}, "master secret");
  refused(secret.span(), "tab\there", 1, {{1, 1}}, {}, "passphrase");
  refused(secret.span(), "", 1, {{1, 1}}, options(kDefaultExtendable, 16), "iteration exponent");
  refused(secret.span(), "", 1, {}, {}, "groups");
  refused(secret.span(), "", 1, std::vector<GroupSpec>(17, GroupSpec{1, 1}), {}, "groups");
  refused(secret.span(), "", 0, {{1, 1}}, {}, "group threshold");
  refused(secret.span(), "", 3, {{1, 1}, {1, 1}}, {}, "group threshold");
  refused(secret.span(), "", 1, {{1, 1}, {2, 1}}, {}, "group 2");
  refused(secret.span(), "", 1, {{0, 1}}, {}, "group 1");
  refused(secret.span(), "", 1, {{2, 17}}, {}, "group 1");
  refused(secret.span(), "", 1, {{1, 2}}, {}, "group 1");  // 1-of-2: the spec's SHOULD NOT
}

// ---- combining: the spec's checks ---------------------------------------------------------------

// Shares of a 2-of-3 split, as mnemonics, for the refusal tests.
std::vector<std::string> two_of_three(std::string label, SplitOptions options = {}) {
  if (!options.random) options.random = seeded_random(std::move(label));
  const auto mnemonics =
      mnemonics_of(split_or_fail(secret_of(16), "", 1, {{2, 3}}, std::move(options)));
  std::vector<std::string> out;
  for (const auto& text : mnemonics.at(0))
    out.emplace_back(text_of(text));
  return out;
}

void expect_refusal(const Result<hsm::SecretBuffer>& result, std::string_view message) {
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().reason, Reason::key_format);
  EXPECT_EQ(result.error().message(), message);
}

TEST(Slip39Combine, EmptySetRefused) {
  expect_refusal(combine_texts({}), "no shares given");
}

TEST(Slip39Combine, DuplicateShareRefused) {
  const auto shares = two_of_three("dup");
  expect_refusal(combine_texts({shares[1], shares[1]}),
                 "share 2: duplicate share: group 1 member 2 is also share 1");
}

TEST(Slip39Combine, SharesOfTwoSplitsRefused) {
  const auto a = two_of_three("split a");
  const auto b = two_of_three("split b");
  auto share_a = decode_mnemonic(a[0]);
  auto share_b = decode_mnemonic(b[1]);
  ASSERT_TRUE(share_a && share_b);
  ASSERT_NE(share_a->identifier, share_b->identifier);
  expect_refusal(combine_texts({a[0], b[1]}),
                 "share 2: from another set (identifier " + std::to_string(share_b->identifier) +
                     ", not share 1's " + std::to_string(share_a->identifier) + ")");
}

TEST(Slip39Combine, SharesOfTwoSplitsWithOneIdentifierFailTheDigest) {
  const auto a = two_of_three("split a");
  const auto b = two_of_three("split b");
  auto share_a = decode_mnemonic(a[0]);
  auto share_b = decode_mnemonic(b[1]);
  ASSERT_TRUE(share_a && share_b);
  share_b->identifier = share_a->identifier;  // as a forger would, checksum and all
  std::vector<Share> shares;
  shares.push_back(std::move(*share_a));
  shares.push_back(std::move(*share_b));
  auto result = combine(shares, {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().reason, Reason::key_format);
  EXPECT_NE(result.error().message().find("group 1: invalid digest"), std::string::npos)
      << result.error().message();
}

TEST(Slip39Combine, MixedIterationExponentsRefused) {
  // One seed, so one identifier: only the exponent differs.
  const auto e0 = two_of_three("exp", options(true, 0));
  const auto e1 = two_of_three("exp", options(true, 1));
  expect_refusal(combine_texts({e0[0], e1[1]}),
                 "share 2: mixed iteration exponents (1; share 1 has 0)");
}

TEST(Slip39Combine, MixedExtendableFlagsRefused) {
  const auto plain = two_of_three("ext", options(false, 1));
  const auto extendable = two_of_three("ext", options(true, 1));
  expect_refusal(combine_texts({plain[0], extendable[1]}),
                 "share 2: mixed extendable flags (extendable; share 1 is not extendable)");
}

TEST(Slip39Combine, TooManySharesRefused) {
  const auto shares = two_of_three("many");
  expect_refusal(combine_texts(shares),
                 "group 1: too many shares: 3 given, the group takes exactly 2");
}

TEST(Slip39Combine, TooManyGroupsRefused) {
  const auto mnemonics = mnemonics_of(
      split_or_fail(secret_of(16), "", 1, {{1, 1}, {1, 1}}, {.random = seeded_random("groups")}));
  expect_refusal(
      combine_texts({std::string(text_of(mnemonics[0][0])), std::string(text_of(mnemonics[1][0]))}),
      "too many groups: 2 given, the set takes exactly 1");
}

TEST(Slip39Combine, MemberThresholdsDifferingInAGroupRefused) {
  const auto texts = two_of_three("threshold");
  std::vector<Share> shares;
  for (const auto& text : texts)
    shares.push_back(std::move(decode_mnemonic(text).value()));
  shares[1].member_threshold = 3;
  auto result = combine(shares, {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message(),
            "share 2: member threshold 3 in group 1 differs from share 1's 2");
}

TEST(Slip39Combine, BadMnemonicIsNamedByItsPlace) {
  auto shares = two_of_three("place");
  auto words = words_of(shares[1]);
  std::swap(words[5], words[6]);
  shares[1] = join(words);
  auto result = combine_texts({shares[0], shares[1]});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().reason, Reason::key_format);
  EXPECT_EQ(result.error().message().rfind("share 2: checksum does not match", 0), 0u)
      << result.error().message();
}

TEST(Slip39Combine, HandMadeShareOutOfRangeRefused) {
  auto texts = two_of_three("range");
  std::vector<Share> shares;
  for (const auto& text : texts)
    shares.push_back(std::move(decode_mnemonic(text).value()));
  shares[2].member_index = 300;
  auto result = combine(std::span<const Share>(shares).subspan(1), {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().reason, Reason::invalid_field);
  EXPECT_EQ(result.error().field, "share 2: member index");
}

// ---- the passphrase -----------------------------------------------------------------------------

TEST(Slip39Passphrase, RightPassphraseRestoresWrongOneGivesAnotherSecret) {
  const auto secret = secret_of(32);
  const auto mnemonics = mnemonics_of(
      split_or_fail(secret, "correct horse", 1, {{2, 3}}, {.random = seeded_random("passphrase")}));
  const std::vector<std::string> two = {std::string(text_of(mnemonics[0][0])),
                                        std::string(text_of(mnemonics[0][2]))};
  auto right = combine_texts(two, "correct horse");
  ASSERT_TRUE(right) << right.error().message();
  EXPECT_TRUE(right->equals(secret));
  for (std::string_view wrong : {"", "correct horsf", "Correct horse"}) {
    auto other = combine_texts(two, wrong);
    ASSERT_TRUE(other) << other.error().message();  // no error, by design
    EXPECT_EQ(other->size(), secret.size());
    EXPECT_FALSE(other->equals(secret)) << "'" << wrong << "'";
  }
}

TEST(Slip39Passphrase, UnprintablePassphraseRefused) {
  auto result = combine_texts({vector_one()}, "TREZOR\n");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().reason, Reason::invalid_field);
  EXPECT_EQ(result.error().field, "passphrase");
}

}  // namespace
}  // namespace dmp::backup::slip39
