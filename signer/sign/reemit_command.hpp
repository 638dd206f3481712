// dmp-sign ledger reemit: writes a signed output again from the state
// directory's archive (ledger/wire_archive.hpp), without signing a second
// time. The archived output is checked against its ledger entry (signing
// key, body) before it is written: the archive is a convenience, the ledger
// is the record.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "dmp/result.hpp"

namespace dmp::cli {

void add_reemit_command(CLI::App& ledger_group, std::function<Status()>& run);

}  // namespace dmp::cli
