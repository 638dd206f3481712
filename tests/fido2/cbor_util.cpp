#include "cbor_util.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace dmp::soft_fido2 {
namespace {

Cbor must(cbor_item_t* item) {
  if (item == nullptr) std::abort();  // out of memory in test infrastructure
  return Cbor(item);
}

bool canonical_less(const Bytes& a, const Bytes& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

}  // namespace

// Canonical CBOR wants the shortest encoding; libcbor encodes at the width
// the item was built with.
Cbor cbor_int(int64_t value) {
  const bool negative = value < 0;
  const uint64_t n = negative ? static_cast<uint64_t>(-(value + 1)) : static_cast<uint64_t>(value);
  if (n <= UINT8_MAX) {
    const auto v = static_cast<uint8_t>(n);
    return must(negative ? cbor_build_negint8(v) : cbor_build_uint8(v));
  }
  if (n <= UINT16_MAX) {
    const auto v = static_cast<uint16_t>(n);
    return must(negative ? cbor_build_negint16(v) : cbor_build_uint16(v));
  }
  if (n <= UINT32_MAX) {
    const auto v = static_cast<uint32_t>(n);
    return must(negative ? cbor_build_negint32(v) : cbor_build_uint32(v));
  }
  return must(negative ? cbor_build_negint64(n) : cbor_build_uint64(n));
}

Cbor cbor_bytes(ByteView value) {
  return must(cbor_build_bytestring(value.data(), value.size()));
}

Cbor cbor_text(std::string_view value) {
  return must(cbor_build_stringn(value.data(), value.size()));
}

Cbor cbor_bool(bool value) {
  return must(cbor_build_bool(value));
}

Cbor cbor_array(std::vector<Cbor> items) {
  Cbor array = must(cbor_new_definite_array(items.size()));
  for (const auto& item : items) {
    if (!cbor_array_push(array.get(), item.get())) std::abort();  // push takes a reference
  }
  return array;
}

Cbor cbor_map(CborPairs pairs) {
  std::vector<std::pair<Bytes, size_t>> order;
  for (size_t i = 0; i < pairs.size(); ++i)
    order.emplace_back(cbor_encode(*pairs[i].first), i);
  std::sort(order.begin(), order.end(),
            [](const auto& a, const auto& b) { return canonical_less(a.first, b.first); });
  Cbor map = must(cbor_new_definite_map(pairs.size()));
  for (const auto& [encoded, i] : order) {
    // cbor_map_add takes its own references to key and value.
    if (!cbor_map_add(map.get(), {pairs[i].first.get(), pairs[i].second.get()})) std::abort();
  }
  return map;
}

Bytes cbor_encode(const cbor_item_t& item) {
  unsigned char* buf = nullptr;
  size_t capacity = 0;
  const size_t len = cbor_serialize_alloc(&item, &buf, &capacity);
  if (len == 0) std::abort();
  Bytes out(buf, buf + len);
  free(buf);
  return out;
}

Cbor cbor_decode(ByteView data) {
  cbor_load_result result{};
  Cbor item(cbor_load(data.data(), data.size(), &result));
  if (item == nullptr || result.error.code != CBOR_ERR_NONE || result.read != data.size()) {
    return nullptr;
  }
  return item;
}

const cbor_item_t* map_get(const cbor_item_t* map, int64_t key) {
  if (map == nullptr || !cbor_isa_map(map) || !cbor_map_is_definite(map)) return nullptr;
  const cbor_pair* pairs = cbor_map_handle(map);
  for (size_t i = 0; i < cbor_map_size(map); ++i) {
    if (as_int(pairs[i].key) == key) return pairs[i].value;
  }
  return nullptr;
}

const cbor_item_t* map_get(const cbor_item_t* map, std::string_view key) {
  if (map == nullptr || !cbor_isa_map(map) || !cbor_map_is_definite(map)) return nullptr;
  const cbor_pair* pairs = cbor_map_handle(map);
  for (size_t i = 0; i < cbor_map_size(map); ++i) {
    if (as_text(pairs[i].key) == key) return pairs[i].value;
  }
  return nullptr;
}

std::optional<int64_t> as_int(const cbor_item_t* item) {
  if (item == nullptr) return std::nullopt;
  // Values beyond int64 are of no use to CTAP2 and would overflow here.
  if (cbor_isa_uint(item)) {
    const uint64_t v = cbor_get_int(item);
    if (v > INT64_MAX) return std::nullopt;
    return static_cast<int64_t>(v);
  }
  if (cbor_isa_negint(item)) {
    const uint64_t v = cbor_get_int(item);
    if (v > INT64_MAX) return std::nullopt;
    return -static_cast<int64_t>(v) - 1;
  }
  return std::nullopt;
}

std::optional<Bytes> as_bytes(const cbor_item_t* item) {
  if (item == nullptr || !cbor_isa_bytestring(item) || !cbor_bytestring_is_definite(item)) {
    return std::nullopt;
  }
  const uint8_t* p = cbor_bytestring_handle(item);
  return Bytes(p, p + cbor_bytestring_length(item));
}

std::optional<std::string> as_text(const cbor_item_t* item) {
  if (item == nullptr || !cbor_isa_string(item) || !cbor_string_is_definite(item)) {
    return std::nullopt;
  }
  if (cbor_string_length(item) == 0) return std::string();
  return std::string(reinterpret_cast<const char*>(cbor_string_handle(item)),
                     cbor_string_length(item));
}

std::optional<bool> as_bool(const cbor_item_t* item) {
  if (item == nullptr || !cbor_is_bool(item)) return std::nullopt;
  return cbor_get_bool(item);
}

}  // namespace dmp::soft_fido2
