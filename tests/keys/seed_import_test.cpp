// Seeds made elsewhere (spec §6, signer/keyfile/seed_import.hpp): bare hex
// seeds of a stated kind, the reference generator's key file, the §6.1 check
// value and every seed in the reference vectors.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "dmp/hsm/file_key.hpp"
#include "key_test_support.hpp"
#include "keyfile/seed_import.hpp"
#include "support/vectors.hpp"

namespace dmp::keyfile {
namespace {

using test::bytes_of;
using test::hex_encode;
using test::kCheckSpkEd25519;
using test::kCheckSpkX25519;
using test::kCheckX;

std::string public_hex_of(std::string_view seed_text, SeedKind kind) {
  auto seed = parse_hex_seed(bytes_of(seed_text), "seed");
  if (!seed) {
    ADD_FAILURE() << seed.error().message();
    return {};
  }
  return hex_encode(hsm::public_key_of_seed(to_ed25519_seed(std::move(*seed), kind)));
}

// --- Bare hex seeds ----------------------------------------------------------

TEST(HexSeed, ExactlySixtyFourHexDigitsAfterTrimming) {
  const std::string x(kCheckX);
  for (const std::string& text : std::vector<std::string>{
           x, x + "\n", "  " + x + " \r\n", "\t" + x + "\t", "\n\n" + x, x + "\v\f"}) {
    auto seed = parse_hex_seed(bytes_of(text), "seed");
    ASSERT_TRUE(seed) << seed.error().message();
    EXPECT_EQ(hex_encode(seed->span()), x);
  }
}

TEST(HexSeed, EitherCase) {
  std::string upper(kCheckX);
  for (char& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto seed = parse_hex_seed(bytes_of(upper), "seed");
  ASSERT_TRUE(seed);
  EXPECT_EQ(hex_encode(seed->span()), kCheckX);
}

TEST(HexSeed, WrongLengthRefused) {
  const std::string x(kCheckX);
  for (const std::string& text : std::vector<std::string>{
           std::string(), std::string("\n"), x.substr(0, 63), x + "0", x.substr(0, 62), x + x,
           x.substr(0, 32) + " " + x.substr(32), "0x" + x}) {
    auto seed = parse_hex_seed(bytes_of(text), "seed file");
    ASSERT_FALSE(seed) << text;
    EXPECT_EQ(seed.error().reason, Reason::key_format);
    EXPECT_EQ(seed.error().message().rfind("seed file: ", 0), 0u) << seed.error().message();
  }
}

TEST(HexSeed, NonHexRefusedWithoutQuotingTheText) {
  std::string x(kCheckX);
  for (const std::size_t pos : {0u, 31u, 63u}) {
    for (const char bad : {'g', 'G', 'x', ' ', '\0', '-'}) {
      std::string text = x;
      text[pos] = bad;
      auto seed = parse_hex_seed(bytes_of(text), "seed");
      ASSERT_FALSE(seed) << pos << " " << int{bad};
      EXPECT_EQ(seed.error().reason, Reason::key_format);
      EXPECT_EQ(seed.error().message().find(x.substr(1, 30)), std::string::npos)
          << seed.error().message();
    }
  }
}

TEST(HexSeed, LooksLikeBareHexSeed) {
  const std::string x(kCheckX);
  EXPECT_TRUE(looks_like_bare_hex_seed(bytes_of(x)));
  EXPECT_TRUE(looks_like_bare_hex_seed(bytes_of(x + "\n")));
  EXPECT_FALSE(looks_like_bare_hex_seed(bytes_of(x.substr(1))));
  EXPECT_FALSE(looks_like_bare_hex_seed(bytes_of("operator_seed_hex=" + x)));
  EXPECT_FALSE(looks_like_bare_hex_seed(bytes_of("")));
}

// --- §6.1 / §6.2 check value ------------------------------------------------

TEST(SeedKinds, CheckValueAsX25519StyleSeed) {
  EXPECT_EQ(public_hex_of(kCheckX, SeedKind::x25519), kCheckSpkX25519);
}

TEST(SeedKinds, CheckValueAsRawEd25519Seed) {
  EXPECT_EQ(public_hex_of(kCheckX, SeedKind::ed25519), kCheckSpkEd25519);
}

TEST(SeedKinds, X25519DerivationIsSha256OfSeedAndDomain) {
  const auto x = test::from_hex(std::string(kCheckX));
  std::vector<std::uint8_t> input(x);
  const std::string domain = "DMP-v1-Ed25519-signing-key";
  input.insert(input.end(), domain.begin(), domain.end());
  ASSERT_EQ(input.size(), 58u);
  std::uint8_t digest[32];
  crypto_hash_sha256(digest, input.data(), input.size());
  const auto derived = to_ed25519_seed(test::secret_from_hex(kCheckX), SeedKind::x25519);
  EXPECT_EQ(hex_encode(derived.span()), hex_encode(digest));
  // The raw kind is the identity.
  const auto raw = to_ed25519_seed(test::secret_from_hex(kCheckX), SeedKind::ed25519);
  EXPECT_EQ(hex_encode(raw.span()), kCheckX);
}

// --- Every seed in the reference vectors --------------------------------------

// "operator_seed_hex" -> "operator_spk_hex", and so on for signer/old/new/revoked.
std::string spk_field_for(const std::string& seed_field) {
  const std::string suffix = "_seed_hex";
  return seed_field.substr(0, seed_field.size() - suffix.size()) + "_spk_hex";
}

void check_vector_file(const nlohmann::json& cases, const std::string& file, int& checked) {
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    for (const auto& [field, value] : c.items()) {
      if (field.size() < 9 || field.compare(field.size() - 9, 9, "_seed_hex") != 0) continue;
      // Cases without inputs reuse another case's wire (wire_from_case) and
      // with it that case's key.
      const nlohmann::json* inputs = nullptr;
      if (c.contains("inputs")) {
        inputs = &c["inputs"];
      } else if (c.contains("wire_from_case")) {
        inputs = &cases[c["wire_from_case"].get<std::size_t>()]["inputs"];
        ASSERT_EQ(cases[c["wire_from_case"].get<std::size_t>()][field], value)
            << file << " case " << i << ": " << field << " differs from the source case";
      }
      ASSERT_NE(inputs, nullptr) << file << " case " << i << ": no key for " << field;
      const std::string spk_field = spk_field_for(field);
      ASSERT_TRUE(inputs->contains(spk_field)) << file << " case " << i << ": " << spk_field;
      const std::string seed_hex = value.get<std::string>();
      EXPECT_EQ(public_hex_of(seed_hex, SeedKind::x25519), (*inputs)[spk_field].get<std::string>())
          << file << " case " << i << " " << field;
      // And never the same key when mistaken for a raw Ed25519 seed.
      EXPECT_NE(public_hex_of(seed_hex, SeedKind::ed25519),
                (*inputs)[spk_field].get<std::string>());
      ++checked;
    }
  }
}

TEST(VectorSeeds, EverySeedImportedAsX25519GivesTheVectorsKey) {
  int checked = 0;
  for (const std::string& file :
       std::vector<std::string>{"cluster_manifest.json", "bootstrap_record.json",
                                "rotation_record.json", "revocation_record.json"}) {
    DMP_LOAD_VECTORS_OR_SKIP(cases, file);
    check_vector_file(cases, file, checked);
  }
  // 4 cluster + 4 bootstrap + 2 x 5 rotation + 4 revocation seed fields.
  EXPECT_EQ(checked, 22);
}

TEST(VectorSeeds, TheReferenceKeyFileOfEveryVectorSeedImports) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "cluster_manifest.json");
  const std::string seed_hex = cases[0]["operator_seed_hex"];
  const std::string spk_hex = cases[0]["inputs"]["operator_spk_hex"];
  auto key = parse_reference_key_file(bytes_of(test::reference_key_file(seed_hex, spk_hex)));
  ASSERT_TRUE(key) << key.error().message();
  EXPECT_EQ(hex_encode(key->public_key), spk_hex);
  EXPECT_EQ(hex_encode(hsm::public_key_of_seed(key->ed25519_seed)), spk_hex);
}

