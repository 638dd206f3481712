// The envelope (§1.1): prefix, 1200-byte cap, base64, body/signature split.
#include "dmp/codec.hpp"

#include "base64.hpp"

namespace dmp {
namespace {

constexpr std::string_view kClusterPrefix = "v=dmp1;t=cluster;";
constexpr std::string_view kBootstrapPrefix = "v=dmp1;t=bootstrap;";

}  // namespace

std::string_view wire_prefix(RecordType type) noexcept {
  return type == RecordType::cluster ? kClusterPrefix : kBootstrapPrefix;
}

std::optional<RecordType> record_type_of_wire(std::string_view wire) noexcept {
  if (wire.starts_with(kClusterPrefix)) return RecordType::cluster;
  if (wire.starts_with(kBootstrapPrefix)) return RecordType::bootstrap;
  return std::nullopt;
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
  auto record = decode_bootstrap_body(body);
  if (!record) return record.error();
  return Record(std::move(*record));
}

Result<Record> normalize(const Record& record) {
  auto body = encode_body(record);
  if (!body) return body.error();
  return decode_body(type_of(record), *body);
}

Result<std::string> assemble_wire(RecordType type, std::span<const std::uint8_t> body,
                                  const Signature& signature) {
  Bytes blob(body.begin(), body.end());
  blob.insert(blob.end(), signature.begin(), signature.end());
  std::string wire(wire_prefix(type));
  wire += detail::base64_encode(blob);
  if (wire.size() > kMaxWireLen) {
    return fail(Reason::too_long, "wire",
                "wire: " + std::to_string(wire.size()) +
                    " bytes exceeds the 1200-byte cap; remove nodes/entries or shorten endpoints");
  }
  return wire;
}

Result<OpenedWire> open_wire(std::string_view wire, RecordType type) {
  const std::string_view prefix = wire_prefix(type);
  if (!wire.starts_with(prefix)) {
    return fail(Reason::bad_prefix, "wire", "wire: must start with '" + std::string(prefix) + "'");
  }
  if (wire.size() > kMaxWireLen) {
    return fail(Reason::too_long, "wire",
                "wire: " + std::to_string(wire.size()) + " bytes exceeds the 1200-byte cap");
  }
  const std::string_view payload = wire.substr(prefix.size());
  auto blob = detail::base64_decode_reference(payload);
  if (!blob) {
    return fail(Reason::bad_base64, "wire",
                "wire: payload is not valid base64 (standard alphabet, '=' padding, no "
                "whitespace or newline)");
  }
  if (blob->size() < kMagicLen + kSignatureLen) {
    return fail(Reason::too_short, "wire",
                "wire: decoded blob is " + std::to_string(blob->size()) +
                    " bytes, shorter than magic + signature (71)");
  }
  OpenedWire opened;
  opened.blob.type = type;
  opened.blob.body.assign(blob->begin(), blob->end() - kSignatureLen);
  std::copy(blob->end() - kSignatureLen, blob->end(), opened.blob.signature.begin());
  opened.canonical_base64 = detail::base64_encode(*blob) == payload;
  return opened;
}

}  // namespace dmp
