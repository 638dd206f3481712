// TXT presentation format (zone.hpp, spec §8): 255-byte splitting like the
// reference writers, quoting, and the one-record zone-file reader.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "dmp/zone.hpp"
#include "support/vectors.hpp"
#include "unit_helpers.hpp"

namespace dmp::unit {
namespace {

std::vector<std::size_t> piece_sizes(std::string_view wire) {
  std::vector<std::size_t> sizes;
  for (const auto& piece : split_txt_strings(wire))
    sizes.push_back(piece.size());
  return sizes;
}

std::string joined(const std::vector<std::string>& pieces) {
  std::string out;
  for (const auto& p : pieces)
    out += p;
  return out;
}

Result<TxtRecord> parse(std::string_view text) {
  return parse_txt_record(text);
}

std::string parsed_text(std::string_view text) {
  auto record = parse_txt_record(text);
  if (!record) return "<error: " + record.error().message() + ">";
  return record->joined;
}

// ---- split_txt_strings / quote_txt_strings (§8) ------------------------------------

TEST(TxtSplit, VectorOf525BytesSplits255_255_15) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "cluster_manifest.json");
  const std::string wire = test::hex_to_text(cases.at(1).at("expected_wire_hex"));
  ASSERT_EQ(wire.size(), 525u);
  EXPECT_EQ(piece_sizes(wire), (std::vector<std::size_t>{255, 255, 15}));
  EXPECT_EQ(joined(split_txt_strings(wire)), wire);
}

TEST(TxtSplit, ConsecutivePiecesFromTheStart) {
  std::string wire;
  for (int i = 0; i < 525; ++i)
    wire += static_cast<char>('A' + i % 26);
  const auto pieces = split_txt_strings(wire);
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_EQ(pieces[0], wire.substr(0, 255));
  EXPECT_EQ(pieces[1], wire.substr(255, 255));
  EXPECT_EQ(pieces[2], wire.substr(510));
}

TEST(TxtSplit, BoundarySizes) {
  EXPECT_EQ(piece_sizes(std::string(1, 'a')), (std::vector<std::size_t>{1}));
  EXPECT_EQ(piece_sizes(std::string(255, 'a')), (std::vector<std::size_t>{255}));
  EXPECT_EQ(piece_sizes(std::string(256, 'a')), (std::vector<std::size_t>{255, 1}));
  EXPECT_EQ(piece_sizes(std::string(510, 'a')), (std::vector<std::size_t>{255, 255}));
  EXPECT_EQ(piece_sizes(std::string(1200, 'a')),
            (std::vector<std::size_t>{255, 255, 255, 255, 180}));
  EXPECT_TRUE(split_txt_strings("").empty());
}

TEST(TxtQuote, QuotesEachPieceSeparatedBySpaces) {
  EXPECT_EQ(quote_txt_strings("abc"), "\"abc\"");
  const std::string wire = std::string(255, 'a') + "bc";
  EXPECT_EQ(quote_txt_strings(wire), "\"" + std::string(255, 'a') + "\" \"bc\"");
}

TEST(TxtQuote, EscapesQuoteAndBackslash) {
  EXPECT_EQ(quote_txt_strings("a\"b\\c"), "\"a\\\"b\\\\c\"");
}

// ---- parse_txt_record --------------------------------------------------------------------

TEST(TxtParse, RoundTripsQuoteTxtStringsOutput) {
  ClusterManifest big = sample_manifest();
  for (int i = 0; i < 6; ++i) {
    big.nodes.push_back(node("n1" + std::to_string(i),
                             "https://n" + std::to_string(i) + ".mesh.example.com:8053",
                             "203.0.113." + std::to_string(i) + ":53"));
  }
  for (const std::string& wire :
       {sign_manifest(sample_manifest()), sign_manifest(big), sign_bootstrap(sample_bootstrap()),
        std::string(1200, 'x'), std::string("odd \" and \\ bytes")}) {
    const std::string line = "cluster.mesh.example.com. 3600 IN TXT " + quote_txt_strings(wire);
    auto record = parse(line + "\n");
    ASSERT_REASON(record, Reason::ok);
    EXPECT_EQ(record->joined, wire);
    EXPECT_EQ(record->owner, "cluster.mesh.example.com.");
    EXPECT_EQ(record->ttl, 3600u);
  }
}

TEST(TxtParse, TtlAndClassInEitherOrder) {
  auto a = parse("o 300 IN TXT \"x\"");
  auto b = parse("o IN 300 TXT \"x\"");
  auto c = parse("o in 42 txt \"x\"");
  ASSERT_REASON(a, Reason::ok);
  ASSERT_REASON(b, Reason::ok);
  ASSERT_REASON(c, Reason::ok);
  EXPECT_EQ(a->ttl, 300u);
  EXPECT_EQ(b->ttl, 300u);
  EXPECT_EQ(c->ttl, 42u);
}

