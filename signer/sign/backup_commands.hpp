// dmp-sign backup: k-of-n paper backups of the signing key as SLIP-39 shares
// (signer/backup/slip39), and getting the key back from them.
//
//   backup split    unlock a key, split its seed into share sheets (0600, in a
//                   new 0700 directory, each with a QR code) or show them one
//                   at a time on the terminal (--print)
//   backup restore  shares from sheets or typed word by word -> a new key file
//   backup check    the restore drill: shares (or a key-file copy) unlocked in
//                   guarded memory and compared with the pinned public key;
//                   writes no key
//
// Docs: docs/backup.md. The SLIP-39 passphrase (--slip39-passphrase,
// --slip39-passphrase-file) is not the key file's: --passphrase-file keeps
// its meaning everywhere (the key file's passphrase).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "dmp/result.hpp"

namespace dmp::cli {

void add_backup_commands(CLI::App& app, std::function<Status()>& run);

}  // namespace dmp::cli
