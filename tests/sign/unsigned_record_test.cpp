// signer/input/unsigned_record: the strict JSON input of `dmp-sign sign`.
// One test per rule: field types and ranges, unknown and duplicated fields
// (refused with their JSON path), seq "auto" and the u64 range, exp as unix
// seconds or RFC 3339, expires_in, the signing key taken from or checked
// against the key, and the vectors' inputs.
#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "dmp/codec.hpp"
#include "input/unsigned_record.hpp"
#include "support/vectors.hpp"

namespace dmp::input {
namespace {

using nlohmann::json;

constexpr std::uint64_t kNow = 1'900'000'000;
constexpr const char* kKeyHex = "2ec2785b7b2e0f5cf5a3bf6fc620cb9e1e67fa798577cfbfea34c46a20fc168b";

using test::key_from_hex;

const PublicKey kKey = key_from_hex(kKeyHex);
const PublicKey kOtherKey =
    key_from_hex("17ec291cab16d0e5684a91e417cd9ae5b32e629ee307ce30586c479c207c3a95");

json cluster() {
  return {{"type", "cluster"},
          {"cluster_name", "mesh.example.com"},
          {"nodes",
           {{{"node_id", "n01"},
             {"http_endpoint", "https://n1.example.com:8053"},
             {"dns_endpoint", "203.0.113.1:53"}}}},
          {"seq", 1},
          {"exp", 2051222400}};
}

json bootstrap() {
  return {{"type", "bootstrap"},
          {"user_domain", "example.com"},
          {"entries",
           {{{"priority", 10},
             {"cluster_base_domain", "mesh.example.com"},
             {"operator_spk_hex", kKeyHex}}}},
          {"seq", 1},
          {"exp", 2051222400}};
}

Result<UnsignedRecord> parse(const json& value) {
  return parse_unsigned_record(value.dump());
}

// Refused with Reason::invalid_field, naming `field` first in the message.
::testing::AssertionResult refused(const Result<UnsignedRecord>& result, const std::string& field) {
  if (result) return ::testing::AssertionFailure() << "accepted, expected refusal at " << field;
  const Error& e = result.error();
  if (e.reason != Reason::invalid_field) {
    return ::testing::AssertionFailure()
           << "reason " << reason_name(e.reason) << ": " << e.message();
  }
  if (e.field != field) {
    return ::testing::AssertionFailure()
           << "field '" << e.field << "', expected '" << field << "': " << e.message();
  }
  if (e.message().rfind(field, 0) != 0) {
    return ::testing::AssertionFailure() << "message does not start with the path: " << e.message();
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult refused(const json& value, const std::string& field) {
  return refused(parse(value), field);
}

Record resolved(const json& value, std::uint64_t auto_seq = 1) {
  auto parsed = parse(value);
  EXPECT_TRUE(parsed) << parsed.error().message();
  auto record = resolve(*parsed, kKey, auto_seq, kNow);
  EXPECT_TRUE(record) << record.error().message();
  return *record;
}

// --- the document -----------------------------------------------------------

TEST(UnsignedInput, ClusterParses) {
  auto parsed = parse(cluster());
  ASSERT_TRUE(parsed) << parsed.error().message();
  const auto& m = std::get<ClusterManifest>(parsed->record);
  EXPECT_EQ(m.cluster_name, "mesh.example.com");
  ASSERT_EQ(m.nodes.size(), 1u);
  EXPECT_EQ(m.nodes[0].node_id, "n01");
  EXPECT_EQ(m.nodes[0].http_endpoint, "https://n1.example.com:8053");
  EXPECT_EQ(m.nodes[0].dns_endpoint, "203.0.113.1:53");
  EXPECT_FALSE(parsed->signing_key_given);
  EXPECT_FALSE(parsed->seq.automatic);
  EXPECT_EQ(parsed->seq.value, 1u);
  EXPECT_FALSE(parsed->expiry.relative);
  EXPECT_EQ(parsed->expiry.value, 2051222400u);
}

TEST(UnsignedInput, BootstrapParses) {
  auto parsed = parse(bootstrap());
  ASSERT_TRUE(parsed) << parsed.error().message();
  const auto& b = std::get<BootstrapRecord>(parsed->record);
  EXPECT_EQ(b.user_domain, "example.com");
  ASSERT_EQ(b.entries.size(), 1u);
  EXPECT_EQ(b.entries[0].priority, 10);
  EXPECT_EQ(b.entries[0].cluster_base_domain, "mesh.example.com");
  EXPECT_EQ(b.entries[0].operator_spk, kKey);
}

TEST(UnsignedInput, NotJsonIsRefusedWithItsPosition) {
  for (const char* text : {"", "{", "{\"type\": \"cluster\",}", "{} {}", "nul", "{\"a\" 1}"}) {
    auto r = parse_unsigned_record(text);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().reason, Reason::invalid_field);
    EXPECT_EQ(r.error().field, "json") << text;
    EXPECT_NE(r.error().message().find("byte"), std::string::npos) << r.error().message();
  }
}

TEST(UnsignedInput, NumberBeyondDoubleRangeIsRefusedNotThrown) {
  // nlohmann reports "number overflow" as out_of_range, not parse_error.
  for (const char* text : {R"({"type": "cluster", "seq": 1e400})", R"([-1e99999])"}) {
    auto r = parse_unsigned_record(text);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().reason, Reason::invalid_field);
    EXPECT_EQ(r.error().field, "json") << r.error().message();
  }
}

TEST(UnsignedInput, TopLevelMustBeAnObject) {
  EXPECT_TRUE(refused(json::array({cluster()}), "json"));
  EXPECT_TRUE(refused(json("cluster"), "json"));
}

TEST(UnsignedInput, InputOver64KiBIsRefused) {
  std::string text = cluster().dump();
  text.insert(text.size() - 1, std::string(kMaxInputLen, ' '));
  EXPECT_TRUE(refused(parse_unsigned_record(text), "json"));
}

TEST(UnsignedInput, TypeIsRequiredAndMustBeKnown) {
  json j = cluster();
  j.erase("type");
  EXPECT_TRUE(refused(j, "type"));
  for (json type : {json("rotation"), json("Cluster"), json(""), json(1), json(nullptr)}) {
    j["type"] = type;
    EXPECT_TRUE(refused(j, "type")) << type;
  }
}

TEST(UnsignedInput, UnknownTopLevelFieldIsRefusedByName) {
  json j = cluster();
  j["node"] = j["nodes"];  // a typo
  auto r = parse(j);
  EXPECT_TRUE(refused(r, "node"));
  EXPECT_NE(r.error().message().find("unknown field"), std::string::npos);
  // A field of the other record type is unknown here too.
  j = cluster();
  j["entries"] = json::array();
  EXPECT_TRUE(refused(j, "entries"));
  j = bootstrap();
  j["operator_spk_hex"] = kKeyHex;  // a cluster field
  EXPECT_TRUE(refused(j, "operator_spk_hex"));
}

TEST(UnsignedInput, UnknownNestedFieldIsRefusedWithItsPath) {
  json j = cluster();
  j["nodes"][0]["nodeid"] = "n02";
  EXPECT_TRUE(refused(j, "nodes[0].nodeid"));
  j = bootstrap();
  j["entries"].push_back(j["entries"][0]);
  j["entries"][1]["weight"] = 5;
  EXPECT_TRUE(refused(j, "entries[1].weight"));
}

TEST(UnsignedInput, DuplicateKeyIsRefusedNotLastOneWins) {
  // nlohmann would silently keep the last "seq".
  std::string text = cluster().dump();
  text.insert(1, "\"seq\": 5, ");
  EXPECT_TRUE(refused(parse_unsigned_record(text), "seq"));
  text = cluster().dump();
  text.insert(1, "\"type\": \"bootstrap\", ");
  EXPECT_TRUE(refused(parse_unsigned_record(text), "type"));
}

TEST(UnsignedInput, DuplicateNestedKeyIsRefusedWithItsPath) {
  const std::string text =
      R"({"type":"cluster","cluster_name":"mesh.example.com","seq":1,"exp":2051222400,)"
      R"("nodes":[{"node_id":"n01","http_endpoint":"https://a"},)"
      R"({"node_id":"n02","http_endpoint":"https://b","node_id":"n03"}]})";
  EXPECT_TRUE(refused(parse_unsigned_record(text), "nodes[1].node_id"));
}

TEST(UnsignedInput, SameKeyInSiblingObjectsIsNotADuplicate) {
  json j = cluster();
  j["nodes"].push_back({{"node_id", "n02"}, {"http_endpoint", "https://n2.example.com"}});
  EXPECT_TRUE(parse(j)) << parse(j).error().message();
}

// --- required fields and types ---------------------------------------------

TEST(UnsignedInput, RequiredFieldsAreNamed) {
  for (const char* field : {"cluster_name", "nodes", "seq"}) {
    json j = cluster();
    j.erase(field);
    EXPECT_TRUE(refused(j, field)) << field;
  }
  for (const char* field : {"user_domain", "entries", "seq"}) {
    json j = bootstrap();
    j.erase(field);
    EXPECT_TRUE(refused(j, field)) << field;
  }
  json j = cluster();
  j["nodes"][0].erase("node_id");
  EXPECT_TRUE(refused(j, "nodes[0].node_id"));
  j = cluster();
  j["nodes"][0].erase("http_endpoint");
  EXPECT_TRUE(refused(j, "nodes[0].http_endpoint"));
  for (const char* field : {"priority", "cluster_base_domain", "operator_spk_hex"}) {
    j = bootstrap();
    j["entries"][0].erase(field);
    EXPECT_TRUE(refused(j, std::string("entries[0].") + field)) << field;
  }
}

TEST(UnsignedInput, StringFieldsMustBeStrings) {
  json j = cluster();
  j["cluster_name"] = 5;
  auto r = parse(j);
  EXPECT_TRUE(refused(r, "cluster_name"));
  EXPECT_NE(r.error().message().find("must be a string"), std::string::npos);
  j = cluster();
  j["nodes"][0]["node_id"] = 1;
  EXPECT_TRUE(refused(j, "nodes[0].node_id"));
  j = cluster();
  j["nodes"][0]["http_endpoint"] = json::array();
  EXPECT_TRUE(refused(j, "nodes[0].http_endpoint"));
  j = cluster();
  j["nodes"][0]["dns_endpoint"] = 53;
  EXPECT_TRUE(refused(j, "nodes[0].dns_endpoint"));
  j = bootstrap();
  j["user_domain"] = nullptr;
  EXPECT_TRUE(refused(j, "user_domain"));
  j = bootstrap();
  j["entries"][0]["cluster_base_domain"] = true;
  EXPECT_TRUE(refused(j, "entries[0].cluster_base_domain"));
}

TEST(UnsignedInput, ListsMustBeArraysOfObjects) {
  json j = cluster();
  j["nodes"] = j["nodes"][0];
  EXPECT_TRUE(refused(j, "nodes"));
  j = cluster();
  j["nodes"] = json::array({"n01"});
  EXPECT_TRUE(refused(j, "nodes[0]"));
  j = bootstrap();
  j["entries"] = "mesh.example.com";
  EXPECT_TRUE(refused(j, "entries"));
  j = bootstrap();
  j["entries"] = json::array({json::array()});
  EXPECT_TRUE(refused(j, "entries[0]"));
}

TEST(UnsignedInput, PriorityIsAU16) {
  json j = bootstrap();
  j["entries"][0]["priority"] = 65535;
  EXPECT_TRUE(parse(j));
  j["entries"][0]["priority"] = 0;
  EXPECT_TRUE(parse(j));
  for (json bad : {json(65536), json(-1), json(1.5), json("10"), json(nullptr)}) {
    j["entries"][0]["priority"] = bad;
    EXPECT_TRUE(refused(j, "entries[0].priority")) << bad;
  }
}

TEST(UnsignedInput, KeysAre64HexDigits) {
  json j = bootstrap();
  for (json bad : {json("2ec2"), json(std::string(kKeyHex) + "00"), json(std::string(64, 'g')),
                   json(std::string("0x") + std::string(kKeyHex).substr(2)), json(5)}) {
    j["entries"][0]["operator_spk_hex"] = bad;
    EXPECT_TRUE(refused(j, "entries[0].operator_spk_hex")) << bad;
  }
  j = cluster();
  j["operator_spk_hex"] = "not hex";
  EXPECT_TRUE(refused(j, "operator_spk_hex"));
  j = bootstrap();
  j["signer_spk_hex"] = std::string(63, 'a');
  EXPECT_TRUE(refused(j, "signer_spk_hex"));
}

TEST(UnsignedInput, UpperCaseHexKeyIsAccepted) {
  json j = bootstrap();
  std::string upper = kKeyHex;
  for (char& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  j["entries"][0]["operator_spk_hex"] = upper;
  auto r = parse(j);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(std::get<BootstrapRecord>(r->record).entries[0].operator_spk, kKey);
}

// --- seq ----------------------------------------------------------------------

TEST(UnsignedInput, SeqAutoMeansOneAboveTheHighest) {
  json j = cluster();
  j["seq"] = "auto";
  auto r = parse(j);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->seq.automatic);
  EXPECT_EQ(seq_of(resolved(j, 43)), 43u);
}

TEST(UnsignedInput, SeqCoversTheWholeU64Range) {
  json j = cluster();
  j["seq"] = 0;
  EXPECT_EQ(seq_of(resolved(j)), 0u);
  j["seq"] = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(seq_of(resolved(j)), std::numeric_limits<std::uint64_t>::max());
}

TEST(UnsignedInput, SeqAsADecimalStringReadsAsTheNumber) {
  // What draft writes (u64 values are strings in every JSON the tools write).
  json j = cluster();
  j["seq"] = "0";
  EXPECT_EQ(seq_of(resolved(j)), 0u);
  j["seq"] = "42";
  EXPECT_EQ(seq_of(resolved(j)), 42u);
  j["seq"] = "18446744073709551615";
  EXPECT_EQ(seq_of(resolved(j)), std::numeric_limits<std::uint64_t>::max());
}

TEST(UnsignedInput, SeqOutsideU64IsRefused) {
  // 2^64 does not fit: it must not wrap to 0 nor round to 2^64-1.
  std::string text = cluster().dump();
  const std::string one = "\"seq\":1";
  ASSERT_NE(text.find(one), std::string::npos);
  text.replace(text.find(one), one.size(), "\"seq\":18446744073709551616");
  EXPECT_TRUE(refused(parse_unsigned_record(text), "seq"));
  json j = cluster();
  for (json bad : {json(-1), json(1.0), json(1.5), json(1e3), json("01"), json(" 1"), json("1 "),
                   json("+1"), json("-1"), json("1e3"), json(""), json("18446744073709551616"),
                   json("AUTO"), json(nullptr), json(true), json::array({1})}) {
    j["seq"] = bad;
    EXPECT_TRUE(refused(j, "seq")) << bad;
  }
}

// --- exp / expires_in -------------------------------------------------------

TEST(UnsignedInput, ExpAsUnixSeconds) {
  json j = cluster();
  j["exp"] = 100;
  EXPECT_EQ(exp_of(resolved(j)), 100u);
  j["exp"] = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(exp_of(resolved(j)), std::numeric_limits<std::uint64_t>::max());
  j["exp"] = "2051222400";  // unix seconds as text
  EXPECT_EQ(exp_of(resolved(j)), 2051222400u);
}

TEST(UnsignedInput, ExpAsRfc3339) {
  json j = cluster();
  j["exp"] = "2035-01-01T00:00:00Z";
  EXPECT_EQ(exp_of(resolved(j)), 2051222400u);
  j["exp"] = "2035-01-01T01:00:00+01:00";
  EXPECT_EQ(exp_of(resolved(j)), 2051222400u);
  j["exp"] = "2034-12-31T23:00:00.999-01:00";
  EXPECT_EQ(exp_of(resolved(j)), 2051222400u);
}

TEST(UnsignedInput, BadExpIsRefused) {
  json j = cluster();
  for (json bad : {json("2035-01-01"), json("tomorrow"), json(""), json("2035-13-01T00:00:00Z"),
                   json(-5), json(1.5), json(nullptr), json(true)}) {
    j["exp"] = bad;
    EXPECT_TRUE(refused(j, "exp")) << bad;
  }
}

TEST(UnsignedInput, ExpiresInUnits) {
  const std::pair<const char*, std::uint64_t> cases[] = {
      {"90s", 90}, {"30m", 1800}, {"12h", 43200}, {"365d", 365 * 86400}, {"2w", 14 * 86400}};
  for (const auto& [text, seconds] : cases) {
    json j = cluster();
    j.erase("exp");
    j["expires_in"] = text;
    auto r = parse(j);
    ASSERT_TRUE(r) << text << ": " << r.error().message();
    EXPECT_TRUE(r->expiry.relative);
    EXPECT_EQ(r->expiry.value, seconds) << text;
    EXPECT_EQ(exp_of(resolved(j)), kNow + seconds) << text;
  }
}

TEST(UnsignedInput, ExpiresInGarbageIsRefused) {
  for (json bad :
       {json("365"), json("d"), json("0d"), json("-1d"), json("+1d"), json("1y"), json("365 d"),
        json(" 365d"), json("1.5d"), json("365D"), json("1d1h"), json(""),
        json("99999999999999999999d"), json("30500000000000000w"), json(365), json(nullptr)}) {
    json j = cluster();
    j.erase("exp");
    j["expires_in"] = bad;
    EXPECT_TRUE(refused(j, "expires_in")) << bad;
  }
}

TEST(UnsignedInput, ExpiresInOverflowingTheClockIsRefusedAtResolve) {
  json j = cluster();
  j.erase("exp");
  j["expires_in"] = "5124095576030431h";  // fits u64 alone, not with now added
  auto parsed = parse(j);
  ASSERT_TRUE(parsed) << parsed.error().message();
  auto r = resolve(*parsed, kKey, 1, kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "expires_in");
}

TEST(UnsignedInput, ExactlyOneOfExpAndExpiresIn) {
  json j = cluster();
  j["expires_in"] = "365d";
  auto both = parse(j);
  EXPECT_TRUE(refused(both, "exp"));
  EXPECT_NE(both.error().message().find("not both"), std::string::npos);
  j.erase("exp");
  j.erase("expires_in");
  auto neither = parse(j);
  EXPECT_TRUE(refused(neither, "exp"));
  EXPECT_NE(neither.error().message().find("expires_in"), std::string::npos);
}

TEST(UnsignedInput, ParseDurationNamesTheField) {
  auto r = parse_duration("soon", "--expires-in");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message().rfind("--expires-in", 0), 0u);
}

// --- the signing key ------------------------------------------------------

TEST(UnsignedInput, OmittedKeyIsTakenFromTheSigningKey) {
  const Record r = resolved(cluster());
  EXPECT_EQ(signing_key_of(r), kKey);
  const Record b = resolved(bootstrap());
  EXPECT_EQ(signing_key_of(b), kKey);
}

TEST(UnsignedInput, GivenKeyMatchingTheSigningKeyIsAccepted) {
  json j = cluster();
  j["operator_spk_hex"] = kKeyHex;
  auto parsed = parse(j);
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->signing_key_given);
  EXPECT_EQ(signing_key_of(resolved(j)), kKey);
}

