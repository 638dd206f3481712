// Bounds-checked big-endian reading and writing over byte spans. Internal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "dmp/records.hpp"

namespace dmp::detail {

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  std::size_t offset() const noexcept { return offset_; }
  std::size_t remaining() const noexcept { return bytes_.size() - offset_; }
  bool has(std::size_t count) const noexcept { return count <= remaining(); }

  // Callers check has() first; these never read out of bounds regardless and
  // return zero/empty when short.
  std::uint64_t read_uint(std::size_t width) noexcept {
    if (!has(width)) return 0;
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i)
      value = (value << 8) | bytes_[offset_ + i];
    offset_ += width;
    return value;
  }
  std::span<const std::uint8_t> read_bytes(std::size_t count) noexcept {
    if (!has(count)) return {};
    auto out = bytes_.subspan(offset_, count);
    offset_ += count;
    return out;
  }
  std::uint8_t peek_last_of(std::size_t count) const noexcept {
    return count == 0 || !has(count) ? 0 : bytes_[offset_ + count - 1];
  }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t offset_ = 0;
};

inline void put_uint(Bytes& out, std::uint64_t value, std::size_t width) {
  for (std::size_t i = width; i-- > 0;)
    out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}
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
