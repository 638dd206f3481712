// Shared helpers for the unit tests: deterministic test keys, sample records,
// a byte-level body builder (to put exactly the bytes a rule talks about on
// the wire, signed so that the signature check passes), and a Reason
// assertion that prints the library's message when it fails.
#pragma once

#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dmp/codec.hpp"
#include "dmp/encoding.hpp"
#include "dmp/records.hpp"
#include "dmp/result.hpp"
#include "dmp/verify.hpp"
#include "support/test_keys.hpp"
#include "support/vectors.hpp"

namespace dmp {
// Lets GoogleTest print reason codes by name.
inline void PrintTo(Reason reason, std::ostream* os) {
  *os << reason_name(reason);
}
}  // namespace dmp

namespace dmp::unit {

// A verifier clock inside the window in which the reference vectors verify
// ([1893542400, 2051222400], vectors README), and a comfortable exp for it.
inline constexpr std::uint64_t kNow = 1'900'000'000;
inline constexpr std::uint64_t kExp = kNow + 365 * 86'400;

inline const test::TestKey& operator_key() {
  static const test::TestKey key = test::key_for_label("unit/cluster/operator");
  return key;
}
inline const test::TestKey& signer_key() {
  static const test::TestKey key = test::key_for_label("unit/bootstrap/signer");
  return key;
}
inline const test::TestKey& other_key() {
  static const test::TestKey key = test::key_for_label("unit/unrelated");
  return key;
}

inline VerifyOptions at(std::uint64_t now, bool strict = false) {
  VerifyOptions options;
  options.now = now;
  options.strict = strict;
  return options;
}
inline VerifyOptions strict_at(std::uint64_t now) {
  return at(now, true);
}

// Reason::ok for a value, the error's reason otherwise.
template <class T>
Reason reason_of(const Result<T>& result) {
  return result ? Reason::ok : result.error().reason;
}

template <class T>
::testing::AssertionResult AssertReason(const char* expr, const char* /*want_expr*/,
                                        const Result<T>& result, Reason want) {
  const Reason got = reason_of(result);
  if (got == want) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure();
  failure << expr << "\n  gave:     " << reason_name(got);
  if (!result) failure << " (" << result.error().message() << ")";
  failure << "\n  expected: " << reason_name(want);
  return failure;
}
// EXPECT_REASON(verify_cluster(...), Reason::malformed)
#define EXPECT_REASON(expr, want) EXPECT_PRED_FORMAT2(::dmp::unit::AssertReason, expr, want)
#define ASSERT_REASON(expr, want) ASSERT_PRED_FORMAT2(::dmp::unit::AssertReason, expr, want)

// ---- sample records -------------------------------------------------------

inline ClusterNode node(std::string id, std::string http,
                        std::optional<std::string> dns = std::nullopt) {
  return ClusterNode{std::move(id), std::move(http), std::move(dns)};
}

// A valid one-node manifest signed by operator_key().
inline ClusterManifest sample_manifest() {
  ClusterManifest m;
  m.cluster_name = "mesh.example.com";
  m.operator_spk = operator_key().public_key;
  m.nodes = {node("n01", "https://n1.example.com:8053")};
  m.seq = 1;
  m.exp = kExp;
  return m;
}

inline BootstrapEntry entry(std::uint16_t priority, std::string base,
                            const PublicKey& spk = operator_key().public_key) {
  return BootstrapEntry{priority, std::move(base), spk};
}

// A valid one-entry bootstrap record signed by signer_key().
inline BootstrapRecord sample_bootstrap() {
  BootstrapRecord r;
  r.user_domain = "example.com";
  r.signer_spk = signer_key().public_key;
  r.entries = {entry(10, "mesh.example.com")};
  r.seq = 1;
  r.exp = kExp;
  return r;
}

// ---- wires ----------------------------------------------------------------

// prefix || base64(blob), with no length cap (to build over-long wires).
inline std::string raw_wire(RecordType type, std::span<const std::uint8_t> blob) {
  return std::string(wire_prefix(type)) + encoding::base64_encode(blob);
}

inline Bytes blob_of(std::span<const std::uint8_t> body, const Signature& sig) {
  Bytes blob(body.begin(), body.end());
  blob.insert(blob.end(), sig.begin(), sig.end());
  return blob;
}

// A hand-built body signed by `key`, so the signature check passes and the
// rule under test is the first one the body breaks.
inline std::string signed_wire(RecordType type, std::span<const std::uint8_t> body,
                               const test::TestKey& key) {
  return raw_wire(type, blob_of(body, test::sign_bytes(key, body)));
}
inline std::string signed_cluster_wire(std::span<const std::uint8_t> body,
                                       const test::TestKey& key = operator_key()) {
  return signed_wire(RecordType::cluster, body, key);
}
inline std::string signed_bootstrap_wire(std::span<const std::uint8_t> body,
                                         const test::TestKey& key = signer_key()) {
  return signed_wire(RecordType::bootstrap, body, key);
}

// encode_body + sign + assemble_wire: what the signer emits. Empty on failure
// (after recording a test failure).
inline std::string sign_record(const Record& record, const test::TestKey& key) {
  auto body = encode_body(record);
  if (!body) {
    ADD_FAILURE() << "encode_body failed: " << body.error().message();
    return {};
  }
  auto wire = assemble_wire(type_of(record), *body, test::sign_bytes(key, *body));
  if (!wire) {
    ADD_FAILURE() << "assemble_wire failed: " << wire.error().message();
    return {};
  }
  return *wire;
}
inline std::string sign_manifest(const ClusterManifest& m,
                                 const test::TestKey& key = operator_key()) {
  return sign_record(Record(m), key);
}
inline std::string sign_bootstrap(const BootstrapRecord& r,
                                  const test::TestKey& key = signer_key()) {
  return sign_record(Record(r), key);
}

// ---- hand-built bodies ----------------------------------------------------

class Body {
 public:
  Body& u8(std::uint64_t v) { return uint(v, 1); }
  Body& u16(std::uint64_t v) { return uint(v, 2); }
  Body& u64(std::uint64_t v) { return uint(v, 8); }
  Body& text(std::string_view s) {
    bytes_.insert(bytes_.end(), s.begin(), s.end());
    return *this;
  }
  Body& raw(std::span<const std::uint8_t> b) {
    bytes_.insert(bytes_.end(), b.begin(), b.end());
    return *this;
  }
  const Bytes& bytes() const { return bytes_; }
  operator const Bytes&() const { return bytes_; }

