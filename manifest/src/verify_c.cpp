// The C ABI (include/dmp/verify.h) over the C++ verifier. Nothing throws
// across it: allocation failures become DMP_INTERNAL.
#include "dmp/verify.h"

#include <sodium.h>

#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string>

#include "dmp/encoding.hpp"
#include "dmp/verify.hpp"

#ifndef DMP_VERSION_STRING
#define DMP_VERSION_STRING "0.0.0"
#endif

// One verified record of any type. The cluster/bootstrap accessors predate
// the key-lifecycle records, so `kind` tells which member is meaningful.
struct dmp_record {
  dmp_record_type kind = DMP_RECORD_CLUSTER;
  dmp::Record record;  // cluster, bootstrap
  dmp::RotationRecord rotation;
  dmp::RevocationRecord revocation;
  std::string rrset;
};

namespace {

void write_message(char* errbuf, std::size_t errbuf_len, const std::string& message) {
  if (errbuf == nullptr || errbuf_len == 0) return;
  const std::size_t n = std::min(message.size(), errbuf_len - 1);
  std::memcpy(errbuf, message.data(), n);
  errbuf[n] = '\0';
}

dmp_bytes_view view_of(const std::string& text) {
  return {text.data(), text.size()};
}

// Shared body of dmp_verify_rotation / dmp_verify_revocation.
int verify_key_record(dmp_record_type kind, const char* wire, size_t wire_len,
                      const dmp_key_record_options* options, dmp_record** out_record, char* errbuf,
                      size_t errbuf_len) {
  if (out_record != nullptr) *out_record = nullptr;
  if ((wire == nullptr && wire_len != 0) ||
      (options != nullptr &&
       (options->struct_size < sizeof(dmp_key_record_options) ||
        (options->expected_key == nullptr && options->expected_key_len != 0)))) {
    write_message(errbuf, errbuf_len, "invalid argument: NULL pointer or unknown struct_size");
    return DMP_INVALID_ARGUMENT;
  }
  try {
    if (sodium_init() < 0) {
      write_message(errbuf, errbuf_len, "libsodium failed to initialise");
      return DMP_INTERNAL;
    }
    std::optional<std::uint64_t> now;
    std::optional<dmp::Bytes> expected_key;
    std::optional<std::string> expected_subject;
    if (options != nullptr) {
      if (options->has_now) now = options->now;
      if (options->expected_key != nullptr) {
        expected_key =
            dmp::Bytes(options->expected_key, options->expected_key + options->expected_key_len);
      }
      if (options->expected_subject != nullptr) expected_subject = options->expected_subject;
    }
    const bool strict = options != nullptr && options->strict != 0;
    const std::string_view text(wire == nullptr ? "" : wire, wire_len);
    auto record = std::make_unique<dmp_record>();
    record->kind = kind;
    dmp::Error error;
    bool verified = false;
    if (kind == DMP_RECORD_ROTATION) {
      auto result = dmp::verify_rotation(text, {now, expected_key, expected_subject, strict});
      if ((verified = result.has_value())) {
        record->rotation = std::move(*result);
        record->rrset =
            dmp::rotation_rrset_name(record->rotation.subject_type, record->rotation.subject)
                .value_or("");
      } else {
        error = result.error();
      }
    } else {
      std::optional<std::uint64_t> max_age;
      if (options != nullptr && options->has_max_age) max_age = options->max_age_seconds;
      auto result =
          dmp::verify_revocation(text, {now, expected_key, expected_subject, max_age, strict});
      if ((verified = result.has_value())) {
        record->revocation = std::move(*result);
        record->rrset =
            dmp::rotation_rrset_name(record->revocation.subject_type, record->revocation.subject)
                .value_or("");
      } else {
        error = result.error();
      }
    }
    if (!verified) {
      write_message(errbuf, errbuf_len, error.message());
      return static_cast<int>(error.reason);
    }
    write_message(errbuf, errbuf_len, "");
    if (out_record != nullptr) *out_record = record.release();
    return DMP_OK;
  } catch (const std::bad_alloc&) {
    write_message(errbuf, errbuf_len, "out of memory");
    return DMP_INTERNAL;
  } catch (...) {
    write_message(errbuf, errbuf_len, "internal error");
    return DMP_INTERNAL;
  }
}

}  // namespace

