// dmp-sign keygen / pubkey / passwd / import.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "dmp/records.hpp"
#include "dmp/result.hpp"
#include "keyfile/key_file_format.hpp"

namespace dmp::cli {

// Registers the key-lifecycle subcommands on `app`. Each sets `run` to its
// action when selected; main() calls it and maps the Status to an exit code.
void add_key_commands(CLI::App& app, std::function<Status()>& run);

// The --kdf names every command that writes a key file takes.
const std::map<std::string, keyfile::KdfLevel>& kdf_level_names();

// Printed after a key file was written with a cheaper KDF than the default,
// so that refusals stay one line.
void warn_if_cheap_kdf(keyfile::KdfLevel level);

// A public key on stdout as `format` says: "hex" (what client pins take),
// "dmp-env" (operator_public_hex=...) or "json" (key, fingerprint and
// `details` of the key's kind). Shared by every backend's pubkey command.
void print_public_key(const PublicKey& key, const std::string& format, nlohmann::json details);

}  // namespace dmp::cli
