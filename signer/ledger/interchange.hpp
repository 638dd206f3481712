// Moving seq high-water marks between signing laptops: a small JSON document
// in the spirit of EIP-3076 slashing-protection interchange (integers as
// strings, so no JSON reader rounds a u64). Importing takes the maximum per
// (type, name, key) and never lowers a mark. Types: cluster, bootstrap and
// rotation (whose seq must keep rising along the subject's chain; the name is
// the subject); revocations have no seq and are not exported.
//
//   {"dmp_signer_interchange": 1,
//    "marks": [{"type": "cluster", "name": "mesh.example.com",
//               "public_key": "<64 hex>", "seq": "42"}, ...]}
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "ledger/ledger_format.hpp"

namespace dmp::ledger {

inline constexpr std::size_t kMaxInterchangeLen = 16u << 20;

std::string export_interchange(const std::map<MarkKey, Mark>& marks);

// Strict: unknown fields, duplicates of a (type, name, key), bad hex or
// numbers, and anything the ledger format refuses to read back (a name over
// 64 bytes...) are refused with the JSON path and the rule
// (Reason::invalid_field). Every mark returned, sealed into an import entry,
// reads back through parse_ledger.
Result<std::map<MarkKey, std::uint64_t>> parse_interchange(std::string_view text);

}  // namespace dmp::ledger
