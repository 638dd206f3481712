// Wrapping the operator seed for one FIDO2 token. The token's hmac-secret
// output (32 bytes, HMAC-SHA-256 under a per-credential secret that never
// leaves the token, of the slot's salt) is the master key of libsodium's KDF
// (crypto_kdf_derive_from_key, BLAKE2b, context "DMPFIDO2", subkey 1); the
// subkey encrypts the seed with XChaCha20-Poly1305 and the slot's associated
// data (fido2_key_format.hpp). The token conversation itself is elsewhere:
// these functions take the hmac-secret output, already in guarded memory.
#pragma once

#include "dmp/hsm/secret_buffer.hpp"
#include "dmp/result.hpp"
#include "keyfile/fido2_key_format.hpp"

namespace dmp::keyfile::fido2 {

inline constexpr std::size_t kHmacSecretLen = hsm::fido2::kHmacSecretLen;

// Fills `slot`'s nonce (fresh) and wrapped seed. `file` supplies the common
// header (public key, created, comment) the slot is bound to.
Status wrap_seed(const hsm::SecretBuffer& seed, const hsm::SecretBuffer& hmac_secret,
                 const Fido2KeyFile& file, TokenSlot& slot);

// The seed of slot `index`, or Reason::wrong_passphrase when the AEAD fails
// (another token's hmac-secret, a different PIN/touch setting, or an edited
// byte), Reason::key_mismatch when the seed does not give the header's key.
Result<hsm::SecretBuffer> unwrap_seed(const Fido2KeyFile& file, std::size_t index,
                                      const hsm::SecretBuffer& hmac_secret);

}  // namespace dmp::keyfile::fido2