TEST(TxtParse, TtlUnitsAreBindUnits) {
  for (const auto& [ttl, seconds] : std::vector<std::pair<std::string, std::uint32_t>>{
           {"1h", 3600}, {"1h30m", 5400}, {"2d", 172800}, {"1W", 604800}, {"90s", 90}}) {
    auto record = parse("o " + ttl + " IN TXT \"x\"");
    ASSERT_REASON(record, Reason::ok);
    EXPECT_EQ(record->ttl, seconds) << ttl;
  }
  // Digits after a unit have no unit of their own: BIND refuses them too.
  for (const std::string ttl : {"1h30", "1d2"}) {
    EXPECT_REASON(parse("o " + ttl + " IN TXT \"x\""), Reason::malformed) << ttl;
  }
}

TEST(TxtParse, TtlAndClassAreOptional) {
  auto record = parse("_dmp.example.com TXT \"x\"");
  ASSERT_REASON(record, Reason::ok);
  EXPECT_EQ(record->owner, "_dmp.example.com");
  EXPECT_FALSE(record->ttl.has_value());
  EXPECT_EQ(record->joined, "x");
  EXPECT_EQ(parsed_text("o IN TXT \"y\""), "y");
}

TEST(TxtParse, ParenthesesSpanLines) {
  EXPECT_EQ(parsed_text("o 300 IN TXT (\n  \"ab\"\n  \"cd\"\n  \"ef\" )\n"), "abcdef");
  EXPECT_EQ(parsed_text("o 300 IN TXT ( \"ab\"\n\n \"cd\"\n)\n"), "abcd");
  EXPECT_EQ(parsed_text("o (\n 300\n IN\n TXT\n \"ab\" )"), "ab");
}

TEST(TxtParse, CommentsIgnored) {
  EXPECT_EQ(parsed_text("; header\n\no 300 IN TXT \"a;b\" ; trailing comment\n; footer\n"), "a;b");
  EXPECT_EQ(parsed_text("o TXT ( \"a\" ; first\n \"b\" ; second\n ) ; done"), "ab");
}

TEST(TxtParse, DecimalAndCharacterEscapes) {
  EXPECT_EQ(parsed_text("o TXT \"a\\034b\\\"c\\\\d\\065\\;\""), "a\"b\"c\\dA;");
  EXPECT_EQ(parsed_text("o TXT \"\\000\\255\""), std::string("\0\xff", 2));
}

TEST(TxtParse, UnquotedCharacterStringsAccepted) {
  EXPECT_EQ(parsed_text("o TXT abc def"), "abcdef");
}

TEST(TxtParse, CrLfLineEndingsAccepted) {
  EXPECT_EQ(parsed_text("o 300 IN TXT \"a\" \"b\"\r\n"), "ab");
}

TEST(TxtParse, CharacterStringOf255BytesAccepted256Refused) {
  EXPECT_EQ(parsed_text("o TXT \"" + std::string(255, 'a') + "\""), std::string(255, 'a'));
  EXPECT_REASON(parse("o TXT \"" + std::string(256, 'a') + "\""), Reason::malformed);
  // The limit counts bytes after unescaping.
  std::string escaped;
  for (int i = 0; i < 255; ++i)
    escaped += "\\065";
  EXPECT_EQ(parsed_text("o TXT \"" + escaped + "\""), std::string(255, 'A'));
  EXPECT_REASON(parse("o TXT \"" + escaped + "\\065\""), Reason::malformed);
}

TEST(TxtParse, DollarTtlIgnored) {
  auto record = parse("$TTL 3600\ncluster.mesh.example.com. IN TXT \"x\"\n");
  ASSERT_REASON(record, Reason::ok);
  EXPECT_EQ(record->joined, "x");
  EXPECT_FALSE(record->ttl.has_value());
}

TEST(TxtParse, DollarOriginRefused) {
  EXPECT_REASON(parse("$ORIGIN example.com.\ncluster 300 IN TXT \"x\"\n"), Reason::malformed);
  EXPECT_REASON(parse("$INCLUDE other.zone\no TXT \"x\"\n"), Reason::malformed);
}

TEST(TxtParse, TwoRecordsRefused) {
  EXPECT_REASON(parse("a 300 IN TXT \"x\"\nb 300 IN TXT \"y\"\n"), Reason::malformed);
  EXPECT_REASON(parse("a TXT \"x\"\na TXT \"x\"\n"), Reason::malformed);
}

