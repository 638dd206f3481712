// Robustness of the verifier on damaged input: every truncation of a valid
// wire and of a valid body (re-signed so only the parser sees the damage),
// every single-bit flip of a body, and character substitutions in the wire.
// Nothing may crash (the suite runs under ASan/UBSan), every rejection has
// the reason the damage calls for, and nothing accepted differs from what
// the signer would produce for the same record.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "dmp/codec.hpp"
#include "dmp/verify.hpp"
#include "support/test_keys.hpp"
#include "support/vectors.hpp"
#include "unit_helpers.hpp"

namespace dmp::unit {
namespace {

using nlohmann::json;

struct Subject {
  std::string label;
  RecordType type;
  std::string wire;
  test::TestKey key;
};

// The round-trip wires of both vector files, with their signing keys.
std::vector<Subject> vector_subjects(const json& clusters, const json& bootstraps) {
  std::vector<Subject> out;
  for (const auto& [cases, type, seed] :
       {std::tuple{&clusters, RecordType::cluster, "operator_seed_hex"},
        std::tuple{&bootstraps, RecordType::bootstrap, "signer_seed_hex"}}) {
    for (std::size_t i = 0; i < cases->size(); ++i) {
      const json& c = (*cases)[i];
      if (c.contains("expected_parse_result")) continue;
      out.push_back({std::string(record_type_name(type)) + " vector " + std::to_string(i), type,
                     test::hex_to_text(c.at("expected_wire_hex")),
                     test::key_from_x25519_seed(test::from_hex(c.at(seed)))});
    }
  }
  return out;
}

// Locally signed wires, so the properties are exercised without the vectors.
std::vector<Subject> local_subjects() {
  ClusterManifest m = sample_manifest();
  m.nodes.push_back(node("n02", "https://n2.example.com", "203.0.113.2:53"));
  BootstrapRecord r = sample_bootstrap();
  r.entries.push_back(entry(20, "mesh2.example.com", other_key().public_key));
  return {{"local cluster", RecordType::cluster, sign_manifest(m), operator_key()},
          {"local bootstrap", RecordType::bootstrap, sign_bootstrap(r), signer_key()}};
}

Result<Record> verify_at(const Subject& s, std::string_view wire, bool strict = false) {
  return verify(wire, s.key.public_key, at(kNow, strict));
}

Bytes body_of_wire(const Subject& s) {
  auto opened = open_wire(s.wire, s.type);
  EXPECT_REASON(opened, Reason::ok);
  return opened ? opened->blob.body : Bytes{};
}

// Every prefix of the wire string is refused, with the reason the cut
// implies: inside the prefix -> bad_prefix; a payload that is not a whole
// number of quanta -> bad_base64; fewer than 71 decoded bytes -> too_short;
// otherwise the signature no longer matches -> bad_signature.
void check_wire_prefixes(const Subject& s) {
  SCOPED_TRACE(s.label);
  const std::size_t prefix_len = wire_prefix(s.type).size();
  ASSERT_REASON(verify_at(s, s.wire), Reason::ok);
  for (std::size_t n = 0; n < s.wire.size(); ++n) {
    Reason want;
    const std::size_t payload = n - std::min(n, prefix_len);
    if (n < prefix_len) {
      want = Reason::bad_prefix;
    } else if (payload % 4 != 0) {
      want = Reason::bad_base64;
    } else if (payload / 4 * 3 < kMagicLen + kSignatureLen) {
      want = Reason::too_short;
    } else {
      want = Reason::bad_signature;
    }
    EXPECT_REASON(verify_at(s, std::string_view(s.wire).substr(0, n)), want) << "length " << n;
  }
}

// Every prefix of the body, re-signed, is refused: too_short below 7 bytes,
// malformed from the magic on (no shorter body of a valid record is valid).
void check_body_prefixes(const Subject& s) {
  SCOPED_TRACE(s.label);
  const Bytes body = body_of_wire(s);
  ASSERT_FALSE(body.empty());
  for (std::size_t n = 0; n < body.size(); ++n) {
    const std::span<const std::uint8_t> cut(body.data(), n);
    const Reason want = n < kMagicLen ? Reason::too_short : Reason::malformed;
    EXPECT_REASON(verify_at(s, signed_wire(s.type, cut, s.key)), want) << "length " << n;
  }
}

// Flip every bit of the body, re-sign, verify. Rejections are for body
// reasons only; an accepted record is one the signer round-trips, and strict
// mode accepts it exactly when the signer would emit these very bytes.
void check_bit_flips(const Subject& s) {
  SCOPED_TRACE(s.label);
  const Bytes body = body_of_wire(s);
  const std::set<Reason> body_reasons = {Reason::ok, Reason::malformed, Reason::key_mismatch,
                                         Reason::expired, Reason::expiry_too_far};
  int accepted = 0;
  for (std::size_t pos = 0; pos < body.size(); ++pos) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes mutated = body;
      mutated[pos] ^= static_cast<std::uint8_t>(1u << bit);
      const std::string wire = signed_wire(s.type, mutated, s.key);
      auto result = verify_at(s, wire);
      const Reason reason = reason_of(result);
      EXPECT_TRUE(body_reasons.count(reason) == 1)
          << "byte " << pos << " bit " << bit << ": " << reason_name(reason);
      if (!result) continue;
      ++accepted;
      EXPECT_EQ(signing_key_of(*result), s.key.public_key);
      auto decoded = decode_body(s.type, mutated);
      ASSERT_REASON(decoded, Reason::ok);
      EXPECT_TRUE(*decoded == *result);
      auto reencoded = encode_body(*result);
      if (reencoded) {
        auto again = decode_body(s.type, *reencoded);
        ASSERT_REASON(again, Reason::ok);
        EXPECT_TRUE(*again == *result) << "byte " << pos << " bit " << bit;
      }
      const bool signer_bytes = reencoded && *reencoded == mutated;
      EXPECT_REASON(verify_at(s, wire, true), signer_bytes ? Reason::ok : Reason::non_canonical)
          << "byte " << pos << " bit " << bit;
    }
  }
  // Flips inside names, endpoints and seq keep the record valid.
  EXPECT_GT(accepted, 0);
}

