#include "dmp/records.hpp"

namespace dmp {

std::string_view record_type_name(RecordType type) noexcept {
  switch (type) {
    case RecordType::cluster:
      return "cluster";
    case RecordType::bootstrap:
      return "bootstrap";
    case RecordType::rotation:
      return "rotation";
    case RecordType::revocation:
      return "revocation";
  }
  return "unknown";
}

RecordType type_of(const Record& record) noexcept {
  return std::holds_alternative<ClusterManifest>(record) ? RecordType::cluster
                                                         : RecordType::bootstrap;
}

std::string rrset_name(const ClusterManifest& manifest) {
  return "cluster." + manifest.cluster_name;
}
std::string rrset_name(const BootstrapRecord& record) {
  return "_dmp." + record.user_domain;
}
std::string rrset_name(const Record& record) {
  return std::visit([](const auto& r) { return rrset_name(r); }, record);
}

const std::string& signed_name(const Record& record) noexcept {
  if (const auto* m = std::get_if<ClusterManifest>(&record)) return m->cluster_name;
  return std::get<BootstrapRecord>(record).user_domain;
}
std::uint64_t seq_of(const Record& record) noexcept {
  return std::visit([](const auto& r) { return r.seq; }, record);
}
std::uint64_t exp_of(const Record& record) noexcept {
  return std::visit([](const auto& r) { return r.exp; }, record);
}
const PublicKey& signing_key_of(const Record& record) noexcept {
  if (const auto* m = std::get_if<ClusterManifest>(&record)) return m->operator_spk;
  return std::get<BootstrapRecord>(record).signer_spk;
}

}  // namespace dmp
