// `dmp-sign draft`: the online half of a rollout. Reads the published record
// (the one reader: a wire, zone text, dig or dig +short output), verifies it
// under the pinned key, applies the edits, and writes the unsigned JSON that
// `sign` takes on the laptop, with the published wire embedded as
// "previous" so the laptop verifies it, takes its seq as the floor and shows
// the same change summary draft prints. Needs no key and no ledger.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "dmp/result.hpp"

namespace dmp::cli {

void add_draft_command(CLI::App& app, std::function<Status()>& run);

}  // namespace dmp::cli
