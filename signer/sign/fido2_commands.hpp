// dmp-sign fido2 ...: keys guarded by FIDO2 tokens (YubiKeys): list tokens,
// create or convert a key, add and remove backup tokens, show enrolments.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "dmp/result.hpp"

namespace dmp::cli {

void add_fido2_commands(CLI::App& app, std::function<Status()>& run);

}  // namespace dmp::cli