TEST(TxtParse, NoTxtRecordRefused) {
  EXPECT_REASON(parse(""), Reason::malformed);
  EXPECT_REASON(parse("; only a comment\n\n"), Reason::malformed);
  EXPECT_REASON(parse("o 300 IN A 192.0.2.1"), Reason::malformed);
  EXPECT_REASON(parse("o 300 IN"), Reason::malformed);
  EXPECT_REASON(parse("o 300 IN TXT"), Reason::malformed);     // no character-string
  EXPECT_REASON(parse("\"o\" TXT \"x\""), Reason::malformed);  // quoted owner
}

TEST(TxtParse, UnterminatedQuoteRefused) {
  EXPECT_REASON(parse("o TXT \"abc"), Reason::malformed);
  EXPECT_REASON(parse("o TXT \"abc\ndef\""), Reason::malformed);
  EXPECT_REASON(parse("o TXT \"abc\\\""), Reason::malformed);  // escaped closing quote
}

TEST(TxtParse, UnbalancedParenthesesRefused) {
  EXPECT_REASON(parse("o TXT ( \"a\"\n"), Reason::malformed);
  EXPECT_REASON(parse("o TXT \"a\" )\n"), Reason::malformed);
  EXPECT_REASON(parse("o TXT (( \"a\" )\n"), Reason::malformed);
}

TEST(TxtParse, BadEscapesRefused) {
  EXPECT_REASON(parse("o TXT \"\\25\""), Reason::malformed);   // two digits
  EXPECT_REASON(parse("o TXT \"\\256\""), Reason::malformed);  // above 255
  EXPECT_REASON(parse("o TXT \"abc\\"), Reason::malformed);    // backslash at the end
}

TEST(TxtParse, BadTtlOrClassRefused) {
  EXPECT_REASON(parse("o 2147483648 IN TXT \"x\""), Reason::malformed);
  EXPECT_REASON(parse("o 1 2 IN TXT \"x\""), Reason::malformed);
  EXPECT_REASON(parse("o CH TXT \"x\""), Reason::malformed);
  EXPECT_REASON(parse("o IN IN TXT \"x\""), Reason::malformed);
  auto max = parse("o 2147483647 IN TXT \"x\"");
  ASSERT_REASON(max, Reason::ok);
  EXPECT_EQ(max->ttl, 2147483647u);
}

TEST(TxtParse, OversizedTextRefused) {
  const std::string text = "o TXT \"x\" ;" + std::string(kMaxZoneTextLen, ' ');
  EXPECT_REASON(parse(text), Reason::malformed);
}

// ---- owner_matches -----------------------------------------------------------------------

TEST(OwnerMatches, CaseInsensitiveWithOptionalTrailingDot) {
  EXPECT_TRUE(owner_matches("cluster.mesh.example.com.", "cluster.mesh.example.com"));
  EXPECT_TRUE(owner_matches("cluster.mesh.example.com", "cluster.mesh.example.com."));
  EXPECT_TRUE(owner_matches("CLUSTER.Mesh.example.com", "cluster.mesh.example.com"));
  EXPECT_TRUE(owner_matches("_dmp.Example.COM.", "_dmp.example.com."));
}

TEST(OwnerMatches, DifferentNamesDoNotMatch) {
  EXPECT_FALSE(owner_matches("cluster.mesh.example.com", "cluster.mesh.example.org"));
  EXPECT_FALSE(owner_matches("mesh.example.com", "cluster.mesh.example.com"));
  EXPECT_FALSE(owner_matches("cluster.mesh.example.com..", "cluster.mesh.example.com"));
  EXPECT_FALSE(owner_matches("", "cluster.mesh.example.com"));
}

// Label counts must be equal: a prefix or suffix of the rrset name's labels
// that agrees label by label is still another name.
TEST(OwnerMatches, LabelPrefixOrSuffixDoesNotMatch) {
  EXPECT_FALSE(owner_matches("cluster.mesh.example", "cluster.mesh.example.com"));
  EXPECT_FALSE(owner_matches("cluster.mesh.example.", "cluster.mesh.example.com."));
  EXPECT_FALSE(owner_matches("cluster", "cluster.mesh.example.com"));
  EXPECT_FALSE(owner_matches("cluster.mesh.example.com.org", "cluster.mesh.example.com"));
  EXPECT_FALSE(owner_matches("cluster.mesh.example.com", "cluster.mesh.example"));
  EXPECT_FALSE(owner_matches("_dmp", "_dmp.example.com"));
}

}  // namespace
}  // namespace dmp::unit
