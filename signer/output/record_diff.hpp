// What changed between two versions of a record, for the review. Every
// changed field is named, with its old and new value and the characters
// that differ marked (text_diff.hpp):
//
//   seq: 4 -> 5
//   - node n03  https://n3.mesh.example.com:8053  dns 203.0.113.3:53
//   + node n05  https://n5.mesh.example.com:8053  (no dns_endpoint)
//   ~ node n01
//       dns_endpoint: 10.0.0.12:53 -> 10.0.0.21:53
//   ~ entry priority 20  mesh2.example.com
//       priority: 20 -> 5
//       operator_spk_hex: <hex>  dmp1:...
//                      -> <hex>  dmp1:...
//
// A value pair too wide for one line puts the new value under the old one,
// both starting in the same column. Keys show as key_text (hex and
// fingerprint); an absent dns_endpoint as "(none)".
#pragma once

#include <string>

#include "dmp/records.hpp"
#include "output/marked_text.hpp"

namespace dmp::output {

// Nodes are paired by node_id, then (a renamed node) by an http_endpoint or
// a dns_endpoint that exactly one old and one new node have. Entries are
// paired by (priority, domain), then by (domain, operator key), then by a
// domain that exactly one old and one new entry have: a changed priority or
// key is one "~ entry" with its field lines, never a removal plus an
// addition. Domains are paired case-insensitively, as the codec makes
// (priority, domain) unique. Each line starts with `indent`; empty when the
// records are equal.
MarkedText diff_records(const Record& before, const Record& after, const std::string& indent);

}  // namespace dmp::output
