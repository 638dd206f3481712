// §1.5, the DNS-name rule shared by cluster_name, user_domain and
// cluster_base_domain, and the per-field name lengths of §2.2 / §3.2 / §10.2.
// Every rule is checked on all three paths that apply it: check_dns_name, the
// sign side (encode_body: Reason::invalid_field) and the verify side (a
// hand-built body signed with the pinned key: Reason::malformed).
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "dmp/codec.hpp"
#include "dmp/names.hpp"
#include "dmp/verify.hpp"
#include "unit_helpers.hpp"

namespace dmp::unit {
namespace {

std::string printable(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b < 0x7f) {
      out += c;
    } else {
      out += "\\x" + hex_encode(std::span<const std::uint8_t>(&b, 1));
    }
  }
  return out;
}

ClusterManifest manifest_named(const std::string& name) {
  ClusterManifest m = sample_manifest();
  m.cluster_name = name;
  return m;
}
BootstrapRecord bootstrap_for_domain(const std::string& domain) {
  BootstrapRecord r = sample_bootstrap();
  r.user_domain = domain;
  return r;
}
BootstrapRecord bootstrap_with_base(const std::string& base) {
  BootstrapRecord r = sample_bootstrap();
  r.entries[0].cluster_base_domain = base;
  return r;
}

// The name is refused by the rule itself, by every encoder field that uses
// it, and (when it fits a u8 length) by every decoder field that uses it.
void expect_name_refused(const std::string& name) {
  SCOPED_TRACE("name '" + printable(name) + "'");
  EXPECT_REASON(check_dns_name(name, "cluster_name"), Reason::invalid_field);
  EXPECT_REASON(encode_body(manifest_named(name)), Reason::invalid_field);
  EXPECT_REASON(encode_body(bootstrap_for_domain(name)), Reason::invalid_field);
  EXPECT_REASON(encode_body(bootstrap_with_base(name)), Reason::invalid_field);
  if (name.size() > 255) return;
  EXPECT_REASON(verify_cluster_body(cluster_body_named(name)), Reason::malformed);
  EXPECT_REASON(verify_bootstrap_body(bootstrap_body(name, {{10, "mesh.example.com"}})),
                Reason::malformed);
  EXPECT_REASON(verify_bootstrap_body(bootstrap_body("example.com", {{10, name}})),
                Reason::malformed);
}

// The name is accepted everywhere, and both the signer and the verifier
// store it as `stored` (one trailing dot removed, case kept).
void expect_name_accepted(const std::string& name, const std::string& stored) {
  SCOPED_TRACE("name '" + printable(name) + "'");
  EXPECT_REASON(check_dns_name(name, "cluster_name"), Reason::ok);

  auto cluster = encode_body(manifest_named(name));
  ASSERT_REASON(cluster, Reason::ok);
  auto decoded = decode_cluster_body(*cluster);
  ASSERT_REASON(decoded, Reason::ok);
  EXPECT_EQ(decoded->cluster_name, stored);
  EXPECT_EQ(*cluster, *encode_body(manifest_named(stored)));  // serialised without the dot

  auto domain = encode_body(bootstrap_for_domain(name));
  ASSERT_REASON(domain, Reason::ok);
  EXPECT_EQ(decode_bootstrap_body(*domain)->user_domain, stored);
  auto base = encode_body(bootstrap_with_base(name));
  ASSERT_REASON(base, Reason::ok);
  EXPECT_EQ(decode_bootstrap_body(*base)->entries.at(0).cluster_base_domain, stored);

  auto verified = verify_cluster_body(cluster_body_named(name));
  ASSERT_REASON(verified, Reason::ok);
  EXPECT_EQ(verified->cluster_name, stored);
  auto by_domain = verify_bootstrap_body(bootstrap_body(name, {{10, "mesh.example.com"}}));
  ASSERT_REASON(by_domain, Reason::ok);
  EXPECT_EQ(by_domain->user_domain, stored);
  auto by_base = verify_bootstrap_body(bootstrap_body("example.com", {{10, name}}));
  ASSERT_REASON(by_base, Reason::ok);
  EXPECT_EQ(by_base->entries.at(0).cluster_base_domain, stored);
}

