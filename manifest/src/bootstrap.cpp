// BootstrapRecord body codec (§3.1-§3.3).
#include <algorithm>
#include <set>
#include <utility>

#include "dmp/codec.hpp"
#include "field_rules.hpp"

namespace dmp {
namespace {

using namespace detail;

constexpr std::string_view kMagic = "DMPBS01";

// Entries are unique by (priority, case-folded base domain); the domain is
// already ASCII once it passed §1.5.
using EntryKey = std::pair<std::uint16_t, std::string>;
EntryKey key_of(const BootstrapEntry& entry) {
  return {entry.priority, ascii_lower(entry.cluster_base_domain)};
}

void sort_by_priority(std::vector<BootstrapEntry>& entries) {
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) { return a.priority < b.priority; });
}

std::string duplicate_rule(const BootstrapEntry& entry) {
  return "duplicate entry (priority " + std::to_string(entry.priority) + ", '" +
         entry.cluster_base_domain + "'): (priority, domain) pairs must be unique";
}

}  // namespace

Result<Bytes> encode_body(const BootstrapRecord& record) {
  auto domain = normalize_name_for_signing(record.user_domain, "user_domain");
  if (!domain) return domain.error();
  if (record.entries.empty()) {
    return invalid("entries", "must list at least one entry (publish no record for 'no cluster')");
  }
  if (record.entries.size() > kMaxEntries) {
    return invalid("entries",
                   "at most 16 entries (has " + std::to_string(record.entries.size()) + ")");
  }
  std::vector<BootstrapEntry> entries;
  std::set<EntryKey> seen;
  for (std::size_t i = 0; i < record.entries.size(); ++i) {
    BootstrapEntry entry = record.entries[i];
    const std::string field = indexed("entries", i, "cluster_base_domain");
    auto base = normalize_name_for_signing(entry.cluster_base_domain, field);
    if (!base) return base.error();
    entry.cluster_base_domain = std::move(*base);
    if (!seen.insert(key_of(entry)).second) return invalid(field, duplicate_rule(entry));
    entries.push_back(std::move(entry));
  }
  sort_by_priority(entries);  // stable: ties keep the caller's order (§3.3)

  Bytes body;
  put_bytes(body, kMagic);
  encoding::write_be(body, record.seq, 8);
  encoding::write_be(body, record.exp, 8);
  put_bytes(body, record.signer_spk);
  encoding::write_be(body, domain->size(), 1);
  put_bytes(body, *domain);
  encoding::write_be(body, entries.size(), 1);
  for (const BootstrapEntry& entry : entries) {
    encoding::write_be(body, entry.priority, 2);
    encoding::write_be(body, entry.cluster_base_domain.size(), 1);
    put_bytes(body, entry.cluster_base_domain);
    put_bytes(body, entry.operator_spk);
  }
  return body;
}

Result<BootstrapRecord> decode_bootstrap_body(std::span<const std::uint8_t> body) {
  if (body.size() < kHeaderLen) {
    return malformed("body",
                     "shorter than the 56-byte header (" + std::to_string(body.size()) + " bytes)");
  }
  encoding::ByteReader reader(body);
  if (to_string(reader.read_bytes(kMagicLen)) != kMagic) {
    return malformed("magic", "must be 'DMPBS01'");
  }
  BootstrapRecord record;
  record.seq = reader.read_uint(8);
  record.exp = reader.read_uint(8);
  const auto spk = reader.read_bytes(kPublicKeyLen);
  std::copy(spk.begin(), spk.end(), record.signer_spk.begin());
  auto domain = read_name_field(reader, reader.read_uint(1), "user_domain");
  if (!domain) return domain.error();
  record.user_domain = std::move(*domain);

  if (!reader.has(1)) return malformed("entry_count", "truncated");
  const std::size_t entry_count = reader.read_uint(1);
  if (entry_count == 0 || entry_count > kMaxEntries) {
    return malformed("entry_count", "must be 1..16 (is " + std::to_string(entry_count) + ")");
  }
  std::set<EntryKey> seen;
  for (std::size_t i = 0; i < entry_count; ++i) {
    BootstrapEntry entry;
    const std::string field = indexed("entries", i, "cluster_base_domain");
    if (!reader.has(3)) return malformed(indexed("entries", i, "priority"), "truncated");
    entry.priority = static_cast<std::uint16_t>(reader.read_uint(2));
    auto base = read_name_field(reader, reader.read_uint(1), field);
    if (!base) return base.error();
    entry.cluster_base_domain = std::move(*base);
    if (!reader.has(kPublicKeyLen)) {
      return malformed(indexed("entries", i, "operator_spk"), "truncated");
    }
    const auto entry_spk = reader.read_bytes(kPublicKeyLen);
    std::copy(entry_spk.begin(), entry_spk.end(), entry.operator_spk.begin());
    if (!seen.insert(key_of(entry)).second) return malformed(field, duplicate_rule(entry));
    record.entries.push_back(std::move(entry));
  }
  if (reader.remaining() != 0) {
    return malformed("body",
                     std::to_string(reader.remaining()) + " trailing bytes after the last entry");
  }
  sort_by_priority(record.entries);  // wire order is signed; memory order is by priority
  return record;
}

}  // namespace dmp
