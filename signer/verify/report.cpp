#include "verify/report.hpp"

#include <nlohmann/json.hpp>
#include <variant>

#include "common/time_text.hpp"
#include "dmp/encoding.hpp"
#include "output/terminal_text.hpp"

namespace dmp::cli {
namespace {

using Json = nlohmann::ordered_json;  // keep the documented key order

std::string one_line(std::string_view text) {
  return output::terminal_safe(text);
}

Json items_of(const ClusterManifest& manifest) {
  Json nodes = Json::array();
  for (const ClusterNode& node : manifest.nodes) {
    nodes.push_back({{"node_id", node.node_id},
                     {"http_endpoint", node.http_endpoint},
                     {"dns_endpoint", node.dns_endpoint ? Json(*node.dns_endpoint) : Json()}});
  }
  return nodes;
}

Json items_of(const BootstrapRecord& record) {
  Json entries = Json::array();
  for (const BootstrapEntry& entry : record.entries) {
    entries.push_back({{"priority", entry.priority},
                       {"cluster_base_domain", entry.cluster_base_domain},
                       {"operator_spk_hex", encoding::hex_encode(entry.operator_spk)}});
  }
  return entries;
}

// u64 values are JSON strings: jq and JavaScript round integers above 2^53.
Json u64(std::uint64_t value) {
  return std::to_string(value);
}

// The DRAFT records (spec §4): the fields a release script needs to decide
// whether to re-pin, all named.
std::string plain_key_record(const KeyRecord& key_record, std::uint64_t now) {
  if (const auto* r = std::get_if<RotationRecord>(&key_record)) {
    return "rotation " + one_line(rotation_rrset_name(r->subject_type, r->subject).value_or("-")) +
           " subject=" + one_line(r->subject) + " (" +
           std::string(subject_type_name(r->subject_type)) + ") seq=" + std::to_string(r->seq) +
           " exp=" + format_rfc3339_utc(r->exp) + " (in " + describe_duration(r->exp - now) +
           ") old=" + encoding::hex_encode(r->old_spk) +
           " new=" + encoding::hex_encode(r->new_spk) + " [draft format]";
  }
  const auto& r = std::get<RevocationRecord>(key_record);
  return "revocation " + one_line(rotation_rrset_name(r.subject_type, r.subject).value_or("-")) +
         " subject=" + one_line(r.subject) + " (" + std::string(subject_type_name(r.subject_type)) +
         ") reason=" + std::string(revocation_reason_name(r.reason)) +
         " ts=" + format_rfc3339_utc(r.ts) + " revoked=" + encoding::hex_encode(r.revoked_spk) +
         " [draft format]";
}

void json_key_record(Json& out, const KeyRecord& key_record) {
  std::visit(
      [&](const auto& r) {
        const auto rrset = rotation_rrset_name(r.subject_type, r.subject);
        out["type"] =
            std::holds_alternative<RotationRecord>(key_record) ? "rotation" : "revocation";
        out["draft"] = true;
        out["rrset"] = rrset ? Json(*rrset) : Json();
        out["name"] = r.subject;
        out["subject_type"] = std::string(subject_type_name(r.subject_type));
        out["ts"] = u64(r.ts);
      },
      key_record);
  if (const auto* r = std::get_if<RotationRecord>(&key_record)) {
    out["seq"] = u64(r->seq);
    out["exp"] = u64(r->exp);
    out["signing_key_hex"] = encoding::hex_encode(r->old_spk);
    out["old_spk_hex"] = encoding::hex_encode(r->old_spk);
    out["new_spk_hex"] = encoding::hex_encode(r->new_spk);
    return;
  }
  const auto& r = std::get<RevocationRecord>(key_record);
  out["signing_key_hex"] = encoding::hex_encode(r.revoked_spk);
  out["revoked_spk_hex"] = encoding::hex_encode(r.revoked_spk);
  out["revocation_reason"] = std::string(revocation_reason_name(r.reason));
  out["revocation_reason_code"] = static_cast<int>(r.reason);
}

}  // namespace

std::string plain_line(std::string_view file, const FileVerdict& verdict, std::uint64_t now) {
  std::string line = one_line(file) + ": " + std::string(verdict_name(verdict.verdict));
  if (verdict.key_record) return line + " " + plain_key_record(*verdict.key_record, now);
  if (!verdict.record) return line + " " + verdict.reason + ": " + one_line(verdict.message);
  const Record& record = *verdict.record;
  const std::uint64_t exp = exp_of(record);
  return line + " " + std::string(record_type_name(type_of(record))) + " " +
         one_line(rrset_name(record)) + " seq=" + std::to_string(seq_of(record)) +
         " exp=" + format_rfc3339_utc(exp) + " (in " + describe_duration(exp - now) + ")";
}

std::string json_line(std::string_view file, const FileVerdict& verdict) {
  // Every line has every key, in this order; null where a key does not
  // apply (docs/json.md, docs/schema/dmp-verify.schema.json).
  Json out;
  out["file"] = std::string(file);
  out["verdict"] = std::string(verdict_name(verdict.verdict));
  const bool verified = verdict.record || verdict.key_record;
  out["reason"] = verified ? Json() : Json(verdict.reason);
  out["message"] = verified ? Json() : Json(verdict.message);
  for (const char* key : {"type", "draft", "rrset", "name", "seq", "exp", "ts", "signing_key_hex",
                          "nodes", "entries", "subject_type", "old_spk_hex", "new_spk_hex",
                          "revoked_spk_hex", "revocation_reason", "revocation_reason_code"}) {
    out[key] = Json();
  }
  if (verdict.key_record) json_key_record(out, *verdict.key_record);
  if (verdict.record) {
    const Record& record = *verdict.record;
    out["type"] = std::string(record_type_name(type_of(record)));
    out["draft"] = false;
    out["rrset"] = rrset_name(record);
    out["name"] = signed_name(record);
    out["seq"] = u64(seq_of(record));
    out["exp"] = u64(exp_of(record));
    out["signing_key_hex"] = encoding::hex_encode(signing_key_of(record));
    std::visit(
        [&](const auto& r) {
          out[std::holds_alternative<ClusterManifest>(record) ? "nodes" : "entries"] = items_of(r);
        },
        record);
  }
  // replace: file names and messages may carry bytes that are not UTF-8.
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace dmp::cli
