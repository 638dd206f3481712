// The one renderer for bytes that reach a terminal. What a person sees must
// be what is signed, so every byte that comes from a record, a file or the
// user goes through here before it is printed: controls (C0, DEL, C1), bidi
// controls, zero-width and line-separator characters, the other default-
// ignorable code points, spaces other than U+0020, private-use characters and
// bytes that are not UTF-8 become visible escapes (\x1b, \u202e), and the backslash itself is
// escaped so an escape can never be forged. Printable UTF-8 passes unchanged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dmp::output {

// One line: nothing of `text` can move the cursor, change colours, reorder
// or hide characters.
std::string terminal_safe(std::string_view text);

// As terminal_safe, but '\n' stays a line break: for text this program
// assembled line by line (a review), as a second line of defence behind the
// per-field escaping that keeps a field's own newline from forging a line.
std::string terminal_safe_lines(std::string_view text);

// The length in bytes of the unit terminal_safe renders as one at `offset`
// (< text.size()): a well-formed UTF-8 sequence, or one byte that is not.
// Escaping text cut at these boundaries piece by piece gives exactly what
// escaping it whole gives, so a diff can mark parts of a field.
std::size_t unit_length(std::string_view text, std::size_t offset);

// The first character terminal_safe would escape (other than '\\'): its
// byte offset and code point (a byte that is not UTF-8 is reported as that
// byte value, with `invalid_utf8`).
struct UnsafeCharacter {
  std::size_t offset = 0;
  std::uint32_t code_point = 0;
  bool invalid_utf8 = false;
};
std::optional<UnsafeCharacter> first_unsafe_character(std::string_view text);

// "U+001B (a control character)", "U+202E (a bidi control)", "byte 0xff
// (not UTF-8)": for refusal messages.
std::string describe_unsafe(const UnsafeCharacter& unsafe);

}  // namespace dmp::output
