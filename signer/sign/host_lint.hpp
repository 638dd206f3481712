// A warning for a host name that is a typo away from another: the review
// shows `n3.mesh.example.corn`, a tired eye reads `.com`. Only a warning:
// nothing is refused, as a near name can be meant.
//
// The rule. Host names are the hosts of the http_endpoints and
// dns_endpoints and the bootstrap cluster_base_domains, lower-cased without
// a trailing dot; IP addresses and one-label names are left out (numbered
// addresses 10.0.0.12, 10.0.0.13 are the normal case, and the review marks
// a changed address character by character anyway). A name is compared by
// its zone, the name without its first label: the first label names one
// host among its siblings, and siblings differ there by design (n1/n2,
// mesh/mesh2 under example.com), so a difference confined to it never
// warns. Two zones warn when they differ by 1 edit, or 2 once the shorter is
// 10 characters or more (insertion, deletion, substitution, or a swap of
// two neighbours, counted as one: `exmaple`); zones under 6 characters are
// too short to tell a typo from a name. Only names that are new or changed
// (not in the previous record) are checked, against every other name of the
// record and of the previous record; one warning per pair.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dmp/records.hpp"

namespace dmp::cli {

// "host n3.mesh.example.corn is 2 edits from n3.mesh.example.com (in the
// previous record)", or, when the first labels differ, "host
// n4.mesh.example.corn is in mesh.example.corn, 2 edits from
// mesh.example.com (of n1.mesh.example.com, already in the record)". Raw
// text: the review escapes it.
std::vector<std::string> near_miss_hosts(const Record& record,
                                         const std::optional<Record>& previous);

// The host of an http_endpoint ("https://user@h:8053/p" -> "h") or a
// dns_endpoint ("h:53" -> "h"), lower-cased, one trailing dot dropped;
// nullopt for an IP address or a name without a dot.
std::optional<std::string> host_name_of(std::string_view endpoint);

}  // namespace dmp::cli
