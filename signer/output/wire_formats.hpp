// The ways a signed wire is handed out (spec §8): the bare wire exactly as
// the reference writes it, a zone-file line, an nsupdate script, or JSON.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "dmp/records.hpp"

namespace dmp::output {

enum class Format { wire, zone, nsupdate, json };

// The --format values: "wire", "zone", "nsupdate", "json".
const std::map<std::string, Format>& format_names();

// The text for `format`. `wire` has no trailing newline (as the reference
// generator writes it); the others end with one.
std::string format_wire(Format format, const Record& record, const std::string& wire,
                        std::uint32_t ttl);

// File name suffix for --out-dir: ".wire", ".zone", ".nsupdate", ".json".
std::string file_suffix(Format format);

}  // namespace dmp::output