// Replacing any wire character never yields an accepted record with
// different bytes: either it is refused, or it decodes to the same blob
// (a flip of unused trailing bits, §1.4).
void check_wire_substitutions(const Subject& s) {
  SCOPED_TRACE(s.label);
  auto original = open_wire(s.wire, s.type);
  ASSERT_REASON(original, Reason::ok);
  for (std::size_t pos = 0; pos < s.wire.size(); ++pos) {
    for (const char c : {'A', 'B', 'z', '9', '+', '/', '=', ' ', '\0'}) {
      if (s.wire[pos] == c) continue;
      std::string wire = s.wire;
      wire[pos] = c;
      auto result = verify_at(s, wire);
      if (!result) continue;
      auto opened = open_wire(wire, s.type);
      ASSERT_REASON(opened, Reason::ok);
      EXPECT_EQ(opened->blob.body, original->blob.body) << "position " << pos << " '" << c << "'";
      EXPECT_EQ(opened->blob.signature, original->blob.signature);
      EXPECT_REASON(verify_at(s, wire, true), Reason::non_canonical);
    }
  }
}

TEST(Robustness, EveryPrefixOfVectorWiresRefused) {
  DMP_LOAD_VECTORS_OR_SKIP(clusters, "cluster_manifest.json");
  DMP_LOAD_VECTORS_OR_SKIP(bootstraps, "bootstrap_record.json");
  const auto subjects = vector_subjects(clusters, bootstraps);
  ASSERT_EQ(subjects.size(), 4u);
  for (const Subject& s : subjects)
    check_wire_prefixes(s);
}

TEST(Robustness, EveryPrefixOfVectorBodiesResignedRefused) {
  DMP_LOAD_VECTORS_OR_SKIP(clusters, "cluster_manifest.json");
  DMP_LOAD_VECTORS_OR_SKIP(bootstraps, "bootstrap_record.json");
  for (const Subject& s : vector_subjects(clusters, bootstraps))
    check_body_prefixes(s);
}

TEST(Robustness, BitFlipsInVectorBodiesResignedNeverForgeOrCrash) {
  DMP_LOAD_VECTORS_OR_SKIP(clusters, "cluster_manifest.json");
  DMP_LOAD_VECTORS_OR_SKIP(bootstraps, "bootstrap_record.json");
  for (const Subject& s : vector_subjects(clusters, bootstraps))
    check_bit_flips(s);
}

TEST(Robustness, CharacterSubstitutionsInVectorWiresNeverForge) {
  DMP_LOAD_VECTORS_OR_SKIP(clusters, "cluster_manifest.json");
  DMP_LOAD_VECTORS_OR_SKIP(bootstraps, "bootstrap_record.json");
  for (const Subject& s : vector_subjects(clusters, bootstraps))
    check_wire_substitutions(s);
}

TEST(Robustness, LocalWiresSurviveTheSameDamage) {
  for (const Subject& s : local_subjects()) {
    check_wire_prefixes(s);
    check_body_prefixes(s);
    check_bit_flips(s);
    check_wire_substitutions(s);
  }
}

TEST(Robustness, RandomSignedBodiesNeverCrash) {
  // Seeded, so a failure reproduces. Bodies start with a valid magic and
  // header half the time, so the parser gets past its first checks.
  std::mt19937 rng(20261122);
  for (int round = 0; round < 3000; ++round) {
    const RecordType type = round % 2 == 0 ? RecordType::cluster : RecordType::bootstrap;
    const test::TestKey& key = type == RecordType::cluster ? operator_key() : signer_key();
    Bytes body;
    if (round % 4 < 2) {
      body = type == RecordType::cluster
                 ? cluster_body("mesh.example.com", {{"n01", "h", "d"}, {"n02", "h", ""}})
                 : bootstrap_body("example.com", {{10, "a.example"}, {5, "b.example"}});
      const int edits = 1 + static_cast<int>(rng() % 6);
      for (int e = 0; e < edits; ++e) {
        body[rng() % body.size()] = static_cast<std::uint8_t>(rng());
      }
      if (rng() % 3 == 0) body.resize(rng() % (body.size() + 8), 0);
    } else {
      body.resize(rng() % 300);
      for (auto& b : body)
        b = static_cast<std::uint8_t>(rng());
    }
    auto result = verify(signed_wire(type, body, key), key.public_key, at(kNow));
    EXPECT_NE(reason_of(result), Reason::bad_signature);
    if (result) {
      EXPECT_EQ(signing_key_of(*result), key.public_key);
    }
  }
}

}  // namespace
}  // namespace dmp::unit
