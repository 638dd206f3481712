// BootstrapRecord field rules (§3.1-§3.3), each at its limit and one past
// it, on the sign side (Reason::invalid_field) and the verify side
// (hand-built body signed with the pinned key: Reason::malformed).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dmp/codec.hpp"
#include "dmp/verify.hpp"
#include "unit_helpers.hpp"

namespace dmp::unit {
namespace {

BootstrapRecord with_entries(std::vector<BootstrapEntry> entries) {
  BootstrapRecord r = sample_bootstrap();
  r.entries = std::move(entries);
  return r;
}

Result<BootstrapRecord> verify_entries(const std::vector<RawEntry>& entries) {
  return verify_bootstrap_body(bootstrap_body("example.com", entries));
}

std::vector<BootstrapEntry> numbered_entries(std::size_t count) {
  std::vector<BootstrapEntry> entries;
  for (std::size_t i = 0; i < count; ++i) {
    entries.push_back(
        entry(static_cast<std::uint16_t>(i), std::string("c").append(std::to_string(i)) + ".ex"));
  }
  return entries;
}
std::vector<RawEntry> numbered_raw_entries(std::size_t count) {
  std::vector<RawEntry> entries;
  for (std::size_t i = 0; i < count; ++i) {
    entries.push_back({static_cast<std::uint16_t>(i), "c" + std::to_string(i) + ".ex"});
  }
  return entries;
}

std::vector<std::string> domains_of(const std::vector<BootstrapEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries)
    out.push_back(std::to_string(e.priority) + ":" + e.cluster_base_domain);
  return out;
}

// ---- layout (§3.1) ------------------------------------------------------------

TEST(BootstrapLayout, EncodeMatchesHandBuiltBody) {
  BootstrapRecord r = sample_bootstrap();
  r.seq = 7;
  r.exp = 0xA1B2C3D4E5F60718;
  r.entries = {entry(10, "mesh1.example.com", operator_key().public_key),
               entry(0xFFFF, "m2.example", other_key().public_key)};
  auto body = encode_body(r);
  ASSERT_REASON(body, Reason::ok);
  const Bytes expected = bootstrap_body("example.com",
                                        {{10, "mesh1.example.com", operator_key().public_key},
                                         {0xFFFF, "m2.example", other_key().public_key}},
                                        7, 0xA1B2C3D4E5F60718);
  EXPECT_EQ(hex_encode(*body), hex_encode(expected));
  // Each entry is 35 + len bytes.
  EXPECT_EQ(body->size(), kHeaderLen + 11 + 1 + (35 + 17) + (35 + 10));
}

TEST(BootstrapLayout, BadMagicRefused) {
  Bytes body = bootstrap_body("example.com", {{10, "mesh.example.com"}});
  body[0] = 'X';
  EXPECT_REASON(verify_bootstrap_body(body), Reason::malformed);
  // A cluster body under the bootstrap prefix.
  EXPECT_REASON(verify_bootstrap(signed_bootstrap_wire(cluster_body_named("mesh.example.com")),
                                 signer_key().public_key, at(kNow)),
                Reason::malformed);
}

TEST(BootstrapLayout, TrailingBytesRefused) {
  Bytes body = bootstrap_body("example.com", {{10, "mesh.example.com"}});
  ASSERT_REASON(verify_bootstrap_body(body), Reason::ok);
  body.push_back(0);
  EXPECT_REASON(verify_bootstrap_body(body), Reason::malformed);
}

TEST(BootstrapLayout, EveryTruncatedEntryFieldRefused) {
  const Bytes full = bootstrap_body("example.com", {{10, "mesh.example.com"}});
  const std::size_t entries_start = kHeaderLen + 11 + 1;
  for (std::size_t cut = entries_start; cut < full.size(); ++cut) {
    const Bytes body(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(cut));
    EXPECT_REASON(verify_bootstrap_body(body), Reason::malformed) << "cut at " << cut;
  }
}

TEST(BootstrapLayout, EntryCountLargerThanEntriesPresentRefused) {
  Bytes body = bootstrap_body("example.com", {{10, "mesh.example.com"}});
  body[kHeaderLen + 11] = 2;
  EXPECT_REASON(verify_bootstrap_body(body), Reason::malformed);
}

// ---- entry_count ----------------------------------------------------------------

TEST(BootstrapEntryCount, ZeroRefusedOnBothSides) {
  // §3.2: unlike node_count, zero is rejected on parse too.
  EXPECT_REASON(encode_body(with_entries({})), Reason::invalid_field);
  EXPECT_REASON(verify_entries({}), Reason::malformed);
}

TEST(BootstrapEntryCount, OneAccepted) {
  EXPECT_REASON(encode_body(with_entries(numbered_entries(1))), Reason::ok);
  EXPECT_REASON(verify_entries(numbered_raw_entries(1)), Reason::ok);
}

TEST(BootstrapEntryCount, SixteenAccepted17Refused) {
  EXPECT_REASON(encode_body(with_entries(numbered_entries(16))), Reason::ok);
  EXPECT_REASON(encode_body(with_entries(numbered_entries(17))), Reason::invalid_field);
  auto parsed = verify_entries(numbered_raw_entries(16));
  ASSERT_REASON(parsed, Reason::ok);
  EXPECT_EQ(parsed->entries.size(), 16u);
  EXPECT_REASON(verify_entries(numbered_raw_entries(17)), Reason::malformed);
  // §3.4: 16 entries fit the wire cap with ~12-byte base domains.
  const std::string wire = sign_bootstrap(with_entries(numbered_entries(16)));
  EXPECT_LE(wire.size(), kMaxWireLen);
  EXPECT_REASON(verify_bootstrap(wire, signer_key().public_key, at(kNow)), Reason::ok);
}

// ---- priority -------------------------------------------------------------------

TEST(BootstrapPriority, FullU16Range) {
  auto parsed = verify_entries({{0, "a.example"}, {0xFFFF, "b.example"}});
  ASSERT_REASON(parsed, Reason::ok);
  EXPECT_EQ(parsed->entries.at(0).priority, 0);
  EXPECT_EQ(parsed->entries.at(1).priority, 0xFFFF);
  EXPECT_REASON(encode_body(with_entries({entry(0xFFFF, "b.example"), entry(0, "a.example")})),
                Reason::ok);
}

// ---- duplicates (§3.2) ------------------------------------------------------------

TEST(BootstrapDuplicates, SamePriorityAndCaseFoldedDomainRefused) {
  EXPECT_REASON(
      encode_body(with_entries({entry(10, "mesh.example.com"), entry(10, "mesh.example.com")})),
      Reason::invalid_field);
  EXPECT_REASON(
      encode_body(with_entries({entry(10, "mesh.example.com"), entry(10, "MESH.Example.com")})),
      Reason::invalid_field);
  EXPECT_REASON(verify_entries({{10, "mesh.example.com"}, {10, "mesh.example.com"}}),
                Reason::malformed);
  EXPECT_REASON(
      verify_entries({{10, "mesh.example.com"}, {20, "x.example"}, {10, "Mesh.EXAMPLE.com"}}),
      Reason::malformed);
  // Different operator keys do not make the pair unique.
  EXPECT_REASON(verify_entries({{10, "mesh.example.com", operator_key().public_key},
                                {10, "mesh.example.com", other_key().public_key}}),
                Reason::malformed);
}

TEST(BootstrapDuplicates, TrailingDotVariantIsTheSameDomain) {
  EXPECT_REASON(
      encode_body(with_entries({entry(10, "mesh.example.com."), entry(10, "mesh.example.com")})),
      Reason::invalid_field);
  EXPECT_REASON(verify_entries({{10, "mesh.example.com"}, {10, "mesh.example.com."}}),
                Reason::malformed);
  EXPECT_REASON(verify_entries({{10, "MESH.example.com."}, {10, "mesh.example.com"}}),
                Reason::malformed);
}

TEST(BootstrapDuplicates, SamePriorityDifferentDomainAccepted) {
  EXPECT_REASON(
      encode_body(with_entries({entry(10, "mesh1.example.com"), entry(10, "mesh2.example.com")})),
      Reason::ok);
  EXPECT_REASON(verify_entries({{10, "mesh1.example.com"}, {10, "mesh2.example.com"}}), Reason::ok);
}

TEST(BootstrapDuplicates, SameDomainDifferentPriorityAccepted) {
  EXPECT_REASON(
      encode_body(with_entries({entry(10, "mesh.example.com"), entry(20, "mesh.example.com")})),
      Reason::ok);
  EXPECT_REASON(verify_entries({{10, "mesh.example.com"}, {20, "MESH.example.com"}}), Reason::ok);
}

// ---- entry order (§3.3) -----------------------------------------------------------

TEST(BootstrapOrder, EncodeSortsStablyByPriority) {
  const BootstrapRecord unsorted =
      with_entries({entry(20, "a.example"), entry(10, "b.example"), entry(20, "c.example"),
                    entry(10, "d.example"), entry(5, "e.example")});
  auto body = encode_body(unsorted);
  ASSERT_REASON(body, Reason::ok);
  const Bytes expected = bootstrap_body("example.com", {{5, "e.example"},
                                                        {10, "b.example"},
                                                        {10, "d.example"},
                                                        {20, "a.example"},
                                                        {20, "c.example"}});
  EXPECT_EQ(hex_encode(*body), hex_encode(expected));
  // normalize() returns what a verifier reads back: the same sorted list.
  auto normalized = normalize(Record(unsorted));
  ASSERT_REASON(normalized, Reason::ok);
  EXPECT_EQ(domains_of(std::get<BootstrapRecord>(*normalized).entries),
            (std::vector<std::string>{"5:e.example", "10:b.example", "10:d.example", "20:a.example",
                                      "20:c.example"}));
}

TEST(BootstrapOrder, TiesKeepTheCallersOrder) {
  auto forward = encode_body(with_entries({entry(10, "x.example"), entry(10, "a.example")}));
  auto backward = encode_body(with_entries({entry(10, "a.example"), entry(10, "x.example")}));
  ASSERT_REASON(forward, Reason::ok);
  ASSERT_REASON(backward, Reason::ok);
  EXPECT_EQ(*forward, bootstrap_body("example.com", {{10, "x.example"}, {10, "a.example"}}));
  EXPECT_EQ(*backward, bootstrap_body("example.com", {{10, "a.example"}, {10, "x.example"}}));
}

TEST(BootstrapOrder, ParseSortsStablyByPriority) {
  // The signature covers the wire order; the parsed list is sorted, ties in
  // wire order.
  auto parsed = verify_entries({{30, "a.example"},
                                {10, "b.example"},
                                {30, "c.example"},
                                {10, "d.example"},
                                {20, "e.example"}});
  ASSERT_REASON(parsed, Reason::ok);
  EXPECT_EQ(domains_of(parsed->entries),
            (std::vector<std::string>{"10:b.example", "10:d.example", "20:e.example",
                                      "30:a.example", "30:c.example"}));
}

// ---- names inside entries -------------------------------------------------------------

TEST(BootstrapBaseDomain, TrailingDotStrippedOnBothSides) {
  auto body = encode_body(with_entries({entry(10, "mesh.example.com.")}));
  ASSERT_REASON(body, Reason::ok);
  EXPECT_EQ(*body, bootstrap_body("example.com", {{10, "mesh.example.com"}}));
  auto parsed = verify_entries({{10, "mesh.example.com."}});
  ASSERT_REASON(parsed, Reason::ok);
  EXPECT_EQ(parsed->entries.at(0).cluster_base_domain, "mesh.example.com");
}

TEST(BootstrapBaseDomain, EntryKeyIsNotBlocklistChecked) {
  // §1.2.1: keys only carried in a body are not checked at this step.
  PublicKey low_order{};
  low_order[0] = 0x01;  // the identity point, first blocklist entry
  ASSERT_TRUE(is_rejected_public_key(low_order));
  EXPECT_REASON(encode_body(with_entries({entry(10, "mesh.example.com", low_order)})), Reason::ok);
  auto parsed = verify_entries({{10, "mesh.example.com", low_order}});
  ASSERT_REASON(parsed, Reason::ok);
  EXPECT_EQ(parsed->entries.at(0).operator_spk, low_order);
}

TEST(BootstrapSignerSpk, EmbeddedKeyMustEqualPinnedKey) {
  const Bytes body =
      bootstrap_body("example.com", {{10, "mesh.example.com"}}, 1, kExp, other_key().public_key);
  EXPECT_REASON(verify_bootstrap(signed_bootstrap_wire(body, signer_key()), signer_key().public_key,
                                 at(kNow)),
                Reason::key_mismatch);
}

TEST(BootstrapIntegers, SeqAndExpUseTheFullU64Range) {
  BootstrapRecord r = sample_bootstrap();
  r.seq = ~std::uint64_t{0};
  r.exp = ~std::uint64_t{0};
  auto parsed = verify_bootstrap(sign_bootstrap(r), signer_key().public_key, at(~std::uint64_t{0}));
  ASSERT_REASON(parsed, Reason::ok);
  EXPECT_EQ(parsed->seq, ~std::uint64_t{0});
  EXPECT_EQ(parsed->exp, ~std::uint64_t{0});
}

}  // namespace
}  // namespace dmp::unit
