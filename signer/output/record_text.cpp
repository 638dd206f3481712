#include "output/record_text.hpp"

#include "common/time_text.hpp"
#include "dmp/encoding.hpp"
#include "output/key_text.hpp"

namespace dmp::output {
namespace {

std::string when(std::uint64_t exp, std::uint64_t now) {
  std::string text = cli::format_rfc3339_utc(exp);
  if (exp >= now) return text + " (in " + cli::describe_duration(exp - now) + ")";
  return text + " (EXPIRED " + cli::describe_duration(now - exp) + " ago)";
}

}  // namespace

// Every field a record carries is added on its own: a newline inside a
// field must never start a line of its own in the review.
MarkedLine node_line(const ClusterNode& node) {
  MarkedLine line;
  line.add(node.node_id).add("  ").add(node.http_endpoint);
  if (node.dns_endpoint) {
    line.add("  dns ").add(*node.dns_endpoint);
  } else {
    line.add("  (no dns_endpoint)");
  }
  return line;
}

MarkedLine entry_line(const BootstrapEntry& entry) {
  MarkedLine line("priority " + std::to_string(entry.priority) + "  ");
  line.add(entry.cluster_base_domain).add("  operator " + key_text(entry.operator_spk));
  return line;
}

MarkedText describe_record(const Record& record, std::uint64_t now, const std::string& indent) {
  MarkedText out;
  out.line(indent + std::string(record_type_name(type_of(record))) + " ").add(rrset_name(record));
  out.line(indent + "seq " + std::to_string(seq_of(record)) + ", expires " +
           when(exp_of(record), now));
  out.line(indent + "signing key " + key_text(signing_key_of(record)));
  if (const auto* m = std::get_if<ClusterManifest>(&record)) {
    out.line(indent + std::to_string(m->nodes.size()) + " node(s):");
    for (const auto& n : m->nodes)
      out.line(indent + "  ").add(node_line(n));
  } else {
    const auto& entries = std::get<BootstrapRecord>(record).entries;
    out.line(indent + std::to_string(entries.size()) + " entr" +
             (entries.size() == 1 ? "y:" : "ies:"));
    for (const auto& e : entries)
      out.line(indent + "  ").add(entry_line(e));
  }
  return out;
}

}  // namespace dmp::output
