// dmp-sign rotate ... and dmp-sign revoke: rotation and revocation records
// (spec §4, DRAFT format). See rotate_commands.cpp and docs/rotation.md.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "dmp/result.hpp"

namespace dmp::cli {

void add_rotate_commands(CLI::App& app, std::function<Status()>& run);

}  // namespace dmp::cli
