// The command-line options that name a key and how to unlock it, shared by
// sign/renew, rotate and revoke. One spelling and one help text per option;
// rotate adds the same set twice, prefixed "old-" and "new-".
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <string>

#include "keyfile/key_access.hpp"

namespace dmp::cli {

struct KeyOptions {
  std::string key;
  std::string passphrase_file;
  int passphrase_fd = -1;
  std::string pin_file;
  std::string device;
};

struct HelperOptions {
  std::string fido2_helper;
  std::string pkcs11_helper;
};

// --<prefix>key, --<prefix>passphrase-file | --<prefix>passphrase-fd,
// --<prefix>pin-file, --<prefix>device. `whose` qualifies the help texts
// ("" or "the old key: ").
void add_key_options(CLI::App& cmd, KeyOptions& options, const std::string& prefix,
                     const std::string& whose, bool required);
// --fido2-helper, --pkcs11-helper.
void add_helper_options(CLI::App& cmd, HelperOptions& options);

keyfile::KeyAccess to_key_access(const KeyOptions& options, const HelperOptions& helpers);

// --state-dir for the ledger, with the documented default chain.
void add_state_dir_option(CLI::App& cmd, std::string& state_dir);

// What every signing command needs for its ledger: --state-dir, --lock-wait
// and --now (the signing clock).
struct LedgerOptions {
  std::string state_dir;
  double lock_wait_seconds = 10;
  std::string now;
  std::chrono::milliseconds lock_wait() const {
    return std::chrono::milliseconds(static_cast<long>(lock_wait_seconds * 1000));
  }
};
void add_ledger_options(CLI::App& cmd, LedgerOptions& options);
Result<std::string> resolve_state_dir(const std::string& flag);

// --ttl for the zone and nsupdate formats, bounded to 1..2^31-1 (RFC 2181
// §8): a larger TTL is a zone line that dmp-verify and DNS servers refuse.
// 0 in `ttl` means "not given" (the format's default applies).
inline constexpr std::uint32_t kMaxTtl = 2147483647;
void add_ttl_option(CLI::App& cmd, std::uint32_t& ttl, const std::string& help);

// --now: unix seconds or RFC 3339; empty = this machine's clock.
Result<std::uint64_t> resolve_clock(const std::string& now_flag);

}  // namespace dmp::cli
