// dmp-sign sign / renew / inspect / ledger {show,verify,export,import}.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "dmp/result.hpp"

namespace dmp::cli {

void add_sign_commands(CLI::App& app, std::function<Status()>& run);

}  // namespace dmp::cli