TEST(UnsignedInput, GivenKeyDifferingFromTheSigningKeyIsKeyMismatch) {
  for (json j : {cluster(), bootstrap()}) {
    const std::string field = j["type"] == "cluster" ? "operator_spk_hex" : "signer_spk_hex";
    j[field] = kKeyHex;
    auto parsed = parse(j);
    ASSERT_TRUE(parsed);
    auto r = resolve(*parsed, kOtherKey, 1, kNow);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, Reason::key_mismatch);
    EXPECT_EQ(r.error().field, field);
  }
}

// --- what the encoder decides ------------------------------------------------

TEST(UnsignedInput, DnsEndpointNullAndAbsentMeanAbsent) {
  json j = cluster();
  j["nodes"][0]["dns_endpoint"] = nullptr;
  auto with_null = std::get<ClusterManifest>(resolved(j));
  j["nodes"][0].erase("dns_endpoint");
  auto absent = std::get<ClusterManifest>(resolved(j));
  EXPECT_FALSE(with_null.nodes[0].dns_endpoint.has_value());
  EXPECT_EQ(with_null, absent);
  EXPECT_TRUE(encode_body(absent));
}

TEST(UnsignedInput, EmptyDnsEndpointParsesButEncodeRefusesIt) {
  json j = cluster();
  j["nodes"][0]["dns_endpoint"] = "";
  const Record r = resolved(j);
  ASSERT_EQ(std::get<ClusterManifest>(r).nodes[0].dns_endpoint, "");
  auto body = encode_body(r);
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().reason, Reason::invalid_field);
  EXPECT_NE(body.error().field.find("dns_endpoint"), std::string::npos) << body.error().field;
}

