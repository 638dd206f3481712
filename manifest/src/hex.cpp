// Hex text <-> bytes (dmp/encoding.hpp). libsodium decodes; this file only
// decides what is accepted and says where the first wrong character is.
#include <sodium.h>

#include <algorithm>

#include "char_text.hpp"
#include "dmp/encoding.hpp"

namespace dmp::encoding {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdefABCDEF";

}  // namespace

std::string hex_encode(std::span<const std::uint8_t> bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');  // libsodium writes a NUL
  sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
  out.pop_back();
  return out;
}

bool is_hex(std::string_view text) noexcept {
  return text.find_first_not_of(kHexDigits) == std::string_view::npos;
}

bool hex_decode_into(std::string_view text, std::span<std::uint8_t> out) noexcept {
  // libsodium stops at the first non-digit and may leave a half pair: the
  // checks before it make "all of text, exactly out.size() bytes" the rule.
  if (text.size() != out.size() * 2 || !is_hex(text)) return false;
  // sodium_hex2bin declares its output nonnull; an empty span has no data().
  if (out.empty()) return true;
  std::size_t len = 0;
  return sodium_hex2bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, nullptr) ==
             0 &&
         len == out.size();
}

Result<Bytes> hex_decode(std::string_view text, std::string_view field) {
  const std::string f(field);
  if (text.size() % 2 != 0) {
    return fail(Reason::invalid_field, f,
                "hex must have an even number of digits (has " + std::to_string(text.size()) + ")");
  }
  if (const std::size_t bad = text.find_first_not_of(kHexDigits); bad != std::string_view::npos) {
    return fail(Reason::invalid_field, f,
                detail::describe_char(text[bad]) + " at position " + std::to_string(bad + 1) +
                    " is not a hex digit");
  }
  Bytes out(text.size() / 2);
  if (!hex_decode_into(text, out)) {
    return fail(Reason::invalid_field, f, "not hex");  // not reached: checked above
  }
  return out;
}

Result<PublicKey> public_key_from_hex(std::string_view text, std::string_view field) {
  const std::string f(field);
  if (text.size() != kPublicKeyLen * 2) {
    return fail(Reason::invalid_field, f,
                "a public key is 64 hex digits (32 bytes); found " + std::to_string(text.size()) +
                    " characters");
  }
  auto bytes = hex_decode(text, field);
  if (!bytes) return bytes.error();
  PublicKey key{};
  std::copy(bytes->begin(), bytes->end(), key.begin());
  return key;
}

}  // namespace dmp::encoding
