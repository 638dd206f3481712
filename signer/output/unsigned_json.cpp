#include "output/unsigned_json.hpp"

#include <nlohmann/json.hpp>

#include "dmp/encoding.hpp"

namespace dmp::output {
namespace {

using json = nlohmann::ordered_json;

// u64 values as decimal strings, as in every JSON the tools write (jq and
// JavaScript round integers above 2^53); sign reads them back.
json seq_json(const input::SeqSpec& seq) {
  return seq.automatic ? json("auto") : json(std::to_string(seq.value));
}

}  // namespace

std::string duration_text(std::uint64_t seconds) {
  struct Unit {
    std::uint64_t seconds;
    char letter;
  };
  for (const Unit unit : {Unit{86400, 'd'}, Unit{3600, 'h'}, Unit{60, 'm'}}) {
    if (seconds != 0 && seconds % unit.seconds == 0) {
      return std::to_string(seconds / unit.seconds) + unit.letter;
    }
  }
  return std::to_string(seconds) + "s";
}

std::string unsigned_record_json(const UnsignedJson& draft) {
  json out;
  if (const auto* m = std::get_if<ClusterManifest>(&draft.record)) {
    out["type"] = "cluster";
    out["cluster_name"] = m->cluster_name;
    if (draft.signing_key) out["operator_spk_hex"] = encoding::hex_encode(*draft.signing_key);
    json nodes = json::array();
    for (const ClusterNode& node : m->nodes) {
      json n;
      n["node_id"] = node.node_id;
      n["http_endpoint"] = node.http_endpoint;
      if (node.dns_endpoint) n["dns_endpoint"] = *node.dns_endpoint;
      nodes.push_back(std::move(n));
    }
    out["nodes"] = std::move(nodes);
  } else {
    const auto& b = std::get<BootstrapRecord>(draft.record);
    out["type"] = "bootstrap";
    out["user_domain"] = b.user_domain;
    if (draft.signing_key) out["signer_spk_hex"] = encoding::hex_encode(*draft.signing_key);
    json entries = json::array();
    for (const BootstrapEntry& entry : b.entries) {
      json e;
      e["priority"] = entry.priority;
      e["cluster_base_domain"] = entry.cluster_base_domain;
      e["operator_spk_hex"] = encoding::hex_encode(entry.operator_spk);
      entries.push_back(std::move(e));
    }
    out["entries"] = std::move(entries);
  }
  out["seq"] = seq_json(draft.seq);
  if (draft.expiry.relative) {
    out["expires_in"] = duration_text(draft.expiry.value);
  } else {
    out["exp"] = std::to_string(draft.expiry.value);
  }
  if (draft.previous) out["previous"] = *draft.previous;
  return out.dump(2) + "\n";
}

}  // namespace dmp::output
