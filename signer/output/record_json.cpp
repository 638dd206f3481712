#include "output/record_json.hpp"

#include <variant>

#include "dmp/encoding.hpp"
#include "dmp/names.hpp"

namespace dmp::output {
namespace {

constexpr const char* kRecordKeys[] = {"type",
                                       "draft",
                                       "rrset",
                                       "name",
                                       "seq",
                                       "exp",
                                       "ts",
                                       "signing_key_hex",
                                       "nodes",
                                       "entries",
                                       "subject_type",
                                       "old_spk_hex",
                                       "new_spk_hex",
                                       "revoked_spk_hex",
                                       "revocation_reason",
                                       "revocation_reason_code"};

OrderedJson items_of(const ClusterManifest& manifest) {
  OrderedJson nodes = OrderedJson::array();
  for (const ClusterNode& node : manifest.nodes) {
    nodes.push_back(
        {{"node_id", node.node_id},
         {"http_endpoint", node.http_endpoint},
         {"dns_endpoint", node.dns_endpoint ? OrderedJson(*node.dns_endpoint) : OrderedJson()}});
  }
  return nodes;
}

OrderedJson items_of(const BootstrapRecord& record) {
  OrderedJson entries = OrderedJson::array();
  for (const BootstrapEntry& entry : record.entries) {
    entries.push_back({{"priority", entry.priority},
                       {"cluster_base_domain", entry.cluster_base_domain},
                       {"operator_spk_hex", encoding::hex_encode(entry.operator_spk)}});
  }
  return entries;
}

template <typename KeyRecord>
OrderedJson subject_fields(const char* type, const KeyRecord& record) {
  OrderedJson out = null_record_fields();
  const auto rrset = rotation_rrset_name(record.subject_type, record.subject);
  out["type"] = type;
  out["draft"] = true;  // spec §4 marks the format DRAFT
  out["rrset"] = rrset ? OrderedJson(*rrset) : OrderedJson();
  out["name"] = record.subject;
  out["ts"] = u64_json(record.ts);
  out["subject_type"] = std::string(subject_type_name(record.subject_type));
  return out;
}

}  // namespace

OrderedJson u64_json(std::uint64_t value) {
  return std::to_string(value);
}

OrderedJson null_record_fields() {
  OrderedJson out = OrderedJson::object();
  for (const char* key : kRecordKeys)
    out[key] = nullptr;
  return out;
}

OrderedJson record_fields(const Record& record) {
  OrderedJson out = null_record_fields();
  out["type"] = std::string(record_type_name(type_of(record)));
  out["draft"] = false;
  out["rrset"] = rrset_name(record);
  out["name"] = signed_name(record);
  out["seq"] = u64_json(seq_of(record));
  out["exp"] = u64_json(exp_of(record));
  out["signing_key_hex"] = encoding::hex_encode(signing_key_of(record));
  std::visit(
      [&](const auto& r) {
        out[std::holds_alternative<ClusterManifest>(record) ? "nodes" : "entries"] = items_of(r);
      },
      record);
  return out;
}

OrderedJson record_fields(const RotationRecord& record) {
  OrderedJson out = subject_fields("rotation", record);
  out["seq"] = u64_json(record.seq);
  out["exp"] = u64_json(record.exp);
  out["signing_key_hex"] = encoding::hex_encode(record.old_spk);  // the key trusted today
  out["old_spk_hex"] = encoding::hex_encode(record.old_spk);
  out["new_spk_hex"] = encoding::hex_encode(record.new_spk);
  return out;
}

OrderedJson record_fields(const RevocationRecord& record) {
  OrderedJson out = subject_fields("revocation", record);
  out["signing_key_hex"] = encoding::hex_encode(record.revoked_spk);  // self-signed
  out["revoked_spk_hex"] = encoding::hex_encode(record.revoked_spk);
  out["revocation_reason"] = std::string(revocation_reason_name(record.reason));
  out["revocation_reason_code"] = static_cast<int>(record.reason);
  return out;
}

void append_fields(OrderedJson& out, const OrderedJson& fields) {
  for (const auto& [key, value] : fields.items())
    out[key] = value;
}

}  // namespace dmp::output
