// Non-resident credentials: the token stores nothing per credential, so the
// credential id carries the private key and the hmac-secret CredRandoms,
// sealed (AES-256-GCM) under the token's master secret with the rpIdHash as
// associated data. Another token, or another RP, cannot open it.
#pragma once

#include <optional>

#include "crypto.hpp"

namespace dmp::soft_fido2 {

struct Credential {
  Bytes private_key;        // P-256 scalar, 32 bytes
  Bytes cred_random_uv;     // hmac-secret key when UV was performed (32 bytes)
  Bytes cred_random_no_uv;  // ... and when it was not (32 bytes)
  bool hmac_secret = false;
};

Credential new_credential(bool hmac_secret);
Bytes wrap_credential(ByteView master_secret, ByteView rp_id_hash, const Credential& credential);
// Nullopt for any id this token did not make for this RP.
std::optional<Credential> unwrap_credential(ByteView master_secret, ByteView rp_id_hash,
                                            ByteView credential_id);

}  // namespace dmp::soft_fido2
