// FIDO2-wrapped key files on disk: load (with the privacy checks), unlock
// through the enrolled token (PIN, touch) into a SigningKey, enrol another
// token, and write new or updated files. The I/O and token glue around the
// pure format (fido2_key_format) and wrapping (fido2_key_crypto).
#pragma once

#include <memory>
#include <string>

#include "common/passphrase.hpp"
#include "dmp/hsm/file_key.hpp"
#include "keyfile/fido2_key_format.hpp"

namespace dmp::keyfile {

// How to reach the token: --fido2-helper, --device, and where the PIN comes
// from (terminal, --pin-file; never argv or the environment).
struct Fido2Access {
  std::string helper_override;
  std::string device;
  cli::PassphraseSource pin;
};

Result<fido2::Fido2KeyFile> load_fido2_key_file(const std::string& path);

struct UnlockedFido2Key {
  std::unique_ptr<hsm::SeedKey> key;
  std::size_t slot = 0;  // the token slot that unlocked it
};

// The token finds its slot, asserts (PIN and touch as enrolled) and the
// seed is unwrapped in guarded memory.
Result<UnlockedFido2Key> unlock_fido2_key(const std::string& path, const fido2::Fido2KeyFile& file,
                                          const Fido2Access& access);

// Enrols the token `access` names: a new credential on it, a fresh salt, and
// `seed` wrapped for it, appended to `file` as one more slot.
struct NewSlot {
  std::string label;
  std::string rp_id = std::string(fido2::kDefaultRpId);
  bool require_pin = true;
};
Status enrol_token(fido2::Fido2KeyFile& file, const hsm::SecretBuffer& seed,
                   const Fido2Access& access, const NewSlot& slot);

// Exclusive create (0600) or atomic replace of the armoured file.
Status write_new_fido2_key_file(const std::string& path, const fido2::Fido2KeyFile& file);
Status replace_fido2_key_file(const std::string& path, const fido2::Fido2KeyFile& file);

}  // namespace dmp::keyfile