// --- The reference generator's key file (§6.3) -------------------------------

Result<ReferenceKey> parse_reference(const std::string& text) {
  return parse_reference_key_file(bytes_of(text));
}

const std::string kSeedLine = "operator_seed_hex=" + std::string(kCheckX) + "\n";
const std::string kPublicLine = "operator_public_hex=" + std::string(kCheckSpkX25519) + "\n";

TEST(ReferenceKeyFile, GeneratorFileImports) {
  const std::string text = test::reference_key_file(kCheckX, kCheckSpkX25519);
  EXPECT_TRUE(looks_like_reference_key_file(bytes_of(text)));
  EXPECT_FALSE(looks_like_bare_hex_seed(bytes_of(text)));
  auto key = parse_reference(text);
  ASSERT_TRUE(key) << key.error().message();
  EXPECT_EQ(hex_encode(key->public_key), kCheckSpkX25519);
  // The stored seed is the Ed25519 seed (§6.1), not x.
  EXPECT_EQ(hex_encode(key->ed25519_seed.span()),
            hex_encode(to_ed25519_seed(test::secret_from_hex(kCheckX), SeedKind::x25519).span()));
}

TEST(ReferenceKeyFile, CommentsBlankLinesCrlfAndOrderAreIrrelevant) {
  for (const std::string& text : std::vector<std::string>{
           kPublicLine + kSeedLine,
           "\n# c\n\n" + kSeedLine + "\n  # indented comment\n" + kPublicLine,
           "operator_seed_hex=" + std::string(kCheckX) +
               "\r\noperator_public_hex=" + std::string(kCheckSpkX25519) + "\r\n",
           kSeedLine + kPublicLine.substr(0, kPublicLine.size() - 1),  // no final newline
           "generator_version=2\n" + kSeedLine + kPublicLine + "extra=ignored\n"}) {
    auto key = parse_reference(text);
    ASSERT_TRUE(key) << text << "\n" << key.error().message();
    EXPECT_EQ(hex_encode(key->public_key), kCheckSpkX25519);
  }
}

