// Signed outputs kept in the state directory, one file per ledger entry:
//
//   <state dir>/wires/        0700
//   <state dir>/wires/<N>     the wire (or signed rotation request) entry N produced
//
// Written after the entry is durable and before the output is published, so
// an output that fails after signing (disk full, a closed standard output)
// is written again by `dmp-sign ledger reemit --entry N` without a second
// signature. Wires are public: the archive holds nothing secret, and what it
// holds is checked against the entry (key, body) again before any reemit.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dmp/result.hpp"

namespace dmp::ledger {

std::string archive_path(const std::string& state_dir, std::uint64_t entry_index);

Status archive_output(const std::string& state_dir, std::uint64_t entry_index,
                      std::string_view text);

// Reason::io_error when entry N left no archive (signed by an older dmp-sign,
// or the archive write itself failed).
Result<std::string> read_archived(const std::string& state_dir, std::uint64_t entry_index);

}  // namespace dmp::ledger
