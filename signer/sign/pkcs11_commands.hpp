// dmp-sign pkcs11 ...: keys on PKCS#11 tokens (YubiKey PIV through ykcs11,
// HSMs, SoftHSM2): list tokens and Ed25519 keys, generate a key on a
// token, print a key's public half. Signing is `dmp-sign sign --key pkcs11:...`.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "dmp/result.hpp"

namespace dmp::cli {

void add_pkcs11_commands(CLI::App& app, std::function<Status()>& run);

}  // namespace dmp::cli
