// libcbor with ownership and the lookups the CTAP2 handlers need. Maps are
// built in CTAP2 canonical order (keys sorted by encoded length, then bytes),
// which libfido2 expects of an authenticator.
#pragma once

#include <cbor.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto.hpp"

namespace dmp::soft_fido2 {

struct CborFree {
  void operator()(cbor_item_t* item) const { cbor_decref(&item); }
};
using Cbor = std::unique_ptr<cbor_item_t, CborFree>;
using CborPairs = std::vector<std::pair<Cbor, Cbor>>;

Cbor cbor_int(int64_t value);
Cbor cbor_bytes(ByteView value);
Cbor cbor_text(std::string_view value);
Cbor cbor_bool(bool value);
Cbor cbor_array(std::vector<Cbor> items);
Cbor cbor_map(CborPairs pairs);  // canonical key order

Bytes cbor_encode(const cbor_item_t& item);
// Null unless `data` is exactly one well-formed item.
Cbor cbor_decode(ByteView data);

// Map lookups; null when `map` is not a map or has no such key.
const cbor_item_t* map_get(const cbor_item_t* map, int64_t key);
const cbor_item_t* map_get(const cbor_item_t* map, std::string_view key);

std::optional<int64_t> as_int(const cbor_item_t* item);
std::optional<Bytes> as_bytes(const cbor_item_t* item);
std::optional<std::string> as_text(const cbor_item_t* item);
std::optional<bool> as_bool(const cbor_item_t* item);

}  // namespace dmp::soft_fido2
