// JSON for inputs a signer must not misread: nlohmann::json keeps the last of
// two equal member names silently, so `"seq": 5, ..., "seq": 3` would sign
// seq 3. Shared by the unsigned-record input and the ledger interchange.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "dmp/result.hpp"

namespace dmp::input {

// The parsed document, or Reason::invalid_field naming the JSON path of the
// first member given twice in one object ("nodes[0].node_id: appears more
// than once"), or field "json" with the byte where the text stops being JSON.
Result<nlohmann::json> parse_json_strictly(std::string_view text);

}  // namespace dmp::input