// ---- §1.5 step by step ----------------------------------------------------

TEST(NameRule, Step1EmptyNameRefused) {
  expect_name_refused("");
}

TEST(NameRule, Step2DoubleTrailingDotRefused) {
  expect_name_refused("mesh.example.com..");
  expect_name_refused("localhost..");
  expect_name_refused("..");
  expect_name_refused("mesh.example.com...");
}

TEST(NameRule, Step3OneTrailingDotAcceptedAndStripped) {
  expect_name_accepted("mesh.example.com.", "mesh.example.com");
  expect_name_accepted("localhost.", "localhost");
}

TEST(NameRule, Step3LoneDotRefused) {
  expect_name_refused(".");
}

TEST(NameRule, Step4NonAsciiRefused) {
  expect_name_refused("m\xc3\xa9sh.example.com");   // é, valid UTF-8 (an IDN U-label)
  expect_name_refused("mesh.\xe4\xbe\x8b.com");     // CJK label
  expect_name_refused("mesh.example.com\xc2\xa0");  // no-break space
  expect_name_refused("\xff\xfe.example.com");      // not UTF-8 at all
}

TEST(NameRule, Step4EveryByteAbove0x7fIsRefusedAsNonAscii) {
  // A lone continuation byte (0x80-0xbf) is not ASCII either: step 4 refuses
  // it, rather than leaving it to the label rule of step 5.
  for (const std::string name : {"m\x80sh.example.com",
                                 "mesh.ex\xbf"
                                 "ample.com",
                                 "m\xc3\xa9sh.example.com"}) {
    const auto refused = check_dns_name(name, "name");
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message().find("must be ASCII"), std::string::npos)
        << refused.error().message();
  }
}

TEST(Utf8, ASequenceCutByTheEndOfTheTextIsInvalid) {
  // Each view ends inside a sequence whose other bytes follow in memory:
  // they are not part of the text, so the cut sequence is invalid.
  const std::string whole = "ab\xc3\xa9\xe2\x80\xae\xf0\x9f\x98\x80";
  const std::string_view view(whole);
  for (const std::size_t cut : {2u, 4u, 7u, 11u})
    EXPECT_TRUE(is_valid_utf8(view.substr(0, cut))) << cut;
  for (const std::size_t cut : {3u, 5u, 6u, 8u, 9u, 10u}) {
    EXPECT_FALSE(is_valid_utf8(view.substr(0, cut))) << cut;
  }
}

TEST(NameRule, Step4ALabelsAccepted) {
  expect_name_accepted("xn--mesh-6qa.example.com", "xn--mesh-6qa.example.com");
  expect_name_accepted("a--b.example.com", "a--b.example.com");
}

TEST(NameRule, Step5EmptyLabelRefused) {
  expect_name_refused(".example.com");
  expect_name_refused("mesh..example.com");
  expect_name_refused(".");
  expect_name_refused(".example.com.");
}

TEST(NameRule, Step5LabelOf63CharactersAccepted64Refused) {
  const std::string label63(63, 'a');
  const std::string label64(64, 'a');
  expect_name_accepted(label63, label63);
  expect_name_accepted("x." + std::string(62, 'b'), "x." + std::string(62, 'b'));
  expect_name_refused(label64);
  expect_name_refused(std::string(64, 'b') + ".");  // 64-char label even with the dot
  // The rule alone (no field cap): a 63-char label inside a longer name.
  EXPECT_REASON(check_dns_name(label63 + ".example.com", "n"), Reason::ok);
  EXPECT_REASON(check_dns_name(label64 + ".example.com", "n"), Reason::invalid_field);
}

