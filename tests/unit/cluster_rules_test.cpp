// ClusterManifest field rules (§2.1, §2.2), each at its limit and one past
// it, on the sign side (encode_body: Reason::invalid_field) and on the verify
// side (hand-built body, signed with the pinned key: Reason::malformed).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dmp/codec.hpp"
#include "dmp/verify.hpp"
#include "unit_helpers.hpp"

namespace dmp::unit {
namespace {

constexpr const char* kHttp = "https://n1.example.com:8053";

ClusterManifest with_nodes(std::vector<ClusterNode> nodes) {
  ClusterManifest m = sample_manifest();
  m.nodes = std::move(nodes);
  return m;
}

Result<ClusterManifest> verify_nodes(const std::vector<RawNode>& nodes) {
  return verify_cluster_body(cluster_body("mesh.example.com", nodes));
}

std::vector<ClusterNode> numbered_nodes(std::size_t count) {
  std::vector<ClusterNode> nodes;
  for (std::size_t i = 0; i < count; ++i)
    nodes.push_back(node(std::to_string(i), "h"));
  return nodes;
}
std::vector<RawNode> numbered_raw_nodes(std::size_t count) {
  std::vector<RawNode> nodes;
  for (std::size_t i = 0; i < count; ++i)
    nodes.push_back({std::to_string(i), "h", ""});
  return nodes;
}

// ---- layout (§2.1) ----------------------------------------------------------

TEST(ClusterLayout, EncodeMatchesHandBuiltBody) {
  ClusterManifest m = sample_manifest();
  m.seq = 0x0102030405060708;
  m.exp = 0x1112131415161718;
  m.nodes = {node("n01", kHttp), node("n02", "http://b", "203.0.113.2:53")};
  auto body = encode_body(m);
  ASSERT_REASON(body, Reason::ok);
  const Bytes expected =
      cluster_body("mesh.example.com", {{"n01", kHttp, ""}, {"n02", "http://b", "203.0.113.2:53"}},
                   0x0102030405060708, 0x1112131415161718);
  EXPECT_EQ(hex_encode(*body), hex_encode(expected));
  // Big-endian integers at their fixed offsets.
  EXPECT_EQ(hex_encode(std::span(*body).subspan(7, 16)), "01020304050607081112131415161718");
  EXPECT_EQ(hex_encode(std::span(*body).subspan(23, 32)), hex_encode(operator_key().public_key));
}

TEST(ClusterLayout, AbsentDnsEndpointIsLengthZero) {
  auto body = encode_body(with_nodes({node("n01", kHttp)}));
  ASSERT_REASON(body, Reason::ok);
  EXPECT_EQ(hex_encode(std::span(*body).last(2)), "0000");
  auto parsed = verify_nodes({{"n01", kHttp, ""}});
  ASSERT_REASON(parsed, Reason::ok);
  EXPECT_FALSE(parsed->nodes.at(0).dns_endpoint.has_value());
}

TEST(ClusterLayout, NodesKeepTheCallersOrder) {
  // §2.3 step 3: no sorting.
  ClusterManifest m = with_nodes({node("z", "h1"), node("a", "h2"), node("m", "h3")});
  auto body = encode_body(m);
  ASSERT_REASON(body, Reason::ok);
  EXPECT_EQ(*body,
            cluster_body("mesh.example.com", {{"z", "h1", ""}, {"a", "h2", ""}, {"m", "h3", ""}}));
  auto verified = verify_cluster(sign_manifest(m), operator_key().public_key, at(kNow));
  ASSERT_REASON(verified, Reason::ok);
  EXPECT_EQ(verified->nodes, m.nodes);
}

TEST(ClusterLayout, BadMagicRefused) {
  Bytes body = cluster_body_named("mesh.example.com");
  body[6] = '2';  // DMPCL02
  EXPECT_REASON(verify_cluster_body(body), Reason::malformed);
  // A bootstrap body under the cluster prefix fails on its magic.
  EXPECT_REASON(verify_cluster(signed_cluster_wire(bootstrap_body("example.com", {{10, "a.b"}}),
                                                   operator_key()),
                               operator_key().public_key, at(kNow)),
                Reason::malformed);
}

TEST(ClusterLayout, BodyShorterThan56BytesRefused) {
  Bytes body = cluster_body_named("mesh.example.com");
  body.resize(kHeaderLen - 1);  // 55 bytes: blob 119 passes the 71-byte check
  EXPECT_REASON(verify_cluster_body(body), Reason::malformed);
  body = header("DMPCL01", "", operator_key().public_key);  // exactly 56: name_len 0
  ASSERT_EQ(body.size(), kHeaderLen);
  EXPECT_REASON(verify_cluster_body(body), Reason::malformed);
}

TEST(ClusterLayout, MissingNodeCountRefused) {
  Bytes body = header("DMPCL01", "mesh.example.com", operator_key().public_key);
  EXPECT_REASON(verify_cluster_body(body), Reason::malformed);
}

TEST(ClusterLayout, TrailingBytesRefused) {
  for (const Bytes& extra : {Bytes{0x00}, Bytes{0x01, 0x02}, Bytes(64, 0xAA)}) {
    Bytes body = cluster_body_named("mesh.example.com");
    ASSERT_REASON(verify_cluster_body(body), Reason::ok);
    body.insert(body.end(), extra.begin(), extra.end());
    EXPECT_REASON(verify_cluster_body(body), Reason::malformed) << extra.size();
  }
  // Also after a zero-node list.
  Bytes body = cluster_body("mesh.example.com", {});
  body.push_back(0);
  EXPECT_REASON(verify_cluster_body(body), Reason::malformed);
}

TEST(ClusterLayout, NodeCountLargerThanNodesPresentRefused) {
  Bytes body = cluster_body("mesh.example.com", {{"n01", kHttp, ""}});
  body[kHeaderLen + 16] = 2;  // node_count byte after the 16-byte name
  EXPECT_REASON(verify_cluster_body(body), Reason::malformed);
}

TEST(ClusterLayout, EveryTruncatedNodeFieldRefused) {
  const Bytes full = cluster_body("mesh.example.com", {{"n01", kHttp, "203.0.113.1:53"}});
  const std::size_t node_start = kHeaderLen + 16 + 1;
  for (std::size_t cut = node_start; cut < full.size(); ++cut) {
    const Bytes body(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(cut));
    EXPECT_REASON(verify_cluster_body(body), Reason::malformed) << "cut at " << cut;
  }
}

// ---- node_id ----------------------------------------------------------------

TEST(ClusterNodeId, UpTo16BytesAccepted17Refused) {
  const std::string id16(16, 'i'), id17(17, 'i');
  EXPECT_REASON(encode_body(with_nodes({node(id16, kHttp)})), Reason::ok);
  EXPECT_REASON(encode_body(with_nodes({node(id17, kHttp)})), Reason::invalid_field);
  auto parsed = verify_nodes({{id16, kHttp, ""}});
  ASSERT_REASON(parsed, Reason::ok);
  EXPECT_EQ(parsed->nodes.at(0).node_id, id16);
  EXPECT_REASON(verify_nodes({{id17, kHttp, ""}}), Reason::malformed);
}

TEST(ClusterNodeId, EmptyRefused) {
  EXPECT_REASON(encode_body(with_nodes({node("", kHttp)})), Reason::invalid_field);
  EXPECT_REASON(verify_nodes({{"", kHttp, ""}}), Reason::malformed);
}

TEST(ClusterNodeId, NonAsciiRefused) {
  for (const std::string id : {"n\xc3\xb6", "\x80", "n01\xff"}) {
    EXPECT_REASON(encode_body(with_nodes({node(id, kHttp)})), Reason::invalid_field);
    EXPECT_REASON(verify_nodes({{id, kHttp, ""}}), Reason::malformed);
  }
}

TEST(ClusterNodeId, AnyAsciiIncludingSpaceAndControlCharactersAccepted) {
  const std::string id = std::string("\x01\t n\x7f", 5) + std::string(1, '\0') + "!~\"";
  ClusterManifest m = with_nodes({node(id, kHttp)});
  EXPECT_REASON(encode_body(m), Reason::ok);
  auto verified = verify_cluster(sign_manifest(m), operator_key().public_key, at(kNow));
  ASSERT_REASON(verified, Reason::ok);
  EXPECT_EQ(verified->nodes.at(0).node_id, id);
}

TEST(ClusterNodeId, DuplicatesRefused) {
  EXPECT_REASON(encode_body(with_nodes({node("n01", "a"), node("n02", "b"), node("n01", "c")})),
                Reason::invalid_field);
  EXPECT_REASON(verify_nodes({{"n01", "a", ""}, {"n02", "b", ""}, {"n01", "c", ""}}),
                Reason::malformed);
}

TEST(ClusterNodeId, UniquenessIsCaseSensitive) {
  ClusterManifest m = with_nodes({node("A", "a"), node("a", "b")});
  EXPECT_REASON(encode_body(m), Reason::ok);
  auto parsed = verify_nodes({{"A", "a", ""}, {"a", "b", ""}});
  ASSERT_REASON(parsed, Reason::ok);
  EXPECT_EQ(parsed->nodes.size(), 2u);
}

// ---- http_endpoint ------------------------------------------------------------

TEST(ClusterHttpEndpoint, UpTo128BytesAccepted129Refused) {
  const std::string h128 = "https://" + std::string(120, 'h'), h129 = h128 + "x";
  ASSERT_EQ(h128.size(), 128u);
  EXPECT_REASON(encode_body(with_nodes({node("n", h128)})), Reason::ok);
  EXPECT_REASON(encode_body(with_nodes({node("n", h129)})), Reason::invalid_field);
  EXPECT_REASON(verify_nodes({{"n", h128, ""}}), Reason::ok);
  EXPECT_REASON(verify_nodes({{"n", h129, ""}}), Reason::malformed);
}

TEST(ClusterHttpEndpoint, EmptyRefused) {
  EXPECT_REASON(encode_body(with_nodes({node("n", "")})), Reason::invalid_field);
  EXPECT_REASON(verify_nodes({{"n", "", ""}}), Reason::malformed);
}

TEST(ClusterHttpEndpoint, NotUrlValidatedButMustBeUtf8) {
  // §2.2: "No URL validation"; the bytes must be strict UTF-8 (§1.3).
  for (const std::string ok : {"not a url", "https://\xc3\xb1.example", "\xf0\x9f\x98\x80"}) {
    EXPECT_REASON(encode_body(with_nodes({node("n", ok)})), Reason::ok) << ok;
    EXPECT_REASON(verify_nodes({{"n", ok, ""}}), Reason::ok) << ok;
  }
  const std::vector<std::string> bad = {
      "\xff",              // never valid
      "\xc0\xaf",          // overlong '/'
      "\xed\xa0\x80",      // encoded surrogate U+D800
      "\xf4\x90\x80\x80",  // above U+10FFFF
      "https://\xc3",      // truncated sequence
      "\xe0\x80\x80",      // overlong NUL
  };
  for (const std::string& text : bad) {
    EXPECT_REASON(encode_body(with_nodes({node("n", text)})), Reason::invalid_field);
    EXPECT_REASON(verify_nodes({{"n", text, ""}}), Reason::malformed);
  }
}

TEST(ClusterHttpEndpoint, LengthPrefixPastTheBodyRefused) {
  Body b = header("DMPCL01", "mesh.example.com", operator_key().public_key);
  b.u8(1).u8(1).text("n").u16(0xFFFF).text("https://x").u16(0);
  EXPECT_REASON(verify_cluster_body(b.bytes()), Reason::malformed);
}

// ---- dns_endpoint -------------------------------------------------------------

TEST(ClusterDnsEndpoint, UpTo64BytesAccepted65Refused) {
  const std::string d64(64, 'd'), d65(65, 'd');
  EXPECT_REASON(encode_body(with_nodes({node("n", "h", d64)})), Reason::ok);
  EXPECT_REASON(encode_body(with_nodes({node("n", "h", d65)})), Reason::invalid_field);
  auto parsed = verify_nodes({{"n", "h", d64}});
  ASSERT_REASON(parsed, Reason::ok);
  EXPECT_EQ(parsed->nodes.at(0).dns_endpoint, d64);
  EXPECT_REASON(verify_nodes({{"n", "h", d65}}), Reason::malformed);
}

TEST(ClusterDnsEndpoint, EmptyStringRefusedOnEncode) {
  // §2.2: an empty string is an error, not "absent".
  EXPECT_REASON(encode_body(with_nodes({node("n", "h", std::string())})), Reason::invalid_field);
  EXPECT_REASON(encode_body(with_nodes({node("n", "h", std::nullopt)})), Reason::ok);
}

TEST(ClusterDnsEndpoint, MustBeUtf8) {
  EXPECT_REASON(encode_body(with_nodes({node("n", "h", "\xc3")})), Reason::invalid_field);
  EXPECT_REASON(verify_nodes({{"n", "h", "\xc3"}}), Reason::malformed);
  EXPECT_REASON(verify_nodes({{"n", "h", "\xc3\xa9:53"}}), Reason::ok);
}

// ---- node_count -----------------------------------------------------------------

TEST(ClusterNodeCount, ZeroRefusedOnEncodeButAcceptedOnVerify) {
  // §2.2 / §10.1: sign() requires at least one node; the reference parse
  // accepts a zero-node manifest, and so must we (strict mode flags it).
  EXPECT_REASON(encode_body(with_nodes({})), Reason::invalid_field);
  auto parsed = verify_cluster_body(cluster_body("mesh.example.com", {}));
  ASSERT_REASON(parsed, Reason::ok);
  EXPECT_TRUE(parsed->nodes.empty());
}

TEST(ClusterNodeCount, UpTo32Accepted33Refused) {
  EXPECT_REASON(encode_body(with_nodes(numbered_nodes(32))), Reason::ok);
  EXPECT_REASON(encode_body(with_nodes(numbered_nodes(33))), Reason::invalid_field);
  auto parsed = verify_nodes(numbered_raw_nodes(32));
  ASSERT_REASON(parsed, Reason::ok);
  EXPECT_EQ(parsed->nodes.size(), 32u);
  EXPECT_REASON(verify_nodes(numbered_raw_nodes(33)), Reason::malformed);
  // 32 short nodes also fit the wire cap end to end.
  const std::string wire = sign_manifest(with_nodes(numbered_nodes(32)));
  EXPECT_LE(wire.size(), kMaxWireLen);
  EXPECT_REASON(verify_cluster(wire, operator_key().public_key, at(kNow)), Reason::ok);
}

TEST(ClusterNodeCount, CountAbove32RefusedBeforeReadingNodes) {
  // node_count 255 with no node bytes at all: the count rule fires first.
  Body b = header("DMPCL01", "mesh.example.com", operator_key().public_key);
  b.u8(255);
  auto result = verify_cluster_body(b.bytes());
  ASSERT_REASON(result, Reason::malformed);
  EXPECT_EQ(result.error().field, "node_count");
}

// ---- seq / exp / operator_spk -------------------------------------------------

TEST(ClusterIntegers, SeqAndExpUseTheFullU64Range) {
  for (std::uint64_t seq : {std::uint64_t{0}, std::uint64_t{1}, ~std::uint64_t{0}}) {
    ClusterManifest m = sample_manifest();
    m.seq = seq;
    auto parsed = verify_cluster(sign_manifest(m), operator_key().public_key, at(kNow));
    ASSERT_REASON(parsed, Reason::ok);
    EXPECT_EQ(parsed->seq, seq);
  }
  ClusterManifest m = sample_manifest();
  m.exp = ~std::uint64_t{0};
  auto body = encode_body(m);
  ASSERT_REASON(body, Reason::ok);
  EXPECT_EQ(hex_encode(std::span(*body).subspan(15, 8)), "ffffffffffffffff");
  const std::string wire = sign_manifest(m);
  EXPECT_REASON(verify_cluster(wire, operator_key().public_key, at(~std::uint64_t{0})), Reason::ok);
  EXPECT_REASON(
      verify_cluster(wire, operator_key().public_key, at(~std::uint64_t{0} - kMaxExpAhead)),
      Reason::ok);
  EXPECT_REASON(
      verify_cluster(wire, operator_key().public_key, at(~std::uint64_t{0} - kMaxExpAhead - 1)),
      Reason::expiry_too_far);
  m.exp = 0;
  EXPECT_REASON(verify_cluster(sign_manifest(m), operator_key().public_key, at(0)), Reason::ok);
  EXPECT_REASON(verify_cluster(sign_manifest(m), operator_key().public_key, at(1)),
                Reason::expired);
}

TEST(ClusterOperatorSpk, EmbeddedKeyMustEqualPinnedKey) {
  // §2.4 step 7: signed by the pinned key, but the body names another key.
  const Bytes body =
      cluster_body("mesh.example.com", {{"n01", kHttp, ""}}, 1, kExp, other_key().public_key);
  EXPECT_REASON(verify_cluster(signed_cluster_wire(body, operator_key()), operator_key().public_key,
                               at(kNow)),
                Reason::key_mismatch);
}

}  // namespace
}  // namespace dmp::unit
