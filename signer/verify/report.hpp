// dmp-verify's per-file output lines: the plain one-line form and the
// one-JSON-object-per-line form. Formatting only; the caller writes them.
//
// Plain (stdout, one line per file; control bytes in the file name become '?'
// so one file is always one line):
//   FILE: valid cluster cluster.mesh.example.com seq=1 exp=2035-01-01T00:00:00Z (in 123 days)
//   FILE: expiring bootstrap _dmp.example.com seq=7 exp=... (in 3 days)
//   FILE: invalid bad_signature: signature: does not verify under the pinned key
// (an `error` verdict formats the same way as `invalid`; dmp-verify sends
// I/O errors to stderr instead, see verify_command.hpp)
//
// JSON (one object per line, the same 20 keys on every line, in this order,
// null where a key does not apply; docs/json.md and its JSON Schema,
// docs/schema/dmp-verify.schema.json): "file", "verdict" (valid, expiring,
// invalid, error), "reason" and "message" (null unless invalid or error),
// "type" (cluster, bootstrap, rotation, revocation), "draft", "rrset",
// "name", "seq", "exp", "ts" (u64 values as decimal strings),
// "signing_key_hex", "nodes" [{node_id, http_endpoint, dns_endpoint}],
// "entries" [{priority, cluster_base_domain, operator_spk_hex}],
// "subject_type", "old_spk_hex", "new_spk_hex", "revoked_spk_hex",
// "revocation_reason", "revocation_reason_code". Bytes that are not UTF-8
// are replaced with U+FFFD.
// Plain, for those: FILE: valid rotation rotate.cluster.<base> subject=...
//   (cluster-operator) seq=7 exp=... (in N days) old=HEX new=HEX [draft format]
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "verify/file_check.hpp"

namespace dmp::cli {

// Both return the line without its trailing newline.
std::string plain_line(std::string_view file, const FileVerdict& verdict, std::uint64_t now);
std::string json_line(std::string_view file, const FileVerdict& verdict);

}  // namespace dmp::cli