 private:
  Body& uint(std::uint64_t v, std::size_t width) {
    encoding::write_be(bytes_, v, width);
    return *this;
  }
  Bytes bytes_;
};

// magic, seq, exp, spk, name_len, name: the 56-byte header plus the name,
// written verbatim (no normalisation, no checks).
inline Body header(std::string_view magic, std::string_view name, const PublicKey& spk,
                   std::uint64_t seq = 1, std::uint64_t exp = kExp) {
  Body b;
  b.text(magic).u64(seq).u64(exp).raw(spk).u8(name.size()).text(name);
  return b;
}

// One node entry exactly as written; an empty dns means dns_len = 0 (absent).
struct RawNode {
  std::string id;
  std::string http;
  std::string dns;
};
inline void put_node(Body& b, const RawNode& n) {
  b.u8(n.id.size()).text(n.id).u16(n.http.size()).text(n.http).u16(n.dns.size()).text(n.dns);
}

inline Bytes cluster_body(std::string_view name, const std::vector<RawNode>& nodes,
                          std::uint64_t seq = 1, std::uint64_t exp = kExp,
                          const PublicKey& spk = operator_key().public_key) {
  Body b = header("DMPCL01", name, spk, seq, exp);
  b.u8(nodes.size());
  for (const RawNode& n : nodes)
    put_node(b, n);
  return b;
}
inline Bytes cluster_body_named(std::string_view name) {
  return cluster_body(name, {{"n01", "https://n1.example.com:8053", ""}});
}

struct RawEntry {
  std::uint16_t priority;
  std::string base;
  PublicKey spk = operator_key().public_key;
};
inline void put_entry(Body& b, const RawEntry& e) {
  b.u16(e.priority).u8(e.base.size()).text(e.base).raw(e.spk);
}

inline Bytes bootstrap_body(std::string_view domain, const std::vector<RawEntry>& entries,
                            std::uint64_t seq = 1, std::uint64_t exp = kExp,
                            const PublicKey& spk = signer_key().public_key) {
  Body b = header("DMPBS01", domain, spk, seq, exp);
  b.u8(entries.size());
  for (const RawEntry& e : entries)
    put_entry(b, e);
  return b;
}

// Verify a hand-built body the way a relying party would: signed by the
// pinned key, checked at kNow.
inline Result<ClusterManifest> verify_cluster_body(std::span<const std::uint8_t> body,
                                                   bool strict = false) {
  return verify_cluster(signed_cluster_wire(body), operator_key().public_key, at(kNow, strict));
}
inline Result<BootstrapRecord> verify_bootstrap_body(std::span<const std::uint8_t> body,
                                                     bool strict = false) {
  return verify_bootstrap(signed_bootstrap_wire(body), signer_key().public_key, at(kNow, strict));
}

// A syntactically valid DNS name of exactly `length` bytes (length >= 1),
// made of labels of at most 63 characters.
inline std::string dns_name_of_length(std::size_t length) {
  std::string name;
  char letter = 'a';
  while (name.size() < length) {
    if (!name.empty()) name += '.';
    const std::size_t remaining = length - name.size();
    // Leave room for at least one more character after a dot.
    std::size_t label = std::min<std::size_t>(remaining, 40);
    if (remaining > label && remaining - label == 1) --label;
    name.append(label, letter);
    letter = letter == 'z' ? 'a' : static_cast<char>(letter + 1);
  }
  return name;
}

using encoding::hex_encode;
using test::key_from_hex;

}  // namespace dmp::unit
