#include "input/draft_edits.hpp"

#include <algorithm>

#include "common/time_text.hpp"
#include "dmp/encoding.hpp"
#include "dmp/names.hpp"
#include "dmp/verify.hpp"

namespace dmp::input {
namespace {

Failure invalid(std::string_view option, std::string_view text, const std::string& rule) {
  return fail(Reason::invalid_field, std::string(option) + " " + std::string(text), rule);
}

// Domains compare as DNS names: case-insensitively, one trailing dot ignored
// (the codec makes (priority, domain) unique the same way).
std::string domain_key(std::string_view name) {
  return ascii_lower(strip_one_dot(name));
}

Result<std::uint16_t> parse_priority(std::string_view text, std::string_view option,
                                     std::string_view whole) {
  if (text.size() > 1 && text.front() == '0') {
    return invalid(option, whole, "priority is written without leading zeros");
  }
  auto value = cli::parse_decimal_u64(text, option);
  if (!value || *value > 65535) {
    return invalid(option, whole, "priority must be a whole number 0..65535");
  }
  return static_cast<std::uint16_t>(*value);
}

// A DOMAIN or PRIORITY:DOMAIN selector for the entries of a record.
struct EntrySelector {
  std::optional<std::uint16_t> priority;
  std::string domain;
};

Result<EntrySelector> parse_selector(std::string_view text, std::string_view option,
                                     std::string_view whole) {
  EntrySelector selector;
  const auto colon = text.find(':');
  if (colon != std::string_view::npos) {
    auto priority = parse_priority(text.substr(0, colon), option, whole);
    if (!priority) return priority.error();
    selector.priority = *priority;
    text.remove_prefix(colon + 1);
  }
  if (text.empty()) return invalid(option, whole, "names no domain");
  selector.domain = domain_key(text);
  return selector;
}

// The index of the one entry `selector` picks; several (the same domain at
// two priorities) must be told apart with PRIORITY:DOMAIN.
Result<std::size_t> find_entry(const std::vector<BootstrapEntry>& entries,
                               const EntrySelector& selector, std::string_view option,
                               std::string_view whole) {
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (domain_key(entries[i].cluster_base_domain) != selector.domain) continue;
    if (selector.priority && entries[i].priority != *selector.priority) continue;
    found.push_back(i);
  }
  if (found.empty()) return invalid(option, whole, "no entry of the record has this domain");
  if (found.size() > 1) {
    std::string priorities;
    for (std::size_t i : found)
      priorities += (priorities.empty() ? "" : ", ") + std::to_string(entries[i].priority);
    return invalid(
        option, whole,
        "the domain has entries at priorities " + priorities + "; name one as PRIORITY:DOMAIN");
  }
  return found.front();
}

Result<std::size_t> find_node(const std::vector<ClusterNode>& nodes, std::string_view id,
                              std::string_view option, std::string_view whole) {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].node_id == id) return i;
  }
  return invalid(option, whole, "no node of the record has this node_id (ids are case-sensitive)");
}

Result<ClusterManifest> edit_cluster(ClusterManifest manifest, const DraftEdits& edits) {
  for (const std::string& id : edits.remove_nodes) {
    auto at = find_node(manifest.nodes, id, "--remove-node", id);
    if (!at) return at.error();
    manifest.nodes.erase(manifest.nodes.begin() + static_cast<std::ptrdiff_t>(*at));
  }
  std::vector<std::size_t> set;  // a node set twice: which one was meant?
  for (const std::string& text : edits.set_nodes) {
    auto node = parse_node_spec(text, "--set-node");
    if (!node) return node.error();
    auto at = find_node(manifest.nodes, node->node_id, "--set-node", text);
    if (!at) return at.error();
    if (std::find(set.begin(), set.end(), *at) != set.end()) {
      return invalid("--set-node", text, "sets node " + node->node_id + " a second time");
    }
    set.push_back(*at);
    manifest.nodes[*at] = std::move(*node);
  }
  for (const std::string& text : edits.add_nodes) {
    auto node = parse_node_spec(text, "--add-node");
    if (!node) return node.error();
    if (find_node(manifest.nodes, node->node_id, "", "")) {
      return invalid("--add-node", text,
                     "the record already has node " + node->node_id + " (--set-node changes it)");
    }
    manifest.nodes.push_back(std::move(*node));
  }
  return manifest;
}

