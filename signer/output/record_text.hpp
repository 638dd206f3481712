// How records are shown to people and scripts: JSON fields, the review
// summary, and the difference between two versions of a record.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dmp/records.hpp"

namespace dmp::output {

// {"type","rrset","name","seq","exp","signing_key","nodes"|"entries"}.
nlohmann::json record_json(const Record& record);

// Multi-line summary: type, RRset, seq, exp as a date and "in N days"
// relative to `now`, and every node/entry. Each line starts with `indent`.
std::string describe_record(const Record& record, std::uint64_t now, const std::string& indent);

// Lines like "+ node n03 https://...", "- entry 20 mesh2.example.com",
// "~ node n01 http_endpoint: old -> new", "seq: 4 -> 5", "exp: ... -> ...".
// Empty when the records are equal.
std::vector<std::string> diff_records(const Record& before, const Record& after);

}  // namespace dmp::output
