// Name binding (§2.4 step 9, §3.5 step 9): one trailing dot stripped from the
// expected name, then a case-insensitive comparison with the stored name,
// with the verdicts of Python's str.casefold() (the reference's), including
// the non-ASCII code points that fold to ASCII.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dmp/names.hpp"
#include "dmp/verify.hpp"
#include "unit_helpers.hpp"

namespace dmp::unit {
namespace {

Reason bind_cluster(const std::string& stored, const std::string& expected) {
  ClusterManifest m = sample_manifest();
  m.cluster_name = stored;
  VerifyOptions options = at(kNow);
  options.expected_name = expected;
  return reason_of(verify_cluster(sign_manifest(m), operator_key().public_key, options));
}

Reason bind_bootstrap(const std::string& stored, const std::string& expected) {
  BootstrapRecord r = sample_bootstrap();
  r.user_domain = stored;
  VerifyOptions options = at(kNow);
  options.expected_name = expected;
  return reason_of(verify_bootstrap(sign_bootstrap(r), signer_key().public_key, options));
}

void expect_match(const std::string& stored, const std::string& expected) {
  EXPECT_TRUE(name_matches_expected(stored, expected)) << stored << " / " << expected;
  EXPECT_EQ(bind_cluster(stored, expected), Reason::ok) << stored << " / " << expected;
  EXPECT_EQ(bind_bootstrap(stored, expected), Reason::ok) << stored << " / " << expected;
}

void expect_mismatch(const std::string& stored, const std::string& expected) {
  EXPECT_FALSE(name_matches_expected(stored, expected)) << stored << " / " << expected;
  EXPECT_EQ(bind_cluster(stored, expected), Reason::name_mismatch) << stored << " / " << expected;
  EXPECT_EQ(bind_bootstrap(stored, expected), Reason::name_mismatch) << stored << " / " << expected;
}

TEST(NameBinding, ExactNameMatches) {
  expect_match("mesh.example.com", "mesh.example.com");
}

TEST(NameBinding, DifferentNameMismatches) {
  expect_mismatch("mesh.example.com", "mesh.example.org");
  expect_mismatch("mesh.example.com", "example.com");
  expect_mismatch("mesh.example.com", "cluster.mesh.example.com");
  expect_mismatch("mesh.example.com", "");
  expect_mismatch("mesh.example.com", " mesh.example.com");
  expect_mismatch("mesh.example.com", ".mesh.example.com");
}

TEST(NameBinding, ComparisonIsCaseInsensitive) {
  expect_match("mesh.example.com", "MESH.Example.COM");
  expect_match("Mesh.Example.COM", "mesh.example.com");
}

TEST(NameBinding, OneTrailingDotStrippedFromExpected) {
  expect_match("mesh.example.com", "mesh.example.com.");
  expect_match("mesh.example.com", "MESH.EXAMPLE.COM.");
}

TEST(NameBinding, TwoTrailingDotsMismatch) {
  expect_mismatch("mesh.example.com", "mesh.example.com..");
}

TEST(NameBinding, StoredNameHasItsWireDotRemoved) {
  // A wire that carries "mesh.example.com." binds to the dotless name.
  const Bytes body = cluster_body("mesh.example.com.", {{"n01", "h", ""}});
  VerifyOptions options = at(kNow);
  options.expected_name = "mesh.example.com";
  EXPECT_REASON(verify_cluster(signed_cluster_wire(body), operator_key().public_key, options),
                Reason::ok);
  options.expected_name = "mesh.example.com.";
  EXPECT_REASON(verify_cluster(signed_cluster_wire(body), operator_key().public_key, options),
                Reason::ok);
}

TEST(NameBinding, KelvinSignFoldsToK) {
  // U+212A KELVIN SIGN casefolds to 'k' in Python.
  expect_match("kelvin.example", "\u212Aelvin.example");
  expect_match("kk.example", "\u212A\u212A.example");
}

TEST(NameBinding, SharpSFoldsToSs) {
  // "ß".casefold() == "ss", so expected "maß.example" binds "mass.example".
  expect_match("mass.example", "ma\u00DF.example");
  expect_match("MASS.example", "MA\u00DF.example");
  expect_match("mass.example", "ma\u1E9E.example");  // U+1E9E LATIN CAPITAL LETTER SHARP S
  expect_mismatch("mas.example", "ma\u00DF.example");
}

TEST(NameBinding, OtherAsciiFoldingCodePoints) {
  // The full set of non-ASCII code points whose casefold is ASCII (Unicode 14).
  expect_match("mass.example", "ma\u017Fs.example");  // LONG S -> s
  expect_match("ff.example", "\uFB00.example");       // ff ligature
  expect_match("fi.example", "\uFB01.example");
  expect_match("fl.example", "\uFB02.example");
  expect_match("ffi.example", "\uFB03.example");
  expect_match("ffl.example", "\uFB04.example");
  expect_match("st.example", "\uFB05.example");
  expect_match("st.example", "\uFB06.example");
}

TEST(NameBinding, OtherNonAsciiNeverMatches) {
  expect_mismatch("mesh.example.com", "m\u00E9sh.example.com");       // é
  expect_mismatch("mesh.example.com", "\uFF4Desh.example.com");       // fullwidth m
  expect_mismatch("mix.example", "m\u0131x.example");                 // dotless i folds to itself
  expect_mismatch("mix.example", "m\u0130x.example");                 // İ folds to "i̇"
  expect_mismatch("mesh.example.com", "mesh.example.com\u200B");      // zero-width space
  expect_mismatch("mesh.example.com", "mesh\u3002example\u3002com");  // ideographic full stops
  expect_mismatch("kelvin.example", "\u212Aelvin.example\u00A0");
}

TEST(NameBinding, InvalidUtf8ExpectedNameNeverMatches) {
  expect_mismatch("mesh.example.com", "mesh.example.com\xff");
  EXPECT_FALSE(name_matches_expected("ss.example", "\xc3.example"));
  EXPECT_FALSE(name_matches_expected("k.example", "\xe2\x84.example"));  // truncated U+212A
  EXPECT_FALSE(name_matches_expected("ss.example", "\xc3\x9f\x80.example"));
}

TEST(NameBinding, NoExpectedNameMeansNoBinding) {
  EXPECT_REASON(
      verify_cluster(sign_manifest(sample_manifest()), operator_key().public_key, at(kNow)),
      Reason::ok);
}

}  // namespace
}  // namespace dmp::unit
