#include "input/unsigned_record.hpp"

#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "common/time_text.hpp"
#include "dmp/encoding.hpp"
#include "dmp/verify.hpp"
#include "dmp/zone.hpp"
#include "input/strict_json.hpp"
#include "output/terminal_text.hpp"

namespace dmp::input {
namespace {

Status check_terminal_safe(std::string_view text, const std::string& field) {
  const auto unsafe = output::first_unsafe_character(text);
  if (!unsafe) return ok();
  return fail(Reason::invalid_field, field,
              "contains " + output::describe_unsafe(*unsafe) + " at byte " +
                  std::to_string(unsafe->offset) +
                  "; refused when signing, so that what the review shows is what is signed");
}

using json = nlohmann::json;

Failure invalid(const std::string& path, const std::string& rule) {
  return fail(Reason::invalid_field, path, rule);
}

std::string type_name(const json& value) {
  return value.type_name();
}

// Checks that `object` has only `allowed` members and all of `required`.
Status check_members(const json& object, const std::string& path,
                     const std::set<std::string>& allowed, const std::set<std::string>& required) {
  if (!object.is_object()) return invalid(path, "must be an object, not " + type_name(object));
  for (const auto& [key, value] : object.items()) {
    if (!allowed.contains(key)) {
      std::string known;
      for (const auto& a : allowed)
        known += (known.empty() ? "" : ", ") + a;
      return invalid(path.empty() ? key : path + "." + key,
                     "unknown field (allowed here: " + known + ")");
    }
  }
  for (const auto& key : required) {
    if (!object.contains(key)) return invalid(path.empty() ? key : path + "." + key, "is required");
  }
  return ok();
}

std::string member_path(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

Result<std::string> get_string(const json& object, const std::string& path,
                               const std::string& key) {
  const json& value = object.at(key);
  if (!value.is_string()) {
    return invalid(member_path(path, key), "must be a string, not " + type_name(value));
  }
  std::string text = value.get<std::string>();
  if (auto safe = check_terminal_safe(text, member_path(path, key)); !safe) return safe.error();
  return text;
}

Result<std::uint64_t> get_uint(const json& value, const std::string& path, std::uint64_t max) {
  const std::string range = "must be a whole number within 0.." + std::to_string(max);
  if (value.is_number_unsigned()) {
    const std::uint64_t v = value.get<std::uint64_t>();
    if (v > max) return invalid(path, range);
    return v;
  }
  if (value.is_number()) return invalid(path, range);  // negative, fractional or too large
  return invalid(path, "must be an integer, not " + type_name(value));
}

Result<PublicKey> get_key(const json& object, const std::string& path, const std::string& key) {
  auto text = get_string(object, path, key);
  if (!text) return text.error();
  return encoding::public_key_from_hex(*text, member_path(path, key));
}

Result<SeqSpec> get_seq(const json& object) {
  const json& value = object.at("seq");
  if (value.is_string()) {
    // A decimal string too: JSON readers that use doubles (jq, JavaScript)
    // round integers above 2^53, so the tools write u64 values as strings
    // (docs/json.md) and draft's output must read back.
    const std::string text = value.get<std::string>();
    if (text == "auto") return SeqSpec{true, 0};
    const bool canonical = !text.empty() && (text == "0" || text[0] != '0');
    auto v = cli::parse_decimal_u64(text, "seq");
    if (!v || !canonical) {
      return invalid("seq",
                     "must be an integer 0..2^64-1, the same as a decimal string, or \"auto\"");
    }
    return SeqSpec{false, *v};
  }
  auto v = get_uint(value, "seq", std::numeric_limits<std::uint64_t>::max());
  if (!v) return v.error();
  return SeqSpec{false, *v};
}

Result<ExpirySpec> get_expiry(const json& object) {
  const bool has_exp = object.contains("exp");
  const bool has_in = object.contains("expires_in");
  if (has_exp == has_in) {
    return invalid("exp", has_exp ? "give exp or expires_in, not both"
                                  : "is required (or expires_in, e.g. \"365d\")");
  }
  if (has_in) {
    auto text = get_string(object, "", "expires_in");
    if (!text) return text.error();
    auto seconds = parse_duration(*text, "expires_in");
    if (!seconds) return seconds.error();
    return ExpirySpec{true, *seconds};
  }
  const json& value = object.at("exp");
  if (value.is_string()) {
    auto instant = cli::parse_time_text(value.get<std::string>(), "exp");
    if (!instant)
      return invalid(
          "exp", "must be unix seconds or an RFC 3339 time (" + instant.error().message() + ")");
    return ExpirySpec{false, *instant};
  }
  auto v = get_uint(value, "exp", std::numeric_limits<std::uint64_t>::max());
  if (!v) return v.error();
  return ExpirySpec{false, *v};
}

Result<std::vector<ClusterNode>> get_nodes(const json& object) {
  const json& nodes = object.at("nodes");
  if (!nodes.is_array()) return invalid("nodes", "must be an array, not " + type_name(nodes));
  std::vector<ClusterNode> out;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const std::string path = "nodes[" + std::to_string(i) + "]";
    const json& node = nodes[i];
    if (auto s = check_members(node, path, {"node_id", "http_endpoint", "dns_endpoint"},
                               {"node_id", "http_endpoint"});
        !s) {
      return s.error();
    }
    ClusterNode parsed;
    auto id = get_string(node, path, "node_id");
    if (!id) return id.error();
    parsed.node_id = std::move(*id);
    auto http = get_string(node, path, "http_endpoint");
    if (!http) return http.error();
    parsed.http_endpoint = std::move(*http);
    if (node.contains("dns_endpoint") && !node.at("dns_endpoint").is_null()) {
      auto dns = get_string(node, path, "dns_endpoint");
      if (!dns && !node.at("dns_endpoint").is_string()) {
        return invalid(path + ".dns_endpoint", "must be a string or null");
      }
      if (!dns) return dns.error();
      parsed.dns_endpoint = std::move(*dns);
    }
    out.push_back(std::move(parsed));
  }
  return out;
}

Result<std::vector<BootstrapEntry>> get_entries(const json& object) {
  const json& entries = object.at("entries");
  if (!entries.is_array()) return invalid("entries", "must be an array, not " + type_name(entries));
  std::vector<BootstrapEntry> out;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string path = "entries[" + std::to_string(i) + "]";
    const json& entry = entries[i];
    if (auto s = check_members(entry, path, {"priority", "cluster_base_domain", "operator_spk_hex"},
                               {"priority", "cluster_base_domain", "operator_spk_hex"});
        !s) {
      return s.error();
    }
    BootstrapEntry parsed;
    auto priority = get_uint(entry.at("priority"), path + ".priority", 65535);
    if (!priority) return priority.error();
    parsed.priority = static_cast<std::uint16_t>(*priority);
    auto base = get_string(entry, path, "cluster_base_domain");
    if (!base) return base.error();
    parsed.cluster_base_domain = std::move(*base);
    auto key = get_key(entry, path, "operator_spk_hex");
    if (!key) return key.error();
    // Signer policy: clients pin this key for the cluster, and a low-order
    // key can never verify its manifest, so the cluster would be unreachable.
    if (is_rejected_public_key(*key)) {
      return invalid(path + ".operator_spk_hex",
                     "is a low-order point on the blocklist (spec 1.2.1); clients pinning it "
                     "could never verify the cluster's manifest");
    }
    parsed.operator_spk = *key;
    out.push_back(std::move(parsed));
  }
  return out;
}

}  // namespace

