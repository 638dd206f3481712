#include "sign/key_options.hpp"

#include <ctime>

#include "common/time_text.hpp"
#include "ledger/ledger_store.hpp"

namespace dmp::cli {

void add_key_options(CLI::App& cmd, KeyOptions& o, const std::string& prefix,
                     const std::string& whose, bool required) {
  cmd.add_option("--" + prefix + "key", o.key,
                 whose +
                     "key file (passphrase-encrypted or FIDO2-wrapped), or a PKCS#11 URI "
                     "'pkcs11:token=...;object=...?module-path=...'")
      ->required(required);
  auto* file =
      cmd.add_option("--" + prefix + "passphrase-file", o.passphrase_file,
                     whose + "read the passphrase from the first line of FILE (mode 0600)");
  auto* fd = cmd.add_option("--" + prefix + "passphrase-fd", o.passphrase_fd,
                            whose + "read the passphrase from file descriptor N");
  file->excludes(fd);
  cmd.add_option("--" + prefix + "pin-file", o.pin_file,
                 whose +
                     "FIDO2 or PKCS#11 key: read the token's PIN from the first line of FILE "
                     "(mode 0600)");
  cmd.add_option("--" + prefix + "device", o.device,
                 whose + "FIDO2 key: the token to use (see: dmp-sign fido2 devices)");
}

void add_helper_options(CLI::App& cmd, HelperOptions& o) {
  cmd.add_option("--fido2-helper", o.fido2_helper,
                 "FIDO2 key: path of dmp-sign-fido2 (default: next to dmp-sign, or "
                 "../libexec/dmp-signer/)");
  cmd.add_option("--pkcs11-helper", o.pkcs11_helper,
                 "PKCS#11 key: path of dmp-sign-pkcs11 (default: next to dmp-sign, or "
                 "../libexec/dmp-signer/)");
}

keyfile::KeyAccess to_key_access(const KeyOptions& o, const HelperOptions& helpers) {
  keyfile::KeyAccess access;
  if (!o.passphrase_file.empty()) access.passphrase.file = o.passphrase_file;
  if (o.passphrase_fd >= 0) access.passphrase.fd = o.passphrase_fd;
  if (!o.pin_file.empty()) {
    access.fido2.pin.file = o.pin_file;
    access.pkcs11.pin.file = o.pin_file;
  }
  access.pkcs11.helper_override = helpers.pkcs11_helper;
  access.fido2.device = o.device;
  access.fido2.helper_override = helpers.fido2_helper;
  return access;
}

void add_state_dir_option(CLI::App& cmd, std::string& state_dir) {
  cmd.add_option("--state-dir", state_dir,
                 "ledger directory (default $DMP_SIGNER_STATE_DIR, $XDG_STATE_HOME/dmp-signer, "
                 "~/.local/state/dmp-signer)");
}

void add_ledger_options(CLI::App& cmd, LedgerOptions& o) {
  add_state_dir_option(cmd, o.state_dir);
  cmd.add_option("--lock-wait", o.lock_wait_seconds,
                 "seconds to wait for another signer's ledger lock (default 10)")
      ->check(CLI::Range(0.0, 3600.0));
  cmd.add_option("--now", o.now,
                 "the signing clock: unix seconds or RFC 3339 (air-gapped clocks drift)");
}

void add_ttl_option(CLI::App& cmd, std::uint32_t& ttl, const std::string& help) {
  cmd.add_option("--ttl", ttl, help)->check(CLI::Range(std::uint32_t{1}, kMaxTtl));
}

Result<std::string> resolve_state_dir(const std::string& flag) {
  return ledger::default_state_dir(flag.empty() ? std::nullopt : std::optional<std::string>(flag));
}

Result<std::uint64_t> resolve_clock(const std::string& now_flag) {
  if (now_flag.empty()) {
    return static_cast<std::uint64_t>(std::max<std::time_t>(0, std::time(nullptr)));
  }
  auto now = parse_time_text(now_flag, "--now");
  if (!now) return fail(Reason::usage, now.error().field, now.error().rule);
  return now;
}

}  // namespace dmp::cli
