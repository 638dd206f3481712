// Raw bodies byte by byte, for tests and seeds that must put exactly the
// bytes a rule talks about on the wire (also ones no encoder would write).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dmp/encoding.hpp"
#include "dmp/records.hpp"

namespace dmp::test {

inline void put(Bytes& out, std::uint64_t value, std::size_t width) {
  encoding::write_be(out, value, width);
}
inline void put(Bytes& out, std::string_view text) {
  out.insert(out.end(), text.begin(), text.end());
}
inline void put(Bytes& out, const PublicKey& key) {
  out.insert(out.end(), key.begin(), key.end());
}

}  // namespace dmp::test
