// Base64 through libsodium, plus the reference's lenient acceptance rule. Internal.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "dmp/records.hpp"

namespace dmp::detail {

// Canonical padded standard base64.
std::string base64_encode(std::span<const std::uint8_t> bytes);

// Decode what Python's b64decode(validate=True) accepts (§1.4); nullopt otherwise.
std::optional<Bytes> base64_decode_reference(std::string_view text);

}  // namespace dmp::detail
