#include "common/hex.hpp"

#include <algorithm>

namespace dmp::cli {
namespace {

int nibble_of(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Printable form of an offending byte for a one-line message; control and
// non-ASCII bytes are shown by value so the message stays one clean line.
std::string describe_char(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x21 && byte < 0x7f) return std::string("'") + c + "'";
  return "byte " + std::to_string(byte);
}

}  // namespace

std::string hex_encode(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

Result<Bytes> hex_decode(std::string_view text, std::string_view field) {
  const std::string f(field);
  if (text.size() % 2 != 0) {
    return fail(
        Reason::invalid_field, f,
        f + ": hex must have an even number of digits (has " + std::to_string(text.size()) + ")");
  }
  Bytes out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = nibble_of(text[i]);
    const int low = nibble_of(text[i + 1]);
    if (high < 0 || low < 0) {
      const std::size_t bad = high < 0 ? i : i + 1;
      return fail(Reason::invalid_field, f,
                  f + ": " + describe_char(text[bad]) + " at position " + std::to_string(bad + 1) +
                      " is not a hex digit");
    }
    out.push_back(static_cast<std::uint8_t>((high << 4) | low));
  }
  return out;
}

Result<PublicKey> parse_public_key_hex(std::string_view text, std::string_view field) {
  const std::string f(field);
  if (text.size() != kPublicKeyLen * 2) {
    return fail(Reason::invalid_field, f,
                f + ": a public key is 64 hex digits (32 bytes); found " +
                    std::to_string(text.size()) + " characters");
  }
  auto bytes = hex_decode(text, field);
  if (!bytes) return bytes.error();
  PublicKey key{};
  std::copy(bytes->begin(), bytes->end(), key.begin());
  return key;
}

}  // namespace dmp::cli
