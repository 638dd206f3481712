// How records are shown to people: the review summary (record_diff.hpp
// shows what changed between two versions; record_json.hpp is for scripts).
#pragma once

#include <string>
#include <vector>

#include "dmp/records.hpp"
#include "output/marked_text.hpp"

namespace dmp::output {

// Multi-line summary: type, RRset, seq, exp as a date and "in N days"
// relative to `now`, the signing key, and every node/entry. Each line starts
// with `indent`.
MarkedText describe_record(const Record& record, std::uint64_t now, const std::string& indent);

// One node or entry, every field escaped on its own:
// "n01  https://n1.mesh.example.com:8053  dns 203.0.113.1:53" (or
// "(no dns_endpoint)"), "priority 10  mesh.example.com  operator <key_text>".
MarkedLine node_line(const ClusterNode& node);
MarkedLine entry_line(const BootstrapEntry& entry);

}  // namespace dmp::output
