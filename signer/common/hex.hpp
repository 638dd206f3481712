// Hex text <-> bytes for keys typed on the command line or kept in text
// files. Parsing only: no I/O, errors are dmp::Result values naming `field`.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "dmp/records.hpp"
#include "dmp/result.hpp"

namespace dmp::cli {

// Lower-case hex of `bytes` (the form the reference prints and stores).
std::string hex_encode(std::span<const std::uint8_t> bytes);

// Decodes an even number of hex digits, either case, nothing else: no
// whitespace, no "0x" prefix, no separators. Fails with Reason::invalid_field
// and a message that starts with `field`.
Result<Bytes> hex_decode(std::string_view text, std::string_view field);

// Exactly 64 hex digits (a 32-byte Ed25519 public key), either case.
Result<PublicKey> parse_public_key_hex(std::string_view text, std::string_view field);

}  // namespace dmp::cli