Result<std::uint64_t> parse_duration(std::string_view text, std::string_view field) {
  const std::string f(field);
  if (text.size() < 2) return invalid(f, "must be a number and a unit, e.g. \"365d\" or \"12h\"");
  // Lower case only: "365D" is more likely a typo than a unit.
  const char last = text.back();
  const std::uint64_t unit = last >= 'a' && last <= 'z' ? time_unit_seconds(last) : 0;
  if (unit == 0) return invalid(f, "unit must be one of s, m, h, d, w (e.g. \"365d\")");
  auto number = cli::parse_decimal_u64(text.substr(0, text.size() - 1), field);
  if (!number || *number == 0) return invalid(f, "must be a positive whole number and a unit");
  if (*number > std::numeric_limits<std::uint64_t>::max() / unit) return invalid(f, "is too large");
  return *number * unit;
}

Status check_terminal_safe_fields(const Record& record) {
  if (const auto* m = std::get_if<ClusterManifest>(&record)) {
    if (auto s = check_terminal_safe(m->cluster_name, "cluster_name"); !s) return s;
    for (std::size_t i = 0; i < m->nodes.size(); ++i) {
      const std::string path = "nodes[" + std::to_string(i) + "].";
      const ClusterNode& node = m->nodes[i];
      if (auto s = check_terminal_safe(node.node_id, path + "node_id"); !s) return s;
      if (auto s = check_terminal_safe(node.http_endpoint, path + "http_endpoint"); !s) return s;
      if (node.dns_endpoint) {
        if (auto s = check_terminal_safe(*node.dns_endpoint, path + "dns_endpoint"); !s) return s;
      }
    }
    return ok();
  }
  const auto& b = std::get<BootstrapRecord>(record);
  if (auto s = check_terminal_safe(b.user_domain, "user_domain"); !s) return s;
  for (std::size_t i = 0; i < b.entries.size(); ++i) {
    const std::string field = "entries[" + std::to_string(i) + "].cluster_base_domain";
    if (auto s = check_terminal_safe(b.entries[i].cluster_base_domain, field); !s) return s;
  }
  return ok();
}

