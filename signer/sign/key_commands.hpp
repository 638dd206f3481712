// dmp-sign keygen / pubkey / passwd / import.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "dmp/result.hpp"

namespace dmp::cli {

// Registers the key-lifecycle subcommands on `app`. Each sets `run` to its
// action when selected; main() calls it and maps the Status to an exit code.
void add_key_commands(CLI::App& app, std::function<Status()>& run);

}  // namespace dmp::cli
