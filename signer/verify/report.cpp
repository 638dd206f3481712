#include "verify/report.hpp"

#include <nlohmann/json.hpp>
#include <variant>

#include "common/time_text.hpp"
#include "dmp/encoding.hpp"
#include "output/record_json.hpp"
#include "output/terminal_text.hpp"

namespace dmp::cli {
namespace {

using Json = output::OrderedJson;  // keep the documented key order

std::string one_line(std::string_view text) {
  return output::terminal_safe(text);
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
  if (verdict.record) {
    output::append_fields(out, output::record_fields(*verdict.record));
  } else if (verdict.key_record) {
    std::visit([&](const auto& r) { output::append_fields(out, output::record_fields(r)); },
               *verdict.key_record);
  } else {
    output::append_fields(out, output::null_record_fields());
  }
  // replace: file names and messages may carry bytes that are not UTF-8.
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace dmp::cli
