#include "keyfile/fido2_key_format.hpp"

#include <algorithm>

#include "dmp/encoding.hpp"
#include "keyfile/key_file_format.hpp"

namespace dmp::keyfile::fido2 {
namespace {

Failure format_error(const std::string& rule) {
  return fail(Reason::key_format, "fido2 key file", rule);
}

template <class Container>
void put(Bytes& out, const Container& bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

// Reads front to back over encoding::ByteReader; every take checks the bytes
// are there, so each field's own message names what is missing.
bool take(encoding::ByteReader& in, std::size_t n, std::span<const std::uint8_t>& out) {
  if (!in.has(n)) return false;
  out = in.read_bytes(n);
  return true;
}
bool take_uint(encoding::ByteReader& in, std::size_t width, std::size_t& v) {
  if (!in.has(width)) return false;
  v = static_cast<std::size_t>(in.read_uint(width));
  return true;
}
template <std::size_t N>
bool take_array(encoding::ByteReader& in, std::array<std::uint8_t, N>& a) {
  std::span<const std::uint8_t> b;
  if (!take(in, N, b)) return false;
  std::copy(b.begin(), b.end(), a.begin());
  return true;
}

std::string as_text(std::span<const std::uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

Bytes common_header(const Fido2KeyFile& file) {
  Bytes out(kMagic.begin(), kMagic.end());
  out.push_back(kVersion);
  put(out, file.public_key);
  encoding::write_be(out, file.created, 8);
  encoding::write_be(out, file.comment.size(), 2);
  put(out, file.comment);
  return out;
}

void put_slot_header(Bytes& out, const TokenSlot& slot) {
  out.push_back(static_cast<std::uint8_t>(slot.rp_id.size()));
  put(out, slot.rp_id);
  encoding::write_be(out, slot.credential_id.size(), 2);
  put(out, slot.credential_id);
  put(out, slot.salt);
  out.push_back(slot.flags);
  out.push_back(static_cast<std::uint8_t>(slot.label.size()));
  put(out, slot.label);
}

Status check_header_fields(const Fido2KeyFile& file) {
  if (auto comment = check_comment(file.comment); !comment) return comment.error();
  if (file.tokens.empty() || file.tokens.size() > kMaxTokens)
    return fail(Reason::invalid_field, "tokens", "a file holds 1 to 8 enrolled tokens");
  for (const auto& slot : file.tokens)
    if (auto checked = check_slot(slot); !checked) return checked.error();
  return ok();
}

}  // namespace

Status check_slot(const TokenSlot& slot) {
  if (slot.rp_id.empty() || slot.rp_id.size() > kMaxRpIdLen ||
      !std::all_of(slot.rp_id.begin(), slot.rp_id.end(),
                   [](char c) { return c > 0x20 && c < 0x7f; }))
    return fail(Reason::invalid_field, "rp_id", "1 to 255 printable ASCII characters");
  if (slot.credential_id.empty() || slot.credential_id.size() > kMaxCredentialIdLen)
    return fail(Reason::invalid_field, "credential_id", "1 to 1023 bytes");
  if ((slot.flags & ~(kFlagUserVerification | kFlagUserPresence)) != 0)
    return fail(Reason::invalid_field, "flags", "only bits 0 (PIN) and 1 (touch) are defined");
  if (slot.label.size() > kMaxLabelLen)
    return fail(Reason::invalid_field, "label", "longer than 255 bytes");
  if (auto text = check_comment(slot.label); !text)
    return fail(Reason::invalid_field, "label",
                "must be UTF-8 without control characters or bidirectional overrides");
  return ok();
}

Bytes slot_associated_data(const Fido2KeyFile& file, const TokenSlot& slot) {
  Bytes out = common_header(file);
  put_slot_header(out, slot);
  return out;
}

Result<Bytes> encode_fido2_key_file(const Fido2KeyFile& file) {
  if (auto checked = check_header_fields(file); !checked) return checked.error();
  Bytes out = common_header(file);
  out.push_back(static_cast<std::uint8_t>(file.tokens.size()));
  for (const auto& slot : file.tokens) {
    put_slot_header(out, slot);
    put(out, slot.nonce);
    put(out, slot.wrapped_seed);
  }
  return out;
}

Result<Fido2KeyFile> decode_fido2_key_file(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kMagic.size() || !std::equal(kMagic.begin(), kMagic.end(), bytes.begin()))
    return format_error("not a FIDO2-wrapped key file (magic 'DMPFIDO2' missing)");
  if (bytes.size() < kMagic.size() + 1) return format_error("truncated header");
  if (bytes[kMagic.size()] != kVersion)
    return fail(Reason::key_version, "fido2 key file",
                "format version " + std::to_string(bytes[kMagic.size()]) +
                    " is not supported (this dmp-sign reads version 1); use a newer dmp-sign");
  encoding::ByteReader in(bytes.subspan(kMagic.size() + 1));
  Fido2KeyFile file;
  std::span<const std::uint8_t> field;
  std::size_t size = 0;
  if (!take_array(in, file.public_key) || !in.has(8)) return format_error("truncated header");
  file.created = in.read_uint(8);
  if (!take_uint(in, 2, size) || size > kMaxCommentLen)
    return format_error("comment longer than 1024 bytes");
  if (!take(in, size, field)) return format_error("truncated comment");
  file.comment = as_text(field);
  if (auto comment = check_comment(file.comment); !comment)
    return format_error(comment.error().message());

  std::size_t count = 0;
  if (!take_uint(in, 1, count)) return format_error("truncated: no token count");
  if (count == 0 || count > kMaxTokens)
    return format_error("token count " + std::to_string(count) + " is outside 1..8");
  for (std::size_t i = 0; i < count; ++i) {
    const std::string where = "token " + std::to_string(i + 1) + ": ";
    TokenSlot slot;
    if (!take_uint(in, 1, size) || !take(in, size, field))
      return format_error(where + "truncated rp id");
    slot.rp_id = as_text(field);
    if (!take_uint(in, 2, size) || size > kMaxCredentialIdLen)
      return format_error(where + "credential id longer than 1023 bytes");
    if (!take(in, size, field)) return format_error(where + "truncated credential id");
    slot.credential_id.assign(field.begin(), field.end());
    if (!take_array(in, slot.salt)) return format_error(where + "truncated salt");
    if (!take_uint(in, 1, size)) return format_error(where + "truncated flags");
    slot.flags = static_cast<std::uint8_t>(size);
    if (!take_uint(in, 1, size) || !take(in, size, field))
      return format_error(where + "truncated label");
    slot.label = as_text(field);
    if (!take_array(in, slot.nonce) || !take_array(in, slot.wrapped_seed))
      return format_error(where + "truncated wrapped seed");
    if (auto checked = check_slot(slot); !checked)
      return format_error(where + checked.error().message());
    file.tokens.push_back(std::move(slot));
  }
  if (in.remaining() != 0)
    return format_error(std::to_string(in.remaining()) + " unexpected trailing bytes");
  return file;
}

Result<std::string> format_fido2_key_file_text(const Fido2KeyFile& file) {
  auto bytes = encode_fido2_key_file(file);
  if (!bytes) return bytes.error();
  return armor(*bytes, kArmorLabel);
}

Result<Fido2KeyFile> parse_fido2_key_file_text(std::string_view text) {
  auto bytes = dearmor(text, kArmorLabel, kMaxArmoredLen);
  if (!bytes) return bytes.error();
  return decode_fido2_key_file(*bytes);
}

bool looks_like_fido2_key_file(std::string_view text) {
  return text.starts_with("-----BEGIN " + std::string(kArmorLabel) + "-----");
}

}  // namespace dmp::keyfile::fido2
