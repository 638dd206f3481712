#include "output/record_text.hpp"

#include <map>

#include "common/time_text.hpp"
#include "dmp/encoding.hpp"
#include "output/terminal_text.hpp"

namespace dmp::output {
namespace {

std::string when(std::uint64_t exp, std::uint64_t now) {
  std::string text = cli::format_rfc3339_utc(exp);
  if (exp >= now) return text + " (in " + cli::describe_duration(exp - now) + ")";
  return text + " (EXPIRED " + cli::describe_duration(now - exp) + " ago)";
}

// Every field a record carries is escaped on its own: a newline inside a
// field must never start a line of its own in the review.
std::string node_text(const ClusterNode& node) {
  return terminal_safe(node.node_id) + "  " + terminal_safe(node.http_endpoint) +
         (node.dns_endpoint ? "  dns " + terminal_safe(*node.dns_endpoint)
                            : std::string("  (no dns_endpoint)"));
}

std::string entry_text(const BootstrapEntry& entry) {
  return "priority " + std::to_string(entry.priority) + "  " +
         terminal_safe(entry.cluster_base_domain) + "  operator " +
         encoding::hex_encode(entry.operator_spk);
}

void diff_nodes(const ClusterManifest& a, const ClusterManifest& b, std::vector<std::string>& out) {
  std::map<std::string, const ClusterNode*> before, after;
  for (const auto& n : a.nodes)
    before[n.node_id] = &n;
  for (const auto& n : b.nodes)
    after[n.node_id] = &n;
  for (const auto& [id, node] : before) {
    if (!after.contains(id)) out.push_back("- node " + node_text(*node));
  }
  for (const auto& [id, node] : after) {
    auto it = before.find(id);
    if (it == before.end()) {
      out.push_back("+ node " + node_text(*node));
    } else if (!(*it->second == *node)) {
      out.push_back("~ node " + node_text(*it->second));
      out.push_back("     -> " + node_text(*node));
    }
  }
  std::vector<std::string> order_a, order_b;
  for (const auto& n : a.nodes) {
    if (after.contains(n.node_id)) order_a.push_back(n.node_id);
  }
  for (const auto& n : b.nodes) {
    if (before.contains(n.node_id)) order_b.push_back(n.node_id);
  }
  if (order_a != order_b) out.push_back("~ node order changed (covered by the signature)");
}

void diff_entries(const BootstrapRecord& a, const BootstrapRecord& b,
                  std::vector<std::string>& out) {
  std::map<std::string, const BootstrapEntry*> before, after;
  const auto key = [](const BootstrapEntry& e) {
    return std::to_string(e.priority) + " " + e.cluster_base_domain;
  };
  for (const auto& e : a.entries)
    before[key(e)] = &e;
  for (const auto& e : b.entries)
    after[key(e)] = &e;
  for (const auto& [k, entry] : before) {
    if (!after.contains(k)) out.push_back("- entry " + entry_text(*entry));
  }
  for (const auto& [k, entry] : after) {
    auto it = before.find(k);
    if (it == before.end()) {
      out.push_back("+ entry " + entry_text(*entry));
    } else if (!(*it->second == *entry)) {
      out.push_back("~ entry " + entry_text(*it->second));
      out.push_back("      -> " + entry_text(*entry));
    }
  }
}

}  // namespace

nlohmann::json record_json(const Record& record) {
  nlohmann::json out{{"type", std::string(record_type_name(type_of(record)))},
                     {"rrset", rrset_name(record)},
                     {"name", signed_name(record)},
                     {"seq", seq_of(record)},
                     {"exp", exp_of(record)},
                     {"signing_key", encoding::hex_encode(signing_key_of(record))}};
  if (const auto* m = std::get_if<ClusterManifest>(&record)) {
    nlohmann::json nodes = nlohmann::json::array();
    for (const auto& n : m->nodes) {
      nodes.push_back({{"node_id", n.node_id},
                       {"http_endpoint", n.http_endpoint},
                       {"dns_endpoint", n.dns_endpoint ? nlohmann::json(*n.dns_endpoint)
                                                       : nlohmann::json(nullptr)}});
    }
    out["nodes"] = std::move(nodes);
  } else {
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& e : std::get<BootstrapRecord>(record).entries) {
      entries.push_back({{"priority", e.priority},
                         {"cluster_base_domain", e.cluster_base_domain},
                         {"operator_spk_hex", encoding::hex_encode(e.operator_spk)}});
    }
    out["entries"] = std::move(entries);
  }
  return out;
}

std::string describe_record(const Record& record, std::uint64_t now, const std::string& indent) {
  std::string out;
  const auto line = [&](const std::string& text) { out += indent + text + "\n"; };
  line(std::string(record_type_name(type_of(record))) + " " + terminal_safe(rrset_name(record)));
  line("seq " + std::to_string(seq_of(record)) + ", expires " + when(exp_of(record), now));
  line("signing key " + encoding::hex_encode(signing_key_of(record)));
  if (const auto* m = std::get_if<ClusterManifest>(&record)) {
    line(std::to_string(m->nodes.size()) + " node(s):");
    for (const auto& n : m->nodes)
      line("  " + node_text(n));
  } else {
    const auto& entries = std::get<BootstrapRecord>(record).entries;
    line(std::to_string(entries.size()) + " entr" + (entries.size() == 1 ? "y:" : "ies:"));
    for (const auto& e : entries)
      line("  " + entry_text(e));
  }
  return out;
}

std::vector<std::string> diff_records(const Record& before, const Record& after) {
  std::vector<std::string> out;
  if (seq_of(before) != seq_of(after)) {
    out.push_back("seq: " + std::to_string(seq_of(before)) + " -> " +
                  std::to_string(seq_of(after)));
  }
  if (exp_of(before) != exp_of(after)) {
    out.push_back("exp: " + cli::format_rfc3339_utc(exp_of(before)) + " -> " +
                  cli::format_rfc3339_utc(exp_of(after)));
  }
  if (signing_key_of(before) != signing_key_of(after)) {
    out.push_back("signing key: " + encoding::hex_encode(signing_key_of(before)) + " -> " +
                  encoding::hex_encode(signing_key_of(after)));
  }
  const auto* ma = std::get_if<ClusterManifest>(&before);
  const auto* mb = std::get_if<ClusterManifest>(&after);
  if (ma && mb) diff_nodes(*ma, *mb, out);
  const auto* ba = std::get_if<BootstrapRecord>(&before);
  const auto* bb = std::get_if<BootstrapRecord>(&after);
  if (ba && bb) diff_entries(*ba, *bb, out);
  return out;
}

}  // namespace dmp::output