TEST(ReferenceKeyFile, UpperCaseHexAccepted) {
  auto upper = [](std::string_view hex_text) {
    std::string out(hex_text);
    for (char& c : out)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
  };
  auto key = parse_reference("operator_seed_hex=" + upper(kCheckX) +
                             "\noperator_public_hex=" + upper(kCheckSpkX25519) + "\n");
  ASSERT_TRUE(key) << key.error().message();
  EXPECT_EQ(hex_encode(key->public_key), kCheckSpkX25519);
}

TEST(ReferenceKeyFile, MissingKeysRefused) {
  for (const std::string& text : std::vector<std::string>{
           kSeedLine, kPublicLine, std::string("# only a comment\n"), std::string(),
           "OPERATOR_SEED_HEX=" + std::string(kCheckX) + "\n" + kPublicLine}) {
    auto key = parse_reference(text);
    ASSERT_FALSE(key) << text;
    EXPECT_EQ(key.error().reason, Reason::key_format);
    EXPECT_NE(key.error().message().find("missing"), std::string::npos) << key.error().message();
  }
}

TEST(ReferenceKeyFile, DuplicateKeysRefused) {
  for (const std::string& text : std::vector<std::string>{kSeedLine + kSeedLine + kPublicLine,
                                                          kSeedLine + kPublicLine + kPublicLine}) {
    auto key = parse_reference(text);
    ASSERT_FALSE(key) << text;
    EXPECT_EQ(key.error().reason, Reason::key_format);
    EXPECT_NE(key.error().message().find("twice"), std::string::npos) << key.error().message();
  }
}

TEST(ReferenceKeyFile, MismatchingPublicKeyIsKeyMismatch) {
  // The raw-Ed25519 reading of the seed, or any other key.
  for (const std::string_view other :
       {kCheckSpkEd25519, std::string_view("00000000000000000000000000000000000000000000000000"
                                           "00000000000000")}) {
    auto key = parse_reference(kSeedLine + "operator_public_hex=" + std::string(other) + "\n");
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error().reason, Reason::key_mismatch);
    EXPECT_EQ(key.error().message().find(std::string(kCheckX)), std::string::npos);
  }
}

TEST(ReferenceKeyFile, MalformedLinesRefused) {
  const std::string x(kCheckX);
  for (const std::string& text : std::vector<std::string>{
           "operator_seed_hex=" + x.substr(1) + "\n" + kPublicLine,
           "operator_seed_hex=" + x + "00\n" + kPublicLine,
           "operator_seed_hex=" + x.substr(0, 63) + "z\n" + kPublicLine,
           kSeedLine + "operator_public_hex=\n", kSeedLine + kPublicLine + "not a key value line\n",
           "operator_seed_hex\n" + kPublicLine}) {
    auto key = parse_reference(text);
    ASSERT_FALSE(key) << text;
    EXPECT_EQ(key.error().reason, Reason::key_format) << text;
    EXPECT_EQ(key.error().message().find(x.substr(0, 40)), std::string::npos)
        << key.error().message();
  }
}

TEST(ReferenceKeyFile, ErrorsNameTheLine) {
  auto key = parse_reference("# c\n\noperator_seed_hex=zz\n" + kPublicLine);
  ASSERT_FALSE(key);
  EXPECT_NE(key.error().message().find("line 3"), std::string::npos) << key.error().message();
}

TEST(ReferenceKeyFile, LooksLikeReferenceKeyFile) {
  EXPECT_TRUE(looks_like_reference_key_file(bytes_of(kSeedLine)));
  EXPECT_FALSE(looks_like_reference_key_file(bytes_of(std::string(kCheckX))));
  EXPECT_FALSE(looks_like_reference_key_file(bytes_of("-----BEGIN DMP SIGNING KEY-----\n")));
}

}  // namespace
}  // namespace dmp::keyfile
