// ClusterManifest body codec (§2.1, §2.2).
#include <algorithm>
#include <set>

#include "dmp/codec.hpp"
#include "field_rules.hpp"

namespace dmp {
namespace {

using namespace detail;

constexpr std::string_view kMagic = "DMPCL01";
constexpr TextRule kNodeIdRule{kMaxNodeIdLen, false, true};
constexpr TextRule kHttpRule{kMaxHttpEndpointLen, false, false};
constexpr TextRule kDnsRule{kMaxDnsEndpointLen, false, false};  // when present

}  // namespace

Result<Bytes> encode_body(const ClusterManifest& manifest) {
  auto name = normalize_name_for_signing(manifest.cluster_name, "cluster_name");
  if (!name) return name.error();
  if (manifest.nodes.empty()) return invalid("nodes", "must list at least one node");
  if (manifest.nodes.size() > kMaxNodes) {
    return invalid("nodes", "at most 32 nodes (has " + std::to_string(manifest.nodes.size()) +
                                "); shard the cluster across manifests");
  }
  std::set<std::string> seen_ids;
  for (std::size_t i = 0; i < manifest.nodes.size(); ++i) {
    const ClusterNode& node = manifest.nodes[i];
    if (auto s = check_text_for_signing(node.node_id, kNodeIdRule, indexed("nodes", i, "node_id"));
        !s) {
      return s.error();
    }
    if (auto s = check_text_for_signing(node.http_endpoint, kHttpRule,
                                        indexed("nodes", i, "http_endpoint"));
        !s) {
      return s.error();
    }
    if (node.dns_endpoint) {
      if (auto s = check_text_for_signing(*node.dns_endpoint, kDnsRule,
                                          indexed("nodes", i, "dns_endpoint"));
          !s) {
        return s.error();
      }
    }
    if (!seen_ids.insert(node.node_id).second) {
      return invalid(indexed("nodes", i, "node_id"),
                     "duplicate node_id '" + node.node_id + "' (must be unique, case-sensitive)");
    }
  }

  Bytes body;
  put_bytes(body, kMagic);
  encoding::write_be(body, manifest.seq, 8);
  encoding::write_be(body, manifest.exp, 8);
  put_bytes(body, manifest.operator_spk);
  encoding::write_be(body, name->size(), 1);
  put_bytes(body, *name);
  encoding::write_be(body, manifest.nodes.size(), 1);
  for (const ClusterNode& node : manifest.nodes) {  // caller's order: no sorting
    encoding::write_be(body, node.node_id.size(), 1);
    put_bytes(body, node.node_id);
    encoding::write_be(body, node.http_endpoint.size(), 2);
    put_bytes(body, node.http_endpoint);
    const std::string& dns = node.dns_endpoint ? *node.dns_endpoint : std::string();
    encoding::write_be(body, dns.size(), 2);  // 0 means absent
    put_bytes(body, dns);
  }
  return body;
}

Result<ClusterManifest> decode_cluster_body(std::span<const std::uint8_t> body) {
  if (body.size() < kHeaderLen) {
    return malformed("body",
                     "shorter than the 56-byte header (" + std::to_string(body.size()) + " bytes)");
  }
  encoding::ByteReader reader(body);
  if (to_string(reader.read_bytes(kMagicLen)) != kMagic) {
    return malformed("magic", "must be 'DMPCL01'");
  }
  ClusterManifest manifest;
  manifest.seq = reader.read_uint(8);
  manifest.exp = reader.read_uint(8);
  const auto spk = reader.read_bytes(kPublicKeyLen);
  std::copy(spk.begin(), spk.end(), manifest.operator_spk.begin());
  const std::size_t name_len = reader.read_uint(1);
  auto name = read_name_field(reader, name_len, "cluster_name");
  if (!name) return name.error();
  manifest.cluster_name = std::move(*name);

  if (!reader.has(1)) return malformed("node_count", "truncated");
  const std::size_t node_count = reader.read_uint(1);
  if (node_count > kMaxNodes) {
    return malformed("node_count", "at most 32 (is " + std::to_string(node_count) + ")");
  }
  std::set<std::string> seen_ids;
  for (std::size_t i = 0; i < node_count; ++i) {
    ClusterNode node;
    const std::string id_field = indexed("nodes", i, "node_id");
    if (!reader.has(1)) return malformed(id_field, "truncated");
    auto id = read_text_field(reader, reader.read_uint(1), kNodeIdRule, id_field);
    if (!id) return id.error();
    node.node_id = std::move(*id);

    const std::string http_field = indexed("nodes", i, "http_endpoint");
    if (!reader.has(2)) return malformed(http_field, "truncated");
    auto http = read_text_field(reader, reader.read_uint(2), kHttpRule, http_field);
    if (!http) return http.error();
    node.http_endpoint = std::move(*http);

    const std::string dns_field = indexed("nodes", i, "dns_endpoint");
    if (!reader.has(2)) return malformed(dns_field, "truncated");
    const std::size_t dns_len = reader.read_uint(2);
    if (dns_len > 0) {  // 0 means absent
      auto dns = read_text_field(reader, dns_len, kDnsRule, dns_field);
      if (!dns) return dns.error();
      node.dns_endpoint = std::move(*dns);
    }
    if (!seen_ids.insert(node.node_id).second) {
      return malformed(id_field, "duplicate node_id (must be unique, case-sensitive)");
    }
    manifest.nodes.push_back(std::move(node));
  }
  if (reader.remaining() != 0) {
    return malformed("body",
                     std::to_string(reader.remaining()) + " trailing bytes after the last node");
  }
  return manifest;
}

}  // namespace dmp
