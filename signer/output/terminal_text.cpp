#include "output/terminal_text.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace dmp::output {
namespace {

enum class Kind { printable, control, bidi, invisible };

Kind kind_of(std::uint32_t cp) {
  if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) return Kind::control;
  if (cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
      (cp >= 0x2066 && cp <= 0x2069))
    return Kind::bidi;
  if ((cp >= 0x200b && cp <= 0x200d) || cp == 0x2060 || cp == 0xfeff || cp == 0x2028 ||
      cp == 0x2029 || cp == 0x00ad)
    return Kind::invisible;
  // The rest of Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties
  // 15.0: what renders as nothing, such as U+034F, the Hangul fillers, tag
  // characters, variation selectors), spaces other than U+0020 (U+00A0,
  // U+3000: a host that looks split) and private-use characters (whatever a
  // font draws for them).
  struct Range {
    std::uint32_t first, last;
  };
  static constexpr Range kHidden[] = {
      {0x00a0, 0x00a0},   {0x034f, 0x034f},   {0x115f, 0x1160},    {0x1680, 0x1680},
      {0x17b4, 0x17b5},   {0x180b, 0x180f},   {0x2000, 0x200a},    {0x202f, 0x202f},
      {0x205f, 0x206f},   {0x3000, 0x3000},   {0x3164, 0x3164},    {0xe000, 0xf8ff},
      {0xfe00, 0xfe0f},   {0xffa0, 0xffa0},   {0xfff0, 0xfffb},    {0x1bca0, 0x1bca3},
      {0x1d173, 0x1d17a}, {0xe0000, 0xe0fff}, {0xf0000, 0x10ffff},
  };
  for (const Range& range : kHidden) {
    if (cp >= range.first && cp <= range.last) return Kind::invisible;
  }
  return Kind::printable;
}

// One UTF-8 sequence at text[i]: its code point and length, or nullopt for
// a byte that does not start a well-formed, shortest-form sequence.
std::optional<std::pair<std::uint32_t, std::size_t>> decode_at(std::string_view text,
                                                               std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return std::pair<std::uint32_t, std::size_t>(b0, 1);
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if ((b0 & 0xe0) == 0xc0) {
    len = 2;
    cp = b0 & 0x1f;
  } else if ((b0 & 0xf0) == 0xe0) {
    len = 3;
    cp = b0 & 0x0f;
  } else if ((b0 & 0xf8) == 0xf0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    return std::nullopt;
  }
  if (i + len > text.size()) return std::nullopt;
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (byte(i + k) & 0x3f);
  }
  static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return std::nullopt;
  return std::pair(cp, len);
}

// `prefix` then `value` in hex, at least `digits` digits. No printf format
// string (so the compiler checks every call), and built by appending (GCC 12
// misfires -Wrestrict on `"literal" + std::string`).
std::string hex_escape(std::string_view prefix, std::uint32_t value, int digits, bool upper) {
  const char* alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char reversed[8];
  int n = 0;
  do {
    reversed[n++] = alphabet[value & 0xf];
    value >>= 4;
  } while (value != 0 || n < digits);
  std::string out(prefix);
  while (n > 0)
    out.push_back(reversed[--n]);
  return out;
}

std::string render(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '\n' && keep_newlines) {
      out += '\n';
      ++i;
      continue;
    }
    if (text[i] == '\\') {
      out += "\\\\";
      ++i;
      continue;
    }
    const auto decoded = decode_at(text, i);
    if (!decoded) {
      out += hex_escape("\\x", static_cast<unsigned char>(text[i]), 2, false);
      ++i;
      continue;
    }
    const auto [cp, len] = *decoded;
    if (kind_of(cp) == Kind::printable) {
      out.append(text.substr(i, len));
    } else {
      out += cp < 0x80 ? hex_escape("\\x", cp, 2, false) : hex_escape("\\u", cp, 4, false);
    }
    i += len;
  }
  return out;
}

}  // namespace

std::string terminal_safe(std::string_view text) {
  return render(text, false);
}

std::string terminal_safe_lines(std::string_view text) {
  return render(text, true);
}

std::size_t unit_length(std::string_view text, std::size_t offset) {
  const auto decoded = decode_at(text, offset);
  return decoded ? decoded->second : 1;
}

std::optional<UnsafeCharacter> first_unsafe_character(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto decoded = decode_at(text, i);
    if (!decoded) return UnsafeCharacter{i, static_cast<unsigned char>(text[i]), true};
    if (kind_of(decoded->first) != Kind::printable) {
      return UnsafeCharacter{i, decoded->first, false};
    }
    i += decoded->second;
  }
  return std::nullopt;
}

std::string describe_unsafe(const UnsafeCharacter& unsafe) {
  if (unsafe.invalid_utf8)
    return hex_escape("byte 0x", unsafe.code_point, 2, false) + " (not UTF-8)";
  const Kind kind = kind_of(unsafe.code_point);
  return hex_escape("U+", unsafe.code_point, 4, true) +
         (kind == Kind::control ? " (a control character)"
          : kind == Kind::bidi  ? " (a bidi control)"
                                : " (an invisible character)");
}

}  // namespace dmp::output
