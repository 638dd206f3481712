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
// JSON (one object per line, keys in this order; seq/exp are JSON integers):
//   {"file","verdict","reason","message"}, reason/message null when valid or
//   expiring; for valid/expiring also "type","rrset","name","seq","exp",
//   "signing_key" (hex) and "nodes" [{node_id, http_endpoint, dns_endpoint
//   (null when absent)}] or "entries" [{priority, cluster_base_domain,
//   operator_spk}]. Bytes that are not UTF-8 are replaced with U+FFFD.
//   A rotation/revocation (DRAFT) has instead "type", "draft": true, "rrset"
//   (null for a user identity), "subject_type", "subject", then "seq", "ts",
//   "exp", "old_spk", "new_spk" (rotation) or "revoked_spk", "reason_code",
//   "reason_name", "ts" (revocation).
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
