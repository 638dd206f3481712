// signer/verify/trust_file: the --trust format and the --pubkey-file format.
#include "verify/trust_file.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "dmp/encoding.hpp"

namespace {

using dmp::RecordType;
using dmp::cli::parse_pubkey_file_text;
using dmp::cli::parse_trust_text;
using dmp::encoding::hex_encode;

const std::string kKeyA = "2ec2785b7b2e0f5cf5a3bf6fc620cb9e1e67fa798577cfbfea34c46a20fc168b";
const std::string kKeyB = "e573c9bb2a9930e5375eb2d759b3a0732d5c5a45fe5d7182ad7353021f6b8e22";
const std::string kLowOrder = "0000000000000000000000000000000000000000000000000000000000000000";

void expect_trust_error(const std::string& text, const std::string& location,
                        const std::string& fragment) {
  auto store = parse_trust_text(text, "trust.txt");
  ASSERT_FALSE(store) << text;
  EXPECT_EQ(store.error().reason, dmp::Reason::invalid_field);
  EXPECT_EQ(store.error().message().rfind(location + ": ", 0), 0u) << store.error().message();
  EXPECT_NE(store.error().message().find(fragment), std::string::npos) << store.error().message();
  EXPECT_EQ(store.error().message().find('\n'), std::string::npos);  // one line
}

TEST(TrustFile, ParsesPinsCommentsAndBlankLines) {
  const std::string text =
      "# pins for the release\n"
      "\n"
      "cluster mesh.example.com " +
      kKeyA +
      "\n"
      "  bootstrap\tExample.COM.\t" +
      kKeyB +
      "   # zone operator\r\n"
      "\t\r\n"
      "cluster mesh.example.com " +
      kKeyB;  // rotation; no final newline
  auto store = parse_trust_text(text, "trust.txt");
  ASSERT_TRUE(store) << store.error().message();
  EXPECT_EQ(store->pin_count(), 3u);
  const auto cluster_keys = store->keys_for(RecordType::cluster, "MESH.example.com.");
  ASSERT_EQ(cluster_keys.size(), 2u);
  EXPECT_EQ(hex_encode(cluster_keys[0]), kKeyA);  // file order
  EXPECT_EQ(hex_encode(cluster_keys[1]), kKeyB);
  const auto bootstrap_keys = store->keys_for(RecordType::bootstrap, "example.com");
  ASSERT_EQ(bootstrap_keys.size(), 1u);
  EXPECT_EQ(hex_encode(bootstrap_keys[0]), kKeyB);
  // Types are separate trust roles: a bootstrap pin is not a cluster pin.
  EXPECT_TRUE(store->keys_for(RecordType::cluster, "example.com").empty());
  EXPECT_TRUE(store->keys_for(RecordType::bootstrap, "mesh.example.com").empty());
  EXPECT_TRUE(store->keys_for(RecordType::cluster, "other.example.com").empty());
}

TEST(TrustFile, KeysEitherCaseAndDuplicatesCollapse) {
  std::string upper = kKeyA;
  for (char& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto store =
      parse_trust_text("cluster a.example " + kKeyA + "\ncluster A.EXAMPLE. " + upper + "\n", "t");
  ASSERT_TRUE(store);
  EXPECT_EQ(store->pin_count(), 1u);
  EXPECT_EQ(store->keys_for(RecordType::cluster, "a.example").size(), 1u);
}

TEST(TrustFile, FieldCount) {
  expect_trust_error("cluster mesh.example.com\n", "trust.txt:1", "found 2 fields");
  expect_trust_error("# c\ncluster mesh.example.com " + kKeyA + " extra\n", "trust.txt:2",
                     "found 4 fields");
  expect_trust_error("\n\n" + kKeyA + "\n", "trust.txt:3", "found 1 fields");
}

TEST(TrustFile, RecordType) {
  expect_trust_error("manifest mesh.example.com " + kKeyA, "trust.txt:1",
                     "must be 'cluster' or 'bootstrap'");
  expect_trust_error("Cluster mesh.example.com " + kKeyA, "trust.txt:1",
                     "must be 'cluster' or 'bootstrap'");
}

TEST(TrustFile, NameRule) {
  const std::string label63(63, 'a');
  ASSERT_TRUE(parse_trust_text("cluster " + label63 + " " + kKeyA, "t"));  // label limit
  expect_trust_error("cluster " + label63 + "a " + kKeyA, "trust.txt:1", "longer than 63");
  // 64 bytes is the longest name a record can carry; 65 is one past.
  const std::string name64 = std::string(31, 'a') + "." + std::string(32, 'b');
  ASSERT_EQ(name64.size(), 64u);
  ASSERT_TRUE(parse_trust_text("cluster " + name64 + ". " + kKeyA, "t"));
  expect_trust_error("cluster " + name64 + "c " + kKeyA, "trust.txt:1", "longer than 64 bytes");
  expect_trust_error("cluster a..b " + kKeyA, "trust.txt:1", "empty label");
  expect_trust_error("cluster mesh.example.com.. " + kKeyA, "trust.txt:1", "ends with '..'");
  expect_trust_error("cluster -mesh.example.com " + kKeyA, "trust.txt:1", "starts or ends");
  expect_trust_error("cluster _dmp.example.com " + kKeyA, "trust.txt:1", "outside A-Z");
  expect_trust_error("cluster m\xc3\xa9sh.example " + kKeyA, "trust.txt:1", "ASCII");
  expect_trust_error("bootstrap . " + kKeyA, "trust.txt:1", "no label");
}

TEST(TrustFile, KeyRule) {
  expect_trust_error("cluster a.example " + kKeyA.substr(1), "trust.txt:1", "found 63");
  expect_trust_error("cluster a.example " + kKeyA + "0", "trust.txt:1", "found 65");
  std::string bad = kKeyA;
  bad[0] = 'x';
  expect_trust_error("cluster a.example " + bad, "trust.txt:1", "not a hex digit");
  expect_trust_error("cluster a.example " + kLowOrder, "trust.txt:1", "low-order");
}

TEST(TrustFile, NeedsAtLeastOnePin) {
  expect_trust_error("", "trust.txt", "no pins");
  expect_trust_error("# only a comment\n\n", "trust.txt", "no pins");
}

TEST(PubkeyFile, BareHexWithWhitespace) {
  for (const std::string& text : std::vector<std::string>{
           kKeyA, kKeyA + "\n", "  " + kKeyA + "\r\n\n", "# operator key\n" + kKeyA + "\n"}) {
    auto key = parse_pubkey_file_text(text, "op.pub");
    ASSERT_TRUE(key) << key.error().message();
    EXPECT_EQ(hex_encode(*key), kKeyA);
  }
}

TEST(PubkeyFile, ReferenceKeyFileTakesOnlyThePublicKey) {
  const std::string text =
      "# DEV ONLY\n# 2\n# 3\n# 4\n# 5\n# 6\n"
      "operator_seed_hex=this is never decoded, so it may be anything\n"
      "operator_public_hex=" +
      kKeyA + "\n";
  auto key = parse_pubkey_file_text(text, "operator-ed25519.hex");
  ASSERT_TRUE(key) << key.error().message();
  EXPECT_EQ(hex_encode(*key), kKeyA);
  auto spaced = parse_pubkey_file_text(" operator_public_hex = " + kKeyB + " \r\n", "f");
  ASSERT_TRUE(spaced) << spaced.error().message();
  EXPECT_EQ(hex_encode(*spaced), kKeyB);
}

TEST(PubkeyFile, Errors) {
  const auto expect_error = [](const std::string& text, const std::string& prefix,
                               const std::string& fragment) {
    auto key = parse_pubkey_file_text(text, "k.hex");
    ASSERT_FALSE(key) << text;
    EXPECT_EQ(key.error().message().rfind(prefix + ": ", 0), 0u) << key.error().message();
    EXPECT_NE(key.error().message().find(fragment), std::string::npos) << key.error().message();
  };
  expect_error("", "k.hex", "no key found");
  expect_error("# nothing\n", "k.hex", "no key found");
  expect_error(kKeyA.substr(1) + "\n", "k.hex:1", "found 63");
  expect_error(kKeyA + "\n" + kKeyB + "\n", "k.hex:2", "expected only the 64-hex public key");
  expect_error("operator_seed_hex=" + kKeyB + "\n", "k.hex", "no 'operator_public_hex=' line");
  expect_error("operator_public_hex=" + kKeyA + "\noperator_public_hex=" + kKeyA + "\n", "k.hex:2",
               "given twice");
  expect_error("# c\noperator_public_hex=" + kKeyA.substr(2) + "\n", "k.hex:2",
               "operator_public_hex: a public key is 64 hex digits");
  expect_error("operator_public_hex=" + kKeyA + "\njunk line\n", "k.hex:2", "expected 'key=value'");
  expect_error(kLowOrder, "k.hex:1", "low-order");
  expect_error("operator_public_hex=" + kLowOrder, "k.hex:1", "low-order");
}

}  // namespace