extern "C" {

int dmp_init(void) {
  return sodium_init() < 0 ? DMP_INTERNAL : DMP_OK;
}

const char* dmp_version(void) {
  return DMP_VERSION_STRING;
}

const char* dmp_reason_name(int reason) {
  if (reason == DMP_INVALID_ARGUMENT) return "invalid_argument";
  if (reason == DMP_INTERNAL) return "internal";
  const bool verifier_reason = reason >= DMP_OK && reason <= DMP_INVALID_FIELD;
  const bool key_record_reason =
      reason == DMP_REVOCATION_STALE || reason == DMP_TIMESTAMP_IN_FUTURE;
  if (!verifier_reason && !key_record_reason) return "unknown";
  return dmp::reason_name(static_cast<dmp::Reason>(reason));
}

void dmp_verify_options_init(dmp_verify_options* options) {
  if (options == nullptr) return;
  std::memset(options, 0, sizeof *options);
  options->struct_size = sizeof *options;
}

int dmp_parse_key_hex(const char* hex, uint8_t out_key[32], char* errbuf, size_t errbuf_len) {
  if (hex == nullptr || out_key == nullptr) {
    write_message(errbuf, errbuf_len, "invalid argument: NULL pointer");
    return DMP_INVALID_ARGUMENT;
  }
  try {
    std::memset(out_key, 0, 32);
    auto key = dmp::encoding::public_key_from_hex(hex, "key");
    if (!key) {
      write_message(errbuf, errbuf_len, key.error().message());
      return DMP_BAD_KEY;
    }
    if (dmp::is_rejected_public_key(*key)) {
      write_message(errbuf, errbuf_len, "key: a low-order point, which no verifier accepts");
      return DMP_BAD_KEY;
    }
    std::memcpy(out_key, key->data(), key->size());
    write_message(errbuf, errbuf_len, "");
    return DMP_OK;
  } catch (...) {
    write_message(errbuf, errbuf_len, "out of memory");
    return DMP_INTERNAL;
  }
}

int dmp_verify(const char* wire, size_t wire_len, const uint8_t* pinned_key, size_t key_len,
               const dmp_verify_options* options, dmp_record** out_record, char* errbuf,
               size_t errbuf_len) {
  if (out_record != nullptr) *out_record = nullptr;
  if ((wire == nullptr && wire_len != 0) || (pinned_key == nullptr && key_len != 0) ||
      (options != nullptr && options->struct_size < sizeof(dmp_verify_options))) {
    write_message(errbuf, errbuf_len, "invalid argument: NULL pointer or unknown struct_size");
    return DMP_INVALID_ARGUMENT;
  }
  try {
    if (dmp_init() != DMP_OK) {
      write_message(errbuf, errbuf_len, "libsodium failed to initialise");
      return DMP_INTERNAL;
    }
    dmp::VerifyOptions cpp_options;
    if (options != nullptr) {
      if (options->has_now) cpp_options.now = options->now;
      if (options->expected_name != nullptr) cpp_options.expected_name = options->expected_name;
      cpp_options.strict = options->strict != 0;
    }
    auto result = dmp::verify(std::string_view(wire == nullptr ? "" : wire, wire_len),
                              std::span<const std::uint8_t>(pinned_key, key_len), cpp_options);
    if (!result) {
      write_message(errbuf, errbuf_len, result.error().message());
      return static_cast<int>(result.error().reason);
    }
    write_message(errbuf, errbuf_len, "");
    if (out_record != nullptr) {
      auto* record = new dmp_record;
      record->kind = dmp::type_of(*result) == dmp::RecordType::cluster ? DMP_RECORD_CLUSTER
                                                                       : DMP_RECORD_BOOTSTRAP;
      record->record = std::move(*result);
      record->rrset = dmp::rrset_name(record->record);
      *out_record = record;
    }
    return DMP_OK;
  } catch (const std::bad_alloc&) {
    write_message(errbuf, errbuf_len, "out of memory");
    return DMP_INTERNAL;
  } catch (...) {
    write_message(errbuf, errbuf_len, "internal error");
    return DMP_INTERNAL;
  }
}

void dmp_record_free(dmp_record* record) {
  delete record;
}

dmp_record_type dmp_record_get_type(const dmp_record* record) {
  return record->kind;
}
uint64_t dmp_record_seq(const dmp_record* record) {
  if (record->kind == DMP_RECORD_ROTATION) return record->rotation.seq;
  if (record->kind == DMP_RECORD_REVOCATION) return 0;
  return dmp::seq_of(record->record);
}
uint64_t dmp_record_exp(const dmp_record* record) {
  if (record->kind == DMP_RECORD_ROTATION) return record->rotation.exp;
  if (record->kind == DMP_RECORD_REVOCATION) return 0;  // a revocation never expires
  return dmp::exp_of(record->record);
}
const char* dmp_record_name(const dmp_record* record) {
  if (record->kind == DMP_RECORD_ROTATION) return record->rotation.subject.c_str();
  if (record->kind == DMP_RECORD_REVOCATION) return record->revocation.subject.c_str();
  return dmp::signed_name(record->record).c_str();
}
const char* dmp_record_rrset_name(const dmp_record* record) {
  return record->rrset.c_str();
}
const uint8_t* dmp_record_signing_key(const dmp_record* record) {
  if (record->kind == DMP_RECORD_ROTATION) return record->rotation.old_spk.data();
  if (record->kind == DMP_RECORD_REVOCATION) return record->revocation.revoked_spk.data();
  return dmp::signing_key_of(record->record).data();
}

size_t dmp_record_item_count(const dmp_record* record) {
  if (record->kind == DMP_RECORD_ROTATION || record->kind == DMP_RECORD_REVOCATION) return 0;
  if (const auto* m = std::get_if<dmp::ClusterManifest>(&record->record)) return m->nodes.size();
  return std::get<dmp::BootstrapRecord>(record->record).entries.size();
}

int dmp_record_cluster_node(const dmp_record* record, size_t index, dmp_cluster_node_view* out) {
  const auto* m = record == nullptr || record->kind != DMP_RECORD_CLUSTER
                      ? nullptr
                      : std::get_if<dmp::ClusterManifest>(&record->record);
  if (m == nullptr || out == nullptr || index >= m->nodes.size()) return DMP_INVALID_ARGUMENT;
  const dmp::ClusterNode& node = m->nodes[index];
  out->node_id = view_of(node.node_id);
  out->http_endpoint = view_of(node.http_endpoint);
  out->has_dns_endpoint = node.dns_endpoint.has_value() ? 1 : 0;
  out->dns_endpoint = node.dns_endpoint ? view_of(*node.dns_endpoint) : dmp_bytes_view{"", 0};
  return DMP_OK;
}

int dmp_record_bootstrap_entry(const dmp_record* record, size_t index,
                               dmp_bootstrap_entry_view* out) {
  const auto* r = record == nullptr || record->kind != DMP_RECORD_BOOTSTRAP
                      ? nullptr
                      : std::get_if<dmp::BootstrapRecord>(&record->record);
  if (r == nullptr || out == nullptr || index >= r->entries.size()) return DMP_INVALID_ARGUMENT;
  const dmp::BootstrapEntry& entry = r->entries[index];
  out->priority = entry.priority;
  out->cluster_base_domain = entry.cluster_base_domain.c_str();
  out->operator_spk = entry.operator_spk.data();
  return DMP_OK;
}

void dmp_key_record_options_init(dmp_key_record_options* options) {
  if (options == nullptr) return;
  std::memset(options, 0, sizeof *options);
  options->struct_size = sizeof *options;
}

int dmp_verify_rotation(const char* wire, size_t wire_len, const dmp_key_record_options* options,
                        dmp_record** out_record, char* errbuf, size_t errbuf_len) {
  return verify_key_record(DMP_RECORD_ROTATION, wire, wire_len, options, out_record, errbuf,
                           errbuf_len);
}

int dmp_verify_revocation(const char* wire, size_t wire_len, const dmp_key_record_options* options,
                          dmp_record** out_record, char* errbuf, size_t errbuf_len) {
  return verify_key_record(DMP_RECORD_REVOCATION, wire, wire_len, options, out_record, errbuf,
                           errbuf_len);
}

int dmp_record_rotation(const dmp_record* record, dmp_rotation_view* out) {
  if (record == nullptr || out == nullptr || record->kind != DMP_RECORD_ROTATION) {
    return DMP_INVALID_ARGUMENT;
  }
  const dmp::RotationRecord& r = record->rotation;
  out->subject_type = static_cast<uint8_t>(r.subject_type);
  out->subject = view_of(r.subject);
  out->old_spk = r.old_spk.data();
  out->new_spk = r.new_spk.data();
  out->seq = r.seq;
  out->ts = r.ts;
  out->exp = r.exp;
  return DMP_OK;
}

int dmp_record_revocation(const dmp_record* record, dmp_revocation_view* out) {
  if (record == nullptr || out == nullptr || record->kind != DMP_RECORD_REVOCATION) {
    return DMP_INVALID_ARGUMENT;
  }
  const dmp::RevocationRecord& r = record->revocation;
  out->subject_type = static_cast<uint8_t>(r.subject_type);
  out->subject = view_of(r.subject);
  out->revoked_spk = r.revoked_spk.data();
  out->reason_code = static_cast<uint8_t>(r.reason);
  out->ts = r.ts;
  return DMP_OK;
}

}  // extern "C"