TEST(NameRule, Step5LeadingHyphenRefused) {
  expect_name_refused("-mesh.example.com");
  expect_name_refused("mesh.-example.com");
  expect_name_refused("-");
}

TEST(NameRule, Step5TrailingHyphenRefused) {
  expect_name_refused("mesh-.example.com");
  expect_name_refused("mesh.example.com-");
  expect_name_refused("mesh.example.com-.");
}

TEST(NameRule, Step5InnerHyphenAccepted) {
  expect_name_accepted("my-mesh.ex-ample.com", "my-mesh.ex-ample.com");
}

TEST(NameRule, Step5UnderscoreRefused) {
  expect_name_refused("_dmp.example.com");
  expect_name_refused("mesh_1.example.com");
}

TEST(NameRule, Step5WildcardRefused) {
  expect_name_refused("*.example.com");
  expect_name_refused("*");
}

TEST(NameRule, Step5SpaceAndOtherCharactersRefused) {
  const std::vector<std::string> names = {
      "mesh example.com",    " mesh.example.com",
      "mesh.example.com ",   "mesh\t.example.com",
      "mesh/1.example.com",  "mesh@example.com",
      "mesh:53.example.com", "mesh+1.example.com",
      "mesh!.example.com",   "mesh\".example.com",
      "mesh\\.example.com",  "mesh~.example.com",
      "mesh.example.com\n",  std::string("mesh\0.example.com", 17)};
  for (const std::string& name : names) {
    expect_name_refused(name);
  }
}

TEST(NameRule, SingleLabelNamesAccepted) {
  expect_name_accepted("localhost", "localhost");
  expect_name_accepted("a", "a");
}

TEST(NameRule, AllNumericLabelsAccepted) {
  expect_name_accepted("1.2.3.4", "1.2.3.4");
  expect_name_accepted("123", "123");
  expect_name_accepted("0-0.9", "0-0.9");
}

TEST(NameRule, CasePreservedEverywhere) {
  expect_name_accepted("Mesh.Example.COM", "Mesh.Example.COM");
  expect_name_accepted("MESH.example.com.", "MESH.example.com");
  ClusterManifest m = manifest_named("Mesh.Example.COM");
  EXPECT_EQ(rrset_name(m), "cluster.Mesh.Example.COM");
  BootstrapRecord r = bootstrap_for_domain("Example.COM");
  EXPECT_EQ(rrset_name(r), "_dmp.Example.COM");
  auto verified = verify_cluster(sign_manifest(m), operator_key().public_key, at(kNow));
  ASSERT_REASON(verified, Reason::ok);
  EXPECT_EQ(rrset_name(Record(*verified)), "cluster.Mesh.Example.COM");
}

TEST(NameRule, TotalLengthAndLabelCountAreNotPartOfTheRule) {
  // §1.5 "does not check": total length is each field's own cap.
  std::string long_name;
  for (int i = 0; i < 20; ++i)
    long_name += "label" + std::to_string(i) + ".";
  long_name += "com";
  ASSERT_GT(long_name.size(), 64u);
  EXPECT_REASON(check_dns_name(long_name, "n"), Reason::ok);
}

TEST(NameRule, StripOneDotRemovesExactlyOne) {
  EXPECT_EQ(strip_one_dot("a.b."), "a.b");
  EXPECT_EQ(strip_one_dot("a.b.."), "a.b.");
  EXPECT_EQ(strip_one_dot("a.b"), "a.b");
  EXPECT_EQ(strip_one_dot(""), "");
  EXPECT_EQ(strip_one_dot("."), "");
}

TEST(NameRule, ErrorNamesTheField) {
  auto status = check_dns_name("bad_name.example", "user_domain");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().field, "user_domain");
  EXPECT_NE(status.error().message().find("user_domain"), std::string::npos);
  auto encoded = encode_body(bootstrap_with_base("bad_name.example"));
  ASSERT_FALSE(encoded);
  EXPECT_NE(encoded.error().field.find("cluster_base_domain"), std::string::npos);
}

