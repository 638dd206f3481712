// Sealing and opening the seed of a key file: Argon2id (crypto_pwhash) turns
// the passphrase into a key; XChaCha20-Poly1305 encrypts the 32-byte seed with
// the whole header as associated data. Secrets stay in guarded memory.
#pragma once

#include <cstdint>
#include <string>

#include "dmp/hsm/secret_buffer.hpp"
#include "dmp/result.hpp"
#include "keyfile/key_file_format.hpp"

namespace dmp::keyfile {

// A new key file for `seed` (fresh salt and nonce). Fails with
// Reason::out_of_memory when Argon2id cannot get its memory: never weakens.
Result<KeyFile> seal_seed(const hsm::SecretBuffer& seed, const hsm::SecretBuffer& passphrase,
                          const KdfParams& kdf, std::string comment, std::uint64_t created);

// The seed, or Reason::wrong_passphrase when authentication fails (wrong
// passphrase or any edited byte), Reason::key_mismatch when the seed does not
// give the stored public key.
Result<hsm::SecretBuffer> open_seed(const KeyFile& key_file, const hsm::SecretBuffer& passphrase);

}  // namespace dmp::keyfile
