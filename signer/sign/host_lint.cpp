#include "sign/host_lint.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "common/edit_distance.hpp"

namespace dmp::cli {
namespace {

constexpr std::size_t kShortestZone = 6;       // below: no warning
constexpr std::size_t kTwoEditsFromZone = 10;  // from here on: 2 edits warn, below only 1

struct Host {
  std::string name;
  bool in_record = false;
  bool in_previous = false;
};

std::string_view first_label(std::string_view name) {
  return name.substr(0, name.find('.'));
}

std::string_view zone_of(std::string_view name) {
  return name.substr(name.find('.') + 1);
}

void add_names(const Record& record, bool current, std::vector<Host>& hosts) {
  std::vector<std::string_view> endpoints;
  if (const auto* m = std::get_if<ClusterManifest>(&record)) {
    for (const ClusterNode& node : m->nodes) {
      endpoints.push_back(node.http_endpoint);
      if (node.dns_endpoint) endpoints.push_back(*node.dns_endpoint);
    }
  } else {
    for (const BootstrapEntry& entry : std::get<BootstrapRecord>(record).entries)
      endpoints.push_back(entry.cluster_base_domain);
  }
  for (const std::string_view endpoint : endpoints) {
    auto name = host_name_of(endpoint);
    if (!name) continue;
    auto it = std::find_if(hosts.begin(), hosts.end(),
                           [&](const Host& host) { return host.name == *name; });
    if (it == hosts.end()) it = hosts.insert(hosts.end(), Host{*name});
    (current ? it->in_record : it->in_previous) = true;
  }
}

// The edits between the zones of `a` and `b` when they count as a near
// miss, else nullopt.
std::optional<std::size_t> near_miss(std::string_view a, std::string_view b) {
  const std::string_view za = zone_of(a);
  const std::string_view zb = zone_of(b);
  const std::size_t shorter = std::min(za.size(), zb.size());
  if (za == zb || shorter < kShortestZone) return std::nullopt;
  const std::size_t limit = shorter >= kTwoEditsFromZone ? 2 : 1;
  const std::size_t distance = edit_distance(za, zb);
  if (distance > limit) return std::nullopt;
  return distance;
}

std::string warning_for(const Host& host, const Host& near, std::size_t distance) {
  const std::string edits = std::to_string(distance) + (distance == 1 ? " edit" : " edits");
  const std::string where = near.in_record ? "already in the record" : "in the previous record";
  if (first_label(host.name) == first_label(near.name)) {
    return "host " + host.name + " is " + edits + " from " + near.name + " (" + where + ")";
  }
  return "host " + host.name + " is in " + std::string(zone_of(host.name)) + ", " + edits +
         " from " + std::string(zone_of(near.name)) + " (of " + near.name + ", " + where + ")";
}

}  // namespace

std::optional<std::string> host_name_of(std::string_view endpoint) {
  if (const auto scheme = endpoint.find("://"); scheme != std::string_view::npos) {
    endpoint.remove_prefix(scheme + 3);
  }
  endpoint = endpoint.substr(0, endpoint.find_first_of("/?#"));
  if (const auto at = endpoint.rfind('@'); at != std::string_view::npos) {
    endpoint.remove_prefix(at + 1);
  }
  // An IPv6 literal, bracketed or bare.
  if (endpoint.empty() || endpoint.front() == '[' ||
      std::count(endpoint.begin(), endpoint.end(), ':') > 1) {
    return std::nullopt;
  }
  std::string name(endpoint.substr(0, endpoint.find(':')));
  if (!name.empty() && name.back() == '.') name.pop_back();
  for (char& c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (name.find('.') == std::string::npos) return std::nullopt;
  if (name.find_first_not_of("0123456789.") == std::string::npos) return std::nullopt;  // IPv4
  return name;
}

std::vector<std::string> near_miss_hosts(const Record& record,
                                         const std::optional<Record>& previous) {
  std::vector<Host> hosts;
  add_names(record, true, hosts);
  if (previous) add_names(*previous, false, hosts);
  std::vector<std::string> warnings;
  std::set<std::pair<std::string, std::string>> warned;
  for (const Host& host : hosts) {
    if (!host.in_record || host.in_previous) continue;  // not new
    // The closest: a name with the same first label (the same host, most
    // likely), then the fewest edits, then one in the record itself.
    const Host* best = nullptr;
    std::size_t best_distance = 0;
    const auto better = [&](const Host& near, std::size_t distance) {
      if (best == nullptr) return true;
      const bool same = first_label(near.name) == first_label(host.name);
      const bool best_same = first_label(best->name) == first_label(host.name);
      if (same != best_same) return same;
      if (distance != best_distance) return distance < best_distance;
      return near.in_record && !best->in_record;
    };
    for (const Host& near : hosts) {
      if (&near == &host) continue;
      const auto distance = near_miss(host.name, near.name);
      if (distance && better(near, *distance)) {
        best = &near;
        best_distance = *distance;
      }
    }
    if (best == nullptr) continue;
    if (!warned.insert(std::minmax(host.name, best->name)).second) continue;
    warnings.push_back(warning_for(host, *best, best_distance));
  }
  return warnings;
}

}  // namespace dmp::cli
