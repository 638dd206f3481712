// The envelope (§1.1): prefix, 1200-byte cap, base64, body/signature split.
#include "dmp/codec.hpp"

#include "dmp/encoding.hpp"

namespace dmp {
namespace {

constexpr std::string_view kClusterPrefix = "v=dmp1;t=cluster;";
constexpr std::string_view kBootstrapPrefix = "v=dmp1;t=bootstrap;";
constexpr std::string_view kRotationPrefix = "v=dmp1;t=rotation;";
constexpr std::string_view kRevocationPrefix = "v=dmp1;t=revocation;";

constexpr RecordType kAllTypes[] = {RecordType::cluster, RecordType::bootstrap,
                                    RecordType::rotation, RecordType::revocation};

}  // namespace

std::string_view wire_prefix(RecordType type) noexcept {
  switch (type) {
    case RecordType::cluster:
      return kClusterPrefix;
    case RecordType::bootstrap:
      return kBootstrapPrefix;
    case RecordType::rotation:
      return kRotationPrefix;
    case RecordType::revocation:
      return kRevocationPrefix;
  }
  return kClusterPrefix;
}

std::optional<RecordType> record_type_of_wire(std::string_view wire) noexcept {
  // No prefix is a prefix of another, so the order does not matter.
  for (RecordType type : kAllTypes) {
    if (wire.starts_with(wire_prefix(type))) return type;
  }
  return std::nullopt;
}

std::size_t signature_count(RecordType type) noexcept {
  return type == RecordType::rotation ? 2 : 1;
}

Result<Bytes> encode_body(const Record& record) {
  return std::visit([](const auto& r) { return encode_body(r); }, record);
}

Result<Record> decode_body(RecordType type, std::span<const std::uint8_t> body) {
  if (type == RecordType::cluster) {
    auto manifest = decode_cluster_body(body);
    if (!manifest) return manifest.error();
    return Record(std::move(*manifest));
  }
  if (type == RecordType::bootstrap) {
    auto record = decode_bootstrap_body(body);
    if (!record) return record.error();
    return Record(std::move(*record));
  }
  // Rotation/revocation bodies are not a `Record`: dmp/key_records.hpp.
  return fail(Reason::malformed, "type",
              std::string(record_type_name(type)) +
                  " bodies are decoded by decode_rotation_body / decode_revocation_body");
}

Result<Record> normalize(const Record& record) {
  auto body = encode_body(record);
  if (!body) return body.error();
  return decode_body(type_of(record), *body);
}

Result<std::string> assemble_envelope(RecordType type, std::span<const std::uint8_t> body,
                                      std::span<const Signature> signatures) {
  if (signatures.size() != signature_count(type)) {
    return fail(Reason::invalid_field, "signatures",
                "a " + std::string(record_type_name(type)) + " wire carries " +
                    std::to_string(signature_count(type)) + " signature(s), not " +
                    std::to_string(signatures.size()));
  }
  Bytes blob(body.begin(), body.end());
  for (const Signature& signature : signatures) {
    blob.insert(blob.end(), signature.begin(), signature.end());
  }
  std::string wire(wire_prefix(type));
  wire += encoding::base64_encode(blob);
  if (wire.size() > kMaxWireLen) {
    return fail(Reason::too_long, "wire",
                std::to_string(wire.size()) +
                    " bytes exceeds the 1200-byte cap; remove nodes/entries or shorten endpoints");
  }
  return wire;
}

Result<std::string> assemble_wire(RecordType type, std::span<const std::uint8_t> body,
                                  const Signature& signature) {
  return assemble_envelope(type, body, std::span<const Signature>(&signature, 1));
}

Result<OpenedEnvelope> open_envelope(std::string_view wire, RecordType type) {
  const std::string_view prefix = wire_prefix(type);
  if (!wire.starts_with(prefix)) {
    return fail(Reason::bad_prefix, "wire", "must start with '" + std::string(prefix) + "'");
  }
  if (wire.size() > kMaxWireLen) {
    return fail(Reason::too_long, "wire",
                std::to_string(wire.size()) + " bytes exceeds the 1200-byte cap");
  }
  const std::string_view payload = wire.substr(prefix.size());
  auto blob = encoding::base64_decode_reference(payload);
  if (!blob) {
    return fail(Reason::bad_base64, "wire",
                "payload is not valid base64 (standard alphabet, '=' padding, no "
                "whitespace or newline)");
  }
  const std::size_t sig_bytes = signature_count(type) * kSignatureLen;
  if (blob->size() < kMagicLen + sig_bytes) {
    return fail(Reason::too_short, "wire",
                "decoded blob is " + std::to_string(blob->size()) +
                    " bytes, shorter than magic + signature" +
                    (signature_count(type) > 1 ? "s" : "") + " (" +
                    std::to_string(kMagicLen + sig_bytes) + ")");
  }
  OpenedEnvelope opened;
  opened.type = type;
  const auto sigs_begin = blob->end() - static_cast<std::ptrdiff_t>(sig_bytes);
  opened.body.assign(blob->begin(), sigs_begin);
  for (auto it = sigs_begin; it != blob->end(); it += kSignatureLen) {
    Signature signature{};
    std::copy(it, it + kSignatureLen, signature.begin());
    opened.signatures.push_back(signature);
  }
  opened.canonical_base64 = encoding::base64_encode(*blob) == payload;
  return opened;
}

Result<OpenedWire> open_wire(std::string_view wire, RecordType type) {
  if (signature_count(type) != 1) {
    return fail(Reason::bad_prefix, "wire",
                "a " + std::string(record_type_name(type)) +
                    " wire has two signatures; open it with open_envelope");
  }
  auto envelope = open_envelope(wire, type);
  if (!envelope) return envelope.error();
  OpenedWire opened;
  opened.blob.type = type;
  opened.blob.body = std::move(envelope->body);
  opened.blob.signature = envelope->signatures.front();
  opened.canonical_base64 = envelope->canonical_base64;
  return opened;
}

}  // namespace dmp
