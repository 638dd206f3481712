// Base64 (dmp/encoding.hpp): the strict codec through libsodium, and the
// reference's lenient acceptance rule (§1.4) on top of it.
#include <sodium.h>

#include "char_text.hpp"
#include "dmp/encoding.hpp"

namespace dmp::encoding {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sextet_of(char c) noexcept {
  auto pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

// Python's b64decode(s, validate=True) is, on CPython 3.11, binascii's
// a2b_base64(s, strict_mode=True), which accepts more than the canonical
// form (measured on CPython 3.11.2 and 3.11.7, §1.4):
//   - only [A-Za-z0-9+/] and '='; a '=' in first position is refused;
//   - once a '=' is seen, no data character may follow;
//   - a partial final quantum needs exactly its own padding ("xx==", "xxx=")
//     and nothing after it;
//   - after a complete quantum any number of '=' is surplus and ignored;
//   - one data character past a multiple of four is refused;
//   - non-zero unused bits in the last data character are ignored.
// Rewrite accepted input into the canonical form it decodes like, so the
// strict decoder does the decoding itself.
std::optional<std::string> canonicalize_reference_base64(std::string_view text) {
  if (text.starts_with('=')) return std::nullopt;  // leading padding
  std::size_t data_len = text.find('=');
  if (data_len == std::string_view::npos) data_len = text.size();
  std::string_view data = text.substr(0, data_len);
  std::string_view padding = text.substr(data_len);
  if (padding.find_first_not_of('=') != std::string_view::npos) {
    return std::nullopt;  // a data (or any other) character after '='
  }
  for (char c : data) {
    if (sextet_of(c) < 0) return std::nullopt;
  }
  std::string canonical(data);
  switch (data.size() % 4) {
    case 0:  // complete quanta: any padding is surplus and ignored
      return canonical;
    case 1:  // six bits cannot make a byte
      return std::nullopt;
    case 2:  // one byte: exactly "==", unused low 4 bits ignored
      if (padding.size() != 2) return std::nullopt;
      canonical.back() = kAlphabet[sextet_of(canonical.back()) & 0x30];
      return canonical + "==";
    default:  // two bytes: exactly "=", unused low 2 bits ignored
      if (padding.size() != 1) return std::nullopt;
      canonical.back() = kAlphabet[sextet_of(canonical.back()) & 0x3c];
      return canonical + "=";
  }
}

}  // namespace

std::string base64_encode(std::span<const std::uint8_t> bytes) {
  const std::size_t encoded_len =
      sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  std::string out(encoded_len, '\0');  // includes the NUL libsodium writes
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(encoded_len - 1);
  return out;
}

Result<Bytes> base64_decode(std::string_view text, std::string_view field) {
  const std::string f(field);
  // libsodium's decoder maps some bytes outside the alphabet onto it (every
  // byte >= 0x80 reads as '/'), so the alphabet is checked here first.
  for (char c : text) {
    if (c != '=' && sextet_of(c) < 0) {
      return fail(Reason::bad_base64, f,
                  detail::describe_char(c) + " is outside the base64 alphabet");
    }
  }
  Bytes out(text.size() / 4 * 3 + 3);
  std::size_t out_len = 0;
  // No ignore set and no end pointer: any stray character, missing or
  // surplus padding, or non-zero unused bits is an error (strict RFC 4648).
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &out_len,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return fail(Reason::bad_base64, f, "not canonical base64 (length, '=' padding or unused bits)");
  }
  out.resize(out_len);
  return out;
}

std::optional<Bytes> base64_decode_reference(std::string_view text) {
  const auto canonical = canonicalize_reference_base64(text);
  if (!canonical) return std::nullopt;
  auto decoded = base64_decode(*canonical, "base64");
  if (!decoded) return std::nullopt;
  return std::move(*decoded);
}

}  // namespace dmp::encoding