TEST(UnsignedInput, BootstrapEntriesAreSignedInStablePriorityOrder) {
  json j = bootstrap();
  const auto entry = [](int priority, const std::string& domain) {
    return json{
        {"priority", priority}, {"cluster_base_domain", domain}, {"operator_spk_hex", kKeyHex}};
  };
  j["entries"] = {entry(30, "c.example.com"), entry(10, "b.example.com"),
                  entry(20, "x.example.com"), entry(10, "a.example.com")};
  auto normalized = normalize(resolved(j));
  ASSERT_TRUE(normalized) << normalized.error().message();
  const auto& entries = std::get<BootstrapRecord>(*normalized).entries;
  ASSERT_EQ(entries.size(), 4u);
  // Priority ascending; the two priority-10 entries keep their input order.
  EXPECT_EQ(entries[0].cluster_base_domain, "b.example.com");
  EXPECT_EQ(entries[1].cluster_base_domain, "a.example.com");
  EXPECT_EQ(entries[2].cluster_base_domain, "x.example.com");
  EXPECT_EQ(entries[3].cluster_base_domain, "c.example.com");
  // And the body is the same whichever way the input was ordered.
  json sorted = j;
  sorted["entries"] = {j["entries"][1], j["entries"][3], j["entries"][2], j["entries"][0]};
  EXPECT_EQ(*encode_body(resolved(j)), *encode_body(resolved(sorted)));
}

