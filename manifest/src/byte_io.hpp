// Appending raw bytes and text to a body, and bytes back to text. Internal.
// Big-endian integers and the bounded reader are in dmp/encoding.hpp.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "dmp/encoding.hpp"
#include "dmp/records.hpp"

namespace dmp::detail {

inline void put_bytes(Bytes& out, std::string_view text) {
  out.insert(out.end(), text.begin(), text.end());
}
inline void put_bytes(Bytes& out, std::span<const std::uint8_t> bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}
inline std::string to_string(std::span<const std::uint8_t> bytes) {
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace dmp::detail
