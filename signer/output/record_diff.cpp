#include "output/record_diff.hpp"

#include <functional>
#include <optional>
#include <vector>

#include "common/time_text.hpp"
#include "output/key_text.hpp"
#include "output/record_text.hpp"
#include "output/text_diff.hpp"

namespace dmp::output {
namespace {

// Wider than this, a field's new value goes on a line of its own: two keys
// with fingerprints on one line would wrap, and the marks with them.
constexpr std::size_t kOneLineWidth = 100;

// "name: old -> new", or the new value under the old one.
void field_lines(MarkedText& out, const std::string& indent, const std::string& name,
                 const MarkedChange& change) {
  MarkedLine one(indent + name + ": ");
  one.add(change.before).add(" -> ").add(change.after);
  if (one.width() <= kOneLineWidth) {
    out.add(std::move(one));
    return;
  }
  out.line(indent + name + ": ").add(change.before);
  out.line(indent + std::string(name.size() - 1, ' ') + "-> ").add(change.after);
}

void field_lines(MarkedText& out, const std::string& indent, const std::string& name,
                 const std::string& before, const std::string& after) {
  if (before != after) field_lines(out, indent, name, mark_change(before, after));
}

// An optional field: present on one side only, the whole value is the change.
void field_lines(MarkedText& out, const std::string& indent, const std::string& name,
                 const std::optional<std::string>& before,
                 const std::optional<std::string>& after) {
  if (before && after) return field_lines(out, indent, name, *before, *after);
  if (before.has_value() == after.has_value()) return;
  MarkedChange change;
  change.before.add(before.value_or("(none)"), before ? Mark::before : Mark::none);
  change.after.add(after.value_or("(none)"), after ? Mark::after : Mark::none);
  field_lines(out, indent, name, change);
}

void key_lines(MarkedText& out, const std::string& indent, const std::string& name,
               const PublicKey& before, const PublicKey& after) {
  if (before != after) field_lines(out, indent, name, mark_key_change(before, after));
}

// Which old item each new item continues, and the other way round.
struct Pairing {
  std::vector<std::optional<std::size_t>> of_before;  // index into `after`
  std::vector<std::optional<std::size_t>> of_after;   // index into `before`
};

template <typename T>
Pairing unpaired(const std::vector<T>& before, const std::vector<T>& after) {
  return {std::vector<std::optional<std::size_t>>(before.size()),
          std::vector<std::optional<std::size_t>>(after.size())};
}

// Pairs still unpaired items for which `same` holds: the first candidate, or
// with `unique` only an item that has exactly one candidate on either side.
template <typename T>
void pair_by(const std::vector<T>& before, const std::vector<T>& after, Pairing& pairing,
             const std::function<bool(const T&, const T&)>& same, bool unique) {
  const auto candidates_after = [&](std::size_t i) {
    std::vector<std::size_t> found;
    for (std::size_t j = 0; j < after.size(); ++j) {
      if (!pairing.of_after[j] && same(before[i], after[j])) found.push_back(j);
    }
    return found;
  };
  const auto candidates_before = [&](std::size_t j) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < before.size(); ++i) {
      if (!pairing.of_before[i] && same(before[i], after[j])) ++count;
    }
    return count;
  };
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (pairing.of_before[i]) continue;
    const auto found = candidates_after(i);
    if (found.empty() || (unique && (found.size() != 1 || candidates_before(found[0]) != 1)))
      continue;
    pairing.of_before[i] = found[0];
    pairing.of_after[found[0]] = i;
  }
}

// Whether the paired items keep their relative order.
bool order_kept(const Pairing& pairing) {
  std::optional<std::size_t> last;
  for (const auto& j : pairing.of_before) {
    if (!j) continue;
    if (last && *j < *last) return false;
    last = j;
  }
  return true;
}

std::string lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

