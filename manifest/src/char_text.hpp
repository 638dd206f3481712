// How the encoding messages show an offending character. Internal.
#pragma once

#include <string>

namespace dmp::detail {

// Printable form of an offending byte for a one-line message; control and
// non-ASCII bytes are shown by value so the message stays one clean line.
inline std::string describe_char(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x21 && byte < 0x7f) return std::string("'") + c + "'";
  return "byte " + std::to_string(byte);
}

}  // namespace dmp::detail
