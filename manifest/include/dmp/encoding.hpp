// The one encoding module of dmp-signer: hex, base64 (strict, and the
// reference's lenient acceptance) and big-endian integers, as pure functions
// over byte spans. Every part of the project (verifier, signer, helpers,
// tests) encodes through these; libsodium does the hex and base64 work.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "dmp/api.hpp"
#include "dmp/records.hpp"
#include "dmp/result.hpp"

DMP_API_BEGIN
namespace dmp::encoding {

// ---- hex --------------------------------------------------------------------

// Lower-case hex of `bytes` (the form the reference prints and stores).
std::string hex_encode(std::span<const std::uint8_t> bytes);

// Decodes an even number of hex digits, either case, nothing else: no
// whitespace, no "0x" prefix, no separators. Fails with Reason::invalid_field
// and a message that starts with `field`.
Result<Bytes> hex_decode(std::string_view text, std::string_view field);

// Exactly 64 hex digits (a 32-byte Ed25519 public key), either case.
Result<PublicKey> public_key_from_hex(std::string_view text, std::string_view field);

// Exactly 2 * out.size() hex digits, either case, decoded straight into `out`
// (so a secret needs no second copy). False, and `out` unspecified, otherwise.
bool hex_decode_into(std::string_view text, std::span<std::uint8_t> out) noexcept;

// Only hex digits, either case (the empty text too).
bool is_hex(std::string_view text) noexcept;

// ---- base64: the standard alphabet with '=' padding (RFC 4648 section 4) ----

// Canonical padded base64.
std::string base64_encode(std::span<const std::uint8_t> bytes);

// Strict: only the text base64_encode gives. A character outside
// [A-Za-z0-9+/=], a line break, missing or surplus padding or non-zero
// unused bits fails with Reason::bad_base64 and a message starting with
// `field`.
Result<Bytes> base64_decode(std::string_view text, std::string_view field);

// Lenient: what the reference's b64decode(validate=True) accepts (§1.4),
// decoded by the strict decoder after rewriting it to its canonical form.
std::optional<Bytes> base64_decode_reference(std::string_view text);

// ---- big-endian unsigned integers of 1 to 8 bytes ---------------------------

// Appends the low `width` bytes of `value`, most significant first; a width
// over 8 writes leading zero bytes.
inline void write_be(Bytes& out, std::uint64_t value, std::size_t width) {
  for (std::size_t i = width; i-- > 0;)
    out.push_back(i < 8 ? static_cast<std::uint8_t>(value >> (8 * i)) : std::uint8_t{0});
}

// Fills all of `out` with `value`, most significant byte first (for fixed
// slots in a frame); the value's high bytes that do not fit are dropped.
inline void store_be(std::span<std::uint8_t> out, std::uint64_t value) noexcept {
  for (std::size_t i = out.size(); i-- > 0; value >>= 8)
    out[i] = static_cast<std::uint8_t>(value);
}

// The integer in the first `width` bytes of `bytes`; nullopt when fewer
// bytes are there or `width` is not 1..8.
inline std::optional<std::uint64_t> read_be(std::span<const std::uint8_t> bytes,
                                            std::size_t width) noexcept {
  if (width == 0 || width > 8 || bytes.size() < width) return std::nullopt;
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width; ++i)
    value = (value << 8) | bytes[i];
  return value;
}

// Bounds-checked reading front to back. Callers check has() first; the reads
// never go out of bounds regardless, and give zero/empty (consuming nothing)
// when short, so a decoder that forgets a check fails closed.
class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  std::size_t remaining() const noexcept { return bytes_.size() - offset_; }
  bool has(std::size_t count) const noexcept { return count <= remaining(); }

  std::uint64_t read_uint(std::size_t width) noexcept {
    const auto value = read_be(bytes_.subspan(offset_), width);
    if (!value) return 0;
    offset_ += width;
    return *value;
  }
  std::span<const std::uint8_t> peek_bytes(std::size_t count) const noexcept {
    return has(count) ? bytes_.subspan(offset_, count) : std::span<const std::uint8_t>();
  }
  std::span<const std::uint8_t> read_bytes(std::size_t count) noexcept {
    const auto out = peek_bytes(count);
    offset_ += out.size();
    return out;
  }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t offset_ = 0;
};

}  // namespace dmp::encoding
DMP_API_END
