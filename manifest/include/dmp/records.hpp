// The operator-signed DMP records, as plain values, and the protocol's
// constants (spec: ../shared/spec/dmp-operator-records.md, §1-§3).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dmp/api.hpp"
#include "dmp/expiry.hpp"  // kMaxExpAhead and the rest of the §1.6 window

DMP_API_BEGIN
namespace dmp {

using Bytes = std::vector<std::uint8_t>;
using PublicKey = std::array<std::uint8_t, 32>;
using Signature = std::array<std::uint8_t, 64>;

inline constexpr std::size_t kPublicKeyLen = 32;
inline constexpr std::size_t kSignatureLen = 64;
inline constexpr std::size_t kMagicLen = 7;
inline constexpr std::size_t kMaxWireLen = 1200;  // §1.1, prefix included
inline constexpr std::size_t kMaxNameLen = 64;    // §2.2/§3.2, without a trailing dot
inline constexpr std::size_t kMaxLabelLen = 63;   // §1.5
inline constexpr std::size_t kMaxNodeIdLen = 16;  // §2.2
inline constexpr std::size_t kMaxHttpEndpointLen = 128;
inline constexpr std::size_t kMaxDnsEndpointLen = 64;
inline constexpr std::size_t kMaxNodes = 32;
inline constexpr std::size_t kMaxEntries = 16;
// Fixed header shared by both record bodies: magic, seq, exp, key, name_len.
inline constexpr std::size_t kHeaderLen = kMagicLen + 8 + 8 + kPublicKeyLen + 1;

// The wire types this library reads (§1.1). rotation and revocation are the
// DRAFT key-lifecycle records of §4 (dmp/key_records.hpp); they are not part
// of `Record` below, which holds the records signed under one pinned key.
enum class RecordType { cluster, bootstrap, rotation, revocation };

struct ClusterNode {
  std::string node_id;                      // 1..16 ASCII bytes, unique (case-sensitive)
  std::string http_endpoint;                // 1..128 UTF-8 bytes, not a validated URL
  std::optional<std::string> dns_endpoint;  // absent, or 1..64 UTF-8 bytes

  bool operator==(const ClusterNode&) const = default;
};

struct ClusterManifest {
  std::string cluster_name;  // DNS name (§1.5); stored without a trailing dot
  PublicKey operator_spk{};  // must equal the signing key
  std::vector<ClusterNode> nodes;
  std::uint64_t seq = 0;
  std::uint64_t exp = 0;

  bool operator==(const ClusterManifest&) const = default;
};

struct BootstrapEntry {
  std::uint16_t priority = 0;       // lower is preferred
  std::string cluster_base_domain;  // DNS name (§1.5); stored without a trailing dot
  PublicKey operator_spk{};         // the cluster-operator key to pin for it

  bool operator==(const BootstrapEntry&) const = default;
};

struct BootstrapRecord {
  std::string user_domain;  // DNS name (§1.5); stored without a trailing dot
  PublicKey signer_spk{};   // must equal the signing key
  std::vector<BootstrapEntry> entries;
  std::uint64_t seq = 0;
  std::uint64_t exp = 0;

  bool operator==(const BootstrapRecord&) const = default;
};

using Record = std::variant<ClusterManifest, BootstrapRecord>;

// "cluster" / "bootstrap" / "rotation" / "revocation": the t= value of the
// prefix, used in CLI output and in the signer's ledger.
std::string_view record_type_name(RecordType type) noexcept;
RecordType type_of(const Record& record) noexcept;

// The DNS owner name the record is published under (§2, §3):
// "cluster.<cluster_name>" / "_dmp.<user_domain>", case preserved, no trailing dot.
std::string rrset_name(const ClusterManifest& manifest);
std::string rrset_name(const BootstrapRecord& record);
std::string rrset_name(const Record& record);

// The signed name (cluster_name / user_domain), the seq, exp and signing key,
// whatever the record type.
const std::string& signed_name(const Record& record) noexcept;
std::uint64_t seq_of(const Record& record) noexcept;
std::uint64_t exp_of(const Record& record) noexcept;
const PublicKey& signing_key_of(const Record& record) noexcept;

}  // namespace dmp
DMP_API_END
