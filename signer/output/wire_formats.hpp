// The ways a signed wire is handed out (spec §8): the bare wire exactly as
// the reference writes it, a zone-file line, an nsupdate script, or JSON.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "dmp/records.hpp"
#include "output/record_json.hpp"

namespace dmp::output {

enum class Format { wire, zone, nsupdate, json };

// The --format values: "wire", "zone", "nsupdate", "json".
const std::map<std::string, Format>& format_names();

// Where and how a wire is published: its owner name and zone (no trailing
// dots), whether the RRset is append-only, and the fields for JSON.
struct Publication {
  std::string owner;
  std::string zone;
  bool append_only = false;
  OrderedJson fields;  // record_fields()
  PublicKey signing_key{};
};
std::string format_publication(Format format, const Publication& publication,
                               const std::string& wire, std::uint32_t ttl);

// The text for `format`. `wire` has no trailing newline (as the reference
// generator writes it); the others end with one.
std::string format_wire(Format format, const Record& record, const std::string& wire,
                        std::uint32_t ttl);

// File name suffix for --out-dir: ".wire", ".zone", ".nsupdate", ".json".
std::string file_suffix(Format format);

}  // namespace dmp::output
