// The edits of `dmp-sign draft`: the next record is the published one with
// nodes or entries added, removed or changed. Pure: a record and the edit
// texts in, the edited record out. Every edit must apply exactly as stated
// (a node to remove that is not there is an error, not a no-op), so a typo
// never yields a draft that silently differs from what the operator meant.
// The field rules (lengths, names, uniqueness) are the codec's, applied by
// the caller to the result, as sign applies them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dmp/records.hpp"
#include "dmp/result.hpp"

namespace dmp::input {

struct DraftEdits {
  // ClusterManifest
  std::vector<std::string> add_nodes;     // ID=URL[,dns=HOST:PORT]
  std::vector<std::string> remove_nodes;  // ID
  std::vector<std::string> set_nodes;     // ID=URL[,dns=HOST:PORT]
  // BootstrapRecord
  std::vector<std::string> add_entries;     // PRIORITY:DOMAIN:KEYHEX
  std::vector<std::string> remove_entries;  // DOMAIN or PRIORITY:DOMAIN
  std::vector<std::string> set_priorities;  // DOMAIN=P or PRIORITY:DOMAIN=P

  bool empty() const noexcept;
};

// "n1=https://n1.example:8053,dns=203.0.113.1:53": the node id up to the
// first '=', the http_endpoint up to the last ",dns=", the dns_endpoint
// after it. `option` names the flag in errors.
Result<ClusterNode> parse_node_spec(std::string_view text, std::string_view option);

// "10:mesh.example.com:<64 hex>".
Result<BootstrapEntry> parse_entry_spec(std::string_view text, std::string_view option);

// Applies removals, then changes, then additions (in the order given within
// each), whatever order the flags came in. A node keeps its place when set;
// added nodes and entries go at the end (entries are signed sorted by
// priority anyway). Edits of the other record type are refused.
Result<Record> apply_edits(const Record& record, const DraftEdits& edits);

}  // namespace dmp::input