// --- the vectors ---------------------------------------------------------------

void expect_vector_inputs_parse(const nlohmann::json& cases, const std::string& type) {
  int with_inputs = 0;
  for (const auto& c : cases) {
    if (!c.contains("inputs")) continue;
    ++with_inputs;
    json input = c["inputs"];
    input["type"] = type;
    auto parsed = parse(input);
    ASSERT_TRUE(parsed) << c["description"] << ": " << parsed.error().message();
    EXPECT_TRUE(parsed->signing_key_given);
    const std::string key_field = type == "cluster" ? "operator_spk_hex" : "signer_spk_hex";
    const PublicKey key = key_from_hex(input[key_field].get<std::string>());
    auto record = resolve(*parsed, key, 999, kNow);
    ASSERT_TRUE(record) << record.error().message();
    EXPECT_EQ(seq_of(*record), input["seq"].get<std::uint64_t>());
    EXPECT_EQ(exp_of(*record), input["exp"].get<std::uint64_t>());
    auto body = encode_body(*record);
    ASSERT_TRUE(body) << body.error().message();
    // The body inside the expected wire (prefix, base64, minus the signature).
    const std::string wire = test::hex_to_text(c["expected_wire_hex"].get<std::string>());
    auto opened = open_wire(wire, type_of(*record));
    ASSERT_TRUE(opened) << opened.error().message();
    EXPECT_EQ(*body, opened->blob.body) << c["description"];
  }
  EXPECT_EQ(with_inputs, 3);
}

TEST(UnsignedInput, ClusterVectorInputsParseToTheVectorBodies) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "cluster_manifest.json");
  expect_vector_inputs_parse(cases, "cluster");
}

TEST(UnsignedInput, BootstrapVectorInputsParseToTheVectorBodies) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "bootstrap_record.json");
  expect_vector_inputs_parse(cases, "bootstrap");
}

}  // namespace
}  // namespace dmp::input