void diff_nodes(const ClusterManifest& a, const ClusterManifest& b, const std::string& indent,
                MarkedText& out) {
  using Same = std::function<bool(const ClusterNode&, const ClusterNode&)>;
  Pairing pairing = unpaired(a.nodes, b.nodes);
  pair_by(a.nodes, b.nodes, pairing,
          Same([](const auto& x, const auto& y) { return x.node_id == y.node_id; }), false);
  pair_by(a.nodes, b.nodes, pairing,
          Same([](const auto& x, const auto& y) { return x.http_endpoint == y.http_endpoint; }),
          true);
  pair_by(a.nodes, b.nodes, pairing, Same([](const auto& x, const auto& y) {
            return x.dns_endpoint && x.dns_endpoint == y.dns_endpoint;
          }),
          true);
  for (std::size_t i = 0; i < a.nodes.size(); ++i) {
    if (!pairing.of_before[i]) out.line(indent + "- node ").add(node_line(a.nodes[i]));
  }
  const std::string fields = indent + "    ";
  for (std::size_t j = 0; j < b.nodes.size(); ++j) {
    const ClusterNode& node = b.nodes[j];
    if (!pairing.of_after[j]) {
      out.line(indent + "+ node ").add(node_line(node));
      continue;
    }
    const ClusterNode& old = a.nodes[*pairing.of_after[j]];
    if (old == node) continue;
    out.line(indent + "~ node ").add(old.node_id);
    field_lines(out, fields, "node_id", old.node_id, node.node_id);
    field_lines(out, fields, "http_endpoint", old.http_endpoint, node.http_endpoint);
    field_lines(out, fields, "dns_endpoint", old.dns_endpoint, node.dns_endpoint);
  }
  if (!order_kept(pairing)) out.line(indent + "~ node order changed (covered by the signature)");
}

void diff_entries(const BootstrapRecord& a, const BootstrapRecord& b, const std::string& indent,
                  MarkedText& out) {
  using Same = std::function<bool(const BootstrapEntry&, const BootstrapEntry&)>;
  const auto same_domain = [](const BootstrapEntry& x, const BootstrapEntry& y) {
    return lower(x.cluster_base_domain) == lower(y.cluster_base_domain);
  };
  Pairing pairing = unpaired(a.entries, b.entries);
  pair_by(a.entries, b.entries, pairing, Same([](const auto& x, const auto& y) { return x == y; }),
          false);
  pair_by(a.entries, b.entries, pairing, Same([&](const auto& x, const auto& y) {
            return x.priority == y.priority && same_domain(x, y);
          }),
          false);
  pair_by(a.entries, b.entries, pairing, Same([&](const auto& x, const auto& y) {
            return x.operator_spk == y.operator_spk && same_domain(x, y);
          }),
          false);
  pair_by(a.entries, b.entries, pairing, Same(same_domain), true);
  for (std::size_t i = 0; i < a.entries.size(); ++i) {
    if (!pairing.of_before[i]) out.line(indent + "- entry ").add(entry_line(a.entries[i]));
  }
  const std::string fields = indent + "    ";
  for (std::size_t j = 0; j < b.entries.size(); ++j) {
    const BootstrapEntry& entry = b.entries[j];
    if (!pairing.of_after[j]) {
      out.line(indent + "+ entry ").add(entry_line(entry));
      continue;
    }
    const BootstrapEntry& old = a.entries[*pairing.of_after[j]];
    if (old == entry) continue;
    out.line(indent + "~ entry priority " + std::to_string(old.priority) + "  ")
        .add(old.cluster_base_domain);
    field_lines(out, fields, "priority", std::to_string(old.priority),
                std::to_string(entry.priority));
    field_lines(out, fields, "cluster_base_domain", old.cluster_base_domain,
                entry.cluster_base_domain);
    key_lines(out, fields, "operator_spk_hex", old.operator_spk, entry.operator_spk);
  }
}

}  // namespace

MarkedText diff_records(const Record& before, const Record& after, const std::string& indent) {
  MarkedText out;
  field_lines(out, indent, "seq", std::to_string(seq_of(before)), std::to_string(seq_of(after)));
  field_lines(out, indent, "exp", cli::format_rfc3339_utc(exp_of(before)),
              cli::format_rfc3339_utc(exp_of(after)));
  key_lines(out, indent, "signing key", signing_key_of(before), signing_key_of(after));
  const auto* ma = std::get_if<ClusterManifest>(&before);
  const auto* mb = std::get_if<ClusterManifest>(&after);
  if (ma && mb) diff_nodes(*ma, *mb, indent, out);
  const auto* ba = std::get_if<BootstrapRecord>(&before);
  const auto* bb = std::get_if<BootstrapRecord>(&after);
  if (ba && bb) diff_entries(*ba, *bb, indent, out);
  return out;
}

}  // namespace dmp::output
