// libFuzzer target: the input is untrusted wire text (what a resolver hands
// us). Runs the whole verifier on it and the body parsers on the raw bytes, so
// the parsers are reached without a valid signature, and aborts when one of
// the invariants below breaks:
//   - a decoded body re-encodes to bytes that decode to the same record, and
//     encoding fails only for the zero-node manifest the parser tolerates;
//   - a canonical wire re-assembles to itself from its body and signature;
//   - strict acceptance implies default acceptance (same record), and strict
//     adds only Reason::non_canonical rejections;
//   - an accepted record is the decoded body and matches its own name.
// Seeds are signed with the key below; scripts/fuzz.sh runs this target.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "dmp/codec.hpp"
#include "dmp/names.hpp"
#include "dmp/records.hpp"
#include "dmp/verify.hpp"
#include "support/test_keys.hpp"

namespace {

// The seeds' exp values lie within five years after this clock.
constexpr std::uint64_t kNow = 1'800'000'000;

const dmp::PublicKey& fixed_public_key() {
  static const dmp::PublicKey key = dmp::test::key_for_label("dmp-fuzz/signer").public_key;
  return key;
}

void require(bool condition, const char* invariant) {
  if (condition) return;
  std::fprintf(stderr, "fuzz_wire_verify: invariant violated: %s\n", invariant);
  std::abort();
}

bool is_zero_node_manifest(const dmp::Record& record) {
  const auto* manifest = std::get_if<dmp::ClusterManifest>(&record);
  return manifest != nullptr && manifest->nodes.empty();
}

// A successful decode must survive encode -> decode unchanged.
void check_reencode(const dmp::Record& decoded) {
  const dmp::RecordType type = dmp::type_of(decoded);
  auto body = dmp::encode_body(decoded);
  if (!body) {
    require(body.error().reason == dmp::Reason::invalid_field, "encode fails with invalid_field");
    require(is_zero_node_manifest(decoded),
            "a decoded record fails to encode only when it is a zero-node manifest");
    return;
  }
  auto again = dmp::decode_body(type, *body);
  require(again.has_value(), "the encoding of a decoded record decodes");
  require(*again == decoded, "decode(encode(decode(x))) == decode(x)");
  auto normalized = dmp::normalize(decoded);
  require(normalized.has_value() && *normalized == decoded, "a decoded record is normalised");
}

void check_body_parsers(std::span<const std::uint8_t> bytes) {
  if (auto manifest = dmp::decode_cluster_body(bytes)) {
    check_reencode(dmp::Record(std::move(*manifest)));
  } else {
    require(manifest.error().reason == dmp::Reason::malformed, "parse errors are malformed");
  }
  if (auto record = dmp::decode_bootstrap_body(bytes)) {
    check_reencode(dmp::Record(std::move(*record)));
  } else {
    require(record.error().reason == dmp::Reason::malformed, "parse errors are malformed");
  }
}

// Envelope and body parse of the wire for one record type. Returns the
// decoded record when both succeed.
std::optional<dmp::Record> open_and_decode(std::string_view wire, dmp::RecordType type) {
  auto opened = dmp::open_wire(wire, type);
  if (!opened) return std::nullopt;
  require(opened->blob.type == type, "open_wire keeps the requested type");
  require(dmp::record_type_of_wire(wire) == type, "open_wire accepts only its own prefix");
  auto assembled = dmp::assemble_wire(type, opened->blob.body, opened->blob.signature);
  require(assembled.has_value(), "an opened wire re-assembles within the cap");
  require((*assembled == wire) == opened->canonical_base64,
          "a wire re-assembles to itself exactly when its base64 is canonical");
  auto reopened = dmp::open_wire(*assembled, type);
  require(reopened.has_value() && reopened->canonical_base64 &&
              reopened->blob.body == opened->blob.body &&
              reopened->blob.signature == opened->blob.signature,
          "a re-assembled wire opens to the same blob");

  auto decoded = dmp::decode_body(type, opened->blob.body);
  if (!decoded) {
    require(decoded.error().reason == dmp::Reason::malformed, "parse errors are malformed");
    return std::nullopt;
  }
  check_reencode(*decoded);
  return std::move(*decoded);
}

bool is_one_of(dmp::Reason reason, std::initializer_list<dmp::Reason> allowed) {
  return std::find(allowed.begin(), allowed.end(), reason) != allowed.end();
}

// §2.4/§3.5 order: envelope (1-4), signature (5), parse (6), then key, exp,
// name (7-9). A rejection must come from the first step that can fail.
void check_rejection_order(std::string_view wire, dmp::Reason reason,
                           const std::optional<dmp::Record>& decoded) {
  using dmp::Reason;
  const auto type = dmp::record_type_of_wire(wire);
  // verify() reads cluster/bootstrap only; key-lifecycle wires have their own
  // verifiers (fuzz_key_records).
  if (!type || *type == dmp::RecordType::rotation || *type == dmp::RecordType::revocation) {
    require(reason == Reason::bad_prefix, "an unknown or key-record prefix is bad_prefix");
    return;
  }
  auto opened = dmp::open_wire(wire, *type);
  if (!opened) {
    require(reason == opened.error().reason, "envelope errors come first, as open_wire reports");
    return;
  }
  if (!decoded) {
    require(is_one_of(reason, {Reason::bad_signature, Reason::malformed}),
            "a body that does not parse fails at the signature or the parse");
    return;
  }
  require(is_one_of(reason, {Reason::bad_signature, Reason::key_mismatch, Reason::expired,
                             Reason::expiry_too_far}),
          "a body that parses fails at the signature, the key or the clock");
  if (reason != Reason::bad_signature && dmp::signing_key_of(*decoded) != fixed_public_key()) {
    require(reason == Reason::key_mismatch, "the key is checked before the clock");
  }
}

void check_verify(std::string_view wire, const std::optional<dmp::Record>& decoded) {
  const dmp::PublicKey& key = fixed_public_key();
  dmp::VerifyOptions lenient;
  lenient.now = kNow;
  dmp::VerifyOptions strict = lenient;
  strict.strict = true;

  auto accepted = dmp::verify(wire, key, lenient);
  auto strictly = dmp::verify(wire, key, strict);
  if (strictly) {
    require(accepted.has_value(), "strict acceptance implies default acceptance");
    require(*strictly == *accepted, "strict and default return the same record");
    auto body = dmp::encode_body(*strictly);
    require(body.has_value(), "a strictly accepted record encodes");
    auto opened = dmp::open_wire(wire, dmp::type_of(*strictly));
    require(opened.has_value() && opened->canonical_base64 && opened->blob.body == *body,
            "a strictly accepted wire is canonical and re-encodes to its body");
  } else if (accepted) {
    require(strictly.error().reason == dmp::Reason::non_canonical,
            "strict rejects a default-accepted wire only as non_canonical");
  } else {
    require(strictly.error().reason == accepted.error().reason,
            "strict and default reject for the same reason");
  }
  if (!accepted) {
    check_rejection_order(wire, accepted.error().reason, decoded);
    return;
  }

  require(decoded.has_value() && *decoded == *accepted,
          "an accepted record is the decoded body of the wire");
  require(dmp::signing_key_of(*accepted) == key, "an accepted record carries the pinned key");
  const std::uint64_t exp = dmp::exp_of(*accepted);
  require(exp >= kNow && exp - kNow <= dmp::kMaxExpAhead, "an accepted exp is within bounds");
  const std::string& name = dmp::signed_name(*accepted);
  require(dmp::check_dns_name(name, "name").has_value(), "an accepted name passes §1.5");
  std::string shouted = name;
  std::transform(shouted.begin(), shouted.end(), shouted.begin(), [](char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  });
  require(dmp::name_matches_expected(name, shouted + "."),
          "a name matches itself in another case with a trailing dot");

  dmp::VerifyOptions bound = lenient;
  bound.expected_name = shouted;
  require(dmp::verify(wire, key, bound).has_value(), "binding to the record's own name accepts");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  const std::string_view wire(reinterpret_cast<const char*>(data), size);

  check_body_parsers(bytes);
  auto cluster = open_and_decode(wire, dmp::RecordType::cluster);
  auto bootstrap = open_and_decode(wire, dmp::RecordType::bootstrap);
  require(!(cluster && bootstrap), "a wire has one record type");
  check_verify(wire, cluster ? cluster : bootstrap);
  return 0;
}
