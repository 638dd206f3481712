// Wire codec: record <-> body bytes <-> wire text. Pure functions, no I/O.
//
// Sign side (encode_*) refuses everything the reference's sign() refuses
// (§2.2, §3.2) with Reason::invalid_field, normalises names (one trailing dot
// stripped) and sorts bootstrap entries stably by priority, so the bytes are
// the reference's bytes. Parse side (decode_*) applies the verifier's
// structural rules (§2.4 step 6, §3.5 step 6) and fails with Reason::malformed;
// it does NOT check signatures, keys or time: see verify.hpp for that.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dmp/api.hpp"
#include "dmp/records.hpp"
#include "dmp/result.hpp"

DMP_API_BEGIN
namespace dmp {

// What every record prefix starts with, of any version: text that starts
// with it is a (possibly broken) wire, never zone text. Not "v=dmp1;": a
// wire of another version ("v=dmp2;...") is a bad_prefix.
inline constexpr std::string_view kWireStart = "v=dmp";

// The exact ASCII prefix, e.g. "v=dmp1;t=cluster;".
std::string_view wire_prefix(RecordType type) noexcept;
// The record type whose prefix `wire` starts with, if any.
std::optional<RecordType> record_type_of_wire(std::string_view wire) noexcept;

// Validate and serialise a body exactly as the reference's sign() does.
Result<Bytes> encode_body(const ClusterManifest& manifest);
Result<Bytes> encode_body(const BootstrapRecord& record);
Result<Bytes> encode_body(const Record& record);

// Validate and normalise as encode_body does (trailing dot stripped, entries
// sorted), returning the record a verifier would read back from the wire.
Result<Record> normalize(const Record& record);

// Structural parse of a body (no signature, key or time checks).
Result<ClusterManifest> decode_cluster_body(std::span<const std::uint8_t> body);
Result<BootstrapRecord> decode_bootstrap_body(std::span<const std::uint8_t> body);
Result<Record> decode_body(RecordType type, std::span<const std::uint8_t> body);

// Number of 64-byte signatures after the body: 2 for rotation (old, then
// new), 1 for every other type (§1.1).
std::size_t signature_count(RecordType type) noexcept;

// prefix || base64(body || signature), canonical padded base64. Fails with
// Reason::too_long when the wire would exceed 1200 bytes. Single-signature
// types only; a rotation wire is assembled with assemble_envelope.
Result<std::string> assemble_wire(RecordType type, std::span<const std::uint8_t> body,
                                  const Signature& signature);
// prefix || base64(body || signatures...): `signatures` must hold exactly
// signature_count(type) signatures (else Reason::invalid_field).
Result<std::string> assemble_envelope(RecordType type, std::span<const std::uint8_t> body,
                                      std::span<const Signature> signatures);

// Envelope steps 1-4 of §2.4/§3.5: prefix, length cap, base64, split.
struct SignedBlob {
  RecordType type = RecordType::cluster;
  Bytes body;
  Signature signature{};
};
// Base64 is accepted exactly as the reference's b64decode(validate=True)
// accepts it (§1.4); `canonical_base64` tells whether the payload was also
// the canonical encoding (what strict verification additionally requires).
struct OpenedWire {
  SignedBlob blob;
  bool canonical_base64 = true;
};
// Single-signature types only (a rotation wire is Reason::bad_prefix here).
Result<OpenedWire> open_wire(std::string_view wire, RecordType type);

// Steps 1-4 for any type: the body and signature_count(type) signatures, in
// wire order. Reason::too_short when the blob is shorter than magic + sigs.
struct OpenedEnvelope {
  RecordType type = RecordType::cluster;
  Bytes body;
  std::vector<Signature> signatures;
  bool canonical_base64 = true;
};
Result<OpenedEnvelope> open_envelope(std::string_view wire, RecordType type);

}  // namespace dmp
DMP_API_END