// ---- name lengths (§2.2, §3.2, §10.2) --------------------------------------

TEST(NameLength, HelperBuildsNamesOfExactLength) {
  for (std::size_t n : {1u, 2u, 40u, 41u, 42u, 63u, 64u, 65u, 66u}) {
    const std::string name = dns_name_of_length(n);
    EXPECT_EQ(name.size(), n);
    EXPECT_REASON(check_dns_name(name, "n"), Reason::ok) << name;
  }
}

TEST(NameLength, Sixty4BytesAccepted65Refused) {
  const std::string name64 = dns_name_of_length(64);
  const std::string name65 = dns_name_of_length(65);
  expect_name_accepted(name64, name64);
  // Sign side: the UTF-8 length after stripping one dot must be 1..64.
  EXPECT_REASON(encode_body(manifest_named(name65)), Reason::invalid_field);
  EXPECT_REASON(encode_body(bootstrap_for_domain(name65)), Reason::invalid_field);
  EXPECT_REASON(encode_body(bootstrap_with_base(name65)), Reason::invalid_field);
  // Verify side: effective length 65 is malformed.
  EXPECT_REASON(verify_cluster_body(cluster_body_named(name65)), Reason::malformed);
  EXPECT_REASON(verify_bootstrap_body(bootstrap_body(name65, {{10, "mesh.example.com"}})),
                Reason::malformed);
  EXPECT_REASON(verify_bootstrap_body(bootstrap_body("example.com", {{10, name65}})),
                Reason::malformed);
}

TEST(NameLength, Sixty5BytesWithTrailingDotAllowedOnTheWire) {
  // §10.2: the wire may carry 65 bytes when the last one is the trailing dot.
  const std::string name64 = dns_name_of_length(64);
  expect_name_accepted(name64 + ".", name64);
  const Bytes body = cluster_body_named(name64 + ".");
  ASSERT_EQ(body[kHeaderLen - 1], 65);  // name_len on the wire
}

TEST(NameLength, Sixty6BytesWithTrailingDotRefused) {
  // 65 bytes plus the dot: the §1.5 rule itself passes (it has no length
  // limit), the field caps refuse it.
  const std::string name = dns_name_of_length(65) + ".";
  EXPECT_REASON(check_dns_name(name, "n"), Reason::ok);
  EXPECT_REASON(encode_body(manifest_named(name)), Reason::invalid_field);
  EXPECT_REASON(encode_body(bootstrap_for_domain(name)), Reason::invalid_field);
  EXPECT_REASON(encode_body(bootstrap_with_base(name)), Reason::invalid_field);
  EXPECT_REASON(verify_cluster_body(cluster_body_named(name)), Reason::malformed);
  EXPECT_REASON(verify_bootstrap_body(bootstrap_body(name, {{10, "mesh.example.com"}})),
                Reason::malformed);
  EXPECT_REASON(verify_bootstrap_body(bootstrap_body("example.com", {{10, name}})),
                Reason::malformed);
}

TEST(NameLength, ZeroLengthNameOnTheWireRefused) {
  EXPECT_REASON(verify_cluster_body(cluster_body_named("")), Reason::malformed);
  EXPECT_REASON(verify_bootstrap_body(bootstrap_body("", {{10, "mesh.example.com"}})),
                Reason::malformed);
}

TEST(NameLength, NameLongerThanRemainingBodyRefused) {
  // name_len says 20 but the body ends after 10 name bytes.
  Body b = header("DMPCL01", "", operator_key().public_key);
  Bytes body = b.bytes();
  body.back() = 20;
  const std::string partial = "mesh.examp";
  body.insert(body.end(), partial.begin(), partial.end());
  EXPECT_REASON(verify_cluster_body(body), Reason::malformed);
}

}  // namespace
}  // namespace dmp::unit
