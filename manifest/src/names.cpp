#include "dmp/names.hpp"

#include "dmp/records.hpp"

#include <array>
#include <string>

namespace dmp {
namespace {

bool is_label_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

std::string quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('\'');
  out.append(text);
  out.push_back('\'');
  return out;
}

// Decode one UTF-8 code point at `pos` with the strict rules of Unicode
// Table 3-7 (what Python's codec enforces). Returns the code point and
// advances `pos`, or returns -1 on any ill-formed sequence.
long decode_code_point(std::string_view text, std::size_t& pos) noexcept {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  std::size_t extra;
  long cp;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the 2nd byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    extra = 1, cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    extra = 2, cp = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    extra = 3, cp = lead & 0x07;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return -1;
  }
  if (text.size() - pos <= extra) return -1;
  for (std::size_t i = 1; i <= extra; ++i) {
    const unsigned char b = byte(pos + i);
    const unsigned char lo = i == 1 ? low : 0x80, hi = i == 1 ? high : 0xBF;
    if (b < lo || b > hi) return -1;
    cp = (cp << 6) | (b & 0x3F);
  }
  pos += extra + 1;
  return cp;
}

// Python's str.casefold() of the non-ASCII code points whose full case fold
// is pure ASCII (Unicode 14, as in CPython 3.11). Only these can make a
// non-ASCII expected name equal a stored (always ASCII) name.
struct AsciiFold {
  long code_point;
  std::string_view folded;
};
constexpr std::array<AsciiFold, 11> kAsciiFolds{{
    {0x00DF, "ss"},
    {0x017F, "s"},
    {0x1E9E, "ss"},
    {0x212A, "k"},
    {0xFB00, "ff"},
    {0xFB01, "fi"},
    {0xFB02, "fl"},
    {0xFB03, "ffi"},
    {0xFB04, "ffl"},
    {0xFB05, "st"},
    {0xFB06, "st"},
}};

}  // namespace

std::string_view strip_one_dot(std::string_view name) noexcept {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return name;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Status check_dns_name(std::string_view name, std::string_view field) {
  const std::string f(field);
  if (name.empty()) return fail(Reason::invalid_field, f, "must not be empty");
  if (name.size() >= 2 && name.substr(name.size() - 2) == "..") {
    return fail(Reason::invalid_field, f, "ends with '..' (empty final label)");
  }
  const std::string_view normalized = strip_one_dot(name);
  if (normalized.empty()) return fail(Reason::invalid_field, f, "has no label");
  for (char c : normalized) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      return fail(Reason::invalid_field, f, "must be ASCII (IDN U-labels are not allowed)");
    }
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = normalized.find('.', start);
    const std::string_view label = normalized.substr(
        start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty()) {
      return fail(Reason::invalid_field, f, "empty label (leading or double dot)");
    }
    if (label.size() > kMaxLabelLen) {
      return fail(Reason::invalid_field, f,
                  "label longer than 63 characters (" + std::to_string(label.size()) + ")");
    }
    if (label.front() == '-' || label.back() == '-') {
      return fail(Reason::invalid_field, f, "label " + quoted(label) + " starts or ends with '-'");
    }
    for (char c : label) {
      if (!is_label_char(c)) {
        return fail(Reason::invalid_field, f,
                    "label " + quoted(label) + " has a character outside A-Z a-z 0-9 '-' (byte " +
                        std::to_string(static_cast<unsigned char>(c)) + ")");
      }
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return ok();
}

bool name_matches_expected(std::string_view stored, std::string_view expected) {
  expected = strip_one_dot(expected);
  std::string folded;
  folded.reserve(expected.size());
  for (std::size_t pos = 0; pos < expected.size();) {
    const std::size_t start = pos;
    const long cp = decode_code_point(expected, pos);
    if (cp < 0) return false;  // not text: cannot equal an ASCII name
    if (cp < 0x80) {
      folded += static_cast<char>(cp);
      continue;
    }
    bool mapped = false;
    for (const auto& fold : kAsciiFolds) {
      if (fold.code_point == cp) {
        folded += fold.folded;
        mapped = true;
        break;
      }
    }
    if (!mapped) folded.append(expected.substr(start, pos - start));
  }
  return ascii_lower(folded) == ascii_lower(stored);
}

bool is_valid_utf8(std::string_view text) noexcept {
  for (std::size_t pos = 0; pos < text.size();) {
    if (decode_code_point(text, pos) < 0) return false;
  }
  return true;
}

bool is_valid_utf8(std::span<const std::uint8_t> bytes) noexcept {
  return is_valid_utf8(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace dmp