Result<BootstrapRecord> edit_bootstrap(BootstrapRecord record, const DraftEdits& edits) {
  for (const std::string& text : edits.remove_entries) {
    auto selector = parse_selector(text, "--remove-entry", text);
    if (!selector) return selector.error();
    auto at = find_entry(record.entries, *selector, "--remove-entry", text);
    if (!at) return at.error();
    record.entries.erase(record.entries.begin() + static_cast<std::ptrdiff_t>(*at));
  }
  std::vector<std::size_t> set;  // an entry changed twice: which one was meant?
  for (const std::string& text : edits.set_priorities) {
    const auto equals = text.rfind('=');
    if (equals == std::string::npos) {
      return invalid("--set-priority", text, "must be DOMAIN=PRIORITY");
    }
    auto selector =
        parse_selector(std::string_view(text).substr(0, equals), "--set-priority", text);
    if (!selector) return selector.error();
    auto priority =
        parse_priority(std::string_view(text).substr(equals + 1), "--set-priority", text);
    if (!priority) return priority.error();
    auto at = find_entry(record.entries, *selector, "--set-priority", text);
    if (!at) return at.error();
    if (std::find(set.begin(), set.end(), *at) != set.end()) {
      return invalid("--set-priority", text, "sets this entry's priority a second time");
    }
    set.push_back(*at);
    record.entries[*at].priority = *priority;
  }
  for (const std::string& text : edits.add_entries) {
    auto entry = parse_entry_spec(text, "--add-entry");
    if (!entry) return entry.error();
    const EntrySelector same{entry->priority, domain_key(entry->cluster_base_domain)};
    if (find_entry(record.entries, same, "", "")) {
      return invalid("--add-entry", text,
                     "the record already has this domain at this priority (--set-priority or "
                     "--remove-entry first)");
    }
    record.entries.push_back(std::move(*entry));
  }
  return record;
}

}  // namespace

bool DraftEdits::empty() const noexcept {
  return add_nodes.empty() && remove_nodes.empty() && set_nodes.empty() && add_entries.empty() &&
         remove_entries.empty() && set_priorities.empty();
}

Result<ClusterNode> parse_node_spec(std::string_view text, std::string_view option) {
  const auto equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    return invalid(option, text, "must be ID=URL or ID=URL,dns=HOST:PORT");
  }
  ClusterNode node;
  node.node_id = std::string(text.substr(0, equals));
  std::string_view rest = text.substr(equals + 1);
  // The last ",dns=" splits: a URL may hold a comma, a host:port does not.
  constexpr std::string_view kDns = ",dns=";
  const auto dns = rest.rfind(kDns);
  if (dns != std::string_view::npos) {
    const std::string_view endpoint = rest.substr(dns + kDns.size());
    if (endpoint.empty()) {
      return invalid(option, text,
                     "dns= is empty; leave ,dns= out for a node without a dns_endpoint");
    }
    node.dns_endpoint = std::string(endpoint);
    rest = rest.substr(0, dns);
    if (rest.find(kDns) != std::string_view::npos) {
      return invalid(option, text, "has ,dns= twice; a node has one dns_endpoint");
    }
  }
  if (rest.empty()) return invalid(option, text, "the http_endpoint (after '=') is empty");
  node.http_endpoint = std::string(rest);
  return node;
}

Result<BootstrapEntry> parse_entry_spec(std::string_view text, std::string_view option) {
  const auto first = text.find(':');
  const auto last = text.rfind(':');
  if (first == std::string_view::npos || first == last) {
    return invalid(option, text, "must be PRIORITY:DOMAIN:KEYHEX");
  }
  BootstrapEntry entry;
  auto priority = parse_priority(text.substr(0, first), option, text);
  if (!priority) return priority.error();
  entry.priority = *priority;
  entry.cluster_base_domain = std::string(text.substr(first + 1, last - first - 1));
  if (entry.cluster_base_domain.empty()) return invalid(option, text, "the domain is empty");
  auto key = encoding::public_key_from_hex(text.substr(last + 1), "key");
  if (!key)
    return invalid(option, text, "the key must be 64 hex digits (" + key.error().rule + ")");
  if (is_rejected_public_key(*key)) {
    return invalid(option, text,
                   "the key is a low-order point on the blocklist (spec 1.2.1): clients pinning "
                   "it could never verify the cluster's manifest");
  }
  entry.operator_spk = *key;
  return entry;
}

Result<Record> apply_edits(const Record& record, const DraftEdits& edits) {
  const bool cluster_edits =
      !edits.add_nodes.empty() || !edits.remove_nodes.empty() || !edits.set_nodes.empty();
  const bool bootstrap_edits =
      !edits.add_entries.empty() || !edits.remove_entries.empty() || !edits.set_priorities.empty();
  if (const auto* manifest = std::get_if<ClusterManifest>(&record)) {
    if (bootstrap_edits) {
      return fail(Reason::usage, "",
                  "--add-entry, --remove-entry and --set-priority edit a BootstrapRecord; this is "
                  "a ClusterManifest (--add-node, --remove-node, --set-node)");
    }
    auto edited = edit_cluster(*manifest, edits);
    if (!edited) return edited.error();
    return Record(std::move(*edited));
  }
  if (cluster_edits) {
    return fail(Reason::usage, "",
                "--add-node, --remove-node and --set-node edit a ClusterManifest; this is a "
                "BootstrapRecord (--add-entry, --remove-entry, --set-priority)");
  }
  auto edited = edit_bootstrap(std::get<BootstrapRecord>(record), edits);
  if (!edited) return edited.error();
  return Record(std::move(*edited));
}

}  // namespace dmp::input
