// Key files on disk: load (with the privacy checks), unlock into a SigningKey,
// and write new or re-encrypted ones. The I/O glue around the pure format
// (key_file_format) and crypto (key_file_crypto).
#pragma once

#include <memory>
#include <string>

#include "common/passphrase.hpp"
#include "dmp/hsm/file_key.hpp"
#include "keyfile/key_file_format.hpp"

namespace dmp::keyfile {

// Reads and parses a key file; refuses group/world-readable files. A file in
// the reference generator's format gets a hint to import it instead.
Result<KeyFile> load_key_file(const std::string& path);

// Asks for the passphrase (`prompt` on a terminal), says on stderr that the
// KDF is running ("unlocking key (Argon2id, 1 GiB)…": it takes seconds), and
// opens the seed. On a terminal a wrong passphrase is asked again, up to
// kPassphraseAttempts in all, so a typo does not end the ceremony; a file or
// fd is read once (it would give the same bytes again).
inline constexpr int kPassphraseAttempts = 3;
Result<hsm::SecretBuffer> unlock_seed(const std::string& path, const KeyFile& key_file,
                                      const cli::PassphraseSource& passphrase,
                                      const std::string& prompt);

// load_key_file + unlock_seed.
Result<std::unique_ptr<hsm::SeedKey>> unlock_key_file(const std::string& path,
                                                      const cli::PassphraseSource& passphrase);

// Seals `seed` under a new passphrase and creates `path` exclusively (0600).
Result<KeyFile> write_new_key_file(const std::string& path, const hsm::SecretBuffer& seed,
                                   const cli::PassphraseSource& passphrase, const KdfParams& kdf,
                                   std::string comment);

}  // namespace dmp::keyfile
