// The keys that describe a signed record in every JSON output of both tools
// (dmp-verify --json, inspect --json, sign --format json; docs/json.md), so
// that one record reads the same wherever a script meets it: always these
// 16 keys in this order, null where a key does not apply to the record's
// type, u64 values as decimal strings, 32-byte keys as "*_hex".
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "dmp/key_records.hpp"
#include "dmp/records.hpp"

namespace dmp::output {

using OrderedJson = nlohmann::ordered_json;

// jq and JavaScript round integers above 2^53: a u64 is a string.
OrderedJson u64_json(std::uint64_t value);

// Every key null: what a line says of a file that holds no valid record.
OrderedJson null_record_fields();
OrderedJson record_fields(const Record& record);
OrderedJson record_fields(const RotationRecord& record);
OrderedJson record_fields(const RevocationRecord& record);

// Appends `fields` to `out`, keeping both orders.
void append_fields(OrderedJson& out, const OrderedJson& fields);

}  // namespace dmp::output
