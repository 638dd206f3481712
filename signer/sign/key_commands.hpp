// dmp-sign keygen / pubkey / passwd / import.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "dmp/records.hpp"
#include "dmp/result.hpp"

namespace dmp::cli {

// Registers the key-lifecycle subcommands on `app`. Each sets `run` to its
// action when selected; main() calls it and maps the Status to an exit code.
void add_key_commands(CLI::App& app, std::function<Status()>& run);

// A public key on stdout as `format` says: "hex" (what client pins take),
// "dmp-env" (operator_public_hex=...) or "json" (key, fingerprint and
// `details` of the key's kind). Shared by every backend's pubkey command.
void print_public_key(const PublicKey& key, const std::string& format, nlohmann::json details);

}  // namespace dmp::cli
