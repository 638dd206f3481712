// One door for every kind of key file `--key` may name: a passphrase key
// file (DMP SIGNING KEY) or a FIDO2-wrapped one (DMP FIDO2 SIGNING KEY).
// The kind is read from the file's armour line, never guessed from the name;
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

namespace dmp::keyfile {

struct KeyAccess {
  cli::PassphraseSource passphrase;  // passphrase key files
  Fido2Access fido2;                 // FIDO2-wrapped key files
};

// What can be shown before anything is unlocked.
struct KeyInfo {
  PublicKey public_key{};
  std::string kind;  // "key file", "FIDO2 key file"
  std::string comment;
  std::uint64_t created = 0;
  std::optional<KdfParams> kdf;  // passphrase key files
  std::string describe(const std::string& path) const;
};

Result<KeyInfo> load_key_info(const std::string& path);
Result<std::unique_ptr<hsm::SigningKey>> unlock_signing_key(const std::string& path,
                                                            const KeyAccess& access);

}  // namespace dmp::keyfile