Result<UnsignedRecord> parse_unsigned_record(std::string_view json_text) {
  if (json_text.size() > kMaxInputLen) return invalid("json", "input larger than 64 KiB");
  auto parsed = parse_json_strictly(json_text);
  if (!parsed) return parsed.error();
  const json& root = *parsed;
  if (!root.is_object()) return invalid("json", "top level must be an object");
  if (!root.contains("type")) return invalid("type", "is required (\"cluster\" or \"bootstrap\")");
  auto type = get_string(root, "", "type");
  if (!type) return type.error();

  UnsignedRecord out;
  if (*type == "cluster") {
    if (auto s = check_members(root, "",
                               {"type", "cluster_name", "nodes", "operator_spk_hex", "seq", "exp",
                                "expires_in", "previous"},
                               {"cluster_name", "nodes", "seq"});
        !s) {
      return s.error();
    }
    ClusterManifest manifest;
    auto name = get_string(root, "", "cluster_name");
    if (!name) return name.error();
    manifest.cluster_name = std::move(*name);
    auto nodes = get_nodes(root);
    if (!nodes) return nodes.error();
    manifest.nodes = std::move(*nodes);
    if (root.contains("operator_spk_hex")) {
      auto key = get_key(root, "", "operator_spk_hex");
      if (!key) return key.error();
      manifest.operator_spk = *key;
      out.signing_key_given = true;
    }
    out.record = std::move(manifest);
  } else if (*type == "bootstrap") {
    if (auto s = check_members(root, "",
                               {"type", "user_domain", "entries", "signer_spk_hex", "seq", "exp",
                                "expires_in", "previous"},
                               {"user_domain", "entries", "seq"});
        !s) {
      return s.error();
    }
    BootstrapRecord record;
    auto domain = get_string(root, "", "user_domain");
    if (!domain) return domain.error();
    record.user_domain = std::move(*domain);
    auto entries = get_entries(root);
    if (!entries) return entries.error();
    record.entries = std::move(*entries);
    if (root.contains("signer_spk_hex")) {
      auto key = get_key(root, "", "signer_spk_hex");
      if (!key) return key.error();
      record.signer_spk = *key;
      out.signing_key_given = true;
    }
    out.record = std::move(record);
  } else {
    return invalid("type", "must be \"cluster\" or \"bootstrap\"");
  }
  auto seq = get_seq(root);
  if (!seq) return seq.error();
  out.seq = *seq;
  auto expiry = get_expiry(root);
  if (!expiry) return expiry.error();
  out.expiry = *expiry;
  if (root.contains("previous")) {
    // Read as a published record later (sign's --previous rules); here only
    // its type, and that it could be a record at all.
    auto previous = get_string(root, "", "previous");
    if (!previous) return previous.error();
    if (previous->empty() || previous->size() > kMaxWireLen) {
      return invalid("previous",
                     "must be the published wire, 1 to " + std::to_string(kMaxWireLen) + " bytes");
    }
    out.previous = std::move(*previous);
  }
  return out;
}

Result<Record> resolve(const UnsignedRecord& input, const PublicKey& signing_key,
                       std::uint64_t auto_seq, std::uint64_t now) {
  Record record = input.record;
  const std::uint64_t seq = input.seq.automatic ? auto_seq : input.seq.value;
  std::uint64_t exp = input.expiry.value;
  if (input.expiry.relative) {
    if (exp > std::numeric_limits<std::uint64_t>::max() - now) {
      return invalid("expires_in", "now + expires_in overflows 64 bits");
    }
    exp += now;
  }
  const std::string key_field =
      type_of(record) == RecordType::cluster ? "operator_spk_hex" : "signer_spk_hex";
  return std::visit(
      [&](auto& r) -> Result<Record> {
        PublicKey& key = [&]() -> PublicKey& {
          if constexpr (std::is_same_v<std::decay_t<decltype(r)>, ClusterManifest>) {
            return r.operator_spk;
          } else {
            return r.signer_spk;
          }
        }();
        if (input.signing_key_given && key != signing_key) {
          return fail(Reason::key_mismatch, key_field,
                      encoding::hex_encode(key) + " is not the signing key's public key " +
                          encoding::hex_encode(signing_key));
        }
        key = signing_key;
        r.seq = seq;
        r.exp = exp;
        return Record(r);
      },
      record);
}

}  // namespace dmp::input
