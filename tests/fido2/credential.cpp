#include "credential.hpp"

namespace dmp::soft_fido2 {
namespace {

// id = version || nonce(12) || GCM(key || credRandomUV || credRandomNoUV || flags) || tag(16)
constexpr uint8_t kVersion = 1;
constexpr size_t kNonceSize = 12;
constexpr size_t kPlainSize = 3 * 32 + 1;
constexpr size_t kIdSize = 1 + kNonceSize + kPlainSize + 16;

}  // namespace

Credential new_credential(bool hmac_secret) {
  const Bytes scalar = P256Key::generate().private_scalar();
  return {scalar, random_bytes(32), random_bytes(32), hmac_secret};
}

Bytes wrap_credential(ByteView master_secret, ByteView rp_id_hash, const Credential& credential) {
  Bytes plain = credential.private_key;
  plain.insert(plain.end(), credential.cred_random_uv.begin(), credential.cred_random_uv.end());
  plain.insert(plain.end(), credential.cred_random_no_uv.begin(),
               credential.cred_random_no_uv.end());
  plain.push_back(credential.hmac_secret ? 1 : 0);
  Bytes id{kVersion};
  const Bytes nonce = random_bytes(kNonceSize);
  const Bytes sealed = aes256_gcm_seal(master_secret, nonce, rp_id_hash, plain);
  id.insert(id.end(), nonce.begin(), nonce.end());
  id.insert(id.end(), sealed.begin(), sealed.end());
  return id;
}

std::optional<Credential> unwrap_credential(ByteView master_secret, ByteView rp_id_hash,
                                            ByteView credential_id) {
  if (credential_id.size() != kIdSize || credential_id[0] != kVersion) return std::nullopt;
  const auto plain = aes256_gcm_open(master_secret, credential_id.subspan(1, kNonceSize),
                                     rp_id_hash, credential_id.subspan(1 + kNonceSize));
  if (!plain || plain->size() != kPlainSize) return std::nullopt;
  const auto at = [&](size_t offset) {
    return Bytes(plain->begin() + static_cast<ptrdiff_t>(offset),
                 plain->begin() + static_cast<ptrdiff_t>(offset + 32));
  };
  return Credential{at(0), at(32), at(64), (*plain)[96] == 1};
}

}  // namespace dmp::soft_fido2
