// One door for every kind of key `--key` may name: a passphrase key file
// (DMP SIGNING KEY), a FIDO2-wrapped one (DMP FIDO2 SIGNING KEY), or a key
// on a PKCS#11 token named by a URI (pkcs11:...). A file's kind is read from
// its armour line, never guessed from the name; a value starting with the
// scheme "pkcs11:" is always a URI, never a file;
// the signing pipeline sees only the public information and, after review,
// a hsm::SigningKey.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/passphrase.hpp"
#include "dmp/hsm/signing_key.hpp"
#include "keyfile/fido2_key_store.hpp"
#include "keyfile/key_file_format.hpp"
#include "keyfile/pkcs11_key_store.hpp"

namespace dmp::keyfile {

struct KeyAccess {
  cli::PassphraseSource passphrase;  // passphrase key files
  Fido2Access fido2;                 // FIDO2-wrapped key files
  Pkcs11Access pkcs11;               // keys on PKCS#11 tokens
};

// What can be shown before anything is unlocked.
struct KeyInfo {
  PublicKey public_key{};
  std::string kind;  // "key file", "FIDO2 key file", "PKCS#11 key"
  std::string comment;
  std::uint64_t created = 0;
  std::optional<KdfParams> kdf;  // passphrase key files
  std::string describe(const std::string& path) const;
};

// A PKCS#11 key's public half comes from the token (through the helper,
// without the PIN), hence `access`.
Result<KeyInfo> load_key_info(const std::string& path, const KeyAccess& access = {});
Result<std::unique_ptr<hsm::SigningKey>> unlock_signing_key(const std::string& path,
                                                            const KeyAccess& access);

// The seed itself, for a paper backup (backup split, backup check --key): a
// passphrase or FIDO2-wrapped key file, unlocked as for signing. A PKCS#11
// key never leaves its token: Reason::usage, saying what backs it up instead.
Result<std::unique_ptr<hsm::SeedKey>> unlock_seed_key(const std::string& path,
                                                      const KeyAccess& access);

}  // namespace dmp::keyfile
